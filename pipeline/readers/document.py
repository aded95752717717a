"""The in-memory document every reader produces, whatever the file format.

A reader turns bytes into a :class:`Document`: an ordered list of :class:`Block`
(one paragraph, one table row, or one list item each) with the page it sits on
and the layout hints the format gives. Readers never interpret content: they
do not know what a 发文字号 or a roster is. Everything downstream
(normalize → structure → extractors) works on this type only.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field


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
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            pass
    return raw.decode("utf-8", "replace")


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
    ("txt", "docx", "pdf", …), which can differ from the file's extension."""

    path: str
    format: str
    sha256: str
    blocks: list[Block] = field(default_factory=list)
    pages: int | None = None
    ocr: bool = False

    def __post_init__(self):
        self.path = display_path(self.path)

    @property
    def text(self) -> str:
        return "\n".join(b.text for b in self.blocks)
