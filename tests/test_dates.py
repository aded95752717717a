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
