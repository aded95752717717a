"""成文日期 (signed_date) and the document's year.

The date printed under the signature (发文机关署名), in Arabic or Chinese numerals
(2022年7月19日, 二〇二二年七月十九日); structure finds it. A posting or crawl time (web chrome)
is never it. The same component settles ``doc._.year``, the year partial dates resolve against:
the 成文日期's, else the notice's own 文号 year, else the year the text names most often.
"""
from __future__ import annotations

import re

from spacy.language import Language

from pipeline.extraction.structure import document_year

from extractors.common import add_span, doc_text, evidence

# a year the text names: 2021年 (文号 are masked before this is read)
TEXT_YEAR = re.compile(r"(?<![\d#])((?:19|20)\d{2})\s*年")


def masked_text(doc) -> str:
    if doc._.masked is None:
        chars = list(doc_text(doc))
        for a, b in doc._.masks or []:
            chars[a:b] = "#" * (b - a)
        doc._.masked = "".join(chars)
    return doc._.masked


@Language.component("duban_signed_date")
def signed_date(doc):
    st = doc._.structure
    rec = doc._.record
    rec["signed_date"] = st.signed_date.isoformat() if st.signed_date else None
    if st.date_line is not None:
        ln = st.lines[st.date_line]
        add_span(doc, "signed_date", ln.start, ln.end, "DATE")
        doc._.evidence["signed_date"] = evidence(doc, ln.start, ln.end)
    own = rec.get("doc_number")
    years = [int(y) for y in TEXT_YEAR.findall(masked_text(doc))]
    doc._.year = document_year(st, own["year"] if own else None, years)
    return doc
