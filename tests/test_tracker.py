"""The tracker: rebuild follows the inbox, survives being killed, and answers the supervisors' queries."""
from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from pipeline.tracker import queries, store
from pipeline.tracker.rebuild import TrackerError, rebuild

ROOT = Path(__file__).resolve().parents[1]
NOTICES = ROOT / "corpora" / "notices"


@pytest.fixture(scope="module")
def built(corpus_tracker):
    """An inbox of the corpora notices and a tracker rebuilt from it (shared, read-only)."""
    return corpus_tracker


@pytest.fixture
def work(built, tmp_path):
    """A private copy of the built inbox and tracker, for tests that change them."""
    base, _ = built
    shutil.copytree(base / "inbox", tmp_path / "inbox")
    shutil.copy(base / "tracker.db", tmp_path / "tracker.db")
    return tmp_path / "inbox", tmp_path / "tracker.db"


def counts(db_path):
    conn = sqlite3.connect(db_path)
    return {t: conn.execute(f"select count(*) from {t}").fetchone()[0]
            for t in ("files", "documents", "duties", "phases", "deadlines", "roster_members", "failures")}


def test_first_rebuild_extracts_every_notice(built):
    base, summary = built
    n = len(list(NOTICES.glob("*.txt")))
    assert (summary.extracted, summary.failed, summary.documents) == (n, 0, n)
    c = counts(base / "tracker.db")
    assert c["documents"] == n and c["duties"] > 100 and c["roster_members"] > 50
    conn = sqlite3.connect(base / "tracker.db")
    assert conn.execute("pragma integrity_check").fetchone()[0] == "ok"
    assert conn.execute("pragma foreign_key_check").fetchall() == []
    # every fact keeps its evidence and its notice
    missing = conn.execute("select count(*) from duties where evidence is null or document_id is null").fetchone()[0]
    assert missing == 0


def test_unchanged_inbox_extracts_nothing(work):
    inbox, db = work
    before = counts(db)
    s = rebuild(inbox, db, settle=0)
    assert s.extracted == 0 and s.removed == 0 and s.reused == before["files"]
    assert counts(db) == before
    conn = sqlite3.connect(db)
    assert conn.execute("select count(*) from runs").fetchone()[0] == 2


def test_rebuild_follows_added_changed_and_removed_files(work):
    inbox, db = work
    before = counts(db)
    # add: a copy under a new name in a subfolder
    (inbox / "new").mkdir()
    shutil.copy(inbox / "001_lanxi_anquan.txt", inbox / "new" / "copy_of_001.txt")
    # change: 002 loses its last paragraphs
    changed = inbox / "002_chenghe_kehoufuwu.txt"
    changed.write_text(changed.read_text(encoding="utf-8")[:400], encoding="utf-8")
    # remove: 003
    (inbox / "003_qingfeng_laojiu.txt").unlink()
    s = rebuild(inbox, db, settle=0)
    assert (s.extracted, s.removed) == (2, 1)
    conn = sqlite3.connect(db)
    paths = {r[0] for r in conn.execute("select path from documents")}
    assert "003_qingfeng_laojiu.txt" not in paths
    # the byte-identical copy is a second file of notice 001, not a second notice
    assert conn.execute("select d.path from document_files f join documents d on d.id = f.document_id "
                        "where f.path = 'new/copy_of_001.txt'").fetchone()[0] == "001_lanxi_anquan.txt"
    assert counts(db)["documents"] == before["documents"] - 1
    n_002 = conn.execute("select count(*) from duties u join documents d on d.id = u.document_id "
                         "where d.path = '002_chenghe_kehoufuwu.txt'").fetchone()[0]
    assert n_002 == 0  # the shortened notice keeps only its header
    # nothing left behind by the removed notice
    assert conn.execute("select count(*) from duties where document_id not in (select id from documents)").fetchone()[0] == 0
    assert rebuild(inbox, db, settle=0).extracted == 0


def test_bad_files_land_in_failures_and_nothing_is_lost(work):
    inbox, db = work
    before = counts(db)
    (inbox / "broken.docx").write_bytes(b"PK\x03\x04 not really a zip")
    (inbox / "empty.txt").write_bytes(b"")
    s = rebuild(inbox, db, settle=0)
    assert s.failed == 2
    assert {p for p, _ in s.failures} == {"broken.docx", "empty.txt"}
    after = counts(db)
    assert after["documents"] == before["documents"] and after["failures"] == 2
    rows = {r["path"]: r["reason"] for r in queries.failures(queries.connect(db))}
    assert rows["empty.txt"] == "empty file"
    # unchanged bad files are not retried; removing one clears its failure
    (inbox / "empty.txt").unlink()
    s = rebuild(inbox, db, settle=0)
    assert s.extracted == 0 and s.failed == 1


def test_files_just_copied_in_are_waited_for_then_taken(work):
    """A person copies files into the inbox and runs ``duban rebuild`` at once: the run says it
    waits, waits until they hold still for ``settle`` seconds, then extracts them (it used to
    extract nothing, exit 0 and say only "4 still being written")."""
    inbox, db = work
    for i in range(4):
        shutil.copy(inbox / "001_lanxi_anquan.txt", inbox / f"zz_new_{i}.txt")
    lines = []
    t0 = time.monotonic()
    s = rebuild(inbox, db, settle=1.0, log=lines.append)
    assert s.extracted == 4 and not s.pending
    assert time.monotonic() - t0 >= 1.0
    assert any(line.startswith("waiting for 4 files still being written") for line in lines), lines


def test_a_file_that_keeps_growing_is_left_for_the_next_run(work):
    inbox, db = work
    growing, stop = inbox / "zz_growing.txt", threading.Event()
    shutil.copy(inbox / "001_lanxi_anquan.txt", growing)

    def append():
        while not stop.is_set():
            with open(growing, "a", encoding="utf-8") as fh:
                fh.write("续。\n")
            time.sleep(0.1)

    t = threading.Thread(target=append)
    t.start()
    try:
        s = rebuild(inbox, db, settle=1.0, settle_limit=2.0)
    finally:
        stop.set()
        t.join()
    assert "zz_growing.txt" in s.pending and s.extracted == 0
    old = time.time() - 120
    os.utime(growing, (old, old))
    assert rebuild(inbox, db, settle=1.0).extracted == 1


def test_failed_files_are_counted_as_failed_not_extracted(work):
    inbox, db = work
    (inbox / "broken.docx").write_bytes(b"PK\x03\x04 not really a zip")
    shutil.copy(inbox / "001_lanxi_anquan.txt", inbox / "zz_good.txt")
    old = time.time() - 120
    for name in ("broken.docx", "zz_good.txt"):
        os.utime(inbox / name, (old, old))
    s = rebuild(inbox, db, settle=0)
    assert (s.extracted, s.failed_files) == (1, 1)
    assert "1 extracted" in s.line() and "1 failed this run" in s.line()


def test_killed_rebuild_leaves_previous_tracker_intact(work):
    inbox, db = work
    before = counts(db)
    for i in range(300):  # enough work (several seconds) that the kill lands midway
        shutil.copy(inbox / "016_lanxi_sanlian.txt", inbox / f"extra_{i:02}.txt")
    proc = subprocess.Popen([sys.executable, "-c", "from pipeline.cli import main; main()", "rebuild", "--inbox", str(inbox), "--db", str(db),
                             "--jobs", "1", "--settle", "0"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
    deadline = time.time() + 60
    while not list(db.parent.glob(f".{db.name}.building-*")) and time.time() < deadline:
        time.sleep(0.05)
    time.sleep(2.0)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert list(db.parent.glob(f".{db.name}.building-*")), "the kill should have landed mid-build"
    assert counts(db) == before
    assert sqlite3.connect(db).execute("pragma integrity_check").fetchone()[0] == "ok"
    s = rebuild(inbox, db, settle=0)  # the next run cleans up and finishes the job
    assert s.extracted == 300 and not list(db.parent.glob(f".{db.name}.building-*"))


def test_queries_during_a_rebuild_see_one_tracker_or_the_other(work):
    inbox, db = work
    old = counts(db)
    for i in range(6):
        shutil.copy(inbox / "001_lanxi_anquan.txt", inbox / f"more_{i}.txt")
    seen, stop = set(), threading.Event()

    def reader():
        while not stop.is_set():
            conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
            with conn:
                conn.execute("begin")
                seen.add((conn.execute("select count(*) from documents").fetchone()[0],
                          conn.execute("select count(*) from duties").fetchone()[0]))
            conn.close()

    t = threading.Thread(target=reader)
    t.start()
    rebuild(inbox, db, settle=0)
    stop.set()
    t.join()
    new = counts(db)
    assert seen <= {(old["documents"], old["duties"]), (new["documents"], new["duties"])}
    assert (old["documents"], old["duties"]) in seen


def test_older_schema_is_migrated_without_reextraction(work):
    inbox, db = work
    before = counts(db)
    conn = sqlite3.connect(db)
    conn.execute("update meta set value = '0' where key = 'schema_version'")
    conn.commit()
    conn.close()
    s = rebuild(inbox, db, settle=0)
    assert s.extracted == 0
    assert counts(db) == before
    assert store.schema_version(store.open_db(db)) == store.SCHEMA_VERSION


def test_newer_schema_is_refused_with_a_clear_error(work):
    inbox, db = work
    conn = sqlite3.connect(db)
    conn.execute("update meta set value = '99' where key = 'schema_version'")
    conn.commit()
    conn.close()
    with pytest.raises(TrackerError, match="newer duban"):
        rebuild(inbox, db, settle=0)


def test_extractor_version_change_reextracts_everything(work, monkeypatch):
    inbox, db = work
    import importlib

    # the tracker reads the version through the extraction API (pipeline.extraction.EXTRACTOR_VERSION)
    monkeypatch.setattr(importlib.import_module("pipeline.extraction"), "EXTRACTOR_VERSION", "9.9.9")
    s = rebuild(inbox, db, settle=0)
    assert s.extracted == counts(db)["files"]


# -- queries on known answers ------------------------------------------------------------------

@pytest.fixture(scope="module")
def conn(built):
    base, _ = built
    return queries.connect(base / "tracker.db")


def test_overdue_deadline(conn):
    rows = queries.deadlines(conn, overdue=True, as_of="2023-04-15")
    hit = [r for r in rows if r["notice"] == "岚政发〔2023〕8号" and r["date"] == "2023-03-31"]
    assert hit and hit[0]["days_overdue"] == 15 and "报送" in hit[0]["task"]
    assert all(r["date"] < "2023-04-15" for r in rows)
    soon = queries.deadlines(conn, as_of="2023-04-15", upcoming=30)
    assert any(r["date"] == "2023-04-30" and r["notice"] == "岚政发〔2023〕8号" for r in soon)
    ahead = queries.deadlines(conn, as_of="2026-11-23", upcoming=365)
    assert {r["date"] for r in ahead} == {"2027-06-30"} and {r["notice"] for r in ahead} == {"岚政发〔2026〕6号"}
    late = queries.deadlines(conn, as_of="2026-11-23", overdue=True, after="2026-01-01")
    assert {"2026-04-15", "2026-10-31"} <= {r["date"] for r in late}
    with pytest.raises(queries.QueryError, match="not a date"):
        queries.deadlines(conn, as_of="2023-13-45")


def test_search_finds_two_character_words_inside_longer_text(conn):
    rows = queries.duties(conn, search="调研")
    assert rows and all("调研" in (r["requirement"] + (r["actor"] or "")) for r in rows)
    one = queries.duties(conn, search="村")  # one character: the LIKE fallback
    assert one and all("村" in (r["requirement"] + (r["actor"] or "")) for r in one)


def test_duties_by_actor_group_and_period(conn):
    rows = queries.duties(conn, actor="村（社区）", period="week")
    assert rows and all(r["period"] == "week" for r in rows)
    assert any(r["notice"] == "岚政发〔2023〕8号" and r["quantity"] == 2 for r in rows)


def test_people_and_namesakes(conn):
    rows = queries.people(conn, "李卫东")  # 镇长 in 001, 镇党委副书记、镇长 in 028: one person, two notices
    assert len({r["person"] for r in rows}) == 1
    assert {r["notice"] for r in rows if r["role"] == "组长"} == {"岚政发〔2023〕8号", "岚政发〔2026〕6号"}
    rows = queries.people(conn, "刘振宇")  # 副县长 in two 澄河县 notices
    assert len({r["person"] for r in rows}) == 1 and len({r["notice"] for r in rows}) == 2
    rows = queries.people(conn, "王建华")  # 岚溪镇 副镇长 and an 汶南市 副局长: namesakes kept apart
    assert len({r["person"] for r in rows}) == 2
    assert "王建华" in {r["name"] for r in queries.ambiguous_people(conn)}


def test_citations_link_notices_in_the_tracker(conn):
    links = {(r["citing_number"], r["cited_number"]) for r in
             conn.execute("select citing_number, coalesce(cited_number, t.doc_number) as cited_number "
                          "from citation_links c join documents t on t.id = c.cited_id")}
    assert ("岚政发〔2023〕8号", "澄政办发〔2023〕9号") in links   # town plan implements the county notice
    assert ("澄政办发〔2023〕9号", "临安委〔2023〕2号") in links   # which implements the city plan
    assert ("岚政发〔2026〕6号", "岚委发〔2020〕9号") in links
    rec = queries.doc(conn, "澄政办发〔2023〕9号")
    assert {r["citing_number"] for r in rec["tracker"]["cited_by"]} == {"岚政发〔2023〕8号"}
    assert any(r["cited_title"] == "中华人民共和国安全生产法" for r in queries.unresolved_citations(conn))


def test_doc_in_full_with_links(conn):
    rec = queries.doc(conn, "岚政发〔2023〕8号")
    assert rec["title"].startswith("岚溪镇人民政府关于印发") and rec["tracker"]["path"] == "001_lanxi_anquan.txt"
    with pytest.raises(queries.QueryError, match="no notice"):
        queries.doc(conn, "不存在〔2099〕1号")


def test_actor_groups():
    from pipeline.tracker.link import actor_group

    assert actor_group("各办局") == actor_group("办局负责同志") == "办局"
    assert actor_group("领导小组各成员单位") == "领导小组成员单位"
    assert actor_group("每个镇（街道）") == actor_group("各镇（街道）") == "镇（街道）"


def test_people_resolution_keeps_namesakes_apart(tmp_path):
    from pipeline.tracker.link import resolve_people

    db = store.open_db(tmp_path / "t.db")
    store.create_schema(db)
    fid = db["files"].insert({"path": "x"}).last_pk

    def notice(issuer, members):
        rec = {"source": {}, "issuer": issuer, "rosters": [{"group": "领导小组", "members": [
            {"role": r, "name": n, "title": t} for r, n, t in members]}]}
        return store.insert_document(db, rec, file_id=fid, path=f"{issuer}{len(members)}", file="")

    notice("澄河县人民政府", [("组长", "王强", "县长"), ("成员", "张伟", "县教育局局长")])
    notice("中共澄河县委", [("组长", "王强", "县委副书记、县长")])           # same person: same county, 县长
    notice("汶南市人民政府", [("成员", "张伟", "市财政局局长")])              # namesake: another city
    notice("澄河县岚溪镇人民政府", [("成员", "张伟", None)])                 # no title: fits the county one only
    resolve_people(db)
    people = {(r["name"], r["n_documents"]) for r in db["people"].rows}
    assert ("王强", 2) in people
    assert sorted(n for name, n in people if name == "张伟") == [1, 2]


# -- the CLI -------------------------------------------------------------------------------------

def run_cli(*args, db=None):
    from click.testing import CliRunner

    from pipeline.cli import main

    return CliRunner().invoke(main, [*args, *(["--db", str(db)] if db else [])])


def test_cli_queries(built):
    base, _ = built
    db = base / "tracker.db"
    r = run_cli("deadlines", "--overdue", "--as-of", "2023-04-15", "--json", db=db)
    assert r.exit_code == 0 and any(x["date"] == "2023-03-31" for x in json.loads(r.output))
    r = run_cli("duties", "--search", "调研", "--csv", db=db)
    assert r.exit_code == 0 and r.output.splitlines()[0].startswith("notice,") and "调研" in r.output
    r = run_cli("people", "李卫东", db=db)
    assert r.exit_code == 0 and "李卫东" in r.output and "组长" in r.output
    r = run_cli("docs", "--year", "2023", "--json", db=db)
    assert r.exit_code == 0 and "岚政发〔2023〕8号" in {x["doc_number"] for x in json.loads(r.output)}
    r = run_cli("doc", "岚政发〔2023〕8号", "--json", db=db)
    assert r.exit_code == 0 and json.loads(r.output)["doc_number"]["serial"] == 8


def test_a_table_shows_a_page_and_says_how_many_match(built):
    """A long list in a terminal shows its first rows (--limit, default 100) and says how many match;
    --json/--csv and --limit 0 give every row, in the same order."""
    from click.testing import CliRunner

    from pipeline.cli import main

    base, _ = built
    db = str(base / "tracker.db")
    every = json.loads(run_cli("calendar", "--json", db=base / "tracker.db").stdout)
    assert len(every) > 12
    r = CliRunner().invoke(main, ["calendar", "--limit", "5", "--db", db])
    assert r.exit_code == 0 and f"时间轴 calendar ({len(every):,})" in r.stdout
    assert f"显示前 5 条，共 {len(every):,} 条" in r.stderr
    first = json.loads(run_cli("calendar", "--json", "--limit", "5", db=base / "tracker.db").stdout)
    assert first == every[:5]
    r = CliRunner().invoke(main, ["calendar", "--limit", "0", "--db", db])
    assert r.exit_code == 0 and "显示前" not in r.stderr
    assert len(json.loads(run_cli("deadlines", "--limit", "0", "--json", db=base / "tracker.db").stdout)) == \
        queries.deadlines(queries.connect(db)).total


def test_a_page_counts_what_the_whole_list_holds_with_desk_marks(built, tmp_path):
    """A page's total is counted apart from its rows (for deadlines from the date indexes, less the
    items marked done on the desk): it must be the length of the whole list, for every status."""
    base, _ = built
    db = tmp_path / "tracker.db"
    shutil.copy(base / "tracker.db", db)
    everything = queries.deadlines(queries.connect(db))
    assert len(everything) > 6
    marks = sqlite3.connect(queries.desk_path(db))
    marks.executescript(queries.DESK_TABLES.replace("desk.", ""))
    marks.executemany("insert or replace into duty_status (uid, status, [by], at) values (?, ?, '督查', '2023-06-01')",
                      [(r["uid"], "done") for r in everything[::3]] + [(everything[1]["uid"], "open")])
    marks.commit()
    marks.close()
    conn = queries.connect(db)
    for kw in ({}, {"overdue": True, "as_of": "2023-06-30"}, {"status": "done"}, {"status": "open"},
               {"before": "2023-05-01", "status": "open"}):
        whole = queries.deadlines(conn, **kw)
        for limit in (1, 2, 5):
            page = queries.deadlines(conn, limit=limit, **kw)
            assert (page.total, list(page)) == (len(whole), whole[:limit]), (kw, limit)
    for kw in ({}, {"status": "done"}, {"actor": "村"}):
        whole = queries.duties(conn, **kw)
        page = queries.duties(conn, limit=3, **kw)
        assert (page.total, list(page)) == (len(whole), whole[:3]), kw
    assert queries.deadlines(conn, status="done", limit=1).total == len(everything[::3])


def test_the_dashboards_index_counts_are_the_rows_they_stand_for(built):
    """The desk's dashboard counts from the tables' indexes; each figure must be what counting the
    rows of the query it stands for gives (the calendar view, the deadlines list)."""
    base, _ = built
    conn = queries.connect(base / "tracker.db")
    p = {"as_of": "2023-03-01"}
    by_month = conn.execute(queries.CALENDAR_BY_MONTH.format(start=":as_of", months=12), p).fetchall()
    assert [tuple(r) for r in by_month] == [tuple(r) for r in conn.execute(
        "select substr(date, 1, 7), kind, count(*) from calendar where date >= :as_of and "
        "date < date(:as_of, 'start of month', '+12 months') group by 1, 2 order by 1, 2", p)] and by_month
    cond = "{date} < :as_of"
    rows = queries.deadlines(conn, overdue=True, as_of="2023-03-01", status=None)
    by_actor = conn.execute(queries.deadlines_by_actor_sql(cond), p).fetchall()
    assert sum(n for _, n in by_actor) == len(rows) == queries.count_deadlines(conn, cond, p)
    assert dict((a, n) for a, n in by_actor) == {a: sum(1 for r in rows if (r["actor"] or "").strip() == a)
                                                 for a in {(r["actor"] or "").strip() for r in rows}}
    latest = conn.execute(queries.LATEST_NOTICES.format(limit=50)).fetchall()
    assert [r["path"] for r in latest] == [r[0] for r in conn.execute(
        "select path from documents order by signed_date is null, signed_date desc, id desc limit 50")]


def test_cli_errors_are_one_line(tmp_path, built):
    base, _ = built
    r = run_cli("duties", db=tmp_path / "none.db")
    assert r.exit_code == 1 and "no tracker here yet" in r.output and "Traceback" not in r.output
    r = run_cli("deadlines", "--as-of", "tomorrow", db=base / "tracker.db")
    assert r.exit_code == 1 and "not a date" in r.output
    r = run_cli("rebuild", "--inbox", str(tmp_path / "missing"), db=tmp_path / "t.db")
    assert r.exit_code == 1 and "inbox folder not found" in r.output


def test_cli_rebuild_exit_status_says_whether_any_failed(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(NOTICES / "001_lanxi_anquan.txt", inbox)
    old = time.time() - 60
    os.utime(inbox / "001_lanxi_anquan.txt", (old, old))
    r = run_cli("rebuild", "--inbox", str(inbox), "--jobs", "1", db=tmp_path / "t.db")
    assert r.exit_code == 0, r.output
    (inbox / "bad.pdf").write_bytes(b"%PDF-1.4 truncated")
    os.utime(inbox / "bad.pdf", (old, old))
    r = run_cli("rebuild", "--inbox", str(inbox), "--jobs", "1", db=tmp_path / "t.db")
    assert r.exit_code == 1 and "bad.pdf" in r.output


def test_parallel_rebuild_gives_the_same_tracker(work):
    inbox, db = work

    def records():  # the records without source.path (this copy of the inbox lives elsewhere)
        conn = sqlite3.connect(db)
        rows = conn.execute("select path, record from documents order by path").fetchall()
        return [(p, {k: v for k, v in json.loads(r).items() if k != "source"}) for p, r in rows]

    rebuild(inbox, db, jobs=1, force=True, settle=0)
    before = records()
    s = rebuild(inbox, db, jobs=2, force=True, settle=0)
    assert s.extracted == len(before) and records() == before


def test_calendar_puts_every_dated_thing_on_one_timeline(conn):
    rows = queries.calendar(conn, start="2023-03-01", end="2023-03-31")
    assert [r["date"] for r in rows] == sorted(r["date"] for r in rows)
    kinds = {(r["kind"], r["notice"]) for r in rows}
    assert ("phase_start", "岚政发〔2023〕8号") in kinds and ("deadline", "岚政发〔2023〕8号") in kinds
    assert all("2023-03-01" <= r["date"] <= "2023-03-31" for r in rows)


# -- queries stay light: no spaCy -----------------------------------------------------------------

NO_SPACY = """
import sys
from pipeline.cli import main
try:
    main(sys.argv[1:], standalone_mode=False)
finally:
    heavy = sorted(m for m in sys.modules if m == "spacy" or m.startswith(("spacy.", "extractors", "pipeline.extraction")))
    print("LOADED:" + ",".join(heavy), file=sys.stderr)
"""


@pytest.mark.parametrize("args", [["duties", "--search", "调研"], ["deadlines", "--overdue", "--as-of", "2023-06-30"],
                                  ["people", "李卫东"], ["failures", "--json"], ["calendar", "--json"],
                                  ["export", "--format", "json", "--what", "duties", "--search", "巡查"]])
def test_query_commands_never_load_spacy(built, args):
    """A query cuts words with pipeline.text.segment (jieba alone): it must not pay for spaCy and the extractors."""
    base, _ = built
    r = subprocess.run([sys.executable, "-c", NO_SPACY, *args, "--db", str(base / "tracker.db")],
                       capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert r.returncode == 0, r.stderr
    assert r.stderr.strip().splitlines()[-1] == "LOADED:", r.stderr
    assert r.stdout


def test_importing_the_cli_never_loads_spacy():
    r = subprocess.run([sys.executable, "-X", "importtime", "-c", "import pipeline.cli"], capture_output=True,
                       text=True, timeout=120, cwd=ROOT)
    assert r.returncode == 0 and "pipeline.cli" in r.stderr
    assert not [line for line in r.stderr.splitlines() if line.rsplit("|", 1)[-1].strip().split(".")[0] == "spacy"]


def test_desk_search_never_loads_spacy(built):
    code = """
import asyncio, sys
from urllib.parse import quote
from pipeline.desk import make_datasette
ds = make_datasette(sys.argv[1])
async def go():
    await ds.invoke_startup()
    r = await ds.client.get("/tracker/search.json?_shape=array&" + quote("关键词") + "=" + quote("调研"))
    assert r.status_code == 200 and r.json(), r.text
asyncio.run(go())
print("spacy" in sys.modules)
"""
    base, _ = built
    r = subprocess.run([sys.executable, "-c", code, str(base / "tracker.db")], capture_output=True, text=True,
                       timeout=120, cwd=ROOT)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "False"


# -- one rebuild at a time -------------------------------------------------------------------------------

def test_concurrent_rebuilds_wait_for_each_other(work):
    """The lock (filelock) makes a second rebuild wait for the first, or fail at once when asked not to wait."""
    from filelock import FileLock

    inbox, db = work
    held = FileLock(db.with_name(db.name + ".lock"))
    held.acquire()
    try:
        with pytest.raises(TrackerError, match="another rebuild is running"):
            rebuild(inbox, db, settle=0, wait_for_lock=False)
        done = []
        t = threading.Thread(target=lambda: done.append(rebuild(inbox, db, settle=0)), daemon=True)
        t.start()
        time.sleep(1.0)
        assert t.is_alive() and not done  # waiting for the lock
    finally:
        held.release()
    t.join(120)
    assert done and done[0].extracted == 0


# -- in place: proportional to the change, same links as a full rebuild ---------------------------------

def _links(db_path):
    conn = sqlite3.connect(db_path)
    people = sorted((r[:-1] + (tuple(sorted(r[-1].split(","))),) for r in conn.execute("select p.name, p.place, p.titles, p.n_roles, p.n_documents, p.ambiguous, "
                                 "group_concat(d.path || '#' || m.member_seq) from people p "
                                 "join roster_members m on m.person_id = p.id join documents d on d.id = m.document_id "
                                 "group by p.id")), key=repr)
    cites = sorted(conn.execute("select d.path, c.seq, t.path from citations c join documents d on d.id = c.document_id "
                                "left join documents t on t.id = c.cited_document_id").fetchall(), key=repr)
    return people, cites


def test_incremental_rebuild_is_in_place_and_links_like_a_full_one(work):
    """Added, changed and removed files are applied to the live file (same inode, WAL), and the
    people and citation links redone for them equal those of a full rebuild."""
    inbox, db = work
    ino = db.stat().st_ino
    shutil.copy(inbox / "016_lanxi_sanlian.txt", inbox / "zz_copy.txt")
    text = (inbox / "001_lanxi_anquan.txt").read_text(encoding="utf-8")
    (inbox / "001_lanxi_anquan.txt").write_text(text.replace("岚政发", "岚政办发", 1), encoding="utf-8")
    victim = sorted(p for p in inbox.glob("*.txt") if p.name != "001_lanxi_anquan.txt")[3]
    victim.unlink()
    old = time.time() - 120
    for p in inbox.glob("*.txt"):
        os.utime(p, (old, old))
    s = rebuild(inbox, db, settle=0)
    assert (s.extracted, s.removed) == (2, 1)
    assert db.stat().st_ino == ino and not list(db.parent.glob(f".{db.name}.building-*"))
    assert sqlite3.connect(db).execute("pragma journal_mode").fetchone()[0] == "wal"
    incremental = _links(db)
    rebuild(inbox, db, settle=0, force=True)
    full = _links(db)
    assert [sorted(set(full[i]) ^ set(incremental[i]), key=repr) for i in (0, 1)] == [[], []]
    assert full == incremental and incremental[0] and incremental[1]


def _descendants(pid):
    out = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        for child in (task / "children").read_text().split():
            out += [int(child), *_descendants(int(child))]
    return out


def _alive(pid):
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except OSError:
        return False


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux /proc")
def test_kill_9_at_random_moments_leaves_no_process_no_lock_and_the_previous_tracker(work):
    """kill -9 of a rebuild with 2 workers, at several moments (extraction, apply): the workers
    die with it (they used to keep tracker.db.lock, and every later rebuild waited for ever), the
    tracker is the previous one, whole, and the next rebuild runs."""
    import random

    inbox, db = work
    before = counts(db)
    text = (inbox / "016_lanxi_sanlian.txt").read_text(encoding="utf-8")
    for i in range(300):  # notices of their own (a copy with the same 文号 and title would be the same notice)
        (inbox / f"extra_{i:03}.txt").write_text(text.replace("岚委发（2020）9号", f"岚委发（2020）{200 + i}号", 1),
                                                 encoding="utf-8")
    rng, killed_with_workers = random.Random(11), 0
    for _ in range(5):
        proc = subprocess.Popen([sys.executable, "-c", "from pipeline.cli import main; main()", "rebuild",
                                 "--inbox", str(inbox), "--db", str(db), "--jobs", "2", "--settle", "0"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
        end = time.time() + 120  # the extraction has begun: its spool exists and the workers are forked
        while not list(db.parent.glob(f".{db.name}.building-*.spool")) and time.time() < end:
            time.sleep(0.05)
        time.sleep(rng.uniform(0.2, 3.0))
        workers = _descendants(proc.pid)
        killed_with_workers += bool(workers)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        end = time.time() + 10
        while any(_alive(w) for w in workers) and time.time() < end:
            time.sleep(0.1)
        assert not [w for w in workers if _alive(w)], "workers outlived the killed rebuild"
        if counts(db) != before:  # the kill came after the commit: that rebuild finished
            break
        assert sqlite3.connect(db).execute("pragma integrity_check").fetchone()[0] == "ok"
    assert killed_with_workers, "no kill landed while workers ran"
    rebuild(inbox, db, settle=0, wait_for_lock=False)  # the lock is free: no wait
    assert counts(db)["documents"] == before["documents"] + 300
    assert not list(db.parent.glob(f".{db.name}.building-*"))


def test_a_held_lock_names_its_holder_and_the_wait_is_bounded(work):
    inbox, db = work
    lines = []
    proc = subprocess.Popen([sys.executable, "-c", "import sys, time\nfrom pipeline.tracker.rebuild import _lock\n"
                             "from pathlib import Path\nwith _lock(Path(sys.argv[1]), True):\n"
                             "    print('held', flush=True); time.sleep(60)", str(db)],
                            stdout=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        assert proc.stdout.readline().strip() == "held"
        with pytest.raises(TrackerError, match=f"process {proc.pid} \\(since "):
            rebuild(inbox, db, settle=0, wait_for_lock=False)
        t0 = time.monotonic()
        with pytest.raises(TrackerError, match="gave up after 1 s"):
            rebuild(inbox, db, settle=0, lock_timeout=1, log=lines.append)
        assert 1 <= time.monotonic() - t0 < 10
        assert lines and lines[0].startswith(f"waiting for the rebuild of process {proc.pid}")
    finally:
        proc.kill()
        proc.wait()
    assert rebuild(inbox, db, settle=0, wait_for_lock=False).extracted == 0


# -- faults of the machine: one line, the tracker unchanged, nothing half-made left ----------------------

def _leftovers(db):
    return sorted(p.name for p in db.parent.iterdir() if p.name.startswith(f".{db.name}.building"))


@pytest.mark.parametrize("where", ["apply", "spool"])
def test_a_full_disk_is_one_line_and_leaves_the_tracker_and_no_half_made_file(work, monkeypatch, where):
    import errno
    import pickle

    inbox, db = work
    before = counts(db)
    shutil.copy(inbox / "016_lanxi_sanlian.txt", inbox / "zz_copy.txt")
    os.utime(inbox / "zz_copy.txt", (time.time() - 120, time.time() - 120))
    if where == "apply":
        def full(self):
            raise sqlite3.OperationalError("database or disk is full")
        monkeypatch.setattr(store.Writer, "flush", full)
    else:
        def full(*a, **k):
            raise OSError(errno.ENOSPC, "No space left on device")
        monkeypatch.setattr(pickle, "dump", full)
    with pytest.raises(TrackerError) as e:
        rebuild(inbox, db, settle=0)
    assert str(e.value) == f"{db}: no space left on the disk" + (" (database or disk is full)" if where == "apply" else "") \
        + "; the tracker is unchanged"
    assert counts(db) == before and _leftovers(db) == []
    assert sqlite3.connect(db).execute("pragma integrity_check").fetchone()[0] == "ok"
    monkeypatch.undo()
    assert rebuild(inbox, db, settle=0).extracted == 1


def test_a_full_disk_on_a_first_build_leaves_nothing(work, monkeypatch, tmp_path):
    inbox, _ = work
    db = tmp_path / "new" / "tracker.db"

    def full(self):
        raise sqlite3.OperationalError("database or disk is full")
    monkeypatch.setattr(store.Writer, "flush", full)
    with pytest.raises(TrackerError, match="no space left on the disk"):
        rebuild(inbox, db, settle=0)
    assert not db.exists() and _leftovers(db) == []


def test_a_read_only_tracker_folder_is_one_line(work, monkeypatch):
    """chmod does not stop root (the tests' user): the OS's refusal is simulated where files are created."""
    import errno

    inbox, db = work
    real_open = os.open

    def read_only(path, flags, *args, **kw):
        if str(path).startswith(str(db.parent)) and flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT):
            raise OSError(errno.EROFS, "Read-only file system", str(path))
        return real_open(path, flags, *args, **kw)

    monkeypatch.setattr(os, "open", read_only)
    with pytest.raises(TrackerError) as e:
        rebuild(inbox, db, settle=0)
    assert str(e.value) == f"{db}: cannot write there (Read-only file system); the tracker is unchanged"
    monkeypatch.undo()
    from click.testing import CliRunner
    from pipeline.cli import main

    monkeypatch.setattr(os, "open", read_only)
    res = CliRunner().invoke(main, ["rebuild", "--inbox", str(inbox), "--db", str(db), "--settle", "0"])
    assert res.exit_code == 1 and "Traceback" not in res.output and "cannot write there" in res.output


def test_serve_in_a_folder_it_cannot_write_is_one_line(built, monkeypatch, tmp_path):
    """desk.db is made beside the tracker; a read-only folder (simulated: root ignores chmod) used
    to end `duban serve` in a traceback."""
    from click.testing import CliRunner

    import pipeline.desk as desk
    from pipeline.cli import main

    base, _ = built
    shutil.copy(base / "tracker.db", tmp_path / "tracker.db")
    real_connect = sqlite3.connect

    def read_only(path, *a, **k):
        if str(path).endswith("desk.db"):
            raise sqlite3.OperationalError("unable to open database file")
        return real_connect(path, *a, **k)

    monkeypatch.setattr(desk.sqlite3, "connect", read_only)
    res = CliRunner().invoke(main, ["serve", "--db", str(tmp_path / "tracker.db")])
    assert res.exit_code == 1 and "Traceback" not in res.output, res.output
    assert res.output.strip().splitlines() == [f"Error: {tmp_path / 'desk.db'}: cannot write the desk's notes "
                                               f"here (unable to open database file); serve from a folder duban "
                                               f"may write"]


# -- the same notice filed twice is one notice --------------------------------------------------------

def test_the_same_notice_filed_twice_counts_once(work):
    """A byte-identical copy, or the same 文号 with the same title, is one notice with several files
    (docs, deadlines and `doc` used to count it twice or pick one); a notice re-issued under another
    文号 stays separate. When its first file goes, the notice stays with its other copy."""
    import asyncio

    from pipeline.desk import make_datasette

    inbox, db = work
    src = inbox / "001_lanxi_anquan.txt"
    text = src.read_text(encoding="utf-8")
    conn = queries.connect(db)
    number = queries.doc(conn, "001_lanxi_anquan.txt")["doc_number"]["text"]
    before_docs = len(queries.docs(conn))
    before_overdue = len(queries.deadlines(conn, overdue=True, as_of="2030-01-01"))
    conn.close()
    shutil.copy(src, inbox / "副本_安全检查.txt")  # byte-identical
    (inbox / "重发.txt").write_text(text + "\n（此件公开发布）\n", encoding="utf-8")  # same 文号 and title
    serial = number.split("〕")[1]
    (inbox / "另号.txt").write_text(text.replace(number, number.replace(serial, "99号"), 1), encoding="utf-8")
    old = time.time() - 120
    for p in inbox.iterdir():
        os.utime(p, (old, old))
    rebuild(inbox, db, settle=0)
    conn = queries.connect(db)
    rows = queries.docs(conn)
    assert len(rows) == before_docs + 1  # only the re-issued one is new
    mine = [r for r in rows if r["doc_number"] == number]
    assert len(mine) == 1 and sorted(mine[0]["files"].split("、")) == sorted(
        ["001_lanxi_anquan.txt", "副本_安全检查.txt", "重发.txt"])
    assert len(queries.deadlines(conn, overdue=True, as_of="2030-01-01")) > before_overdue  # the re-issue's only
    doc = queries.doc(conn, "重发.txt")
    assert doc["doc_number"]["text"] == number and len(doc["tracker"]["files"]) == 3
    conn.close()

    async def page():
        ds = make_datasette(db)
        await ds.invoke_startup()
        from pipeline.desk.plugin import notice_key

        return (await ds.client.get(f"/-/notice/{notice_key(doc['tracker']['path'])}")).text

    html = asyncio.run(page())
    assert "副本_安全检查.txt" in html and "重发.txt" in html

    src.unlink()  # the file it was first read from goes: the notice stays, from its copies
    s = rebuild(inbox, db, settle=0)
    assert s.removed == 1
    conn = queries.connect(db)
    mine = [r for r in queries.docs(conn) if r["doc_number"] == number]
    assert len(mine) == 1 and sorted(mine[0]["files"].split("、")) == ["副本_安全检查.txt", "重发.txt"]
    assert len(queries.docs(conn)) == before_docs + 1


def test_the_desk_sees_an_in_place_rebuild_without_a_restart(work):
    """The file no longer changes inode on a rebuild: the desk's connections read the new data
    at their next query (WAL), during and after it."""
    import asyncio

    from pipeline.desk import make_datasette

    inbox, db = work
    text = (inbox / "016_lanxi_sanlian.txt").read_text(encoding="utf-8")
    (inbox / "zz_new.txt").write_text(text.replace("岚委发（2020）9号", "岚委发（2020）909号", 1), encoding="utf-8")
    os.utime(inbox / "zz_new.txt", (time.time() - 120, time.time() - 120))

    async def go():
        ds = make_datasette(db)
        await ds.invoke_startup()

        async def n():
            r = await ds.client.get("/tracker/documents.json?_size=1")   # arbitrary SQL is off: the table page
            return r.json()["filtered_table_rows_count"]

        before = await n()
        rebuild(inbox, db, settle=0)
        return before, await n()

    before, after = asyncio.run(go())
    assert after == before + 1


def test_a_rebuild_of_the_changed_paths_looks_at_them_only(work):
    """What `duban watch` runs: only the paths it was told changed are scanned and compared, and
    the result is what a whole-inbox rebuild gives for them (a folder removed drops its files)."""
    inbox, db = work
    text = (inbox / "016_lanxi_sanlian.txt").read_text(encoding="utf-8")
    (inbox / "sub").mkdir()
    for i in range(2):
        (inbox / "sub" / f"n{i}.txt").write_text(text.replace("岚委发（2020）9号", f"岚委发（2020）{70 + i}号", 1),
                                                 encoding="utf-8")
    (inbox / "elsewhere.txt").write_text(text.replace("岚委发（2020）9号", "岚委发（2020）80号", 1), encoding="utf-8")
    changed = inbox / "002_chenghe_kehoufuwu.txt"
    changed.write_text(changed.read_text(encoding="utf-8")[:400], encoding="utf-8")
    old = time.time() - 120
    for p in [*inbox.rglob("*.txt")]:
        os.utime(p, (old, old))
    s = rebuild(inbox, db, settle=0, paths=["sub", "002_chenghe_kehoufuwu.txt"])
    assert (s.extracted, s.removed, s.files_seen) == (3, 0, 3)
    tracked = {r[0] for r in sqlite3.connect(db).execute("select path from document_files")}
    assert {"sub/n0.txt", "sub/n1.txt"} <= tracked and "elsewhere.txt" not in tracked  # not told: not looked at
    shutil.rmtree(inbox / "sub")
    s = rebuild(inbox, db, settle=0, paths=["sub"])
    assert (s.extracted, s.removed) == (0, 2)
    s = rebuild(inbox, db, settle=0)  # the whole inbox: only elsewhere.txt is left to do
    assert (s.extracted, s.removed) == (1, 0)


@pytest.mark.parametrize("typed", ["澄政办发〔2023〕9号", "澄政办发[2023]9号", "澄政办发(2023)9号", "澄政办发（2023）9号",
                                   "澄政办发［2023］9", "澄政办发【2023】9号", " 澄政办发 [2023] 第9号 "])
def test_doc_number_in_any_bracket_form_finds_the_notice(conn, typed):
    """A 文号 typed as the notices print it ([2018], (2018), without 号) finds the record kept as 〔2018〕…号."""
    assert queries.doc(conn, typed)["doc_number"]["text"] == "澄政办发〔2023〕9号"
    rows = queries.duties(conn, doc=typed)
    assert rows and {r["notice"] for r in rows} == {"澄政办发〔2023〕9号"}


def test_canonical_doc_number():
    from pipeline.text.doc_numbers import canonical_doc_number

    assert canonical_doc_number("国办函[2018]71号") == "国办函〔2018〕71号"
    assert canonical_doc_number("国办函(2018)71") == "国办函〔2018〕71号"
    assert canonical_doc_number("安全生产") is None and canonical_doc_number("001_lanxi_anquan.txt") is None


def test_cli_doc_finds_a_bracketed_number(built):
    base, _ = built
    r = run_cli("doc", "澄政办发[2023]9号", "--json", db=base / "tracker.db")
    assert r.exit_code == 0, r.output
    assert json.loads(r.output)["doc_number"]["text"] == "澄政办发〔2023〕9号"


# -- the desk's 办结 marks, read by every query ------------------------------------------------------

def mark(db_path, uid, status="done", note=None, by="zhang"):
    """Mark a fact as the desk does (desk.db beside the tracker, pipeline.desk's schema)."""
    from pipeline.desk import desk_path_for, ensure_desk_db

    desk = sqlite3.connect(ensure_desk_db(desk_path_for(db_path)))
    desk.execute("insert into duty_status (uid, status, [by], at) values (?, ?, ?, '2023-04-10T09:00:00+08:00') "
                 "on conflict(uid) do update set status = excluded.status", [uid, status, by])
    if note:
        desk.execute("insert into notes (uid, text, [by], at) values (?, ?, ?, '2023-04-10T09:00:00+08:00')", [uid, note, by])
    desk.commit()
    desk.close()


def test_done_marks_leave_the_overdue_list_everywhere(work):
    _, db = work
    before = queries.deadlines(queries.connect(db), overdue=True, as_of="2023-04-15")
    late = next(r for r in before if r["notice"] == "岚政发〔2023〕8号" and r["date"] == "2023-03-31")
    assert late["status"] == "open" and late["notes"] is None
    mark(db, late["uid"], note="已于4月10日报送")
    conn = queries.connect(db)
    after = queries.deadlines(conn, overdue=True, as_of="2023-04-15")
    assert late["uid"] not in {r["uid"] for r in after} and len(after) == len(before) - 1
    done = queries.deadlines(conn, status="done")
    assert [(r["uid"], r["status"], r["notes"]) for r in done] == [(late["uid"], "done", "已于4月10日报送（zhang）")]
    assert late["uid"] in {r["uid"] for r in queries.deadlines(conn, overdue=True, as_of="2023-04-15", status="done")}
    assert late["uid"] not in {r["uid"] for r in queries.deadlines(conn, status="open")}
    # the CLI reads the same marks: a 状态 column, --status, notes with --evidence
    r = run_cli("deadlines", "--overdue", "--as-of", "2023-04-15", "--json", db=db)
    assert late["uid"] not in {x["uid"] for x in json.loads(r.output)}
    r = run_cli("deadlines", "--status", "done", "--evidence", db=db)
    assert r.exit_code == 0 and "已办结" in r.output and "已于4月10日报送" in r.output
    r = run_cli("deadlines", "--as-of", "2023-04-15", db=db)
    assert "状态" in r.output and "未办结" in r.output
    assert {r["status"] for r in queries.calendar(conn) if r["uid"] == late["uid"]} == {"done"}


def test_done_duties_and_a_missing_or_foreign_desk(work):
    _, db = work
    conn = queries.connect(db)  # no desk.db yet: everything is open
    duty = queries.duties(conn, doc="岚政发〔2023〕8号")[0]
    assert duty["status"] == "open" and queries.duties(conn, status="done") == []
    mark(db, duty["uid"])
    conn = queries.connect(db)
    assert [r["uid"] for r in queries.duties(conn, status="done")] == [duty["uid"]]
    assert duty["uid"] not in {r["uid"] for r in queries.duties(conn, status="open")}
    with pytest.raises(queries.QueryError, match="open or done"):
        queries.duties(conn, status="finished")
    (db.parent / "desk.db").unlink()
    (db.parent / "desk.db").write_bytes(b"not a database")  # a broken desk.db never stops a query
    assert queries.duties(queries.connect(db), doc="岚政发〔2023〕8号")[0]["status"] == "open"


# -- who holds a role now: rosters superseded by a later notice's roster of the same group -----------

def test_a_later_roster_of_the_same_group_supersedes_the_earlier(tmp_path):
    from pipeline.tracker.link import link_all

    db = store.open_db(tmp_path / "t.db")
    store.create_schema(db)
    fid = db["files"].insert({"path": "x"}).last_pk
    ids = {}

    def notice(key, issuer, signed, group, *members):
        rec = {"source": {}, "issuer": issuer, "signed_date": signed, "doc_number": {"text": key},
               "rosters": [{"group": group, "members": [{"role": r, "name": n, "title": t} for r, n, t in members]}]}
        ids[key] = store.insert_document(db, rec, file_id=fid, path=key, file="")

    notice("A", "澄河县人民政府办公室", "2022-05-10", "澄河县河湖长制工作领导小组", ("组长", "周明远", "县长"), ("副组长", "孙立德", "副县长"))
    notice("B", "澄河县人民政府办公室", "2024-03-08", "澄河县“河湖长制”工作领导小组组成人员", ("组长", "周明远", "县长"))
    notice("C", "中共澄河县委办公室", "2025-01-06", "县河湖长制工作领导小组", ("组长", "贺文清", "县长"))  # the name carries the place
    notice("D", "汶北县人民政府", "2026-02-01", "汶北县河湖长制工作领导小组", ("组长", "冉国栋", "县长"))      # another county
    notice("E", "临岳市人民政府", "2026-02-01", "临岳市河湖长制工作领导小组", ("组长", "骆文彬", "市长"))      # the city above
    notice("F", "岚溪镇人民政府", "2023-03-15", "领导小组", ("组长", "李卫东", "镇长"))                        # generic names:
    notice("G", "岚溪镇人民政府", "2024-03-15", "领导小组", ("组长", "李卫东", "镇长"))                        # every plan its own
    notice("H", "临岳市甲建设集团有限公司", "2022-05-18", "集团安全生产委员会", ("主任", "严正青", "总经理"))
    notice("I", "临岳市乙交通集团有限公司", "2023-05-18", "集团安全生产委员会", ("主任", "汪立新", "总经理"))  # another company
    notice("J", "临岳市甲建设集团有限公司", "2023-06-01", "集团安全生产委员会", ("主任", "严正青", "董事长"))  # the same one
    notice("K", "汶北县人民政府", "2026-02-01", "汶北县河湖长制工作领导小组", ("组长", "冉国栋", "县长"))      # same day as D
    link_all(db)
    status = {doc: (cur, by) for doc, cur, by in db.execute(
        "select d.doc_number, s.current, s.superseded_by_notice from roster_status s "
        "join roster_groups g on g.id = s.group_id join documents d on d.id = g.document_id")}
    assert status == {"A": (0, "B"), "B": (0, "C"), "C": (1, None), "D": (1, None), "E": (1, None),
                      "F": (1, None), "G": (1, None), "H": (0, "J"), "I": (1, None), "J": (1, None), "K": (1, None)}
    conn = queries.connect(tmp_path / "t.db")
    roles = queries.people(conn, "周明远")
    assert [(r["notice"], r["standing"], r["superseded_by"]) for r in roles] == [("A", "superseded", "B"),
                                                                                ("B", "superseded", "C")]
    assert queries.people(conn, "周明远", current=True) == []
    now = queries.people(conn, current=True, group="河湖长制")
    assert {(r["name"], r["notice"]) for r in now} == {("贺文清", "C"), ("冉国栋", "D"), ("冉国栋", "K"), ("骆文彬", "E")}
    assert {r["name"] for r in queries.people(conn, group="澄河县河湖长制")} == {"周明远", "孙立德"}


ADJUSTED = """澄政办发〔{year}〕{serial}号

澄河县人民政府办公室
关于{verb}澄河县河湖长制工作领导小组{tail}的通知

各乡镇人民政府，县政府各部门：
　　经县人民政府同意，现将澄河县河湖长制工作领导小组组成人员通知如下：
　　组　长：周明远　县委副书记、县长
　　副组长：{deputy}　副县长
　　成　员：韩启明　县水利局局长
　　　　　　吕振华　县生态环境分局局长
　　领导小组办公室设在县水利局，韩启明同志兼任办公室主任。

澄河县人民政府办公室
{year}年{month}月{day}日
"""


def test_people_say_which_roles_are_current_end_to_end(tmp_path):
    """Two invented notices through extraction, rebuild and the CLI: the 2024 调整 notice re-staffs the
    group set up in 2022, so 孙立德 (副组长 in 2022 only) holds no current role."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "a.txt").write_text(ADJUSTED.format(year=2022, serial=31, verb="成立", tail="", deputy="孙立德",
                                                 month=5, day=10), encoding="utf-8")
    (inbox / "b.txt").write_text(ADJUSTED.format(year=2024, serial=12, verb="调整", tail="组成人员", deputy="贺文清",
                                                 month=3, day=8), encoding="utf-8")
    db = tmp_path / "tracker.db"
    rebuild(inbox, db, jobs=1, settle=0)
    r = run_cli("people", "周明远", "--json", db=db)
    assert [(x["notice"], x["standing"], x["superseded_by"]) for x in json.loads(r.output)] == [
        ("澄政办发〔2022〕31号", "superseded", "澄政办发〔2024〕12号"), ("澄政办发〔2024〕12号", "current", None)]
    r = run_cli("people", "--current", "--group", "河湖长制", "--json", db=db)
    assert {(x["name"], x["role"]) for x in json.loads(r.output)} == {
        ("周明远", "组长"), ("贺文清", "副组长"), ("韩启明", "成员"), ("吕振华", "成员"), ("韩启明", "办公室主任")}
    r = run_cli("people", "孙立德", "--current", db=db)
    assert r.exit_code == 0 and "holds no current role" in r.output
    from click.testing import CliRunner
    from pipeline.cli import main

    r = CliRunner(env={"COLUMNS": "80"}).invoke(main, ["people", "孙立德", "--db", str(db)])
    assert "已由澄政办发" in r.output and "〔2024〕12号" in r.output


def _links(db_path) -> tuple:
    c = sqlite3.connect(db_path)
    try:
        return (sorted(c.execute("select g.path, s.current, s.superseded_by_notice, s.group_key from roster_status s "
                                 "join roster_groups r on r.id = s.group_id join documents g on g.id = r.document_id")),
                sorted(c.execute("select m.name, m.role, p.name, p.titles, d.path from roster_members m "
                                 "join documents d on d.id = m.document_id left join people p on p.id = m.person_id"),
                       key=repr))
    finally:
        c.close()


def _relinked_copy(db_path, tmp_path) -> Path:
    """A copy of the tracker with every link recomputed whole (link_all)."""
    from pipeline.tracker.link import link_all

    copy = tmp_path / "relinked.db"
    copy.unlink(missing_ok=True)
    src, dst = sqlite3.connect(db_path), sqlite3.connect(copy)
    src.backup(dst)
    src.close(), dst.close()
    d = store.open_db(copy)
    link_all(d)
    d.close()
    return copy


def _relinked(db_path, tmp_path) -> tuple:
    """The links of a copy of the tracker recomputed whole."""
    return _links(_relinked_copy(db_path, tmp_path))


def test_incremental_rebuilds_link_groups_as_a_whole_relink_does(tmp_path):
    """Only the groups sharing a name with what changed are redone after an incremental rebuild; the
    standing must be what recomputing every group gives, as notices of one group come and go (a
    removed notice's group name is looked at again: the roster it superseded may now be current)."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    db = tmp_path / "tracker.db"

    def put(name, year, serial, verb, tail, deputy, month=3, day=8):
        (inbox / name).write_text(ADJUSTED.format(year=year, serial=serial, verb=verb, tail=tail, deputy=deputy,
                                                  month=month, day=day), encoding="utf-8")
        os.utime(inbox / name, (time.time() - 60, time.time() - 60))

    def standing():
        rebuild(inbox, db, jobs=1, settle=0)
        links = _links(db)
        assert links == _relinked(db, tmp_path)
        return {path: (cur, by) for path, cur, by, _ in links[0]}

    put("a.txt", 2022, 31, "成立", "", "孙立德", 5, 10)
    assert standing() == {"a.txt": (1, None)}
    put("b.txt", 2024, 12, "调整", "组成人员", "贺文清")
    assert standing() == {"a.txt": (0, "澄政办发〔2024〕12号"), "b.txt": (1, None)}
    put("c.txt", 2025, 3, "调整", "组成人员", "严正青")
    assert standing() == {"a.txt": (0, "澄政办发〔2024〕12号"), "b.txt": (0, "澄政办发〔2025〕3号"), "c.txt": (1, None)}
    (inbox / "b.txt").unlink()
    assert standing() == {"a.txt": (0, "澄政办发〔2025〕3号"), "c.txt": (1, None)}
    (inbox / "c.txt").unlink()
    assert standing() == {"a.txt": (1, None)}


PLAN = """澄政办发〔2024〕7号

澄河县人民政府办公室
关于印发《澄河县河道清淤行动方案》的通知

各乡镇人民政府，县政府各部门：
　　现将《澄河县河道清淤行动方案》印发给你们，请认真贯彻执行。

澄河县人民政府办公室
2024年3月1日
"""

TOWN = """岚溪镇人民政府
关于开展河道清淤工作的通知

各村（社区）：
　　根据《澄河县河道清淤行动方案》要求，结合我镇实际，现就有关事项通知如下。
　　各村于2024年4月30日前完成辖区河道清淤。

岚溪镇人民政府
2024年3月20日
"""


def _citation_links(db_path) -> set:
    c = sqlite3.connect(db_path)
    try:
        return set(c.execute("select d.path, c.title, t.path from citations c join documents d on d.id = c.document_id "
                             "left join documents t on t.id = c.cited_document_id"))
    finally:
        c.close()


def test_incremental_rebuilds_link_citations_as_a_whole_relink_does(tmp_path):
    """A citation by title is linked when the notice it names arrives later (found through the title
    keys' index, not a map of every title), unlinked when that notice goes, and linked again when it
    comes back; each time as recomputing every link gives."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    db = tmp_path / "tracker.db"

    def links():
        rebuild(inbox, db, jobs=1, settle=0)
        mine = _citation_links(db)
        assert mine == _citation_links(_relinked_copy(db, tmp_path))
        return {(a, t) for a, _, t in mine}

    (inbox / "town.txt").write_text(TOWN, encoding="utf-8")
    assert links() == {("town.txt", None)}
    (inbox / "plan.txt").write_text(PLAN, encoding="utf-8")
    os.utime(inbox / "plan.txt", (time.time() - 60, time.time() - 60))
    assert links() == {("town.txt", "plan.txt")}
    (inbox / "plan.txt").unlink()
    assert links() == {("town.txt", None)}
    (inbox / "plan2.txt").write_text(PLAN, encoding="utf-8")
    os.utime(inbox / "plan2.txt", (time.time() - 60, time.time() - 60))
    assert links() == {("town.txt", "plan2.txt")}


def test_a_tracker_from_before_the_title_keys_gets_them_on_its_next_rebuild(tmp_path):
    """Trackers of schema 2, written before ``title_keys`` and ``citations.title_key`` existed, are
    upgraded in place (no migration, no re-extraction), and a citation still finds a notice that
    arrives after. (A duban of schema 2 refuses the upgraded tracker: "written by a newer duban".)"""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    db = tmp_path / "tracker.db"
    (inbox / "town.txt").write_text(TOWN, encoding="utf-8")
    rebuild(inbox, db, jobs=1, settle=0)
    c = sqlite3.connect(db)
    c.executescript("drop table title_keys; drop index idx_citations_title_key; alter table citations drop column title_key;"
                    "update meta set value = '2' where key = 'schema_version';")
    c.close()
    (inbox / "plan.txt").write_text(PLAN, encoding="utf-8")
    os.utime(inbox / "plan.txt", (time.time() - 60, time.time() - 60))
    s = rebuild(inbox, db, jobs=1, settle=0)
    assert (s.extracted, s.reused) == (1, 1)  # upgraded where it is: town.txt not extracted again
    assert {(a, t) for a, _, t in _citation_links(db)} == {("town.txt", "plan.txt")}
    c = sqlite3.connect(db)
    assert c.execute("select value from meta where key = 'schema_version'").fetchone() == (str(store.SCHEMA_VERSION),)
    assert c.execute("select title_key from citations").fetchall() == [("澄河县河道清淤行动方案",)]
    assert ("澄河县河道清淤行动方案",) in c.execute("select key from title_keys").fetchall()


def test_a_person_keeps_their_id_when_a_notice_naming_them_comes_or_goes(tmp_path):
    """The desk links to a person by id: a rebuild that adds or removes a notice naming them must not
    renumber them (only the mentions whose person changed are written)."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    db = tmp_path / "tracker.db"
    (inbox / "a.txt").write_text(ADJUSTED.format(year=2022, serial=31, verb="成立", tail="", deputy="孙立德",
                                                 month=5, day=10), encoding="utf-8")
    rebuild(inbox, db, jobs=1, settle=0)

    def ids():
        return dict(sqlite3.connect(db).execute("select name, id from people"))

    first = ids()
    (inbox / "b.txt").write_text(ADJUSTED.format(year=2024, serial=12, verb="调整", tail="组成人员", deputy="贺文清",
                                                 month=3, day=8), encoding="utf-8")
    os.utime(inbox / "b.txt", (time.time() - 60, time.time() - 60))
    rebuild(inbox, db, jobs=1, settle=0)
    second = ids()
    assert {n: second[n] for n in first} == first and "贺文清" in second
    assert sqlite3.connect(db).execute("select n_documents from people where name = '周明远'").fetchone() == (2,)
    (inbox / "b.txt").unlink()
    rebuild(inbox, db, jobs=1, settle=0)
    assert ids() == first


def test_corpus_groups_of_two_levels_are_not_one_group(conn):
    """027 (澄河县) and 030 (临岳市) set up groups of the same name at two levels: both current; and
    李卫东 leads two different 岚溪镇 groups (001, 028): both current. Nothing in the corpus is re-staffed."""
    assert conn.execute("select count(*) from roster_status where current = 0").fetchone()[0] == 0
    groups = {r[0] for r in conn.execute("select g.name from roster_status s join roster_groups g on g.id = s.group_id "
                                         "where s.group_key = '安全生产大排查大整治专项行动领导小组'")}
    assert groups == {"澄河县安全生产大排查大整治专项行动领导小组", "临岳市安全生产大排查大整治专项行动领导小组"}
    assert {r["standing"] for r in queries.people(conn, "李卫东") if r["role"] == "组长"} == {"current"}


# -- the early worker: the pipeline loads while the rebuild plans ----------------------------------

def _rows(db_path) -> dict:
    c = sqlite3.connect(db_path)
    try:
        return {t: sorted(c.execute(f"select uid, evidence, start, page from {t}"), key=repr)
                for t in ("duties", "deadlines", "roster_members", "citations")}
    finally:
        c.close()


@pytest.fixture
def two_notices(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for src in sorted(NOTICES.glob("*.txt"))[:2]:
        shutil.copy(src, inbox / src.name)
        os.utime(inbox / src.name, (time.time() - 60, time.time() - 60))
    return inbox


def test_an_early_worker_extracts_the_changed_files_and_leaves_no_process(two_notices, tmp_path, monkeypatch):
    """With worker processes asked for (jobs 2), a rebuild of a tracker forks one worker first; it
    loads the pipeline while the inbox is scanned and extracts the few changed files. The tracker is
    the one in-process extraction gives, and no worker is left when the rebuild returns (nor when
    nothing changed and the worker was not needed)."""
    import multiprocessing

    import pipeline.tracker.rebuild as rb

    monkeypatch.setattr(rb, "_pipeline_loaded", lambda: False)  # this test process has loaded it already
    used, real_run = [], rb.EarlyWorker.run

    def spy(self, files, progress):
        used.append(len(files))
        yield from real_run(self, files, progress)

    monkeypatch.setattr(rb.EarlyWorker, "run", spy)
    db, inline = tmp_path / "t.db", tmp_path / "inline.db"
    rebuild(two_notices, db, jobs=1, settle=0)
    assert rebuild(two_notices, db, jobs=2, settle=0).extracted == 0 and used == []  # quiet: not used
    assert multiprocessing.active_children() == []
    changed = sorted(two_notices.glob("*.txt"))[0]
    changed.write_text(changed.read_text(encoding="utf-8") + "\n（此件公开发布）\n", encoding="utf-8")
    os.utime(changed, (time.time() - 60, time.time() - 60))
    assert rebuild(two_notices, db, jobs=2, settle=0).extracted == 1 and used == [1]
    assert multiprocessing.active_children() == []
    rebuild(two_notices, inline, jobs=1, settle=0)
    assert _rows(db) == _rows(inline)


def test_a_file_the_early_worker_fails_on_is_extracted_by_the_rebuild(two_notices, tmp_path, monkeypatch):
    """The worker dies (killed, out of memory) before answering: the rebuild extracts the file itself."""
    import pipeline.tracker.rebuild as rb

    monkeypatch.setattr(rb, "_pipeline_loaded", lambda: False)
    monkeypatch.setattr(rb, "_serve_early", lambda conn, parent: os._exit(1))
    db = tmp_path / "t.db"
    rebuild(two_notices, db, jobs=1, settle=0)
    changed = sorted(two_notices.glob("*.txt"))[1]
    changed.write_text(changed.read_text(encoding="utf-8") + "\n（此件公开发布）\n", encoding="utf-8")
    os.utime(changed, (time.time() - 60, time.time() - 60))
    s = rebuild(two_notices, db, jobs=2, settle=0)
    assert (s.extracted, s.failed) == (1, 0)
