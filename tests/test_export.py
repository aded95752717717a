"""duban export: the workbook a supervisor attaches to a 督办单, CSV/JSON, and a calendar whose UIDs
survive rebuilds."""
from __future__ import annotations

import csv
import io
import json
import shutil
import sqlite3
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from icalendar import Calendar
from openpyxl import load_workbook

from pipeline.tracker import export, queries
from pipeline.cli import main
from pipeline.tracker.rebuild import rebuild

ROOT = Path(__file__).resolve().parents[1]
NOTICES = ROOT / "corpora" / "notices"


@pytest.fixture(scope="module")
def built(corpus_tracker):
    return corpus_tracker[0]


@pytest.fixture
def conn(built):
    c = queries.connect(built / "tracker.db")
    yield c
    c.close()


def raw(built):
    c = sqlite3.connect(built / "tracker.db")
    return c


# -- xlsx -----------------------------------------------------------------------------------------------

def test_xlsx_has_one_sheet_per_kind_with_chinese_headers_counts_and_real_dates(built, conn, tmp_path):
    out = tmp_path / "督办.xlsx"
    export.write_xlsx(conn, out)
    wb = load_workbook(out)
    assert wb.sheetnames == ["任务", "时限", "人员", "文件"]
    expected = {"任务": queries.duties(conn), "时限": queries.deadlines(conn), "人员": queries.people(conn),
                "文件": queries.docs(conn)}
    for sheet, rows in expected.items():
        ws = wb[sheet]
        assert ws.max_row == len(rows) + 1, sheet
        assert ws.freeze_panes == "A2"
        assert all(c.font.bold for c in ws[1])
    assert [c.value for c in wb["任务"][1]][:4] == ["文件", "责任主体", "主体类别", "任务要求"]
    assert "原文依据" in [c.value for c in wb["任务"][1]]
    assert [c.value for c in wb["文件"][1]][:5] == ["发文字号", "标题", "文种", "发文机关", "成文日期"]
    # dates are dates, formatted as such
    ws = wb["时限"]
    assert ws["A1"].value == "日期"
    cell = ws["A2"]
    assert isinstance(cell.value, datetime) and cell.number_format == "yyyy-mm-dd"
    assert cell.value.date().isoformat() == queries.deadlines(conn)[0]["date"]
    signed = [c for c in wb["文件"]["E"][1:] if c.value is not None]
    assert signed and all(isinstance(c.value, datetime) and c.number_format == "yyyy-mm-dd" for c in signed)
    # every duty keeps its evidence sentence
    heads = [c.value for c in wb["任务"][1]]
    ev = heads.index("原文依据") + 1
    assert all(r[ev - 1].value for r in wb["任务"].iter_rows(min_row=2))


def test_xlsx_column_widths_count_chinese_double(conn, tmp_path):
    assert export.text_width("调研") == 4 and export.text_width("ab") == 2 and export.text_width("第3次") == 5
    out = tmp_path / "w.xlsx"
    export.write_xlsx(conn, out, ("documents",))
    ws = load_workbook(out)["文件"]
    width = {ws.cell(1, i).value: ws.column_dimensions[ws.cell(1, i).column_letter].width
             for i in range(1, ws.max_column + 1)}
    longest_number = max(export.text_width(r["doc_number"] or "") for r in queries.docs(conn))
    assert width["发文字号"] >= longest_number  # 临师院党发〔2023〕12号 fits: CJK counted double
    assert width["标题"] == 60  # capped; long titles wrap
    assert width["任务数"] < 12


def test_xlsx_with_filters_is_the_query_commands_rows(conn, tmp_path):
    out = tmp_path / "overdue.xlsx"
    export.write_xlsx(conn, out, ("deadlines",), overdue=True, as_of="2026-11-23")
    ws = load_workbook(out).active
    assert ws.title == "时限"
    heads = [c.value for c in ws[1]]
    assert heads[:3] == ["日期", "逾期天数", "事项"]
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=2)]
    assert len(rows) == len(queries.deadlines(conn, overdue=True, as_of="2026-11-23"))
    notice = heads.index("文件")
    mine = {r[0].date() for r in rows if r[notice] == "岚政发〔2026〕6号"}
    assert {date(2026, 4, 15), date(2026, 10, 31)} <= mine and date(2027, 6, 30) not in mine
    late = [r for r in rows if r[0].date() == date(2026, 4, 15)][0]
    assert late[1] == (date(2026, 11, 23) - date(2026, 4, 15)).days


# -- csv / json -----------------------------------------------------------------------------------------

def test_csv_starts_with_a_bom_and_has_chinese_headers(conn):
    text = export.to_csv(conn, "duties", actor="村")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:])))
    assert rows[0][:3] == ["文件", "责任主体", "主体类别"]
    assert len(rows) - 1 == len(queries.duties(conn, actor="村")) > 5
    period = rows[0].index("周期")
    assert {"每周", "每月"} <= {r[period] for r in rows[1:]}  # periods in Chinese, as a supervisor reads them


def test_json_is_the_query_rows(conn):
    one = json.loads(export.to_json(conn, ("people",), name="李卫东"))
    assert one == queries.people(conn, "李卫东") and {r["role"] for r in one} >= {"组长"}
    allk = json.loads(export.to_json(conn))
    assert set(allk) == {"duties", "deadlines", "people", "documents"}
    assert len(allk["documents"]) == len(queries.docs(conn))


# -- ics ------------------------------------------------------------------------------------------------

def _events(data: bytes):
    cal = Calendar.from_ical(data)
    return [c for c in cal.walk("VEVENT")]


def test_ics_has_every_phase_and_deadline_as_all_day_events(built, conn):
    data = export.to_ics(conn)
    evs = _events(data)
    c = raw(built)
    n_phases = c.execute("select count(*) from phases where start_date is not null or end_date is not null").fetchone()[0]
    n_dead = c.execute("select count(*) from deadlines where date is not null").fetchone()[0]
    n_duty = c.execute("select count(*) from duties where deadline is not null").fetchone()[0]
    assert len(evs) == n_phases + n_dead + n_duty > 100
    uids = [str(e["UID"]) for e in evs]
    assert len(set(uids)) == len(uids) and all(u.endswith("@duban.tracker") for u in uids)
    for e in evs:
        start, end = e.decoded("DTSTART"), e.decoded("DTEND")
        assert type(start) is date and type(end) is date and end > start  # all-day, DTEND exclusive
        assert "DTSTAMP" in e
    by_uid = {str(e["UID"]).split("@")[0]: e for e in evs}
    (uid, s, t), = c.execute("select uid, start_date, end_date from phases where name = '集中攻坚阶段' "
                             "and document_id = (select id from documents where doc_number = '岚政发〔2026〕6号')")
    ev = by_uid[uid]
    assert ev.decoded("DTSTART") == date.fromisoformat(s) == date(2026, 5, 1)
    assert ev.decoded("DTEND") == date.fromisoformat(t) + timedelta(days=1) == date(2027, 1, 1)
    (uid,), = c.execute("select uid from deadlines where date = '2026-04-15'")
    ev = by_uid[uid]
    assert ev.decoded("DTSTART") == date(2026, 4, 15) and ev.decoded("DTEND") == date(2026, 4, 16)
    assert "岚政发〔2026〕6号" in str(ev["SUMMARY"]) and "各村（社区）于2026年4月15日前" in str(ev["DESCRIPTION"])


def test_ics_filters_like_duban_deadlines(conn):
    evs = _events(export.to_ics(conn, doc="岚政发〔2026〕6号", overdue=True, as_of="2026-11-23"))
    kinds = {str(c) for e in evs for c in e["CATEGORIES"].cats}
    assert kinds == {"阶段", "时限", "任务时限"}
    days = sorted(e.decoded("DTSTART") for e in evs if [str(c) for c in e["CATEGORIES"].cats] == ["时限"])
    assert days == [date(2026, 4, 15), date(2026, 8, 31), date(2026, 10, 31)]  # not 2027-06-30
    phase = [e for e in evs if "动员部署阶段" in str(e["SUMMARY"])]
    assert len(phase) == 1 and phase[0].decoded("DTEND") == date(2026, 4, 21)  # ended before 2026-11-23
    with pytest.raises(queries.QueryError):
        export.to_ics(conn, as_of="23/11/2026")


def test_ics_uids_survive_rebuilds(built, tmp_path):
    shutil.copytree(built / "inbox", tmp_path / "inbox")
    shutil.copy(built / "tracker.db", tmp_path / "tracker.db")
    db = tmp_path / "tracker.db"

    def uids():
        c = queries.connect(db)
        try:
            return sorted(str(e["UID"]) for e in _events(export.to_ics(c)))
        finally:
            c.close()

    first = uids()
    rebuild(tmp_path / "inbox", db, jobs=1, settle=0)  # nothing changed
    assert uids() == first
    rebuild(tmp_path / "inbox", db, jobs=1, settle=0, force=True)  # every notice extracted again
    assert uids() == first
    # a notice removed: its events go, the others keep their UIDs
    (tmp_path / "inbox" / "028_lanxi_minqing.txt").unlink()
    rebuild(tmp_path / "inbox", db, jobs=1, settle=0)
    after = uids()
    assert set(after) < set(first) and len(first) - len(after) >= 7


# -- the command ----------------------------------------------------------------------------------------

def test_export_command_writes_each_format(built, tmp_path):
    db = str(built / "tracker.db")
    r = CliRunner().invoke(main, ["export", "--db", db, "--out", str(tmp_path / "all.xlsx")])
    assert r.exit_code == 0, r.output
    assert load_workbook(tmp_path / "all.xlsx").sheetnames == ["任务", "时限", "人员", "文件"]
    r = CliRunner().invoke(main, ["export", "--db", db, "--format", "xlsx", "--what", "deadlines", "--overdue",
                                  "--as-of", "2026-11-23", "--out", str(tmp_path / "o.xlsx")])
    assert r.exit_code == 0 and load_workbook(tmp_path / "o.xlsx").sheetnames == ["时限"]
    r = CliRunner().invoke(main, ["export", "--db", db, "--format", "csv", "--what", "documents",
                                  "--out", str(tmp_path / "d.csv")])
    assert r.exit_code == 0 and (tmp_path / "d.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    r = CliRunner().invoke(main, ["export", "--db", db, "--out", str(tmp_path / "c.ics"), "--upcoming", "90",
                                  "--as-of", "2026-11-01"])
    assert r.exit_code == 0
    evs = _events((tmp_path / "c.ics").read_bytes())  # due within 90 days of 2026-11-01: a phase ending 12-31
    assert [(e.decoded("DTSTART"), e.decoded("DTEND")) for e in evs] == [(date(2026, 5, 1), date(2027, 1, 1))]
    r = CliRunner().invoke(main, ["export", "--db", db, "--format", "json", "--what", "people", "--name", "李卫东"])
    assert r.exit_code == 0 and json.loads(r.output)[0]["name"] == "李卫东"


def test_export_command_mistakes_are_one_line(built, tmp_path):
    db = str(built / "tracker.db")
    r = CliRunner().invoke(main, ["export", "--db", db, "--format", "csv"])
    assert r.exit_code == 2 and "add --what" in r.output
    r = CliRunner().invoke(main, ["export", "--db", str(tmp_path / "none.db"), "--out", str(tmp_path / "x.xlsx")])
    assert r.exit_code == 1 and "no tracker here yet; run `duban rebuild" in r.output
    assert len(r.output.strip().splitlines()) == 1
    r = CliRunner().invoke(main, ["export", "--db", db, "--what", "deadlines", "--as-of", "tomorrow"])
    assert r.exit_code == 1 and "not a date" in r.output


def test_exports_never_carry_formulas(built, tmp_path):
    """A notice line or file name starting with = + - @ (or a tab/CR) is text in the workbook and the CSV."""
    db = tmp_path / "tracker.db"
    shutil.copy(built / "tracker.db", db)
    c = sqlite3.connect(db)
    doc_id = c.execute("select document_id from duties order by id limit 1").fetchone()[0]
    c.execute("update duties set text = '=HYPERLINK(\"http://example.org\",\"点此\")', actor = '-2+3', "
              "evidence = '\t=1+1' where document_id = ?", [doc_id])
    c.execute("update documents set path = '+cmd|'' /C calc''!A0', title = '@SUM(1,2)' where id = ?", [doc_id])
    c.commit()
    c.close()
    conn = queries.connect(db)
    out = tmp_path / "x.xlsx"
    export.write_xlsx(conn, out)
    wb = load_workbook(out)
    cells = [cell for ws in wb for row in ws.iter_rows() for cell in row]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    values = {cell.value for cell in cells}
    for bad in ('=HYPERLINK("http://example.org","点此")', "-2+3", "\t=1+1", "+cmd|' /C calc'!A0", "@SUM(1,2)"):
        assert "'" + bad in values and bad not in values, bad
    for what in ("duties", "documents"):
        fields = [f for row in csv.reader(io.StringIO(export.to_csv(conn, what).lstrip("\ufeff"))) for f in row]
        assert not [f for f in fields if f[:1] in ("=", "+", "-", "@", "\t", "\r")], what
        assert "'+cmd|' /C calc'!A0" in fields


def test_empty_ics_says_so_on_stderr(built, tmp_path):
    db = str(built / "tracker.db")
    out = tmp_path / "none.ics"
    r = CliRunner().invoke(main, ["export", "--db", db, "--format", "ics", "--before", "1990-01-01", "--out", str(out)])
    assert r.exit_code == 0 and out.exists() and _events(out.read_bytes()) == []
    assert "no phases or dated deadlines match" in r.stderr
    r = CliRunner().invoke(main, ["export", "--db", db, "--format", "ics", "--upcoming", "90", "--as-of", "2026-11-01"])
    assert r.exit_code == 0 and "no phases" not in r.stderr


def test_exports_carry_the_desk_marks(built, tmp_path):
    """A deadline marked 办结 on the desk leaves the 督办单's overdue sheet and the overdue calendar,
    and the deadlines sheet has a 办结状态 column."""
    from pipeline.desk import desk_path_for, ensure_desk_db

    shutil.copy(built / "tracker.db", tmp_path / "tracker.db")
    db = tmp_path / "tracker.db"
    conn = queries.connect(db)
    late = [r for r in queries.deadlines(conn, overdue=True, as_of="2023-04-15") if r["notice"] == "岚政发〔2023〕8号"]
    assert late
    desk = sqlite3.connect(ensure_desk_db(desk_path_for(db)))
    desk.executemany("insert into duty_status (uid, status, [by], at) values (?, 'done', 'li', '2023-04-12')",
                     [(r["uid"],) for r in late])
    desk.execute("insert into notes (uid, text, [by]) values (?, '材料已收', 'li')", [late[0]["uid"]])
    desk.commit()
    desk.close()
    r = CliRunner().invoke(main, ["export", "--db", str(db), "--format", "xlsx", "--what", "deadlines", "--overdue",
                                  "--as-of", "2023-04-15", "--out", str(tmp_path / "o.xlsx")])
    assert r.exit_code == 0, r.output
    ws = load_workbook(tmp_path / "o.xlsx")["时限"]
    header = [c.value for c in ws[1]]
    assert "办结状态" in header
    col = header.index("文件")
    assert ws.max_row > 1 and all(row[col].value != "岚政发〔2023〕8号" for row in ws.iter_rows(min_row=2))
    r = CliRunner().invoke(main, ["export", "--db", str(db), "--format", "json", "--what", "deadlines", "--status", "done"])
    rows = json.loads(r.output)
    assert {x["uid"] for x in rows} == {x["uid"] for x in late} and {x["status"] for x in rows} == {"done"}
    assert "材料已收（li）" in {x["notes"] for x in rows}
    r = CliRunner().invoke(main, ["export", "--db", str(db), "--format", "csv", "--what", "deadlines", "--status", "done"])
    assert "已办结" in r.output and "督办备注" in r.output
    uids = {str(e["UID"]).split("@")[0] for e in _events(export.to_ics(queries.connect(db), overdue=True, as_of="2023-04-15"))}
    assert uids and not uids & {x["uid"] for x in late}
