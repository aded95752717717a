"""Evidence: the sentence (and page) around a finding, from its [start, end) in the normalized text.

Used by the field components (through extractors.common) and by the record builder, which gives
each list entry the evidence of its span.
"""
from __future__ import annotations


def doc_text(doc) -> str:
    """``doc.text``, joined once per Doc: spaCy rebuilds it from every token on each access, which
    cost more than all the rules together when each evidence sentence was cut from it."""
    text = doc.user_data.get("duban_text")
    if text is None:
        text = doc.user_data["duban_text"] = doc.text
    return text


def evidence(doc, start: int, end: int) -> dict:
    """{text, page, start, end}: the sentence holding [start, end) in the normalized text."""
    st = doc._.structure
    s0, s1 = st.sentence_at(start)
    s1 = max(s1, min(end, _line_end(st, start)))
    ln = st.norm.line_at(start)
    return {"text": doc_text(doc)[s0:s1].strip(), "page": ln.page if ln else None, "start": start, "end": end}


def _line_end(st, offset):
    ln = st.norm.line_at(offset)
    return ln.end if ln else offset
