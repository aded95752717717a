"""jieba, set up once per process through its public API: the default dictionary plus the
official-vocabulary user dictionary (corpora/lexicons/jieba_user.txt).

Everything that cuts Chinese into words goes through here: the tracker's search words, the
name guard's everyday-word frequencies. Nothing here imports spaCy.
"""
from __future__ import annotations

import logging
import threading
from functools import lru_cache

from pipeline.text.lexicons import load_words

_LOCK = threading.Lock()


@lru_cache(maxsize=1)
def _loaded():
    import jieba

    with _LOCK:
        jieba.setLogLevel(logging.WARNING)
        jieba.initialize()
        for word in load_words("jieba_user.txt"):
            jieba.add_word(word)
    return jieba


def jieba():
    """The jieba module, its dictionaries loaded (first call: the dictionary cache, ~0.5 s)."""
    return _loaded()


def cut(text: str) -> list[str]:
    """The words of ``text`` by the dictionary alone (no HMM guessing): the same text always gives
    the same words."""
    return jieba().lcut(text, HMM=False)


def cut_for_search(text: str) -> list[str]:
    """jieba's search mode (long words also give their dictionary sub-words), no HMM."""
    return jieba().lcut_for_search(text, HMM=False)


def word_freq(word: str) -> int:
    """How often jieba's dictionary has seen ``word`` (0 for an unknown word)."""
    return jieba().get_FREQ(word) or 0
