"""发文字号: the notice's own document number, e.g. 经开区工〔2022〕43号.

Patterns: ``DOC_NUMBER`` (pipeline.structure) — prefix, 〔year〕 in any bracket style ([] ［］ ()
（） 【】), serial, 号. The notice's own number is the one alone on its line in the 版头 (above or
just below the title); a number met in the body (（临发[2020]6号）) is a cited document's.
This component also records every 文号 mention in the text as ``doc.spans["doc_numbers"]``, so that
date readers never read 〔2021〕12号 as a date (extractors.common.masked_text).
"""
from __future__ import annotations

import re

from spacy.language import Language

from pipeline.extraction.structure import DOC_NUMBER

from extractors.common import add_value, doc_text, normalize_number, register


# the bracketed year inside every 文号: a DOC_NUMBER match starts at most 16 characters (its prefix)
# and a run of white space before one (keep in step with pipeline.structure.DOC_NUMBER)
YEAR_BRACKET = re.compile(r"[〔\[［(（【〖﹝](?:19|20)\d{2}[〕\]］)）】〗﹞]")
PREFIX_MAX = 16


def find_numbers(text: str):
    """``DOC_NUMBER.finditer(text)``, searched from just before each bracketed year instead of at
    every character."""
    pos = 0
    while True:
        anchor = YEAR_BRACKET.search(text, pos)
        if anchor is None:
            return
        w = anchor.start()
        while w > pos and text[w - 1].isspace():
            w -= 1
        m = DOC_NUMBER.search(text, max(pos, w - PREFIX_MAX))
        if m is None:
            return
        yield m
        pos = m.end()


@Language.factory("duban_doc_number", requires=["doc._.structure"], assigns=["doc.spans", "span._.doc_number"])
def make_doc_number(nlp, name):
    """spans "doc_numbers": every 文号 mention; "doc_number": the notice's own, ``span._.doc_number``."""
    register("doc_number")
    return doc_number


def doc_number(doc):
    st = doc._.structure
    doc.spans["doc_numbers"] = [doc.char_span(m.start(), m.end(), label="DOC_NUMBER") for m in find_numbers(doc_text(doc))]
    if st.doc_number_line is not None:
        ln = st.lines[st.doc_number_line]
        m = DOC_NUMBER.search(doc_text(doc), ln.start, ln.end)
        if m:
            add_value(doc, "doc_number", m.start(), m.end(), "DOC_NUMBER", "doc_number", normalize_number(m))
    return doc
