"""Every date form the notices use, through the one resolver."""
from datetime import date

import pytest

from pipeline.text.dates import find_times, full_date, parse_time

D = date
CASES = [
    # (expression, document year, start, end)
    ("7月中旬", 2022, D(2022, 7, 11), D(2022, 7, 20)),
    ("7月中旬至下旬", 2022, D(2022, 7, 11), D(2022, 7, 31)),         # jionlp drops the end
    ("8月至12月", 2022, D(2022, 8, 1), D(2022, 12, 31)),              # jionlp raises
    ("12月底前", 2022, None, D(2022, 12, 31)),
    ("年内", 2022, None, D(2022, 12, 31)),                            # jionlp raises
    ("2021年12月下旬—2022年1月上旬", None, D(2021, 12, 21), D(2022, 1, 10)),
    ("2022年1月中旬—2022年2月中旬", None, D(2022, 1, 11), D(2022, 2, 20)),
    ("2022年2月下旬—2022年底", None, D(2022, 2, 21), D(2022, 12, 31)),
    ("2023年1月开始，持续推进", None, D(2023, 1, 1), None),
    ("2021年全年", None, D(2021, 1, 1), D(2021, 12, 31)),
    ("全年", 2021, D(2021, 1, 1), D(2021, 12, 31)),
    ("2023年3月1日—3月15日", None, D(2023, 3, 1), D(2023, 3, 15)),
    ("2023年3月1日至15日", None, D(2023, 3, 1), D(2023, 3, 15)),
    ("3月1日~3月15日", 2023, D(2023, 3, 1), D(2023, 3, 15)),
    ("4月中旬到5月底", 2023, D(2023, 4, 11), D(2023, 5, 31)),
    ("2月下旬", 2024, D(2024, 2, 21), D(2024, 2, 29)),               # leap year month end
    ("6月初", 2023, D(2023, 6, 1), D(2023, 6, 10)),
    ("6月末", 2023, D(2023, 6, 30), D(2023, 6, 30)),
    ("上半年", 2019, D(2019, 1, 1), D(2019, 6, 30)),
    ("2019年下半年", None, D(2019, 7, 1), D(2019, 12, 31)),
    ("三季度", 2022, D(2022, 7, 1), D(2022, 9, 30)),
    ("第四季度", 2022, D(2022, 10, 1), D(2022, 12, 31)),
    ("一季度至二季度", 2022, D(2022, 1, 1), D(2022, 6, 30)),
    ("11月至次年3月", 2023, D(2023, 11, 1), D(2024, 3, 31)),
    ("11月至2月", 2023, D(2023, 11, 1), D(2024, 2, 29)),
    ("2023年12月—2024年2月", None, D(2023, 12, 1), D(2024, 2, 29)),
    ("2023年10月以后", None, D(2023, 10, 1), None),
    ("2025年起", None, D(2025, 1, 1), None),
    ("截至2022年9月30日", None, None, D(2022, 9, 30)),
    ("于2022年1月4日前报", None, None, D(2022, 1, 4)),
    ("二〇二二年七月十九日", None, D(2022, 7, 19), D(2022, 7, 19)),
    ("二○二一年十二月二十日", None, D(2021, 12, 20), D(2021, 12, 20)),
    ("2022年年底前", None, None, D(2022, 12, 31)),
    ("（6月）", 2023, D(2023, 6, 1), D(2023, 6, 30)),
]


@pytest.mark.parametrize("expr,year,start,end", CASES)
def test_resolves(expr, year, start, end):
    got = parse_time(expr, year)
    if start is None and end is None:
        assert got is None
    else:
        assert got == (start, end)


def test_no_year_no_date():
    # a news report's 8月2日 with no year anywhere is not a resolvable date
    assert parse_time("8月2日下午", None) is None


def test_document_numbers_masked():
    text = "按照（临发[2020]6号）要求，于3月5日前完成"
    mask = [(3, 14)]
    spans = find_times(text, 2023, mask=mask)
    assert [(s.start, s.end) for s in spans] == [(None, D(2023, 3, 5))]


def test_not_a_date():
    assert find_times("三个月时间，一个产业，每月至少一次", 2022) == []


def test_full_date():
    assert full_date("2018年11月5日") == D(2018, 11, 5)
    assert full_date("二〇二二年七月十九日") == D(2022, 7, 19)
    assert full_date("2022-07-19") == D(2022, 7, 19)
    assert full_date("2022年13月1日") is None


def test_a_range_of_whole_years_with_one_nian():
    from datetime import date

    from pipeline.text.dates import parse_time

    assert parse_time("2024—2025年", 2024) == (date(2024, 1, 1), date(2025, 12, 31))
    assert parse_time("2021-2025年度", 2021) == (date(2021, 1, 1), date(2025, 12, 31))
    # a month after the second year is a point in that year, not a span of years
    assert parse_time("2024—2025年3月", 2024) == (date(2025, 3, 1), date(2025, 3, 31))


# forms of real notices the point scan alone got wrong (invented examples of each form)
FORMS = [
    ("4月12—19日", 2023, D(2023, 4, 12), D(2023, 4, 19)),            # a day range in one month, not the month
    ("5月6-9日在网上公示", 2023, D(2023, 5, 6), D(2023, 5, 9)),
    ("3-5月", 2023, D(2023, 3, 1), D(2023, 5, 31)),                   # a month range with one 月
    ("2018年2——4月", None, D(2018, 2, 1), D(2018, 4, 30)),
    ("1－9月份", 2023, D(2023, 1, 1), D(2023, 9, 30)),
    ("11—2月", 2023, D(2023, 11, 1), D(2024, 2, 29)),
    ("2021.3.1—2021.5.31", None, D(2021, 3, 1), D(2021, 5, 31)),       # dotted and ISO dates
    ("自2020-05-26至2020-05-29止", None, D(2020, 5, 26), D(2020, 5, 29)),
    ("首季度", 2023, D(2023, 1, 1), D(2023, 3, 31)),
    ("前两个季度", 2023, D(2023, 1, 1), D(2023, 6, 30)),
    ("2023年前三季度", None, D(2023, 1, 1), D(2023, 9, 30)),
    ("一季度末前", 2023, None, D(2023, 3, 31)),                        # the quarter's last day
    ("10月8日17:00前", 2023, None, D(2023, 10, 8)),                   # a clock time: the date is the deadline
    ("12月5日晚8点前", 2023, None, D(2023, 12, 5)),
    ("9月3日下午下班前", 2023, None, D(2023, 9, 3)),
    ("6月30日（星期五）前", 2023, None, D(2023, 6, 30)),               # a weekday in brackets
    ("于2015年5月9日（星期六）上午8时前到校", None, None, D(2015, 5, 9)),
    ("（至3月25日）", 2023, None, D(2023, 3, 25)),                     # a bare 至: no start
    ("到11月底，各支部", 2023, None, D(2023, 11, 30)),
    ("（2022年5月1日—）", None, D(2022, 5, 1), None),                  # a blank end
    ("2020年1月1日起至2020年12月31日", None, D(2020, 1, 1), D(2020, 12, 31)),
    ("11月至次年春节前", 2023, D(2023, 11, 1), D(2024, 2, 10)),         # a holiday ending a range
    ("12月至春节", 2024, D(2024, 12, 1), D(2025, 1, 29)),
    ("2023年10月至国庆节", None, D(2023, 10, 1), D(2023, 10, 1)),
]


@pytest.mark.parametrize("expr,year,start,end", FORMS)
def test_resolves_notice_forms(expr, year, start, end):
    assert parse_time(expr, year) == (start, end)


def test_from_today_starts_at_the_signing_date():
    signed = D(2023, 11, 20)
    [t] = find_times("自即日起至次年春节前", 2023, today=signed)
    assert (t.start, t.end) == (signed, D(2024, 2, 10))
    [t] = find_times("即日起至12月底", 2023, today=signed)
    assert (t.start, t.end) == (signed, D(2023, 12, 31))
    # without the signing date the start stays open, never a guess
    [t] = find_times("即日起至12月底", 2023)
    assert (t.start, t.end) == (None, D(2023, 12, 31))
    assert find_times("即日生效", 2023, today=signed) == []


def test_holidays_alone_are_no_deadline():
    # "节前" alone is as often a season as a deadline: a holiday only ends a range
    assert find_times("结合国庆节前开展督导", 2023) == []
    assert find_times("春节前后走访慰问", 2023, today=D(2023, 1, 5)) == []


def test_listed_dates_share_the_closing_before():
    spans = find_times("分别于3月10日、9月25日前报送", 2023)
    assert [(t.start, t.end, t.before) for t in spans] == [(None, D(2023, 3, 10), True), (None, D(2023, 9, 25), True)]
    spans = find_times("3月10日和9月25日举办两次", 2023)
    assert [t.before for t in spans] == [False, False]


def test_not_dates():
    for text in ("1-2个月", "第1-3名", "版本v2.3.1", "前两个工作日", "3-5人"):
        assert find_times(text, 2023) == [], text


def test_a_closing_word_after_a_date():
    assert parse_time("9月30日截止", 2023) == (None, D(2023, 9, 30))
    assert parse_time("报名至3月10日止", 2023) == (None, D(2023, 3, 10))
    assert parse_time("自3月1日起至3月10日止", 2023) == (D(2023, 3, 1), D(2023, 3, 10))


def test_from_the_issuing_day():
    signed = D(2023, 4, 3)
    [t] = find_times("自印发之日起至2023年12月31日", 2023, today=signed)
    assert (t.start, t.end) == (signed, D(2023, 12, 31))
    # 本方案自印发之日起施行: a start, no window to close
    [t] = find_times("本方案自印发之日起施行", 2023, today=signed)
    assert (t.start, t.end) == (signed, None)


def test_dotted_year_month_ranges():
    assert parse_time("2023.3—2023.5", None) == (D(2023, 3, 1), D(2023, 5, 31))
    assert parse_time("2022.11-2023.02", None) == (D(2022, 11, 1), D(2023, 2, 28))
    # amounts are no months
    assert find_times("产值2022.3-2023.5万元", None) == []


def test_months_named_from_the_signing_date():
    signed = D(2023, 11, 20)
    [t] = find_times("请于本月底前报送", 2023, today=signed)
    assert (t.start, t.end) == (None, D(2023, 11, 30))
    [t] = find_times("次月10日前完成", 2023, today=D(2023, 12, 5))
    assert (t.start, t.end) == (None, D(2024, 1, 10))
    # unknown without the signing date
    assert find_times("请于本月底前报送", 2023) == []
