"""Lay out a notice written as plain text as an OFD (GB/T 33190) file, for tests and the sample corpus.

The input is a notice as plain text, one paragraph per line (blank lines ignored), as for
:mod:`corpora.tools.pdf_writer`, whose line classification (发文字号, title, 主送, body, signature
and date, roster) it reuses. The output is a minimal valid OFD package the way 数科/福昕 OFD
writers lay out a 公文: A4, a 156 × 225 mm text block at GB/T 9704 margins, body 16 pt with 28
characters a line and 22 lines a page, a two-character first-line indent, wrapped and
justified lines (never broken inside a number or a Latin word; a closing punctuation mark is pulled back onto the line
before, hanging past the right edge), the title in 22 pt lines centred (a title line too long
for one is cut where a typist would), the signature and date right-aligned, roster lines in three
columns (role, name, title), a "— N —" page number at the foot of every page and a running header
on pages ≥ 2. Every visual line is one TextObject with one TextCode and its DeltaX advances
(runs of equal advances written with OFD's "g n d" shorthand); positions are in mm.

Package: OFD.xml → Doc_0/Document.xml (CommonData with PageArea and PublicRes, Pages) →
Doc_0/Pages/Page_N/Content.xml; fonts in Doc_0/PublicRes.xml. Zip timestamps are fixed, so the
same text always gives the same bytes.

``blocks`` instead of text: a list of (kind, text) pairs with the kinds of ``_classify``.

Left out: embedded fonts, 版头 in red, seals and signatures (Signs), annotations, templates,
outlines, ruled tables (rosters are laid out as columns of text).
"""
from __future__ import annotations

import io
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from corpora.tools.pdf_writer import CLOSING, _classify, _roster_row

NS = "http://www.ofdspec.org/2016"
PAGE_W, PAGE_H = 210.0, 297.0  # A4, mm
LEFT, TOP = 28.0, 37.0  # GB/T 9704 margins, mm
TEXT_W, TEXT_H = 156.0, 225.0
PT = 25.4 / 72  # one point in mm
BODY = 16 * PT  # 三号
TITLE = 22 * PT  # 二号
FOOTER = 14 * PT
HEADER = 10.5 * PT
CHARS = 28  # characters a line
ADVANCE = TEXT_W / CHARS  # one full-width character, mm
PITCH = 29 * PT  # 22 lines in the text block
TITLE_PITCH = 1.5 * TITLE
TITLE_FIT = int(TEXT_W // TITLE)  # 20 characters a title line
ROSTER_COLUMNS = (2, 7, 12)  # role, name, title start this many characters into the line
RIGHT_INDENT = 4  # signature and date end this many characters before the right edge
ZIP_TIME = (2024, 1, 1, 0, 0, 0)


def write_ofd(text_or_blocks, out_path, *, header: str | None = None) -> None:
    """Write a notice (text, one paragraph per line; or (kind, text) pairs) to ``out_path`` as an OFD."""
    if isinstance(text_or_blocks, str):
        lines = [" ".join(ln.split()) for ln in text_or_blocks.splitlines() if ln.strip()]
        blocks = list(zip(_classify(lines), lines))
    else:
        blocks = list(text_or_blocks)
    if header is None:
        header = next((t for k, t in blocks if k in ("number", "title")), "")
    pages = _Pages()
    for kind, text in _set_titles(blocks):
        _lay_out(pages, kind, text)
    Path(out_path).write_bytes(_package(pages.pages, header))


def _width(text: str) -> float:
    """Advance of ``text`` in full-width characters: ASCII counts half."""
    return sum(0.5 if ord(c) < 128 else 1.0 for c in text)


class _Pages:
    """Lines placed top to bottom, a new page when the text block is full.
    Each page is a list of (x mm, baseline y mm, size mm, text)."""

    def __init__(self):
        self.pages: list[list[tuple[float, float, float, str]]] = [[]]
        self.y = TOP

    def place(self, x: float, text: str, size: float = BODY, pitch: float = PITCH, fill: float = 0.0) -> None:
        """``text`` at ``x`` on the next line; ``fill`` > 0 justifies it to that width (mm)."""
        self.row([(x, text)], size, pitch, fill)

    def row(self, items: list[tuple[float, str]], size: float = BODY, pitch: float = PITCH, fill: float = 0.0) -> None:
        """Texts at x positions on one line."""
        if self.y + pitch > TOP + TEXT_H + 0.01:
            self.pages.append([])
            self.y = TOP
        self.pages[-1].extend((x, self.y + 0.8 * size, size, text, fill) for x, text in items if text)
        self.y += pitch

    def skip(self, pitch: float = PITCH) -> None:
        self.y += pitch


def _glued(left: str, right: str) -> bool:
    """Whether a line may not break between ``left`` and ``right``: inside a number or a Latin
    word, before a closing mark, or between a figure and what follows it (90%, 2024年, 2023—)."""
    if right in CLOSING or (left.isascii() and left.isalnum() and right.isascii() and right.isalnum()):
        return True
    return left.isdigit() and right in "%‰年月日号—-~至"


def _wrap(text: str, first: float, width: float = CHARS) -> list[str]:
    """``text`` cut into lines of ``width`` characters (the first ``first`` characters shorter),
    as a word processor does: never inside a number or Latin word, a closing mark never first."""
    out, line, room = [], "", width - first
    for c in text:
        if line and _width(line) + _width(c) > room and c not in CLOSING:
            cut = len(line)
            while cut > 1 and _glued(line[cut - 1], c if cut == len(line) else line[cut]):
                cut -= 1
            if cut <= 1:
                cut = len(line)  # one unbreakable run longer than a line
            out.append(line[:cut])
            line, room = line[cut:], width
        line += c
    if line:
        out.append(line)
    return out


def _set_titles(blocks: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Each run of title lines as a typist sets it in 22 pt: lines that fit stay as they are (the
    issuers, "关于…"); from the first line too long for one, the rest of the title is re-cut into
    even lines (GB/T 9704: 回行时词意完整、排列对称)."""
    out: list[tuple[str, str]] = []
    run: list[str] = []
    for kind, text in [*blocks, ("end", "")]:
        if kind == "title":
            run.append(text)
            continue
        for i, line in enumerate(run):
            if _width(line) > TITLE_FIT:
                out.extend(("title", part) for part in _cut_title("".join(run[i:])))
                break
            out.append(("title", line))
        run = []
        if kind != "end":
            out.append((kind, text))
    return out


def _cut_title(line: str) -> list[str]:
    """``line`` cut into the fewest even lines of 22 pt where a typist would cut (never so that a
    line starts with a figure, see ``_glued``)."""
    if _width(line) <= TITLE_FIT:
        return [line]
    n = int(-(-_width(line) // TITLE_FIT))
    cuts = [i for i in range(1, len(line)) if not _glued(line[i - 1], line[i]) and not line[i].isdigit()]
    parts, start = [], 0
    for k in range(1, n):
        target = _width(line) * k / n
        cut = min((i for i in cuts if i > start), key=lambda i: abs(_width(line[:i]) - target), default=None)
        if cut is None:
            break
        parts.append(line[start:cut])
        start = cut
    return parts + [line[start:]]


def _lay_out(pages: _Pages, kind: str, text: str) -> None:
    if kind == "title":
        pages.place(LEFT + (TEXT_W - _width(text) * TITLE) / 2, text, TITLE, TITLE_PITCH)
    elif kind == "number":
        pages.place(LEFT + (TEXT_W - _width(text) * ADVANCE) / 2, text)
        pages.skip()
    elif kind == "right":
        pages.place(LEFT + TEXT_W - (RIGHT_INDENT + _width(text)) * ADVANCE, text)
    elif kind == "roster":
        pages.row([(LEFT + column * ADVANCE, cell) for column, cell in zip(ROSTER_COLUMNS, _roster_row(text))])
    else:
        indent = 0 if kind == "addressee" else 2
        parts = _wrap(text, indent)
        for i, part in enumerate(parts):
            first = indent if i == 0 else 0
            fill = (CHARS - first) * ADVANCE if i < len(parts) - 1 else 0.0  # justified, as 公文 are
            pages.place(LEFT + first * ADVANCE, part, fill=fill)


# --- the package --------------------------------------------------------------------------------

def _advances(text: str, size: float, fill: float) -> list[float]:
    """The advance after each character; a justified line spreads its slack over the gaps."""
    steps = [(0.5 if ord(c) < 128 else 1.0) * (ADVANCE if size == BODY else size) for c in text]
    slack = fill - sum(steps)
    if fill and slack > 0 and len(text) > 1:
        steps = [step + slack / (len(text) - 1) for step in steps[:-1]] + steps[-1:]
    return steps


def _deltas(text: str, size: float, fill: float = 0.0) -> str:
    """DeltaX of a line: the advance after each character but the last, equal runs as "g n d"."""
    steps = [f"{step:.3f}" for step in _advances(text, size, fill)[:-1]]
    out, i = [], 0
    while i < len(steps):
        j = i
        while j < len(steps) and steps[j] == steps[i]:
            j += 1
        out.append(f"g {j - i} {steps[i]}" if j - i > 1 else steps[i])
        i = j
    return " ".join(out)


def _content(lines, number: int, header: str, ids) -> str:
    objects = []
    footer = f"— {number} —"
    decorations = [(PAGE_W / 2 - _width(footer) * FOOTER / 2, TOP + TEXT_H + 12, FOOTER, footer, 0.0)]
    if number >= 2 and header:
        decorations.append((PAGE_W / 2 - _width(header) * HEADER / 2, TOP - 10, HEADER, header, 0.0))
    for x, y, size, text, fill in lines + decorations:
        width = sum(_advances(text, size, fill))
        deltas = _deltas(text, size, fill)
        objects.append(
            f'<ofd:TextObject ID="{next(ids)}" Boundary="{x:.3f} {y - size:.3f} {width + size:.3f} {1.4 * size:.3f}"'
            f' Font="1" Size="{size:.3f}"><ofd:TextCode X="0" Y="{size:.3f}"'
            + (f' DeltaX="{deltas}"' if deltas else "") + f">{escape(text)}</ofd:TextCode></ofd:TextObject>")
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<ofd:Page xmlns:ofd="{NS}"><ofd:Content>'
            f'<ofd:Layer ID="{next(ids)}" Type="Body">' + "".join(objects) + "</ofd:Layer></ofd:Content></ofd:Page>")


def _package(pages, header: str) -> bytes:
    ids = iter(range(2, 10 ** 9))
    contents = [_content(lines, n, header, ids) for n, lines in enumerate(pages, 1)]
    page_refs = "".join(f'<ofd:Page ID="{next(ids)}" BaseLoc="Pages/Page_{i}/Content.xml"/>' for i in range(len(pages)))
    max_id = next(ids) - 1
    parts = {
        "OFD.xml": f'<?xml version="1.0" encoding="UTF-8"?>\n<ofd:OFD xmlns:ofd="{NS}" Version="1.0" DocType="OFD">'
                   f"<ofd:DocBody><ofd:DocInfo><ofd:DocID>duban0000000000000000000000000000</ofd:DocID>"
                   f"<ofd:Title>{escape(header)}</ofd:Title><ofd:CreationDate>2024-01-01</ofd:CreationDate>"
                   f"<ofd:Creator>duban ofd_writer</ofd:Creator></ofd:DocInfo>"
                   f"<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>",
        "Doc_0/Document.xml": f'<?xml version="1.0" encoding="UTF-8"?>\n<ofd:Document xmlns:ofd="{NS}">'
                              f"<ofd:CommonData><ofd:MaxUnitID>{max_id}</ofd:MaxUnitID><ofd:PageArea>"
                              f"<ofd:PhysicalBox>0 0 {PAGE_W:g} {PAGE_H:g}</ofd:PhysicalBox></ofd:PageArea>"
                              f"<ofd:PublicRes>PublicRes.xml</ofd:PublicRes></ofd:CommonData>"
                              f"<ofd:Pages>{page_refs}</ofd:Pages></ofd:Document>",
        "Doc_0/PublicRes.xml": f'<?xml version="1.0" encoding="UTF-8"?>\n<ofd:Res xmlns:ofd="{NS}" BaseLoc="Res">'
                               f'<ofd:Fonts><ofd:Font ID="1" FontName={quoteattr("仿宋_GB2312")} '
                               f'FamilyName={quoteattr("仿宋")}/></ofd:Fonts></ofd:Res>',
    }
    for i, content in enumerate(contents):
        parts[f"Doc_0/Pages/Page_{i}/Content.xml"] = content
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            info = zipfile.ZipInfo(name, ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data.encode("utf-8"))
    return buf.getvalue()
