"""corpora/formats/: the .docx and .pdf twins of corpus notices are what make_formats writes, byte for
byte, and extracting them scores as well as extracting the .txt notices they were made from."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from corpora.tools.make_formats import FORMATS_DIR, STEMS, make
from pipeline.extraction.evaluate import score
from pipeline.extraction.api import extract_file

ROOT = Path(__file__).resolve().parent.parent
SOURCES = {"txt": ROOT / "corpora" / "notices", "docx": FORMATS_DIR / "docx", "pdf": FORMATS_DIR / "pdf"}
TOLERANCE = 0.02


def test_at_least_twelve_twins_of_each_format():
    assert len(STEMS) >= 12
    for fmt in ("docx", "pdf"):
        assert sorted(p.stem for p in SOURCES[fmt].glob(f"*.{fmt}")) == sorted(STEMS)


def test_regenerating_gives_the_same_bytes(tmp_path):
    make(tmp_path)
    for fmt in ("docx", "pdf"):
        for stem in STEMS:
            fresh, committed = tmp_path / fmt / f"{stem}.{fmt}", SOURCES[fmt] / f"{stem}.{fmt}"
            assert fresh.read_bytes() == committed.read_bytes(), f"{committed} differs from a fresh make_formats"


@pytest.fixture(scope="module")
def scores(tmp_path_factory):
    """format → (overall, rows) over the twins' stems, against their gold files only."""
    tmp = tmp_path_factory.mktemp("formats")
    gold = tmp / "gold"
    gold.mkdir()
    for stem in STEMS:
        shutil.copy(ROOT / "corpora" / "gold" / f"{stem}.json", gold)
    out = {}
    for fmt, src in SOURCES.items():
        pred = tmp / fmt
        pred.mkdir()
        for stem in STEMS:
            record = extract_file(src / f"{stem}.{fmt}")
            assert record["source"]["format"] == fmt
            (pred / f"{stem}.json").write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
        rows, overall, _ = score(gold, pred)
        out[fmt] = (overall, rows)
    return out


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_twins_score_within_tolerance_of_txt(scores, fmt):
    txt, twin = scores["txt"], scores[fmt]
    changed = [f"{k}: {t:.3f} -> {s:.3f}" for (k, _, t, _), (_, _, s, _) in zip(txt[1], twin[1]) if abs(s - t) > 1e-9]
    assert abs(twin[0] - txt[0]) <= TOLERANCE, f"{fmt} overall {twin[0]:.4f} vs txt {txt[0]:.4f}; fields: {changed}"
