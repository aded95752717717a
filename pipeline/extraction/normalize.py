"""Normalization: a Document's blocks → one text for matching, with an offset map back.

Every character transform here is one character for one character (full-width digits and
Latin letters → ASCII, the ideographic space and NBSP → a plain space, ． → .), so an offset in
the normalized text is an offset in the block it came from: evidence stays exact. Whole
blocks of web-page chrome (范文推荐, 来源:, 推荐访问, crawl times…) are dropped; they never
become title, date or text. Each kept block becomes one :class:`Line`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from pipeline.readers.document import Document
from pipeline.text.lexicons import load_patterns

# one-for-one character map: full-width ASCII range → ASCII; spaces → ' '
_FW = {c: c - 0xFEE0 for c in range(0xFF10, 0xFF1A)}           # ０-９
_FW.update({c: c - 0xFEE0 for c in range(0xFF21, 0xFF3B)})     # Ａ-Ｚ
_FW.update({c: c - 0xFEE0 for c in range(0xFF41, 0xFF5B)})     # ａ-ｚ
_FW.update({0x3000: 0x20, 0xA0: 0x20, 0x2002: 0x20, 0x2003: 0x20, 0xFF0E: 0x2E,
            0xFEFF: 0x20, 0x200B: 0x20, 0x09: 0x20})
CHARMAP = _FW


@dataclass
class Line:
    """One kept block in the normalized text. ``start``/``end`` bound the stripped text."""

    index: int          # position among kept lines
    block: int          # index of the source Block in Document.blocks
    start: int
    end: int
    text: str           # stripped normalized text of the line
    page: int | None = None
    kind: str = "para"
    cells: list[str] | None = None
    centered: bool = False
    bold: bool = False
    size: float | None = None
    indent: int = 0     # leading spaces in the source line (alignment/indentation)


@dataclass
class NormText:
    text: str
    lines: list[Line] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)   # chrome lines removed, for debugging

    def line_at(self, offset: int) -> Line | None:
        """The line containing a character offset (binary search)."""
        lo, hi = 0, len(self.lines) - 1
        while lo <= hi:
            mid = (lo + hi) // 2
            ln = self.lines[mid]
            if offset < ln.start - ln.indent:
                hi = mid - 1
            elif offset > ln.end:
                lo = mid + 1
            else:
                return ln
        return None


@lru_cache(maxsize=1)
def _chrome():
    return load_patterns("web_chrome.txt")


def is_chrome(text: str) -> bool:
    return any(p.search(text) for p in _chrome())


def normalize_chars(s: str) -> str:
    return s.translate(CHARMAP)


def normalize(doc: Document) -> NormText:
    parts: list[str] = []
    lines: list[Line] = []
    dropped: list[str] = []
    pos = 0
    for bi, block in enumerate(doc.blocks):
        raw = normalize_chars(block.text)
        stripped = raw.strip()
        if not stripped:
            continue
        if is_chrome(stripped):
            dropped.append(stripped)
            continue
        lead = len(raw) - len(raw.lstrip())
        start = pos + lead
        lines.append(Line(index=len(lines), block=bi, start=start, end=start + len(stripped), text=stripped,
                          page=block.page, kind=block.kind,
                          cells=[normalize_chars(c).strip() for c in block.cells] if block.cells else None,
                          centered=block.centered, bold=block.bold, size=block.size, indent=lead))
        parts.append(raw)
        pos += len(raw) + 1
    return NormText(text="\n".join(parts), lines=lines, dropped=dropped)
