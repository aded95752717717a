"""Chinese full-text search for the tracker: jieba-segmented words in SQLite FTS5.

SQLite's unicode61 tokenizer treats a run of CJK characters as one token, and trigram cannot find
a two-character word, so neither finds 调研 inside 实地调研企业. We index words instead: the text
is cut by jieba in search mode (long words also yield their dictionary sub-words: 安全生产 →
安全 生产 安全生产), joined by spaces, so unicode61 sees one token per word. A query is cut the
same way and every word must match; a query too short for the index (one character) falls back to
LIKE on the raw text. Both sides cut by the dictionary alone (no HMM), through pipeline.text.segment:
the same text always gives the same words, and a query never loads spaCy.
"""
from __future__ import annotations

import re

from pipeline.text import segment

_WORD = re.compile(r"[\w%]+")



def words(text: str | None) -> str:
    """Space-joined search words of a text (for the index column): jieba's search mode, so a long
    word also gives its dictionary sub-words."""
    if not text:
        return ""
    return " ".join(w for w in segment.cut_for_search(text) if _WORD.fullmatch(w))


def fts_query(query: str) -> str | None:
    """The FTS5 MATCH expression for a user's query, or None when it needs the LIKE fallback."""
    terms = [w for w in segment.cut(query.strip()) if _WORD.fullmatch(w)]
    if not terms or any(len(t) < 2 and not t.isascii() for t in terms):
        return None
    return " AND ".join('"' + t.replace('"', '""') + '"' for t in terms)
