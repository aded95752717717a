"""Write a notice given as plain text into a .docx made the way offices make them, for tests and the
sample corpus.

The input is a notice as plain text, one paragraph per line (blank lines ignored), like the seeds.
The output, built with python-docx and patched with lxml where python-docx has no API:

- A4 with GB/T 9704 margins; body text in the Normal style (仿宋_GB2312 16 pt, exact 29 pt lines)
  with a two-character first-line indent; the title lines at the top (and after the date, and after
  an "附件" line) centred, bold, 22 pt 宋体; the 发文字号 centred; the 主送 line flush left; the
  signature and the date right-aligned; an "附件" line in 黑体 on a new page.
- Numbered paragraphs (一、 （一） 1. （1）) carry Word's automatic numbering instead of the literal
  number: one abstractNum, levels chineseCounting "%1、", chineseCounting "（%2）", decimal "%3." and
  decimal "（%4）" (brackets and "." / "、" / "．" as the document writes them at each level), sub-levels
  restarting under each higher level, a fresh list (startOverride) for every attachment. A label the
  automatic numbering would not reproduce (a skipped, repeated or out-of-place number, punctuation
  that differs from the level's) stays literal text.
- Rosters ("组  长：王之成  党工委书记", then "孟  磊  党工委委员" lines without a role) become a
  Word table role | name | title.
- A header with the issuer and a footer "— N —" whose N is a PAGE field.
- Only the styles the document uses are kept (as Word saves them), and core properties and zip
  timestamps are fixed: the same text always gives the same bytes.

Left out: the red 版头 and its rule, the 版记, seals, images, footnotes, line-start punctuation rules.
"""
from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime, timezone
from pathlib import Path

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

BODY_FONT, BODY_PT, LINE_PT = "仿宋_GB2312", 16, 29  # 三号 仿宋, 22 lines a page
TITLE_FONT, TITLE_PT = "宋体", 22  # 二号 (方正小标宋 where installed)
HEADER_PT = 10.5  # running header, 五号
LEVEL_FONTS = ("黑体", "楷体_GB2312", BODY_FONT, BODY_FONT)  # heading fonts of numbering levels 0–3
LEVEL_FORMATS = ("chineseCounting", "chineseCounting", "decimal", "decimal")  # w:numFmt of levels 0–3
DEFAULT_BRACKETS = (("", "、"), ("（", "）"), ("", "."), ("（", "）"))  # around the number of a level the text never uses
CN_DIGITS = "零一二三四五六七八九"
TITLE_MAX = 60  # a longer line is body text, not part of a title
SIGNATURE_MAX = 30  # a line just before the date this short is the 发文机关署名
FIXED_TIME = datetime(2024, 1, 1, tzinfo=timezone.utc)  # core properties created/modified
ZIP_TIME = (2024, 1, 1, 0, 0, 0)  # timestamp of every zip member
ROLES = ("常务副组长", "副组长", "组长", "成员", "副主任", "主任", "委员", "秘书长", "副指挥长", "指挥长")

HEADINGS = (  # (level, label regex with groups open-bracket, numeral, close), tried in this order
    (0, re.compile(r"^()([一二三四五六七八九十]+)(、)")),  # 一、
    (1, re.compile(r"^([（(])([一二三四五六七八九十]+)([）)])")),  # （一）
    (2, re.compile(r"^()(\d{1,2})([.．、])(?!\d)")),  # 1. 1、 1． (not 1.5)
    (3, re.compile(r"^([（(])(\d{1,2})([）)])")),  # （1）
)
DOC_NUMBER = re.compile(r"[〔\[［(（]\s*\d{4}\s*[〕\]］)）]\s*\d+\s*号$")  # 发文字号: 淄农高管发〔2020〕2号
SENTENCE_END = re.compile(r"[。；：:！？]$")  # a title line never ends like a sentence or a lead-in
LEAD_IN = re.compile(r"[：:]$")  # the 主送 line ends with a colon
DATE = re.compile(r"^(\d{4}|[〇○零一二三四五六七八九]{4})\s*年\s*[\d一二三四五六七八九十]{1,3}\s*月"
                  r"\s*[\d一二三四五六七八九十]{1,3}\s*日$")  # 落款日期
ATTACHMENT = re.compile(r"^附\s*件\s*\d*$")  # "附件" / "附件2" alone on a line: an attachment starts
ROLE = re.compile(r"^(" + "|".join(r"\s*".join(r) for r in ROLES) + r")\s*([：:])\s*(.*)$")  # 组  长：王之成  书记
NAME = r"[\u4e00-\u9fff](?:\s*[\u4e00-\u9fff]){1,3}?"  # 2–4 characters, maybe padded: 王之成, 孟  磊
NAME_TITLE = re.compile(rf"^({NAME})\s+(\S.*)$")  # 孟  磊  党工委委员、管委会副主任
ROSTER_CONT = re.compile(rf"^{NAME}\s+[^。；！？\s][^。；！？]*$")  # a roster line without a role
RUN_END = re.compile(r"(?<=[。；])")  # the generated runs end after each sentence


def write_docx(text: str, out_path) -> None:
    """Write ``text`` (one paragraph per line) to ``out_path`` as a Word file."""
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    kinds = _classify(lines)
    doc = docx.Document()
    _set_up(doc)
    plan, brackets = _numbering_plan(lines, kinds)
    num_ids = _add_numbering(doc, 1 + kinds.count("attachment"), brackets)
    roster: list[list[str]] = []
    for ln, kind, auto in zip(lines, kinds, plan):
        if kind == "roster":
            roster.append(_roster_row(ln))
            continue
        if roster:
            _roster_table(doc, roster)
            roster = []
        _paragraph(doc, ln, kind, auto, num_ids)
    if roster:
        _roster_table(doc, roster)
    _header_footer(doc, _issuer(lines, kinds))
    _prune_styles(doc)
    _save(doc, out_path)


def _classify(lines: list[str]) -> list[str]:
    """One kind per line: number, title, addressee, body, right (signature/date), roster or attachment."""
    kinds = ["body"] * len(lines)
    in_title = True
    for i, ln in enumerate(lines):
        if ATTACHMENT.match(ln):
            kinds[i], in_title = "attachment", True
        elif in_title and DOC_NUMBER.search(ln):
            kinds[i] = "number"
        elif in_title and not (_label(ln) or SENTENCE_END.search(ln) or len(ln) > TITLE_MAX or ROLE.match(ln)):
            kinds[i] = "title"
        else:
            in_title = False
            if LEAD_IN.search(ln) and i and kinds[i - 1] in ("title", "number"):
                kinds[i] = "addressee"
            elif DATE.match(ln):
                kinds[i], in_title = "right", True  # a plan issued by this notice may follow with its own title
                if i and kinds[i - 1] == "body" and _signature(lines[i - 1]):
                    kinds[i - 1] = "right"
            elif ROLE.match(ln) or (i and kinds[i - 1] == "roster" and ROSTER_CONT.match(ln)):
                kinds[i] = "roster"
    return kinds


def _signature(line: str) -> bool:
    """Could the line before the date be the 发文机关署名?"""
    return len(line) <= SIGNATURE_MAX and not SENTENCE_END.search(line)


def _label(line: str):
    """(level, match) of the heading label the line starts with, or None."""
    for level, pattern in HEADINGS:
        m = pattern.match(line)
        if m:
            return level, m
    return None


def _numbering_plan(lines: list[str], kinds: list[str]):
    """(per line (level, list index, label length) or None, the brackets of each level).

    Walks the lines as Word counts them: a label is taken over by automatic numbering only if it is
    exactly the next number of its level, with the brackets the level first appeared with, so the
    numbers Word shows are the ones the text had. Other labels stay literal."""
    brackets: dict[int, tuple[str, str]] = {}
    plan: list[tuple[int, int, int] | None] = []
    counts, section = [0] * 4, 0
    for ln, kind in zip(lines, kinds):
        if kind == "attachment":
            counts, section = [0] * 4, section + 1
        found = _label(ln) if kind == "body" else None
        if found is None:
            plan.append(None)
            continue
        level, m = found
        open_, close = brackets.setdefault(level, (m.group(1), m.group(3)))
        expected = open_ + _number(counts[level] + 1, LEVEL_FORMATS[level]) + close
        if m.group(0) != expected:
            plan.append(None)
            continue
        counts[level] += 1
        counts[level + 1:] = [0] * (3 - level)
        plan.append((level, section, len(expected)))
    return plan, brackets


def _number(n: int, fmt: str) -> str:
    """``n`` in decimal, or 1–99 in chineseCounting (十一, 二十); a larger n stays decimal and so never
    matches a Chinese label."""
    if fmt == "decimal" or n > 99:
        return str(n)
    tens, ones = divmod(n, 10)
    return (("" if tens == 1 else CN_DIGITS[tens]) + "十" if tens else "") + (CN_DIGITS[ones] if ones else "")


def _set_up(doc) -> None:
    """A4, GB/T 9704 margins, the Normal style as 公文 body text, fixed core properties."""
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    normal = doc.styles["Normal"]
    normal.font.size = Pt(BODY_PT)
    _set_font(normal.element.get_or_add_rPr(), BODY_FONT)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = Pt(LINE_PT)
    props = doc.core_properties
    props.author = props.last_modified_by = props.title = ""
    props.created = props.modified = FIXED_TIME
    props.revision = 1


def _set_font(rpr, name: str) -> None:
    rfonts = rpr.get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia"):
        rfonts.set(qn(attr), name)


def _add_numbering(doc, lists: int, brackets: dict[int, tuple[str, str]]) -> list[str]:
    """Add the heading abstractNum and one w:num per list (the notice, then each attachment,
    restarted with startOverride); return the numIds."""
    root = doc.part.numbering_part.element
    abstracts = root.findall(qn("w:abstractNum"))
    abstract_id = str(1 + max((int(a.get(qn("w:abstractNumId"))) for a in abstracts), default=-1))
    abstract = _element("w:abstractNum", {"w:abstractNumId": abstract_id})
    abstract.append(_element("w:multiLevelType", {"w:val": "multilevel"}))
    for level, fmt in enumerate(LEVEL_FORMATS):
        open_, close = brackets.get(level, DEFAULT_BRACKETS[level])
        abstract.append(_level_xml(level, fmt, f"{open_}%{level + 1}{close}"))
    if abstracts:
        abstracts[-1].addnext(abstract)
    else:
        root.insert(0, abstract)
    first = 1 + max((int(n.get(qn("w:numId"))) for n in root.findall(qn("w:num"))), default=0)
    num_ids = []
    for i in range(lists):
        num = _element("w:num", {"w:numId": str(first + i)})
        num.append(_element("w:abstractNumId", {"w:val": abstract_id}))
        for level in range(len(LEVEL_FORMATS)) if i else ():
            override = _element("w:lvlOverride", {"w:ilvl": str(level)})
            override.append(_element("w:startOverride", {"w:val": "1"}))
            num.append(override)
        root.append(num)
        num_ids.append(str(first + i))
    return num_ids


def _level_xml(level: int, fmt: str, text: str):
    lvl = _element("w:lvl", {"w:ilvl": str(level)})
    for tag, val in (("w:start", "1"), ("w:numFmt", fmt), ("w:suff", "nothing"), ("w:lvlText", text),
                     ("w:lvlJc", "left")):
        lvl.append(_element(tag, {"w:val": val}))
    ppr = _element("w:pPr")
    ppr.append(_element("w:ind", {"w:left": "0", "w:firstLine": str(2 * BODY_PT * 20)}))
    lvl.append(ppr)
    rpr = _element("w:rPr")
    rpr.append(_element("w:rFonts", {f"w:{a}": LEVEL_FONTS[level] for a in ("ascii", "hAnsi", "eastAsia")}))
    lvl.append(rpr)
    return lvl


def _element(tag: str, attrs: dict | None = None):
    el = OxmlElement(tag)
    for key, value in (attrs or {}).items():
        el.set(qn(key), value)
    return el


def _paragraph(doc, line: str, kind: str, auto, num_ids: list[str]) -> None:
    p = doc.add_paragraph()
    fmt = p.paragraph_format
    font, size, bold = None, None, False
    if kind == "title":
        p.alignment, font, size, bold = WD_ALIGN_PARAGRAPH.CENTER, TITLE_FONT, TITLE_PT, True
    elif kind == "number":
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif kind == "right":
        p.alignment, fmt.right_indent = WD_ALIGN_PARAGRAPH.RIGHT, Pt(4 * BODY_PT)
    elif kind == "attachment":
        font, fmt.page_break_before = LEVEL_FONTS[0], True
    elif kind == "body":
        fmt.first_line_indent = Pt(2 * BODY_PT)
        label = _label(line)
        if label:
            font = LEVEL_FONTS[label[0]]
    if auto:
        level, section, length = auto
        numpr = p._p.get_or_add_pPr().get_or_add_numPr()
        numpr.get_or_add_ilvl().val = level
        numpr.get_or_add_numId().val = int(num_ids[section])
        line = line[length:].lstrip()
    for piece in _sentences(line):
        run = p.add_run(piece)
        run.bold = bold or None
        if size:
            run.font.size = Pt(size)
        if font:
            _set_font(run._r.get_or_add_rPr(), font)


def _sentences(line: str) -> list[str]:
    """A paragraph's text as runs, one per sentence: Word splits runs at each edit, not per paragraph."""
    return [s for s in RUN_END.split(line) if s] or [""]


def _roster_row(line: str) -> list[str]:
    """role | name | title. The role keeps its colon; a two-character name padded to three ("孟  磊") stays one name."""
    m = ROLE.match(line)
    role, rest = (line[:m.start(3)].rstrip(), m.group(3)) if m else ("", line)
    m = NAME_TITLE.match(rest)
    return [role, *(m.groups() if m else (rest, ""))]


def _roster_table(doc, rows: list[list[str]]) -> None:
    table = doc.add_table(rows=0, cols=3)
    table.style = doc.styles["Table Grid"]
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row):
            cell.paragraphs[0].add_run(text)


def _issuer(lines: list[str], kinds: list[str]) -> str:
    """The running header: the signature (the right-aligned line before the date), else the first title line."""
    signature = next((ln for ln, k in zip(lines, kinds) if k == "right" and not DATE.match(ln)), None)
    return signature or next((ln for ln, k in zip(lines, kinds) if k == "title"), "")


def _header_footer(doc, issuer: str) -> None:
    section = doc.sections[0]
    header = section.header.paragraphs[0]
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    header.add_run(issuer).font.size = Pt(HEADER_PT)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run("— ")
    _field_char(footer, "begin")
    instr = _element("w:instrText", {"xml:space": "preserve"})
    instr.text = " PAGE "
    footer.add_run()._r.append(instr)
    _field_char(footer, "separate")
    footer.add_run("1")
    _field_char(footer, "end")
    footer.add_run(" —")


def _field_char(paragraph, kind: str) -> None:
    paragraph.add_run()._r.append(_element("w:fldChar", {"w:fldCharType": kind}))


def _prune_styles(doc) -> None:
    """Keep only the styles in use (and the defaults, and what they are based on or linked to)."""
    used = set()
    for part in (doc.element, doc.sections[0].header._element, doc.sections[0].footer._element):
        used.update(part.xpath("//w:pStyle/@w:val | //w:rStyle/@w:val | //w:tblStyle/@w:val"))
    styles = {s.get(qn("w:styleId")): s for s in doc.styles.element.findall(qn("w:style"))}
    keep = {sid for sid, s in styles.items() if s.get(qn("w:default")) == "1"} | used
    todo = list(keep)
    while todo:
        style = styles.get(todo.pop())
        for tag in ("w:basedOn", "w:link"):
            ref = style.find(qn(tag)) if style is not None else None
            if ref is not None and ref.get(qn("w:val")) not in keep:
                keep.add(ref.get(qn("w:val")))
                todo.append(ref.get(qn("w:val")))
    for sid, style in styles.items():
        if sid not in keep:
            style.getparent().remove(style)


def _save(doc, out_path) -> None:
    """Save with every zip member stamped ZIP_TIME, so equal documents are equal bytes."""
    buf = io.BytesIO()
    doc.save(buf)
    with zipfile.ZipFile(buf) as src, zipfile.ZipFile(Path(out_path), "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            member.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(member, src.read(info))
