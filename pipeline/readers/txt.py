"""Plain-text reader: detect the encoding, one Block per non-blank line.

Encodings: UTF-8 (with or without BOM), UTF-16 (by BOM), GB18030/GBK and the rest by
charset-normalizer. Markdown heading marks ("## 标题"), which text copied from web pages
often carries, are layout, not text: they are stripped and kept as the ``bold`` hint.
"""
from __future__ import annotations

import re
from pathlib import Path

from pipeline.readers.document import Block, Document, ReadError

MD_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+")  # "## 标题" → heading hint


def decode(data: bytes) -> str:
    """Bytes → str for the encodings Chinese offices produce."""
    for bom, enc in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            return data.decode(enc)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:  # the common case after UTF-8; GB18030 is a superset of GBK and GB2312
        text = data.decode("gb18030")
        if _looks_chinese(text):
            return text
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise ValueError("not text in any known encoding (binary file?)")
    return str(best)


def _looks_chinese(text: str) -> bool:
    sample = text[:4000]
    cjk = sum(1 for c in sample if "\u4e00" <= c <= "\u9fff")
    return cjk >= max(1, len(sample) // 10)


def read_txt(path: Path) -> Document:
    data = Path(path).read_bytes()
    if b"\x00" in data[:4096] and not data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise ReadError(path, "binary file, not text")
    try:
        text = decode(data)
    except ValueError as e:
        raise ReadError(path, str(e)) from None
    blocks = []
    for line in text.splitlines():
        if not line.strip():
            continue
        m = MD_HEADING.match(line)
        if m:
            blocks.append(Block(text=line[m.end():].rstrip(), bold=True))
        else:
            blocks.append(Block(text=line.rstrip()))
    return Document(path=str(path), format="txt", sha256="", blocks=blocks, pages=None)
