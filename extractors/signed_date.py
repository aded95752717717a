"""成文日期 (signed_date) and the document's year.

The date printed under the signature (发文机关署名), in Arabic or Chinese numerals
(2022年7月19日, 二〇二二年七月十九日); structure finds it. A posting or crawl time (web chrome)
is never it. The same component settles the year partial dates resolve against (the attribute
``year`` of its span group, read through extractors.common.doc_year): the 成文日期's, else the
notice's own 文号 year, else the year the text names most often.
"""
from __future__ import annotations

import re

from spacy.language import Language

from pipeline.extraction.structure import document_year

from extractors.common import masked_text, register, values

# a year the text names: 2021年 (文号 are masked before this is read)
TEXT_YEAR = re.compile(r"(?<![\d#])((?:19|20)\d{2})\s*年")


@Language.factory("duban_signed_date", requires=["doc._.structure", "span._.doc_number"],
                  assigns=["doc.spans", "span._.signed_date"])
def make_signed_date(nlp, name):
    """span "signed_date" (the date line) with ``span._.signed_date``; the group's attribute ``year``."""
    register("signed_date")
    return signed_date


def signed_date(doc):
    st = doc._.structure
    spans = []
    line = st.date_line if st.date_line is not None else st.printed_line
    if line is not None:
        ln = st.lines[line]
        span = doc.char_span(ln.start, ln.end, label="DATE")
        span._.signed_date = st.signed_date.isoformat() if st.signed_date else None
        spans.append(span)
    own = next(iter(values(doc, "doc_number", "doc_number")), None)
    years = [int(y) for y in TEXT_YEAR.findall(masked_text(doc))]
    doc.spans["signed_date"] = spans
    doc.spans["signed_date"].attrs["year"] = document_year(st, own["year"] if own else None, years)
    return doc
