"""Render a notice written as plain text into a 公文-like PDF, for tests and the sample corpus.

The input is a notice as plain text, one paragraph per line (blank lines ignored). The output
imitates GB/T 9704 layout closely enough to exercise the .pdf reader: A4, body 16 pt with 28
characters a line, paragraphs wrapped over several lines with a two-character first-line
indent, the 发文字号 and the title lines centred (the title larger), the 主送机关 flush left,
the signature and date right-aligned, rosters ("组  长：王之成  党工委书记" and the lines under it
that carry no role) drawn as a ruled table (role | name | title), a "— N —" page number at the
foot of every page and a running header, with a rule under it, on pages ≥ 2.

reportlab does not justify CJK lines: a full line ends up to one character short of the right
margin, and a closing punctuation mark may hang past it, as Word lets it.

Font: reportlab's built-in CID font STSong-Light (no font file needed; pdfplumber and pdfium
extract it through the UniGB-UCS2-H cmap). It has no bold face, so nothing is drawn bold.
The output is byte-for-byte deterministic (``invariant=1``).

Left out: the red 版头 and its rule, 黑体/楷体 heading fonts, 附件 pages, 版记, and any line-start
punctuation rules beyond what reportlab's CJK wrapping does.
"""
from __future__ import annotations

import re
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate, Paragraph, Table, TableStyle

FONT = "STSong-Light"  # reportlab's built-in simplified-Chinese CID font
BODY_PT = 16  # 三号
TITLE_PT = 22  # 二号
TABLE_PT = 14  # 四号, for roster tables
CHARS_PER_LINE = 28  # GB/T 9704: 28 characters a line
LEADING = 29  # 22 lines in the 225 mm text block
TEXT_WIDTH = CHARS_PER_LINE * BODY_PT
LEFT = 28 * mm  # GB/T 9704 left margin
TOP = 37 * mm  # GB/T 9704 top margin
BOTTOM = 35 * mm
TITLE_CHARS = 18  # a title line longer than this is wrapped into balanced centred lines
TITLE_MAX = 60  # a longer line is body text, not part of the title
HEADER_PT = 10.5  # running header on pages >= 2
FOOTER_PT = 14  # page number "— N —"

DOC_NUMBER = re.compile(r"[〔\[［(（]\s*\d{4}\s*[〕\]］)）]\s*\d+\s*号$")  # 发文字号: 淄农高管发〔2020〕2号
HEADING = re.compile(r"^([一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十]+[）)]|第[一二三四五六七八九十]+[章节条])")  # 一、 （一） 第一章
SENTENCE_END = re.compile(r"[。；：:！？]$")  # a title line never ends like a sentence or a lead-in
DATE = re.compile(r"^(\d{4}|[〇○零一二三四五六七八九]{4})\s*年\s*[\d一二三四五六七八九十]{1,3}\s*月\s*[\d一二三四五六七八九十]{1,3}\s*日$")  # 落款日期
ROLE = re.compile(r"^((?:副\s*)?(?:组\s*长|主\s*任|指\s*挥\s*长)|成\s*员|委\s*员)\s*([：:])\s*(.+)$")  # 组  长：王之成  党工委书记
ROSTER_CONT = re.compile(r"^\S{1,4}(\s+\S)?\s+[^\s。，；！？]{2,}$")  # continuation: 孟  磊  党工委委员、管委会副主任
CLOSING = "”’）》〕】」』，、。；：！？"  # marks a title line should not start with
ADDRESSEE = re.compile(r"[：:]$")  # 主送机关 ends in a colon: "各镇人民政府、街道办事处："
ADDRESSEE_MAX = 2 * CHARS_PER_LINE  # a longer lead-in after the title is the first body paragraph
SIGNATURE_MAX = 30  # a line just before the date this short is the 发文机关署名
ROLE_W, NAME_W = 6 * TABLE_PT, 5 * TABLE_PT  # roster column widths; the title column takes the rest

pdfmetrics.registerFont(UnicodeCIDFont(FONT))

_BODY = ParagraphStyle("body", fontName=FONT, fontSize=BODY_PT, leading=LEADING, firstLineIndent=2 * BODY_PT,
                       wordWrap="CJK", alignment=TA_JUSTIFY)
_TITLE = ParagraphStyle("title", parent=_BODY, fontSize=TITLE_PT, leading=TITLE_PT * 1.5, firstLineIndent=0,
                        alignment=TA_CENTER)
_NUMBER = ParagraphStyle("number", parent=_BODY, firstLineIndent=0, alignment=TA_CENTER, spaceAfter=LEADING)
_FLUSH = ParagraphStyle("flush", parent=_BODY, firstLineIndent=0)
_RIGHT = ParagraphStyle("right", parent=_BODY, firstLineIndent=0, alignment=TA_RIGHT, rightIndent=4 * BODY_PT)
_CELL = ParagraphStyle("cell", parent=_BODY, fontSize=TABLE_PT, leading=TABLE_PT * 1.4, firstLineIndent=0,
                       alignment=TA_LEFT)


def write_pdf(text: str, out_path, *, header: str | None = None) -> None:
    """Render ``text`` (one paragraph per line) to ``out_path`` as a 公文-like PDF.

    ``header`` is the running header printed on pages ≥ 2; by default the 发文字号, else the
    first title line."""
    lines = [" ".join(ln.split()) for ln in text.splitlines() if ln.strip()]
    kinds = _classify(lines)
    if header is None:
        header = next((ln for ln, k in zip(lines, kinds) if k in ("number", "title")), "")
    doc = BaseDocTemplate(str(out_path), pagesize=A4, invariant=1, title="", author="", subject="", creator="")
    frame = Frame(LEFT, BOTTOM, TEXT_WIDTH, A4[1] - TOP - BOTTOM, 0, 0, 0, 0, id="body")
    doc.addPageTemplates([PageTemplate("page", [frame], onPage=lambda c, d: _decorate(c, d, header))])
    doc.build(_flowables(lines, kinds))


def _classify(lines: list[str]) -> list[str]:
    """One kind per line: number, title, addressee (主送机关, the lead-in right after the title),
    body, right (signature/date) or roster."""
    kinds = ["body"] * len(lines)
    in_title = True
    for i, ln in enumerate(lines):
        if in_title and DOC_NUMBER.search(ln):
            kinds[i] = "number"
        elif in_title and not (HEADING.match(ln) or SENTENCE_END.search(ln) or len(ln) > TITLE_MAX):
            kinds[i] = "title"
        else:
            if in_title and i and kinds[i - 1] == "title" and ADDRESSEE.search(ln) and len(ln) <= ADDRESSEE_MAX:
                kinds[i] = "addressee"
            in_title = False
            if DATE.match(ln):
                kinds[i] = "right"
                if i and len(lines[i - 1]) <= SIGNATURE_MAX and not SENTENCE_END.search(lines[i - 1]):
                    kinds[i - 1] = "right"
            elif ROLE.match(ln) or (i and kinds[i - 1] == "roster" and ROSTER_CONT.match(ln)):
                kinds[i] = "roster"
    return kinds


def _flowables(lines: list[str], kinds: list[str]) -> list:
    out, roster = [], []
    for ln, kind in zip(lines, kinds):
        if kind == "roster":
            roster.append(_roster_row(ln))
            continue
        if roster:
            out.append(_roster_table(roster))
            roster = []
        if kind == "title":
            out.extend(Paragraph(escape(part), _TITLE) for part in _balanced(ln, TITLE_CHARS))
        else:
            style = {"number": _NUMBER, "addressee": _FLUSH, "right": _RIGHT}.get(kind, _BODY)
            out.append(Paragraph(escape(ln), style))
    if roster:
        out.append(_roster_table(roster))
    return out


def _balanced(line: str, width: int) -> list[str]:
    """Split a title line into the fewest centred lines of at most ``width`` characters, of even
    length, none starting with a closing mark."""
    n = -(-len(line) // width)
    size = -(-len(line) // n)
    parts = [line[i:i + size] for i in range(0, len(line), size)]
    for i in range(1, len(parts)):
        while parts[i] and parts[i][0] in CLOSING:
            parts[i - 1], parts[i] = parts[i - 1] + parts[i][0], parts[i][1:]
    return [p for p in parts if p]


def _roster_row(line: str) -> list[str]:
    """role | name | title. A two-character name padded to three ("孟 磊") stays one name."""
    m = ROLE.match(line)
    role, rest = (m.group(1).replace(" ", "") + m.group(2), m.group(3)) if m else ("", line)
    tokens = rest.split()
    n = 2 if len(tokens) > 2 and len(tokens[0]) == len(tokens[1]) == 1 else 1
    return [role, " ".join(tokens[:n]), " ".join(tokens[n:])]


def _roster_table(rows: list[list[str]]) -> Table:
    cells = [[Paragraph(escape(c), _CELL) for c in row] for row in rows]
    table = Table(cells, colWidths=[ROLE_W, NAME_W, TEXT_WIDTH - ROLE_W - NAME_W], spaceBefore=LEADING / 2,
                  spaceAfter=LEADING / 2)
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    return table


def _decorate(canvas, doc, header: str) -> None:
    """Page number "— N —" at the foot of every page; the running header and its rule on pages ≥ 2."""
    width, _ = A4
    canvas.saveState()
    canvas.setFont(FONT, FOOTER_PT)
    canvas.drawCentredString(width / 2, BOTTOM - 10 * mm, f"— {doc.page} —")
    if doc.page >= 2 and header:
        canvas.setFont(FONT, HEADER_PT)
        y = A4[1] - TOP + 12 * mm
        canvas.drawCentredString(width / 2, y, header)
        canvas.setLineWidth(0.5)
        canvas.line(LEFT, y - 2 * mm, LEFT + TEXT_WIDTH, y - 2 * mm)
    canvas.restoreState()
