"""The extraction layer's own pipeline pieces: the character tokenizer, the structure analysis at the
head of the pipeline and the record builder at its end. The field components between them live in
extractors/ and are found through the ``spacy_factories`` entry points (pyproject.toml).

Doc extensions: ``doc._.norm`` the normalized text with its line/page map (set by ``run_pipeline``;
built from the text itself when the pipeline is called on a plain string), ``doc._.source`` the
Document read (or None), ``doc._.structure`` the 公文 structure (duban_structure), ``doc._.record``
the record (duban_record). Everything a field component finds is a Span in ``doc.spans[<group>]``
with its value in a Span extension; the record is read from those spans only.
"""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import registry

from pipeline.extraction.version import SCHEMA
from pipeline.extraction.evidence import doc_text, evidence
from pipeline.extraction.normalize import normalize
from pipeline.extraction.structure import analyse
from pipeline.readers.document import Block, Document



def register_extensions() -> None:
    for name in ("norm", "source", "structure", "record"):
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)
    for _, _, ext, _ in FIELDS:   # declared here too, so that a record can be read without every component
        if not Span.has_extension(ext):
            Span.set_extension(ext, default=None)


class CharTokenizer:
    """One token per character, white space included: every character offset is a token boundary,
    so a Span is exactly the evidence [start, end) it stands for. (spaCy's zh "char" segmenter
    folds white space into the previous token, which would move a span that starts or ends at a
    space.) The extractors read characters, not words."""

    def __init__(self, vocab):
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        doc = Doc(self.vocab, words=list(text), spaces=[False] * len(text))
        doc.user_data["duban_text"] = text  # what evidence.doc_text would join from every token
        return doc

    def to_bytes(self, **kwargs) -> bytes:
        return b""

    def from_bytes(self, data: bytes, **kwargs) -> "CharTokenizer":
        return self

    def to_disk(self, path, **kwargs) -> None:
        pass

    def from_disk(self, path, **kwargs) -> "CharTokenizer":
        return self


@registry.tokenizers("duban.chars.v1")
def make_char_tokenizer():
    def create(nlp: Language) -> CharTokenizer:
        return CharTokenizer(nlp.vocab)

    return create


def _norm_of(doc: Doc):
    """``doc._.norm``, or — for ``nlp(text)`` — the text normalized as the readers' lines would be.
    The offsets must be the Doc's own: a text that normalization changes is refused."""
    if doc._.norm is not None:
        return doc._.norm
    text = doc_text(doc)
    blocks = [Block(text=line) for line in text.split("\n")]
    norm = normalize(Document(path="", format="txt", sha256="", blocks=blocks))
    if norm.text != text:
        raise ValueError("duban_structure: the text is not in normalized form (blank lines, full-width digits, "
                         "web-page chrome); call pipeline.extraction.run_pipeline(document) or give "
                         "nlp(doc) a Doc with doc._.norm set")
    return norm


@Language.factory("duban_structure", assigns=["doc._.structure"])
def make_structure(nlp: Language, name: str):
    """The 公文 structure (pipeline.extraction.structure.analyse): parts, title, headings, sentences."""

    def structure(doc: Doc) -> Doc:
        doc._.norm = _norm_of(doc)
        doc._.structure = analyse(doc._.norm)
        return doc

    return structure


# the record's fields, in docs/record.md's order: (field, span group, Span extension, how it is read)
#   one    the first span's value (None when the group is empty)
#   list   the first span's value, a list ([] when none)
#   each   one entry per span; ``evidence`` adds the span's evidence to the entry
#   all    each span holds a list of entries (several found at the same place); flattened
FIELDS = (
    ("title", "title", "title", "one"),
    ("doc_type", "title", "doc_type", "one"),
    ("doc_number", "doc_number", "doc_number", "one"),
    ("issuer", "issuer", "issuer", "one"),
    ("addressees", "addressees", "addressees", "list"),
    ("signed_date", "signed_date", "signed_date", "one"),
    ("cited_documents", "cited_documents", "citation", "all+evidence"),
    ("phases", "phases", "phase", "all+evidence"),
    ("deadlines", "deadlines", "deadline", "all+evidence"),
    ("duties", "duties", "duty", "all+evidence"),
    ("rosters", "rosters", "roster", "all"),
    ("assignments", "assignments", "people", "all+evidence"),
    ("benchmarks", "benchmarks", "targets", "all"),
)


register_extensions()


def source_of(document) -> dict:
    if document is None:
        return {"path": None, "sha256": None, "format": None, "pages": None, "ocr": False}
    return {"path": document.path, "sha256": document.sha256, "format": document.format,
            "pages": document.pages, "ocr": document.ocr}


@Language.factory("duban_record", assigns=["doc._.record"],
                  requires=["doc._.structure"] + [f"span._.{ext}" for _, _, ext, _ in FIELDS])
def make_record(nlp: Language, name: str):
    """The record (docs/record.md), built last from the field components' spans: each value is read from
    its Span extension, and a list entry's ``evidence`` is the sentence around its span."""

    def record(doc: Doc) -> Doc:
        doc._.record = {"schema": SCHEMA, "source": source_of(doc._.source), **read_fields(doc)}
        return doc

    return record


def read_fields(doc: Doc) -> dict:
    out = {}
    for field, group, ext, how in FIELDS:
        spans = list(doc.spans[group]) if group in doc.spans else []
        if how in ("one", "list"):
            value = spans[0]._.get(ext) if spans else None
            out[field] = value if how == "one" else (value or [])
            continue
        entries = []
        for span in spans:
            found = span._.get(ext)
            for entry in (found if how.startswith("all") else [found]):
                if how.endswith("+evidence"):
                    entry = {**entry, "evidence": evidence(doc, span.start_char, span.end_char)}
                entries.append(entry)
        out[field] = entries
    return out
