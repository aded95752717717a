"""docs/record.md documents the record: its example has exactly the keys duban writes, at every level."""
import json
import re
from pathlib import Path

from pipeline.extraction import extract_file

ROOT = Path(__file__).resolve().parent.parent


def _shape(value, path="", out=None):
    """{path: set of keys} for every dict in ``value`` (list items merged under ``path[]``)."""
    out = {} if out is None else out
    if isinstance(value, dict):
        out.setdefault(path, set()).update(value)
        for k, v in value.items():
            if k != "evidence" or path == "":
                _shape(v, f"{path}.{k}", out)
            else:
                out.setdefault(f"{path}.evidence", set()).update(v)
    elif isinstance(value, list):
        for item in value:
            _shape(item, f"{path}[]", out)
    return out


def test_documented_keys_are_the_written_keys():
    text = (ROOT / "docs" / "record.md").read_text(encoding="utf-8")
    example = json.loads(re.search(r"```json\n(.*?)\n```", text, re.S).group(1))
    documented = _shape(example)
    written: dict[str, set] = {}
    for f in sorted((ROOT / "corpora" / "notices").glob("*.txt")):
        for path, keys in _shape(extract_file(f)).items():
            written.setdefault(path, set()).update(keys)
    # every level the example shows is written with exactly those keys, and every written level is shown
    assert {p: documented[p] for p in documented} == {p: written.get(p, set()) for p in documented}
    assert set(written) <= set(documented), sorted(set(written) - set(documented))


def test_every_top_level_key_has_a_row_in_the_field_table():
    text = (ROOT / "docs" / "record.md").read_text(encoding="utf-8")
    example = json.loads(re.search(r"```json\n(.*?)\n```", text, re.S).group(1))
    for key in example:
        assert f"| `{key}` |" in text, key
