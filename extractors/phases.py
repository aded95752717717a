"""Phases: the stages of the plan with their time windows.

Where stages are written (patterns named below):
- ``WINDOW``       a heading with its window in brackets: "（一）建标阶段（2021年12月下旬—2022年1月上旬）",
                   "1. 开展交流研讨（7月中旬）。", "第一阶段：排查摸底（2022年4月—5月）";
- ``STEPS_TITLE``  the sub-headings of a steps section (实施步骤, 工作进度, 时间安排…) are stages even
                   without a bracket: their window is the first time the step's text names
                   ("…于2018年12月底前报送…" → end only), or none;
- ``PERIOD_TITLE`` a section such as 活动时间 (or a season's: 主汛期时间) whose text gives the plan's whole period
                   ("贯穿2021年全年工作").
- ``INLINE``       stages named in running text, each with its window: "坚持分步实施：基础夯实期
                   （2024—2025年），…；攻坚突破期（2026—2027年），…" (a name in 阶段, or in 期 when the
                   sentence names two or more such stages).
- ``INLINE_BARE``  the same with the window after 为/是/：: "第一阶段为3月16日至4月15日，…";
- a heading ending in 阶段 without a window ("（一）全面摸排阶段。6月20日前，…"): the first time of its text;
- ``_schedule_lines`` the lines of a schedule section (时间安排…, 检查时间和方式) giving one window each,
                   name first or date first, also as flattened table rows ("1 6月1日—10日 报名");
                   a line due on its date ("6月3日 上报…") is a deadline instead.
A stage without a year takes the steps section's own year and never starts before the stage above it
(``_resolve``); the period figures cover (统计时间) is no stage.
A heading whose bracket holds only a deadline ("（3月底前完成）") is a stage only under a steps
section or when its name ends in 阶段; elsewhere it is a task, and the date is a deadline.
"""
from __future__ import annotations

import re

from spacy.language import Language

from extractors.common import add_entry, doc_year, masked_text, register
from pipeline.text.dates import find_times

# a steps section's heading
STEPS_TITLE = re.compile(r"实施步骤|工作步骤|具体步骤|方法步骤|步骤安排|工作进度|进度安排|时间安排|时间节点|实施阶段|"
                         r"阶段安排|推进步骤|工作阶段|活动步骤|时间步骤|工作安排和步骤|实施计划|推进计划|阶段任务|日程安排")
# a section that states the whole period of the plan
PERIOD_TITLE = re.compile(r"^(?:活动|实施|工作|行动|整治|专项行动|集中整治|开展|[\u4e00-\u9fff]{0,4}期)?"
                          r"(?:时间|期限|时限|时间范围|实施期限)$")
# a bracketed window at the end of a heading's title (or after its colon)
WINDOW = re.compile(r"[（(](?P<t>[^（）()]{2,40})[）)]\s*(?:$|[:：](?=.))|[:：]\s*(?P<c>[^:：]{4,40})$")
STAGE_NAME = re.compile(r"阶段$")
# the period that figures cover (统计时间：2020年1月1日起至12月31日) is no stage of the work
REFERENCE_PERIOD = re.compile(r"^(?:统计|数据|填报数据|报表)(?:时间|时段|期间|区间|周期|范围)$")
# a stage named in running text with its window in brackets, after a clause boundary
INLINE = re.compile(r"(?<![^：:；;，,。\n])(?P<name>[\u4e00-\u9fff]{2,8}(?:阶段|期))[（(](?P<t>[^（）()]{4,30})[）)]")
# a stage named in running text with its window after 为/是/：: "第一阶段为3月16日至4月15日，重点…"
INLINE_BARE = re.compile(r"(?<![^：:；;，,。\n])(?P<name>[\u4e00-\u9fff]{2,8}阶段)\s*(?:为|是|[：:])\s*(?:从|自)?")
# the same with the stage's own name between: "第一阶段为企业自查阶段，3月1日至3月31日，…",
# "第三阶段是总结提升阶段，时间为8月16日至9月30日"
INLINE_NAMED = re.compile(r"(?<![^：:；;，,。\n])第[一二三四五六七八九十\d]{1,2}阶段\s*(?:为|是)\s*"
                          r"(?P<name>[\u4e00-\u9fff]{2,10}?阶段)\s*(?:[，,：:]\s*)?(?:(?:时间|时限)\s*(?:为|是|[：:])\s*)?(?:从|自)?")
# a window named after it: "4月12—19日为全街道统一灭鼠周", "9月为集中宣传月" (the name ends in 周/月/期/阶段)
WINDOW_FIRST = re.compile(r"\s*(?:为|是)(?P<name>[\u4e00-\u9fff“”]{2,12}?(?:周|月|期|阶段))(?=[，,。；;])")


# a line of a schedule: "报名时间：3月1日—10日", "1.资格审查：3月11日至15日", "3月20日 组织考试",
# "第一天（5月13日）：集合出发…" (the day's date in brackets after its name)
SCHEDULE_NAME_FIRST = re.compile(r"^\s*(?:[（(]?[0-9一二三四五六七八九十]{1,2}[）)、.．]\s*|\d{1,2}\s+)?"
                                 r"(?P<name>[\u4e00-\u9fff、“”]{2,16}?)\s*(?:[:：|｜\t]|\s+|[（(](?=[^（）()]{2,24}[）)]))\s*")
SCHEDULE_TIME_FIRST = re.compile(r"\s*[:：，,|｜\t]?\s*(?P<name>[\u4e00-\u9fff“”、]{2,24})")
# a table row's number before its date: "1  3月1日—10日  报名"
ROW_NUMBER = re.compile(r"^\s*\d{1,2}(?:\s+|[.、．]\s*|\s*[|｜\t]\s*)")
# a schedule line that is a submission due on its date (a deadline, not a stage)
SUBMISSION = re.compile(r"(?:上报|报送|提交|报)")
# a section whose heading says it gives times: 时间安排, 检查时间和方式, 活动时间
SCHEDULE_TITLE = re.compile(STEPS_TITLE.pattern + r"|时间|(?:学习|活动|培训|宣传|教育)安排")


EXPLICIT_YEAR = re.compile(r"(?:19|20)\d{2}|[〇○零一二三四五六七八九]{4}")


def _stage_heading(name: str, label: str) -> bool:
    """A heading that names a stage without a bracketed window ("（一）全面摸排阶段。6月20日前，…"):
    its window is the first time its text names."""
    return bool(STAGE_NAME.search(name) and len(name) <= 12)


def _context_year(st, masked: str, j: int, year):
    """The plan's year for a stage written without one ("第二阶段（8月至10月中旬）"): the first year the
    steps section's heading or its opening lines state ("自2023年8月起，分三个阶段"), else the document's."""
    if len(st.section[j]) < 2:
        return year
    p = st.section[j][-2]
    end = next((k for k in range(p + 1, len(st.lines)) if k in st.headings), j)
    a, b = st.lines[p].start, st.lines[end - 1].end if end > p else st.lines[p].end
    for t in find_times(masked[a:b], year):
        if EXPLICIT_YEAR.search(t.text) and (t.start or t.end):
            return (t.start or t.end).year
    return year


def _resolve(st, masked: str, a: int, b: int, j: int, year, out: list):
    """The times of a stage's window or text, in the plan's year context: the steps section's own
    year, and a stage without a year never starting before the stage above it (11月—12月, then 1月—2月)."""
    times = find_times(masked[a:b], year, today=st.signed_date)
    if not times or times[0].year_given:
        return times
    ctx = _context_year(st, masked, j, year)
    if ctx is not None and ctx != year:
        times = find_times(masked[a:b], ctx, today=st.signed_date)
    same = st.section[j][:-1]   # the stage above, in the same steps section
    prev = next((o for o in reversed(out) if (o[2] or o[3]) and st.section[o[0]][:-1] == same), None)
    first = times[0].start or times[0].end if times else None
    if ctx is not None and prev is not None and first is not None and first < (prev[2] or prev[3]):
        times = find_times(masked[a:b], ctx + 1, today=st.signed_date)
    return times


def _schedule_lines(st, masked: str, year, out: list) -> list[tuple]:
    """Stages given as the lines of a schedule section rather than as headings: "报名：3月1日—10日",
    "3月20日 组织考试", "检查时间：2022年5月-11月" (a window, or a single date, at the line's head)."""
    taken = {o[0] for o in out}
    found = []
    for k, ln in enumerate(st.lines):
        if k in st.headings or k in taken or not st.section[k] or st.parts[k] not in ("body", "plan_body", "attachment"):
            continue
        h = st.headings.get(st.section[k][-1])
        if h is None or not SCHEDULE_TITLE.search(h.title):
            continue
        text = masked[ln.start:ln.end]
        if len(find_times(text, year)) != 1:
            found += _window_clauses(st, text, k, year)
            continue   # a schedule line names one window; several dates make it prose (read clause by clause)
        m = SCHEDULE_NAME_FIRST.match(text)
        name, t = None, None
        if m:
            times = find_times(text[m.end():], year, today=st.signed_date)
            if times and times[0].begin == 0 and (times[0].start or times[0].end):
                name, t = m.group("name"), times[0]
        else:
            times = find_times(text, year, today=st.signed_date)
            lead = text[:times[0].begin] if times else ""
            if times and (not lead.strip() or ROW_NUMBER.fullmatch(lead)) and (times[0].start or times[0].end):
                n = SCHEDULE_TIME_FIRST.match(text, times[0].finish)
                if n:
                    name, t = n.group("name"), times[0]
        if t is not None and (t.before or t.start == t.end and SUBMISSION.match(name or "")):
            continue   # "6月3日前 上报…", "6月3日 报送…": a deadline of the schedule, not a stage
        if name and t and (t.year_given or year is not None):
            found.append((k, name, t.start, t.end, t.text))
    return found


def _window_clauses(st, text: str, k: int, year) -> list[tuple]:
    """A schedule section's prose, clause by clause: "上半年完成项目前期工作，三季度完成主体工程建设，11月底前
    全部完工" — each clause that opens with a window (not a due date: 11月底前 is a deadline) is a stage
    named by the rest of the clause. Two such clauses at least, else the line is no schedule."""
    out = []
    for clause in re.split(r"[，,；;。]", text):
        times = find_times(clause, year, today=st.signed_date)
        if len(times) != 1 or times[0].begin != 0 or times[0].before or not (times[0].start and times[0].end) \
                or times[0].start == times[0].end:
            continue
        name = clause[times[0].finish:].strip(" ：:")
        if 2 <= len(name) <= 20 and (times[0].year_given or year is not None):
            out.append((k, name, times[0].start, times[0].end, times[0].text))
    return out if len(out) >= 2 else []


def _heading_line_head(text: str, label: str) -> str:
    """A heading line up to its first 。 (the heading proper)."""
    rest = text[len(label):] if text.startswith(label) else text
    m = re.search(r"[。；;]", rest)
    return (rest[: m.start()] if m else rest).strip(" :：")


def _step_text(st, doc, line_index: int, limit: int = 400) -> tuple[int, int]:
    """The span of a step: its heading line and following lines up to the next heading."""
    ln = st.lines[line_index]
    end = ln.end
    for j in range(line_index + 1, len(st.lines)):
        if j in st.headings or st.parts[j] != st.parts[line_index]:
            break
        end = st.lines[j].end
        if end - ln.start > limit:
            break
    return ln.start, end


@Language.factory("duban_phases", default_config={"step_chars": 400},
                  requires=["doc._.structure", "span._.signed_date"], assigns=["doc.spans", "span._.phase"])
def make_phases(nlp, name, step_chars: int):
    """spans "phases": each stage (its heading line, or its name and window in running text), the
    entry in ``span._.phase``. ``step_chars``: how far a step's text is read for its window."""
    register("phase")
    return lambda doc: phases(doc, step_chars)


def phases(doc, step_chars: int = 400):
    st = doc._.structure
    year = doc_year(doc)
    masked = masked_text(doc)
    out = []
    for j, h in st.headings.items():
        if st.parts[j] not in ("body", "plan_body", "attachment"):
            continue
        ln = st.lines[j]
        parent = st.headings.get(st.section[j][-2]) if len(st.section[j]) >= 2 else None
        under_steps = bool(parent and STEPS_TITLE.search(parent.title))
        head = _heading_line_head(ln.text, h.label)
        head_start = ln.start + ln.text.find(head) if head else ln.start
        m = WINDOW.search(head)
        name, span = head, None
        if m:
            g = "t" if m.group("t") else "c"
            off = head_start + m.start(g)
            times = _resolve(st, masked, off, off + len(m.group(g)), j, year, out)
            if times:
                span = times[0]
                name = head[: m.start()].strip(" :：，,")
                if not name:   # 第一阶段（2022年5月—6月）：宣传发动 — the label, then the words after the window
                    after = head[m.end():].strip(" :：，,")
                    label = h.label.strip(" :：、.．") if h.label.startswith("第") else ""
                    after = after if len(after) <= 16 else ""
                    name = "：".join(x for x in (label, after) if x)
        is_stage = under_steps or STAGE_NAME.search(name) or h.label.startswith("第")
        if span is not None:
            if span.before and not is_stage or REFERENCE_PERIOD.match(name):
                continue   # a task with a deadline, or the period data cover: not a stage
            out.append((j, name, span.start, span.end, span.text))
            continue
        if under_steps or PERIOD_TITLE.match(head) or _stage_heading(name, h.label):
            a, b = _step_text(st, doc, j, step_chars)
            times = [t for t in _resolve(st, masked, a, b, j, year, out) if t.start or t.end]
            if (PERIOD_TITLE.match(head) or not under_steps) and not times:
                continue   # a period section or a stage heading elsewhere is a stage only with its time
            t = times[0] if times else None
            out.append((j, name, t.start if t else None, t.end if t else None, t.text if t else None))
    out += _schedule_lines(st, masked, year, out)
    for j, name, start, end, time_text in out:
        ln = st.lines[j]
        add_entry(doc, "phases", ln.start, ln.end, "PHASE", "phase",
                  {"name": name, "start": start.isoformat() if start else None,
                   "end": end.isoformat() if end else None, "time_text": time_text,
                   "section": st.section_path(j) or None})
    if not out:
        _inline_phases(doc, st, masked, year)
    _window_first(doc, st, masked, year, {(o[2], o[3]) for o in out})
    return doc


def _window_first(doc, st, masked: str, year, seen: set) -> None:
    """WINDOW_FIRST: a window in running text that the sentence then names as a stage of its own
    ("4月12—19日为统一灭鼠周"); a window already read as a stage is not read twice."""
    from extractors.common import doc_text, section_of

    text = doc_text(doc)
    for s0, s1 in st.sentences:
        ln = st.norm.line_at(s0)
        if ln is None or st.parts[ln.index] not in ("body", "plan_body", "attachment"):
            continue
        for t in find_times(masked[s0:s1], year, today=st.signed_date):
            if not (t.start and t.end) or t.before or (t.start, t.end) in seen:
                continue
            m = WINDOW_FIRST.match(text, s0 + t.finish, s1)
            if m:
                seen.add((t.start, t.end))
                add_entry(doc, "phases", s0 + t.begin, m.end(), "PHASE", "phase",
                          {"name": m.group("name"), "start": t.start.isoformat(), "end": t.end.isoformat(),
                           "time_text": t.text, "section": section_of(doc, s0 + t.begin)})


def _inline_phases(doc, st, masked: str, year) -> None:
    """INLINE: stages written one after another in a sentence, each with its window."""
    from extractors.common import doc_text, section_of

    text = doc_text(doc)
    for s0, s1 in st.sentences:
        ln = st.norm.line_at(s0)
        if ln is None or st.parts[ln.index] not in ("body", "plan_body"):
            continue
        found = []
        for m in INLINE.finditer(text, s0, s1):
            times = find_times(masked[m.start("t"): m.end("t")], year)
            if times and (times[0].start or times[0].end) and not times[0].before:
                found.append((m, times[0]))
        found += _bare_inline(text, masked, s0, s1, year)
        if not found or (len(found) < 2 and not all(m.group("name").endswith("阶段") for m, _ in found)):
            continue
        for m, t in found:
            add_entry(doc, "phases", m.start("name"), m.end(), "PHASE", "phase",
                      {"name": m.group("name"), "start": t.start.isoformat() if t.start else None,
                       "end": t.end.isoformat() if t.end else None, "time_text": t.text,
                       "section": section_of(doc, m.start())})


class _Bare:
    """An INLINE_BARE match with its window's end, shaped like an INLINE match for the records."""

    def __init__(self, m, end):
        self._m, self._end = m, end

    def group(self, g):
        return self._m.group(g)

    def start(self, g=0):
        return self._m.start(g)

    def end(self, g=0):
        return self._end if g == 0 else self._m.end(g)


def _bare_inline(text: str, masked: str, s0: int, s1: int, year) -> list:
    """INLINE_BARE: "第一阶段为3月16日至4月15日" — the window must follow the stage's name at once."""
    found = []
    named = [m for m in INLINE_NAMED.finditer(text, s0, s1)]
    for m in named:
        times = find_times(masked[m.end(): min(s1, m.end() + 40)], year)
        if times and times[0].begin == 0 and (times[0].start or times[0].end) and not times[0].before:
            found.append((_Bare(m, m.end() + times[0].finish), times[0]))
    for m in INLINE_BARE.finditer(text, s0, s1):
        if any(n.start() <= m.start() < n.end() for n in named):
            continue   # "第一阶段为企业自查阶段，…": read above with its own name
        times = find_times(masked[m.end(): min(s1, m.end() + 40)], year)
        if times and times[0].begin == 0 and (times[0].start or times[0].end) and not times[0].before:
            found.append((_Bare(m, m.end() + times[0].finish), times[0]))
    return found
