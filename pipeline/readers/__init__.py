"""Readers: one per file format, each turning a path into a :class:`~pipeline.document.Document`.

``read(path)`` sniffs the bytes (not just the extension) and dispatches. Every failure is a
:class:`~pipeline.document.ReadError` whose message is one line naming the file and the reason.

What every reader's output passes through here: only regular files are opened (a FIFO would
block, a device never end); the text limit (``MAX_CHARS``, $DUBAN_MAX_CHARS, default 1,000,000
characters) is checked on the file's size before a text or web page is read, and on the
Document's text after any reader; lone surrogates are cleaned from every block
(:meth:`Document.clean`); what a reader had to repair is in ``Document.warnings``.
"""
from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path
from typing import Iterator

from pipeline.readers import document
from pipeline.readers.document import MAX_CHARS, Document, ReadError, not_regular

# Magic numbers of the formats we read or recognise (to say what a misnamed file really is).
MAGIC = [
    (b"%PDF-", "pdf"),
    (b"PK\x03\x04", "zip"),          # .docx, .ofd, .zip: told apart by their members
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ole"),  # .doc, .wps (Word 97 / WPS): needs LibreOffice
    (b"\x89PNG\r\n\x1a\n", "image"), (b"\xff\xd8\xff", "image"),  # PNG, JPEG: read by OCR
    (b"II*\x00", "image"), (b"MM\x00*", "image"),  # TIFF (little-, big-endian); BMP: see sniff()
]

SUPPORTED = {".txt": "txt", ".text": "txt", ".docx": "docx", ".pdf": "pdf"}
SUPPORTED.update({".ofd": "ofd"})  # fixed-layout (GB/T 33190)
SUPPORTED.update({".html": "html", ".htm": "html", ".shtml": "html", ".mht": "html", ".mhtml": "html"})  # web pages
SUPPORTED.update({".zip": "zip"})  # archives of notices: read_entries reads each member (archive.py)
WORD_MAIN_TYPES = (b"wordprocessingml.document.main+xml", b"wordprocessingml.template.main+xml",
                   b"ms-word.document.macroEnabled.main+xml", b"ms-word.template.macroEnabledTemplate.main+xml")
SUPPORTED.update({".doc": "ole", ".wps": "ole"})  # Word 97 / WPS binary, through LibreOffice (office.py)
SUPPORTED.update({e: "image" for e in (".jpg", ".jpeg", ".png", ".tif", ".tiff", ".bmp")})  # OCR (ocr.py)

MAX_BYTES = 200 * 1024 * 1024  # any file; a formatted one (PDF, Word) may carry large images and fonts
# Bytes per character of text at most, by kind: a plain text needs at most 4 bytes a character
# (UTF-8, GB18030), so a .txt larger than 4 × MAX_CHARS bytes is refused before it is read; a web
# page carries markup around its text (16 × MAX_CHARS).
BYTES_PER_CHAR = {"txt": 4, "html": 16}


def sniff(data: bytes) -> str | None:
    for magic, kind in MAGIC:
        if data.startswith(magic):
            return kind
    if data[:2] == b"BM" and len(data) >= 18 and data[6:10] == b"\0\0\0\0" and data[14] in (12, 40, 52, 56, 64, 108, 124):
        return "image"  # BMP: "BM", reserved zero bytes, a known info-header size (a bare "BM" is often text)
    return None


def _zip_kind(path: Path) -> str:
    import zipfile
    import zlib

    try:
        with zipfile.ZipFile(path) as z:
            names = set(z.namelist())
            types = z.getinfo("[Content_Types].xml") if "[Content_Types].xml" in names else None
            # the main part decides (Word Online writes word/document2.xml); never unpack a bomb to look
            types = z.read(types) if types is not None and types.file_size < (1 << 20) else b""
    except (zipfile.BadZipFile, zlib.error, EOFError, RuntimeError, NotImplementedError, OSError):
        return "corrupt zip"
    if "word/document.xml" in names or any(t in types for t in WORD_MAIN_TYPES):
        return "docx"
    if "OFD.xml" in names:
        return "ofd"
    return "zip"


def detect_format(path: Path, head: bytes) -> str:
    """The format the bytes really are: txt, docx, pdf, ole, image, ofd, html (a web page or .mht,
    told from text by its markup), zip, or 'corrupt zip'."""
    kind = sniff(head)
    if kind == "zip":
        return _zip_kind(path)
    if kind:
        return kind
    from pipeline.readers.html import is_mime, looks_like_html

    return "html" if is_mime(head) or looks_like_html(head) else "txt"


def read(path) -> Document:
    """Read one notice file into a Document, or raise ReadError with a one-line reason."""
    path = Path(path)
    size = _regular_size(path)
    if size == 0:
        raise ReadError(path, "empty file")
    if size > MAX_BYTES:
        raise ReadError(path, f"too large ({size // (1024 * 1024)} MB; the limit is {MAX_BYTES // (1024 * 1024)} MB)")
    try:
        with open(path, "rb") as fh:
            head = fh.read(4096)
    except OSError as e:
        raise ReadError(path, f"cannot open: {e.strerror or e}") from None
    ext = path.suffix.lower()
    kind = detect_format(path, head)
    expected = SUPPORTED.get(ext)
    if kind == "corrupt zip":
        raise ReadError(path, "corrupt or truncated file (a broken zip container)")
    if kind == "zip":
        raise ReadError(path, "a zip archive, not one notice (its members are read by read_entries)")
    if kind == "ole" and _encrypted_ole(path):
        raise ReadError(path, "password-protected (encrypted) file; save it without a password")
    if kind == "txt" and expected not in (None, "txt"):
        raise ReadError(path, f"not a {ext[1:]} file (its bytes are plain text or unknown)")
    if expected is None and kind == "txt":
        raise ReadError(path, f"unsupported file type '{ext or '(none)'}' (duban reads {', '.join(SUPPORTED)})")
    limit = document.MAX_CHARS
    if kind in BYTES_PER_CHAR and size > BYTES_PER_CHAR[kind] * limit:
        raise ReadError(path, f"too long for a notice ({_mb(size)} of {'text' if kind == 'txt' else 'web page'}; "
                              f"the limit is {limit:,} characters, DUBAN_MAX_CHARS)")
    sha = file_sha256(path)
    if kind == "txt":
        from pipeline.readers.txt import read_txt as reader
    elif kind == "docx":
        from pipeline.readers.docx import read_docx as reader
    elif kind == "pdf":
        from pipeline.readers.pdf import read_pdf as reader
    elif kind == "ole":
        from pipeline.readers.office import read_ole as reader
    elif kind == "image":
        from pipeline.readers.ocr import read_image as reader
    elif kind == "ofd":
        from pipeline.readers.ofd import read_ofd as reader
    elif kind == "html":
        from pipeline.readers.html import read_html as reader
    else:  # pragma: no cover - detect_format returns only the kinds above
        raise ReadError(path, f"unsupported format {kind}")
    try:
        doc = reader(path)
    except ReadError:
        raise
    except MemoryError:
        raise ReadError(path, "too large to read in memory") from None
    except Exception as e:  # a reader library choking on malformed bytes is the user's file, not our bug
        raise ReadError(path, f"corrupt or unreadable {kind} file ({type(e).__name__}: {str(e)[:120]})") from None
    doc.sha256 = sha
    doc.clean()  # no lone surrogate leaves a reader, whatever its library returned
    chars = sum(len(b.text) + 1 for b in doc.blocks)
    if chars > limit:
        raise ReadError(path, f"too long for a notice ({chars:,} characters of text; the limit is {limit:,}, "
                              f"DUBAN_MAX_CHARS)")
    if not any(b.text.strip() for b in doc.blocks):
        if kind in ("pdf", "ofd"):
            raise ReadError(path, "no text found on the scanned pages (OCR)" if doc.ocr else "no text layer; needs OCR")
        raise ReadError(path, "no text in the file")
    return doc


def read_entries(path) -> Iterator[Document | ReadError]:
    """Every notice a file holds: one Document for a notice file, one per member of a .zip archive.

    Never raises for a bad file: a file (or archive member) that cannot be read is yielded as its
    ReadError, so a batch goes on. An archive member's ``Document.path`` is
    ``"archive.zip/inner/name.docx"`` (the archive's path, then the member's path inside it).
    """
    path = Path(path)
    ext = path.suffix.lower()
    if (ext == ".zip" or ext not in SUPPORTED) and _is_archive(path):  # a .docx/.ofd is a zip too: not by name
        from pipeline.readers.archive import read_archive

        yield from read_archive(path)
        return
    try:
        yield read(path)
    except ReadError as e:
        yield e


def _is_archive(path: Path) -> bool:
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):  # never open a FIFO (it would block) or a device
            return False
        with open(path, "rb") as fh:
            return detect_format(path, fh.read(4096)) == "zip"
    except OSError:
        return False


def _regular_size(path: Path) -> int:
    """The size of a regular file (a symlink to one is one); ReadError for anything else, before
    it is opened: opening a FIFO blocks until someone writes to it, a device never ends."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise ReadError(path, "no such file") from None
    except OSError as e:
        raise ReadError(path, f"cannot open: {e.strerror or e}") from None
    if stat.S_ISDIR(st.st_mode):
        raise ReadError(path, "is a folder, not a file")
    if not_regular(st.st_mode):
        raise ReadError(path, not_regular(st.st_mode))
    return st.st_size


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB" if size >= 1024 * 1024 else f"{size:,} bytes"


def _encrypted_ole(path: Path) -> bool:
    """An OLE file holding an EncryptedPackage stream: a password-protected .docx/.xlsx (Office
    wraps the encrypted zip in OLE, so it looks like a .doc)."""
    import olefile

    try:
        with olefile.OleFileIO(str(path)) as ole:
            return ole.exists("EncryptedPackage")
    except Exception:  # a damaged OLE directory: the .doc reader will say what is wrong
        return False


def file_sha256(path: Path) -> str:
    """The content hash a record and the tracker know a file by."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()
