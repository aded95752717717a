"""The bars on the real notices in ../shared (skipped where ../shared is absent)."""
import json
import subprocess
import sys

from click.testing import CliRunner

from pipeline.cli import main
from tests.conftest import shared_or_skip


def _score(pred, gold):
    scorer = shared_or_skip("eval", "score.py")
    out = subprocess.run([sys.executable, str(scorer), "--pred", str(pred), "--gold", str(gold), "--json"],
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out)


def test_seeds_bar(tmp_path):
    seeds = shared_or_skip("seeds")
    CliRunner().invoke(main, ["extract", str(seeds), "--out", str(tmp_path)])
    s = _score(tmp_path, shared_or_skip("eval", "gold"))
    assert s["overall"] >= 0.90
    for f in ("doc_number", "title", "signed_date", "issuer"):
        assert s["fields"][f]["score"] == 1.0
    assert s["fields"]["roster"]["score"] >= 0.95
    assert s["fields"]["duties"]["score"] >= 0.85


def test_state_council_bar(tmp_path):
    docs = shared_or_skip("eval", "more", "docs")
    CliRunner().invoke(main, ["extract", str(docs), "--out", str(tmp_path)])
    assert _score(tmp_path, shared_or_skip("eval", "more", "gold"))["overall"] >= 0.85
