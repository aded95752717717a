"""分工 given in lists and tables: who is responsible for which task, printed as a label.

Schedules, step lists and task lists name the person after a label at the end of each task —
"（一）设施修复方面。加快…。牵头单位联系人：县住建局王某 落实单位责任人：某公司李某 完成时限：…",
"1.制定工作方案。负责人：张某" — or in a table column headed 负责人/责任人 beside the task's column.
Each person named there (a name, with or without its unit before it) gets the task of the item as a
duty: the item's first sentence, without its outline label and the label words. A label followed by
no name (包片干部, 各村) gives nobody: a roster or a 分工 entry is a person.
"""
from __future__ import annotations

import re

from pipeline.text import names

from extractors.common import LEADING_LABEL, is_name, split_title_name, table_rows

# the label before the person: 负责人：, 落实单位责任人：, 牵头单位和责任单位联系人： (a bare 联系人 is
# whom to call, not who answers for the task)
PERSON_LABEL = re.compile(r"(?:(?:牵头|落实|责任|配合|主办|协办)?单位(?:和(?:牵头|落实|责任|配合)?单位)?联系人|"
                          r"(?:(?:牵头|落实|责任|配合|主办|协办)?单位(?:和(?:牵头|落实|责任|配合)?单位)?)?"
                          r"(?:具体)?(?:负责人|责任人|牵头人|责任领导|包保领导))\s*[:：]\s*")
# a contact line: the person's phone or mail follows
CONTACT = re.compile(r"^[^。；;]{0,24}?(?:联系)?(?:电话|手机|邮箱|传真)")
# what ends the people after a label: the end of the sentence or the next label
PEOPLE_END = re.compile(r"[。；;\n]|\s*(?:完成时限|完成时间|时间节点|时限|配合单位|落实单位|责任单位|牵头单位)\s*[:：]")
# an enumeration left open (…等): the units and people taking part in a task, not who answers for it
OPEN_LIST = re.compile(r"等[。；;，,\s]*$")
# a table column that holds the person, and one that holds the task
PERSON_COLUMN = re.compile(r"^(?:具体)?(?:负责人|责任人|责任领导|联系人|牵头人)(?:（[^）]*）)?$")


def person_of(item: str) -> tuple[str | None, str] | None:
    """(unit or title, name) from one item after a label: '王某', '县住建局王某', '某公司王某某'."""
    item = re.sub(r"\s+", "", item).strip("、，,：:").removesuffix("等").removesuffix("同志")
    if not item:
        return None
    if is_name(item):
        return None, item
    title, name = split_title_name(item)
    if name:
        return title, name
    bounds = names.word_bounds(item)
    for n in (3, 2):   # a unit (any words) and the name glued after it: 某某物业王某某
        if len(item) - n >= 2 and len(item) - n in bounds and is_name(item[-n:]) \
                and not re.search(r"[、，,]", item[:-n]) and not names._other_word(item[-n:]):
            return item[:-n], item[-n:]
    return None


def people_of(text: str) -> list[tuple[str | None, str]]:
    """Everyone in what follows a label, up to the next label: '区某局陈某、某所吴某及社区干部等'."""
    text = re.sub(PERSON_LABEL.pattern.replace(r"\s*[:：]\s*", "") + "$", "", text.strip())
    out = []
    for item in re.split(r"[、，,；;]|及|\s+", text):
        p = person_of(item)
        if p:
            out.append(p)
    return out


def task_of(line_text: str, upto: int, previous: str | None) -> str | None:
    """The task an item's labels belong to: its first sentence before the first label, without the
    outline label ('（一）设施修复方面。加快…' → '设施修复方面'); the line above when the label opens
    the line ('负责人：王某' under '2.制定工作方案。')."""
    head = line_text[:upto].strip()
    if not head and previous:
        head = previous.strip()
    head = LEADING_LABEL.sub("", head).strip()
    head = re.split(r"[。；;]", head)[0].strip(" ，,：:")
    head = re.sub(r"(?:(?:牵头|落实|责任|配合)?单位(?:和(?:牵头|落实|责任|配合)?单位)?)$", "", head).strip(" ，,")
    return head or None


def labelled(st, text: str, parts=("body", "plan_body", "attachment")):
    """(start, stop, title, name, task) for every person named after a label in a list item."""
    out = []
    for ln in st.lines:
        if st.parts[ln.index] not in parts or not PERSON_LABEL.search(ln.text):
            continue
        first = PERSON_LABEL.search(ln.text)
        previous = st.lines[ln.index - 1].text if ln.index > 0 else None
        task = task_of(ln.text, first.start(), previous)
        if not task:
            continue
        for m in PERSON_LABEL.finditer(ln.text):
            end = PEOPLE_END.search(ln.text, m.end())
            stop = end.start() if end else len(ln.text)
            nxt = PERSON_LABEL.search(ln.text, m.end())
            if nxt and nxt.start() < stop:
                stop = nxt.start()
            if CONTACT.match(ln.text, stop if stop < len(ln.text) else m.end()) or CONTACT.match(ln.text[m.end():]):
                continue   # 负责人：王某，联系电话：…: whom to call
            run = ln.text[m.end():stop]
            people = people_of(run)
            if len(people) >= 3 and OPEN_LIST.search(run):
                continue   # '甲局陈某、乙局林某、丙所吴某及社区干部等': the units taking part, no one's 分工
            for title, name in people:
                out.append((ln.start + m.start(), ln.start + stop, title, name, task))
    return out


# '张某同志：主持全面工作，分管…' / '副县长李某：负责…': a person, a colon, and the duties
NAMED_LINE = re.compile(r"^(?P<who>[^：:，,。；;、\s]{2,24}?)(?:同志)?\s*[:：]\s*(?P<rest>\S.*)$")
DUTY_OPENER = re.compile(r"^(?:主持|负责|分管|协助|联系|统筹|牵头|主抓|具体负责|负总责|全面负责)")


def colon_lines(st, parts=("body", "plan_body", "attachment")):
    """(start, stop, title, name, duties) for each line naming a person before a colon and their
    duties after it, the duties opening with a duty verb (主持/负责/分管…): a leaders' 分工 list."""
    out = []
    for ln in st.lines:
        if st.parts[ln.index] not in parts:
            continue
        text = LEADING_LABEL.sub("", ln.text.strip())
        m = NAMED_LINE.match(text)
        if not m or not DUTY_OPENER.match(m.group("rest")):
            continue
        title, name = split_title_name(m.group("who"))
        if not name or not is_name(name):
            continue
        duties = [d.strip(" ，,") for d in re.split(r"[；;。]", m.group("rest")) if d.strip(" ，,")]
        if duties:
            out.append((ln.start, ln.end, title, name, duties))
    return out


def tabled(st, parts=("body", "plan_body", "attachment")):
    """(start, stop, title, name, task) for every person in a table's 负责人 column, the task taken
    from the row's task column (or its longest cell). A table flattened to text lines (a 分工表 in a
    .txt or a web page) is read the same way, row by row under its header."""
    out = []
    for ln, raw, cells, who, task_i in table_rows(st, parts, PERSON_COLUMN):
        task = cells[task_i] if task_i is not None else max((c for i, c in enumerate(cells) if i != who), key=len, default="")
        if not task:
            continue
        for title, name in people_of(raw[who]):
            out.append((ln.start, ln.end, title, name, task))
    return out
