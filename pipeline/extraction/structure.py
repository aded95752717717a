"""Document structure: the parts of a 公文 (GB/T 9704-2012) found in a normalized text.

Parts: 版头 (发文机关标志, 发文字号), title (often over two or three lines), 主送机关, body with
its outline (一、/（一）/1. or 1、/（1）/①), 附件说明, signature (发文机关署名 + 成文日期),
attachments with their own titles, and — for a 通知 that issues a plan (印发/转发) — the
enclosed plan's title and body. Every line knows its part and its section path, so every
extracted item can say where it sits ("三、具体任务 > （一） > 1.").

Structure reads layout and the genre's conventions only; it extracts no field values beyond
locating them (the extractors read the located lines).
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from pipeline.text.dates import FULL_DATE, full_date
from pipeline.text.doc_numbers import DOC_NUMBER  # noqa: F401  (re-exported: 发文字号, any bracket style)
from pipeline.text.lexicons import alternation
from pipeline.extraction.normalize import Line, NormText

# outline labels, by level (GB/T 9704: 一、 → （一） → 1. → （1）)
HEADING_LEVELS = [
    (1, re.compile(r"^(?:[一二三四五六七八九十]{1,3}[、，,.]|第[一二三四五六七八九十]{1,3}(?:部分|章|篇)\s*)")),
    (2, re.compile(r"^[（(][一二三四五六七八九十]{1,3}[）)]")),
    (3, re.compile(r"^\d{1,2}(?:[、.](?!\d)|\s+(?=[\u4e00-\u9fff]))")),
    (4, re.compile(r"^[（(]\d{1,2}[）)]")),
    (5, re.compile(r"^[①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳]")),
]
# phase-style headings that carry no outline number: 第一阶段：…
STAGE_HEADING = re.compile(r"^第[一二三四五六七八九十\d]{1,2}阶段")
# 版头 lines that are neither title nor body: 发文机关标志 (…文件), 份号, 密级, 紧急程度, 签发人, rules
MASTHEAD = re.compile(r"^(?:.{2,40}文件|\d{6}|[★*]?(?:绝密|机密|秘密)[★*]?.*|特急|加急|平急|特提|签发人[:：].*|[—\-_=＝━─*★☆\s]+)$")
# 附件说明: "附件：1.…", and an attachment's own first line: "附件", "附件1", "附件一"
ATTACHMENT_NOTE = re.compile(r"^附\s*件\s*[:：]")
ATTACHMENT_HEAD = re.compile(r"^附\s*件\s*(?:\d{1,2}|[一二三四五六七八九十]{1,2})?\s*[:：]?$")
# lines after the date that still belong to the signature block
POST_SIGNATURE = re.compile(r"^[（(](?:此件|联系人|本件|此文).*[）)]$")
# a date alone on its line (成文日期)
DATE_LINE = re.compile(rf"^[（(]?\s*(?:{FULL_DATE.pattern})\s*[）)]?$")
# sentence ends inside a line
SENTENCE_END = re.compile(r"[。！？!?]+[”’」』）)]*")
# 通知 that encloses a plan
ISSUING = re.compile(r"印发|转发|颁发|下发|发布")


@lru_cache(maxsize=1)
def _doc_type_re():
    # the 文种 may carry a bracketed qualifier after it: …管理办法（试行）, …实施方案（2023—2025年）
    return re.compile(rf"(?:{alternation('doc_types.txt')}){TYPE_QUALIFIER}[》”」』）)]*$")


TYPE_QUALIFIER = r"(?:[（(][^（）()]{1,14}[）)])?"
# an editor's mark after a title, not part of it: （节选）, 【摘要】
EDITORIAL_NOTE = re.compile(r"[（(【\[](?:节选|摘要|摘编|节录|全文|简本|简版)[）)】\]]$")


@lru_cache(maxsize=1)
def _org_end_re():
    return re.compile(rf"(?:{alternation('org_suffixes.txt')})$")


def ends_with_doc_type(text: str) -> bool:
    return bool(_doc_type_re().search(text))


def looks_like_org(text: str) -> bool:
    """A short line that names one or more bodies (a signature line)."""
    t = text.strip()
    if not t or len(t) > 60 or re.search(r"[。，；：:!?？！“”《》]", t):
        return False
    return all(_org_end_re().search(part) for part in re.split(r"\s+", t) if part)


@dataclass
class Heading:
    line: int
    level: int
    label: str
    title: str       # the heading's own words up to the first 。/：(or the whole short line)


@dataclass
class Attachment:
    title: str
    start: int       # first line index (the 附件 line)
    end: int         # one past the last line index


@dataclass
class Structure:
    norm: NormText
    parts: list[str]                       # per line: head | title | doc_number | addressee | body | signature | plan_title | plan_body | attachment_note | attachment
    headings: dict[int, Heading] = field(default_factory=dict)
    section: list[tuple[int, ...]] = field(default_factory=list)   # per line: heading line indices, outermost first
    doc_number_line: int | None = None
    title: str | None = None
    title_lines: list[int] = field(default_factory=list)
    addressee_line: int | None = None
    signature_lines: list[int] = field(default_factory=list)     # the issuer lines
    date_line: int | None = None
    signed_date: date | None = None
    printed_line: int | None = None        # the 版记's "…印发" line when it gave the 成文日期 (no dated signature)
    plan_title: str | None = None
    plan_title_lines: list[int] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    sentences: list[tuple[int, int]] = field(default_factory=list)  # (start, end) offsets, in order
    year: int | None = None                # the year partial dates resolve against

    @property
    def lines(self) -> list[Line]:
        return self.norm.lines

    def section_path(self, line_index: int) -> str:
        """'三、具体任务 > （一） > 1.': the outermost heading with its words, deeper ones by label."""
        out = []
        for k, hi in enumerate(self.section[line_index]):
            h = self.headings[hi]
            out.append(h.label + h.title if k == 0 else h.label)
        return " > ".join(out)

    def sentence_at(self, offset: int) -> tuple[int, int]:
        import bisect

        i = bisect.bisect_right(self.sentences, (offset, float("inf"))) - 1
        if i >= 0 and self.sentences[i][0] <= offset < self.sentences[i][1] + 1:
            return self.sentences[i]
        ln = self.norm.line_at(offset)
        return (ln.start, ln.end) if ln else (offset, offset)


def heading_of(text: str) -> tuple[int, str] | None:
    """(level, label) when a line starts with an outline number."""
    for level, pat in HEADING_LEVELS:
        m = pat.match(text)
        if m:
            return level, m.group(0).strip()
    m = STAGE_HEADING.match(text)
    if m:
        return 2, m.group(0)
    return None


def heading_title(text: str, label: str) -> str:
    rest = text[len(label):].lstrip(" :：") if text.startswith(label) else text
    m = re.search(r"[。：:；;]", rest)
    return (rest[: m.start()] if m else rest).strip()


# what an attachment's title ends with, besides a 文种
ATTACHMENT_TITLE_END = re.compile(r"(?:名单|名册|一览表|分工表|清单|安排表|任务表|汇总表|统计表|目录|表)[》”）)]*$")


def _find_title(lines: list[Line], i: int, limit: int, enders: re.Pattern | None = None) -> list[int]:
    """Indices of the title lines starting at ``i``: the shortest run of up to four short lines
    that ends with a 文种 word (or ``enders``); else the first line alone when it reads like a title."""
    run = []
    text = ""
    for j in range(i, min(limit, i + 4)):
        t = lines[j].text
        if len(t) > 70 or SENTENCE_END.search(t) or t.endswith(("：", ":")) or DATE_LINE.match(t):
            break
        if j > i and (DOC_NUMBER.fullmatch(t) or heading_of(t)):
            break
        run.append(j)
        text += t
        if ends_with_doc_type(text) or (enders is not None and enders.search(text)):
            # a subtitle in brackets on the next line belongs to the title: （2023—2025年）
            if j + 1 < limit and re.fullmatch(r"[（(][^（）()]{2,24}[）)]", lines[j + 1].text):
                run.append(j + 1)
            return run
    first = lines[i].text if i < limit else ""
    if first and len(first) <= 50 and not SENTENCE_END.search(first) and not heading_of(first):
        return [i]
    return []


def _join_title(lines: list[Line], idx: list[int]) -> str:
    return "".join(re.sub(r"\s+", "", lines[k].text) if _cjk_ratio(lines[k].text) > 0.5 else lines[k].text
                   for k in idx)


def _cjk_ratio(s: str) -> float:
    return sum(1 for c in s if "\u4e00" <= c <= "\u9fff") / max(1, len(s))


def _is_addressee(text: str) -> bool:
    return (text.endswith(("：", ":")) and 2 <= len(text) <= 150 and not heading_of(text)
            and not re.search(r"如下|[。；]|名单|附件", text))


# a joint notice (联合发文) signs with one line per body: up to this many
MAX_SIGNERS = 8
# the 印发 line of the 版记: "X办公室 2020年2月18日印发"
PRINTED_LINE = re.compile(rf"(?:{FULL_DATE.pattern})\s*印发\s*$")


def _signature_at(lines: list[Line], k: int) -> tuple[list[int], date] | None:
    """If line k is a 成文日期 (alone, or after the issuer on the same line), the issuer lines."""
    t = lines[k].text
    if DATE_LINE.match(t):
        d = full_date(t)
        issuers = []
        j = k - 1
        while j >= 0 and len(issuers) < MAX_SIGNERS and looks_like_org(lines[j].text):
            issuers.insert(0, j)
            j -= 1
        return issuers, d
    m = FULL_DATE.search(t)
    if m and m.end() == len(t) and looks_like_org(t[: m.start()].strip()):
        return [k], full_date(t)
    return None


def _printed_date(lines: list[Line], start: int) -> tuple[int, date] | None:
    """A notice with no dated signature (a web copy that dropped it) still prints its 版记:
    "X办公室 2020年2月18日印发". That date stands for the 成文日期 (GB/T 9704 prints both the same day
    or nearly), and is only used when no signature date exists."""
    for j in range(len(lines) - 1, start - 1, -1):
        m = PRINTED_LINE.search(lines[j].text)
        if m:
            return j, full_date(m.group(0))
    return None


def _masthead_org(lines: list[Line], i: int) -> bool:
    """A 发文机关标志 printed as the bare name of the body (or bodies, one per line, in a joint notice)
    without "文件": an org-name line that the 发文字号 follows (after more such org lines), or a title
    ending in a 文种 that names its own place ("南坪镇人民政府" over "南坪镇防汛工作方案"). An org line over
    a title that does not stand alone ("临岳大学" over "本科教学…方案", "X办公室" over "关于印发…") is the
    title's first line."""
    if not looks_like_org(lines[i].text):
        return False
    j = i + 1
    while j < len(lines) and j <= i + MAX_SIGNERS and looks_like_org(lines[j].text):
        j += 1
    if j >= len(lines):
        return False
    t = lines[j].text
    if DOC_NUMBER.fullmatch(t.replace(" ", "")) or MASTHEAD.match(t):
        return True
    title = _join_title(lines, _find_title(lines, j, len(lines)))
    return ends_with_doc_type(title) and title[:2] == lines[i].text.strip()[:2]


def analyse(norm: NormText) -> Structure:
    lines = norm.lines
    n = len(lines)
    parts = ["body"] * n
    st = Structure(norm=norm, parts=parts)

    # 版头: masthead lines, the 发文字号, then the title
    i = 0
    while i < n and i < 8:
        t = lines[i].text
        if DOC_NUMBER.fullmatch(t.replace(" ", "")) or re.fullmatch(rf"{DOC_NUMBER.pattern}\s*签发人[:：].*", t):
            st.doc_number_line = i
            parts[i] = "doc_number"
        elif (MASTHEAD.match(t) or _masthead_org(lines, i)) and not ends_with_doc_type(t):
            parts[i] = "head"
        else:
            break
        i += 1
    st.title_lines = _find_title(lines, i, n)
    for k in st.title_lines:
        parts[k] = "title"
    if st.title_lines:
        st.title = EDITORIAL_NOTE.sub("", _join_title(lines, st.title_lines))
        i = st.title_lines[-1] + 1
    # a 发文字号 printed under the title (State Council style)
    if st.doc_number_line is None and i < n and DOC_NUMBER.fullmatch(lines[i].text.replace(" ", "")):
        st.doc_number_line = i
        parts[i] = "doc_number"
        i += 1
    if i < n and _is_addressee(lines[i].text):
        st.addressee_line = i
        parts[i] = "addressee"
        i += 1
    body_start = i

    # signature: the first 成文日期 after the body starts
    k = body_start
    while k < n:
        sig = _signature_at(lines, k)
        if sig and sig[1]:
            issuers, d = sig
            st.signature_lines = [j for j in issuers if j >= body_start]
            st.date_line, st.signed_date = k, d
            for j in st.signature_lines:
                parts[j] = "signature"
            parts[k] = "signature"
            break
        k += 1
    if st.signed_date is None and (printed := _printed_date(lines, body_start)):
        st.printed_line, st.signed_date = printed

    # the plan a 印发 notice encloses starts after its signature
    plan_start = None
    if st.date_line is not None and st.title and ISSUING.search(st.title):
        j = st.date_line + 1
        while j < n and POST_SIGNATURE.match(lines[j].text):
            parts[j] = "signature"
            j += 1
        if j < n and not ATTACHMENT_HEAD.match(lines[j].text):
            st.plan_title_lines = _find_title(lines, j, n)
            if st.plan_title_lines:
                st.plan_title = EDITORIAL_NOTE.sub("", _join_title(lines, st.plan_title_lines))
                for t in st.plan_title_lines:
                    parts[t] = "plan_title"
                plan_start = st.plan_title_lines[-1] + 1
    if plan_start is not None:
        for j in range(plan_start, n):
            parts[j] = "plan_body"
    elif st.date_line is not None:
        for j in range(st.date_line + 1, n):
            if POST_SIGNATURE.match(lines[j].text):
                parts[j] = "signature"

    # 附件说明 and attachments
    for j in range(body_start, n):
        t = lines[j].text
        if ATTACHMENT_NOTE.match(t) and parts[j] in ("body", "plan_body"):
            parts[j] = "attachment_note"
            # continuation lines of a numbered note: "2．…"
            q = j + 1
            while q < n and re.match(r"^\d{1,2}\s*[.、]", lines[q].text) and len(lines[q].text) < 60 \
                    and parts[q] in ("body", "plan_body") and not SENTENCE_END.search(lines[q].text):
                parts[q] = "attachment_note"
                q += 1
    after = st.date_line + 1 if st.date_line is not None else body_start + 1
    heads = [j for j in range(after, n) if ATTACHMENT_HEAD.match(lines[j].text)]
    for a, j in enumerate(heads):
        end = heads[a + 1] if a + 1 < len(heads) else n
        tl = _find_title(lines, j + 1, end, ATTACHMENT_TITLE_END) if j + 1 < end else []
        title = _join_title(lines, tl) if tl else ""
        st.attachments.append(Attachment(title=title, start=j, end=end))
        for q in range(j, end):
            parts[q] = "attachment"

    _outline(st, body_start)
    _sentences(st)
    return st


def _outline(st: Structure, body_start: int) -> None:
    """Headings and the section path of every line. Attachments and the plan restart the outline."""
    lines = st.norm.lines
    stack: list[int] = []
    prev_part = None
    for j, ln in enumerate(lines):
        part = st.parts[j]
        if part != prev_part and part in ("plan_body", "attachment", "plan_title"):
            stack = []
        prev_part = part
        if j >= body_start and part in ("body", "plan_body", "attachment"):
            h = heading_of(ln.text)
            if h:
                level, label = h
                while stack and st.headings[stack[-1]].level >= level:
                    stack.pop()
                st.headings[j] = Heading(line=j, level=level, label=label, title=heading_title(ln.text, label))
                stack.append(j)
        st.section.append(tuple(stack))


def _sentences(st: Structure) -> None:
    out = []
    for ln in st.norm.lines:
        s = ln.start
        for m in SENTENCE_END.finditer(st.norm.text, ln.start, ln.end):
            out.append((s, m.end()))
            s = m.end()
        if s < ln.end:
            out.append((s, ln.end))
    st.sentences = out


def document_year(st: Structure, own_number_year: int | None, text_years: list[int]) -> int | None:
    """The year partial dates resolve against: 成文日期, else the notice's own 文号 year, else the
    year the text names most often."""
    if st.signed_date:
        return st.signed_date.year
    if own_number_year:
        return own_number_year
    if text_years:
        return Counter(text_years).most_common(1)[0][0]
    return None
