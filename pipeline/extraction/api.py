"""The library entry point: a file (or a Document) in, a record (docs/record.md) out.

    >>> from pipeline.extraction import extract_file
    >>> record = extract_file("inbox/notice.docx")

Deterministic: the same bytes give the same record (no timestamps, stable order).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pipeline.readers.document import Document, ReadError
from pipeline.extraction.components import source_of
from pipeline.extraction.evidence import doc_text
from pipeline.extraction.nlp import get_nlp
from pipeline.extraction.normalize import normalize
from pipeline.readers import read

from pipeline.extraction.version import EXTRACTOR_VERSION, SCHEMA  # noqa: F401  (part of the API)


def run_pipeline(document: Document):
    """Document → the spaCy Doc: normalized text, structure, the fields' spans and ``doc._.record``."""
    nlp = get_nlp()
    norm = normalize(document)
    doc = nlp.make_doc(norm.text)
    doc._.norm = norm
    doc._.source = document
    return nlp(doc)


def build_record(document: Document, doc) -> dict:
    """The record the pipeline built (``doc._.record``), its source being ``document``."""
    return {**doc._.record, "source": source_of(document)}


@dataclass(frozen=True)
class Extraction:
    """What the tracker needs of one notice: the record and the normalized text that the evidence
    offsets (``start``/``end``) point into."""

    record: dict
    text: str


def extract(document: Document) -> Extraction:
    doc = run_pipeline(document)
    return Extraction(build_record(document, doc), doc_text(doc))


def extract_document(document: Document) -> dict:
    return build_record(document, run_pipeline(document))


def extract_file(path) -> dict:
    """Read and extract one file. Raises ReadError (one-line message) for a file that cannot be read."""
    return extract_document(read(Path(path)))


def extract_entries(path):
    """(source path, record or ReadError) for every notice in a file; a .zip archive gives one per member."""
    from pipeline.readers import read_entries

    for item in read_entries(Path(path)):
        if isinstance(item, ReadError):
            yield str(item.path), item
        else:
            yield str(item.path), extract_document(item)


__all__ = ["Extraction", "extract", "extract_entries", "extract_file", "extract_document", "run_pipeline", "ReadError", "SCHEMA", "EXTRACTOR_VERSION"]
