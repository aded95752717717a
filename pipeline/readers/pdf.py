"""PDF reader: the text layer, page by page, re-joined into paragraphs and table rows.

Characters and their boxes come from pdfium (pypdfium2), about 4× cheaper than the pdfminer
parse behind pdfplumber. Only pages that draw ruling lines are also parsed by pdfplumber, whose
table finder gives the ruled tables. Each table row becomes one ``table_row`` Block, placed by
its position among the paragraphs; the characters inside a table are not read again as text.

Visual lines are re-joined into paragraphs from layout alone by the shared
:mod:`pipeline.readers.layout` (also used by the .ofd reader): indents, short lines, centred
lines, size changes and large gaps start a block; page numbers and running headers/footers are
dropped. pdfium's own guessed spaces, which fall between CJK and digits, are ignored.

The text does not depend on the fonts the machine has. pdfium measures a glyph's box from the font
program, and a PDF that does not embed its fonts (reportlab's STSong-Light; a 公文 saved with 宋体
not embedded) leaves that to the system's fonts; without a matching one, a text object of a single
character gets an empty box and pdfium's text page leaves it out (a roster's "谭 颖" read as " 颖").
Such objects are found on the page (width 0) and their characters read by pdfminer from the PDF's
own encoding (CMap/ToUnicode) and widths; with the fonts installed there are none, and nothing changes.

A page with no text outside its header/footer bands that draws an image is a scan: with the
``ocr`` extra installed it is rendered and OCR'd (:mod:`pipeline.readers.ocr`) and its lines
join the others (a mixed PDF OCRs only such pages, and ``Document.ocr`` is set); without it
the page yields nothing. Pages with a text layer read exactly as before.

Left out: multi-column layouts, vertical text, tables drawn without ruling lines, text drawn
rotated on an unrotated page, and text drawn as outlines (no text layer and no image).
"""
from __future__ import annotations

import ctypes
import math

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from pipeline.readers.document import Document, ReadError, decode_name
from .layout import (BAND, BOLD_FONT, Char, Line, Page, Row, drop_running_lines, find_layout, group_lines, join,
                     make_line, to_blocks)

THIN = 3.0  # a path thinner than this (pt) is a ruling line
UNMEASURED = 0.01  # a text object narrower than this (pt) is left out of pdfium's text page
ORIGIN_TOLERANCE = 0.5  # pt between pdfium's and pdfminer's origin of the same character
PASSWORD_ERRORS = {pdfium_c.FPDF_ERR_PASSWORD, pdfium_c.FPDF_ERR_SECURITY}  # pdfium's load errors for encryption


_Box = tuple[float, float, float, float]  # x0, top, x1, bottom on the displayed page, in pt
_Table = tuple[_Box, list[tuple[_Box, list[_Box | None]]]]  # table box; per row: its box, cell boxes (None: merged)


def read_pdf(path) -> Document:
    """Read a PDF's text layer into blocks; ReadError for an encrypted or broken file."""
    pdf = _open(path)
    plumber = _Plumber(path)
    scanned: list[int] = []
    try:
        pages = [_read_page(pdf, index, plumber) for index in range(len(pdf))]
        scanned = _scanned(pdf, pages)
        if scanned:
            from pipeline.readers import ocr

            if ocr.available():
                ocr.ocr_pdf_pages(path, pdf, pages, scanned)
            else:  # without the ocr extra a scanned page yields nothing (read() says "needs OCR")
                scanned = []
    finally:
        plumber.close()
        pdf.close()
    drop_running_lines(pages)
    layout = find_layout(pages)
    return Document(path=str(path), format="pdf", sha256="", blocks=to_blocks(pages, layout), pages=len(pages),
                    ocr=bool(scanned))


def _scanned(pdf: pdfium.PdfDocument, pages: list[Page]) -> list[int]:
    """Indexes of the pages to OCR: no text except in the header/footer bands (a stamped page
    number), and at least one image drawn (the scan)."""
    out = []
    for index, page in enumerate(pages):
        if any(not isinstance(item, Line) or not _in_band(item, page) for item in page.items):
            continue
        ppage = pdf[index]
        try:
            if next(ppage.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE]), None) is not None:
                out.append(index)
        finally:
            ppage.close()
    return out


def _in_band(line: Line, page: Page) -> bool:
    return line.bottom <= BAND * page.height or line.top >= (1 - BAND) * page.height


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
        from pdfplumber.utils.exceptions import PdfminerException

        try:
            if self.pdf is None:
                self.pdf = _open_plumber(self.path)
            return _tables(self.pdf.pages[number - 1])
        except PdfminerException:  # pdfminer cannot parse what pdfium read: keep the text, lose the tables
            return []

    def chars_at(self, number: int, origins: list[tuple[float, float]]) -> list[Char]:
        """The characters pdfminer reads from the text drawn at ``origins`` (display points): their
        text from the font's own encoding (its CMap or ToUnicode), their box from its widths."""
        from pdfplumber.utils.exceptions import PdfminerException

        try:
            if self.pdf is None:
                self.pdf = _open_plumber(self.path)
            ppage = self.pdf.pages[number - 1]
            found = []
            for ch in ppage.chars:
                text = ch["text"]
                if not text.strip() or text.startswith("(cid:"):
                    continue  # a space (pdfium drops a lone one too), or a code with no Unicode
                x, y = ch["matrix"][4], ppage.height - ch["matrix"][5]
                if any(abs(x - ox) < ORIGIN_TOLERANCE and abs(y - oy) < ORIGIN_TOLERANCE for ox, oy in origins):
                    found.append(Char(text, ch["x0"], ch["x1"], ch["top"], ch["bottom"], ch["size"],
                                      bool(BOLD_FONT.search(ch.get("fontname") or ""))))
            return found
        except (PdfminerException, KeyError, IndexError, ValueError, TypeError):
            return []  # pdfminer cannot read what pdfium read: keep pdfium's characters

    def close(self) -> None:
        if self.pdf is not None:
            self.pdf.close()


def _open_plumber(path: str):
    import logging

    import pdfplumber  # here, not at the top: importing it costs ~0.1 s, and most notices need no pdfplumber

    quiet = logging.getLogger("pdfminer")
    if quiet.level == logging.NOTSET:  # pdfminer logs each damaged object it skips: not the user's business
        quiet.setLevel(logging.ERROR)
    return pdfplumber.open(path)


def _read_page(pdf: pdfium.PdfDocument, index: int, plumber: _Plumber) -> Page:
    number, page = index + 1, pdf[index]
    try:
        frame = _Frame(page)
        textpage = page.get_textpage()
        try:
            chars = _chars(textpage, frame)
        finally:
            textpage.close()
        lost = _unmeasured_text(page, frame)
        if lost:
            chars += plumber.chars_at(number, lost)
        tables = plumber.tables(number) if chars and _ruled(page) else []
    finally:
        page.close()
    boxes = [box for box, _ in tables]
    loose = [c for c in chars if not any(_inside(c, box) for box in boxes)]
    lines = [line for line in (make_line(number, group) for group in group_lines(loose)) if line.text]
    items = sorted(lines + _rows(number, chars, tables), key=lambda item: item.top)
    return Page(number, frame.width, frame.height, items)


def _chars(textpage, frame: _Frame) -> list[Char]:
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
        out.append(Char(chr(code), x0, x1, top, bottom, size or bottom - top, fonts[name.value]))
    return out


def _unmeasured_text(page: pdfium.PdfPage, frame: _Frame) -> list[tuple[float, float]]:
    """Display origins of the text objects pdfium's text page leaves out: it skips an object whose
    box has no width, and it measures a glyph's box from the font program, which a PDF that does
    not embed its font (reportlab's STSong-Light, a 公文 saved with 宋体 not embedded) leaves to the
    machine's fonts. Without a matching font installed, a one-character object (a name's surname
    alone in a roster cell, the last character of a wrapped line) has an empty box and vanishes.
    Its text is still in the PDF's own encoding: :meth:`_Plumber.chars_at` reads it from there."""
    out = []
    for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_TEXT]):
        left, bottom, right, top = obj.get_bounds()
        if right - left < UNMEASURED:
            out.append(frame.point(left, bottom))
    return out


def _font_name(raw: bytes) -> str:
    name = decode_name(raw)
    return name if name is not None else raw.decode("latin-1")


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


def _inside(char: Char, box: _Box) -> bool:
    x, y = (char.x0 + char.x1) / 2, (char.top + char.bottom) / 2
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]


def _rows(number: int, chars: list[Char], tables: list[_Table]) -> list[Row]:
    """One row per table row with any text; "" for a cell merged into its neighbour."""
    out = []
    for box, rows in tables:
        in_table = [c for c in chars if _inside(c, box)]
        for row_box, cells in rows:
            in_row = [c for c in in_table if _inside(c, row_box)]
            texts = ["" if cell is None else _cell_text([c for c in in_row if _inside(c, cell)]) for cell in cells]
            if any(texts):
                out.append(Row(number, row_box[1], texts))
    return out


def _cell_text(chars: list[Char]) -> str:
    """A cell's lines joined like a paragraph's."""
    text = ""
    for group in group_lines(chars):
        text = join(text, make_line(0, group).text)
    return text


