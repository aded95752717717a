"""Shared helpers for the extractors: evidence, spans, clauses, and people's names.

Not a field of its own. Everything here works on characters, as the pipeline does (one token per
character): org and role words such as 县委办 or 组长 must not depend on how a segmenter would cut them.
"""
from __future__ import annotations

import re
from functools import lru_cache

from pipeline.text import names
from pipeline.text.doc_numbers import normalize_number  # noqa: F401  (the extractors' 文号 form)
from pipeline.text.lexicons import alternation
from pipeline.extraction.evidence import _line_end, doc_text, evidence  # noqa: F401  (the extractors' evidence)

CJK = r"\u4e00-\u9fff"


def row_cells(ln) -> list[str] | None:
    """A table row's cells: a table's own, or those of a table flattened to a text line, its cells set
    apart by tabs or spaces ('1　制定方案　县教育局　王某　3月31日'); None for prose (a line with 。/；)
    or fewer than three cells. Callers read flattened rows only under a header row of as many cells."""
    if ln.kind == "table_row" and ln.cells:
        return ln.cells
    t = ln.text.strip()
    if not t or re.search(r"[。；;]", t):
        return None
    cells = t.split()
    return cells if len(cells) >= 3 else None


# a table column that holds each row's task (its header cell)
TASK_COLUMN = re.compile(r"任务|内容|事项|措施|工作|项目")


def table_rows(st, parts, column: re.Pattern):
    """The rows of the tables (real, or flattened to text lines) whose header has a cell matching
    ``column`` (负责人, 完成时限…): (line, raw cells, cells without spaces, that column's index, the
    task column's index or None), row by row under each such header."""
    cols = None
    for ln in st.lines:
        raw = row_cells(ln) if st.parts[ln.index] in parts else None
        if not raw:
            cols = None
            continue
        cells = [re.sub(r"\s+", "", c) for c in raw]
        hit = next((i for i, c in enumerate(cells) if column.match(c)), None)
        if hit is not None:
            task = next((i for i, c in enumerate(cells) if i != hit and TASK_COLUMN.search(c)), None)
            cols = (hit, task, len(cells))
            continue
        if cols is None or len(cells) != cols[2]:
            continue
        yield ln, raw, cells, cols[0], cols[1]


def add_span(doc, key: str, start: int, end: int, label: str):
    """Record [start, end) as a labelled span in ``doc.spans[key]`` (every character is a token)."""
    span = doc.char_span(start, end, label=label, alignment_mode="expand")
    if span is not None:
        if key in doc.spans:
            doc.spans[key].append(span)
        else:
            doc.spans[key] = [span]
    return span


def add_value(doc, key: str, start: int, end: int, label: str, attr: str, value):
    """Record a finding: the span [start, end) in ``doc.spans[key]`` (the span is the evidence) with
    ``value`` in its extension ``span._.<attr>`` (registered by the component that owns ``attr``).
    The record builder (pipeline.extraction.components) reads the record from these spans."""
    span = doc.char_span(start, end, label=label)
    span._.set(attr, value)
    if key in doc.spans:
        doc.spans[key].append(span)
    else:
        doc.spans[key] = [span]
    return span


def add_entry(doc, key: str, start: int, end: int, label: str, attr: str, entry) -> None:
    """Record one entry of a list field found at [start, end): ``span._.<attr>`` holds the list of
    entries found at that stretch of text, so that several entries may share it (one figure binding
    several actors: 村每周、镇每月…). A Span's extension values are keyed by its offsets: two spans
    with the same offsets cannot hold a value each."""
    index = doc.user_data.setdefault(("duban_entries", key), {})
    found = index.get((start, end))
    if found is None:
        found = index[(start, end)] = []
        add_value(doc, key, start, end, label, attr, found)
    found.append(entry)


def values(doc, key: str, attr: str) -> list:
    """``span._.<attr>`` of every span in ``doc.spans[key]`` (none when the group is absent)."""
    return [span._.get(attr) for span in doc.spans[key]] if key in doc.spans else []


def register(attr: str) -> None:
    """Declare the Span extension ``span._.<attr>`` a component keeps its values in."""
    from spacy.tokens import Span

    if not Span.has_extension(attr):
        Span.set_extension(attr, default=None)


def masked_text(doc) -> str:
    """The text with every 文号 mention (``doc.spans["doc_numbers"]``) blanked with ``#``, so that
    date readers never read 〔2021〕12号 as a date. Computed once per Doc."""
    masked = doc.user_data.get("duban_masked")
    if masked is None:
        chars = list(doc_text(doc))
        for a, b in mention_offsets(doc):
            chars[a:b] = "#" * (b - a)
        masked = doc.user_data["duban_masked"] = "".join(chars)
    return masked


def mention_offsets(doc) -> list[tuple[int, int]]:
    """(start, end) of every 文号 mention the doc_number component found."""
    return [(s.start_char, s.end_char) for s in doc.spans["doc_numbers"]] if "doc_numbers" in doc.spans else []


def doc_year(doc) -> int | None:
    """The year partial dates resolve against, as the signed_date component settled it (an attribute
    of its span group ``doc.spans["signed_date"]``)."""
    group = doc.spans.get("signed_date")
    return group.attrs.get("year") if group is not None else None


def section_of(doc, offset: int) -> str | None:
    st = doc._.structure
    ln = st.norm.line_at(offset)
    if ln is None:
        return None
    return st.section_path(ln.index) or None


# clause boundaries inside a sentence (outside brackets and quotes)
CLAUSE_PUNCT = "，,；;：:。！？!?"
OPENERS, CLOSERS = "（(“‘《「【〔[", "）)”’》」】〕]"


def split_clauses(text: str, base: int = 0, punct: str = CLAUSE_PUNCT) -> list[tuple[int, int]]:
    """(start, end) of each clause, splitting at ``punct`` outside brackets and quotes; a colon
    between digits is a clock time (8:30前报送), no clause boundary."""
    out, depth, s = [], 0, 0
    for i, c in enumerate(text):
        if c in OPENERS:
            depth += 1
        elif c in CLOSERS:
            depth = max(0, depth - 1)
        elif c in ":：" and 0 < i < len(text) - 1 and text[i - 1].isdigit() and text[i + 1].isdigit():
            continue
        elif c in punct and depth == 0:
            if i > s:
                out.append((base + s, base + i))
            s = i + 1
    if s < len(text):
        out.append((base + s, base + len(text)))
    return out


@lru_cache(maxsize=1)
def title_end_re():
    return re.compile(rf"(?:{alternation('job_titles.txt')})$")


def is_name(s: str, loose: bool = False) -> bool:
    """A Chinese personal name (pipeline.text.names does the work: surnames, given-name length,
    post and org endings, jieba's everyday words). ``loose`` (inside a roster list, where the layout
    already says "a name here") accepts a surname the lexicon lacks."""
    return names.is_name(s, loose=loose)


def split_title_name(item: str) -> tuple[str | None, str | None]:
    """'管委会主任魏修国' → ('管委会主任', '魏修国'); '傅裕' → (None, '傅裕'); a position only → (item, None)."""
    item = re.sub(r"\s+", "", item).strip("，,、；;。")
    item = re.sub(r"同志$", "", item)
    if not item:
        return None, None
    if len(item) <= 4 and is_name(item):
        return None, item
    for n in (3, 2, 4):
        if len(item) > n:
            name, title = item[-n:], item[:-n]
            if is_name(name) and title_end_re().search(title):
                return title, name
    around = names.split_around(item, title_end_re())   # 区财政局王某某副局长: the post after the name
    if around:
        return around
    return item, None


def strip_name_spaces(s: str) -> str:
    return re.sub(r"\s+", "", s)


# what an actor phrase (who must act) ends with
ACTOR_END = re.compile(rf"(?:{alternation('actor_endings.txt')})$")


@lru_cache(maxsize=1)
def verb_re():
    return re.compile(alternation("duty_verbs.txt"))


# what may follow an actor phrase: a verb, a modal, a frequency, a comparator
# (the words in corpora/lexicons/after_actor.txt; the forms that need a pattern here)
AFTER_ACTOR = re.compile(rf"^(?:{alternation('after_actor.txt')}|半月一|一[日天周月季年]一|\d+(?:\.\d+)?[%％]|各(?=[\u4e00-\u9fff]))")
# what an actor phrase never contains: a frequency or a comparator or a number
NOT_IN_ACTOR = re.compile(r"每(?:天|日|周|星期|个?月|季|半年|个?学期|学年|年)|至少|不少于|不低于|不超过|全年|年内|本年度|当年度|\d|"
                          r"[一两二三四五六七八九十百]+(?:个|名|次|篇|项|家|所|天|户|人|节|场)")


# what ends the search for an actor phrase; a bracketed tail the actor word may carry; what an
# actor phrase never opens with
ACTOR_STOP = re.compile(r"[，,。；;：:“”《》]")
TRAILING_PAREN = re.compile(r"[（(][^（）()]*[）)]$")
NOT_ACTOR_START = re.compile(r"^(?:要|应|须|需|并|对|在|按|于|以|将|把|从|为|与|到|向|和|同|跟|给|就|由|确保|坚持|严格|全面|"
                             r"依托|围绕|通过|利用|结合|按照|根据|针对|聚焦|立足|"
                             r"加强|进一步|认真|督促|指导|推动|引导|鼓励|要求|支持|组织)")
# an outline label opening a clause: （2）, 2., 二、, （二）, ②
LEADING_LABEL = re.compile(r"^(?:[（(][0-9一二三四五六七八九十]+[）)]|[0-9]+[.、．](?!\d)|[一二三四五六七八九十]+、|[①-⑳]|"
                           r"[一二三四五六七八九十]是(?=[\u4e00-\u9fff]))")   # also 一是…二是…


# "each" + a measure word opening a clause: 每个改造小区, 每门专业课程, 每名派驻医师
EACH_START = re.compile(r"^每(?:个|名|位|所|门|家|户|支|条|座)[\u4e00-\u9fff]")
# "every" + a one-character body, with no measure word: 每班每月开展…, 每车配备…, 每村组织…
EACH_BODY = re.compile(r"^每(?:班|车|村|校|组|队|镇|乡|站)$")
# a body's name may hold a verb (区检测中心, 环境监测站, 综合执法大队): it still acts
ORG_TAIL = re.compile(r"(?:中心|局|站|所|委|办|院|大队|队|公司|部门|单位|处|科)$")
# "every" + a body: 各片, 各网格, 各学习试点 (who acts, whatever the noun ends with); not 各项, 各类…
GE_START = re.compile(r"^各(?!项|类|种|方面|环节|阶段|个|自|有关|地区?的)[\u4e00-\u9fff]{1,7}$")


def is_actor_phrase(clause: str) -> bool:
    """``leading_actor(clause) == clause.strip()``: the whole clause names who acts. The whole
    clause must end like an actor for that, which most clauses do not: checked first."""
    clause = clause.strip()
    if not ACTOR_END.search(TRAILING_PAREN.sub("", clause)):
        return False
    return leading_actor(clause) == clause


# a frequency word right after a noun phrase: the phrase is who acts that often
FREQ_AFTER = re.compile(r"每(?:天|日|周|星期|个?月|个?季度?|半年|个?学期|学年|年)")


def leading_actor(clause: str, max_len: int = 16) -> str | None:
    """The noun phrase a clause opens with when it names who acts: '领导小组各成员单位通过…' →
    '领导小组各成员单位'; '理论学习中心组集中学习…' → '理论学习中心组'. The phrase must end like an
    actor (ACTOR_END) and be followed by a verb, a modal or a frequency (AFTER_ACTOR)."""
    clause = LEADING_LABEL.sub("", clause.strip())
    verb = verb_re()
    if verb.match(clause):
        return None
    best = None
    for k in range(2, min(len(clause), max_len) + 1):
        if ACTOR_STOP.search(clause, 0, k) or NOT_IN_ACTOR.search(clause, 0, k):
            break
        prefix = clause[:k]
        ends_like = ACTOR_END.search(TRAILING_PAREN.sub("", prefix)) or (k >= 4 and EACH_START.match(prefix)) \
            or EACH_BODY.match(prefix)
        each_body = not ends_like and best is None and GE_START.match(prefix)   # 各片区, not 各片区分别于
        if not (ends_like or each_body):
            continue   # 各村（社区）; 每个改造小区, 各片: "each X" names who acts whatever X ends with
        if verb.search(prefix):
            # 理论学习中心组集中学习… is an actor; 实地调研企业不少于1天 is a verb and its object;
            # 每个改造小区明确…, 各学习试点也要… are actors though 改造, 学习 are verbs
            if verb.match(clause, k) or FREQ_AFTER.match(clause, k) \
                    or ((EACH_START.match(prefix) or each_body or ORG_TAIL.search(prefix)) and AFTER_ACTOR.match(clause[k:])):
                # …or a frequency right after it: 理论学习中心组每月…, 校院两级督导每学期…
                best = prefix
        elif k == len(clause) or AFTER_ACTOR.match(clause[k:]) or verb.match(clause, k):   # (^ needs the slice)
            best = prefix
    if best and NOT_ACTOR_START.match(best):
        return None
    return best
