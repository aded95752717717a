"""Chinese full-text search for the tracker: jieba-segmented words in SQLite FTS5.

SQLite's unicode61 tokenizer treats a run of CJK characters as one token, and trigram cannot find
a two-character word, so neither finds 调研 inside 实地调研企业. We index words instead: the text
is cut by jieba in search mode (long words also yield their dictionary sub-words: 安全生产 →
安全 生产 安全生产), joined by spaces, so unicode61 sees one token per word. A query is cut the
same way and every word must match; a query too short for the index (one character) falls back to
LIKE on the raw text. Both sides cut by the dictionary alone (no HMM), as the pipeline's tokenizer
does: the same text always gives the same words.
"""
from __future__ import annotations

import re

_WORD = re.compile(r"[\w%]+")


def _jieba():
    import jieba

    from pipeline.extraction.nlp import get_nlp

    get_nlp()  # loads the official-vocabulary user dictionary into jieba once
    return jieba


def words(text: str | None) -> str:
    """Space-joined search words of a text (for the index column)."""
    if not text:
        return ""
    jieba = _jieba()
    out = [w for w in jieba.cut_for_search(text, HMM=False) if _WORD.fullmatch(w)]
    return " ".join(out)


def doc_words(doc) -> str:
    """Search words of a whole spaCy Doc, reusing the pipeline's jieba tokens (no second cut).

    Mirrors jieba's search mode: a token longer than two characters also contributes its two- and
    three-character sub-words that are dictionary words.
    """
    freq = _jieba().dt.FREQ
    out = []
    for tok in doc:
        w = tok.text
        if not _WORD.fullmatch(w):
            continue
        if len(w) > 2:
            for n in (2, 3):
                if len(w) > n:
                    out.extend(w[i:i + n] for i in range(len(w) - n + 1) if freq.get(w[i:i + n]))
        out.append(w)
    return " ".join(out)


def fts_query(query: str) -> str | None:
    """The FTS5 MATCH expression for a user's query, or None when it needs the LIKE fallback."""
    jieba = _jieba()
    terms = [w for w in jieba.cut(query.strip(), HMM=False) if _WORD.fullmatch(w)]
    if not terms or any(len(t) < 2 and not t.isascii() for t in terms):
        return None
    return " AND ".join('"' + t.replace('"', '""') + '"' for t in terms)
