"""Rebuild through a Dask cluster next to the local process pool, and the single writer's rate.

    .venv/bin/python benchmarks/cluster.py                  # 2,000 notices
    .venv/bin/python benchmarks/cluster.py --n 5000 --keep /tmp/bench

On the same generated inbox (benchmarks/rebuild.py's notices, 20 % .docx), from scratch each time:
1. ``duban rebuild --jobs 2`` (the local process pool);
2. ``duban rebuild --scheduler`` through a local cluster: a ``dask scheduler`` and two
   ``dask worker --nthreads 1`` on 127.0.0.1 (the same two cores: the ratio is the cluster's overhead:
   bytes sent to workers, results sent back, the scheduler's bookkeeping);
3. the tracker writer alone: the rows of every notice (already extracted) written into a new
   tracker as rebuild writes them (one transaction per file, batched inserts), then the links
   (people, citations): what one rebuilding machine can apply, however many workers extract.
Needs ``pip install 'duban[cluster]'``. Loopback only.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from rebuild import make_inbox  # noqa: E402  (benchmarks/rebuild.py)

DASK = Path(sys.executable).with_name("dask")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_cluster(base: Path, workers: int):
    """A scheduler and ``workers`` single-thread workers on loopback: (address, processes)."""
    from distributed import Client

    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    procs = [subprocess.Popen([str(DASK), "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"],
                              stdout=(base / "scheduler.log").open("wb"), stderr=subprocess.STDOUT,
                              start_new_session=True)]
    for i in range(workers):
        procs.append(subprocess.Popen([str(DASK), "worker", address, "--nthreads", "1", "--no-dashboard", "--host",
                                       "127.0.0.1", "--local-directory", str(base / f"w{i}")],
                                      stdout=(base / f"worker{i}.log").open("wb"), stderr=subprocess.STDOUT,
                                      start_new_session=True))
    deadline = time.monotonic() + 120
    while True:
        try:
            client = Client(address, timeout="5s", set_as_default=False)
            break
        except OSError:
            if time.monotonic() > deadline:
                stop_cluster(procs)
                raise
    client.wait_for_workers(workers, timeout=120)
    client.close()
    return address, procs


def stop_cluster(procs) -> None:
    for p in reversed(procs):
        if p.poll() is None:
            os.killpg(p.pid, signal.SIGTERM)
    for p in procs:
        try:
            p.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)
            p.wait()


def timed_rebuild(inbox: Path, db: Path, *extra: str) -> tuple[float, str]:
    """Seconds of one ``duban rebuild`` from scratch (process start and connection included), its last line."""
    db.unlink(missing_ok=True)
    cmd = [sys.executable, "-c", "from pipeline.cli import main; main()", "rebuild", "--inbox", str(inbox),
           "--db", str(db), "--settle", "0", *extra]
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    secs = time.perf_counter() - t0
    last = proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else ""
    if proc.returncode not in (0, 1):
        raise SystemExit(f"rebuild failed: {last}")
    return secs, last


def writer_rate(source_db: Path, out_db: Path, repeat: int = 1) -> tuple[int, float, float, float]:
    """(notices, seconds to write them, CPU seconds of that, seconds to link them): the CPU time
    says what an idle core would do on a busy machine. The rows are made first (untimed)
    from the records the tracker keeps, as a migration does, then written as rebuild writes them;
    ``repeat`` writes them that many times (under other paths) to see the writer on a bigger tracker."""
    from pipeline.extraction import EXTRACTOR_VERSION
    from pipeline.tracker import store
    from pipeline.tracker.link import link_all

    src = store.open_db(source_db)
    files = {f["id"]: f for f in src.query("select * from files")}
    by_file: dict[int, list] = {}
    for d in src.query("select file_id, path, file, text, words, record from documents order by id"):
        rows = store.fact_rows(json.loads(d["record"]), path=d["path"], file=d["file"], text=d["text"],
                               words=d["words"])
        by_file.setdefault(d["file_id"], []).append(rows)
    src.close()
    out_db.unlink(missing_ok=True)
    db = store.open_db(out_db)
    db.execute("pragma journal_mode = memory")  # as rebuild's working copy
    db.execute("pragma synchronous = off")
    store.create_schema(db)
    n = sum(len(v) for v in by_file.values()) * repeat
    t0, c0 = time.perf_counter(), time.process_time()
    writer = store.Writer(db)
    for r in range(repeat):
        for file_id, docs in by_file.items():
            f = files[file_id]
            prefix = f"copy{r}/" if r else ""
            with db.conn:
                new_id = store.add_file(db, path=prefix + f["path"], sha256=f["sha256"], size=f["size"],
                                        mtime=f["mtime"], extractor_version=EXTRACTOR_VERSION, status="ok",
                                        n_documents=len(docs))
                for rows in docs:
                    if prefix:
                        rows = {**rows, "documents": [dict(rows["documents"][0],
                                                           path=prefix + rows["documents"][0]["path"])]}
                    writer.add(rows, new_id)
    with db.conn:
        writer.flush()
    write, cpu = time.perf_counter() - t0, time.process_time() - c0
    t0 = time.perf_counter()
    link_all(db)
    link = time.perf_counter() - t0
    db.close()
    return n, write, cpu, link


def report_writer(base: Path, repeat: int = 1) -> None:
    n, write, cpu, link = writer_rate(base / "local.db", base / "writer.db", repeat)
    size = (base / "writer.db").stat().st_size
    print(f"writer alone: {n} notices written in {write:.1f} s = {n / write:.0f} notices/s "
          f"({cpu:.1f} CPU-s: {n / cpu:.0f} notices/s on an idle core); "
          f"links (people, citations) {link:.1f} s; tracker {size / 1024 / 1024:.0f} MB = "
          f"{size / n / 1024:.0f} KB a notice")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--jobs", type=int, default=2, help="Local worker processes, and the cluster's workers.")
    ap.add_argument("--writer-only", action="store_true", help="Only the writer's rate (on --keep's local.db).")
    ap.add_argument("--repeat", type=int, default=1, help="With --writer-only: write the notices this many times.")
    ap.add_argument("--keep", type=Path, help="Build in this folder and keep it (default: a temporary one).")
    args = ap.parse_args()
    base = args.keep or Path(tempfile.mkdtemp(prefix="duban-cluster-bench-"))
    base.mkdir(parents=True, exist_ok=True)
    inbox = base / "inbox"
    try:
        if not inbox.exists():
            made = make_inbox(inbox, args.n)
            print(f"inbox: {args.n} notices ({made['txt']} .txt, {made['docx']} .docx)")
        if args.writer_only:
            return report_writer(base, args.repeat)
        local_s, line = timed_rebuild(inbox, base / "local.db", "--jobs", str(args.jobs))
        print(f"process pool, {args.jobs} jobs: {local_s:.1f} s, {args.n / local_s:.1f} notices/s\n  {line}")
        address, procs = start_cluster(base, args.jobs)
        try:
            cluster_s, line = timed_rebuild(inbox, base / "cluster.db", "--scheduler", address)
        finally:
            stop_cluster(procs)
        print(f"Dask cluster, {args.jobs} workers × 1 thread on the same cores: {cluster_s:.1f} s, "
              f"{args.n / cluster_s:.1f} notices/s ({local_s / cluster_s:.2f} × the process pool)\n  {line}")
        report_writer(base)
    finally:
        if not args.keep:
            shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
