#!/usr/bin/env python3
"""Are the records byte-identical to a saved snapshot?  The check every refactor runs at each commit.

    python scripts/records_check.py save  /tmp/records-before   # before the change
    python scripts/records_check.py check /tmp/records-before   # after it: lists every record that differs

The sets: corpora/notices, corpora/formats/*, and (when ../shared is beside the checkout) the seeds,
../shared/eval/real/docs and ../shared/eval/more/docs. Records are written as ``duban extract`` writes
them (pipeline's own JSON dump), one file per notice, so a difference is a difference a user would see.
Exit status 1 when any record differs, is missing or is new.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


def sets() -> dict[str, Path]:
    out = {"corpora": ROOT / "corpora" / "notices"}
    for sub in sorted((ROOT / "corpora" / "formats").glob("*")):
        if sub.is_dir():
            out[f"formats-{sub.name}"] = sub
    for name, path in (("seeds", SHARED / "seeds"), ("real", SHARED / "eval" / "real" / "docs"),
                       ("more", SHARED / "eval" / "more" / "docs")):
        if path.is_dir():
            out[name] = path
    return out


def records() -> dict[str, str]:
    sys.path.insert(0, str(ROOT))
    try:
        from pipeline.extraction import extract_file
    except ImportError:  # before the layering
        from pipeline.extraction.api import extract_file
    from pipeline.readers import ReadError

    out = {}
    for name, folder in sets().items():
        for f in sorted(p for p in folder.rglob("*") if p.is_file()):
            key = f"{name}/{f.relative_to(folder)}"
            try:
                rec = extract_file(f)
                # the path as seen from the checkout (corpora/…, ../shared/… as shared/…), the same in any clone
                rec["source"]["path"] = str(f.relative_to(ROOT)) if f.is_relative_to(ROOT) else str(f.relative_to(SHARED.parent))
                out[key] = json.dumps(rec, ensure_ascii=False, indent=2, sort_keys=False)
            except ReadError as e:
                out[key] = f"ReadError: {e}"
    return out


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] not in ("save", "check"):
        print(__doc__)
        return 2
    snap = Path(argv[1])
    now = records()
    if argv[0] == "save":
        snap.mkdir(parents=True, exist_ok=True)
        (snap / "records.json").write_text(json.dumps(now, ensure_ascii=False, indent=0), encoding="utf-8")
        print(f"saved {len(now)} records to {snap}")
        return 0
    before = json.loads((snap / "records.json").read_text(encoding="utf-8"))
    diff = sorted(k for k in set(before) | set(now) if before.get(k) != now.get(k))
    for k in diff:
        print(f"differs: {k}" if k in before and k in now else f"{'missing' if k in before else 'new'}: {k}")
    print(f"{len(now) - len([k for k in diff if k in now])} of {len(now)} records byte-identical; {len(diff)} differ")
    return 1 if diff else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
