"""The web desk (duban serve) through Datasette's own test client: canned queries give the known rows,
Chinese search finds two-character words, notice pages, files, the calendar feed, read-only by
default, writes only after a login and kept outside the tracker, and a rebuilt tracker is picked up."""
from __future__ import annotations

import asyncio
import base64
import json
import re
import shutil
import sqlite3
from pathlib import Path
from urllib.parse import quote

import pytest
from click.testing import CliRunner
from icalendar import Calendar

from pipeline.tracker import export, queries
from pipeline.cli import main
from pipeline.desk import DeskError, add_user, is_loopback, load_users, make_datasette
from pipeline.tracker.rebuild import rebuild

ROOT = Path(__file__).resolve().parents[1]
NOTICES = ROOT / "corpora" / "notices"
PASSWORD = "correct horse battery"


def run(coro):
    return asyncio.run(coro)


@pytest.fixture(scope="module")
def built(corpus_tracker):
    return corpus_tracker[0]


@pytest.fixture
def work(built, tmp_path):
    """A private inbox + tracker (for tests that write marks or rebuild)."""
    shutil.copytree(built / "inbox", tmp_path / "inbox")
    shutil.copy(built / "tracker.db", tmp_path / "tracker.db")
    return tmp_path


@pytest.fixture(scope="module")
def ds(built):
    d = make_datasette(built / "tracker.db")
    run(d.invoke_startup())
    return d


def get(ds, path, **kw):
    async def go():
        return await ds.client.get(path, **kw)
    return run(go())


def post(ds, path, **kw):
    async def go():
        return await ds.client.post(path, **kw)
    return run(go())


def rows(ds, query, **params):
    qs = "&".join(f"{quote(k)}={quote(str(v))}" for k, v in params.items())
    r = get(ds, f"/tracker/{query}.json?_shape=array&_size=max&{qs}")
    assert r.status_code == 200, r.text
    return r.json()


# -- canned queries -------------------------------------------------------------------------------------

def test_overdue_lists_the_known_items_as_of_a_date(ds, built):
    got = rows(ds, "overdue", 日期="2026-11-23")
    mine = {(r["到期日"], r["逾期天数"]) for r in got if r["文件"] == "岚政发〔2026〕6号"}
    assert ("2026-04-15", 222) in mine and ("2026-10-31", 23) in mine
    assert not any(r["到期日"] >= "2026-11-23" for r in got)
    assert all(r["原文依据"] and r["状态"] == "未办结" for r in got)
    conn = queries.connect(built / "tracker.db")
    expected = queries.deadlines(conn, overdue=True, as_of="2026-11-23")
    assert sorted((r["到期日"], r["事项"]) for r in got) == sorted((r["date"], r["task"]) for r in expected)


def test_upcoming_from_a_date(ds):
    got = rows(ds, "upcoming", 日期="2026-11-01", 天数=60)
    assert [(r["到期日"], r["事项"], r["类型"], r["剩余天数"]) for r in got] == \
        [("2026-12-31", "集中攻坚阶段", "阶段结束", 60)]
    assert len(rows(ds, "upcoming", 日期="2026-03-01", 天数=365)) > len(got)


def test_duties_by_actor_and_person_roles_match_the_query_functions(ds, built):
    conn = queries.connect(built / "tracker.db")
    got = rows(ds, "duties_by_actor", 责任主体="村")
    assert len(got) == len(queries.duties(conn, actor="村")) > 5
    assert {"每周", "每月"} <= {r["周期"] for r in got}
    assert len(rows(ds, "duties_by_actor", 责任主体="")) == len(queries.duties(conn))
    roles = rows(ds, "person_roles", 姓名="李卫东")
    assert len(roles) == len(queries.people(conn, "李卫东"))
    assert {(r["角色"], r["文件"]) for r in roles} >= {("组长", "岚政发〔2023〕8号"), ("组长", "岚政发〔2026〕6号")}
    assert {r["任职状态"] for r in roles if r["角色"] == "组长"} == {"现任"}  # the same standing as `duban people`


def test_citations_and_phases(ds):
    cites = rows(ds, "citations", 文件="岚政发〔2023〕8号")
    assert any(r["被引文号"] == "澄政办发〔2023〕9号" and r["台账"] == "已入台账" for r in cites)
    upstream = rows(ds, "citations", 文件="澄政办发〔2023〕9号")
    assert {r["引用文件"] for r in upstream} >= {"岚政发〔2023〕8号", "澄政办发〔2023〕9号"}
    phases = rows(ds, "phases", 文件="岚政发〔2023〕8号", 月份="")
    assert [p["阶段"] for p in phases] == ["动员部署阶段", "排查整治阶段", "巩固提升阶段"]
    may = rows(ds, "phases", 文件="", 月份="2026-05")
    # the stages running in May 2026: 028's 集中攻坚阶段 and 024's 攻坚突破期 (2026—2027年)
    assert {(p["文件"], p["阶段"]) for p in may} == {("岚政发〔2026〕6号", "集中攻坚阶段"), ("汶政发〔2024〕1号", "攻坚突破期")}


def test_chinese_search_finds_two_character_words(ds, built):
    hits = rows(ds, "search", 关键词="调研")
    duties = [h for h in hits if h["类别"] == "任务"]
    conn = queries.connect(built / "tracker.db")
    assert len(duties) == len(queries.duties(conn, search="调研")) >= 1
    assert all("调研" in h["内容"] or "调研" in h["原文依据"] for h in duties)
    docs = [h for h in hits if h["类别"] == "文件"]
    assert docs and all("调研" in h["原文依据"] for h in docs)  # the snippet shows where
    # one character: too short for the word index, falls back to LIKE
    one = rows(ds, "search", 关键词="查")
    assert one and all("查" in (h["内容"] + (h["原文依据"] or "")) for h in one)
    assert rows(ds, "search", 关键词="") == []
    # the table pages' own search box is segmented the same way
    r = get(ds, "/tracker/duties.json?_search=" + quote("调研") + "&_shape=array&_col=text")
    assert [x["text"] for x in r.json()] == [h["内容"] for h in duties]


# -- pages ------------------------------------------------------------------------------------------------

def test_chinese_labels_and_index(ds):
    home = get(ds, "/").text
    assert "督办台账" in home
    db = get(ds, "/tracker").text
    for title in ("逾期事项", "近期到期", "按责任主体查任务", "人员任职", "文件引用关系", "阶段时间轴", "全文检索"):
        assert title in db
    page = get(ds, "/tracker/duties").text
    assert "量化任务" in page and ">责任主体" in page and "主体类别" in page
    assert 'data-column="words"' not in page  # the index column is hidden
    facets = get(ds, "/tracker/documents.json?_facet=issuer").json()
    assert "issuer" in facets["facet_results"]
    listed = get(ds, "/tracker/documents.json?_col=signed_date&_shape=objects").json()
    assert listed["human_description_en"] == "sorted by signed_date descending"
    assert listed["rows"][0]["signed_date"] == max(r["signed_date"] or "" for r in listed["rows"])
    form = get(ds, "/tracker/overdue").text
    assert 'name="日期"' in form


def test_notice_page_shows_fields_phases_duties_roster_with_evidence(ds):
    r = get(ds, "/-/notice?key=" + quote("岚政发〔2023〕8号"))
    assert r.status_code == 302
    page = get(ds, r.headers["location"]).text
    assert "岚溪镇人民政府" in page and "2023-03-15" in page
    assert "动员部署阶段" in page and "2023-03-31" in page
    assert "每月组织联合执法检查不少于1次" in page
    roster = re.search(r'<table class="roster">(.*?)</table>', page, re.S).group(1)
    assert re.search(r"<td>组长</td><td>(<a [^>]*>)?李卫东", roster)
    assert "成立以镇长李卫东为组长" in roster  # the evidence sentence of the row
    assert "/-/notice/" in page and "澄政办发〔2023〕9号" in page  # its upstream notice, linked
    assert 'href="/-/file/' in page
    assert "标记办结" not in page  # read-only
    assert get(ds, "/-/notice?key=" + quote("不存在的文件")).status_code == 404


def test_original_file_only_for_tracked_notices(ds, built):
    conn = sqlite3.connect(built / "tracker.db")
    doc_id, path = conn.execute("select id, file from documents where doc_number = '岚政发〔2023〕8号'").fetchone()
    r = get(ds, f"/-/file/{doc_id}")
    assert r.status_code == 200 and "岚政发〔2023〕8号" in r.text
    gb = conn.execute("select id, file from documents where path like '0%' order by id").fetchall()
    for i, f in gb:  # every corpus file (UTF-8, GB18030, UTF-16) comes back readable
        assert get(ds, f"/-/file/{i}").status_code == 200
    assert get(ds, "/-/file/99999").status_code == 404
    assert get(ds, "/-/file/" + quote("../../../etc/passwd")).status_code == 404
    assert get(ds, f"/-/file/{doc_id}?path=/etc/passwd").text == r.text  # no parameter names a path


def test_calendar_feed_is_the_export(ds, built):
    r = get(ds, "/-/desk.ics")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/calendar")
    served = sorted(str(e["UID"]) for e in Calendar.from_ical(r.content).walk("VEVENT"))
    conn = queries.connect(built / "tracker.db")
    exported = sorted(str(e["UID"]) for e in Calendar.from_ical(export.to_ics(conn)).walk("VEVENT"))
    assert served == exported and len(served) > 100
    r = get(ds, "/-/desk.ics?doc=" + quote("岚政发〔2026〕6号") + "&overdue=1&as_of=2026-11-23")
    assert len(Calendar.from_ical(r.content).walk("VEVENT")) == 5
    assert get(ds, "/-/desk.ics?as_of=nope").status_code == 400


# -- read-only, logins, writes ------------------------------------------------------------------------------

def test_read_only_by_default(ds, built):
    uid = sqlite3.connect(built / "tracker.db").execute("select uid from duties limit 1").fetchone()[0]
    r = post(ds, "/-/desk/status", data={"uid": uid, "status": "done"})
    assert r.status_code == 403 and "read-only" in r.text
    with pytest.raises(PermissionError):
        ds.get_database("tracker").connect(write=True)


def test_serving_beyond_loopback_or_writing_needs_a_login(work):
    db = work / "tracker.db"
    for host in ("127.0.0.1", "localhost", "::1"):
        assert is_loopback(host)
    for host in ("0.0.0.0", "192.168.1.5", "::", "example.org"):
        assert not is_loopback(host)
    with pytest.raises(DeskError, match="refusing to serve on 0.0.0.0 without a login"):
        make_datasette(db, host="0.0.0.0")
    with pytest.raises(DeskError, match="--write needs a login"):
        make_datasette(db, write=True)
    r = CliRunner().invoke(main, ["serve", "--db", str(db), "--host", "0.0.0.0"])
    assert r.exit_code == 1 and r.output.count("\n") == 1 and "refusing to serve on 0.0.0.0" in r.output
    r = CliRunner().invoke(main, ["serve", "--db", str(work / "missing.db")])
    assert r.exit_code == 1 and "no tracker here yet; run `duban rebuild" in r.output
    # with a login: on the network every page asks for it (HTTP basic auth)
    r = CliRunner().invoke(main, ["desk-user", "zhang", "--db", str(db), "--password-stdin"], input=PASSWORD + "\n")
    assert r.exit_code == 0, r.output
    assert set(load_users(work / "desk-users.json")) == {"zhang"}
    assert PASSWORD not in (work / "desk-users.json").read_text()
    r = CliRunner().invoke(main, ["desk-user", "li", "--db", str(db), "--password-stdin"], input="short\n")
    assert r.exit_code == 1 and "at least 8" in r.output
    net = make_datasette(db, host="0.0.0.0")
    run(net.invoke_startup())
    assert get(net, "/tracker/overdue").status_code == 401
    assert get(net, "/-/desk.ics").status_code == 401
    auth = "Basic " + base64.b64encode(f"zhang:{PASSWORD}".encode()).decode()
    assert get(net, "/tracker/overdue", headers={"authorization": auth}).status_code == 200
    bad = "Basic " + base64.b64encode(b"zhang:wrong password").decode()
    assert get(net, "/tracker/overdue", headers={"authorization": bad}).status_code == 401


def _login(ds, user, password):
    r = get(ds, "/-/login")
    token = re.search(r'name="csrftoken" value="([^"]+)"', r.text).group(1)
    cookies = {"ds_csrftoken": r.cookies["ds_csrftoken"]}
    r = post(ds, "/-/login", data={"username": user, "password": password, "csrftoken": token}, cookies=cookies)
    assert r.status_code == 302, r.text
    cookies["ds_actor"] = r.cookies["ds_actor"]
    return cookies


def _token(page: str) -> str:
    return re.search(r'name="csrftoken" value="([^"]+)"', page).group(1)


def test_write_mode_marks_and_notes_after_login_kept_outside_the_tracker(work):
    db = work / "tracker.db"
    add_user(work / "desk-users.json", "zhang", PASSWORD)
    wds = make_datasette(db, write=True)
    run(wds.invoke_startup())
    conn = sqlite3.connect(db)
    uid, doc_id = conn.execute("select uid, document_id from deadlines where date = '2026-04-15'").fetchone()
    conn.close()
    tracker_bytes = db.read_bytes()
    # anonymous: refused
    r = post(wds, "/-/desk/status", data={"uid": uid, "status": "done"})
    assert r.status_code == 403 and "log in" in r.text
    assert post(wds, "/-/desk/note", data={"uid": uid, "text": "x"}).status_code == 403
    # a wrong password does not log in
    r = get(wds, "/-/login")
    bad = post(wds, "/-/login", data={"username": "zhang", "password": "nope", "csrftoken": _token(r.text)},
               cookies={"ds_csrftoken": r.cookies["ds_csrftoken"]})
    assert bad.status_code == 200 and "ds_actor" not in bad.cookies
    # logged in: the notice page has the buttons, a mark and a note are saved
    cookies = _login(wds, "zhang", PASSWORD)
    page = get(wds, f"/-/notice/{doc_id}", cookies=cookies).text
    assert "标记办结" in page
    token = _token(page)
    r = post(wds, "/-/desk/status", data={"uid": uid, "status": "done", "csrftoken": token}, cookies=cookies)
    assert r.status_code == 302 and r.headers["location"] == f"/-/notice/{doc_id}#{uid}"
    r = post(wds, "/-/desk/note", data={"uid": uid, "text": "已电话催办", "csrftoken": token}, cookies=cookies)
    assert r.status_code == 302
    r = post(wds, "/-/desk/status", data={"uid": "0123456789abcdef", "status": "done", "csrftoken": token},
             cookies=cookies)
    assert r.status_code == 404  # only real facts can be marked
    desk = sqlite3.connect(work / "desk.db")
    assert desk.execute("select uid, status, [by] from duty_status").fetchall() == [(uid, "done", "zhang")]
    assert desk.execute("select text, [by] from notes where uid = ?", [uid]).fetchall() == [("已电话催办", "zhang")]
    assert db.read_bytes() == tracker_bytes  # the tracker file is never written
    # the overdue list drops what is done; the page shows the mark and the note
    overdue = rows(wds, "overdue", 日期="2026-11-23")
    assert uid not in {r["uid"] for r in overdue} and "2026-10-31" in {r["到期日"] for r in overdue}
    page = get(wds, f"/-/notice/{doc_id}", cookies=cookies).text
    assert "已办结" in page and "已电话催办" in page
    # one truth: the CLI and the exports read the same marks (pipeline.tracker.queries attaches desk.db)
    from pipeline.tracker import queries

    cli = queries.deadlines(queries.connect(db), as_of="2026-11-23", status="done")
    assert [(r["uid"], r["status"], r["notes"]) for r in cli] == [(uid, "done", "已电话催办（zhang）")]
    assert uid not in {r["uid"] for r in queries.deadlines(queries.connect(db), overdue=True, as_of="2026-11-23")}
    # the desk database is browsable with a status facet (crossdb-free: attached to the tracker)
    assert get(wds, "/desk/duty_status.json?_facet=status").json()["facet_results"]["status"]["results"][0]["value"] \
        == "done"
    # marks survive a rebuild that re-extracts everything (they key on the facts' stable uid)
    rebuild(work / "inbox", db, jobs=1, settle=0, force=True)
    overdue = rows(wds, "overdue", 日期="2026-11-23")
    assert uid not in {r["uid"] for r in overdue}
    conn = sqlite3.connect(db)
    new_doc = conn.execute("select document_id from deadlines where uid = ?", [uid]).fetchone()[0]
    assert "已电话催办" in get(wds, f"/-/notice/{new_doc}").text


def test_a_rebuilt_tracker_is_picked_up_while_serving(work):
    db = work / "tracker.db"
    live = make_datasette(db)
    run(live.invoke_startup())

    def count():
        return get(live, "/tracker.json?sql=select+count(*)+as+n+from+documents&_shape=array").json()[0]["n"]

    n = count()
    for _ in range(5):  # warm every executor thread's connection
        assert count() == n
    assert rows(live, "person_roles", 姓名="聂俊峰")
    (work / "inbox" / "028_lanxi_minqing.txt").unlink()
    rebuild(work / "inbox", db, jobs=1, settle=0)  # os.replace of a new file
    for _ in range(6):
        assert count() == n - 1
    assert rows(live, "person_roles", 姓名="聂俊峰") == []
    assert "岚政发〔2026〕6号" not in {r["文件"] for r in rows(live, "overdue", 日期="2026-11-23")}


def test_one_word_per_value_in_the_cli_the_export_and_the_desk(ds, built):
    """每日 (not 每天) and 等于 (not empty) everywhere a person reads a duty's period or comparator."""
    from pipeline.text.labels import COMPARATORS, PERIODS

    db = str(built / "tracker.db")
    cli = CliRunner().invoke(main, ["duties", "--period", "day", "--db", db])
    assert cli.exit_code == 0 and len(re.findall(r"│ 每日\s*│", cli.output)) == 5  # the 周期 cell of each row
    exported = json.loads(CliRunner().invoke(main, ["export", "--format", "json", "--what", "duties", "--period", "day",
                                                     "--db", db]).output)
    assert exported and {r["period"] for r in exported} == {"day"}  # JSON keeps the codes
    conn = queries.connect(built / "tracker.db")
    sheet = [export._display("period", r["period"]) for r in queries.duties(conn, period="day")]
    assert set(sheet) == {"每日"} and export._display("comparator", "=") == COMPARATORS["="] == "等于"
    desk = rows(ds, "duties_by_actor", 责任主体="")
    assert "每日" in {r["周期"] for r in desk} and "等于" in {r["比较"] for r in desk}
    equal = conn.execute("select document_id from duties where comparator = '=' and quantity is not null").fetchone()[0]
    page = get(ds, f"/-/notice/{equal}")
    assert page.status_code == 200 and "等于" in page.text
