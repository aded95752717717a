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
    """Every row of a canned query, page after page."""
    from pipeline.desk.metadata import PAGE_ROWS

    qs = "&".join(f"{quote(k)}={quote(str(v))}" for k, v in params.items())
    out = []
    for page in range(1, 1000):
        r = get(ds, f"/tracker/{query}.json?_shape=array&_page={page}&{qs}")
        assert r.status_code == 200, r.text
        out += r.json()
        if len(r.json()) < PAGE_ROWS:
            return out


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
    key = _key(conn.execute("select path from documents where doc_number = '岚政发〔2023〕8号'").fetchone()[0])
    r = get(ds, f"/-/file/{key}")
    assert r.status_code == 200 and "岚政发〔2023〕8号" in r.text
    gb = conn.execute("select path from documents where path like '0%' order by id").fetchall()
    for (p,) in gb:  # every corpus file (UTF-8, GB18030, UTF-16) comes back readable
        assert get(ds, f"/-/file/{_key(p)}").status_code == 200
    assert get(ds, "/-/file/99999").status_code == 404
    assert get(ds, "/-/file/" + _key("no/such/file.txt")).status_code == 404
    assert get(ds, "/-/file/" + quote("../../../etc/passwd")).status_code == 404
    assert get(ds, f"/-/file/{key}?path=/etc/passwd").text == r.text  # no parameter names a path


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
    cookies, token = _anonymous_form(ds)
    r = post(ds, "/-/desk/status", data={"uid": uid, "status": "done", "csrftoken": token}, cookies=cookies)
    assert r.status_code == 403 and "read-only" in r.text
    with pytest.raises(sqlite3.OperationalError, match="readonly"):  # query_only on every tracker connection
        run(ds.get_database("tracker").execute_write("delete from documents"))
    assert sqlite3.connect(built / "tracker.db").execute("select count(*) from documents").fetchone()[0] > 0


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


def _key(path):
    from pipeline.desk.plugin import notice_key

    return notice_key(path)


def conn_path(db, doc_id):
    return sqlite3.connect(db).execute("select path from documents where id = ?", [doc_id]).fetchone()[0]


def _anonymous_form(ds):
    """(cookies, token) of a visitor who has not logged in: the CSRF cookie and its form token."""
    r = get(ds, "/-/login")
    return {"ds_csrftoken": r.cookies["ds_csrftoken"]}, _token(r.text)


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
    anon, token = _anonymous_form(wds)
    r = post(wds, "/-/desk/status", data={"uid": uid, "status": "done", "csrftoken": token}, cookies=anon)
    assert r.status_code == 403 and "log in" in r.text
    assert post(wds, "/-/desk/note", data={"uid": uid, "text": "x", "csrftoken": token}, cookies=anon).status_code == 403
    # a wrong password does not log in
    r = get(wds, "/-/login")
    bad = post(wds, "/-/login", data={"username": "zhang", "password": "nope", "csrftoken": _token(r.text)},
               cookies={"ds_csrftoken": r.cookies["ds_csrftoken"]})
    assert bad.status_code == 200 and "ds_actor" not in bad.cookies
    # logged in: the notice page has the buttons, a mark and a note are saved
    cookies = _login(wds, "zhang", PASSWORD)
    page = get(wds, f"/-/notice/{_key(conn_path(db, doc_id))}", cookies=cookies).text
    assert "标记办结" in page
    token = _token(page)
    r = post(wds, "/-/desk/status", data={"uid": uid, "status": "done", "csrftoken": token}, cookies=cookies)
    assert r.status_code == 302 and r.headers["location"] == f"/-/notice/{_key(conn_path(db, doc_id))}#{uid}"
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
    page = get(wds, f"/-/notice/{_key(conn_path(db, doc_id))}", cookies=cookies).text
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
    assert "已电话催办" in get(wds, f"/-/notice/{_key(conn_path(db, new_doc))}").text


def test_a_rebuilt_tracker_is_picked_up_while_serving(work):
    db = work / "tracker.db"
    live = make_datasette(db)
    run(live.invoke_startup())

    def count():
        return get(live, "/tracker/documents.json?_size=1").json()["filtered_table_rows_count"]

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
    equal = conn.execute("select d.path from duties u join documents d on d.id = u.document_id "
                         "where u.comparator = '=' and u.quantity is not null").fetchone()[0]
    page = get(ds, f"/-/notice/{_key(equal)}")
    assert page.status_code == 200 and "等于" in page.text


def test_the_desk_runs_the_query_commands_sql():
    """The canned queries are pipeline.tracker.queries' SQL texts with Chinese names around them."""
    from pipeline.desk.metadata import QUERIES, TODAY

    head = queries.DEADLINES.split("{x_cond}")[0].format(as_of=TODAY)
    assert head in QUERIES["overdue"]["sql"]
    for name, text in (("upcoming", queries.CALENDAR), ("duties_by_actor", queries.DUTIES),
                       ("search", queries.DUTIES), ("person_roles", queries.PEOPLE),
                       ("citations", queries.CITATION_LINKS), ("phases", queries.PHASES)):
        head = text.split("{cond}")[0]
        assert head in QUERIES[name]["sql"], name


# -- the desk must not be a door (issue 11) ---------------------------------------------------------------

RECURSIVE = ("with recursive r(i) as (select 1 union all select i + 1 from r) select count(*) from r")


def test_arbitrary_sql_is_off_except_for_allowed_logged_in_users(work, monkeypatch):
    db = work / "tracker.db"
    add_user(work / "desk-users.json", "zhang", PASSWORD)
    add_user(work / "desk-users.json", "li", PASSWORD)
    monkeypatch.delenv("DUBAN_DESK_SQL_USERS", raising=False)
    anon = make_datasette(db)
    run(anon.invoke_startup())
    for path in ("/tracker.json?sql=" + quote("select text from documents"),
                 "/tracker?sql=" + quote("select text from documents"),
                 "/tracker/documents.json?_where=" + quote("1=1")):
        assert get(anon, path).status_code == 403, path
    assert rows(anon, "overdue", 日期="2026-11-23")  # the canned queries and pages stay
    assert get(anon, "/tracker/documents.json").status_code == 200
    with pytest.raises(DeskError, match="wang: no such desk login"):
        make_datasette(db, sql_users=["wang"])
    monkeypatch.setenv("DUBAN_DESK_SQL_USERS", "zhang")
    ds = make_datasette(db)
    run(ds.invoke_startup())
    sql = "/tracker.json?_shape=array&sql=" + quote("select count(*) as n from documents")
    assert get(ds, sql).status_code == 403  # not logged in
    assert get(ds, sql, cookies=_login(ds, "li", PASSWORD)).status_code == 403  # logged in, not allowed
    zhang = _login(ds, "zhang", PASSWORD)
    assert get(ds, sql, cookies=zhang).json()[0]["n"] > 0
    # a runaway query is stopped by the time limit instead of holding a thread
    import time

    t0 = time.perf_counter()
    r = get(ds, "/tracker.json?sql=" + quote(RECURSIVE), cookies=zhang)
    assert r.status_code == 400 and "interrupted" in r.text.lower()
    assert time.perf_counter() - t0 < 5


def test_request_bodies_are_bounded_before_anything_reads_them(ds):
    from pipeline.desk.guard import MAX_BODY

    big = "x" * (MAX_BODY + 1)
    r = post(ds, "/-/login", data={"username": "zhang", "password": big})
    assert r.status_code == 413 and "too large" in r.text
    assert post(ds, "/-/login", data={"username": "zhang", "password": "short"}).status_code != 413
    # a chunked body with no Content-Length (47 MB in 1 MB pieces): refused after the limit, not buffered
    app = ds.app()
    sent, pulled = [], 0

    async def receive():
        nonlocal pulled
        pulled += 1
        return {"type": "http.request", "body": b"a" * (1 << 20), "more_body": pulled < 47}

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "method": "POST", "path": "/-/login", "raw_path": b"/-/login", "query_string": b"",
             "headers": [(b"content-type", b"application/x-www-form-urlencoded"),
                         (b"transfer-encoding", b"chunked")],
             "scheme": "http", "server": ("127.0.0.1", 80), "client": ("127.0.0.1", 5000),
             "http_version": "1.1", "root_path": ""}
    run(app(scope, receive, send))
    assert sent[0]["status"] == 413 and pulled == 1


def test_errors_have_proper_statuses_file_names_and_one_line_logs(work, capfd, monkeypatch):
    from corpora.tools.docx_writer import write_docx
    from pipeline.desk import plugin

    src = work / "inbox" / "001_lanxi_anquan.txt"
    write_docx(src.read_text(encoding="utf-8"), work / "inbox" / "岚溪镇安全生产方案.docx")
    src.unlink()
    rebuild(work / "inbox", work / "tracker.db", jobs=1, settle=0)
    ds = make_datasette(work / "tracker.db")
    run(ds.invoke_startup())
    conn = sqlite3.connect(work / "tracker.db")
    docx_id = _key(conn.execute("select path from documents where path like '%.docx'").fetchone()[0])
    txt_id = _key(conn.execute("select path from documents where path like '%.txt' limit 1").fetchone()[0])
    capfd.readouterr()
    # a Chinese file name: RFC 6266, an ASCII fallback and the UTF-8 name
    path = f"/-/file/{docx_id}"
    r = get(ds, path)
    assert r.status_code == 200, r.text
    disposition = r.headers["content-disposition"]
    assert "filename*=UTF-8''" + quote("岚溪镇安全生产方案.docx") in disposition
    assert disposition.encode("latin-1").isascii()
    # ids too large for SQLite, unknown paths: 404; POSTs where nothing takes a form: 405; bad requests: 400
    big = "9" * 30
    for path in (f"/-/file/{big}", f"/-/notice/{big}", f"/tracker/documents/{big}", "/tracker/nope"):
        assert get(ds, path).status_code == 404, path
    for path in ("/tracker/documents", "/tracker/overdue", "/tracker/duties.json", f"/-/notice/{txt_id}"):
        r = post(ds, path, data={"x": "1"})
        assert r.status_code == 405 and "GET" in r.headers["allow"], path
    assert get(ds, "/tracker/documents.json?_sort=nope").status_code == 400
    assert get(ds, f"/-/desk.ics?upcoming={big}").status_code == 400
    assert capfd.readouterr().err == ""  # a client's mistake is not the server's error
    # an unexpected error: 500, its message kept from the client, one short line in the log
    monkeypatch.setattr(plugin, "decode_text", lambda data: 1 / 0)
    r = get(ds, f"/-/file/{txt_id}")
    assert r.status_code == 500 and "division" not in r.text
    err = capfd.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith(f"desk: 500 GET /-/file/{txt_id}: ZeroDivisionError")


def test_logins_are_throttled_and_need_the_csrf_token(work):
    from pipeline.desk import guard

    db = work / "tracker.db"
    add_user(work / "desk-users.json", "zhang", PASSWORD)
    ds = make_datasette(db)
    run(ds.invoke_startup())
    # no cookies, no token: refused before the password is even looked at
    r = post(ds, "/-/login", data={"username": "zhang", "password": PASSWORD})
    assert r.status_code == 403 and "ds_actor" not in r.cookies
    cookies, token = _anonymous_form(ds)
    wrong = {"username": "zhang", "password": "wrong password", "csrftoken": token}
    codes = [post(ds, "/-/login", data=wrong, cookies=cookies).status_code for _ in range(7)]
    assert codes[:5] == [200] * 5 and codes[5:] == [429, 429]  # the form again 5 times, then locked
    r = post(ds, "/-/login", data=dict(wrong, password=PASSWORD), cookies=cookies)
    assert r.status_code == 429 and int(r.headers["retry-after"]) > 0  # even the right password waits
    # the lock grows with each failure and ends; a success clears the count
    t = [0.0]
    throttle = guard.LoginThrottle(clock=lambda: t[0])
    for _ in range(5):
        throttle.failed(("client", "a"), ("user", "zhang"))
    assert 29 < throttle.locked_for(("user", "zhang")) <= 30
    t[0] = 31
    assert throttle.locked_for(("user", "zhang")) == 0
    throttle.failed(("client", "a"), ("user", "zhang"))
    assert 59 < throttle.locked_for(("client", "a")) <= 60
    throttle.succeeded(("client", "a"), ("user", "zhang"))
    assert throttle.locked_for(("client", "a"), ("user", "zhang")) == 0
    # HTTP basic auth on the network counts the same way
    net = make_datasette(db, host="0.0.0.0")
    run(net.invoke_startup())
    bad = {"authorization": "Basic " + base64.b64encode(b"zhang:nope").decode()}
    codes = [get(net, "/tracker", headers=bad).status_code for _ in range(6)]
    assert codes == [401] * 5 + [429]


def test_page_links_survive_rebuilds_and_never_name_another_notice(work):
    db = work / "tracker.db"
    ds = make_datasette(db)
    run(ds.invoke_startup())
    conn = sqlite3.connect(db)
    first, first_path = conn.execute("select id, path from documents order by id limit 1").fetchone()
    second_path, second_title = conn.execute("select path, title from documents where id = ?", [first + 1]).fetchone()
    conn.close()
    link = get(ds, "/-/notice?key=" + quote(second_path)).headers["location"]
    assert link == f"/-/notice/{_key(second_path)}"
    assert second_title in get(ds, link).text
    # the first notice is removed and the second edited: ids move, the link still names the second notice
    (work / "inbox" / first_path).unlink()
    edited = work / "inbox" / second_path
    edited.write_text(edited.read_text(encoding="utf-8") + "\n（此件公开发布）\n", encoding="utf-8")
    rebuild(work / "inbox", db, jobs=1, settle=0)
    conn = sqlite3.connect(db)
    new_id = conn.execute("select id from documents where path = ?", [second_path]).fetchone()[0]
    assert new_id != first + 1  # the numeric id moved
    page = get(ds, link)
    assert page.status_code == 200 and second_title in page.text
    assert get(ds, f"/-/file/{_key(second_path)}").status_code == 200
    assert get(ds, f"/-/notice/{_key(first_path)}").status_code == 404  # removed: gone, not another notice
    # old numeric links name nothing for sure any more
    r = get(ds, f"/-/notice/{first + 1}")
    assert r.status_code == 404 and "/-/notice?key=" in r.text
    # the pages link by key
    assert f'href="/-/notice/{_key(second_path)}"' in get(ds, "/tracker/documents").text


def test_canned_queries_come_a_page_at_a_time(ds, built):
    from pipeline.desk.metadata import PAGE_ROWS

    conn = queries.connect(built / "tracker.db")
    everything = queries.duties(conn)
    assert len(everything) > 2 * PAGE_ROWS
    key = quote("责任主体")
    first = get(ds, f"/tracker/duties_by_actor.json?_shape=array&{key}=").json()
    second = get(ds, f"/tracker/duties_by_actor.json?_shape=array&_page=2&{key}=").json()
    assert [r["uid"] for r in first + second] == [r["uid"] for r in everything[:2 * PAGE_ROWS]]
    page = get(ds, f"/tracker/duties_by_actor?_page=2&{key}=").text
    assert page.count("<tr>") == PAGE_ROWS + 1 and "第 2 页" in page
    assert 'href="/tracker/duties_by_actor?_page=3"' in page and "上一页" in page
    assert get(ds, "/tracker/duties_by_actor?_page=nope").status_code == 200  # a bad page number is page 1


# -- the home page: a 督办 dashboard ---------------------------------------------------------------------

def _cards(page: str) -> dict[str, str]:
    return dict(re.findall(r'id="count-([a-z0-9]+)"><a href="[^"]*"><div class="n">([^<]+)</div>', page))


def _cli_count(db, *args) -> int:
    r = CliRunner().invoke(main, ["deadlines", "--db", str(db), *args, "--json"])
    assert r.exit_code == 0, r.output
    return len(json.loads(r.output))


def test_home_is_a_dashboard_whose_counts_are_the_clis(work):
    db = work / "tracker.db"
    d = make_datasette(db)
    page = get(d, "/?" + quote("日期") + "=2025-03-01").text
    cards = _cards(page)
    assert cards["overdue"] == str(_cli_count(db, "--overdue", "--as-of", "2025-03-01")) != "0"
    assert cards["due7"] == str(_cli_count(db, "--upcoming", "7", "--as-of", "2025-03-01"))
    assert cards["due30"] == str(_cli_count(db, "--upcoming", "30", "--as-of", "2025-03-01")) != "0"
    assert cards["done"] == "0"
    # the charts: Vega-Lite specs with their data inline, the JavaScript from the package, not a CDN
    assert '"mark"' in page and "逾期事项按责任主体" in page and "今后12个月的时限和阶段节点" in page
    assert 'src="/-/vega/vega-lite.min.js"' in page and "cdn" not in page.lower()
    assert get(d, "/-/vega/vega-embed.min.js").status_code == 200
    # each card links to the canned query listing the same rows
    due = rows(d, "due", 日期="2025-03-01", 天数="30")
    assert len(due) == int(cards["due30"]) and all("2025-03-01" <= r["到期日"] <= "2025-03-31" for r in due)
    assert len(rows(d, "overdue", 日期="2025-03-01")) == int(cards["overdue"])
    # an item marked 办结 leaves the overdue count and counts as done this month
    overdue = queries.deadlines(queries.connect(db), overdue=True, as_of="2025-03-01")
    desk = sqlite3.connect(work / "desk.db")
    desk.execute("insert into duty_status (uid, status, [by], at) values (?, 'done', 'zhang', '2025-03-01T09:00:00+08:00')",
                 [overdue[0]["uid"]])
    desk.commit()
    desk.close()
    cards = _cards(get(d, "/?" + quote("日期") + "=2025-03-01").text)
    assert cards["overdue"] == str(len(overdue) - 1) and cards["done"] == "1"
    assert _cards(get(d, "/?" + quote("日期") + "=2025-04-01").text)["done"] == "0"
    # a bad date: one Chinese line, 400
    r = get(d, "/?" + quote("日期") + "=2025-13-01")
    assert r.status_code == 400 and "不是有效日期" in r.text


# Datasette's English chrome: none of it may show on a page a supervisor reaches
ENGLISH_CHROME = ("Powered by", "Datasette", "Custom SQL query", "Query parameters", "Run SQL", "Edit SQL",
                  " rows", " row ", "Apply", "Username", "Password", "Search:", "Advanced export", "This data as", "Suggested facets",
                  "Next page", "Queries", "Tables", "Log in", "Log out", "sorted by", "0 results", "home")


def _visible_text(page: str) -> str:
    page = re.sub(r"<(script|style|pre)\b.*?</\1>|<!--.*?-->|<dl class=\"column-descriptions\">.*?</dl>", " ", page,
                  flags=re.S)
    return re.sub(r"<[^>]+>", " ", page)


def test_every_page_reads_in_chinese(ds, built):
    overdue = "/tracker/overdue?" + quote("日期") + "=2026-11-23"
    doc = "/tracker/documents/1"
    for path in ("/", "/tracker", overdue, "/tracker/duties", "/tracker/documents?_facet=issuer", doc, "/desk",
                 "/desk/duty_status", "/tracker/calendar", "/-/login"):
        r = get(ds, path)
        assert r.status_code == 200, path
        text = _visible_text(r.text)
        assert not [w for w in ENGLISH_CHROME if w in text], (path, [w for w in ENGLISH_CHROME if w in text])
    # the overdue list: its uid column stays in the JSON (it keys the 办结 marks) but not on the page
    page = get(ds, overdue).text
    assert ">uid<" not in page and "逾期天数" in page
    assert "uid" in get(ds, overdue.replace("/overdue?", "/overdue.json?")).json()["columns"]


def test_facets_and_values_as_words_and_rows_before_the_glossary(ds):
    page = get(ds, "/tracker/duties").text
    assert "周期" in page and "主体类别" in page
    assert re.search(r'<a href="[^"]*period=year[^"]*">每年</a>', page)  # the facet value, said as a word
    assert ">year<" not in page and ">actor_group<" not in page.split('class="column-descriptions"')[0]
    # the rows come first; the column glossary is folded away below them
    assert page.index('class="rows-and-columns"') < page.index("字段说明")
    assert 'data-column="uid"' not in page
    # a coded cell reads as a word too
    cells = get(ds, "/tracker/duties?period=year").text
    assert re.search(r'<td class="col-period[^"]*">每年</td>', cells)
    assert "周期等于“每年”" in cells


def test_notice_page_lists_deadlines_by_date(ds, built):
    conn = sqlite3.connect(built / "tracker.db")
    path = conn.execute("select d.path from deadlines x join documents d on d.id = x.document_id where x.date is not null "
                        "group by d.id having count(*) > 2 order by d.id limit 1").fetchone()[0]
    page = get(ds, "/-/notice/" + _key(path)).text
    section = page.split("<h2>时限")[1].split("</table>")[0]
    dates = re.findall(r'<td class="d">(\d{4}-\d\d-\d\d)</td>', section)
    assert len(dates) > 2 and dates == sorted(dates)
