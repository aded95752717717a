"""The extraction pipeline: a blank spaCy ``zh`` Language with the jieba segmenter, the
extractors as registered components over one shared Doc.

``Doc._.structure`` carries the 公文 structure (pipeline.structure), ``Doc._.record`` the fields
as the components fill them, ``Doc._.evidence`` document-level evidence, ``Doc._.masks`` the 文号
spans, ``Doc._.year`` the year partial dates resolve against. Each component also leaves its
matches in ``doc.spans[<field>]``.
"""
from __future__ import annotations

import logging
import marshal
from functools import lru_cache
from math import log

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

from pipeline.text.lexicons import load_words

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


def segment(text: str):
    """The words of ``text`` exactly as ``jieba.cut(text, HMM=False)`` gives them (jieba's dictionary,
    the user dictionary included, and its maximum-probability route; no HMM guessing of unknown
    words), in about half the time: the DAG and the route are computed in one backward pass
    without jieba's intermediate dicts, tuples and generators. The extractors read characters,
    not tokens; the tokens only bound the spans left in ``doc.spans``."""
    import jieba

    dt = jieba.dt
    dt.check_initialized()
    freq, logtotal = dt.FREQ, log(dt.total)
    han, skip = jieba.re_han_default, jieba.re_skip_default
    for block in han.split(text):
        if not block:
            continue
        if han.match(block):
            yield from _route(block, freq, logtotal, jieba.re_eng)
        else:
            for x in skip.split(block):
                if skip.match(x):
                    yield x
                else:
                    yield from x


def _route(s: str, freq: dict, logtotal: float, eng):
    """jieba's ``__cut_DAG_NO_HMM`` on one block of Han characters (and ASCII letters/digits)."""
    n = len(s)
    score, end = [0.0] * (n + 1), list(range(1, n + 2))
    get = freq.get
    for k in range(n - 1, -1, -1):
        best, best_end = None, k + 1
        i = k + 1
        f = get(s[k])
        while f is not None:   # the dictionary holds every prefix of its words (frequency 0)
            if f:
                sc = log(f) - logtotal + score[i]
                if best is None or sc >= best:   # jieba's max() over (score, end): ties go to the longer word
                    best, best_end = sc, i
            if i == n:
                break
            i += 1
            f = get(s[k:i])
        if best is None:
            best = log(get(s[k]) or 1) - logtotal + score[k + 1]
        score[k], end[k] = best, best_end
    x, buf = 0, ""
    while x < n:
        y = end[x]
        word = s[x:y]
        if y - x == 1 and eng.match(word):   # single ASCII letters/digits run together, as jieba does
            buf += word
        else:
            if buf:
                yield buf
                buf = ""
            yield word
        x = y
    if buf:
        yield buf


class JiebaTokenizer:
    """A Doc of ``segment``'s words. Like spaCy's zh tokenizer with ``segmenter = "jieba"`` (and
    spacy.util.get_words_and_spaces: a single space after a word is its trailing space, other
    white space is a token), but without jieba's HMM and with the alignment done in one pass."""

    def __init__(self, vocab):
        self.vocab = vocab

    def __call__(self, text: str):
        from spacy.tokens import Doc

        words, spaces = [], []
        pos = 0  # the words tile the text; ``pos`` is where the next word starts
        gap = 0  # where the text not yet given to a token starts
        for word in segment(text):
            start = pos
            pos += len(word)
            if not word or word.isspace() or start < gap:
                continue
            if start > gap:
                words.append(text[gap:start])
                spaces.append(False)
            words.append(word)
            spaces.append(False)
            gap = pos
            if gap < len(text) and text[gap] == " ":
                spaces[-1] = True
                gap += 1
        if gap < len(text):
            words.append(text[gap:])
            spaces.append(False)
        return Doc(self.vocab, words=words, spaces=spaces)


class _WholeFileMarshal:
    """``marshal`` for jieba's module, except that ``load`` reads the file in one go: jieba loads its
    prefix dictionary cache with ``marshal.load(file)``, which reads the file object piece by piece
    (one Python-level read per string, ~0.8 s); ``marshal.loads`` of the whole file gives the same
    (FREQ, total) in ~0.2 s."""

    dump, dumps, loads = staticmethod(marshal.dump), staticmethod(marshal.dumps), staticmethod(marshal.loads)

    @staticmethod
    def load(f):
        return marshal.loads(f.read())


def _initialize_jieba(jieba) -> None:
    """``jieba.initialize()`` (the default dictionary, from its cache in the temp dir when present)."""
    if jieba.dt.initialized:
        return
    saved = jieba.marshal
    jieba.marshal = _WholeFileMarshal
    try:
        jieba.initialize()
    finally:
        jieba.marshal = saved


@lru_cache(maxsize=1)
def get_nlp():
    """The pipeline, built once per process (start-up: spaCy import + jieba dictionary)."""
    import jieba
    import spacy

    jieba.setLogLevel(logging.WARNING)
    _initialize_jieba(jieba)
    for word in load_words("jieba_user.txt"):
        jieba.add_word(word)
    _extensions()
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    nlp.tokenizer = JiebaTokenizer(nlp.vocab)
    for name in COMPONENTS:
        nlp.add_pipe(name)
    return nlp
