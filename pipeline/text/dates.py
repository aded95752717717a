"""Shared helper: Chinese date expressions → calendar intervals.

One resolver for phases, deadlines and the 成文日期. It finds *points* (2022年7月19日, 7月中旬,
12月底, 2021年全年, 三季度, 二〇二二年七月十九日…), links two points joined by a range
separator (—, –, ~, 至, 到…) into a range, and reads the words around them that open an end
(…前 / 截至… → no start; …开始 / …起 / …以后 → no end). A point without a year takes the
document's year (成文日期, else the year the text names); the second point of a range takes the
first one's year and month ("7月中旬至下旬", "3月1日—15日"), and a later point whose month is
earlier than the first one's without a year of its own is in the next year ("11月至次年3月",
"11月至2月").

Rules (docs/record.md): 上旬 = days 1–10, 中旬 = 11–20, 下旬 = 21–month end, 初 = 1–10, 底/末 = the
last day, 上半年 = Jan–Jun, 三季度 = Jul–Sep, 全年 = Jan 1–Dec 31, 年内 = by Dec 31.

jionlp's parse_time was measured and not used: it drops the end of "7月中旬至下旬", raises on
"8月至12月" and "年内", and reads 文号 such as 〔2021〕12号 as dates. Callers mask 文号 first
(``mask`` argument) all the same.
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from pipeline.text.numbers import to_number, year_number

# a year: 2022 / 二〇二二 / 二○二二 (digit by digit)
YEAR = r"(?:19|20)\d{2}|[二〇○零一三四五六七八九]{4}"
# a month: 1–12 or 一…十二
MONTH = r"1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九]"
# a day: 1–31 or 一…三十一
DAY = r"3[01]|[12]\d|0?[1-9]|[二三]?十[一二三四五六七八九]?|[一二三四五六七八九]"
# a part of a month
MONTH_PART = r"上旬|中旬|下旬|上中旬|中下旬|上半月|下半月|初|底|末|中"
# a part of a year, written without a month
YEAR_PART = r"上半年|下半年|年初|年中|年底|年末|全年|年内|第?[一二三四1-4]季度"
# a year relative to the document's
REL_YEAR = r"次年|翌年|明年|下一?年度?|当年|今年|本年度?"

# the characters a point can start with (a year, a month, a part of a year, a relative year, or
# 底/末/初 after 年): the lookahead lets the scan skip every other position in C instead of
# yielding an empty match there
POINT_FIRST = r"0-9二〇○零一三四五六七八九十上下年全第次翌明当今本底末初"
# one point in time; every part optional, so empty matches are filtered out
POINT = re.compile(
    rf"(?=[{POINT_FIRST}])"
    rf"(?:(?P<rel>{REL_YEAR})|(?P<y>{YEAR})\s*年(?:度)?)?"
    rf"(?:(?P<m>{MONTH})\s*月份?(?:(?P<d>{DAY})\s*[日号]|(?P<mpart>{MONTH_PART}))?"
    rf"|(?P<ypart>{YEAR_PART})|(?<=年)(?P<yend>底|末|初))?"
)
# what may join two points into a range
RANGE_SEP = re.compile(r"\s*(?:—{1,2}|–|-|－|~|～|〜|至|到|－)\s*")
# the second point of a range may be just a day, a part of a month, or 底
TAIL_POINT = re.compile(rf"(?P<d>{DAY})\s*[日号]|(?P<mpart>{MONTH_PART})")
# words after a time that leave its start open (deadline) or its end open
BEFORE_SUFFIX = re.compile(r"\s*(?:之前|以前|前)")
OPEN_END_SUFFIX = re.compile(r"\s*(?:开始|起|以后|之后|以来)")
UNTIL_PREFIX = re.compile(r"(?:截至|截止到|截止至|截止)\s*$")
# a range of whole years whose first year goes without 年: 2024—2025年, 2021-2025年度
YEAR_RANGE = re.compile(r"(?<!\d)(?P<y1>(?:19|20)\d{2})\s*(?:—{1,2}|–|-|－|~|～|至|到)\s*(?P<y2>(?:19|20)\d{2})\s*年度?"
                        r"(?!\s*(?:\d|[一二三四五六七八九十]+\s*月|[上下]半年|底|末|初|第?[一二三四1-4]季度))")

QUARTERS = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}


@dataclass
class TimeSpan:
    """A resolved time expression: ``start``/``end`` are dates or None (open)."""

    begin: int          # char offsets of the expression in the text searched
    finish: int
    text: str
    start: date | None
    end: date | None
    before: bool = False     # "…前" / "截至…": a deadline form
    is_range: bool = False
    year_given: bool = True  # False when the year came from the document, not the text


def last_day(y: int, m: int) -> date:
    return date(y, m, calendar.monthrange(y, m)[1])


def _safe(y, m, d) -> date | None:
    try:
        return date(y, m, d)
    except (ValueError, TypeError):
        return None


def _month_bounds(y: int, m: int, d, mpart) -> tuple[date, date] | None:
    if not (1 <= m <= 12) or not (1900 <= y <= 2100):
        return None
    if d is not None:
        day = to_number(d)
        one = _safe(y, m, day) if isinstance(day, int) else None
        return (one, one) if one else None
    end = last_day(y, m)
    spans = {"上旬": (1, 10), "中旬": (11, 20), "下旬": (21, end.day), "上中旬": (1, 20),
             "中下旬": (11, end.day), "上半月": (1, 15), "下半月": (16, end.day), "初": (1, 10),
             "底": (end.day, end.day), "末": (end.day, end.day), "中": (11, 20)}
    lo, hi = spans.get(mpart, (1, end.day))
    return date(y, m, lo), date(y, m, hi)


def _year_part_bounds(y: int, part: str | None) -> tuple[date | None, date]:
    if part in (None, "全年"):
        return date(y, 1, 1), date(y, 12, 31)
    if part == "上半年":
        return date(y, 1, 1), date(y, 6, 30)
    if part == "下半年":
        return date(y, 7, 1), date(y, 12, 31)
    if part == "年初" or part == "初":
        return date(y, 1, 1), date(y, 1, 31)
    if part == "年中":
        return date(y, 6, 1), date(y, 7, 31)
    if part in ("年底", "年末", "底", "末"):
        return date(y, 12, 31), date(y, 12, 31)
    if part == "年内":
        return None, date(y, 12, 31)
    q = QUARTERS[part.lstrip("第")[0]]
    return date(y, 3 * q - 2, 1), last_day(y, 3 * q)


class _Point:
    __slots__ = ("begin", "finish", "year", "month", "lo", "hi", "has_year", "has_month")

    def __init__(self, begin, finish, year, month, lo, hi, has_year, has_month):
        self.begin, self.finish = begin, finish
        self.year, self.month = year, month
        self.lo, self.hi = lo, hi
        self.has_year, self.has_month = has_year, has_month


def _resolve_point(m: re.Match, doc_year: int | None) -> _Point | None:
    g = m.groupdict()
    if not (g["y"] or g["m"] or g["ypart"] or (g["rel"] and (g["m"] or g["ypart"]))):
        return None
    if g["y"]:
        year = year_number(g["y"])
    elif g["rel"]:
        if doc_year is None:
            return None
        year = doc_year + (1 if g["rel"][0] in "次翌明下" else 0)
    else:
        year = doc_year
    if year is None:
        return None
    has_year = bool(g["y"] or g["rel"])
    if g["m"]:
        month = to_number(g["m"])
        b = _month_bounds(year, month, g["d"], g["mpart"])
        if b is None:
            return None
        return _Point(m.start(), m.end(), year, month, b[0], b[1], has_year, True)
    lo, hi = _year_part_bounds(year, g["ypart"] or g["yend"])
    return _Point(m.start(), m.end(), year, None, lo, hi, has_year, False)


def _tail_point(text: str, pos: int, first: _Point) -> _Point | None:
    """A range's second point written as just 下旬 / 15日 / 底, inheriting the first's month."""
    if first.month is None:
        return None
    m = TAIL_POINT.match(text, pos)
    if not m:
        return None
    b = _month_bounds(first.year, first.month, m.group("d"), m.group("mpart"))
    if b is None:
        return None
    return _Point(m.start(), m.end(), first.year, first.month, b[0], b[1], True, True)


def _points(text: str, doc_year: int | None):
    for m in POINT.finditer(text):
        if m.end() == m.start():
            continue
        p = _resolve_point(m, doc_year)
        if p is not None:
            yield p


def _second_point(text: str, pos: int, first: _Point, doc_year: int | None) -> _Point | None:
    m = POINT.match(text, pos)
    if m and m.end() > m.start():
        ctx_year = first.year
        p = _resolve_point(m, ctx_year)
        if p is not None:
            if not p.has_year and p.has_month and first.month and p.month < first.month:
                p = _resolve_point(m, ctx_year + 1)   # 11月至2月 → into the next year
            return p
    return _tail_point(text, pos, first)


def find_times(text: str, doc_year: int | None = None, mask: list[tuple[int, int]] | None = None) -> list[TimeSpan]:
    """Every time expression in ``text``, resolved. ``mask`` spans (e.g. 文号) are blanked first."""
    if mask:
        chars = list(text)
        for a, b in mask:
            for i in range(max(0, a), min(len(chars), b)):
                chars[i] = "#"
        work = "".join(chars)
    else:
        work = text
    out: list[TimeSpan] = []
    for m in YEAR_RANGE.finditer(work):  # whole years, which the point scan would read as the last one only
        y1, y2 = int(m.group("y1")), int(m.group("y2"))
        if y1 <= y2:
            out.append(TimeSpan(m.start(), m.end(), text[m.start():m.end()], date(y1, 1, 1), date(y2, 12, 31),
                                is_range=True))
    taken = [(t.begin, t.finish) for t in out]
    pos = 0
    pts = [p for p in _points(work, doc_year) if not any(a <= p.begin < b for a, b in taken)]
    i = 0
    while i < len(pts):
        p = pts[i]
        if p.begin < pos:
            i += 1
            continue
        start, end, finish, is_range = p.lo, p.hi, p.finish, False
        sep = RANGE_SEP.match(work, p.finish)
        if sep:
            q = _second_point(work, sep.end(), p, doc_year)
            if q is not None:
                start, end, finish, is_range = p.lo, q.hi, q.finish, True
        before = False
        suf = BEFORE_SUFFIX.match(work, finish)
        if suf:
            start, before, finish = None, True, suf.end()
        else:
            suf = OPEN_END_SUFFIX.match(work, finish)
            if suf and not is_range:
                end, finish = None, suf.end()
        if UNTIL_PREFIX.search(work, max(0, p.begin - 4), p.begin):
            start, before = None, True
        out.append(TimeSpan(p.begin, finish, text[p.begin:finish], start, end, before, is_range,
                            year_given=p.has_year))
        pos = finish
        i += 1
    return sorted(out, key=lambda t: t.begin) if taken else out


def parse_time(expr: str, doc_year: int | None = None) -> tuple[date | None, date | None] | None:
    """The interval of the first time expression in ``expr`` (for tests and quick use)."""
    spans = find_times(expr, doc_year)
    return (spans[0].start, spans[0].end) if spans else None


# 成文日期 as printed under the signature: 2022年7月19日 / 二〇二二年七月十九日 / 2022-07-19
FULL_DATE = re.compile(
    rf"(?P<y>{YEAR})\s*年\s*(?P<m>{MONTH})\s*月\s*(?P<d>{DAY})\s*日"
    r"|(?P<y2>(?:19|20)\d{2})[-./](?P<m2>1[0-2]|0?[1-9])[-./](?P<d2>3[01]|[12]\d|0?[1-9])(?!\d)"
)


def full_date(text: str) -> date | None:
    """The calendar date of a complete date expression (year, month and day), else None."""
    m = FULL_DATE.search(text)
    if not m:
        return None
    if m.group("y"):
        return _safe(year_number(m.group("y")), to_number(m.group("m")), to_number(m.group("d")))
    return _safe(int(m.group("y2")), int(m.group("m2")), int(m.group("d2")))
