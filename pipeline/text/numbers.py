"""Shared helper: numbers as notices write them (Arabic, full-width, Chinese numerals) → int/float.

cn2an does the Chinese numerals; this module only prepares the string (○/O for 〇, 俩 for 两)
and handles what cn2an does not (一半 → 50, the percentage a 一半 stands for).
"""
from __future__ import annotations

import re

import cn2an

# the characters a number can be written with
CN_DIGITS = "〇○零一二两俩三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟"
NUM = rf"(?:\d+(?:\.\d+)?|[{CN_DIGITS}]+)"
_ZERO = str.maketrans({"○": "〇", "O": "〇", "o": "〇", "Ｏ": "〇", "俩": "两"})


def to_number(s: str | None):
    """'15' → 15, '477.1' → 477.1, '两' → 2, '十二' → 12, '二〇二二' → 2022, '一半' → 50; else None."""
    if s is None:
        return None
    s = s.strip().replace(",", "").translate(_ZERO)
    if not s:
        return None
    if s == "一半" or s == "半数":
        return 50
    if re.fullmatch(r"\d+", s):
        return int(s)
    if re.fullmatch(r"\d+\.\d+", s):
        return float(s)
    try:
        v = cn2an.cn2an(s, "smart")
    except (ValueError, KeyError, IndexError, TypeError):
        return None
    return int(v) if float(v).is_integer() else float(v)


def year_number(s: str) -> int | None:
    """A year written digit by digit: '2022', '二〇二二', '二○二一' → int."""
    s = s.translate(_ZERO)
    if re.fullmatch(r"\d{4}", s):
        return int(s)
    digits = {"〇": "0", "零": "0", "一": "1", "二": "2", "三": "3", "四": "4", "五": "5",
              "六": "6", "七": "7", "八": "8", "九": "9"}
    if len(s) == 4 and all(c in digits for c in s):
        return int("".join(digits[c] for c in s))
    return None
