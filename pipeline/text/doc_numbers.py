"""发文字号 (文号): the pattern and its one written form, 〔〕 brackets.

Notices write the year of a 文号 in any bracket (〔2018〕 [2018] ［2018］ (2018) （2018） 【2018】 〖2018〗 ﹝2018﹞);
records keep it as ``国办函〔2018〕71号``. Extraction (structure, the doc_number and citations extractors) and the
tracker's look-ups (``duban doc``, ``--doc``) share this module so a 文号 typed the way a notice prints it finds
the record.
"""
from __future__ import annotations

import re

OPEN_BRACKETS, CLOSE_BRACKETS = "〔[［(（【〖﹝", "〕]］)）】〗﹞"

# 发文字号: prefix + 〔year〕 + serial + 号, any bracket style
DOC_NUMBER = re.compile(
    r"(?P<prefix>[\u4e00-\u9fffA-Za-z]{1,16}?)\s*[〔\[［(（【〖﹝](?P<year>(?:19|20)\d{2})[〕\]］)）】〗﹞]\s*"
    r"(?:第\s*)?(?P<serial>\d{1,5})\s*号"
)

# what a person types: the same, with 号 optional and nothing else around it
_TYPED = re.compile(
    r"\s*(?P<prefix>[\u4e00-\u9fffA-Za-z]{1,16}?)\s*[〔\[［(（【〖﹝]\s*(?P<year>(?:19|20)\d{2})\s*[〕\]］)）】〗﹞]\s*"
    r"(?:第\s*)?(?P<serial>\d{1,5})\s*号?\s*"
)


def normalize_number(m) -> dict:
    """A DOC_NUMBER match → {text, prefix, year, serial}, the 文号 written with 〔〕."""
    prefix = m.group("prefix").strip()
    year, serial = int(m.group("year")), m.group("serial")
    return {"text": f"{prefix}〔{year}〕{serial}号", "prefix": prefix, "year": year, "serial": int(serial)}


def canonical_doc_number(text: str) -> str | None:
    """A 文号 typed in any bracket form, with or without 号 (``国办函[2018]71号``, ``国办函(2018)71``) →
    the records' form ``国办函〔2018〕71号``; None when ``text`` is not a 文号."""
    m = _TYPED.fullmatch(text or "")
    if not m:
        return None
    return normalize_number(m)["text"]
