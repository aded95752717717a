"""Plain-text reader: detect the encoding, one Block per non-blank line; and the one decoder every
reader of text uses (:func:`decode_text`: .txt, .html/.mht, the corpus tools and the benchmarks).

Encodings: UTF-8 (with or without BOM), UTF-16 (by BOM), GB18030/GBK and the rest by
charset-normalizer. A web page may declare its charset (<meta charset>, a MIME part's charset):
that is tried first, after a BOM.

Damaged bytes: a text that is clearly UTF-8 (or GB18030) except a few bad bytes — a bit flipped in a
copy, a truncated last character — is decoded with each bad run replaced by U+FFFD, and the reader
says so in ``Document.warnings`` ("3 bytes not valid UTF-8, replaced"), instead of refusing the
whole file. "Clearly": at most ``BAD_RATIO`` of the bytes (or ``FEW``) are bad, and for UTF-8 the valid non-ASCII
characters outnumber the bad bytes ``CLEAR`` to one (a GB18030 file read as UTF-8 is mostly bad
bytes, so it is never mistaken for damaged UTF-8). A few NUL bytes (at most 8: flipped bits) are
dropped and said the same way; more mean a binary file.

Markdown heading marks ("## 标题"), which text copied from web pages often carries, are layout, not
text: they are stripped and kept as the ``bold`` hint.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from pipeline.readers.document import Block, Document, ReadError

MD_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+")  # "## 标题" → heading hint
BAD_RATIO = 0.01  # at most 1 byte in 100 may be replaced; more, and the bytes are not that encoding
FEW = 8  # … but a short text may always have this many
CLEAR = 10  # valid non-ASCII characters per bad byte for a damaged file to count as UTF-8
BOMS = ((b"\xef\xbb\xbf", "utf-8", "UTF-8"), (b"\xff\xfe", "utf-16-le", "UTF-16"), (b"\xfe\xff", "utf-16-be", "UTF-16"))
ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb_2312-80": "gb18030", "x-euc-cn": "gb18030",
           "euc-cn": "gb18030", "cp936": "gb18030", "utf8": "utf-8"}  # GB18030 contains GB2312 and GBK


@dataclass
class Decoded:
    """A decoded text: ``replaced`` bytes were not valid ``encoding`` and became U+FFFD."""

    text: str
    encoding: str
    replaced: int = 0

    @property
    def warning(self) -> str | None:
        return f"{self.replaced} bytes not valid {self.encoding}, replaced" if self.replaced else None


def decode(data: bytes) -> str:
    """Bytes → str for the encodings Chinese offices produce (see :func:`decode_text`)."""
    return decode_text(data).text


def decode_text(data: bytes, declared: str | None = None) -> Decoded:
    """Bytes → text: a BOM, else the ``declared`` charset (a web page's), else UTF-8, damaged UTF-8,
    GB18030, damaged GB18030, then charset-normalizer's guess. ValueError when none fits."""
    for bom, codec, label in BOMS:
        if data.startswith(bom):
            got = _lenient(data[len(bom):], codec, label, _limit(data))
            if got is None:
                raise ValueError(f"not valid {label} despite its byte-order mark")
            return got
    if declared:
        name = declared.strip().lower()
        name = ALIASES.get(name, name)
        try:
            return Decoded(data.decode(name), name)
        except LookupError:
            pass  # an unknown charset name: detect
        except UnicodeDecodeError:
            if name != "utf-8":  # declared UTF-8, saved as GBK by an editor: let detection decide
                return _lenient(data, name, name.upper(), len(data))
    try:
        return Decoded(data.decode("utf-8"), "UTF-8")
    except UnicodeDecodeError:
        pass
    damaged = _lenient(data, "utf-8", "UTF-8", _limit(data))
    if damaged is not None and _non_ascii(damaged.text) >= CLEAR * damaged.replaced:
        return damaged
    try:  # the common case after UTF-8; GB18030 is a superset of GBK and GB2312
        text = data.decode("gb18030")
        if _looks_chinese(text):
            return Decoded(text, "GB18030")
    except UnicodeDecodeError:
        damaged = _lenient(data, "gb18030", "GB18030", _limit(data))
        if damaged is not None and _looks_chinese(damaged.text):
            return damaged
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise ValueError("not text in any known encoding (binary file?)")
    return Decoded(str(best), best.encoding)


def _limit(data: bytes) -> int:
    """Bad bytes tolerated: BAD_RATIO of the bytes, and at least a few (one flipped bit breaks a
    UTF-8 character and up to two neighbours)."""
    return max(FEW, int(len(data) * BAD_RATIO))


def _lenient(data: bytes, codec: str, label: str, limit: int) -> Decoded | None:
    """``data`` decoded with each invalid run of bytes replaced by U+FFFD; None past ``limit`` bad
    bytes. Linear: each step decodes from the last error on (a memoryview, no copies)."""
    view, parts, pos, bad = memoryview(data), [], 0, 0
    while True:
        try:
            parts.append(str(view[pos:], codec))
            return Decoded("".join(parts), label, bad)
        except UnicodeDecodeError as e:
            parts.append(str(view[pos:pos + e.start], codec))
            parts.append("\ufffd")
            bad += e.end - e.start
            pos += e.end
            if bad > limit:
                return None


def _non_ascii(text: str) -> int:
    return len(text) - len(text.encode("ascii", "ignore"))


def _looks_chinese(text: str) -> bool:
    sample = text[:4000]
    cjk = sum(1 for c in sample if "\u4e00" <= c <= "\u9fff")
    return cjk >= max(1, len(sample) // 10)


def read_txt(path: Path) -> Document:
    data = Path(path).read_bytes()
    nuls = 0
    if not data[:2] in (b"\xff\xfe", b"\xfe\xff") and b"\x00" in data:
        nuls = data.count(b"\x00")
        if nuls > min(FEW, int(len(data) * BAD_RATIO)):  # UTF-16 without a BOM, or binary
            raise ReadError(path, "binary file, not text")
        data = data.replace(b"\x00", b"")
    try:
        decoded = decode_text(data)
    except ValueError as e:
        raise ReadError(path, str(e)) from None
    blocks = []
    for line in decoded.text.splitlines():
        if not line.strip():
            continue
        m = MD_HEADING.match(line)
        if m:
            blocks.append(Block(text=line[m.end():].rstrip(), bold=True))
        else:
            blocks.append(Block(text=line.rstrip()))
    doc = Document(path=str(path), format="txt", sha256="", blocks=blocks, pages=None)
    if decoded.replaced:
        doc.warnings.append(decoded.warning)
    if nuls:
        doc.warnings.append(f"{nuls} NUL bytes dropped")
    return doc
