"""Helpers for the extractor tests beside each extractor: run the whole pipeline on a text."""
import pytest

from pipeline.readers.document import Block, Document
from pipeline.extraction.api import extract_document


@pytest.fixture
def extract():
    def run(text: str) -> dict:
        blocks = [Block(text=line) for line in text.strip().splitlines() if line.strip()]
        return extract_document(Document(path="t.txt", format="txt", sha256="", blocks=blocks))
    return run
