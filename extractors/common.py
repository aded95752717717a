"""Shared helpers for the extractors: evidence, spans, clauses, and people's names.

Not a field of its own. Everything here works on characters (not jieba tokens): org and role
words such as 县委办 or 组长 must not depend on how the segmenter cut them.
"""
from __future__ import annotations

import re
from functools import lru_cache

from pipeline.text.lexicons import alternation, load_words

CJK = r"\u4e00-\u9fff"


def doc_text(doc) -> str:
    """``doc.text``, joined once per Doc: spaCy rebuilds it from every token on each access, which
    cost more than all the rules together when each evidence sentence was cut from it."""
    text = doc.user_data.get("duban_text")
    if text is None:
        text = doc.user_data["duban_text"] = doc.text
    return text


def evidence(doc, start: int, end: int) -> dict:
    """{text, page, start, end}: the sentence holding [start, end) in the normalized text."""
    st = doc._.structure
    s0, s1 = st.sentence_at(start)
    s1 = max(s1, min(end, _line_end(st, start)))
    ln = st.norm.line_at(start)
    return {"text": doc_text(doc)[s0:s1].strip(), "page": ln.page if ln else None, "start": start, "end": end}


def _line_end(st, offset):
    ln = st.norm.line_at(offset)
    return ln.end if ln else offset


def add_span(doc, key: str, start: int, end: int, label: str):
    """Record [start, end) as a labelled span in ``doc.spans[key]`` (expanded to token bounds)."""
    span = doc.char_span(start, end, label=label, alignment_mode="expand")
    if span is not None:
        if key in doc.spans:
            doc.spans[key].append(span)
        else:
            doc.spans[key] = [span]
    return span


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
    """(start, end) of each clause, splitting at ``punct`` outside brackets and quotes."""
    out, depth, s = [], 0, 0
    for i, c in enumerate(text):
        if c in OPENERS:
            depth += 1
        elif c in CLOSERS:
            depth = max(0, depth - 1)
        elif c in punct and depth == 0:
            if i > s:
                out.append((base + s, base + i))
            s = i + 1
    if s < len(text):
        out.append((base + s, base + len(text)))
    return out


@lru_cache(maxsize=1)
def surnames() -> frozenset:
    return frozenset(load_words("surnames.txt"))


@lru_cache(maxsize=1)
def title_end_re():
    return re.compile(rf"(?:{alternation('job_titles.txt')})$")


# words that end a 2–4 character run which is not a person's name
NOT_NAME_END = re.compile(r"(?:单位|部门|同志|负责|成员|干部|人员|领导|各|等|委|局|办|部|组|处|科|室|会|院|区|县|市|镇|乡|村|省|长|任|记)$")


# how often jieba's dictionary must have seen a two-character word for it to be an everyday word
# rather than a name (管理 27191, 单位 17532, 方案 7097; names that are words too are rarer: 黎明 670,
# 高峰 1556; most names are absent)
COMMON_WORD_FREQ = 2000


def _common_word(w: str) -> bool:
    import jieba

    return (jieba.dt.FREQ.get(w) or 0) >= COMMON_WORD_FREQ


def is_name(s: str, loose: bool = False) -> bool:
    """A Chinese personal name: 2–4 characters starting with a surname. ``loose`` (inside a roster
    list, where the layout already says "a name here") accepts a surname the lexicon lacks."""
    if not re.fullmatch(rf"[{CJK}]{{2,4}}", s or ""):
        return False
    if NOT_NAME_END.search(s) and len(s) > 2:
        return False
    if loose and len(s) <= 3 and not NOT_NAME_END.search(s):
        return True
    if _common_word(s[:2]):   # 管理, 单位主要, 方案: a surname character opening an everyday word
        return False
    if s[:2] in surnames() and len(s) >= 3:
        return True
    return s[0] in surnames() and not NOT_NAME_END.search(s)


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
    return item, None


def strip_name_spaces(s: str) -> str:
    return re.sub(r"\s+", "", s)


# what an actor phrase (who must act) ends with
ACTOR_END = re.compile(
    r"(?:同志|成员|干部|党员|单位|部门|小组|专班|办公室|会议|学校|院校|高校|教师|各地|地区|城市|政府|办局|局|委|中心|社区|"
    r"村居|村|街道|乡镇|镇|乡|企业|机构|人员|负责人|书记|主任|班子|支部|党组织|委员会|指挥部|中心组|组|学生|医院|科室|"
    r"处室|站|所|院|园区|公司|集团|协会|联合会|代表|网格员|各级|管委会|工委|党工委|"
    r"河长|湖长|林长|路长|网格长|校长|院长|局长|镇长|乡长|县长|市长|组长|队长|站长|所长|园长|处长|科长|部长|"
    r"指挥长|领导|法人|医师|医生|教授|员|班主任|教研组|财政|专业|项目|团队|师徒|医共体|厅|办|"
    r"中小学|小学|中学|大学|幼儿园|景区|县|市)$"
)


@lru_cache(maxsize=1)
def verb_re():
    return re.compile(alternation("duty_verbs.txt"))


# what may follow an actor phrase: a verb, a modal, a frequency, a comparator
AFTER_ACTOR = re.compile(
    r"^(?:要|应|须|需|必须|务必|每|全年|年内|按|在|对|于|到|把|将|通过|负责|带头|主动|积极|认真|自觉|集中|分别|统一|"
    r"不少于|不低于|至少|原则上|均|都|也|共同|切实|定期|及时|全面|深入|加强|做好|结合|根据|按照|围绕|向|与|和|以|从|"
    r"本年度|当年度|参照|督促|指导|牵头|会同|配合|协助|组织|开展|召开|落实|实行|建立|完成|实现|达到|写出|撰写|走访|调研|学习|自学|"
    r"明确|配备|选拔|挖掘|打造|建成|安排|包保|认领|派出|推荐|设立|设置|确定|培育|培养|举办|制定|"
    r"承担|半月一|一[日天周月季年]一|\d+(?:\.\d+)?[%％]|各(?=[\u4e00-\u9fff]))"
)
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
        ends_like = ACTOR_END.search(TRAILING_PAREN.sub("", prefix)) or (k >= 4 and EACH_START.match(prefix))
        each_body = not ends_like and best is None and GE_START.match(prefix)   # 各片区, not 各片区分别于
        if not (ends_like or each_body):
            continue   # 各村（社区）; 每个改造小区, 各片: "each X" names who acts whatever X ends with
        if verb.search(prefix):
            # 理论学习中心组集中学习… is an actor; 实地调研企业不少于1天 is a verb and its object;
            # 每个改造小区明确…, 各学习试点也要… are actors though 改造, 学习 are verbs
            if verb.match(clause, k) or ((EACH_START.match(prefix) or each_body or ORG_TAIL.search(prefix))
                                         and AFTER_ACTOR.match(clause[k:])):
                best = prefix
        elif k == len(clause) or AFTER_ACTOR.match(clause[k:]) or verb.match(clause, k):   # (^ needs the slice)
            best = prefix
    if best and NOT_ACTOR_START.match(best):
        return None
    return best
