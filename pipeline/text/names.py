"""People's names in official notices: is this run a person's name, where do the names in a run
of them start and end, where does a name glued to its title stop.

A Chinese personal name is a surname (one character, or a compound one: 欧阳, 司马, 上官…; the list
is corpora/lexicons/surnames.txt) and a given name of one or two characters. Rosters print
two-character names with an alignment space (孟  磊) so that they line up with three-character ones;
OCR and flattened web pages lose the gap between a name and its title (王之成党工委书记). Evidence is
combined: the surname lexicon, the length of the given name, what the run ends with (a job title or an
organisation suffix is no name: 主任, 财政局), jieba's dictionary (an everyday word such as 管理 is no
name) and jieba's person tag (``nr``) where a name must be cut out of running text.

Nothing here imports spaCy; jieba comes through pipeline.text.segment.
"""
from __future__ import annotations

import re
from functools import lru_cache

from pipeline.text.lexicons import load_words
from pipeline.text.segment import jieba, word_freq

CJK = r"\u4e00-\u9fff"

# words a 3–4 character run may end with that make it no name: org and unit endings, people
# nouns, and the endings of job titles (书记, 主任, 局长…; checked against the lexicon below)
NOT_NAME_END = re.compile(r"(?:单位|部门|同志|负责|成员|干部|人员|领导|各|等|委|局|办|部|组|处|科|室|会|院|区|县|市|镇|乡|村|省|站|所|队)$")
# how often jieba's dictionary must have seen a two-character word for it to be an everyday word
# rather than a name (管理 27191, 单位 17532, 方案 7097; names that are words too are rarer: 黎明 670,
# 高峰 1556; most names are absent)
COMMON_WORD_FREQ = 2000
# what a title or unit printed after a glued name may open with (区党工委…, 县政协…, 党组…)
TITLE_OPENER = re.compile(r"^(?:区|县|市|省|镇|乡|村|州|盟|旗|党|中共|人民|国家|驻|原|副|总|常务|分管|派驻)")


# more unit endings a name may follow: 某某支行, 某某公司, 某某大队
UNIT_END = re.compile(r"(?:行|公司|中心|队|集团|社|馆|厂|场|所|站)$")


@lru_cache(maxsize=1)
def surnames() -> frozenset:
    return frozenset(load_words("surnames.txt"))


@lru_cache(maxsize=1)
def compound_surnames() -> frozenset:
    return frozenset(s for s in surnames() if len(s) == 2)


@lru_cache(maxsize=1)
def _title_words() -> frozenset:
    """Job titles and roles (书记, 主任, 组长…): a run ending with one is a post, not a person."""
    return frozenset(w for w in load_words("job_titles.txt") + load_words("roster_roles.txt") if len(w) >= 2)


@lru_cache(maxsize=1)
def _org_words() -> frozenset:
    return frozenset(w for w in load_words("org_suffixes.txt") if len(w) >= 2)


def _ends_like_post(s: str) -> bool:
    return any(s.endswith(w) for w in _title_words() | _org_words() if len(w) < len(s))


def common_word(w: str) -> bool:
    """An everyday word of jieba's dictionary (管理, 单位, 方案), which a name printed alone is not."""
    return word_freq(w) >= COMMON_WORD_FREQ


def surname_of(s: str) -> str | None:
    """The surname ``s`` opens with (compound first: 欧阳娜 → 欧阳), else None."""
    if s[:2] in compound_surnames():
        return s[:2]
    if s[:1] in surnames():
        return s[:1]
    return None


def is_name(s: str, loose: bool = False) -> bool:
    """A Chinese personal name: a surname and a given name of 1–2 characters (2–4 characters in
    all). ``loose`` (inside a roster list, where the layout already says "a name here") accepts a
    surname the lexicon lacks in a 2–3 character run."""
    if not re.fullmatch(rf"[{CJK}]{{2,4}}", s or ""):
        return False
    if NOT_NAME_END.search(s) or len(s) > 2 and _ends_like_post(s):
        return False
    if s in _title_words() or s in _org_words() or len(s) >= 3 and common_word(s):
        return False   # 党组织, 办公室: a word of its own
    sur = surname_of(s)
    if len(s) == 4 and (sur is None or len(sur) < 2):
        return False   # four characters: only a compound surname and a two-character given name
    if loose and len(s) == 2:   # a two-character name still needs its surname, and no other word (科员, 方案)
        return sur is not None and not _other_word(s)
    if loose and len(s) == 3:   # a surname the lexicon lacks (念某某), but no everyday word inside
        return not common_word(s[:2]) and not _other_word(s)
    if common_word(s[:2]) and not (sur and len(sur) == 2):   # 管理, 单位主要, 方案: an everyday word
        return False
    return sur is not None and len(s) - len(sur) in (1, 2)


def run_items(run: str, loose: bool = True) -> list[tuple[str, str]] | None:
    """The items of a run printed with spaces between them: ('name', 张伟) or ('other', token), where
    two-character names carry an alignment space ('张 伟 李明辉' → 张伟, 李明辉). Single characters
    pair up as surname + given name (or compound surname + given name: 欧 阳 娜); a single
    character that pairs with nothing makes the run unreadable (None)."""
    toks = run.split()
    out, i = [], 0
    while i < len(toks):
        t = toks[i]
        if len(t) == 1:
            if i + 2 < len(toks) and len(toks[i + 1]) == 1 and t + toks[i + 1] in compound_surnames() \
                    and len(toks[i + 2]) == 1:
                out.append(("name", t + toks[i + 1] + toks[i + 2]))
                i += 3
                continue
            if i + 1 < len(toks) and len(toks[i + 1]) == 1 and t in surnames() and is_name(t + toks[i + 1], loose=loose):
                out.append(("name", t + toks[i + 1]))
                i += 2
                continue
            return None
        out.append(("name", t) if is_name(t, loose=loose) else ("other", t))
        i += 1
    return out or None


def names_in_run(run: str, loose: bool = True) -> list[str] | None:
    """The names in a run printed with spaces between them, where two-character names carry an
    alignment space: '张 伟 李明辉 王 芳 赵国强' → [张伟, 李明辉, 王芳, 赵国强]. None unless the whole
    run reads as names."""
    items = run_items(run, loose)
    if not items or any(kind != "name" for kind, _ in items):
        return None
    return [x for _, x in items]


def looks_like_unit(s: str) -> bool:
    """A unit's name standing in a list of members (自然资源管理站, 驻局纪检监察组): it ends like an
    organisation and not like a post (…负责人, …局长 are titles)."""
    if len(s) < 3 or is_name(s) or any(s.endswith(w) for w in _title_words()) or s.endswith("负责人"):
        return False
    return bool(NOT_NAME_END.search(s) or any(s.endswith(w) for w in _org_words()) or s.endswith(("中心", "站", "队")))


def word_bounds(text: str) -> set[int]:
    """Offsets where jieba's dictionary (no HMM) cuts ``text``: a name never cuts through a word."""
    bounds, at = {0}, 0
    for w in jieba().lcut(text, HMM=False):
        at += len(w)
        bounds.add(at)
    return bounds


def _starts_a_word(rest: str) -> int:
    """How well ``rest`` opens like a title or a unit: 2 for an opener word (区, 县, 党…), 1 for a
    word of jieba's dictionary of two or more characters, 0 otherwise."""
    if not rest:
        return 0
    if TITLE_OPENER.match(rest):
        return 2
    first = jieba().lcut(rest[:8], HMM=False)[0]
    return 1 if len(first) >= 2 and word_freq(first) > 0 else 0


def split_glued(line: str) -> tuple[str, str] | None:
    """A name glued to the title after it (the gap lost to OCR or a flattened page):
    '王之成党工委书记、管委会主任' → ('王之成', '党工委书记、管委会主任'). The rest must read as a
    title (it holds a job title or an organisation word); the name's length is where the rest
    opens best as a word, with jieba's person tag to break ties."""
    line = line.strip()
    if len(line) < 4 or not re.match(rf"[{CJK}]{{4}}", line):
        return None
    rest_ok = lambda r: any(w in r for w in _title_words()) or "负责人" in r
    bounds = word_bounds(line[:12])
    cands = []
    for n in (3, 2, 4):
        name, rest = line[:n], line[n:]
        if n in bounds and is_name(name) and rest_ok(rest) and not _other_word(name):
            cands.append((_starts_a_word(rest), n == _tagged_name_length(line), n == 3, name, rest))
    if not cands:
        return None
    best = max(cands)
    return best[3], best[4]


def _other_word(w: str) -> bool:
    """A word jieba's dictionary knows as something other than a person (平潭 a place, 高新 an
    adjective): no name when it has to be cut out of running text."""
    import jieba.posseg as pseg

    jieba()
    toks = list(pseg.cut(w, HMM=False))
    return len(toks) == 1 and not toks[0].flag.startswith("nr") and word_freq(w) > 0


def _tagged_name_length(line: str) -> int | None:
    """The length of the person jieba's tagger (with its HMM) finds at the start of ``line``."""
    import jieba.posseg as pseg   # noqa: F401  (loaded through segment's jieba set-up)

    jieba()
    for w in pseg.cut(line[:10]):
        return len(w.word) if w.flag in ("nr", "nrfg", "nrt") else None
    return None


def split_around(item: str, title_re) -> tuple[str, str] | None:
    """A name printed after its unit, with or without the post after it:
    '区财政局预算科王某某科长' → ('区财政局预算科科长', '王某某'); '县交通局王某' → ('县交通局', '王某').
    A post after the name must be a short job title (``title_re`` finds it at its end), the unit
    before it must end like an organisation, and the name must not cut through a word of the
    dictionary (区管委会办|公室副|主任 is no name)."""
    item = re.sub(r"\s+", "", item)
    if len(item) < 5 or re.search(r"[、，,；;（()）]", item):
        return None
    bounds = word_bounds(item)
    for n in (3, 2):
        for k in range(len(item) - n, 2, -1):
            unit, name, post = item[:k], item[k:k + n], item[k + n:]
            if post and not (len(post) <= 6 and title_re.search(post)):
                continue
            if k in bounds and k + n in bounds and is_name(name) and not _other_word(name) and (
                    NOT_NAME_END.search(unit) or UNIT_END.search(unit) or any(unit.endswith(w) for w in _org_words())):
                return unit + post, name
    return None
