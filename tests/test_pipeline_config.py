"""The extraction pipeline as spaCy sees it: components found through the ``spacy_factories`` entry
points, each component's ``requires`` assigned by one before it, the record read from the spans."""
from __future__ import annotations

import subprocess
import sys

import pytest
import spacy

from pipeline.extraction import extract_document
from pipeline.extraction.nlp import get_nlp, pipeline_config
from pipeline.readers.document import Block, Document

TEXT = "关于开展安全生产检查的通知\n各村：\n各村每月开展检查不少于2次，于2024年3月31日前报送镇安监办。\n临岳镇人民政府\n2024年1月5日"


def test_no_component_misses_what_it_requires():
    analysis = get_nlp().analyze_pipes(pretty=False)
    assert analysis["problems"] == {name: [] for name in get_nlp().pipe_names}


def test_the_analysis_can_fail():
    """Without the structure analysis at the head, every field component misses doc._.structure."""
    config = pipeline_config()
    config["nlp"]["pipeline"] = [p for p in config["nlp"]["pipeline"] if p != "duban_structure"]
    del config["components"]["duban_structure"]
    problems = spacy.blank("zh", config=config).analyze_pipes(pretty=False)["problems"]
    assert problems["duban_title"] == ["doc._.structure"]


def test_components_are_found_through_entry_points():
    """A fresh process that imports only spaCy and the extraction layer can add a field component:
    spaCy loads it through the entry point; the extraction layer itself imports no extractor."""
    code = ("import sys, spacy, pipeline.extraction\n"
            "assert not [m for m in sys.modules if m.split('.')[0] == 'extractors'], 'extraction imported extractors'\n"
            "nlp = spacy.blank('zh')\n"
            "nlp.add_pipe('duban_phases', config={'step_chars': 200})\n"
            "print(nlp.pipe_names, nlp.get_pipe_config('duban_phases'))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert "['duban_phases']" in out and "'step_chars': 200" in out


def test_nlp_on_text_gives_the_record_fields():
    doc = get_nlp()(TEXT)
    rec = extract_document(Document(path="t.txt", format="txt", sha256="",
                                    blocks=[Block(text=t) for t in TEXT.splitlines()]))
    assert {k: v for k, v in doc._.record.items() if k != "source"} == {k: v for k, v in rec.items() if k != "source"}
    assert rec["duties"][0]["quantity"] == 2 and rec["deadlines"][0]["date"] == "2024-03-31"


def test_the_span_is_the_evidence():
    doc = get_nlp()(TEXT)
    for group, ext, field in (("duties", "duty", "duties"), ("deadlines", "deadline", "deadlines")):
        # each span holds the list of entries found at its stretch of text, in order
        pairs = [(span, found) for span in doc.spans[group] for found in span._.get(ext)]
        assert len(pairs) == len(doc._.record[field]) >= 1
        for (span, found), entry in zip(pairs, doc._.record[field]):
            assert (span.start_char, span.end_char) == (entry["evidence"]["start"], entry["evidence"]["end"])
            assert {k: v for k, v in entry.items() if k != "evidence"} == found
    assert doc.spans["signed_date"].attrs["year"] == 2024


def test_unnormalized_text_is_refused():
    with pytest.raises(ValueError, match="normalized"):
        get_nlp()("关于开展检查的通知\n\n各村每月开展检查不少于２次。")
