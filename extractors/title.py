"""Title and 文种 (doc_type).

The title is the one structure found (lines joined with no spaces); for a 通知 that issues a
plan it is the 通知's title. doc_type is the last generic noun of the title, from the lexicon
corpora/lexicons/doc_types.txt (compounds such as 实施方案 before 方案); a title that ends with
none (a news headline) has doc_type null.
"""
from __future__ import annotations

import re
from functools import lru_cache

from spacy.language import Language

from pipeline.text.lexicons import alternation
from pipeline.extraction.structure import TYPE_QUALIFIER

from extractors.common import add_value, register


@lru_cache(maxsize=1)
def _doc_type_at_end():
    # the 文种 word, a bracketed qualifier it may carry (（试行）, （2023—2025年）), then only closing
    # quotes/brackets: …实施方案》的通知 → 通知, …管理办法（试行） → 办法
    return re.compile(rf"({alternation('doc_types.txt')}){TYPE_QUALIFIER}[》”」』）)]*$")


def doc_type_of(title: str | None) -> str | None:
    if not title:
        return None
    m = _doc_type_at_end().search(title)
    return m.group(1) if m else None


@Language.factory("duban_title", requires=["doc._.structure"], assigns=["doc.spans", "span._.title", "span._.doc_type"])
def make_title(nlp, name):
    """span "title" (the title lines) with ``span._.title`` and ``span._.doc_type``."""
    register("title")
    register("doc_type")
    return title


def title(doc):
    st = doc._.structure
    if st.title_lines:
        a, b = st.lines[st.title_lines[0]], st.lines[st.title_lines[-1]]
        span = add_value(doc, "title", a.start, b.end, "TITLE", "title", st.title)
        span._.doc_type = doc_type_of(st.title)
    return doc
