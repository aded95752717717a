"""Deadlines: explicit calendar dates by which something must be done.

Patterns (on the text with 文号 masked, through the shared date resolver):
- ``…前``        "于2022年1月4日前报领导小组办公室", "12月底前", "年底前完成";
- ``截至…``       "截至2022年9月30日";
- ``DUE_VERB``   "于2023年10月31日完成" — a date, then 完成/报送/上报…;
- ``TARGET_YEAR`` "到2025年，…" — a target year, due at its end.
Not deadlines: a recurring date ("每月5日前报送" is a monthly duty), a date whose year is
unknown (a news report's "8月2日"), the 成文日期, a date in a title or a 文号.
"""
from __future__ import annotations

import re

from spacy.language import Language

from extractors.common import add_value, doc_text, doc_year, leading_actor, masked_text, register, split_clauses
from pipeline.text.dates import find_times

# a date followed by what is due then
DUE_VERB = re.compile(r"^\s*(?:完成|报送|上报|报|提交|办结|到位|建成|结束|落实到位|全部完成|基本完成)")
# a date introduced as a target: 到2025年 / 至2025年底
TARGET_YEAR = re.compile(r"(?:到|至|力争到|力争)\s*$")
# a recurring date: 每月5日前 / 每季度末前
RECURRING = re.compile(r"每(?:个)?(?:年|月|季度?|周|半年)[^，。；]{0,2}$")
# a prefix that makes a date the start of a task ("于…" / "在…") — kept in the evidence only
PARTS = ("body", "plan_body", "attachment")


def _task(text: str, clause: tuple[int, int], t_begin: int, t_end: int) -> str:
    a, b = clause
    before = text[a:t_begin].strip()
    after = text[t_end:b].strip(" ，,：:")
    after = re.sub(r"^(?:前|之前|以前|完成|底前)", "", after).strip()
    if len(after) >= 2:
        return after
    return re.sub(r"(?:要|应|须|需|必须|务必)?(?:于|在)$", "", before).strip() or text[a:b].strip()


@Language.factory("duban_deadlines", default_config={"parts": list(PARTS)},
                  requires=["doc._.structure", "span._.signed_date"], assigns=["doc.spans", "span._.deadline"])
def make_deadlines(nlp, name, parts: list[str]):
    """spans "deadlines": each due date, {date, task, actor, time_text, section} in ``span._.deadline``.
    ``parts``: the parts of the notice (pipeline.extraction.structure) whose sentences are read."""
    register("deadline")
    return lambda doc: deadlines(doc, tuple(parts))


def deadlines(doc, parts=PARTS):
    st = doc._.structure
    year = doc_year(doc)
    text, masked = doc_text(doc), masked_text(doc)
    seen = set()
    for s0, s1 in st.sentences:
        ln = st.norm.line_at(s0)
        if ln is None or st.parts[ln.index] not in parts:
            continue
        clauses = None   # cut when the sentence holds a deadline
        actor = None
        for t in find_times(masked[s0:s1], year):
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
            add_value(doc, "deadlines", begin, end, "DEADLINE", "deadline",
                      {"date": t.end.isoformat(), "task": _task(text, clause, begin, end), "actor": actor,
                       "time_text": t.text, "section": st.section_path(ln.index) or None})
    return doc
