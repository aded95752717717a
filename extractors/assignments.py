"""分工 (assignments): who is responsible for what, one entry per person named with duties.

Pattern ``DUTY_VERB`` (负责/统筹/分管/牵头/具体抓好…) marks where a person's duties start; the
words before it, back to the clause start, must be [title] NAME(、NAME…)[同志] — a name needs
同志 or a job title in front (副县长李某某负责…), so "企业负责…" is nobody; a bare name counts
when the notice's roster lists that person, or when the sentence gives two or more people their
duties that way ("卢秀英负责…；蔡军负责…；潘婷负责…"). The duty text keeps
its verb ("负责发展部和综合部工作") and runs to the next person or the end of the sentence.
"""
from __future__ import annotations

import re

from spacy.language import Language

from extractors.assignment_lists import colon_lines, labelled, tabled
from extractors.common import add_entry, doc_text, is_name, register, split_clauses, split_title_name, values

# the verbs that open a person's duties
DUTY_VERB = re.compile(r"总牵头|牵头|负责|统筹|分管|主抓|主持|协助|具体抓好|具体负责|主管")
# where the words naming the person begin
CLAUSE_START = re.compile(r"[，,；;。：:\n\t（(]")


def _person(segment: str, bare_ok=lambda names: False):
    """'党组成员、管委会副主任傅裕同志' → ('党组成员、管委会副主任', ['傅裕']); None if no person.
    A bare name (no title, no 同志) is a person only when ``bare_ok(names)`` says so."""
    segment = re.sub(r"^由", "", segment)   # 由王某同志负责…
    comrade = segment.endswith("同志")
    segment = segment[:-2] if comrade else segment
    items = [i for i in segment.split("、") if i]
    names, title_parts = [], []
    for item in items:
        title, name = split_title_name(item)
        if name:
            names.append(name)
            if title:
                title_parts.append(title)
        elif not names:
            title_parts.append(item)
        else:
            return None
    if not names or not (comrade or title_parts or bare_ok(names)):
        return None
    return ("、".join(title_parts) or None), names


def _duties(text: str, start: int, stop: int) -> list[str]:
    return [text[start + a: start + b].strip() for a, b in split_clauses(text[start:stop], 0, "，,；;。")
            if text[start + a: start + b].strip()]


def _listed_duties(doc, st, text, people: dict) -> None:
    """分工 printed as labels in task lists (负责人：王某), as a table's 负责人 column (each person gets
    the item's task as a duty) and as lines '王某同志：主持…，分管…' (merged into ``people``); a person
    first named there gets a span of their own."""
    listed = [(s0, s1, title, name, [task]) for s0, s1, title, name, task in labelled(st, text) + tabled(st)]
    for start, stop, title, name, tasks in listed + colon_lines(st):
        entry = people.get(name)
        if entry is None:
            entry = people[name] = {"name": name, "title": title, "duties": []}
            add_entry(doc, "assignments", start, stop, "ASSIGNMENT", "people", entry)
        entry["duties"].extend(t for t in tasks if t not in entry["duties"])


@Language.factory("duban_assignments", default_config={"parts": ["body", "plan_body", "attachment"], "max_person_chars": 40},
                  requires=["doc._.structure", "span._.roster"], assigns=["doc.spans", "span._.people"])
def make_assignments(nlp, name, parts: list[str], max_person_chars: int):
    """spans "assignments": from each person named to the end of their duties; the people first
    named there, {name, title, duties}, in ``span._.people`` (a person's later duties join their entry).
    ``parts``: the parts of the notice read; ``max_person_chars``: the longest title-and-names run
    before a duty verb."""
    register("people")
    return lambda doc: assignments(doc, tuple(parts), max_person_chars)


def assignments(doc, parts=("body", "plan_body", "attachment"), max_person_chars=40):
    st = doc._.structure
    text = doc_text(doc)
    hits, bare = [], []
    listed = {m["name"] for found in values(doc, "rosters", "roster") for r in found for m in r["members"] if m.get("name")}
    for m in DUTY_VERB.finditer(text):
        ln = st.norm.line_at(m.start())
        if ln is None or st.parts[ln.index] not in parts:
            continue
        starts = [c.end() for c in CLAUSE_START.finditer(text, ln.start, m.start())]
        seg_start = starts[-1] if starts else ln.start
        segment = text[seg_start:m.start()].strip()
        if not segment or len(segment) > max_person_chars:
            continue
        person = _person(segment, lambda names: all(n in listed for n in names))
        if person:
            hits.append((seg_start, m.start(), person))
        elif (person := _person(segment, lambda names: all(is_name(n) for n in names))):
            bare.append((seg_start, m.start(), person))
    # bare names: only where a sentence assigns duties to two or more of them
    per_sentence: dict = {}
    for h in bare:
        per_sentence.setdefault(st.sentence_at(h[1]), []).append(h)
    hits = sorted(hits + [h for hs in per_sentence.values() if len(hs) >= 2 for h in hs])
    people: dict[str, dict] = {}
    for i, (seg_start, verb_at, (title, names)) in enumerate(hits):
        s0, s1 = st.sentence_at(verb_at)
        stop = s1
        if i + 1 < len(hits) and hits[i + 1][0] < s1:
            stop = hits[i + 1][0]
        duties = _duties(text, verb_at, stop)
        if not duties:
            continue
        for name in names:
            if name not in people:
                people[name] = {"name": name, "title": title, "duties": []}
                add_entry(doc, "assignments", seg_start, stop, "ASSIGNMENT", "people", people[name])
            entry = people[name]
            entry["duties"].extend(d for d in duties if d not in entry["duties"])
    _listed_duties(doc, st, text, people)
    return doc
