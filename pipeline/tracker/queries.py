"""The supervisors' queries over the tracker, as plain functions returning rows (dicts).

The CLI (``duban duties/deadlines/people/docs/doc``) prints these as tables, JSON or CSV; the web
desk runs the same SQL: the named SQL texts below (``DEADLINES``, ``CALENDAR``, ``DUTIES``, ``PEOPLE``,
…) are used by these functions and by the desk's canned queries and notice page
(pipeline.desk.metadata, pipeline.desk.plugin), which only put Chinese column names and the 办结
status around them. A ``{placeholder}`` in a text is a SQL expression filled in by the caller (a
``?``/``:name`` parameter here, the desk's form field there). Every row names its notice
(``notice``: the 发文字号, else the title) and carries its evidence sentence and page.
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

# -- the SQL texts shared with the desk -----------------------------------------------------------------

# Dated deadlines (the 限期 kind and duties' deadlines), straight from the two tables (their date
# columns are indexed) rather than the calendar view. {as_of}: the day days_overdue counts from;
# {cond}: a condition on the date column, written with ``{date}``.
DEADLINES = f"""
select x.date, cast(julianday({{as_of}}) - julianday(x.date) as integer) as days_overdue, x.task, x.actor,
       {NOTICE} as notice, 'deadline' as kind, x.evidence, x.page, d.path as file, x.uid
  from deadlines x join documents d on d.id = x.document_id where x.date is not null and {{x_cond}}
union all
select u.deadline, cast(julianday({{as_of}}) - julianday(u.deadline) as integer), u.text, u.actor,
       {NOTICE}, 'duty_deadline', u.evidence, u.page, d.path, u.uid
  from duties u join documents d on d.id = u.document_id where u.deadline is not null and {{u_cond}}"""


# the two kinds of dated deadline: (table, its alias in the texts, its date column)
DEADLINE_KINDS = (("deadlines", "x", "date"), ("duties", "u", "deadline"))


def _kind_conds(cond: str) -> dict:
    """``cond`` (on ``{date}``, ``{uid}``) written for each kind: {x_cond, u_cond}."""
    return {f"{a}_cond": cond.format(date=f"{a}.{col}", uid=f"{a}.uid") for _, a, col in DEADLINE_KINDS}


def deadlines_sql(as_of: str, cond: str = "1") -> str:
    """DEADLINES with ``cond`` (on ``{date}``) applied to both kinds."""
    return DEADLINES.format(as_of=as_of, **_kind_conds(cond))


# Every dated point (phase starts and ends, deadlines, duty deadlines) on one timeline; {cond} on c.date.
CALENDAR = """
select c.date, c.kind, c.what, c.actor, coalesce(c.doc_number, c.title) as notice, c.evidence, c.page, c.uid,
       c.document_id
  from calendar c where {cond} order by c.date, c.document_id"""

# Quantified duties; {cond}: the filter (DUTY_ACTOR, DUTY_SEARCH, …, joined by ``and``).
DUTIES = f"""
select {NOTICE} as notice, u.actor, u.actor_group, u.text as requirement, u.quantity, u.unit, u.comparator,
       u.period, u.deadline, u.section, u.evidence, u.page, d.path as file, u.uid, u.seq
  from duties u join documents d on d.id = u.document_id where {{cond}} order by d.path, u.seq"""
# the duties of an actor: the raw wording or its group ({actor}: the text to look for)
DUTY_ACTOR = "(u.actor like '%' || {actor} || '%' or u.actor_group like '%' || {actor} || '%')"
# the duties whose words match the FTS5 expression {match} (pipeline.tracker.search.fts_query)
DUTY_FTS = "select rowid from duties_fts where duties_fts match {match}"
DUTY_MATCH = f"u.id in ({DUTY_FTS})"
# the fallback for a query too short for the word index (one character)
DUTY_LIKE = "(u.text like '%' || {text} || '%' or u.actor like '%' || {text} || '%')"

# Every role of every person: the rosters, then the 分工; {name}: the exact name if anyone has it,
# else names containing it (people first, through their name index, then their roles by person_id:
# scanning every roster row instead took 100 ms on 10,000 notices).
PERSON_NAME = ("p.id in (select id from people where name = {name} union all select id from people "
               "where name like '%' || {name} || '%' and not exists (select 1 from people where name = {name}))")
PEOPLE = f"""
select * from (
  select p.id as person, p.name, m.role, m.group_name as context, m.title as position, {NOTICE} as notice, d.issuer,
         p.ambiguous, m.evidence, m.page, m.document_id, 0 as src, m.member_seq as seq,
         case s.current when 1 then 'current' when 0 then 'superseded' end as standing,
         s.superseded_by_notice as superseded_by
    from people p join roster_members m on m.person_id = p.id join documents d on d.id = m.document_id
    left join roster_status s on s.group_id = m.group_id
   where {{cond}} and {{roster_cond}}
  union all
  select p.id, p.name, '分工', m.duties, m.title, {NOTICE}, d.issuer, p.ambiguous, m.evidence, m.page, m.document_id, 1,
         m.seq, null, null
    from people p join assignments m on m.person_id = p.id join documents d on d.id = m.document_id
   where {{cond}} and {{duty_cond}})
 order by name, person, document_id, src, seq"""
# a roster role standing now (pipeline.tracker.link.link_groups: no later notice re-staffed its group)
CURRENT_ROLE = "coalesce(s.current, 1) = 1"
# the roster roles of the groups whose name holds {group} (quotes ignored)
GROUP_NAMED = "replace(replace(m.group_name, '“', ''), '”', '') like '%' || {group} || '%'"

# Which notice cites which (the citation_links view); {cond} on l.
CITATION_LINKS = """
select l.citing_id, l.citing_number, l.citing_title, l.cited_title, l.cited_number, l.cited_id, l.cited_path,
       l.evidence, l.page
  from citation_links l where {cond} order by l.citing_number, l.cited_number"""

# A notice's phases; {cond} on p and d.
PHASES = f"""
select {NOTICE} as notice, p.name, p.start_date, p.end_date, p.time_text, p.evidence, p.page, d.path as file
  from phases p join documents d on d.id = p.document_id where {{cond}}
 order by coalesce(p.start_date, p.end_date), d.path, p.seq"""

# Notices whose words match the FTS5 expression {match}; their text too short for the index: DOCUMENT_LIKE
DOCUMENT_FTS = "select rowid from documents_fts where documents_fts match {match}"
DOCUMENT_MATCH = f"d.id in ({DOCUMENT_FTS})"
DOCUMENT_LIKE = "d.text like '%' || {text} || '%'"

# The rows of a query text above, counted ({rows}: that text); a list the CLI shows a page of says this
# total, unless the query has a cheaper way (count_deadlines). The desk's home (its dashboard) counts
# and groups the same rows from the tables' indexes (count_deadlines, DEADLINES_BY_ACTOR, CALENDAR_BY_MONTH):
# a count on the desk is the number of rows the CLI prints, which tests hold.
COUNT_ROWS = "select count(*) as n from ({rows})"
# Dated points of the calendar per month, per kind (deadline, phase_start…), from the day {start} to the end
# of the {months}th month (the month of {start} being the first): the calendar view's rows counted from the
# date indexes of its four parts (its join to documents drops no row).
CALENDAR_BY_MONTH = """
select month, kind, sum(n) as n from (
  select substr(start_date, 1, 7) as month, 'phase_start' as kind, count(*) as n from phases
   where start_date >= {start} and start_date < date({start}, 'start of month', '+' || {months} || ' months') group by 1
  union all
  select substr(end_date, 1, 7), 'phase_end', count(*) from phases
   where end_date >= {start} and end_date < date({start}, 'start of month', '+' || {months} || ' months') group by 1
  union all
  select substr(date, 1, 7), 'deadline', count(*) from deadlines
   where date >= {start} and date < date({start}, 'start of month', '+' || {months} || ' months') group by 1
  union all
  select substr(deadline, 1, 7), 'duty_deadline', count(*) from duties
   where deadline >= {start} and deadline < date({start}, 'start of month', '+' || {months} || ' months') group by 1)
 group by 1, 2 order by 1, 2"""
# The rows of ``deadlines_sql(…, {cond})`` per responsible body as written, most first (a row without one:
# '', the caller labels it), from the two tables alone (the join to documents drops no row).
DEADLINES_BY_ACTOR = """
select coalesce(nullif(trim(actor), ''), '') as actor, count(*) as n from (
  select x.actor from deadlines x where x.date is not null and {x_cond}
  union all
  select u.actor from duties u where u.deadline is not null and {u_cond})
 group by 1 order by n desc, actor"""


def deadlines_by_actor_sql(cond: str = "1") -> str:
    """DEADLINES_BY_ACTOR with ``cond`` (on ``{date}``, ``{uid}``) applied to both kinds."""
    return DEADLINES_BY_ACTOR.format(**_kind_conds(cond))


# Notices per issuer and year (of 成文日期), the issuers with most notices first.
NOTICES_BY_ISSUER_YEAR = """
select coalesce(nullif(trim(d.issuer), ''), '') as issuer, d.year, count(*) as n,
       sum(count(*)) over (partition by coalesce(nullif(trim(d.issuer), ''), '')) as total
  from documents d group by 1, 2 order by total desc, issuer, d.year"""
# The latest notices (by 成文日期, then the order they came in); {limit}: how many.
LATEST_NOTICES = """
select d.signed_date, d.doc_number, d.title, d.issuer, d.path
  from documents d order by d.signed_date desc, d.id desc limit {limit}"""  # (SQLite puts NULLs last in a descending order)

# One notice's page: its row, then each kind of fact in order (?1: the document id).
NOTICE_ROW = "select * from documents where id = ?"
NOTICE_FACTS = "select * from {table} x where x.document_id = ? order by x.seq"
NOTICE_CITES = ("select c.*, t.id as target_id, t.path as target_path from citations c left join documents t on t.id = c.cited_document_id "
                "where c.document_id = ? order by c.seq")
NOTICE_CITED_BY = ("select d.id, d.doc_number, d.title, d.path, c.evidence from citations c "
                   "join documents d on d.id = c.document_id where c.cited_document_id = ? order by d.signed_date")


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


# the rows the desk marked done, and the others, as conditions on a uid column ({uid}; the marks are few)
MARKED_DONE = "{uid} in (select uid from desk.duty_status where status = 'done')"
NOT_DONE = "{uid} not in (select uid from desk.duty_status where status = 'done')"


class Rows(list):
    """The rows a query returns, the first ``limit`` of them when it was given one; ``total`` is how
    many match (more than ``len(rows)`` when the limit cut the list: what a terminal says it left out)."""

    total: int = 0


def _fetch(conn, sql: str, order: str, params=(), limit: int | None = None, *, marks: bool = False,
           status: str | None = None, count=None, window: bool = False) -> Rows:
    """The rows of ``sql`` in ``order`` (ORDER BY on its output columns), the first ``limit`` of them
    when a limit is given, with the desk's marks when ``marks`` (only the rows of that ``status``
    when one is given). A page without a status has the marks joined to its rows only, not to every
    row before it. The total: counted in the same pass as the page with ``window`` (for a filter
    that must look at every row anyway, as a LIKE does), else by ``count()`` when the query has a
    cheap way (index counts), else a count of ``sql``'s rows."""
    limit = int(limit) if limit else None
    if marks and (status or not limit):
        sql, marks = _marked(sql, status), False
    window = window and bool(limit)
    page = (f"select *{', count(*) over () as _total' if window else ''} from ({sql}) {order}"
            + (f" limit {limit}" if limit else ""))
    if marks:
        page = f"{_marked(page)} {order}"
    rows = Rows(_rows(conn, page, params))
    rows.total = len(rows)
    if window:
        rows.total = rows[0]["_total"] if rows else 0
        for r in rows:
            del r["_total"]
    elif limit and len(rows) == limit:
        rows.total = count() if count else conn.execute(COUNT_ROWS.format(rows=sql), params).fetchone()[0]
    return rows


def _check_status(status: str | None) -> None:
    if status is not None and status not in STATUSES:
        raise QueryError(f"--status {status}: choose open or done")


def _marked(sql: str, status: str | None = None) -> str:
    """``sql`` (rows with a ``uid``) with the columns every markable row carries: its 办结 status (open
    unless marked), who marked it and when, and the desk's notes on it (oldest first, one a line);
    only the rows of that ``status`` when one is given (the ``:status`` parameter). The marks are
    joined by uid (one lookup a row; a desk holds few notes, aggregated once)."""
    return (f"select q.*, coalesce(s.status, 'open') as status, s.[by] as status_by, s.at as status_at, "
            f"n.notes from ({sql}) q left join desk.duty_status s on s.uid = q.uid "
            f"left join (select uid, group_concat(text || coalesce('（' || [by] || '）', ''), char(10)) as notes "
            f"from (select * from desk.notes order by id) group by uid) n on n.uid = q.uid"
            + (" where coalesce(s.status, 'open') = :status" if status else ""))


def _rows(conn, sql, params=()) -> list[dict]:
    return [dict(r) for r in conn.execute(sql, params)]


def parse_date(value: str | date | None, what: str = "date") -> date | None:
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise QueryError(f"{what}: '{value}' is not a date (use YYYY-MM-DD)") from None


def _doc_filter(doc: str | None, clauses: list, params: dict) -> None:
    if doc:
        # the title match scans the (covering) title index, not every documents row: 35x faster at 10,000
        clauses.append("(d.doc_number = :doc_number or d.path = :doc or d.id in "
                       "(select id from documents where title like :doc_title))")
        params.update(doc_number=canonical_doc_number(doc) or doc, doc=doc, doc_title=f"%{doc}%")


def duties(conn, *, actor=None, period=None, doc=None, search=None, status=None, limit=None) -> Rows:
    """Quantified duties; ``actor`` matches the raw wording or its group, ``search`` is Chinese full text,
    ``status`` (open/done) the desk's 办结 mark; each row carries its marks (status, by, at, notes).
    ``limit``: the first so many (``total`` counts them all)."""
    _check_status(status)
    clauses, params = [], {"status": status}
    if actor:
        clauses.append(DUTY_ACTOR.format(actor=":actor"))
        params["actor"] = actor
    if period:
        clauses.append("u.period = :period" if period != "none" else "u.period is null")
        params["period"] = period
    _doc_filter(doc, clauses, params)
    if search:
        match = fts_query(search)
        if match:
            clauses.append(DUTY_MATCH.format(match=":match"))
            params["match"] = match
        else:  # one character: too short for the word index
            clauses.append(DUTY_LIKE.format(text=":text"))
            params["text"] = search.strip()
    if status == "done":  # the few duties the desk marked done, found from the marks (the uid index)
        clauses.append(MARKED_DONE.format(uid="u.uid"))
    rows = _fetch(conn, DUTIES.format(cond=" and ".join(clauses) or "1"), "order by file, seq", params, limit,
                  marks=True, status=None if status == "done" else status, window=True)
    for r in rows:
        del r["seq"]
    return rows


def deadlines(conn, *, before=None, after=None, overdue=False, as_of=None, upcoming=None, status=None,
              limit=None) -> Rows:
    """Dated deadlines (of the 限期 kind and of duties), earliest first, with the desk's 办结 marks.

    ``overdue``: dated before ``as_of`` (default today) and not marked done (unless ``status='done'``
    asks for exactly those); ``upcoming=N``: due within N days of ``as_of``; ``status``: open or done;
    ``limit``: the first so many (``total`` counts them all).
    """
    _check_status(status)
    if overdue and status is None:
        status = "open"  # an item marked 办结 is not overdue, whatever its date
    as_of = parse_date(as_of, "--as-of") or date.today()
    before, after = parse_date(before, "--before"), parse_date(after, "--after")
    # (condition on the date column, named parameters)
    conds, named = [], {"as_of": as_of.isoformat(), "status": status}
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
    cond = " and ".join(conds) or "1"
    inner, marked = cond, status
    if status == "done":  # the few items the desk marked done, found from the marks (the uid indexes)
        inner, marked = f"{cond} and {MARKED_DONE.format(uid='{uid}')}", None
    rows = _fetch(conn, deadlines_sql(":as_of", inner), "order by date, file", named, limit, marks=True,
                  status=marked, count=lambda: count_deadlines(conn, cond, named, status))
    for r in rows:
        if r["days_overdue"] is not None and r["days_overdue"] <= 0:
            r["days_overdue"] = None
    return rows


def count_deadlines(conn, cond: str, named: dict, status: str | None = None) -> int:
    """How many rows ``deadlines_sql(…, cond)`` gives (``cond`` on ``{date}``), from the date indexes
    (every fact belongs to a notice, so the join to documents changes no count): all of them, or
    (``status``) those not marked done on the desk or only those marked done
    (few: the marks drive that count, a CROSS JOIN keeping them the outer loop)."""
    conds = _kind_conds(cond)

    def total(marked: bool) -> int:
        parts = []
        for table, a, col in DEADLINE_KINDS:
            where = f"{a}.{col} is not null and {conds[a + '_cond']}"
            parts.append(f"(select count(*) from desk.duty_status s cross join {table} {a} on {a}.uid = s.uid "
                         f"where s.status = 'done' and {where})" if marked else
                         f"(select count(*) from {table} {a} where {where})")
        return conn.execute("select " + " + ".join(parts), named).fetchone()[0]

    if status == "done":
        return total(True)
    n = total(False)
    return n - total(True) if status == "open" else n


def calendar(conn, *, start=None, end=None, limit=None) -> Rows:
    """Every dated thing (phase starts and ends, deadlines, duty deadlines) on one timeline."""
    clauses, params = ["1"], []
    if start:
        clauses.append("c.date >= ?")
        params.append(parse_date(start, "start").isoformat())
    if end:
        clauses.append("c.date <= ?")
        params.append(parse_date(end, "end").isoformat())
    rows = _fetch(conn, CALENDAR.format(cond=" and ".join(clauses)), "order by date, document_id", params, limit,
                  marks=True)
    for r in rows:
        del r["document_id"]
    return rows


def people(conn, name=None, *, current=False, group=None, limit=None) -> Rows:
    """Every role of every person (or of the people called ``name``: the exact name if anyone has
    it, else names containing it), one row per role.

    A roster role's ``standing`` is ``current``, or ``superseded`` when a later notice re-staffed the
    same group (``superseded_by``: that notice; pipeline.tracker.link). ``current`` leaves superseded
    roles out; ``group`` keeps the roster roles of groups whose name contains it (``--current --group
    X``: who is on X now).
    """
    cond = PERSON_NAME.format(name=":name") if name else "1"
    roster = [CURRENT_ROLE] if current else []
    if group:
        roster.append(GROUP_NAMED.format(group=":group"))
    sql = "select * from (" + PEOPLE.format(cond=cond, roster_cond=" and ".join(roster) or "1",
                                            duty_cond="0" if group else "1") + ")"
    rows = _fetch(conn, sql, "order by name, person, document_id, src, seq",
                  {"name": name, "group": (group or "").replace("“", "").replace("”", "").strip()}, limit)
    for r in rows:
        del r["document_id"], r["src"], r["seq"]
    return rows


def docs(conn, *, issuer=None, year=None, limit=None) -> Rows:
    """The notices, newest first (by 成文日期), with their counts of facts and their files; ``limit``:
    the first so many (``total`` counts them all)."""
    clauses, params = [], []
    if issuer:
        clauses.append("d.issuer like ?")
        params.append(f"%{issuer}%")
    if year:
        clauses.append("d.year = ?")
        params.append(int(year))
    where = ("where " + " and ".join(clauses)) if clauses else ""
    sql = (f"select d.doc_number, d.title, d.doc_type, d.issuer, d.signed_date, "
           f"(select count(*) from duties u where u.document_id = d.id) as duties, "
           f"(select count(*) from deadlines x where x.document_id = d.id) as deadlines, "
           f"(select count(*) from roster_members m where m.document_id = d.id) as roster, "
           f"d.path as file, (select group_concat(f.path, '、') from document_files f "
           f"where f.document_id = d.id) as files, "
           f"(select count(*) from document_files f where f.document_id = d.id) as n_files "
           f"from documents d {where}")
    return _fetch(conn, sql, "order by signed_date desc, file", params, limit,
                  count=lambda: conn.execute(f"select count(*) from documents d {where}", params).fetchone()[0])


def doc(conn, key: str) -> dict:
    """One notice in full: its record plus the links the tracker made (cites / cited by)."""
    # a 文号 as the notices print it ([2018], (2018), no 号) is looked up in the records' form 〔2018〕…号
    number = canonical_doc_number(key) or key
    row = conn.execute("select * from documents d where d.doc_number = ? or d.path = ? or d.file = ? "
                       "or d.id in (select document_id from document_files where path = ?) "
                       "order by d.id limit 1", [number, key, str(Path(key).resolve()), key]).fetchone()
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
        "files": [r[0] for r in conn.execute("select path from document_files where document_id = ? order by id",
                                             [row["id"]])] or [row["path"]],
        "cites": [{k: r[k] for k in ("cited_title", "cited_number", "cited_path")} for r in _rows(
            conn, CITATION_LINKS.format(cond="l.citing_id = ? and l.cited_id is not null"), [row["id"]])],
        "cited_by": [{"citing_number": r["doc_number"], "citing_title": r["title"], "path": r["path"]}
                     for r in _rows(conn, NOTICE_CITED_BY, [row["id"]])],
    }
    return record


def unresolved_citations(conn) -> list[dict]:
    return [{k: r[k] for k in ("citing_number", "citing_title", "cited_title", "cited_number", "evidence")}
            for r in _rows(conn, CITATION_LINKS.format(cond="l.cited_id is null"))]


def ambiguous_people(conn) -> list[dict]:
    return _rows(conn, "select id as person, name, place, titles, n_roles, note from ambiguous_people order by name, id")


def failures(conn) -> list[dict]:
    return _rows(conn, "select path, reason, first_seen, last_seen from failures order by path")


def runs(conn, limit=10) -> list[dict]:
    return _rows(conn, f"select * from runs order by id desc limit {int(limit)}")
