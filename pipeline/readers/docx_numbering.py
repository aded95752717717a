"""Word's automatic list numbers, which python-docx does not render: the counters of every list
in numbering.xml, advanced paragraph by paragraph, and each level's label ("一、", "（二）", "1.1",
"①") written the way Word writes it (lvlRestart, startOverride, numStyleLink, isLgl, the Chinese
and enclosed number formats).
"""
from __future__ import annotations

import re
from typing import NamedTuple

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
FALLBACK = MC + "Fallback"
VAL = W + "val"
OFF = frozenset(("0", "false", "off"))  # w:val of a toggle property (w:b, w:isLgl) that switches it off
LEVEL_REF = re.compile(r"%([1-9])")  # "%1" in w:lvlText: the current number of level 1


def int_or(value: str | None, default):
    """``value`` as an int, ``default`` if it is missing or not a number."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def child_val(el, tag: str):
    """w:val of the child ``tag`` of ``el``, None if either is missing."""
    child = el.find(tag) if el is not None else None
    return child.get(VAL) if child is not None else None


# --- numbering ----------------------------------------------------------------------------------

class _Level(NamedTuple):
    start: int
    fmt: str  # w:numFmt
    text: str  # w:lvlText, e.g. "（%2）"
    restart: int | None  # w:lvlRestart: restart after this (1-based) level or a higher one is used; 0 never
    legal: bool  # w:isLgl: every number in the text in decimal
    space: bool  # w:suff="space" (tab and nothing render as nothing)
    style: str | None  # w:pStyle: the paragraph style this level belongs to


class _List(NamedTuple):
    key: tuple  # counter set: shared by every w:num of one abstractNum unless the num overrides levels
    levels: dict[int, _Level]


def _level(lvl) -> _Level:
    fmt = lvl.find(W + "numFmt")
    if fmt is None:  # Word 2010 custom formats sit in mc:AlternateContent; the fallback is a standard one
        fmt = lvl.find(f"{MC}AlternateContent/{FALLBACK}/{W}numFmt")
    return _Level(
        start=int_or(child_val(lvl, W + "start"), 0),
        fmt=fmt.get(VAL, "decimal") if fmt is not None else "decimal",
        text=child_val(lvl, W + "lvlText") or "",
        restart=int_or(child_val(lvl, W + "lvlRestart"), None),
        legal=lvl.find(W + "isLgl") is not None and child_val(lvl, W + "isLgl") not in OFF,  # <w:isLgl/> is on
        space=child_val(lvl, W + "suff") == "space",
        style=child_val(lvl, W + "pStyle"),
    )


class Numbering:
    """numbering.xml (the root of python-docx's numbering part, or None) and the counters of every
    list. ``styles`` resolves a list style's numId (numStyleLink): anything with ``chain(style_id)``."""

    def __init__(self, root, styles):
        self._styles = styles
        kids = list(root) if root is not None else []
        self._abstract = {el.get(W + "abstractNumId"): el for el in kids if el.tag == W + "abstractNum"}
        self._nums = {el.get(W + "numId"): el for el in kids if el.tag == W + "num"}
        self._lists: dict[str, _List | None] = {}
        self._counts: dict[tuple, list] = {}

    def label(self, num_id: str, ilvl: int | None, style: str | None, style_ilvl: int) -> tuple[str, bool]:
        """(label, space after it) of the next paragraph of list ``num_id``, advancing the counters.

        The level is the paragraph's own ``ilvl``; failing that, for a paragraph numbered through its
        ``style``, the level tied to that style (w:lvl/w:pStyle, which the spec puts before the
        style's w:ilvl), else ``style_ilvl``."""
        if num_id not in self._lists:
            self._lists[num_id] = self._list(num_id)
        lst = self._lists[num_id]
        if lst is None:
            return "", False
        if ilvl is None:
            ilvl = next((i for i, lvl in lst.levels.items() if style is not None and lvl.style == style), style_ilvl)
        lvl = lst.levels.get(ilvl)
        if lvl is None or not 0 <= ilvl < 9:
            return "", False
        counts = self._counts.setdefault(lst.key, [None] * 9)
        counts[ilvl] = lvl.start if counts[ilvl] is None else counts[ilvl] + 1
        for deeper in range(ilvl + 1, 9):
            sub = lst.levels.get(deeper)
            restart = sub.restart if sub is not None and sub.restart is not None else deeper
            if ilvl < restart:
                counts[deeper] = None
        return _render(lst.levels, counts, lvl), lvl.space

    def _list(self, num_id: str) -> _List | None:
        num = self._nums.get(num_id)
        abstract_id, abstract = self._definition(child_val(num, W + "abstractNumId"))
        if num is None or abstract is None:
            return None
        levels = {int_or(el.get(W + "ilvl"), 0): _level(el) for el in abstract.iterchildren(W + "lvl")}
        overridden = False
        for override in num.iterchildren(W + "lvlOverride"):
            ilvl = int_or(override.get(W + "ilvl"), 0)
            lvl = override.find(W + "lvl")
            if lvl is not None:
                levels[ilvl], overridden = _level(lvl), True
            start = child_val(override, W + "startOverride")
            if start is not None and ilvl in levels:
                levels[ilvl], overridden = levels[ilvl]._replace(start=int_or(start, 0)), True
        return _List(("num", num_id) if overridden else ("abstract", abstract_id), levels)

    def _definition(self, abstract_id: str | None):
        """(id, element) of the abstractNum defining the levels, following w:numStyleLink to the
        list style's own list (a few hops at most; a loop gives None)."""
        for _ in range(4):
            abstract = self._abstract.get(abstract_id)
            link = child_val(abstract, W + "numStyleLink")
            if link is None:
                return abstract_id, abstract
            num = self._nums.get(self._styles.chain(link).get("numId"))
            abstract_id = child_val(num, W + "abstractNumId")
        return None, None


def _render(levels: dict[int, _Level], counts: list, lvl: _Level) -> str:
    """The level text with each %N replaced by level N's current number in its format. A level not
    used since it (re)started counts start − 1, as Word shows it: "1.0.1" under a skipped level."""
    if lvl.fmt == "bullet":
        return ""

    def number(m: re.Match) -> str:
        k = int(m.group(1)) - 1
        ref = levels.get(k)
        if ref is None:
            return ""
        n = counts[k] if counts[k] is not None else ref.start - 1
        return format_number(n, "decimal" if lvl.legal else ref.fmt)

    return LEVEL_REF.sub(number, lvl.text)


CN_DIGITS = "零一二三四五六七八九"  # chineseCounting
CN_LEGAL = "零壹贰叁肆伍陆柒捌玖"  # chineseLegalSimplified (大写)
TW_LEGAL = "零壹貳參肆伍陸柒捌玖"  # ideographLegalTraditional
CN_UNITS = ("", "十", "百", "千")
LEGAL_UNITS = ("", "拾", "佰", "仟")
IDEOGRAPH_DIGITS = "〇一二三四五六七八九"  # ideographDigital: digit by digit (一〇 for 10)
CIRCLED = "".join(chr(0x2460 + i) for i in range(20))  # ① … ⑳
PARENTHESIZED = "".join(chr(0x2474 + i) for i in range(20))  # ⑴ … ⒇
FULL_STOP = "".join(chr(0x2488 + i) for i in range(20))  # ⒈ … ⒛
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
ROMAN = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"), (40, "xl"),
         (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))


def _chinese(n: int, digits: str, units: tuple, short_ten: bool) -> str:
    """1–9999 in Chinese numerals: 十一, 二十, 一百零一; the legal forms keep 壹拾."""
    if not 0 < n < 10000:
        return digits[0] if n == 0 else str(n)
    out, gap = [], False
    for power in (3, 2, 1, 0):
        d = n // 10 ** power % 10
        if d == 0:
            gap = bool(out)
            continue
        if gap:
            out.append(digits[0])
            gap = False
        out.append(digits[d] + units[power])
    text = "".join(out)
    return text[1:] if short_ten and text.startswith(digits[1] + units[1]) else text


def _sequence(chars: str):
    """A format that numbers with ``chars`` and falls back to decimal past their end."""
    return lambda n: chars[n - 1] if 0 < n <= len(chars) else str(n)


def _letters(n: int) -> str:
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1) if n > 0 else str(n)


def _roman(n: int) -> str:
    if not 0 < n < 4000:
        return str(n)
    out = []
    for value, numeral in ROMAN:
        count, n = divmod(n, value)
        out.append(numeral * count)
    return "".join(out)


def _counting(n: int) -> str:
    return _chinese(n, CN_DIGITS, CN_UNITS, short_ten=True)


FORMATS = {  # w:numFmt → number → text; any other format is rendered in decimal
    "decimal": str,
    "decimalZero": lambda n: f"{n:02d}",
    "decimalFullWidth": lambda n: str(n).translate(FULL_WIDTH),
    "decimalFullWidth2": lambda n: str(n).translate(FULL_WIDTH),
    "decimalEnclosedCircle": _sequence(CIRCLED),
    "decimalEnclosedCircleChinese": _sequence(CIRCLED),
    "decimalEnclosedParen": _sequence(PARENTHESIZED),
    "decimalEnclosedFullstop": _sequence(FULL_STOP),
    "chineseCounting": _counting,
    "chineseCountingThousand": _counting,
    "taiwaneseCounting": _counting,
    "taiwaneseCountingThousand": _counting,
    "japaneseCounting": _counting,
    "chineseLegalSimplified": lambda n: _chinese(n, CN_LEGAL, LEGAL_UNITS, short_ten=False),
    "ideographLegalTraditional": lambda n: _chinese(n, TW_LEGAL, LEGAL_UNITS, short_ten=False),
    "ideographDigital": lambda n: "".join(IDEOGRAPH_DIGITS[int(d)] for d in str(n)),
    "ideographTraditional": _sequence("甲乙丙丁戊己庚辛壬癸"),
    "ideographZodiac": _sequence("子丑寅卯辰巳午未申酉戌亥"),
    "lowerLetter": _letters,
    "upperLetter": lambda n: _letters(n).upper(),
    "lowerRoman": _roman,
    "upperRoman": lambda n: _roman(n).upper(),
    "none": lambda n: "",
}


def format_number(n: int, fmt: str) -> str:
    """``n`` written in the w:numFmt ``fmt`` ("chineseCounting", "decimalEnclosedCircle", …)."""
    return FORMATS.get(fmt, str)(n)
