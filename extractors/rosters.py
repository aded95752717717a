"""Rosters: each leading group (领导小组, 工作专班, 指挥部, 委员会…) with its members in order.

Three shapes, all read on characters (roles such as 组长 and names such as 孟  磊 must not depend
on how jieba cut them):
- ``ROLE_LINE``  line lists: "组  长：王之成  党工委书记、管委会主任", then continuation lines
  "孟  磊  党工委委员、管委会副主任" that keep the last role; sub-headers ("（一）部门委员")
  inside the list keep it going. Table rows (cells role | name | title) are read the same way.
- ``INLINE_AS`` / ``INLINE_BY``  sentences: "魏修国、党组书记刘明同志任组长", "组长由代市长杜汇良担任",
  "以镇长李某为组长"; members named only by position ("各副市长") get name null.
- ``OFFICE_*``  the office: "领导小组下设办公室，由孟磊同志兼任办公室主任" / "办公室主任由…兼任",
  "办公室设在…".
Names lose their alignment spaces (孟  磊 → 孟磊); titles lose trailing punctuation and the
brackets when the whole title is bracketed (何洪明（市纪委） → 市纪委).
"""
from __future__ import annotations

import re
from functools import lru_cache

from spacy.language import Language

from pipeline.text.lexicons import load_words
from pipeline.extraction.structure import heading_of, heading_title

from pipeline.text import names

from extractors.common import CJK, add_span, add_entry, doc_text, evidence, is_name, register, split_title_name


@lru_cache(maxsize=1)
def _role_alt() -> str:
    roles = sorted(load_words("roster_roles.txt"), key=len, reverse=True)
    return "|".join(r"\s*".join(map(re.escape, r)) for r in roles)


@lru_cache(maxsize=1)
def _patterns():
    role = _role_alt()
    plain_role = "|".join(sorted(map(re.escape, load_words("roster_roles.txt")), key=len, reverse=True))
    lst = r"(?P<list>[^，,。；;：:\n]{2,120}?)"
    return {
        # 组  长：王之成  党工委书记 / 成员 周建（区财政局）
        "ROLE_LINE": re.compile(rf"^(?P<role>{role})(?:\s*[:：]\s*|\s+(?=[{CJK}]))(?P<rest>.*)$"),
        # 魏修国、党组书记刘明同志任组长 / 以镇长李某为组长 (INLINE_* edits: keep _inline_hints a necessary condition)
        "INLINE_AS": re.compile(rf"{lst}(?:等)?(?:同志)?(?:任|为|担任)(?P<role>{plain_role})(?![{CJK}]{{0,2}}(?:单位|部门|职责))"),
        # 组长由代市长杜汇良担任 / 成员由各部门主要负责同志组成
        "INLINE_BY": re.compile(rf"(?P<role>{plain_role})由{lst}(?:同志)?(?:担任|兼任|组成)"),
        # 由孟磊同志兼任办公室主任
        "OFFICE_BY": re.compile(r"由(?P<who>[^，,。；;由]{2,30}?)(?:同志)?(?:兼任|担任)(?P<role>办公室(?:常务副|副)?主任)"),
        # 办公室主任由生态环境部副部长赵英民兼任
        "OFFICE_HEAD": re.compile(r"(?P<role>办公室(?:常务副|副)?主任)由(?P<who>[^，,。；;]{2,60}?)(?:同志)?(?:兼任|担任)"),
        # 城建办主任孙立新兼任办公室主任 / 秦岭同志任办公室主任
        "OFFICE_AS": re.compile(r"(?:^|(?<=[，,；;。]))(?P<who>[^，,。；;由]{2,60}?)(?:同志)?(?:兼任|担任|任)(?P<role>办公室(?:常务副|副)?主任)"),
        # 领导小组下设办公室，…副主任由王某兼任，成员由李某、赵某组成 (in a sentence about the office)
        "OFFICE_POST": re.compile(r"(?:^|(?<=[，,；;。]))(?P<role>常务副主任|副主任|主任|成员)由(?P<who>[^，,。；;由]{2,60}?)(?:同志)?(?:兼任|担任|组成)"),
        # 办公室设在县教育局
        "OFFICE_AT": re.compile(r"办公室设在(?P<loc>[^，,。；;]{2,30})"),
    }


# where a group is named: 成立…领导小组 / …领导小组成员名单 / 对…委员会组成人员进行调整
GROUP_WORD = re.compile("(?:" + "|".join(map(re.escape, load_words("group_words.txt"))) + ")")   # in file order
GROUP_NAME = re.compile(rf"(?P<g>(?:“[^”\n]{{1,30}}”|[^，,。；;：:（()）\s]){{0,60}}?{GROUP_WORD.pattern})(?![{CJK}]{{0,1}}(?:办公室|成员单位))")
GROUP_LEAD = re.compile(r"^.*?(?:决定成立|研究成立|同意成立|成立|调整充实|充实调整|调整|充实|设立|组建|建立|对|现将)(?=.)")
PAREN_ONLY = re.compile(r"^[（(](?P<t>[^（）()]+)[）)]$")


def clean_title(t: str | None) -> str | None:
    if t is None:
        return None
    t = re.sub(r"\s+", "", t).strip("、，,；;。：: ")
    m = PAREN_ONLY.match(t)
    if m:
        t = m.group("t")
    t = re.sub(r"[（(]负责[^（）()]*[）)]$", "", t)   # 副局长（负责日常工作）: what the post does, not the post
    if t in ("兼", "兼任", "兼职"):
        return None   # 谢某（兼）: the post is held on top of another, no title
    return t or None


def clean_role(r: str) -> str:
    return re.sub(r"\s+", "", r)


def _group_from(text: str) -> str | None:
    best = None
    for m in GROUP_NAME.finditer(text):
        if re.match(r"(?:以下)?[简下]称", m.group("g")) or re.search(r"[简下]称[“\"]?$", text[max(0, m.start() - 4):m.start()]):
            continue   # （以下简称领导小组）: the abbreviation, not the name
        g = GROUP_LEAD.sub("", re.sub(r"^[（(]?[一二三四五六七八九十\d]+[)）、.．]\s*", "", m.group("g")))
        g = re.sub(r"^(?:经|由|在)?[^“”]*?(?:研究决定|决定)", "", g)
        g = re.sub(r"\s+(?![^“”]*”)", "", g)   # spaces outside quotes are layout
        g = re.sub(r"(?:成员名单|组成人员名单|人员名单|名单|组成人员)$", "", g)
        g = re.sub(r"^.*(?:为组长|为副组长|为成员|组成)的", "", g)   # 成立以某某为组长、…为成员的某某领导小组
        if g.startswith("“") and "”" not in g:
            g = g[1:]   # 成立“某某领导小组”: the quote opens before the name
        if len(g) >= 2 and not (best and GROUP_WORD.fullmatch(g) and best.endswith(g)):
            best = g   # …领导小组（下称领导小组），领导小组组长由…: the full name stands
    return best


def full_group(text: str, upto: int, g: str | None) -> str | None:
    """The full name of a group named bare (领导小组, 工作专班): the last name ending with it set up
    before ``upto`` ('成立某某工作领导小组（以下简称领导小组）'), else ``g`` itself."""
    if not g or not GROUP_WORD.fullmatch(g):
        return g
    full = None
    for line in text[:upto].splitlines():
        if g in line:
            f = _group_from(line)
            if f and f != g and f.endswith(g):
                full = f
    return full or g


# a heading that names a group of its own: （一）综合协调组 / 测评二组 / 城区专班 / 现场指挥部
SUBGROUP_END = re.compile(r"(?:组|专班|指挥部|委员会|小组)$")


def subgroup_heading(text: str) -> str | None:
    """A short heading line naming a sub-group ('（二）宣传报道组', '测评一组：') → its name, else None.
    Several groups in one notice each get their own roster under such headings."""
    t = re.sub(r"\s+", "", text).rstrip("：:")
    h = heading_of(t)
    name = heading_title(t, h[1]) if h else t
    name = re.sub(r"^[（(]?[一二三四五六七八九十\d]+[)）、.．]\s*", "", name)
    if 2 <= len(name) <= 20 and SUBGROUP_END.search(name) and not re.search(rf"[^{CJK}“”]", name) \
            and not re.search(r"成立|调整|设立|关于|名单|人员|成员|职责", name) and (h or text.rstrip().endswith(("：", ":")) or len(name) <= 8):
        return name
    return None


def _group_near(st, line_index: int, text: str) -> str | None:
    """The group a roster at ``line_index`` belongs to: the nearest line above naming one."""
    for j in range(line_index, max(-1, line_index - 8), -1):
        g = subgroup_heading(st.lines[j].text) if j < line_index else None
        g = g or _group_from(st.lines[j].text)
        if g:
            return full_group(text, st.lines[j].start, g)
    for a in st.attachments:
        if a.start <= line_index < a.end and a.title:
            return _group_from(a.title)
    return None


def parse_members(rest: str) -> list[tuple[str | None, str | None]]:
    """The (name, title) pairs in what follows a role: '王之成  党工委书记' / '周建（区财政局）、李娜（区卫健局）'."""
    rest = rest.strip()
    if not rest:
        return []
    if "、" in rest and re.search(r"[（(]", rest) and re.fullmatch(rf"(?:[{CJK}\s]{{2,8}}[（(][^（）()]+[）)]、?)+", rest):
        out = []
        for item in re.findall(rf"([{CJK}\s]{{2,8}})[（(]([^（）()]+)[）)]", rest):
            name = re.sub(r"\s+", "", item[0])
            out.append((name if is_name(name) else None, clean_title(item[1])))
        return out
    several = member_run(rest) or paired_run(rest)
    if several:
        return several
    named = _name_then_title(rest)
    if named:
        return [named]
    items = [i for i in re.split(r"[、，,]", rest) if i.strip()]
    if len(items) > 1 and all(is_name(re.sub(r"\s+", "", i)) for i in items):
        return [(re.sub(r"\s+", "", i), None) for i in items]
    glued = names.split_glued(rest)
    if glued:
        return [(glued[0], clean_title(glued[1]))]
    title, name = split_title_name(rest)
    return [(name, clean_title(title))]


def member_run(text: str) -> list[tuple[str | None, str | None]] | None:
    """Several members to a line: names separated by spaces (two-character names with their alignment
    space: '张 伟 李明辉 王 芳') or by 、, where a unit may stand as a member too ('驻局纪检组 陈某 李某').
    None unless it holds two names or more and nothing else than names and units (a name and its title
    is one member, read elsewhere)."""
    text = text.strip().rstrip("、，,")
    if not text or re.search(r"[（()）：:。；;]", text):
        return None
    out = []
    for item in (i for i in re.split(r"[、，,]", text) if i.strip()):
        whole = re.sub(r"\s+", "", item)
        if is_name(whole, loose=True) and len(item.split()) <= 3 and all(len(t) == 1 for t in item.split()) \
                or " " not in item.strip() and is_name(whole, loose=True):
            out.append((whole, None))
            continue
        items = names.run_items(item)
        if not items or not all(kind == "name" or names.looks_like_unit(x) for kind, x in items):
            return None
        out.extend((x, None) if kind == "name" else (None, x) for kind, x in items)
    return out if sum(1 for n, _ in out if n) >= 2 else None


def paired_run(text: str) -> list[tuple[str, str]] | None:
    """Several members to a line, each with a title: '许  兰  副校长      蒋立新  副校长',
    '汪  涛  综合办主任、潘世雄  安全管理处处长'. Words alternate name, title(s): a name is a word
    (or two or three single characters, a name spread by alignment spaces) that reads as a name; a
    title runs until the next name. None unless two members or more, each with a title."""
    text = text.strip()
    if not text or re.search(r"[（()）：:。；;，,]", text):
        return None
    parts = re.findall(r"[^\s、]+|[\s、]+", text)
    words = [(w, parts[k - 1] if k else "") for k, w in enumerate(parts) if not re.fullmatch(r"[\s、]+", w)]
    out: list[list] = []
    i = 0
    while i < len(words):
        name = None
        for k in (3, 2):
            run = [w for w, _ in words[i:i + k]]
            if len(run) == k and all(len(w) == 1 for w in run) and is_name("".join(run)):
                name, step = "".join(run), k
                break
        if name is None and (not out or out[-1][1]) and is_name(words[i][0]) and len(words[i][0]) <= 4:
            name, step = words[i][0], 1
        if name is not None and (not out or out[-1][1]):
            out.append([name, ""])
            i += step
            continue
        if not out:
            return None
        w, sep = words[i]
        out[-1][1] += ("、" if "、" in sep and out[-1][1] else "") + w
        i += 1
    if len(out) < 2 or not all(t for _, t in out):
        return None
    return [(n, clean_title(t)) for n, t in out]


# a sub-group's head printed as 负责人 (测评一组 / 负责人：王某 / 成员：…): a role only inside a roster
GROUP_HEAD_LINE = re.compile(r"^(?P<role>负\s*责\s*人)\s*[:：]\s*(?P<rest>\S.*)$")
# where a roster starts inside a flattened line: '…现将名单公布如下：组长：王某…'
ROSTER_START = re.compile(r"(?:如下|名单|组成人员|成员)[:：]\s*")


def role_line(line: str, in_roster: bool):
    """The role line in ``line`` (groups ``role`` and ``rest``), else None: a line opening with a role
    (组长：…), a flattened line where the roster starts after '…如下：', or, inside a roster or
    under a sub-group heading, a 负责人 line."""
    pats = _patterns()
    m = pats["ROLE_LINE"].match(line)
    if m:
        return m
    for s in ROSTER_START.finditer(line):
        m = pats["ROLE_LINE"].match(line[s.end():])
        if m and re.match(r"\s*[:：]", line[s.end() + len(m.group("role")):]):
            return m
    return GROUP_HEAD_LINE.match(line) if in_roster else None


def headed_roster(line: str) -> tuple[str, str, str, int] | None:
    """A sub-group's heading with its head on the same line: '（一）山门片区专班。专班长：汪涛；负责…' →
    (group, role, who, offset of who); the duties after ；/。 are no member. None for anything else."""
    h = heading_of(line)
    if not h:
        return None
    m = re.match(r"^(?P<head>[^。：:；;]{2,30})[。：:]\s*", line)
    if not m or not subgroup_heading(m.group("head")):
        return None
    r = _patterns()["ROLE_LINE"].match(line[m.end():])
    if not r or not re.match(r"\s*[:：]", line[m.end() + len(r.group("role")):]):
        return None
    who = re.split(r"[；;。，,]", r.group("rest"))[0]
    if not who.strip():
        return None
    return subgroup_heading(m.group("head")), clean_role(r.group("role")), who, m.end() + r.start("rest")


def role_segments(role_re, role: str, rest: str) -> list[tuple[str, str]]:
    """Roster lines run together on a flattened page: '王某 管委会主任第一副组长：许某 …成员：…' →
    one (role, text) per role label followed by a colon."""
    out, at = [], 0
    for m in re.finditer(rf"(?:{role_re})\s*[:：]", rest):
        if m.start() == 0:
            continue
        out.append((role, rest[at:m.start()]))
        role, at = clean_role(re.sub(r"\s*[:：]$", "", m.group(0))), m.end()
    out.append((role, rest[at:]))
    return out


def continuation_members(line: str) -> list[tuple[str | None, str | None]] | None:
    """A line that goes on with the roster under the last role: '孟  磊  党工委委员，某片区书记',
    '林某某、高某某、施  青', '陈某某' or (the gap lost) '王某某党工委书记'. None for anything else."""
    if len(line) >= 80 or re.search(r"[。；]", line):
        return None
    several = member_run(line) or paired_run(line)
    if several:
        return several
    named = _name_then_title(line)
    if named and (named[1] is None or not re.search(r"[，,]", line) or re.match(rf"[{CJK}](?:\s*[{CJK}]){{1,3}}\s+\S", line)):
        return [named]
    if not re.search(r"[\s，,]", line):
        glued = names.split_glued(line)
        if glued:
            return [(glued[0], clean_title(glued[1]))]
    return None


OFFICE_LIST_HEAD = re.compile(r"办公室(?:组成人员|成员|人员|名单|工作人员)")


def office_list(st, line_index: int) -> bool:
    """A roster list that follows a header naming an office's members ('…委员会办公室组成人员'): its
    主任/副主任/成员 are the office's (办公室主任…)."""
    for j in range(line_index - 1, max(-1, line_index - 3), -1):
        m = OFFICE_LIST_HEAD.search(st.lines[j].text)
        if m:   # '…委员会及委员会办公室组成人员': both lists follow, the group's first
            return not re.search(r"(?:及|和|与)[^，。及和与]*$", st.lines[j].text[:m.start()])
    return False


def office_role(role: str, in_office: bool) -> str:
    return "办公室" + role if in_office and role in ("主任", "副主任", "常务副主任", "成员") else role


def _name_then_title(line: str) -> tuple[str, str | None] | None:
    """'孟  磊  党工委委员' / '王之成  党工委书记' / '何洪明（市纪委）' → (name, title), else None."""
    m = re.match(rf"^(?P<n>[{CJK}](?:\s{{0,4}}[{CJK}]){{1,3}}?)(?:(?P<sp>\s+)(?P<t>\S.*)|(?P<p>[（(].+[）)])|$)", line)
    while m:
        name = re.sub(r"\s+", "", m.group("n"))
        if (is_name(name, loose=m.group("t") is not None) or m.group("t") is not None and is_name(name)) and (m.group("t") is not None or m.group("p") or m.end("n") == len(line)):
            return name, clean_title(m.group("t") or m.group("p"))
        break
    # a name printed with its characters spread: 欧 阳  娜 → try the longest spaced run
    toks = line.split()
    if len(toks) >= 2 and all(len(t) == 1 for t in toks[:2]):
        for k in (3, 2):
            name = "".join(toks[:k])
            if len(toks) >= k and all(len(t) == 1 for t in toks[:k]) and is_name(name):
                return name, clean_title("".join(toks[k:]))
    return None


def _row_members(cells: list[str], role: str | None):
    """A roster table row: (role, name, title) from its cells, or None for a header row."""
    cells = [re.sub(r"\s+", "", c) for c in cells]
    role_re = re.compile(rf"^(?:{_role_alt()})[:：]?$")   # the role cell may keep its colon: 副组长：
    r = next((c for c in cells if role_re.match(c)), None)
    name = next((c for c in cells if is_name(c)), None)
    if name is None:
        return None
    rest = [c for c in cells if c and c not in (r, name) and not re.fullmatch(r"\d{1,3}", c)]
    return (r.rstrip(":：") if r else role), name, clean_title("、".join(rest)) if rest else None


PIPE_CELLS = re.compile(r"\s*[|｜]\s*")


def text_cells(ln) -> list[str] | None:
    """The cells of a table row: a reader's table row, or a table flattened to text with | between the cells
    ('组长 | 王某 | 党委书记', a markdown '| 组长 | 王某 |'), as a table pasted into a text notice comes out."""
    if ln.kind == "table_row" and ln.cells:
        return ln.cells
    if ln.text.count("|") + ln.text.count("｜") < 2:
        return None
    cells = [c for c in PIPE_CELLS.split(ln.text.strip()) if c]
    return cells if len(cells) >= 2 and not all(re.fullmatch(r"[-:：\s]+", c) for c in cells) else None


def _line_rosters(doc, st, groups):
    """Roster runs: role lines, continuation lines and table rows."""
    lines = st.lines
    role, group, used, in_office = None, None, set(), False
    for j, ln in enumerate(lines):
        t = ln.text
        cells = text_cells(ln)
        if cells:
            row = _row_members(cells, role)
            if row and row[0]:
                if role is None:
                    group = _group_near(st, j, doc_text(doc))
                role = clean_role(row[0])
                _add(groups, group, role, row[1], row[2], evidence(doc, ln.start, ln.end))
                used.add(j)
                continue
        headed = headed_roster(t)
        if headed:
            name, hrole, rest, at = headed
            for mname, mtitle in parse_members(rest):
                _add(groups, full_group(doc_text(doc), ln.start, name), hrole, mname, mtitle,
                     evidence(doc, ln.start + at, ln.start + at + len(rest)))
            add_span(doc, "roster_lines", ln.start, ln.end, "ROSTER_LINE")
            used.add(j)
            role = None
            continue
        m = role_line(t, role is not None or j > 0 and bool(subgroup_heading(lines[j - 1].text)))
        if m and not re.search(r"[。；]", t[-len(m.group(0)):]):
            if role is None:
                group = _group_near(st, j, doc_text(doc))
                in_office = office_list(st, j)
            role = clean_role(m.group("role"))
            for role, rest in role_segments(_role_alt(), role, m.group("rest")):
                for name, title in parse_members(rest):
                    _add(groups, group, office_role(role, in_office), name, title, evidence(doc, ln.start, ln.end))
            add_span(doc, "roster_lines", ln.start, ln.end, "ROSTER_LINE")
            used.add(j)
            continue
        if role is not None:
            cont = continuation_members(t)
            if cont:
                for name, title in cont:
                    _add(groups, group, office_role(role, in_office), name, title, evidence(doc, ln.start, ln.end))
                add_span(doc, "roster_lines", ln.start, ln.end, "ROSTER_LINE")
                used.add(j)
                continue
            if (heading_of(t) or t.endswith(("：", ":"))) and len(t) < 30 and not re.search(r"[。；，]", t):
                used.add(j)
                if subgroup_heading(t) or OFFICE_LIST_HEAD.search(t):
                    role = None   # a new group's (or the office's) roster starts below
                continue   # a sub-list header inside the roster
            role = None
    return used


def _add(groups, group, role, name, title, ev):
    key = group or ""
    g = groups.setdefault(key, {"group": group, "members": [], "office": None})
    if name and any(x["name"] == name and x["role"] == role for x in g["members"]):
        return
    g["members"].append({"role": role, "name": name, "title": title, "evidence": ev})


@lru_cache(maxsize=1)
def _inline_hints():
    """What a line must hold for INLINE_AS (任/为 + a role) or INLINE_BY (a role + 由) to match in it:
    a quick search that spares the slower patterns most lines."""
    plain_role = "|".join(sorted(map(re.escape, load_words("roster_roles.txt")), key=len, reverse=True))
    return {"INLINE_AS": re.compile(rf"(?:任|为)(?:{plain_role})"), "INLINE_BY": re.compile(rf"(?:{plain_role})由")}


def _inline_rosters(doc, st, groups, used):
    pats, hints = _patterns(), _inline_hints()
    text = doc_text(doc)
    for ln in st.lines:
        if ln.index in used or st.parts[ln.index] not in ("body", "plan_body", "attachment"):
            continue
        for key in ("INLINE_AS", "INLINE_BY"):
            if not hints[key].search(text, ln.start, ln.end):
                continue
            for m in pats[key].finditer(text, ln.start, ln.end):
                lst = re.sub(r"^.*?(?:成立以|以|由)", "", m.group("list")) if key == "INLINE_AS" else m.group("list")
                if "办公室" in m.group("role") or office_context(text, st.sentence_at(m.start())[0], m.start()):
                    continue   # the office's posts: read by _offices
                group = full_group(text, m.start(), _group_from(text[max(ln.start, m.start() - 80): m.end()])) \
                    or _group_near(st, ln.index, text)
                items = [i for i in re.split(r"[、]", lst) if i.strip()]
                people = join_split_titles([person_item(i) for i in items])
                if not any(n for _, n in people) and key == "INLINE_AS":
                    continue
                for title, name in people:
                    _add(groups, group, m.group("role"), name, clean_title(title), evidence(doc, m.start(), m.end()))
                add_span(doc, "roster_lines", m.start(), m.end(), "ROSTER_INLINE")


def _offices(doc, st, groups):
    pats = _patterns()
    text = doc_text(doc)
    found = sorted(((m.start(), key, m) for key in ("OFFICE_BY", "OFFICE_HEAD", "OFFICE_AS", "OFFICE_POST")
                    for m in pats[key].finditer(text)), key=lambda x: x[0])   # members in the order printed
    for _, key, m in found:
        if key == "OFFICE_POST" and not office_context(text, st.sentence_at(m.start())[0], m.start()):
            continue
        people = office_people(m.group("who"))
        if not people:
            continue
        role = m.group("role") if m.group("role").startswith("办公室") else "办公室" + m.group("role")
        for title, name in people:
            _office_member(doc, st, groups, m, role, name, title, pats, text)
        add_span(doc, "roster_lines", m.start(), m.end(), "OFFICE")


def join_split_titles(people: list[tuple[str | None, str | None]]) -> list[tuple[str | None, str | None]]:
    """A title cut at its 、 ('由镇党委委员、武装部长高志远任专班长' → 镇党委委员 | 武装部长高志远): a bare post
    right before a person with a title is the first half of that person's title, not a member."""
    out: list[tuple[str | None, str | None]] = []
    for title, name in people:
        if out and name and title and out[-1][1] is None and out[-1][0] and not out[-1][0].startswith("各") \
                and len(out[-1][0]) <= 12:
            out[-1] = (out[-1][0] + "、" + title, name)
            continue
        out.append((title, name))
    return out


def person_item(item: str) -> tuple[str | None, str | None]:
    """(title, name) of one person in a sentence's list: '王某（县财政局局长）' as well as '县财政局局长王某'."""
    m = re.fullmatch(rf"\s*(?P<n>[{CJK}](?:\s*[{CJK}]){{1,3}})[（(](?P<t>[^（）()]+)[）)](?:同志)?\s*", item)
    if m and is_name(re.sub(r"\s+", "", m.group("n"))):
        return clean_title(m.group("t")), re.sub(r"\s+", "", m.group("n"))
    return split_title_name(item)


def office_context(text: str, sentence_start: int, at: int) -> bool:
    """Whether the sentence before ``at`` is about the office ('领导小组下设办公室，…', '办公室主任由…，'):
    then its 主任/副主任/成员 are the office's."""
    return bool(re.search(r"下设办公室|办公室(?:副?主任|设在)", text[sentence_start:at]))


def office_people(who: str) -> list[tuple[str | None, str]]:
    """The (title, name) of each person in '区某局李某副局长、某支行郭某副行长': a list separated by 、,
    every item a person (else nobody: a position such as 分管领导 is no office member)."""
    people = [person_item(i) for i in re.split(r"[、]", who) if i.strip()]
    return people if people and all(n for _, n in people) else []


def _office_member(doc, st, groups, m, role, name, title, pats, text):
    """One office post: added to the group the office belongs to (the roster above named it in full)."""
    ln = st.norm.line_at(m.start())
    group = _group_near(st, ln.index, text) if ln else None
    known = [g["group"] for g in groups.values() if g["group"]]
    if group not in known and known:
        # "领导小组下设办公室" names the group the roster above named in full
        group = next((k for k in known if group and k.endswith(group)), known[-1])
    _add(groups, group, role, name, clean_title(title), evidence(doc, m.start(), m.end()))
    g = groups[group or ""]
    loc = pats["OFFICE_AT"].search(text, max(0, m.start() - 60), m.end() + 60)
    if role == "办公室主任" and not (g["office"] or {}).get("director"):
        g["office"] = {"name": (group or "") + "办公室", "director": name,
                       "location": loc.group("loc") if loc else None}


@Language.factory("duban_rosters", requires=["doc._.structure"], assigns=["doc.spans", "span._.roster"])
def make_rosters(nlp, name):
    """spans "rosters": each group, from its first member's evidence to its last, the group
    {group, members (each with its evidence), office} in ``span._.roster``; "roster_lines": the
    lines and sentences read."""
    register("roster")
    return rosters


def rosters(doc):
    st = doc._.structure
    groups: dict[str, dict] = {}
    used = _line_rosters(doc, st, groups)
    _inline_rosters(doc, st, groups, used)
    _offices(doc, st, groups)
    for g in groups.values():
        if g["members"]:
            ev = [m["evidence"] for m in g["members"]]
            add_entry(doc, "rosters", min(e["start"] for e in ev), max(e["end"] for e in ev), "ROSTER", "roster", g)
    return doc
