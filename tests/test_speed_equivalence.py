"""The speed-ups give what the slower code gave: the first-character filters in the date resolver
and the duty periods list every character a match can start with; the 文号 finder is DOC_NUMBER's
own search. Also: the pipeline's tokenizer gives one token per character (a span is exactly its
evidence), and jieba, kept for search words and word frequencies, applies the user dictionary."""
from __future__ import annotations

import re
from pathlib import Path

try:  # the regex parser, only to read the patterns' first characters
    import re._parser as sre_parse   # Python >= 3.11
except ImportError:   # Python 3.10
    import sre_parse

import pytest

from extractors import duties
from pipeline.text import dates, segment
from pipeline.text.lexicons import load_words
from pipeline.extraction.nlp import get_nlp
from pipeline.extraction.normalize import normalize
from pipeline.readers import read

ROOT = Path(__file__).resolve().parent.parent
ODD = ["", " ", "  \n", "a b", "组长 王之成  书记\n\n成员：", "2023年3月16日—3月31日", "ABC123 x.5%-#&",
       "\u3000各村（社区）\r\n每周", "第1 2 3次 ", "领导小组办公室设在县教育局。 "]


def _texts():
    files = sorted((ROOT / "corpora" / "notices").iterdir())
    return [normalize(read(f)).text for f in files if f.is_file()] + ODD


@pytest.fixture(scope="module")
def nlp():
    return get_nlp()


def test_one_token_per_character(nlp):
    for text in _texts():
        doc = nlp.make_doc(text)
        assert doc.text == text
        assert [t.idx for t in doc] == list(range(len(text)))
        assert all(not t.whitespace_ for t in doc)


def test_user_dictionary_applies():
    for word in load_words("jieba_user.txt"):
        if len(word) >= 3:
            assert word in segment.cut(f"由{word}负责"), word


def _first(items) -> tuple[set, bool]:
    """(the literal first characters, may be empty) of a parsed pattern sequence."""
    out = set()
    for op, av in items:
        if op is sre_parse.AT or op in (sre_parse.ASSERT, sre_parse.ASSERT_NOT):
            continue  # zero width
        if op is sre_parse.LITERAL:
            return out | {chr(av)}, False
        if op is sre_parse.IN:
            for kind, val in av:
                if kind is sre_parse.LITERAL:
                    out.add(chr(val))
                elif kind is sre_parse.RANGE:
                    out.update(map(chr, range(val[0], val[1] + 1)))
                else:
                    raise AssertionError(f"unexpected set member {kind}")
            return out, False
        if op is sre_parse.BRANCH:
            nullable = False
            for branch in av[1]:
                f, n = _first(branch)
                out |= f
                nullable = nullable or n
            if not nullable:
                return out, False
            continue
        if op is sre_parse.SUBPATTERN:
            f, n = _first(av[-1])
        elif op in (sre_parse.MAX_REPEAT, sre_parse.MIN_REPEAT):
            f, n = _first(av[2])
            n = n or av[0] == 0
        else:
            raise AssertionError(f"unexpected op {op}")
        out |= f
        if not n:
            return out, False
    return out, True


def _first_chars(pattern: str) -> set:
    return _first(sre_parse.parse(pattern))[0]


def test_point_first_covers_every_point():
    body = dates.POINT.pattern.split(")", 1)[1]  # the pattern without its lookahead
    assert dates.POINT.pattern == rf"(?=[{dates.POINT_FIRST}])" + body
    assert _first_chars(body) <= _first_chars(f"[{dates.POINT_FIRST}]")


def test_period_first_covers_every_period_word():
    for pattern in [p for p, _ in duties.PERIODS] + [duties.OTHER_FREQ]:
        assert _first_chars(pattern.pattern) <= duties.PERIOD_FIRST, pattern.pattern


def test_point_lookahead_changes_no_match():
    plain = re.compile(dates.POINT.pattern.split(")", 1)[1])
    for text in _texts():
        assert [m.span() for m in plain.finditer(text) if m.end() > m.start()] == \
            [m.span() for m in dates.POINT.finditer(text) if m.end() > m.start()]


def test_find_numbers_is_doc_number_finditer():
    import random

    from extractors.doc_number import find_numbers
    from pipeline.extraction.structure import DOC_NUMBER

    rng = random.Random(7)
    pieces = ["岚政发", "〔2023〕", "[2020]", "（2019）", "8号", "第12号", " ", "\n", "　", "经开区工", "印发", "A",
              "abcdefghijklmnopq", "号", "2023", "，", "〔1999〕3 号", "（临发[2020]6号）"]
    texts = _texts() + ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 12))) for _ in range(3000)]
    for text in texts:
        assert [m.span() for m in find_numbers(text)] == [m.span() for m in DOC_NUMBER.finditer(text)], text
