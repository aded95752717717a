"""PDF reader: the text layer, page by page, re-joined into paragraphs and table rows.

Characters and their boxes come from pdfium (pypdfium2), about 4× cheaper than the pdfminer
parse behind pdfplumber. Only pages that draw ruling lines are also parsed by pdfplumber, whose
table finder gives the ruled tables. Each table row becomes one ``table_row`` Block, placed by
its position among the paragraphs; the characters inside a table are not read again as text.

Visual lines are re-joined into paragraphs from layout alone: a line continues the paragraph
when the line before it runs to the right edge of the text block and it is not indented (so a
two-character first-line indent, a short line, a centred line, a change of font size or a
large vertical gap starts a new block), also across a page break. Joined lines get no space
between them unless both sides are ASCII letters or digits. Page numbers ("— 2 —", "第2页",
"2/5") in the top or bottom band of a page, and lines that repeat there on most pages
(running headers and footers, compared with the digits masked), are dropped.

Spaces inside a line are the blanks the PDF draws (runs collapsed to one) or gaps wider than
half a character; pdfium's own guessed spaces, which fall between CJK and digits, are ignored.

Left out: OCR (a page without a text layer yields nothing), multi-column layouts, vertical
text, tables drawn without ruling lines, and text drawn rotated on an unrotated page.
"""
from __future__ import annotations

import ctypes
import math
import re
import statistics
from collections import Counter
from dataclasses import dataclass
from typing import NamedTuple

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from ..document import Block, Document, ReadError

SPACE_GAP_EM = 0.5  # a gap wider than this many ems between two characters is a space
DUPLICATE_EM = 0.1  # the same character drawn again within this many ems of itself is fake bold: read once
FULL_EM = 1.5  # a line ending within this many ems of the text block's right edge is full
MARGIN_EM = 0.5  # a line starting within this many ems of the left edge is not indented
INDENT_EM = 2  # the usual first-line indent of a paragraph, in characters
CENTER_EM = 0.75  # a centred line's middle lies within this many ems of the block's middle
SIZE_TOL = 0.5  # font sizes (pt) closer than this are the same size
LARGE_GAP = 1.4  # a line further below the previous one than this many line pitches starts a block
RIGHT_SLACK = 0.1  # the right margin is at most the left one plus this fraction of the page width
BAND = 0.12  # top and bottom fraction of the page where headers, footers and page numbers live
EDGE_RANK = 3  # the text block's left edge is the 3rd-leftmost line start (ignores stray outliers)
HANG_EM = 2.5  # line ends this close to the rightmost are candidates for the right edge (punctuation hangs past it)
THIN = 3.0  # a path thinner than this (pt) is a ruling line
PAGE_NUMBER = re.compile(  # "— 2 —", "-2-", "2", "第2页", "第2页共5页", "共5页第2页", "2/5", "Page 2 of 5"
    r"^(?:[-—–－―~·.]*\d+[-—–－―~·.]*|第\d+页(?:[,，/]?共\d+页)?|共\d+页[,，]?第\d+页|\d+/\d+|page\d+(?:of\d+)?)$",
    re.IGNORECASE)
DIGITS = re.compile(r"\d+")  # masked when comparing running headers/footers across pages
ASCII_WORD = re.compile(r"[A-Za-z0-9]")  # joining two lines puts a space only between these
BOLD_FONT = re.compile(r"bold|heavy|black|hei|黑|xbs|xiaobiaosong|小标宋", re.IGNORECASE)  # bold or 黑体/小标宋 faces
BLANKS = {" ", "\u3000", "\u00a0"}  # drawn blanks: a space in the text, never a line's edge
PASSWORD_ERRORS = {pdfium_c.FPDF_ERR_PASSWORD, pdfium_c.FPDF_ERR_SECURITY}  # pdfium's load errors for encryption


_Box = tuple[float, float, float, float]  # x0, top, x1, bottom on the displayed page, in pt
_Table = tuple[_Box, list[tuple[_Box, list[_Box | None]]]]  # table box; per row: its box, cell boxes (None: merged)


class _Char(NamedTuple):
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    bold: bool


@dataclass
class _Line:
    page: int
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    bold: bool
    centered: bool = False


@dataclass
class _Row:
    page: int
    top: float
    cells: list[str]


@dataclass
class _Page:
    number: int
    width: float
    height: float
    items: list  # _Line and _Row, top to bottom


@dataclass
class _Layout:
    """The document's text block: left and right edges and the usual line pitch."""

    left: float
    right: float
    pitch: float


def read_pdf(path) -> Document:
    """Read a PDF's text layer into blocks; ReadError for an encrypted or broken file."""
    pdf = _open(path)
    plumber = _Plumber(path)
    try:
        pages = [_read_page(pdf, index, plumber) for index in range(len(pdf))]
    finally:
        plumber.close()
        pdf.close()
    _drop_running_lines(pages)
    layout = _layout(pages)
    return Document(path=str(path), format="pdf", sha256="", blocks=_blocks(pages, layout), pages=len(pages))


def _open(path) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as e:
        if getattr(e, "err_code", None) in PASSWORD_ERRORS:
            raise ReadError(path, "encrypted PDF (password-protected)") from None
        raise ReadError(path, "corrupt or truncated PDF") from None


# --- one page: characters, tables, lines ---------------------------------------------------

class _Frame:
    """Maps PDF user space to the page as displayed: origin top-left, y down, /Rotate applied."""

    def __init__(self, page: pdfium.PdfPage):
        self.left, self.bottom, right, top = page.get_mediabox()
        self.w, self.h = right - self.left, top - self.bottom
        self.rotation = page.get_rotation() % 360
        self.width, self.height = (self.h, self.w) if self.rotation in (90, 270) else (self.w, self.h)

    def point(self, x: float, y: float) -> tuple[float, float]:
        x, y = x - self.left, y - self.bottom
        return {0: (x, self.h - y), 90: (y, x), 180: (self.w - x, y), 270: (self.h - y, self.w - x)}[self.rotation]

    def box(self, left, bottom, right, top) -> _Box:
        (ax, ay), (bx, by) = self.point(left, bottom), self.point(right, top)
        return min(ax, bx), min(ay, by), max(ax, bx), max(ay, by)


class _Plumber:
    """pdfplumber on the same file, for its table finder; opened at the first page with rulings."""

    def __init__(self, path):
        self.path, self.pdf = str(path), None

    def tables(self, number: int) -> list[_Table]:
        import pdfplumber  # here, not at the top: importing it costs ~0.1 s, and most notices have no table
        from pdfplumber.utils.exceptions import PdfminerException

        try:
            if self.pdf is None:
                self.pdf = pdfplumber.open(self.path)
            return _tables(self.pdf.pages[number - 1])
        except PdfminerException:  # pdfminer cannot parse what pdfium read: keep the text, lose the tables
            return []

    def close(self) -> None:
        if self.pdf is not None:
            self.pdf.close()


def _read_page(pdf: pdfium.PdfDocument, index: int, plumber: _Plumber) -> _Page:
    number, page = index + 1, pdf[index]
    try:
        frame = _Frame(page)
        textpage = page.get_textpage()
        try:
            chars = _chars(textpage, frame)
        finally:
            textpage.close()
        tables = plumber.tables(number) if chars and _ruled(page) else []
    finally:
        page.close()
    boxes = [box for box, _ in tables]
    loose = [c for c in chars if not any(_inside(c, box) for box in boxes)]
    lines = [line for line in (_line(number, group) for group in _group_lines(loose)) if line.text]
    items = sorted(lines + _rows(number, chars, tables), key=lambda item: item.top)
    return _Page(number, frame.width, frame.height, items)


def _chars(textpage, frame: _Frame) -> list[_Char]:
    """Every drawn character with its box (display coordinates), size in pt and bold flag."""
    rect, matrix = pdfium_c.FS_RECTF(), pdfium_c.FS_MATRIX()
    name, flags = ctypes.create_string_buffer(256), ctypes.c_int()
    fonts: dict[bytes, bool] = {}
    out = []
    for i in range(pdfium_c.FPDFText_CountChars(textpage)):
        code = pdfium_c.FPDFText_GetUnicode(textpage, i)
        if code < 32 or pdfium_c.FPDFText_IsGenerated(textpage, i) == 1:
            continue  # control characters, and the line ends and spaces pdfium guesses itself
        pdfium_c.FPDFText_GetLooseCharBox(textpage, i, rect)
        pdfium_c.FPDFText_GetMatrix(textpage, i, matrix)
        size = pdfium_c.FPDFText_GetFontSize(textpage, i) * math.hypot(matrix.c, matrix.d)
        pdfium_c.FPDFText_GetFontInfo(textpage, i, name, len(name), flags)
        if name.value not in fonts:
            fonts[name.value] = bool(BOLD_FONT.search(_font_name(name.value)))
        x0, top, x1, bottom = frame.box(rect.left, rect.bottom, rect.right, rect.top)
        out.append(_Char(chr(code), x0, x1, top, bottom, size or bottom - top, fonts[name.value]))
    return out


def _font_name(raw: bytes) -> str:
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            pass
    return raw.decode("latin-1")


def _ruled(page: pdfium.PdfPage) -> bool:
    """Whether the page draws at least two horizontal and two vertical rules (a possible table)."""
    across = down = 0
    for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH]):
        left, bottom, right, top = obj.get_bounds()
        wide, tall = right - left > THIN, top - bottom > THIN
        across += (2 if tall else 1) if wide else 0
        down += (2 if wide else 1) if tall else 0
        if across >= 2 and down >= 2:
            return True
    return False


def _tables(ppage) -> list[_Table]:
    """The ruled tables pdfplumber finds, in display coordinates. A lone box (one row, one
    column) is a frame around text, not a table."""
    dx, dy = ppage.bbox[0], ppage.bbox[1]

    def shift(box):
        return None if box is None else (box[0] - dx, box[1] - dy, box[2] - dx, box[3] - dy)

    tables = []
    for table in ppage.find_tables():
        rows = [(shift(row.bbox), [shift(cell) for cell in row.cells]) for row in table.rows]
        if len(rows) > 1 or len(rows[0][1]) > 1:
            tables.append((shift(table.bbox), rows))
    return tables


def _inside(char: _Char, box: _Box) -> bool:
    x, y = (char.x0 + char.x1) / 2, (char.top + char.bottom) / 2
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]


def _rows(number: int, chars: list[_Char], tables: list[_Table]) -> list[_Row]:
    """One row per table row with any text; "" for a cell merged into its neighbour."""
    out = []
    for box, rows in tables:
        in_table = [c for c in chars if _inside(c, box)]
        for row_box, cells in rows:
            in_row = [c for c in in_table if _inside(c, row_box)]
            texts = ["" if cell is None else _cell_text([c for c in in_row if _inside(c, cell)]) for cell in cells]
            if any(texts):
                out.append(_Row(number, row_box[1], texts))
    return out


def _cell_text(chars: list[_Char]) -> str:
    """A cell's lines joined like a paragraph's."""
    text = ""
    for group in _group_lines(chars):
        text = _join(text, _line(0, group).text)
    return text


def _group_lines(chars: list[_Char]) -> list[list[_Char]]:
    """Characters grouped into visual lines: a character whose middle falls within the current
    line's vertical extent belongs to it."""
    lines: list[list[_Char]] = []
    top = bottom = 0.0
    for c in sorted(chars, key=lambda c: c.top + c.bottom):
        middle = (c.top + c.bottom) / 2
        if lines and top <= middle <= bottom:
            lines[-1].append(c)
            top, bottom = min(top, c.top), max(bottom, c.bottom)
        else:
            lines.append([c])
            top, bottom = c.top, c.bottom
    return lines


def _line(page: int, chars: list[_Char]) -> _Line:
    """One visual line: text left to right (blanks and wide gaps as one space, a character drawn
    twice over itself, as fake bold does, read once), its extent, median size and boldness."""
    text, last, blank = "", None, False
    for c in sorted(chars, key=lambda c: c.x0):
        if c.text in BLANKS:
            blank = bool(text)
            continue
        if last is not None and c.text == last.text and abs(c.x0 - last.x0) < DUPLICATE_EM * c.size:
            continue
        if blank or (last is not None and c.x0 - last.x1 > SPACE_GAP_EM * c.size):
            text += " "
        text, last, blank = text + c.text, c, False
    ink = [c for c in chars if c.text not in BLANKS]
    if not ink:
        return _Line(page, "", 0, 0, 0, 0, 0, False)
    return _Line(page, text, min(c.x0 for c in ink), max(c.x1 for c in ink), min(c.top for c in ink),
                 max(c.bottom for c in ink), statistics.median(c.size for c in ink),
                 2 * sum(c.bold for c in ink) > len(ink))


# --- the whole document: running lines, text block, paragraphs -----------------------------

def _drop_running_lines(pages: list[_Page]) -> None:
    """Remove page numbers and the lines repeated in the top/bottom band of most pages."""
    seen: dict[tuple, set[int]] = {}
    for page in pages:
        for item in page.items:
            if isinstance(item, _Line) and _band(item, page):
                seen.setdefault(_running_key(item, page), set()).add(page.number)
    repeated = {key for key, where in seen.items() if len(where) >= 2 and 2 * len(where) >= len(pages)}
    for page in pages:
        page.items = [item for item in page.items if not (
            isinstance(item, _Line) and _band(item, page)
            and (PAGE_NUMBER.match(item.text.replace(" ", "")) or _running_key(item, page) in repeated))]


def _band(line: _Line, page: _Page) -> str | None:
    if line.bottom <= BAND * page.height:
        return "top"
    if line.top >= (1 - BAND) * page.height:
        return "bottom"
    return None


def _running_key(line: _Line, page: _Page) -> tuple[str, str]:
    return _band(line, page), DIGITS.sub("0", line.text.replace(" ", ""))


def _layout(pages: list[_Page]) -> _Layout:
    lines = [item for page in pages for item in page.items if isinstance(item, _Line)]
    if not lines:
        return _Layout(0, 0, 0)
    left = sorted(ln.x0 for ln in lines)[min(EDGE_RANK, len(lines)) - 1]
    pitches = [b.top - a.top for a, b in zip(lines, lines[1:])
               if a.page == b.page and abs(a.size - b.size) < SIZE_TOL and b.top > a.top]
    pitch = statistics.median(pitches) if pitches else 1.5 * statistics.median(ln.size for ln in lines)
    width = statistics.median(page.width for page in pages)
    right = max(_right_edge(lines), width - left - RIGHT_SLACK * width)  # a page of short lines has no full line
    layout = _Layout(left, right, pitch)
    for line in lines:
        line.centered = _centered(line, layout)
    return layout


def _right_edge(lines: list[_Line]) -> float:
    """The most common line end among those near the rightmost: full lines end there, while a
    line whose last punctuation mark hangs into the margin (Word and reportlab allow it) ends
    half or one character further."""
    em = statistics.median(ln.size for ln in lines)
    ends = sorted((ln.x1 for ln in lines), reverse=True)
    rightmost = ends[min(EDGE_RANK, len(ends)) - 1]
    near = [round(x) for x in ends if x >= rightmost - HANG_EM * em]
    return Counter(near).most_common(1)[0][0]


def _centered(line: _Line, layout: _Layout) -> bool:
    """Centred in the text block and clearly shorter than it; a line that merely starts at the
    paragraph indent and stops as far from the right edge is an ordinary short paragraph."""
    em = line.size
    middle = (layout.left + layout.right) / 2
    return (abs((line.x0 + line.x1) / 2 - middle) <= CENTER_EM * em
            and line.x1 - line.x0 <= layout.right - layout.left - 2 * em
            and abs(line.x0 - layout.left - INDENT_EM * em) > MARGIN_EM * em)


def _continues(prev: _Line, line: _Line, layout: _Layout) -> bool:
    """Whether ``line`` carries on the paragraph whose last line is ``prev``."""
    if prev.centered or line.centered or abs(prev.size - line.size) >= SIZE_TOL:
        return False
    if prev.page == line.page and line.top - prev.top > LARGE_GAP * layout.pitch:
        return False
    return (prev.x1 >= layout.right - FULL_EM * prev.size
            and prev.x0 <= layout.left + (INDENT_EM + MARGIN_EM) * prev.size
            and line.x0 <= layout.left + MARGIN_EM * line.size)


def _join(text: str, more: str) -> str:
    """Re-join a broken line: no space, except between two ASCII letters or digits."""
    if text and more and ASCII_WORD.match(text[-1]) and ASCII_WORD.match(more[0]):
        return f"{text} {more}"
    return text + more


def _blocks(pages: list[_Page], layout: _Layout) -> list[Block]:
    blocks: list[Block] = []
    prev: _Line | None = None  # last line of the open paragraph
    for page in pages:
        for item in page.items:
            if isinstance(item, _Row):
                blocks.append(Block(text="\t".join(item.cells), page=item.page, kind="table_row", cells=item.cells))
                prev = None
            elif prev is not None and _continues(prev, item, layout):
                blocks[-1].text = _join(blocks[-1].text, item.text)
                prev = item
            else:
                blocks.append(Block(text=item.text, page=item.page, centered=item.centered, bold=item.bold,
                                    size=round(item.size, 1)))
                prev = item
    return blocks
