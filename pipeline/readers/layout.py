"""Visual lines → paragraphs, shared by the fixed-layout readers (.pdf, .ofd).

A fixed-layout format gives positioned characters, not paragraphs. The reader turns its
characters into :class:`Char` (display coordinates: origin top-left, y down, in pt) and hands
them here: :func:`group_lines` and :func:`make_line` make visual lines, the reader collects each
page's lines (and any table :class:`Row`) top to bottom in a :class:`Page`, and then
:func:`drop_running_lines`, :func:`find_layout` and :func:`to_blocks` give the Blocks.

Lines are re-joined into paragraphs from layout alone: a line continues the paragraph when the
line before it runs to the right edge of the text block and it is not indented (so a
two-character first-line indent, a short line, a centred line, a change of font size or a
large vertical gap starts a new block), also across a page break. Joined lines get no space
between them (a CJK line break is not a space) unless both sides are ASCII letters or digits.
Page numbers ("— 2 —", "第2页", "2/5") in the top or bottom band of a page, and lines that repeat
there on most pages (running headers and footers, compared with the digits masked), are dropped.

Spaces inside a line are the blanks drawn (runs collapsed to one) or gaps wider than half a
character.
"""
from __future__ import annotations

import re
import statistics
from collections import Counter
from dataclasses import dataclass
from typing import NamedTuple

from pipeline.readers.document import Block

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
PAGE_NUMBER = re.compile(  # "— 2 —", "-2-", "2", "第2页", "第2页共5页", "共5页第2页", "2/5", "Page 2 of 5"
    r"^(?:[-—–－―~·.]*\d+[-—–－―~·.]*|第\d+页(?:[,，/]?共\d+页)?|共\d+页[,，]?第\d+页|\d+/\d+|page\d+(?:of\d+)?)$",
    re.IGNORECASE)
DIGITS = re.compile(r"\d+")  # masked when comparing running headers/footers across pages
ASCII_WORD = re.compile(r"[A-Za-z0-9]")  # joining two lines puts a space only between these
BOLD_FONT = re.compile(r"bold|heavy|black|hei|黑|xbs|xiaobiaosong|小标宋", re.IGNORECASE)  # bold or 黑体/小标宋 faces
BLANKS = {" ", "\u3000", "\u00a0"}  # drawn blanks: a space in the text, never a line's edge


class Char(NamedTuple):
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    bold: bool


@dataclass
class Line:
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
class Row:
    page: int
    top: float
    cells: list[str]


@dataclass
class Page:
    number: int
    width: float
    height: float
    items: list  # Line and Row, top to bottom


@dataclass
class Layout:
    """The document's text block: left and right edges and the usual line pitch."""

    left: float
    right: float
    pitch: float


def group_lines(chars: list[Char]) -> list[list[Char]]:
    """Characters grouped into visual lines: a character whose middle falls within the current
    line's vertical extent belongs to it."""
    lines: list[list[Char]] = []
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


def make_line(page: int, chars: list[Char]) -> Line:
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
        return Line(page, "", 0, 0, 0, 0, 0, False)
    return Line(page, text, min(c.x0 for c in ink), max(c.x1 for c in ink), min(c.top for c in ink),
                 max(c.bottom for c in ink), statistics.median(c.size for c in ink),
                 2 * sum(c.bold for c in ink) > len(ink))


# --- the whole document: running lines, text block, paragraphs -----------------------------

def drop_running_lines(pages: list[Page]) -> None:
    """Remove page numbers and the lines repeated in the top/bottom band of most pages."""
    seen: dict[tuple, set[int]] = {}
    for page in pages:
        for item in page.items:
            if isinstance(item, Line) and _band(item, page):
                seen.setdefault(_running_key(item, page), set()).add(page.number)
    repeated = {key for key, where in seen.items() if len(where) >= 2 and 2 * len(where) >= len(pages)}
    for page in pages:
        page.items = [item for item in page.items if not (
            isinstance(item, Line) and _band(item, page)
            and (PAGE_NUMBER.match(item.text.replace(" ", "")) or _running_key(item, page) in repeated))]


def _band(line: Line, page: Page) -> str | None:
    if line.bottom <= BAND * page.height:
        return "top"
    if line.top >= (1 - BAND) * page.height:
        return "bottom"
    return None


def _running_key(line: Line, page: Page) -> tuple[str, str]:
    return _band(line, page), DIGITS.sub("0", line.text.replace(" ", ""))


def find_layout(pages: list[Page]) -> Layout:
    lines = [item for page in pages for item in page.items if isinstance(item, Line)]
    if not lines:
        return Layout(0, 0, 0)
    left = sorted(ln.x0 for ln in lines)[min(EDGE_RANK, len(lines)) - 1]
    pitches = [b.top - a.top for a, b in zip(lines, lines[1:])
               if a.page == b.page and abs(a.size - b.size) < SIZE_TOL and b.top > a.top]
    pitch = statistics.median(pitches) if pitches else 1.5 * statistics.median(ln.size for ln in lines)
    width = statistics.median(page.width for page in pages)
    right = max(_right_edge(lines), width - left - RIGHT_SLACK * width)  # a page of short lines has no full line
    layout = Layout(left, right, pitch)
    for line in lines:
        line.centered = _centered(line, layout)
    return layout


def _right_edge(lines: list[Line]) -> float:
    """The most common line end among those near the rightmost: full lines end there, while a
    line whose last punctuation mark hangs into the margin (Word and reportlab allow it) ends
    half or one character further."""
    em = statistics.median(ln.size for ln in lines)
    ends = sorted((ln.x1 for ln in lines), reverse=True)
    rightmost = ends[min(EDGE_RANK, len(ends)) - 1]
    near = [round(x) for x in ends if x >= rightmost - HANG_EM * em]
    return Counter(near).most_common(1)[0][0]


def _centered(line: Line, layout: Layout) -> bool:
    """Centred in the text block and clearly shorter than it; a line that merely starts at the
    paragraph indent and stops as far from the right edge is an ordinary short paragraph."""
    em = line.size
    middle = (layout.left + layout.right) / 2
    return (abs((line.x0 + line.x1) / 2 - middle) <= CENTER_EM * em
            and line.x1 - line.x0 <= layout.right - layout.left - 2 * em
            and abs(line.x0 - layout.left - INDENT_EM * em) > MARGIN_EM * em)


def _continues(prev: Line, line: Line, layout: Layout) -> bool:
    """Whether ``line`` carries on the paragraph whose last line is ``prev``."""
    if prev.centered or line.centered or abs(prev.size - line.size) >= SIZE_TOL:
        return False
    if prev.page == line.page and line.top - prev.top > LARGE_GAP * layout.pitch:
        return False
    return ((prev.x1 >= layout.right - FULL_EM * prev.size or _wrapped_word(prev, line, layout))
            and prev.x0 <= layout.left + (INDENT_EM + MARGIN_EM) * prev.size
            and line.x0 <= layout.left + MARGIN_EM * line.size)


# a run that a typesetter keeps whole (100%；, 2023年 → "2023", VOCs): moved to the next line when it
# does not fit, so the line before stops short of the right edge without ending its paragraph
UNBROKEN_RUN = re.compile(r"[A-Za-z0-9.%‰]+[，。；：、）)”%]?")


def _wrapped_word(prev: Line, line: Line, layout: Layout) -> bool:
    m = UNBROKEN_RUN.match(line.text)
    if not m or prev.text[-1:] in "。；：！？":
        return False
    # ASCII glyphs are about half an em wide; a full-width mark one em
    width = sum(0.6 if c.isascii() else 1.0 for c in m.group()) * line.size
    return layout.right - prev.x1 < width + FULL_EM * prev.size


def join(text: str, more: str) -> str:
    """Re-join a broken line: no space, except between two ASCII letters or digits."""
    if text and more and ASCII_WORD.match(text[-1]) and ASCII_WORD.match(more[0]):
        return f"{text} {more}"
    return text + more


def to_blocks(pages: list[Page], layout: Layout) -> list[Block]:
    blocks: list[Block] = []
    prev: Line | None = None  # last line of the open paragraph
    for page in pages:
        for item in page.items:
            if isinstance(item, Row):
                blocks.append(Block(text="\t".join(item.cells), page=item.page, kind="table_row", cells=item.cells))
                prev = None
            elif prev is not None and _continues(prev, item, layout):
                blocks[-1].text = join(blocks[-1].text, item.text)
                prev = item
            else:
                blocks.append(Block(text=item.text, page=item.page, centered=item.centered, bold=item.bold,
                                    size=round(item.size, 1)))
                prev = item
    return blocks
