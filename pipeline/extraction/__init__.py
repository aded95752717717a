"""Extraction: normalize a Document, build the spaCy pipeline (structure first, the field components of
``extractors/`` after it, the record last) and run it. The library's entry points:

    >>> from pipeline.extraction import extract_file
    >>> record = extract_file("inbox/notice.docx")

The functions live in pipeline.extraction.api and load spaCy when first used; ``EXTRACTOR_VERSION`` and
``SCHEMA`` do not (the tracker reads them to plan a rebuild without loading the pipeline).
"""
from pipeline.extraction.version import EXTRACTOR_VERSION, SCHEMA

_API = ("Extraction", "extract", "extract_entries", "extract_file", "extract_document", "run_pipeline", "ReadError")

__all__ = [*_API, "SCHEMA", "EXTRACTOR_VERSION"]


def __getattr__(name):
    if name in _API:
        from pipeline.extraction import api

        return getattr(api, name)
    raise AttributeError(f"module 'pipeline.extraction' has no attribute {name!r}")
