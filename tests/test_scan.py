"""The one inbox scanner (pipeline.readers.scan): `duban extract inbox/` and `duban rebuild --inbox inbox/` see
the same files; names that are not UTF-8, links out of the inbox, FIFOs and unreadable files are refused with a
reason, never opened; and the tracker lists them as failures while the rest go on."""
from __future__ import annotations

import json
import os
import sqlite3
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.readers import scan as scan_module
from pipeline.readers.scan import scan
from pipeline.tracker import queries
from pipeline.tracker.rebuild import rebuild

NOTICE = "澄河县测试局关于印发测试方案的通知\n各乡镇：\n现印发给你们。\n澄河县测试局\n2023年3月5日\n测试方案\n一、任务\n每月开展检查不少于2次。\n"
GBK_NAME = "测试通知".encode("gbk") + b".txt"  # b"\xb2\xe2...": not UTF-8 (通知 alone would be, by chance)


@pytest.fixture
def inbox(tmp_path):
    box = tmp_path / "inbox"
    (box / "sub").mkdir(parents=True)
    (box / "a.txt").write_text(NOTICE, encoding="utf-8")
    (box / "sub" / "b.txt").write_text(NOTICE.replace("测试方案", "检查方案"), encoding="utf-8")
    return box


def tracked(db) -> set[str]:
    """The inbox files the tracker holds notices of (a copy of a notice is one of its files)."""
    return {r[0] for r in sqlite3.connect(db).execute("select path from document_files")}


def failures(db) -> dict[str, str]:
    return {r["path"]: r["reason"] for r in queries.failures(queries.connect(db))}


def test_one_set_of_ignore_rules_for_extract_and_rebuild(inbox, tmp_path):
    for name in (".hidden.txt", "~$a.docx", "~WRL0001.docx", "a.txt.part", "b.pdf.crdownload", "c.tmp", "notes.xyz"):
        (inbox / name).write_text(NOTICE, encoding="utf-8")
    (inbox / ".git").mkdir()
    (inbox / ".git" / "c.txt").write_text(NOTICE, encoding="utf-8")
    found = scan(inbox)
    assert list(found.files) == ["a.txt", "sub/b.txt"] and found.refused == {}
    out = tmp_path / "out"
    res = CliRunner().invoke(main, ["extract", str(inbox), "--out", str(out)])
    assert res.exit_code == 0, res.output
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*.json")) == ["a.json", "sub/b.json"]
    rebuild(inbox, tmp_path / "t.db", settle=0)
    assert tracked(tmp_path / "t.db") == {"a.txt", "sub/b.txt"}


def test_help_and_errors_name_every_format_read(tmp_path):
    from pipeline.readers import SUPPORTED

    (tmp_path / "notes.xyz").write_text("x", encoding="utf-8")
    res = CliRunner().invoke(main, ["extract", str(tmp_path)])
    assert res.exit_code == 2 and all(ext in res.output for ext in SUPPORTED)
    helptext = CliRunner().invoke(main, ["extract", "--help"]).output
    assert ".ofd" in helptext and ".wps" in helptext and ".txt, .docx or .pdf" not in helptext


def test_a_gbk_file_name_is_a_failure_and_the_rest_go_on(inbox, tmp_path):
    with open(os.path.join(os.fsencode(inbox), GBK_NAME), "wb") as fh:
        fh.write(NOTICE.encode("utf-8"))
    db = tmp_path / "t.db"
    s = rebuild(inbox, db, settle=0)  # a traceback on every run, before
    assert tracked(db) == {"a.txt", "sub/b.txt"}
    (path, reason), = failures(db).items()
    assert path == "测试通知.txt" and "not UTF-8" in reason and s.failed == 1
    again = rebuild(inbox, db, settle=0)  # nothing new: a quiet run, the failure still listed
    assert again.extracted == 0 and again.failed == 1 and failures(db) == {path: reason}
    res = CliRunner().invoke(main, ["failures", "--db", str(db)])
    assert res.exit_code == 0 and "not UTF-8" in res.output
    # the CLI's one-line error for the same file
    res = CliRunner().invoke(main, ["extract", str(inbox), "--out", str(tmp_path / "out")])
    assert res.exit_code == 1 and "Traceback" not in res.output
    assert [line for line in res.stderr.splitlines() if line.startswith("error:")] == \
        [f"error: {inbox / '测试通知.txt'}: {reason}"]
    # renamed: read at the next run, and the failure is gone
    os.rename(os.path.join(os.fsencode(inbox), GBK_NAME), inbox / "测试通知.txt")
    s = rebuild(inbox, db, settle=0)
    assert s.extracted == 1 and failures(db) == {} and "测试通知.txt" in tracked(db)


def test_an_unreadable_file_is_a_failure_and_the_rest_go_on(inbox, tmp_path, monkeypatch):
    """A 0600 file of another user: its permission bits do not let this user read it, so the scan asks
    the system (an open), which refuses. chmod does not stop root (the tests' user): the scan is told
    it runs as another user and the open is refused the way the OS refuses it."""
    (inbox / "secret.txt").write_text(NOTICE, encoding="utf-8")
    (inbox / "secret.txt").chmod(0o600)
    monkeypatch.setattr(scan_module, "_EUID", os.geteuid() + 12345)
    real_open = os.open

    def denied(path, flags, *args, **kw):
        if os.fspath(path).endswith("secret.txt"):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_open(path, flags, *args, **kw)

    monkeypatch.setattr(scan_module.os, "open", denied)
    db = tmp_path / "t.db"
    s = rebuild(inbox, db, settle=0)
    assert tracked(db) == {"a.txt", "sub/b.txt"} and s.failed == 1
    assert failures(db) == {"secret.txt": "cannot read: Permission denied"}
    res = CliRunner().invoke(main, ["extract", str(inbox)])
    assert res.exit_code == 1 and f"error: {inbox / 'secret.txt'}: cannot read: Permission denied" in res.stderr


def test_a_file_that_cannot_be_hashed_is_a_failure(inbox, tmp_path, monkeypatch):
    """Unreadable between the scan and the hash (or to the hash only): a failure, not a traceback."""
    import pipeline.tracker.rebuild as rb

    real = rb.file_sha256

    def sha(path):
        if Path(path).name == "a.txt":
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(rb, "file_sha256", sha)
    db = tmp_path / "t.db"
    rebuild(inbox, db, settle=0)
    assert tracked(db) == {"sub/b.txt"} and failures(db) == {"a.txt": "cannot read: Permission denied"}


def test_links_out_of_the_inbox_are_never_read(inbox, tmp_path):
    secret = tmp_path / "outside.txt"
    secret.write_text(NOTICE.replace("澄河县测试局", "外部机密局"), encoding="utf-8")
    (inbox / "leak.txt").symlink_to(secret)
    (inbox / "passwd.txt").symlink_to("/etc/passwd")
    (inbox / "dangling.txt").symlink_to(inbox / "gone.txt")
    (inbox / "alias.txt").symlink_to(inbox / "sub" / "b.txt")  # inside → inside: followed
    (inbox / "outdir").symlink_to(tmp_path, target_is_directory=True)  # folders: not entered
    found = scan(inbox)
    assert list(found.files) == ["a.txt", "alias.txt", "sub/b.txt"]
    assert set(found.refused) == {"dangling.txt", "leak.txt", "passwd.txt"}
    assert "outside the inbox" in found.refused["leak.txt"] and "/etc/passwd" in found.refused["passwd.txt"]
    assert "broken link" in found.refused["dangling.txt"]
    db = tmp_path / "t.db"
    rebuild(inbox, db, settle=0)
    assert tracked(db) == {"a.txt", "alias.txt", "sub/b.txt"}
    assert set(failures(db)) == {"dangling.txt", "leak.txt", "passwd.txt"}
    conn = sqlite3.connect(db)
    assert conn.execute("select count(*) from documents where text like '%外部机密局%' or text like '%root:%'"
                        ).fetchone()[0] == 0
    assert queries.duties(queries.connect(db), search="外部") == []
    res = CliRunner().invoke(main, ["extract", str(inbox)])
    assert res.exit_code == 1 and "外部机密局" not in res.output
    assert f"error: {inbox / 'leak.txt'}: a link to {secret.resolve()}, outside the inbox: not read" in res.stderr
    # the link removed: its failure goes too
    (inbox / "leak.txt").unlink()
    rebuild(inbox, db, settle=0)
    assert set(failures(db)) == {"dangling.txt", "passwd.txt"}


def test_a_fifo_is_skipped_never_opened(inbox, tmp_path):
    os.mkfifo(inbox / "pipe.txt")
    db = tmp_path / "t.db"
    done = {}

    def go():  # opening a FIFO would block forever: run where a hang is caught
        done["summary"] = rebuild(inbox, db, settle=0)
        done["cli"] = CliRunner().invoke(main, ["extract", str(inbox / "pipe.txt")])

    t = threading.Thread(target=go, daemon=True)
    t.start()
    t.join(120)
    if t.is_alive():
        with open(inbox / "pipe.txt", "wb"):  # let the blocked reader go, then fail
            pass
        pytest.fail("a FIFO in the inbox was opened")
    assert tracked(db) == {"a.txt", "sub/b.txt"}
    assert failures(db) == {"pipe.txt": "a FIFO (named pipe), not a regular file: not read"}
    res = done["cli"]
    assert res.exit_code == 1 and res.stderr.strip() == \
        f"error: {inbox / 'pipe.txt'}: a FIFO (named pipe), not a regular file: not read"


def test_watch_sees_what_the_scanner_sees():
    from pipeline.tracker.watch import _relevant

    assert _relevant("/in/a.docx") and _relevant("/in/new-folder")
    assert not _relevant("/in/~$a.docx") and not _relevant("/in/a.docx.part") and not _relevant("/in/.hidden")
    assert not _relevant("/in/notes.xyz")


def test_extract_json_for_links_inside_the_folder(inbox):
    (inbox / "alias.txt").symlink_to(inbox / "a.txt")
    res = CliRunner().invoke(main, ["extract", "--compact", str(inbox)])
    assert res.exit_code == 0
    assert [json.loads(line)["source"]["path"].rsplit("/", 1)[-1] for line in res.output.splitlines()] == \
        ["a.txt", "alias.txt", "b.txt"]


def test_files_the_permission_bits_let_us_read_are_not_opened_by_the_scan(inbox, monkeypatch):
    """A plain file this user may read costs the scan one lstat (100,000 of them are scanned every
    night): no open. Its stat is kept for the plan, and the files come in path order."""
    (inbox / "a.txt").chmod(0o644)
    (inbox / "c.txt").write_text(NOTICE, encoding="utf-8")
    (inbox / "b").mkdir()
    (inbox / "b" / "z.txt").write_text(NOTICE, encoding="utf-8")

    def no_open(*a, **k):
        raise AssertionError("the scan opened a file")

    monkeypatch.setattr(scan_module.os, "open", no_open)
    found = scan(inbox)
    assert list(found.files) == ["a.txt", "b/z.txt", "c.txt", "sub/b.txt"]
    assert found.stats["c.txt"].st_size == (inbox / "c.txt").stat().st_size
    assert found.files["b/z.txt"] == os.path.join(str(inbox), "b", "z.txt")
