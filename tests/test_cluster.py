"""Extraction on a Dask cluster (pipeline.tracker.cluster): a real ``dask scheduler`` and two
``dask worker`` processes on 127.0.0.1 (the venv's dask CLI, free ports, torn down at the end).

A rebuild through them gives the same tracker as a local one; a worker killed mid-run does not
stop the run; a scheduler that cannot be reached is a one-line error and the tracker is untouched.
Skipped when Dask distributed is not installed (``pip install 'duban[cluster]'``).
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

import pytest

pytest.importorskip("distributed")

from click.testing import CliRunner  # noqa: E402

from pipeline.cli import main  # noqa: E402
from pipeline.tracker.cluster import SLOW_ENV, DaskExtraction  # noqa: E402
from pipeline.tracker.rebuild import rebuild  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DASK = Path(sys.executable).with_name("dask")
SLOW = 0.1  # seconds each task sleeps on the workers: a run long enough to kill a worker in


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start(args, log: Path, env=None) -> subprocess.Popen:
    """One dask process in its own session, so that it and its children can be killed as a group."""
    return subprocess.Popen([str(DASK), *args], stdout=log.open("wb"), stderr=subprocess.STDOUT, env=env,
                            start_new_session=True, cwd=log.parent)


def _stop(proc: subprocess.Popen, sig=signal.SIGTERM) -> None:
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=15)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """(scheduler address, [worker processes]) of a two-worker cluster on loopback."""
    from distributed import Client

    if not DASK.exists():
        pytest.skip(f"{DASK} not found")
    base = tmp_path_factory.mktemp("cluster")
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    env = {**os.environ, SLOW_ENV: str(SLOW)}
    procs = [_start(["scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"],
                    base / "scheduler.log")]
    try:
        for i in range(2):
            procs.append(_start(["worker", address, "--nthreads", "1", "--no-dashboard", "--host", "127.0.0.1",
                                 "--name", f"w{i}", "--local-directory", str(base / f"w{i}")],
                                base / f"worker{i}.log", env))
        deadline = time.monotonic() + 90
        while True:  # the scheduler takes a few seconds to import and listen on a busy machine
            try:
                client = Client(address, timeout="5s", set_as_default=False)
                break
            except OSError:
                if time.monotonic() > deadline or procs[0].poll() is not None:
                    raise
        try:
            client.wait_for_workers(2, timeout=max(5, deadline - time.monotonic()))
        finally:
            client.close()
        yield address, procs[1:]
    finally:
        for p in reversed(procs):
            _stop(p)


def tracker_contents(db) -> dict:
    """Every table's rows without ids, timestamps and run rows: row ids become the paths, people
    and the uids they point at, so two trackers built in different orders compare equal."""
    c = sqlite3.connect(db)
    docs = dict(c.execute("select id, path from documents"))
    people = {i: (n, p) for i, n, p in c.execute("select id, name, place from people")}
    out = {}
    for table in ["files", "documents", "phases", "deadlines", "duties", "roster_groups", "roster_members",
                  "assignments", "citations", "benchmarks", "people", "failures"]:
        cols = [r[1] for r in c.execute(f"pragma table_info({table})")]
        rows = []
        for r in c.execute(f"select * from {table}"):
            d = dict(zip(cols, r))
            for k in ("id", "file_id", "group_id", "first_seen", "last_seen", "run_id"):
                d.pop(k, None)
            if "document_id" in d:
                d["document_id"] = docs[d["document_id"]]
            if d.get("cited_document_id"):
                d["cited_document_id"] = docs[d["cited_document_id"]]
            if d.get("person_id"):
                d["person_id"] = people[d["person_id"]]
            rows.append(json.dumps(d, sort_keys=True, ensure_ascii=False))
        out[table] = sorted(rows)
    c.close()
    return out


def test_rebuild_on_the_cluster_gives_the_same_tracker(cluster, corpus_tracker, tmp_path):
    base, local = corpus_tracker
    address, _ = cluster
    seen = []
    with DaskExtraction(address) as ex:
        s = rebuild(base / "inbox", tmp_path / "cluster.db", executor=ex, settle=0, progress=seen.append)
    assert s.extracted == local.extracted == len(seen) and not s.failures
    remote = tracker_contents(tmp_path / "cluster.db")
    assert remote["documents"] and remote["duties"] and remote["people"]
    assert remote == tracker_contents(base / "tracker.db")


def test_archives_and_bad_files_come_back_as_locally(cluster, tmp_path):
    """Members of a .zip keep their tracker paths (file/member), a broken file is a failures row."""
    address, _ = cluster
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    notices = sorted((ROOT / "corpora" / "notices").glob("*.txt"))
    with zipfile.ZipFile(inbox / "batch.zip", "w") as z:
        for p in notices[:2]:
            z.write(p, f"批次/{p.name}")
    shutil.copy(notices[2], inbox / notices[2].name)
    (inbox / "broken.pdf").write_bytes(b"%PDF-1.4 truncated")
    local = rebuild(inbox, tmp_path / "local.db", jobs=1, settle=0)
    assert len(local.failures) == 1
    # through the command, the scheduler named by $DUBAN_SCHEDULER
    r = CliRunner().invoke(main, ["rebuild", "--inbox", str(inbox), "--db", str(tmp_path / "cluster.db"),
                                  "--settle", "0"], env={"DUBAN_SCHEDULER": address})
    assert r.exit_code == 1 and "broken.pdf" in r.output, r.output  # 1: a file failed
    assert "3 files: 2 extracted, 0 unchanged, 0 removed, 1 failed" in r.output and "Traceback" not in r.output
    a, b = tracker_contents(tmp_path / "local.db"), tracker_contents(tmp_path / "cluster.db")
    assert len(a["documents"]) == 3 and a == b
    records = [json.loads(r)["record"] for r in b["documents"]]
    assert any(f"batch.zip/批次/{notices[0].name}" in r for r in records)  # the record's source.path
    assert not any("duban-extract-" in r for r in records)  # no worker temp path leaks


def test_unreachable_scheduler_is_one_line_and_leaves_the_tracker(corpus_tracker, tmp_path):
    base, _ = corpus_tracker
    db = tmp_path / "t.db"
    shutil.copy(base / "tracker.db", db)
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    t0 = time.monotonic()
    r = CliRunner().invoke(main, ["rebuild", "--inbox", str(base / "inbox"), "--db", str(db), "--force",
                                  "--scheduler", f"tcp://127.0.0.1:{_free_port()}"])
    assert r.exit_code == 1, r.output
    lines = r.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: cannot reach the Dask scheduler at tcp://127.0.0.1:")
    assert time.monotonic() - t0 < 60
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before


def test_a_worker_killed_midway_does_not_stop_the_run(cluster, tmp_path):
    """Last in this file: it leaves the cluster one worker short."""
    address, workers = cluster
    inbox = tmp_path / "inbox"
    shutil.copytree(ROOT / "corpora" / "notices", inbox / "a")
    n = len(list(inbox.rglob("*.txt")))
    seen, out = [], {}

    def progress(path):
        seen.append(path)
        if len(seen) == 4:  # both workers busy with queued tasks, far from done: one machine dies
            os.killpg(workers[1].pid, signal.SIGKILL)
            workers[1].wait(timeout=15)

    def run():
        try:
            with DaskExtraction(address) as ex:
                out["summary"] = rebuild(inbox, tmp_path / "cluster.db", executor=ex, settle=0, progress=progress)
        except Exception as e:  # reported by the assertion below
            out["error"] = e

    t = threading.Thread(target=run, daemon=True)
    t.start()
    t.join(timeout=180)  # a lost task never rescheduled would hang here: bounded, then fail
    assert not t.is_alive(), "the rebuild did not finish after a worker was killed"
    assert "error" not in out, out.get("error")
    s = out["summary"]
    assert workers[1].poll() is not None  # it was killed before the end
    assert s.extracted == n == len(seen) and not s.failures
    c = sqlite3.connect(tmp_path / "cluster.db")
    assert c.execute("select count(*) from documents").fetchone()[0] == n
    assert c.execute("select count(*) from files where status = 'ok'").fetchone()[0] == n


def test_without_dask_or_with_a_bad_address_the_error_is_one_line(tmp_path, monkeypatch):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    r = CliRunner().invoke(main, ["rebuild", "--inbox", str(inbox), "--db", str(tmp_path / "t.db"),
                                  "--scheduler", "localhost"])
    assert r.exit_code == 1 and r.output.strip() == "Error: localhost: not a scheduler address (tcp://HOST:8786)"
    monkeypatch.setitem(sys.modules, "distributed", None)  # as if duban[cluster] were not installed
    r = CliRunner().invoke(main, ["rebuild", "--inbox", str(inbox), "--db", str(tmp_path / "t.db"),
                                  "--scheduler", "tcp://127.0.0.1:8786"])
    assert r.exit_code == 1 and r.output.strip().splitlines() == [
        "Error: --scheduler needs Dask distributed: pip install 'duban[cluster]'"]
    assert not (tmp_path / "t.db").exists()
