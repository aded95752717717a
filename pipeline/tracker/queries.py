"""The supervisors' queries over the tracker, as plain functions returning rows (dicts).

The CLI (``duban duties/deadlines/people/docs/doc``) prints these as tables, JSON or CSV; the web
desk runs the same SQL. Every row names its notice (``notice``: the 发文字号, else the title) and
carries its evidence sentence and page.
"""
from __future__ import annotations

import json
import sqlite3
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import quote

from pipeline.text.doc_numbers import canonical_doc_number
from pipeline.tracker.search import fts_query

NOTICE = "coalesce(d.doc_number, d.title, d.path)"


class QueryError(Exception):
    """A query that cannot run as asked (bad date, no tracker): one line."""


# the desk's file beside the tracker: 办结 marks and notes keyed by the facts' stable uid (the desk writes
# it, pipeline.desk; every reader of the tracker reads the marks through here)
DESK_FILE = "desk.db"
DESK_TABLES = """
create table if not exists desk.duty_status (uid text primary key, status text not null, [by] text, at text);
create table if not exists desk.notes (id integer primary key, uid text not null, text text not null, [by] text, at text);
"""
STATUSES = ("open", "done")


def desk_path(db_path) -> Path:
    """Where the desk keeps its marks and notes for the tracker at ``db_path``."""
    return Path(db_path).parent / DESK_FILE


def connect(db_path) -> sqlite3.Connection:
    """A read-only connection to the tracker (a query never writes, never blocks a rebuild), with the
    desk's marks attached read-only as ``desk`` (an empty in-memory stand-in when there is no desk.db,
    so every query joins ``desk.duty_status`` and ``desk.notes`` the same way)."""
    p = Path(db_path)
    if not p.exists():
        raise QueryError(f"{p}: no tracker here yet; run `duban rebuild --inbox DIR --db {p}` first")
    conn = sqlite3.connect(f"file:{p}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    try:
        conn.execute("select 1 from documents limit 1")
    except sqlite3.DatabaseError as e:
        raise QueryError(f"{p}: not a duban tracker ({e})") from None
    attach_desk(conn, desk_path(p))
    return conn


def attach_desk(conn, path) -> bool:
    """Attach the desk's marks as ``desk``: the file read-only when it holds them (True), else an empty
    in-memory pair of tables (False). A desk.db that cannot be read is no reason to refuse a query."""
    path = Path(path)
    if path.is_file():
        try:
            conn.execute("attach database ? as desk", [f"file:{quote(str(path.resolve()))}?mode=ro"])
            tables = {r[0] for r in conn.execute("select name from desk.sqlite_master where type = 'table'")}
            if {"duty_status", "notes"} <= tables:
                return True
        except sqlite3.DatabaseError:
            pass
        if "desk" in {r[1] for r in conn.execute("pragma database_list")}:
            conn.execute("detach database desk")
    conn.execute("attach database ':memory:' as desk")
    conn.executescript(DESK_TABLES)
    return False


def has_desk(conn) -> bool:
    """Whether ``conn`` has the desk's marks attached (connect always does; the web desk does when
    desk.db exists)."""
    return "desk" in {r[1] for r in conn.execute("pragma database_list")}


def _status_filter(status: str | None, uid: str, clauses: list, params: list) -> None:
    if status is None:
        return
    if status not in STATUSES:
        raise QueryError(f"--status {status}: choose open or done")
    clauses.append(f"coalesce((select s.status from desk.duty_status s where s.uid = {uid}), 'open') = ?")
    params.append(status)


def _marks(uid: str) -> str:
    """The columns every markable row carries: its 办结 status (open unless marked), who marked it and
    when, and the desk's notes on it (oldest first, one a line)."""
    return (f"coalesce((select s.status from desk.duty_status s where s.uid = {uid}), 'open') as status, "
            f"(select s.[by] from desk.duty_status s where s.uid = {uid}) as status_by, "
            f"(select s.at from desk.duty_status s where s.uid = {uid}) as status_at, "
            f"(select group_concat(n.text || coalesce('（' || n.[by] || '）', ''), char(10)) from "
            f"(select * from desk.notes n where n.uid = {uid} order by n.id) n) as notes")


def _rows(conn, sql, params=()) -> list[dict]:
    return [dict(r) for r in conn.execute(sql, params)]


def parse_date(value: str | date | None, what: str = "date") -> date | None:
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise QueryError(f"{what}: '{value}' is not a date (use YYYY-MM-DD)") from None


def _doc_filter(doc: str | None, clauses: list, params: list) -> None:
    if doc:
        clauses.append("(d.doc_number = ? or d.path = ? or d.title like ?)")
        params += [canonical_doc_number(doc) or doc, doc, f"%{doc}%"]


def duties(conn, *, actor=None, period=None, doc=None, search=None, status=None, limit=None) -> list[dict]:
    """Quantified duties; ``actor`` matches the raw wording or its group, ``search`` is Chinese full text,
    ``status`` (open/done) the desk's 办结 mark."""
    clauses, params = [], []
    _status_filter(status, "u.uid", clauses, params)
    if actor:
        clauses.append("(u.actor like ? or u.actor_group like ?)")
        params += [f"%{actor}%", f"%{actor}%"]
    if period:
        clauses.append("u.period = ?" if period != "none" else "u.period is null")
        params += [period] if period != "none" else []
    _doc_filter(doc, clauses, params)
    if search:
        match = fts_query(search)
        if match:
            clauses.append("u.id in (select rowid from duties_fts where duties_fts match ?)")
            params.append(match)
        else:  # one character: too short for the word index
            clauses.append("(u.text like ? or u.actor like ?)")
            params += [f"%{search.strip()}%"] * 2
    where = ("where " + " and ".join(clauses)) if clauses else ""
    sql = (f"select {NOTICE} as notice, u.actor, u.actor_group, u.text as requirement, u.quantity, u.unit, "
           f"u.comparator, u.period, u.deadline, u.section, u.evidence, u.page, d.path as file, u.uid, "
           f"{_marks('u.uid')} "
           f"from duties u join documents d on d.id = u.document_id {where} order by d.path, u.seq")
    if limit:
        sql += f" limit {int(limit)}"
    return _rows(conn, sql, params)


def deadlines(conn, *, before=None, after=None, overdue=False, as_of=None, upcoming=None, status=None) -> list[dict]:
    """Dated deadlines (of the 限期 kind and of duties), earliest first, with the desk's 办结 marks.

    ``overdue``: dated before ``as_of`` (default today) and not marked done (unless ``status='done'``
    asks for exactly those); ``upcoming=N``: due within N days of ``as_of``; ``status``: open or done.
    """
    if status is not None and status not in STATUSES:
        raise QueryError(f"--status {status}: choose open or done")
    if overdue and status is None:
        status = "open"  # an item marked 办结 is not overdue, whatever its date
    as_of = parse_date(as_of, "--as-of") or date.today()
    before, after = parse_date(before, "--before"), parse_date(after, "--after")
    # (condition on the date column, named parameters)
    conds, named = [], {"as_of": as_of.isoformat()}
    if before:
        conds.append("{date} < :before")
        named["before"] = before.isoformat()
    if after:
        conds.append("{date} > :after")
        named["after"] = after.isoformat()
    if overdue:
        conds.append("{date} < :as_of")
    if upcoming is not None:
        conds.append("{date} between :as_of and :until")
        named["until"] = (as_of + timedelta(days=int(upcoming))).isoformat()
    if status:
        conds.append("coalesce((select s.status from desk.duty_status s where s.uid = {uid}), 'open') = :status")
        named["status"] = status
    where = " and ".join(["{date} is not null", *conds])
    # straight from the two tables (their date columns are indexed) rather than the calendar view
    sql = (f"select x.date, cast(julianday(:as_of) - julianday(x.date) as integer) as days_overdue, x.task, x.actor, "
           f"{NOTICE} as notice, 'deadline' as kind, x.evidence, x.page, d.path as file, x.uid, {_marks('x.uid')} "
           f"from deadlines x join documents d on d.id = x.document_id where {where.format(date='x.date', uid='x.uid')} "
           f"union all "
           f"select u.deadline, cast(julianday(:as_of) - julianday(u.deadline) as integer), u.text, u.actor, "
           f"{NOTICE}, 'duty_deadline', u.evidence, u.page, d.path, u.uid, {_marks('u.uid')} "
           f"from duties u join documents d on d.id = u.document_id where {where.format(date='u.deadline', uid='u.uid')} "
           f"order by 1, file")
    rows = _rows(conn, sql, named)
    for r in rows:
        if r["days_overdue"] is not None and r["days_overdue"] <= 0:
            r["days_overdue"] = None
    return rows


def calendar(conn, *, start=None, end=None) -> list[dict]:
    """Every dated thing (phase starts and ends, deadlines, duty deadlines) on one timeline, with the
    desk's 办结 marks (a phase can be marked too)."""
    clauses, params = ["1"], []
    if start:
        clauses.append("c.date >= ?")
        params.append(parse_date(start, "start").isoformat())
    if end:
        clauses.append("c.date <= ?")
        params.append(parse_date(end, "end").isoformat())
    return _rows(conn, f"select c.date, c.kind, c.what, c.actor, coalesce(c.doc_number, c.title) as notice, "
                       f"c.evidence, c.page, c.uid, {_marks('c.uid')} from calendar c where {' and '.join(clauses)} "
                       f"order by c.date", params)


def people(conn, name=None, *, current=False, group=None) -> list[dict]:
    """Every role of every person (or of the people called ``name``: the exact name if anyone has
    it, else names containing it), one row per role.

    A roster role's ``standing`` is ``current``, or ``superseded`` when a later notice re-staffed the
    same group (``superseded_by``: that notice; pipeline.tracker.link). ``current`` leaves superseded
    roles out; ``group`` keeps the roster roles of groups whose name contains it (``--current --group
    X``: who is on X now).
    """
    clauses: list[str] = []
    params: list = []
    if name:
        exact = conn.execute("select 1 from people where name = ? limit 1", [name]).fetchone()
        clauses.append("p.name = ?" if exact else "p.name like ?")
        params.append(name if exact else f"%{name}%")
    tracked = conn.execute("select 1 from sqlite_master where name = 'roster_status'").fetchone() is not None
    standing = ("case s.current when 1 then 'current' when 0 then 'superseded' end" if tracked else "null")
    status_join = "left join roster_status s on s.group_id = m.group_id" if tracked else ""
    roster_where = list(clauses)
    roster_params = list(params)
    if group:
        roster_where.append("replace(replace(m.group_name, '“', ''), '”', '') like ?")
        roster_params.append(f"%{group.replace('“', '').replace('”', '').strip()}%")
    if current and tracked:
        roster_where.append("coalesce(s.current, 1) = 1")
    where_r = ("where " + " and ".join(roster_where)) if roster_where else ""
    where_a = ("where " + " and ".join(clauses)) if clauses else ""
    common = f"m.title as position, {NOTICE} as notice, d.issuer, p.ambiguous, m.evidence, m.page, m.document_id"
    sql = (f"select p.id as person, p.name, m.role, m.group_name as context, {common}, {standing} as standing, "
           f"{'s.superseded_by_notice' if tracked else 'null'} as superseded_by, 0 as src, m.member_seq as seq "
           f"from people p join roster_members m on m.person_id = p.id join documents d on d.id = m.document_id "
           f"{status_join} {where_r}")
    args = roster_params
    if not group:  # 分工 belong to no group
        sql += (f" union all select p.id, p.name, '分工', m.duties, {common}, null, null, 1, m.seq "
                f"from people p join assignments m on m.person_id = p.id join documents d on d.id = m.document_id "
                f"{where_a}")
        args = roster_params + params
    order = "context, document_id, seq" if group else "name, person, document_id, src, seq"
    rows = _rows(conn, f"select * from ({sql}) order by {order}", args)
    for r in rows:
        del r["document_id"], r["src"], r["seq"]
    return rows


def docs(conn, *, issuer=None, year=None) -> list[dict]:
    clauses, params = [], []
    if issuer:
        clauses.append("d.issuer like ?")
        params.append(f"%{issuer}%")
    if year:
        clauses.append("d.year = ?")
        params.append(int(year))
    where = ("where " + " and ".join(clauses)) if clauses else ""
    return _rows(conn, f"select d.doc_number, d.title, d.doc_type, d.issuer, d.signed_date, "
                       f"(select count(*) from duties u where u.document_id = d.id) as duties, "
                       f"(select count(*) from deadlines x where x.document_id = d.id) as deadlines, "
                       f"(select count(*) from roster_members m where m.document_id = d.id) as roster, "
                       f"d.path as file from documents d {where} order by d.signed_date desc, d.path", params)


def doc(conn, key: str) -> dict:
    """One notice in full: its record plus the links the tracker made (cites / cited by)."""
    # a 文号 as the notices print it ([2018], (2018), no 号) is looked up in the records' form 〔2018〕…号
    number = canonical_doc_number(key) or key
    row = conn.execute("select * from documents d where d.doc_number = ? or d.path = ? or d.file = ? "
                       "order by d.id limit 1", [number, key, str(Path(key).resolve())]).fetchone()
    if row is None:
        row = conn.execute("select * from documents d where d.path like ? or d.title like ? order by d.id limit 2",
                           [f"%{key}", f"%{key}%"]).fetchall()
        if len(row) != 1:
            raise QueryError(f"{key}: no notice with this 发文字号, file or title in the tracker"
                             if not row else f"{key}: more than one notice matches; give the 发文字号 or the file path")
        row = row[0]
    record = json.loads(row["record"])
    record["tracker"] = {
        "id": row["id"], "path": row["path"], "file": row["file"],
        "cites": _rows(conn, "select cited_title, cited_number, cited_path from citation_links "
                             "where citing_id = ? and cited_id is not null", [row["id"]]),
        "cited_by": _rows(conn, "select citing_number, citing_title, d.path from citation_links c "
                                "join documents d on d.id = c.citing_id where cited_id = ?", [row["id"]]),
    }
    return record


def unresolved_citations(conn) -> list[dict]:
    return _rows(conn, "select citing_number, citing_title, cited_title, cited_number, evidence from citation_links "
                       "where cited_id is null order by citing_number")


def ambiguous_people(conn) -> list[dict]:
    return _rows(conn, "select id as person, name, place, titles, n_roles, note from ambiguous_people order by name, id")


def failures(conn) -> list[dict]:
    return _rows(conn, "select path, reason, first_seen, last_seen from failures order by path")


def runs(conn, limit=10) -> list[dict]:
    return _rows(conn, f"select * from runs order by id desc limit {int(limit)}")
