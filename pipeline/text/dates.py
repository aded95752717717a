"""Shared helper: Chinese date expressions → calendar intervals.

One resolver for phases, deadlines and the 成文日期. It finds *points* (2022年7月19日, 7月中旬,
12月底, 2021年全年, 三季度, 二〇二二年七月十九日…), links two points joined by a range
separator (—, –, ~, 至, 到…) into a range, and reads the words around them that open an end
(…前 / 截至… → no start; …开始 / …起 / …以后 → no end). A point without a year takes the
document's year (成文日期, else the year the text names); the second point of a range takes the
first one's year and month ("7月中旬至下旬", "3月1日—15日"), and a later point whose month is
earlier than the first one's without a year of its own is in the next year ("11月至次年3月",
"11月至2月").

Forms the point scan cannot read come as points of their own (EXTRA_FORMS, ``_extra_points``): a day
range in one month (4月12—19日), a month range with one 月 (3-5月, 2018年2——4月), dotted and ISO dates
(2021.3.1, 2020-05-26) and dotted year-month ranges (2023.3—2023.5), 即日起 / 自印发之日起 (the signing
date, ``today``), 本月底 / 次月10日 (from ``today``); a holiday (春节, 国庆…, through lunar-python) only ends a
range ("至次年春节前"). A weekday in brackets or a clock time after a day (6月30日（星期五）17:00前) belongs to
it; a bare 至/到 before a date opens its start; "…—）" leaves the end open; dates listed before one 前
share it. When a date cannot be told (no year, no signing date), it is left out: never a guess.

Rules (docs/record.md): 上旬 = days 1–10, 中旬 = 11–20, 下旬 = 21–month end, 初 = 1–10, 底/末 = the
last day, 上半年 = Jan–Jun, 三季度 = Jul–Sep, 全年 = Jan 1–Dec 31, 年内 = by Dec 31; 首季度 = Q1,
前三季度 = Jan 1–Sep 30, 一季度末 = Mar 31.

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
YEAR_PART = (r"上半年|下半年|年初|年中|年底|年末|全年|年内|(?:第?[一二三四1-4]|首)季度(?:末|底)?"
             r"|前[两二三四2-4]个?季度")
# a year relative to the document's
REL_YEAR = r"次年|翌年|明年|下一?年度?|当年|今年|本年度?"

# the characters a point can start with (a year, a month, a part of a year, a relative year, or
# 底/末/初 after 年): the lookahead lets the scan skip every other position in C instead of
# yielding an empty match there
POINT_FIRST = r"0-9二〇○零一三四五六七八九十上下年全第次翌明当今本底末初首前"
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
# words after a time that leave its start open (deadline) or its end open; 前后 is "around", no deadline
BEFORE_SUFFIX = re.compile(r"\s*(?:之前|以前|前(?!后)|截止|为止|止)")
OPEN_END_SUFFIX = re.compile(r"\s*(?:开始|起|以后|之后|以来)")
UNTIL_PREFIX = re.compile(r"(?:截至|截止到|截止至|截止)\s*$")
# a bare 至/到 opening a window has no start: "（至3月25日）", "到11月底，…"
OPEN_START_PREFIX = re.compile(r"(?:^|[（(：:，,。；;\s])(?:至|到)\s*$")
# what may stand between a day and its 前 / its verb: the weekday in brackets and a clock time
# ("6月30日（星期五）前", "10月8日17:00前", "5月9日上午8时前", "下午下班前", "晚8点前"): the date is the deadline
DAY_TRAILER = re.compile(
    r"(?:\s*[（(](?:星期|周|礼拜)[一二三四五六日天][）)])?"
    r"(?:\s*(?:(?:上午|下午|中午|晚上|晚间|晚|早上|早|凌晨)?\s*"
    r"(?:\d{1,2}\s*[:：]\s*\d{2}|[0-9一二三四五六七八九十]{1,3}\s*[点时](?:\s*\d{1,2}\s*分|半|整)?)"
    r"|(?:上午|下午|晚上)?\s*下班))?")
# "…起至…" / "…开始至…": an open-end word between two points of a range
RANGE_START_WORD = re.compile(r"\s*(?:起|开始)(?=\s*(?:至|到|—|–|-|－|~|～))")
# "…至…止": the word that closes a range
RANGE_STOP_WORD = re.compile(r"\s*止")
# a range whose second point is left blank: "（2022年5月1日—）"
BLANK_END = re.compile(r"\s*(?:—{1,2}|–|-|－|~|～)\s*(?=[）)]|$)")

# forms the point scan cannot read, resolved as points of their own (EXTRA_FORMS):
# a range of days in one month: 4月12—19日, 5月11-13日
DAY_RANGE = re.compile(
    rf"(?:(?P<rel>{REL_YEAR})|(?P<y>{YEAR})\s*年)?(?P<m>{MONTH})\s*月(?P<d1>{DAY})\s*[日号]?"
    rf"\s*(?:—{{1,2}}|–|-|－|~|～|至|到)\s*(?P<d2>{DAY})\s*[日号]")
# a range of months with one 月: 3-5月, 2018年2——4月, 1－9月份, 6—8月
MONTH_RANGE = re.compile(
    rf"(?<![\d.\-－])(?:(?P<rel>{REL_YEAR})|(?P<y>{YEAR})\s*年)?(?P<m1>1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])"
    rf"\s*(?:—{{1,2}}|–|-|－|~|～|至|到)\s*(?P<m2>1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])\s*月份?"
    rf"(?:(?P<d>{DAY})\s*[日号]|(?P<mpart>{MONTH_PART}))?")
# a dotted or ISO date: 2021.3.1, 2020-05-26, 2020/5/26
NUMERIC_DATE = re.compile(r"(?<![\d.\-/])(?P<y>(?:19|20)\d{2})\s*(?P<s>[-./－])\s*(?P<m>1[0-2]|0?[1-9])\s*(?P=s)\s*"
                          r"(?P<d>3[01]|[12]\d|0?[1-9])(?![\d.])")
# a range of dotted year-months, as tables write them: 2023.3—2023.5, 2023.03-2023.05 (both with a year:
# "2023.3" alone may be a number)
NUMERIC_MONTHS = re.compile(r"(?<![\d.\-/])(?P<y1>(?:19|20)\d{2})[.．/](?P<m1>1[0-2]|0?[1-9])\s*(?:—{1,2}|–|-|－|~|～|至|到)\s*"
                            r"(?P<y2>(?:19|20)\d{2})[.．/](?P<m2>1[0-2]|0?[1-9])(?![\d.．/]|\s*(?:万|亿|元|%|％))")
# a month named from the signing date: 本月底前, 次月10日前, 下个月中旬
REL_MONTH = re.compile(rf"(?P<rm>本月|当月|下个?月|次月)(?:(?P<d>{DAY})\s*[日号]|(?P<mpart>{MONTH_PART}))?")
# 即日起 / 自即日起 / 从即日开始 / 自印发之日起: from the signing date
FROM_TODAY = re.compile(r"(?:自|从)?(?:即日|(?:印发|发布|公布|下发|发文)之日)(?:起|开始)?")
# a holiday as a point: 春节, 次年春节, 2024年元旦, 国庆节
HOLIDAY = re.compile(rf"(?:(?P<rel>{REL_YEAR})|(?P<y>{YEAR})\s*年)?(?P<h>元旦|春节|元宵节?|清明节?|劳动节|端午节?|中秋节?|国庆节?)"
                     rf"(?:假期|期间|节日?)?")
# a range of whole years whose first year goes without 年: 2024—2025年, 2021-2025年度
YEAR_RANGE = re.compile(r"(?<!\d)(?P<y1>(?:19|20)\d{2})\s*(?:—{1,2}|–|-|－|~|～|至|到)\s*(?P<y2>(?:19|20)\d{2})\s*年度?"
                        r"(?!\s*(?:\d|[一二三四五六七八九十]+\s*月|[上下]半年|底|末|初|第?[一二三四1-4]季度))")

QUARTERS = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4, "首": 1, "两": 2}


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
    if part.startswith("前"):          # 前三季度: from January to the end of the third quarter
        return date(y, 1, 1), last_day(y, 3 * QUARTERS[part[1]])
    q = QUARTERS[part.lstrip("第")[0]]
    if part[-1] in "末底":             # 一季度末: the quarter's last day
        return last_day(y, 3 * q), last_day(y, 3 * q)
    return date(y, 3 * q - 2, 1), last_day(y, 3 * q)


class _Point:
    __slots__ = ("begin", "finish", "year", "month", "lo", "hi", "has_year", "has_month", "is_range", "has_day")

    def __init__(self, begin, finish, year, month, lo, hi, has_year, has_month, is_range=False, has_day=False):
        self.begin, self.finish = begin, finish
        self.year, self.month = year, month
        self.lo, self.hi = lo, hi
        self.has_year, self.has_month = has_year, has_month
        self.is_range = is_range    # a range in one expression (4月12—19日, 3-5月)
        self.has_day = has_day      # names a day, so a weekday or a clock time may follow


def _year_of(g: dict, doc_year: int | None) -> tuple[int | None, bool]:
    """The year a match names (its ``y`` or ``rel`` group), else the document's; and whether it was named."""
    if g.get("y"):
        return year_number(g["y"]), True
    if g.get("rel"):
        if doc_year is None:
            return None, True
        return doc_year + (1 if g["rel"][0] in "次翌明下" else 0), True
    return doc_year, False


def _resolve_point(m: re.Match, doc_year: int | None) -> _Point | None:
    g = m.groupdict()
    if not (g["y"] or g["m"] or g["ypart"] or (g["rel"] and (g["m"] or g["ypart"]))):
        return None
    year, has_year = _year_of(g, doc_year)
    if year is None:
        return None
    if g["m"]:
        month = to_number(g["m"])
        b = _month_bounds(year, month, g["d"], g["mpart"])
        if b is None:
            return None
        return _Point(m.start(), m.end(), year, month, b[0], b[1], has_year, True, has_day=bool(g["d"]))
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
    return _Point(m.start(), m.end(), first.year, first.month, b[0], b[1], True, True, has_day=bool(m.group("d")))


def holiday_date(name: str, year: int) -> date | None:
    """The calendar date of a Chinese holiday in ``year`` (lunar ones through lunar-python)."""
    from lunar_python import Lunar, Solar

    key = name.rstrip("节")
    fixed = {"元旦": (1, 1), "劳动": (5, 1), "国庆": (10, 1)}
    if key in fixed:
        return date(year, *fixed[key])
    lunar = {"春": (1, 1), "元宵": (1, 15), "端午": (5, 5), "中秋": (8, 15)}
    if key in lunar:
        s = Lunar.fromYmd(year, *lunar[key]).getSolar()
        return date(s.getYear(), s.getMonth(), s.getDay())
    if key == "清明":
        s = Solar.fromYmd(year, 6, 1).getLunar().getJieQiTable()["清明"]
        return date(s.getYear(), s.getMonth(), s.getDay())
    return None


def _extra_points(text: str, doc_year: int | None, today: date | None) -> tuple[dict[int, _Point], dict[int, re.Match]]:
    """EXTRA_FORMS by start offset: day ranges, one-月 month ranges, numeric dates, 即日; and apart, the
    holidays, which only end a range ("至次年春节前")."""
    out: dict[int, _Point] = {}
    ends: dict[int, re.Match] = {}

    def put(p: _Point | None):
        if p is not None and not any(q.begin <= p.begin < q.finish for q in out.values()):
            out[p.begin] = p

    for m in NUMERIC_DATE.finditer(text):
        d = _safe(int(m.group("y")), int(m.group("m")), int(m.group("d")))
        if d:
            put(_Point(m.start(), m.end(), d.year, d.month, d, d, True, True, has_day=True))
    for m in DAY_RANGE.finditer(text):
        year, named = _year_of(m.groupdict(), doc_year)
        if year is None or not 1900 <= year <= 2100:
            continue
        month = to_number(m.group("m"))
        d1, d2 = to_number(m.group("d1")), to_number(m.group("d2"))
        lo, hi = _safe(year, month, d1), _safe(year, month, d2)
        if lo and hi and lo <= hi:
            put(_Point(m.start(), m.end(), year, month, lo, hi, named, True, is_range=True, has_day=True))
    for m in MONTH_RANGE.finditer(text):
        year, named = _year_of(m.groupdict(), doc_year)
        if year is None:
            continue
        m1, m2 = to_number(m.group("m1")), to_number(m.group("m2"))
        if not (isinstance(m1, int) and isinstance(m2, int) and 1 <= m1 <= 12 and 1 <= m2 <= 12):
            continue
        y2 = year + 1 if m2 < m1 else year          # 11—2月: into the next year
        first = _month_bounds(year, m1, None, None)
        last = _month_bounds(y2, m2, m.group("d"), m.group("mpart"))
        if first and last:
            put(_Point(m.start(), m.end(), y2, m2, first[0], last[1], named, True, is_range=True,
                       has_day=bool(m.group("d"))))
    for m in NUMERIC_MONTHS.finditer(text):
        y1, m1, y2, m2 = (int(m.group(k)) for k in ("y1", "m1", "y2", "m2"))
        if (y1, m1) <= (y2, m2):
            put(_Point(m.start(), m.end(), y2, m2, date(y1, m1, 1), last_day(y2, m2), True, True, is_range=True))
    if today is not None:
        for m in REL_MONTH.finditer(text):
            y, mo = (today.year, today.month) if m.group("rm") in ("本月", "当月") else \
                (today.year + today.month // 12, today.month % 12 + 1)
            b = _month_bounds(y, mo, m.group("d"), m.group("mpart"))
            if b:
                put(_Point(m.start(), m.end(), y, mo, b[0], b[1], True, True, has_day=bool(m.group("d"))))
    for m in FROM_TODAY.finditer(text):
        out.setdefault(m.start(), _Point(m.start(), m.end(), today.year if today else None, None, today, today,
                                         True, False))
    for m in HOLIDAY.finditer(text):
        ends[m.start()] = m
    return out, ends


def _holiday_end(m: re.Match, first: _Point, doc_year: int | None) -> _Point | None:
    """A holiday ending a range: in the year it names (次年 counts from the range's first year), else the
    first such holiday after the range's start; unknown when neither can be told."""
    base = first.year if first.year is not None else doc_year
    year, named = _year_of(m.groupdict(), base)
    if named:
        d = holiday_date(m.group("h"), year) if year else None
    elif first.lo is not None:
        d = holiday_date(m.group("h"), first.lo.year)
        if d is not None and d < first.lo:
            d = holiday_date(m.group("h"), first.lo.year + 1)
    else:
        d = None
    if d is None:
        return None
    return _Point(m.start(), m.end(), d.year, d.month, d, d, named, True, has_day=True)


def _points(text: str, doc_year: int | None, extras: dict[int, _Point]):
    spans = sorted((p.begin, p.finish) for p in extras.values())
    pts = [p for p in extras.values()]
    for m in POINT.finditer(text):
        if m.end() == m.start():
            continue
        if any(a <= m.start() < b or m.start() <= a < m.end() for a, b in spans):
            continue
        p = _resolve_point(m, doc_year)
        if p is not None:
            pts.append(p)
    return sorted(pts, key=lambda p: p.begin)


def _second_point(text: str, pos: int, first: _Point, doc_year: int | None,
                  extras: dict[int, _Point] | None = None, ends: dict[int, re.Match] | None = None) -> _Point | None:
    if extras and pos in extras and extras[pos].lo is not None:
        p = extras[pos]
        if first.lo is not None and p.hi < first.lo and not p.has_year:
            return None
        return p
    if ends and pos in ends:
        return _holiday_end(ends[pos], first, doc_year)
        if first.lo is not None and p.hi < first.lo and not p.has_year:
            return None
        return p
    m = POINT.match(text, pos)
    if m and m.end() > m.start():
        ctx_year = first.year if first.year is not None else doc_year
        p = _resolve_point(m, ctx_year)
        if p is not None:
            if not p.has_year and p.has_month and first.month and p.month < first.month:
                p = _resolve_point(m, ctx_year + 1)   # 11月至2月 → into the next year
            return p
    return _tail_point(text, pos, first)


def find_times(text: str, doc_year: int | None = None, mask: list[tuple[int, int]] | None = None,
               today: date | None = None) -> list[TimeSpan]:
    """Every time expression in ``text``, resolved. ``mask`` spans (e.g. 文号) are blanked first.
    ``today`` is the signing date: the start of 即日起…, and what a holiday without a year follows."""
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
    extras, ends = _extra_points(work, doc_year, today)
    pts = [p for p in _points(work, doc_year, extras) if not any(a <= p.begin < b for a, b in taken)]
    i = 0
    while i < len(pts):
        p = pts[i]
        if p.begin < pos:
            i += 1
            continue
        start, end, finish, is_range = p.lo, p.hi, p.finish, p.is_range
        if p.has_day:
            finish = DAY_TRAILER.match(work, finish).end()
        from_today = FROM_TODAY.fullmatch(work, p.begin, p.finish) is not None
        open_end = False
        word = RANGE_START_WORD.match(work, finish)
        sep = RANGE_SEP.match(work, word.end() if word else finish)
        q = _second_point(work, sep.end(), p, doc_year, extras, ends) if sep else None
        if q is not None:
            end, finish, is_range = q.hi, q.finish, True
            if q.has_day:
                finish = DAY_TRAILER.match(work, finish).end()
            stop = RANGE_STOP_WORD.match(work, finish)
            if stop:
                finish = stop.end()
        elif BLANK_END.match(work, finish):
            end, open_end, finish, is_range = None, True, BLANK_END.match(work, finish).end(), True
        elif from_today:
            if today is None or work[p.finish - 1] not in "起始":
                i += 1
                continue
            end = None          # 即日起, with nothing after: open
        before = False
        suf = BEFORE_SUFFIX.match(work, finish)
        if suf and not open_end:
            # "12月底前": no start; "即日起至12月底前": the range keeps its start
            start, before, finish = (start if is_range else None), True, suf.end()
        else:
            suf = OPEN_END_SUFFIX.match(work, finish)
            if suf and not is_range:
                end, finish = None, suf.end()
        if UNTIL_PREFIX.search(work, max(0, p.begin - 4), p.begin) or (
                not is_range and OPEN_START_PREFIX.search(work, max(0, p.begin - 3), p.begin)):
            start, before = None, True
        if start is None and end is None:
            i += 1
            continue
        out.append(TimeSpan(p.begin, finish, text[p.begin:finish], start, end, before, is_range,
                            year_given=p.has_year))
        pos = finish
        i += 1
    out = sorted(out, key=lambda t: t.begin) if taken else out
    _share_before(work, out)
    return out


# what joins the dates of a list that one 前 closes: "分别于9月10日、11月25日前报送"
LIST_JOIN = re.compile(r"\s*(?:、|和|及|或)\s*")


def _share_before(work: str, spans: list[TimeSpan]) -> None:
    """Dates listed one after another share the list's closing 前: each is a deadline (no start)."""
    for k in range(len(spans) - 2, -1, -1):
        a, b = spans[k], spans[k + 1]
        j = LIST_JOIN.match(work, a.finish)
        if (b.before and not b.is_range and not a.is_range and not a.before and j and j.end() == b.begin
                and a.start is not None and a.start == a.end):
            a.start, a.before = None, True


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
