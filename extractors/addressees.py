"""主送机关 (addressees): the line before the body that ends in ：, split at ，and ；only.

A 、 list stays one entry: "各省、自治区、直辖市人民政府，国务院各部委、各直属机构" is two.
"""
from __future__ import annotations

import re

from spacy.language import Language

from extractors.common import add_value, register

# where one addressee ends and the next begins
SEPARATORS = re.compile(r"[，,；;]")


def split_addressees(line: str) -> list[str]:
    line = line.rstrip("：:").strip()
    return [p.strip() for p in SEPARATORS.split(line) if p.strip()]


@Language.factory("duban_addressees", requires=["doc._.structure"], assigns=["doc.spans", "span._.addressees"])
def make_addressees(nlp, name):
    """span "addressees" (the 主送 line) with the list in ``span._.addressees``."""
    register("addressees")
    return addressees


def addressees(doc):
    st = doc._.structure
    if st.addressee_line is not None:
        ln = st.lines[st.addressee_line]
        add_value(doc, "addressees", ln.start, ln.end, "ADDRESSEES", "addressees", split_addressees(ln.text))
    return doc
