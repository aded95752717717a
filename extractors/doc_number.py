"""发文字号: the notice's own document number, e.g. 经开区工〔2022〕43号.

Patterns: ``DOC_NUMBER`` (pipeline.structure) — prefix, 〔year〕 in any bracket style ([] ［］ ()
（） 【】), serial, 号. The notice's own number is the one alone on its line in the 版头 (above or
just below the title); a number met in the body (（临发[2020]6号）) is a cited document's.
This component also records every 文号 span in the text as ``doc._.masks``, so that date
parsing never reads 〔2021〕12号 as a date.
"""
from __future__ import annotations

import re

from spacy.language import Language

from pipeline.extraction.structure import DOC_NUMBER

from extractors.common import add_span, doc_text, evidence


def normalize_number(m) -> dict:
    prefix = m.group("prefix").strip()
    year, serial = int(m.group("year")), m.group("serial")
    return {"text": f"{prefix}〔{year}〕{serial}号", "prefix": prefix, "year": year, "serial": int(serial)}


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


@Language.component("duban_doc_number")
def doc_number(doc):
    st = doc._.structure
    doc._.masks = [(m.start(), m.end()) for m in find_numbers(doc_text(doc))]
    record = doc._.record
    record["doc_number"] = None
    if st.doc_number_line is not None:
        ln = st.lines[st.doc_number_line]
        m = DOC_NUMBER.search(doc_text(doc), ln.start, ln.end)
        if m:
            record["doc_number"] = normalize_number(m)
            add_span(doc, "doc_number", m.start(), m.end(), "DOC_NUMBER")
            doc._.evidence["doc_number"] = evidence(doc, m.start(), m.end())
    return doc
