"""Lexicons: word lists and pattern lists kept as data in corpora/lexicons/, loaded once.

Word lists: entries separated by white space (one or many per line). Pattern lists: one regular
expression per line. In both, a line starting with ``#`` is a comment, and blank lines are ignored.
"""
from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

# the lexicons are package data of corpora.lexicons (pyproject.toml), found wherever duban is installed
LEXICON_PACKAGE = "corpora.lexicons"


def _lines(name: str):
    for line in resources.files(LEXICON_PACKAGE).joinpath(name).read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            yield line


@lru_cache(maxsize=None)
def load_words(name: str) -> tuple[str, ...]:
    """Entries of a word list, in file order, duplicates removed."""
    return tuple(dict.fromkeys(w for line in _lines(name) for w in line.split()))


@lru_cache(maxsize=None)
def load_patterns(name: str) -> tuple[re.Pattern, ...]:
    """One compiled regex per line (a ``#`` inside a pattern is kept; only whole-line comments)."""
    return tuple(re.compile(line) for line in _lines(name))


@lru_cache(maxsize=None)
def load_table(name: str) -> tuple[tuple[str, ...], ...]:
    """The rows of a table: one row a line, its fields separated by white space."""
    return tuple(tuple(line.split()) for line in _lines(name))


@lru_cache(maxsize=None)
def load_pattern_table(name: str) -> tuple[tuple[str, re.Pattern], ...]:
    """(key, compiled regex) per line: a key, white space, then the regular expression."""
    return tuple((key, re.compile(pattern)) for key, pattern in (line.split(None, 1) for line in _lines(name)))


@lru_cache(maxsize=None)
def alternation(name: str) -> str:
    """A regex alternation of a word list, longest first, for embedding in patterns."""
    words = sorted(load_words(name), key=len, reverse=True)
    return "|".join(re.escape(w) for w in words)
