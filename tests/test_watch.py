"""duban watch: files dropped into the inbox reach the tracker within seconds, half-written ones wait."""
from __future__ import annotations

import hashlib
import shutil
import sqlite3
import threading
import time
from pathlib import Path

from pipeline.tracker.watch import watch

NOTICES = Path(__file__).resolve().parents[1] / "corpora" / "notices"


def paths(db):
    try:
        return {r[0] for r in sqlite3.connect(f"file:{db}?mode=ro", uri=True).execute("select path from document_files")}
    except sqlite3.Error:
        return set()


def wait_for(cond, timeout=30.0):
    end = time.time() + timeout
    while time.time() < end:
        if cond():
            return True
        time.sleep(0.2)
    return False


def test_watch_follows_the_inbox(tmp_path):
    inbox, db = tmp_path / "inbox", tmp_path / "tracker.db"
    inbox.mkdir()
    shutil.copy(NOTICES / "001_lanxi_anquan.txt", inbox)
    stop, lines = threading.Event(), []
    t = threading.Thread(target=watch, args=(inbox, db), kwargs={"settle": 0.5, "log": lines.append, "stop": stop})
    t.start()
    try:
        assert wait_for(lambda: paths(db) == {"001_lanxi_anquan.txt"})
        # a file copied in slowly: not read while it grows, read once it is complete
        src = (NOTICES / "016_lanxi_sanlian.txt").read_bytes()
        target = inbox / "016_lanxi_sanlian.txt"
        with open(target, "wb") as fh:
            for i in range(0, len(src), len(src) // 4 + 1):
                fh.write(src[i:i + len(src) // 4 + 1])
                fh.flush()
                time.sleep(0.3)
        assert wait_for(lambda: "016_lanxi_sanlian.txt" in paths(db))
        conn = sqlite3.connect(db)
        title = conn.execute("select title from documents where path = '016_lanxi_sanlian.txt'").fetchone()[0]
        assert title == "岚溪镇“三联三帮”基层治理提升行动实施方案"
        assert conn.execute("select count(*) from failures").fetchone()[0] == 0
        # what was read is the whole file, not a prefix caught mid-copy
        sha = conn.execute("select sha256 from files where path = '016_lanxi_sanlian.txt'").fetchone()[0]
        assert sha == hashlib.sha256(src).hexdigest()
        (inbox / "001_lanxi_anquan.txt").unlink()
        assert wait_for(lambda: paths(db) == {"016_lanxi_sanlian.txt"})
    finally:
        stop.set()
        t.join(timeout=10)
    assert not t.is_alive()


def test_watch_starts_with_a_bad_name_and_a_link_out_of_the_inbox(tmp_path):
    """Such files are failures listed in the tracker; watch starts and goes on (it used to exit at start)."""
    import os

    inbox, db = tmp_path / "inbox", tmp_path / "tracker.db"
    inbox.mkdir()
    shutil.copy(NOTICES / "001_lanxi_anquan.txt", inbox)
    with open(os.path.join(os.fsencode(inbox), "测试通知".encode("gbk") + b".txt"), "wb") as fh:
        fh.write((NOTICES / "016_lanxi_sanlian.txt").read_bytes())
    (inbox / "leak.txt").symlink_to("/etc/passwd")
    stop, lines, errors = threading.Event(), [], []

    def run():
        try:
            watch(inbox, db, settle=0.5, log=lines.append, stop=stop)
        except BaseException as e:  # noqa: BLE001 - the test reports it
            errors.append(e)

    t = threading.Thread(target=run)
    t.start()
    try:
        assert wait_for(lambda: paths(db) == {"001_lanxi_anquan.txt"} or errors)
        assert not errors and t.is_alive()
        failed = {r[0] for r in sqlite3.connect(db).execute("select path from failures")}
        assert failed == {"测试通知.txt", "leak.txt"}
        shutil.copy(NOTICES / "016_lanxi_sanlian.txt", inbox)  # and it goes on following the inbox
        assert wait_for(lambda: "016_lanxi_sanlian.txt" in paths(db))
    finally:
        stop.set()
        t.join(30)
