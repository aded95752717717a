"""Extraction: normalize a Document, build the spaCy pipeline (structure first, the field components of
``extractors/`` after it, the record last) and run it. The library's entry points:

    >>> from pipeline.extraction import extract_file
    >>> record = extract_file("inbox/notice.docx")
"""
from pipeline.extraction.extract import (EXTRACTOR_VERSION, SCHEMA, Extraction, ReadError, extract, extract_document, extract_entries,
                                         extract_file, run_pipeline)

__all__ = ["Extraction", "extract", "extract_entries", "extract_file", "extract_document", "run_pipeline", "ReadError", "SCHEMA",
           "EXTRACTOR_VERSION"]
