"""The desk's Datasette plugin (registered by pipeline.desk.make_datasette, not by an entry point).

Hooks:
- ``prepare_connection``: on every tracker connection, the SQL functions ``jieba_query(q)`` (the
  FTS5 MATCH expression of pipeline.search.fts_query, NULL when the query needs the LIKE fallback),
  ``desk_snippet(text, q)`` and a jieba-aware ``escape_fts`` (so the table pages' own search box
  finds two-character words too); the desk database attached read-only as ``desk``; the tracker
  ``query_only``.
- ``asgi_wrapper``: the guards of pipeline.desk.guard (methods, body size, CSRF cookie, login
  throttle) and, before each request, a rebuilt tracker swapped in (pipeline.desk.live);
  ``get_metadata``: the tracker's labels and canned queries under its current version's name.
- routes: ``/-/notice/<key>`` (and ``/-/notice?key=文号``) the page of one notice, ``<key>`` being
  :func:`notice_key` (stable across rebuilds); ``/-/file/<key>`` its original file (only files
  recorded in documents.file); ``/-/desk.ics`` the calendar feed; ``POST /-/desk/status`` and
  ``/-/desk/note`` (write mode, logged-in users only).
- ``register_magic_parameters`` / ``extra_template_vars``: the canned queries' pages (``?_page=N``).
- ``render_cell``: 发文字号 and titles link to the notice page.
- ``prepare_jinja2_environment``: the column labels and hidden columns for the table template.
- ``handle_exception``: status pages and one log line per unexpected error.
"""
from __future__ import annotations

import functools
import hashlib
import html
import re
import threading
import weakref
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import quote

from datasette import hookimpl
from datasette.utils import to_css_class
from datasette.utils.asgi import Response, asgi_send_file
from markupsafe import Markup

from pipeline.desk import guard
from pipeline.readers.txt import decode_text
from pipeline.desk.live import is_tracker, refresh, tracker_db, tracker_metadata, tracker_name
from pipeline.desk.metadata import DESK, HIDDEN, PAGE_ROWS, TRACKER
from pipeline.text.labels import COMPARATORS, EVENT_KINDS, PERIODS
from pipeline.tracker import queries as Q

NAME = "duban-desk"
FACT_TABLES = ("phases", "deadlines", "duties", "roster_groups", "roster_members", "assignments", "citations",
               "benchmarks")


def config(datasette) -> dict:
    return datasette.plugin_config(NAME) or {}


# -- SQL functions --------------------------------------------------------------------------------

def jieba_query(q):
    from pipeline.tracker.search import fts_query

    if q is None or not str(q).strip():
        return None
    return fts_query(str(q))


def jieba_escape_fts(q):
    """Datasette's escape_fts for the table search box, cut into words the way the index was."""
    if q is None or not str(q).strip():
        return '""'
    m = jieba_query(q)
    if m:
        return m
    # one character: no index word is that short; match words that start with it
    return " AND ".join('"' + t.replace('"', '""') + '"*' for t in str(q).split())


def desk_snippet(text, q, width=36):
    """The first place in ``text`` where a word of ``q`` occurs, with ``width`` characters around it."""
    if not text or not q:
        return None
    terms = _snippet_terms(str(q))
    hits = [(text.find(t), t) for t in terms if text.find(t) >= 0]
    if not hits:
        return None
    at, t = min(hits)
    a, b = max(0, at - width), min(len(text), at + len(t) + width)
    return ("…" if a else "") + text[a:b].replace("\n", " ") + ("…" if b < len(text) else "")


@functools.lru_cache(maxsize=256)
def _snippet_terms(q: str) -> tuple[str, ...]:
    """The words of a query, longest first (cut once per query, not once per row)."""
    from pipeline.text import segment

    return tuple(sorted({w for w in segment.jieba().cut(q.strip()) if w.strip()}, key=len, reverse=True)) or (q,)


@hookimpl(trylast=True)  # after Datasette's own escape_fts, so ours wins on the tracker
def prepare_connection(conn, database, datasette):
    cfg = config(datasette)
    if not cfg or not is_tracker(database):
        return
    conn.execute("pragma query_only = 1")  # the desk never writes the tracker; rebuilds replace it
    # deterministic: SQLite computes jieba_query(:关键词) once per statement, not once per row scanned
    conn.create_function("jieba_query", 1, jieba_query, deterministic=True)
    conn.create_function("desk_snippet", 2, desk_snippet, deterministic=True)
    conn.create_function("escape_fts", 1, jieba_escape_fts, deterministic=True)
    desk = cfg.get("desk_path")
    if desk and Path(desk).exists():
        attached = {r[1] for r in conn.execute("pragma database_list")}
        if "desk" not in attached:
            conn.execute("attach database ? as desk", [f"file:{quote(str(Path(desk).resolve()))}?mode=ro"])


@hookimpl
def get_metadata(datasette, key, database, table):
    """The tracker's titles, labels and canned queries, under the name of the version being served."""
    return tracker_metadata(datasette)


@hookimpl(trylast=True)  # the outermost wrapper: before the basic-auth check of datasette-auth-passwords
def asgi_wrapper(datasette):
    """In front of everything (pipeline.desk.guard): allowed methods, bounded request bodies, the CSRF
    cookie on forms, the login throttle; before each request, follow a rebuilt tracker (live)."""
    def wrap(app):
        async def desk_app(scope, receive, send):
            if scope.get("type") == "http":
                refresh(datasette)
            await app(scope, receive, send)
        throttle = guard.LoginThrottle()
        return guard.read_only_methods(guard.bounded_body(guard.csrf_cookie_required(throttle.wrap(desk_app))))
    return wrap


@hookimpl
def startup(datasette):
    """Load jieba and the official-vocabulary dictionary before the first search (seconds, not per query)."""
    if not config(datasette):
        return None

    async def warm():
        import asyncio

        await asyncio.get_running_loop().run_in_executor(None, jieba_query, "调研")

    return warm


# -- errors -----------------------------------------------------------------------------------------

@hookimpl
def handle_exception(datasette, request, exception):
    """Errors as a status page and one short log line (Datasette's default handler, unregistered by
    make_datasette, printed a full traceback with every local, the request scope included, even
    for a 404). Only an unexpected error (500) is logged; its message is not shown to the client."""
    from datasette.utils.asgi import Base400
    from datasette.views.base import DatasetteError

    async def inner():
        title, info = None, {}
        if isinstance(exception, Base400):
            status, message = exception.status, str(exception.args[0] if exception.args else exception)
        elif isinstance(exception, DatasetteError):  # Datasette's errors in what was asked (bad sort, SQL…)
            status, message, title = exception.status, exception.message, exception.title
            status = 400 if status >= 500 else status
            info = dict(exception.error_dict or {})
            if exception.message_is_html:
                message = Markup(message)
        elif isinstance(exception, OverflowError):  # an id too large for SQLite: no such row
            status, message = 404, "not found"
        else:
            status, message = 500, "internal error (logged on the server)"
        if status >= 500:
            where = f"{request.method} {request.path}"[:200]
            detail = " ".join(str(exception).split())[:200]
            log(f"desk: {status} {where}: {type(exception).__name__}: {detail}")
        info.update({"ok": False, "error": message, "status": status, "title": title})
        if request.path.split("?")[0].endswith(".json"):
            return Response.json(info, status=status)
        template = datasette.jinja_env.select_template([f"{status}.html", "error.html"])
        return Response.html(await template.render_async(dict(info, urls=datasette.urls,
                                                              app_css_hash=datasette.app_css_hash(),
                                                              menu_links=lambda: [])), status=status)
    return inner


def log(line: str) -> None:
    import sys

    print(line, file=sys.stderr, flush=True)


# -- templates ------------------------------------------------------------------------------------

@hookimpl
def prepare_jinja2_environment(env, datasette):
    env.globals["desk_hidden"] = {k: sorted(v) for k, v in HIDDEN.items()}
    # Datasette's filter hashes non-ASCII (Chinese) column names with md5 and a regex, once per cell:
    # a third of a canned query page's rendering time. The names are few: remember them.
    env.filters["to_css_class"] = functools.lru_cache(maxsize=4096)(to_css_class)
    env.globals["desk_is_tracker"] = is_tracker
    env.globals["notice_key"] = notice_key
    env.globals.update(desk_db_title=db_title, desk_table_title=table_title, desk_label=column_label,
                       desk_value=coded_value, desk_lookup=lookup_label, desk_crumb=crumb_label,
                       desk_facet_type=lambda t: FACET_TYPES.get(t, t), desk_describe=describe,
                       desk_query_hidden=QUERY_HIDDEN, desk_menu_label=lambda label: MENU.get(label, label))


# -- Chinese for Datasette's own words (the templates of pipeline/desk/templates call these) -----------------

# columns of a canned query left out of its HTML table (still in its JSON and CSV): uid keys the 办结 marks
QUERY_HIDDEN = frozenset({"uid"})
LOOKUPS = {"exact": "等于", "not": "不等于", "contains": "包含", "endswith": "结尾是", "startswith": "开头是",
           "gt": "大于", "gte": "大于等于", "lt": "小于", "lte": "小于等于", "like": "模式匹配（%通配）",
           "notlike": "模式不匹配（%通配）", "glob": "通配符匹配（*通配）", "in": "属于", "notin": "不属于",
           "arraycontains": "列表包含", "arraynotcontains": "列表不包含", "date": "日期是",
           "isnull": "为空", "notnull": "不为空", "isblank": "为空白", "notblank": "不为空白"}
# other plugins' menu links (datasette-auth-passwords, Datasette's own for root)
MENU = {"Log in": "登录", "Databases": "数据库", "Installed plugins": "已装插件", "Version info": "版本信息",
        "Settings": "设置", "Debug permissions": "权限调试", "Debug messages": "消息调试", "Debug allow rules": "权限规则调试"}
FACET_TYPES = {"date": "按日", "array": "列表"}
# coded values shown as words, per column (any table): the words of pipeline.text.labels
VALUE_WORDS = {"period": PERIODS, "comparator": COMPARATORS, "kind": EVENT_KINDS,
               "status": {"done": "已办结", "open": "未办结"}, "ambiguous": {0: "否", 1: "是", "0": "否", "1": "是"},
               "ocr": {0: "否", 1: "是", "0": "否", "1": "是"}, "source": {"roster": "领导小组", "assignment": "分工"}}


def _meta_tables(database) -> dict:
    from pipeline.desk.metadata import DESK_TABLES, TABLES

    return DESK_TABLES if database == DESK else TABLES


def db_title(database) -> str:
    return "督办台账" if is_tracker(database) else "督办记录" if database == DESK else str(database)


def table_title(database, table) -> str:
    return _meta_tables(database).get(table, {}).get("title") or str(table)


def column_label(database, table, column) -> str:
    return _meta_tables(database).get(table, {}).get("columns", {}).get(column) or str(column)


def coded_value(table, column, value) -> str:
    """A facet's value as a person reads it: 每年 for year, 已办结 for done, （空） for nothing."""
    if value is None or value == "":
        return "（空）"
    return VALUE_WORDS.get(column, {}).get(value, str(value))


def lookup_label(key, display) -> str:
    return LOOKUPS.get(key, display)


def crumb_label(index, label, database=None) -> str:
    if index == 0 and label == "home":
        return "首页"
    if label == database or is_tracker(label) or label == DESK:
        return db_title(label)
    return table_title(database, label) if database else str(label)


def describe(database, table, selections, search, sort, sort_desc) -> str:
    """Datasette's ``human_description_en`` in Chinese: the filters, the search and the sort of a table page."""
    parts = []
    for column, lookup, value in selections:
        word = LOOKUPS.get(lookup, lookup)
        shown = coded_value(table, column, value) if lookup == "exact" else value
        parts.append(f"{column_label(database, table, column)}{word}{'' if lookup in ('isnull', 'notnull', 'isblank', 'notblank') else '“' + str(shown) + '”'}")
    if search:
        parts.append(f"检索“{search}”")
    if sort:
        parts.append(f"按{column_label(database, table, sort)}升序")
    elif sort_desc:
        parts.append(f"按{column_label(database, table, sort_desc)}降序")
    return "，".join(parts)


@hookimpl
def register_magic_parameters(datasette):
    """``:_page_size`` and ``:_page_offset``: the canned queries' page (``?_page=N``, PAGE_ROWS rows)."""
    def page(key, request):
        if key == "size":
            return PAGE_ROWS
        if key == "offset":
            return (current_page(request) - 1) * PAGE_ROWS
        raise KeyError(key)
    return [("page", page)]


def current_page(request) -> int:
    raw = (request.args.get("_page") or "1").strip()
    return min(int(raw), 1_000_000) if raw.isdigit() and int(raw) > 0 else 1


@hookimpl
def extra_template_vars(template, request):
    if request is None or not template.startswith("query"):
        return None
    from datasette.utils import path_with_replaced_args

    page = current_page(request)
    return {"desk_page": page, "desk_page_rows": PAGE_ROWS,
            "desk_prev_url": path_with_replaced_args(request, {"_page": str(page - 1) if page > 2 else None}),
            "desk_next_url": path_with_replaced_args(request, {"_page": str(page + 1)})}


@hookimpl
def render_cell(row, value, column, table, database, datasette):
    if value in (None, ""):
        return None
    if table and column in VALUE_WORDS and (is_tracker(database) or database == DESK) \
            and isinstance(value, (str, int)) and value in VALUE_WORDS[column]:
        return VALUE_WORDS[column][value]  # 每年, not year; 已办结, not done
    if not is_tracker(database):
        return None
    if table == "documents" and column == "title" and "path" in row.keys():
        return Markup(f'<a href="/-/notice/{notice_key(row["path"])}">{html.escape(str(value))}</a>')
    if (table in (None, "documents", "calendar") and column in ("doc_number", "文件", "引用文件", "被引文号")) or \
            (table == "citations" and column == "doc_number"):
        return Markup(f'<a href="/-/notice?key={quote(str(value))}">{html.escape(str(value))}</a>')
    return None


# short Chinese columns of the canned queries stay on one line (Datasette's classes for non-ASCII names are hashes)
_NOWRAP = ("到期日", "逾期天数", "剩余天数", "开始", "结束", "天数", "完成时限", "状态", "类型", "类别", "角色", "页码", "台账")
DESK_CSS = ", ".join(f"td.col-{to_css_class(c)}" for c in _NOWRAP) + """ { white-space: nowrap; }
table.rows-and-columns th small.desk-colname { font-weight: normal; color: #888; }
td.col-uid { font-size: .75em; color: #888; }
"""


@hookimpl
def extra_css_urls(datasette):
    return ["/-/desk.css"] if config(datasette) else []


async def desk_css(request):
    return Response(DESK_CSS, content_type="text/css; charset=utf-8")


@hookimpl
def menu_links(datasette, actor):
    if not config(datasette):
        return None
    return [{"href": "/-/desk.ics", "label": "日历订阅 (.ics)"}]


# -- routes ---------------------------------------------------------------------------------------

@hookimpl
def register_routes():
    return [
        (r"^/$", dashboard_page),
        (r"^/-/notice$", notice_lookup),
        (r"^/-/notice/(?P<key>[0-9a-f]{16})$", notice_page),
        (r"^/-/notice/(?P<id>\d+)$", old_notice_link),
        (r"^/-/file/(?P<key>[0-9a-f]{16})$", notice_file),
        (r"^/-/desk\.ics$", calendar_feed),
        (r"^/-/desk\.css$", desk_css),
        (r"^/-/desk/status$", mark_status),
        (r"^/-/desk/note$", add_note),
    ]


async def _can_view(datasette, request):
    return await datasette.permission_allowed(request.actor, "view-instance", default=True) and \
        await datasette.permission_allowed(request.actor, "view-database", resource=tracker_name(datasette), default=True)


def _forbidden(message):
    return Response.text(message + "\n", status=403)


# -- stable page links ------------------------------------------------------------------------------

def notice_key(path) -> str:
    """The stable key of a notice's page and file links: from its inbox path (unique in a tracker).

    A document's numeric id changes when the tracker is rebuilt after an edit, and a removed
    notice's id goes to another; the key stays while the notice keeps its file (edits included)
    and never names another notice.
    """
    return hashlib.sha1(f"notice|{path}".encode("utf-8")).hexdigest()[:16]


_KEYS: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()  # Database (a tracker version) -> {key: id}
_KEYS_LOCK = threading.Lock()


def _document_id_in(conn, db, key: str):
    """The id of the notice with this key in this version of the tracker, or None (on a database
    thread, ``conn`` being ``db``'s). A rebuild updates the tracker in place and adds a row to
    ``runs``: the key map is made again after each run, by one thread while the others wait."""
    run_id = conn.execute("select coalesce(max(id), 0) from runs").fetchone()[0]
    cached = _KEYS.get(db)
    if cached is None or cached[0] != run_id:
        with _KEYS_LOCK:
            cached = _KEYS.get(db)
            if cached is None or cached[0] != run_id:
                rows = conn.execute("select id, path from documents").fetchall()
                cached = _KEYS[db] = (run_id, {notice_key(path): i for i, path in rows})
    return cached[1].get(key)


async def _document_id(db, key: str):
    return await db.execute_fn(lambda conn: _document_id_in(conn, db, key))


async def dashboard_page(request, datasette):
    """``/``: the 督办 dashboard (pipeline.desk.dashboard) for the day ``?日期=`` (default today)."""
    from pipeline.desk import dashboard

    if not await _can_view(datasette, request):
        return _forbidden("forbidden")
    try:
        as_of = dashboard.parse_as_of(request.args.get("日期"))
    except ValueError as e:
        return Response.html(f"<p>{html.escape(str(e))}。<a href='/'>返回首页</a></p>", status=400)
    desk_ok = _desk_attached(datasette)
    facts = await tracker_db(datasette).execute_fn(lambda conn: dashboard.facts(conn, as_of, desk_ok))
    ctx = {"as_of": as_of.isoformat(), "f": facts, "specs": dashboard.specs(facts, as_of),
           "links": dashboard.links(as_of), "desk_ok": desk_ok, "vega": dashboard.vega_dir() is not None,
           "timeline_end": dashboard.timeline_end(as_of).isoformat()}
    return Response.html(await datasette.render_template("duban_dashboard.html", ctx, request=request))


async def old_notice_link(request, datasette):
    """``/-/notice/6``: the numeric ids of older links name no notice for sure after a rebuild."""
    return Response.html(
        "<p>这个链接用的是旧的文件编号，重建台账后可能已指向别的文件，所以不再使用。"
        f"请从<a href='/{TRACKER}/documents'>文件一览</a>或按发文字号（/-/notice?key=文号）打开文件页。</p>",
        status=404)


async def notice_lookup(request, datasette):
    if not await _can_view(datasette, request):
        return _forbidden("forbidden")
    key = (request.args.get("key") or "").strip()
    db = tracker_db(datasette)
    rows = (await db.execute("select path from documents where doc_number = :k or path = :k order by id limit 1",
                             {"k": key})).rows if key else []
    if not rows and key:
        rows = (await db.execute("select path from documents where title like :k order by id limit 2",
                                 {"k": f"%{key}%"})).rows
        rows = rows if len(rows) == 1 else []
    if not rows:
        return Response.html(f"<p>台账中没有文件“{html.escape(key)}”。<a href='/{TRACKER}/documents'>文件一览</a></p>",
                             status=404)
    return Response.redirect(f"/-/notice/{notice_key(rows[0]['path'])}")


def _copies(conn, doc_id, path) -> list[str]:
    """The other files this notice was also filed as (the tracker's document_files; none in a
    tracker older than it)."""
    try:
        rows = conn.execute("select path from document_files where document_id = ? and path != ? order by id",
                            [doc_id, path or ""]).fetchall()
    except Exception:  # an older tracker, until its next rebuild migrates it
        return []
    return [r[0] for r in rows]


async def notice_page(request, datasette):
    if not await _can_view(datasette, request):
        return _forbidden("forbidden")
    db, key = tracker_db(datasette), request.url_vars["key"]
    desk_ok = _desk_attached(datasette)

    def page(conn):
        doc_id = _document_id_in(conn, db, key)
        facts = _notice_facts(conn, doc_id, desk_ok) if doc_id is not None else None
        if facts is not None:
            facts["copies"] = _copies(conn, doc_id, facts["doc"].get("path"))
        return facts

    # every query of the page in one trip to a database thread: under load each trip waits its turn
    # in Datasette's small thread pool (behind the other pages' queries), so each trip more made a
    # notice page one wait longer
    facts = await db.execute_fn(page)
    if facts is None:
        return Response.html("<p>台账中没有这个文件（可能已从收件箱移除）。"
                             f"<a href='/{TRACKER}/documents'>文件一览</a></p>", status=404)
    d = facts.pop("doc")
    ctx = {
        "doc": d,
        "key": notice_key(d["path"]),
        "addressees": ", ".join(_json_list(d.get("addressees"))),
        **facts,  # the facts and the other files it was filed as (copies)
        "file_ok": bool(d.get("file")) and Path(d["file"]).is_file(),
        "write": bool(config(datasette).get("write")) and desk_ok,
        "periods": PERIODS,
        "comparators": COMPARATORS,
    }
    ctx["groups"], ctx["members"] = ctx.pop("roster_groups"), ctx.pop("roster_members")
    for g in ctx["groups"]:
        g["members"] = [m for m in ctx["members"] if m["group_id"] == g["id"]]
    return Response.html(await datasette.render_template("duban_notice.html", ctx, request=request))


def _notice_facts(conn, doc_id: int, desk_ok: bool) -> dict | None:
    """Everything a notice page shows, read on one connection (queries.NOTICE_*), or None."""
    def q(sql):
        return [dict(r) for r in conn.execute(sql, [doc_id])]

    found = q(Q.NOTICE_ROW)
    if not found:
        return None

    def facts(table):
        """The table's facts of this notice, with their 办结 status."""
        if not desk_ok:
            return q(Q.NOTICE_FACTS.format(table=table))
        return q(f"select q.*, s.status, s.[by] as status_by, s.at as status_at "
                 f"from ({Q.NOTICE_FACTS.format(table=table)}) q left join desk.duty_status s on s.uid = q.uid "
                 f"order by q.seq")

    notes = {}
    if desk_ok:
        for r in q("select n.uid, n.text, n.[by], n.at from desk.notes n where n.uid in "
                   "(select uid from duties where document_id = ?1 union select uid from deadlines "
                   "where document_id = ?1 union select uid from phases where document_id = ?1) order by n.at"):
            notes.setdefault(r["uid"], []).append(r)
    # deadlines by date (the undated last, each in the order of the text), as a supervisor reads a list of dates
    deadlines = sorted(facts("deadlines"), key=lambda x: (x["date"] is None, x["date"] or "", x["seq"]))
    return {"doc": found[0], "phases": facts("phases"), "deadlines": deadlines, "duties": facts("duties"),
            **{t: q(Q.NOTICE_FACTS.format(table=t)) for t in ("roster_groups", "roster_members", "assignments",
                                                                "benchmarks")},
            "cites": q(Q.NOTICE_CITES), "cited_by": q(Q.NOTICE_CITED_BY), "notes": notes}


async def notice_file(request, send, datasette):
    """The original file of a tracked notice; the id is looked up, no path ever comes from the request."""
    if not await _can_view(datasette, request):
        return await _forbidden("forbidden").asgi_send(send)
    db = tracker_db(datasette)
    doc_id = await _document_id(db, request.url_vars["key"])
    rows = (await db.execute("select file, path, format from documents where id = ?", [doc_id])).rows \
        if doc_id is not None else []
    if not rows or not rows[0]["file"] or not Path(rows[0]["file"]).is_file():
        return await Response.text("file not found\n", status=404).asgi_send(send)
    path = Path(rows[0]["file"])
    ctype = {".txt": "text/plain; charset=utf-8", ".pdf": "application/pdf", ".html": "text/html; charset=utf-8",
             ".htm": "text/html; charset=utf-8",
             ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
             ".doc": "application/msword", ".ofd": "application/ofd", ".zip": "application/zip"}
    ct = ctype.get(path.suffix.lower(), "application/octet-stream")
    if ct.startswith("text/") and path.suffix.lower() == ".txt":
        # GB18030 and UTF-16 text files are sent decoded, as UTF-8 (the readers' own decoder)
        try:
            text = decode_text(path.read_bytes()).text
        except ValueError:   # not text in any encoding the readers know: the bytes as they are
            text = None
        if text is not None:
            return await Response.text(text, headers={"content-disposition": _disposition(path.name, inline=True)}) \
                .asgi_send(send)
    await asgi_send_file(send, str(path), content_type=ct, headers={"content-disposition": _disposition(path.name)})


def _disposition(name: str, inline=False) -> str:
    """RFC 6266: an ASCII fallback ``filename`` and the real name as ``filename*=UTF-8''…``."""
    fallback = "".join(c if c.isascii() and c.isprintable() and c not in '"\\;' else "_" for c in name) or "file"
    return f"{'inline' if inline else 'attachment'}; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


async def calendar_feed(request, datasette):
    """Every phase and deadline as all-day events (text/calendar), for subscription.

    Query string: ``as_of``, ``upcoming`` (days), ``overdue=1``, ``before``, ``after``, ``doc`` — the
    filters of ``duban export --format ics``.
    """
    if not await _can_view(datasette, request):
        return _forbidden("forbidden")
    from pipeline.tracker.export import to_ics
    from pipeline.tracker.queries import QueryError

    a = request.args
    kwargs = {"as_of": a.get("as_of") or None, "before": a.get("before") or None, "after": a.get("after") or None,
              "overdue": a.get("overdue") in ("1", "true", "yes"), "doc": a.get("doc") or None,
              "upcoming": int(a["upcoming"]) if (a.get("upcoming") or "").isdigit() else None}
    if kwargs["upcoming"] is not None and kwargs["upcoming"] > 36600:
        return Response.text("upcoming: at most 36600 days\n", status=400)
    domain = config(datasette).get("uid_domain") or "duban.tracker"
    try:
        body = await tracker_db(datasette).execute_fn(lambda conn: to_ics(conn, domain=domain, **kwargs))
    except QueryError as e:
        return Response.text(str(e) + "\n", status=400)
    return Response(body.decode("utf-8"), content_type="text/calendar; charset=utf-8",
                    headers={"content-disposition": _disposition("duban.ics", inline=True)})


# -- writes (only with duban serve --write, only for a logged-in user) ----------------------------------

def _desk_attached(datasette) -> bool:
    p = config(datasette).get("desk_path")
    return bool(p) and Path(p).exists()


async def _write_guard(request, datasette):
    if request.method != "POST":
        return Response.text("POST only\n", status=405)
    if not config(datasette).get("write"):
        return _forbidden("read-only desk: start it with `duban serve --write` to mark duties and add notes")
    if not request.actor:
        return _forbidden("log in first (/-/login) to mark duties or add notes")
    if not await datasette.permission_allowed(request.actor, "duban-desk-write", default=True):
        return _forbidden(f"{request.actor.get('id')} may not write to the desk")
    return None


async def _fact_document(datasette, uid: str):
    """The page key of the notice holding the fact with this uid, or None (only real facts can be marked)."""
    if not uid or not re.fullmatch(r"[0-9a-f]{8,40}", uid):
        return None
    db = tracker_db(datasette)
    union = " union all ".join(f"select document_id from {t} where uid = :u" for t in FACT_TABLES)
    rows = (await db.execute(f"select d.path from documents d where d.id = (select document_id from ({union}) limit 1)",
                             {"u": uid})).rows
    return notice_key(rows[0][0]) if rows else None


async def mark_status(request, datasette):
    refused = await _write_guard(request, datasette)
    if refused:
        return refused
    form = await request.post_vars()
    uid, status = (form.get("uid") or "").strip(), (form.get("status") or "done").strip()
    if status not in ("done", "open"):
        return Response.text("status must be done or open\n", status=400)
    doc_id = await _fact_document(datasette, uid)
    if doc_id is None:
        return Response.text(f"no duty, deadline or phase with uid {uid!r} in the tracker\n", status=404)
    await datasette.get_database(DESK).execute_write(
        "insert into duty_status (uid, status, [by], at) values (?, ?, ?, ?) on conflict(uid) do update set "
        "status = excluded.status, [by] = excluded.[by], at = excluded.at",
        [uid, status, request.actor.get("id"), _now()])
    datasette.add_message(request, "已标记办结" if status == "done" else "已恢复为未办结", datasette.INFO)
    return Response.redirect(f"/-/notice/{doc_id}#{uid}")


async def add_note(request, datasette):
    refused = await _write_guard(request, datasette)
    if refused:
        return refused
    form = await request.post_vars()
    uid, text = (form.get("uid") or "").strip(), (form.get("text") or "").strip()
    if not text:
        return Response.text("empty note\n", status=400)
    doc_id = await _fact_document(datasette, uid)
    if doc_id is None:
        return Response.text(f"no duty, deadline or phase with uid {uid!r} in the tracker\n", status=404)
    await datasette.get_database(DESK).execute_write(
        "insert into notes (uid, text, [by], at) values (?, ?, ?, ?)", [uid, text[:2000], request.actor.get("id"), _now()])
    datasette.add_message(request, "备注已保存", datasette.INFO)
    return Response.redirect(f"/-/notice/{doc_id}#{uid}")


def _now() -> str:
    return datetime.now(timezone.utc).astimezone().isoformat(timespec="seconds")


def _json_list(value):
    import json

    try:
        v = json.loads(value or "[]")
        return v if isinstance(v, list) else [str(v)]
    except (ValueError, TypeError):
        return [str(value)]

