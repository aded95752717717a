"""Fuzz ``duban extract`` on a folder of damaged notices: every file must end as a record or a one-line
ReadError; a traceback (any other exception) or a hang is a bug.

    .venv/bin/python benchmarks/fuzz.py                 # 10,000 files, in-process (the library)
    .venv/bin/python benchmarks/fuzz.py --n 500 --cli   # and `duban extract DIR --out` on the same folder
    .venv/bin/python benchmarks/fuzz.py --keep DIR      # keep the files (and every crashing one) in DIR
    .venv/bin/python benchmarks/fuzz.py --rebuild       # and `duban rebuild` with the folder as its inbox

Seeds: the corpus notices (.txt in UTF-8, GB18030, UTF-16, with BOMs), the .docx and .pdf twins
(corpora/formats), and .html, .mht, .ofd and .zip files written from corpus notices by the
project's own writers. Mutations (one per file, chosen at random from ``--seed``): bit flips (1 to 8),
truncation, bytes overwritten with random bytes, a slice deleted or duplicated, a splice of two seeds
of different formats (the head of one, the tail of another, under either suffix), and for the
zip-based formats a member's bytes mutated and re-zipped with valid checksums (so the XML parsers
are reached, not just the zip reader).

Printed: files, records, warnings, read errors grouped by reason, tracebacks (with the first
lines of each distinct one), hangs (a file taking longer than ``--timeout`` seconds) and the
seconds taken. Exit status 1 when there was any traceback or hang.
"""
from __future__ import annotations

import argparse
import collections
import io
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.readers.document import ReadError  # noqa: E402

MUTATIONS = ("flip", "truncate", "overwrite", "delete", "duplicate", "splice", "member")
ZIPPED = (".docx", ".ofd", ".zip")


def seeds(work: Path) -> list[tuple[str, bytes]]:
    """(suffix, bytes) of every seed file."""
    from corpora.tools.html_writer import write_html, write_mht
    from corpora.tools.ofd_writer import write_ofd
    from pipeline.readers.txt import decode

    notices = sorted((ROOT / "corpora" / "notices").glob("*.txt"))
    out = [(".txt", p.read_bytes()) for p in notices]
    for fmt in ("docx", "pdf"):
        out += [(f".{fmt}", p.read_bytes()) for p in sorted((ROOT / "corpora" / "formats" / fmt).glob(f"*.{fmt}"))]
    for i, p in enumerate(notices[:6]):
        text = decode(p.read_bytes())
        for suffix, write in ((".html", write_html), (".mht", write_mht), (".ofd", write_ofd)):
            target = work / f"seed{i}{suffix}"
            write(text, target)
            out.append((suffix, target.read_bytes()))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for i, (suffix, data) in enumerate(out[::9]):
            z.writestr(f"通知/{i}{suffix}", data)
    out.append((".zip", buf.getvalue()))
    return out


def mutate(rng: random.Random, data: bytes, how: str) -> bytes:
    n = len(data)
    if n == 0:
        return data
    i, j = sorted((rng.randrange(n), rng.randrange(n)))
    if how == "flip":
        b = bytearray(data)
        for _ in range(rng.randint(1, 8)):
            b[rng.randrange(n)] ^= 1 << rng.randrange(8)
        return bytes(b)
    if how == "truncate":
        return data[:i]
    if how == "overwrite":
        return data[:i] + rng.randbytes(rng.randint(1, 64)) + data[i + 64:]
    if how == "delete":
        return data[:i] + data[j:]
    return data[:j] + data[i:j] + data[j:]  # duplicate


def mutate_member(rng: random.Random, data: bytes) -> bytes:
    """The package re-zipped with one member's bytes mutated (valid CRCs: the parsers get the damage)."""
    with zipfile.ZipFile(io.BytesIO(data)) as src:
        infos = src.infolist()
        target = rng.choice(infos).filename
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
            for info in infos:
                body = src.read(info)
                how = rng.choice(MUTATIONS[:5])
                dst.writestr(info.filename, mutate(rng, body, how) if info.filename == target else body)
    return buf.getvalue()


def make_files(folder: Path, n: int, seed: int) -> list[Path]:
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory(prefix="duban-fuzz-seeds-") as work:
        pool = seeds(Path(work))
    paths = []
    for k in range(n):
        suffix, data = rng.choice(pool)
        how = rng.choice(MUTATIONS)
        if how == "splice":
            other_suffix, other = rng.choice([s for s in pool if s[0] != suffix])
            data = data[:rng.randrange(len(data) + 1)] + other[rng.randrange(len(other) + 1):]
            suffix = rng.choice((suffix, other_suffix))
        elif how == "member" and suffix in ZIPPED:
            data = mutate_member(rng, data)
        else:
            data = mutate(rng, data, "flip" if how == "member" else how)
        path = folder / f"{k:05d}_{how}{suffix}"
        path.write_bytes(data)
        paths.append(path)
    return paths


class Hang(Exception):
    pass


def _alarm(signum, frame):
    raise Hang()


def reason_group(reason: str) -> str:
    """A ReadError's reason without its particulars (numbers, library messages), to count by."""
    reason = re.sub(r"\(([A-Za-z]+Error|[A-Za-z]+Exception)[^)]*\)?.*", r"(\1)", reason)
    return re.sub(r"\d[\d,.]*", "N", reason)[:90]


def run(paths: list[Path], timeout: int = 60) -> dict:
    """Extract every file in-process as `duban extract` does; the figures."""
    from pipeline.extraction.api import extract_document
    from pipeline.readers import read_entries

    figures = {"files": len(paths), "records": 0, "warnings": 0, "errors": collections.Counter(),
               "tracebacks": collections.Counter(), "crashing": [], "hangs": []}
    old = signal.signal(signal.SIGALRM, _alarm) if hasattr(signal, "SIGALRM") else None
    start = time.perf_counter()
    try:
        for path in paths:
            if old is not None:
                signal.alarm(timeout)
            try:
                for item in read_entries(path):
                    if isinstance(item, ReadError):
                        assert "\n" not in str(item), str(item)
                        figures["errors"][reason_group(item.reason)] += 1
                        continue
                    figures["warnings"] += len(getattr(item, "warnings", ()))  # (older readers had none)
                    record = extract_document(item)
                    str(record).encode("utf-8")  # printable: no surrogate left
                    figures["records"] += 1
            except Hang:
                figures["hangs"].append(path)
            except Exception:  # the bug this hunts: anything but a record or a ReadError
                tb = traceback.format_exc().strip().splitlines()
                figures["tracebacks"][" | ".join(tb[-3:])[:300]] += 1
                figures["crashing"].append(path)
            finally:
                if old is not None:
                    signal.alarm(0)
    finally:
        if old is not None:
            signal.signal(signal.SIGALRM, old)
    figures["seconds"] = time.perf_counter() - start
    return figures


def run_cli(folder: Path, timeout: int) -> dict:
    """`duban extract FOLDER --out OUT` as a user runs it: its exit, its stderr lines by kind."""
    out = folder.parent / (folder.name + "_records")
    duban = Path(sys.executable).parent / "duban"
    start = time.perf_counter()
    res = subprocess.run([str(duban), "extract", str(folder), "--out", str(out)], capture_output=True, text=True,
                         timeout=timeout)
    lines = res.stderr.splitlines()
    return {"exit": res.returncode, "seconds": time.perf_counter() - start,
            "errors": sum(ln.startswith("error:") for ln in lines), "warnings": sum(ln.startswith("warning:") for ln in lines),
            "traceback": "Traceback" in res.stderr, "records": sum(1 for _ in out.rglob("*.json")),
            "last": lines[-1] if lines else ""}


def run_rebuild(folder: Path, timeout: int, jobs: int = 2) -> dict:
    """`duban rebuild --inbox FOLDER` as the nightly job runs it: every file a notice or a failures row,
    no traceback; then the tracker's own counts."""
    import sqlite3

    db = folder.parent / (folder.name + "_tracker") / "tracker.db"
    duban = Path(sys.executable).parent / "duban"
    start = time.perf_counter()
    res = subprocess.run([str(duban), "rebuild", "--inbox", str(folder), "--db", str(db), "--settle", "0",
                          "--jobs", str(jobs)], capture_output=True, text=True, timeout=timeout)
    out = {"exit": res.returncode, "seconds": time.perf_counter() - start, "traceback": "Traceback" in res.stderr,
           "last": (res.stderr.strip().splitlines() or [""])[-1]}
    if db.exists():
        conn = sqlite3.connect(db)
        out.update(files=conn.execute("select count(*) from files").fetchone()[0],
                   documents=conn.execute("select count(*) from documents").fetchone()[0],
                   failures=conn.execute("select count(*) from failures").fetchone()[0],
                   integrity=conn.execute("pragma integrity_check").fetchone()[0])
        conn.close()
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=10_000, help="files to make (default 10,000)")
    ap.add_argument("--seed", type=int, default=0, help="random seed (the same files every run)")
    ap.add_argument("--timeout", type=int, default=60, help="seconds one file may take before it counts as a hang")
    ap.add_argument("--cli", action="store_true", help="also run `duban extract DIR --out` on the folder")
    ap.add_argument("--keep", type=Path, help="make the files in this folder and keep them")
    ap.add_argument("--rebuild", action="store_true", help="also run `duban rebuild` with the folder as its inbox")
    args = ap.parse_args(argv)
    folder = args.keep or Path(tempfile.mkdtemp(prefix="duban-fuzz-"))
    folder.mkdir(parents=True, exist_ok=True)
    try:
        t = time.perf_counter()
        paths = make_files(folder, args.n, args.seed)
        print(f"{len(paths)} files made in {time.perf_counter() - t:.0f} s ({folder})", flush=True)
        f = run(paths, args.timeout)
        print(f"files {f['files']}  records {f['records']}  warnings {f['warnings']}  "
              f"read errors {sum(f['errors'].values())}  tracebacks {sum(f['tracebacks'].values())}  "
              f"hangs {len(f['hangs'])}  seconds {f['seconds']:.0f}")
        print("read errors by reason:")
        for reason, count in f["errors"].most_common():
            print(f"  {count:6d}  {reason}")
        for tb, count in f["tracebacks"].most_common():
            print(f"TRACEBACK x{count}: {tb}")
        if f["crashing"] or f["hangs"]:
            kept = Path(tempfile.mkdtemp(prefix="duban-fuzz-crashes-"))
            for p in f["crashing"] + f["hangs"]:
                shutil.copy(p, kept / p.name)
            print(f"  the {len(f['crashing']) + len(f['hangs'])} failing files are kept in {kept}")
        if args.cli:
            c = run_cli(folder, timeout=max(600, args.n * args.timeout))
            print(f"duban extract: exit {c['exit']}  records {c['records']}  error lines {c['errors']}  "
                  f"warning lines {c['warnings']}  traceback {c['traceback']}  seconds {c['seconds']:.0f}")
            print(f"  last line: {c['last']}")
            if c["traceback"]:
                return 1
        if args.rebuild:
            r = run_rebuild(folder, timeout=max(1800, args.n * args.timeout))
            print(f"duban rebuild: exit {r['exit']}  files {r.get('files')}  notices {r.get('documents')}  "
                  f"failures {r.get('failures')}  integrity {r.get('integrity')}  traceback {r['traceback']}  "
                  f"seconds {r['seconds']:.0f}")
            print(f"  last line: {r['last']}")
            if r["traceback"] or r.get("integrity") != "ok":
                return 1
        return 1 if f["tracebacks"] or f["hangs"] else 0
    finally:
        if args.keep is None:
            shutil.rmtree(folder, ignore_errors=True)
            shutil.rmtree(folder.parent / (folder.name + "_records"), ignore_errors=True)
            shutil.rmtree(folder.parent / (folder.name + "_tracker"), ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
