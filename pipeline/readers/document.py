"""The in-memory document every reader produces, whatever the file format.

A reader turns bytes into a :class:`Document`: an ordered list of :class:`Block`
(one paragraph, one table row, or one list item each) with the page it sits on
and the layout hints the format gives. Readers never interpret content: they
do not know what a 发文字号 or a roster is. Everything downstream
(normalize → structure → extractors) works on this type only.
"""
from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field


def _max_chars() -> int:
    try:
        return max(1, int(os.environ.get("DUBAN_MAX_CHARS", "1000000")))
    except ValueError:
        return 1_000_000


# The longest text a notice may have, in characters ($DUBAN_MAX_CHARS, default 1,000,000: spaCy's
# own default nlp.max_length; a real notice is at most tens of thousands). Readers refuse a longer
# text in one line (read() checks the file's size in bytes first, then the Document's text); the
# extraction layer sets spaCy's nlp.max_length from this same constant.
MAX_CHARS = _max_chars()


def clean_text(text: str) -> str:
    """``text`` without lone surrogates, which no encoder accepts (json, sqlite, print all raise).
    A pair of surrogates (pdfium returns a character outside the BMP, such as a rare name
    character of CJK Extension B, as two UTF-16 code units) is joined into its character; a lone
    one becomes U+FFFD. Cheap on clean text: one encode."""
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


_KINDS = {stat.S_IFIFO: "a FIFO (named pipe)", stat.S_IFSOCK: "a socket", stat.S_IFCHR: "a character device",
          stat.S_IFBLK: "a block device", stat.S_IFDIR: "a folder"}


def not_regular(mode: int) -> str | None:
    """Why a file of this ``st_mode`` is not read (a FIFO, a device…), or None for a regular file:
    opening a FIFO waits for a writer for ever, a device never ends. One wording for every caller."""
    if stat.S_ISREG(mode):
        return None
    return f"{_KINDS.get(stat.S_IFMT(mode), 'a special file')}, not a regular file: not read"


def display_path(path) -> str:
    """``path`` as text that prints anywhere. On Linux a file name that is not UTF-8 (a GBK name
    copied from Windows) arrives as a str with surrogate escapes, which raises UnicodeEncodeError
    when printed: its raw bytes are decoded as GB18030 when they are that, else with "�"."""
    text = path.decode("utf-8", "surrogateescape") if isinstance(path, bytes) else str(path)
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        pass
    try:
        raw = os.fsencode(text)
    except UnicodeEncodeError:
        return text.encode("utf-8", "replace").decode("utf-8")
    name = decode_name(raw)
    return name if name is not None else raw.decode("utf-8", "replace")


def decode_name(raw: bytes) -> str | None:
    """A name's bytes (a file name, a zip member's name, a font's name) as text: UTF-8, else
    GB18030 (what Chinese Windows writes), strictly; None when it is neither. No guessing and no
    replacement, unlike a notice's text (:func:`pipeline.readers.txt.decode_text`): a name is
    short, so a detector has nothing to go on, and a name half replaced is a wrong name."""
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            pass
    return None


class ReadError(Exception):
    """A file that cannot be read as a notice. ``str(err)`` is one line for the user:
    ``<path>: <reason>`` (the path made printable by :func:`display_path`)."""

    def __init__(self, path, reason: str):
        self.path = display_path(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


@dataclass
class Block:
    """One unit of text in reading order.

    text        the text as printed, with any automatic list number rendered in
                front of it (Word's numbering.xml: "一、", "（一）", "1.")
    page        1-based page number where the format has pages, else None
    kind        "para" | "table_row" | "list_item"
    cells       for table rows: the cell texts in order (``text`` joins them with a tab)
    list_label  the automatic number rendered into ``text`` ("一、"), or None
    centered, bold, size   layout hints where the format gives them (size in pt)
    """

    text: str
    page: int | None = None
    kind: str = "para"
    cells: list[str] | None = None
    list_label: str | None = None
    centered: bool = False
    bold: bool = False
    size: float | None = None


@dataclass
class Document:
    """A notice file read into blocks. ``format`` is the format actually read
    ("txt", "docx", "pdf", …), which can differ from the file's extension. ``warnings`` says what
    the reader had to repair (bytes replaced in a damaged text): the file was read, but not whole."""

    path: str
    format: str
    sha256: str
    blocks: list[Block] = field(default_factory=list)
    pages: int | None = None
    ocr: bool = False
    warnings: list[str] = field(default_factory=list)  # one line each, e.g. "3 bytes not valid UTF-8, replaced"

    def __post_init__(self):
        self.path = display_path(self.path)

    @property
    def text(self) -> str:
        return "\n".join(b.text for b in self.blocks)

    def clean(self) -> None:
        """Replace lone surrogates in every block's text and cells (see :func:`clean_text`)."""
        for b in self.blocks:
            b.text = clean_text(b.text)
            if b.cells:
                b.cells = [clean_text(c) for c in b.cells]
            if b.list_label:
                b.list_label = clean_text(b.list_label)
