"""Deadlines: explicit calendar dates by which something must be done.

Patterns (on the text with 文号 masked, through the shared date resolver):
- ``…前``        "于2022年1月4日前报领导小组办公室", "12月底前", "年底前完成";
- ``截至…``       "截至2022年9月30日";
- ``DUE_VERB``   "于2023年10月31日完成" — a date, then 完成/报送/上报…;
- ``TARGET_YEAR`` "到2025年，…" — a target year, due at its end.
- a date at the head of a schedule line with its verb: "11月3日 上报…"; dates listed before one 前.
The task is what must be done, from the clause (``_task``, ``_heading_task``): never a time phrase, a
function word, the actor alone, "此项工作" (the heading it points to instead) or a heading cut at its bracket.
Not deadlines: a stage heading's window (a phase's end), a date well before the document's year
(a description: "1990年之前建成的房屋"), a recurring date ("每月5日前报送" is a monthly duty), a date whose year is
unknown (a news report's "8月2日"), the 成文日期, a date in a title or a 文号.
"""
from __future__ import annotations

import re

from spacy.language import Language

from extractors.common import (add_entry, doc_text, doc_year, leading_actor, masked_text, register, split_clauses,
                               table_rows)
from pipeline.text.dates import find_times

# a date followed by what is due then
DUE_VERB = re.compile(r"\s*(?:汇总|统一|集中|全部|基本)?(?:完成|报送|上报|报|提交|办结|到位|建成|结束|落实到位)")
# a date introduced as a target: 到2025年 / 至2025年底
TARGET_YEAR = re.compile(r"(?:到|至|力争到|力争)\s*$")
# a recurring date: 每月5日前 / 每季度末前
RECURRING = re.compile(r"每(?:个)?(?:年|月|季度?|周|半年)[^，。；]{0,2}$")
# a prefix that makes a date the start of a task ("于…" / "在…") — kept in the evidence only
PARTS = ("body", "plan_body", "attachment")


# what is no task: a bare function word, a pronoun for "the work", a time phrase's leftovers
NOT_TASK = re.compile(r"^(?:到|至|于|在|前|之前|以前|底前|完成|将|要|应|并|此项工作|该项工作|这项工作|上述工作|相关工作|"
                      r"各项工作|此项任务|前述工作)$")
# what opens the rest of a clause after its time and is no part of the task
TASK_LEAD = re.compile(r"^[\s，,：:、]*(?:之前|以前|底前|前|止)?[\s，,：:、]*(?:要|应|须|需|必须|务必)?\s*")
# a task opening with its verb ("报领导小组办公室", "报送…"): not an actor, whatever it ends with
TASK_VERB = re.compile(r"^(?:将|把|报|上报|报送|呈报|提交|完成|汇总|组织|开展|建立|建成|制定|形成|落实|召开|举办|启动|印发)")
# an actor's modal: 各单位要… → …
ACTOR_MODAL = re.compile(r"^(?:要|应|须|需|必须|务必|应当|负责|统一|分别)+")
# a stage heading's window: the date is the stage's end (a phase), not a deadline of its own
STAGE_WINDOW = re.compile(r"(?:阶段|期)\s*[（(：:]\s*(?:截至|截止|至|到)?\s*$")


def _good_task(t: str | None) -> bool:
    if not t or len(t) < 2 or NOT_TASK.match(t):
        return False
    if re.search(r"[（(][^）)]*$", t):                      # a heading cut at its bracket
        return False
    if not re.search(r"[\u4e00-\u9fff]{2}", t) or find_times(t) and _only_time(t):
        return False
    return bool(TASK_VERB.match(t)) or leading_actor(t) != t.rstrip("，,。；;")   # not the actor alone


def _only_time(t: str) -> bool:
    """True when ``t`` is a time phrase and little else ("2019年6月底前")."""
    rest = t
    for sp in sorted(find_times(t, 2000), key=lambda x: -x.begin):
        rest = rest[:sp.begin] + rest[sp.finish:]
    return len(re.sub(r"[\s，,。；;：:、（）()前后底止起]", "", rest)) < 2


def _strip_actor(t: str) -> str:
    """A clause without the actor it opens with: "各区属国企要全面摸底排查" → "全面摸底排查"."""
    act = None if TASK_VERB.match(t) else leading_actor(t)
    if act and len(act) < len(t):
        rest = ACTOR_MODAL.sub("", t[len(act):].lstrip("，, "))
        if len(rest) >= 2:
            return rest
    return t


def _task(text: str, clauses: list[tuple[int, int]], clause: tuple[int, int], t_begin: int, t_end: int) -> str | None:
    """What must be done by the date: the rest of its clause after the time, else the next clauses of the
    sentence (past one naming only the actor), else the words before the time (a heading's name before its
    bracketed date) — never a time phrase, a function word, the actor alone or a cut heading."""
    from extractors.common import LEADING_LABEL

    a, b = clause
    # a time may run past its clause's end ("17:00前" splits at the colon): the task starts after the time
    b = next((c1 for c0, c1 in clauses if c0 <= t_end - 1 < c1), b) if t_end > b else b
    cands = [_leading_times(text[t_end:b]).strip(" ，,：:。；;")]
    later = [c for c in clauses if c[0] >= b]
    for c0, c1 in later[:3]:
        cands.append(text[c0:c1].strip(" ，,：:。；;"))
    before = text[a:t_begin]
    before = re.sub(r"[（(]\s*(?:截至|截止|至|到)?\s*$", "", before)                 # "完成整改（" → "完成整改"
    before = re.sub(r"(?:要|应|须|需|必须|务必)?(?:于|在|到|至|截至|截止|力争到|力争)\s*$", "", before.strip())
    cands.append(LEADING_LABEL.sub("", before.strip()).strip(" ，,：:"))
    for t in cands:
        t = _strip_actor(re.sub(r"[）)]+$", "", t) if t.count("（") + t.count("(") < t.count("）") + t.count(")") else t)
        if _good_task(t):
            return t
    return None


# a line that only labels the time of the item above it: "完成时限：6月25日前"
TIME_LABEL = re.compile(r"(?:完成|办结|截止|报送|上报)?(?:时限|时间|期限|时间节点|时间要求|时限要求)\s*[:：]?\s*$")


# "…前完成此项工作": the work the heading names
PRONOUN_TASK = re.compile(r"\s*(?:之前|以前|前)?\s*[，,]?\s*(?:全面|全部)?(?:完成|做好)?(?:此项|该项|这项|上述)(?:工作|任务)")

PRONOUN_BEFORE = re.compile(r"(?:此项|该项|这项|上述)(?:工作|任务)(?:需|要|应|须|必须|务必)?(?:于|在)?\s*$")


def _heading_task(st, line_index: int, text: str, t_begin: int, t_end: int, line_start: int) -> str | None:
    """For "完成时限：6月25日前" (or "…前完成此项工作") under a task heading, the heading is the task
    ("（一）开展宣传活动")."""
    if not (TIME_LABEL.search(text[line_start:t_begin]) or PRONOUN_TASK.match(text, t_end)
            or PRONOUN_BEFORE.search(text[max(line_start, t_begin - 14):t_begin])):
        return None
    for h in reversed(st.section[line_index]):
        title = st.headings[h].title.strip(" ：:。") if h in st.headings else ""
        if _good_task(title) and not TIME_LABEL.search(title):
            return title
    return None


def _leading_times(t: str) -> str:
    """``t`` without the times (and list joiners) it opens with: "、11月25日前报送…" → "报送…"."""
    while True:
        u = TASK_LEAD.sub("", t.lstrip("、和及或 ")).strip()
        sp = find_times(u, 2000)
        if sp and sp[0].begin == 0:
            t = u[sp[0].finish:]
            continue
        return u


def _past_description(t, year) -> bool:
    """A date well before the document's year ("1990年之前建成的房屋") describes, it is due for nothing."""
    return year is not None and t.end is not None and t.end.year < year - 1


def _stage_window(text: str, line_start: int, begin: int) -> bool:
    """The date is in a stage heading's window ("1.准备阶段（至3月25日）"): the stage's end, a phase."""
    return bool(STAGE_WINDOW.search(text[line_start:begin]))


@Language.factory("duban_deadlines", default_config={"parts": list(PARTS)},
                  requires=["doc._.structure", "span._.signed_date"], assigns=["doc.spans", "span._.deadline"])
def make_deadlines(nlp, name, parts: list[str]):
    """spans "deadlines": each due date, {date, task, actor, time_text, section} in the list ``span._.deadline`` (entries found at one place share its span).
    ``parts``: the parts of the notice (pipeline.extraction.structure) whose sentences are read."""
    register("deadline")
    return lambda doc: deadlines(doc, tuple(parts))


def deadlines(doc, parts=PARTS):
    st = doc._.structure
    year = doc_year(doc)
    text, masked = doc_text(doc), masked_text(doc)
    seen, dated = set(), set()
    for s0, s1 in st.sentences:
        ln = st.norm.line_at(s0)
        if ln is None or st.parts[ln.index] not in parts:
            continue
        clauses = None   # cut when the sentence holds a deadline
        actor = None
        for t in find_times(masked[s0:s1], year, today=st.signed_date):
            begin, end = s0 + t.begin, s0 + t.finish
            if t.end is None:
                continue
            due = t.before
            if not due and t.start == t.end and DUE_VERB.match(text, end):
                due = True
            if not due and TARGET_YEAR.search(text[max(s0, begin - 4):begin]) and re.fullmatch(r"\s*(?:19|20)\d{2}\s*年(?:底|末)?", t.text):
                due = True
            if not due or RECURRING.search(text[max(s0, begin - 6):begin]):
                continue
            if _past_description(t, year) or _stage_window(text, ln.start, begin):
                continue
            if not t.year_given and year is None:
                continue
            if clauses is None:
                clauses = split_clauses(text[s0:s1], s0)
            clause = next(((a, b) for a, b in clauses if a <= begin < b + 1), (s0, s1))
            if actor is None:
                actor = leading_actor(text[clauses[0][0]:clauses[0][1]].strip()) if clauses else None
            key = (t.end, clause)
            if key in seen:
                continue
            seen.add(key)
            task = _heading_task(st, ln.index, text, begin, end, ln.start) or _task(text, clauses, clause, begin, end)
            dated.add(ln.index)
            add_entry(doc, "deadlines", begin, end, "DEADLINE", "deadline",
                      {"date": t.end.isoformat(), "task": task, "actor": actor,
                       "time_text": t.text, "section": st.section_path(ln.index) or None})
    _table_deadlines(doc, st, year, parts, dated)
    return doc


# a table column that holds each row's due date: 完成时限, 完成时间, 时间节点, 截止日期
TIME_COLUMN = re.compile(r"^(?:完成|办结|截止|落实)?(?:时限|时间|日期|期限)$|^时间节点$")


def _table_deadlines(doc, st, year, parts, dated: set) -> None:
    """A task table's rows (分工表, 任务清单: task | 牵头单位 | 责任人 | 完成时限), real or flattened to
    lines: the date in the time column is the row's deadline, its task the task column."""
    text = doc_text(doc)
    for ln, raw, cells, when, task_i in table_rows(st, parts, TIME_COLUMN):
        if ln.index in dated:
            continue
        times = [t for t in find_times(cells[when], year, today=st.signed_date) if t.end]
        if len(times) != 1 or (not times[0].year_given and year is None):
            continue
        t = times[0]
        if t.start is not None and t.start != t.end and not t.before:
            continue   # a window (阶段 | 时间 | 主要工作): a schedule's stage, not a due date
        at = text.find(raw[when], ln.start, ln.end)
        begin = at if at >= 0 else ln.start
        add_entry(doc, "deadlines", begin, begin + len(raw[when]) if at >= 0 else ln.end, "DEADLINE", "deadline",
                  {"date": t.end.isoformat(), "task": cells[task_i] if task_i is not None else None, "actor": None,
                   "time_text": t.text, "section": st.section_path(ln.index) or None})
