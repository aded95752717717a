"""The extraction pipeline: a blank spaCy ``zh`` Language with the jieba segmenter, the
extractors as registered components over one shared Doc.

``Doc._.structure`` carries the 公文 structure (pipeline.structure), ``Doc._.record`` the fields
as the components fill them, ``Doc._.evidence`` document-level evidence, ``Doc._.masks`` the 文号
spans, ``Doc._.year`` the year partial dates resolve against. Each component also leaves its
matches in ``doc.spans[<field>]``.
"""
from __future__ import annotations

import logging
from functools import lru_cache

# the components register themselves by name when imported
import extractors.addressees  # noqa: F401
import extractors.assignments  # noqa: F401
import extractors.benchmarks  # noqa: F401
import extractors.citations  # noqa: F401
import extractors.deadlines  # noqa: F401
import extractors.doc_number  # noqa: F401
import extractors.duties  # noqa: F401
import extractors.issuer  # noqa: F401
import extractors.phases  # noqa: F401
import extractors.rosters  # noqa: F401
import extractors.signed_date  # noqa: F401
import extractors.title  # noqa: F401

from .lexicons import load_words

# order matters: doc_number masks 文号 before anything reads dates; signed_date settles the year
COMPONENTS = [
    "duban_doc_number", "duban_title", "duban_issuer", "duban_addressees", "duban_signed_date",
    "duban_citations", "duban_phases", "duban_deadlines", "duban_duties", "duban_rosters",
    "duban_assignments", "duban_benchmarks",
]


def _extensions():
    from spacy.tokens import Doc

    for name in ("structure", "record", "evidence", "masks", "masked", "year"):
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)


@lru_cache(maxsize=1)
def get_nlp():
    """The pipeline, built once per process (start-up: spaCy import + jieba dictionary)."""
    import jieba
    import spacy

    jieba.setLogLevel(logging.WARNING)
    for word in load_words("jieba_user.txt"):
        jieba.add_word(word)
    _extensions()
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    for name in COMPONENTS:
        nlp.add_pipe(name)
    return nlp
