"""The desk's Datasette plugin (registered by pipeline.desk.make_datasette, not by an entry point).

Hooks:
- ``prepare_connection``: on every tracker connection, the SQL functions ``jieba_query(q)`` (the
  FTS5 MATCH expression of pipeline.search.fts_query, NULL when the query needs the LIKE fallback),
  ``desk_snippet(text, q)`` and a jieba-aware ``escape_fts`` (so the table pages' own search box
  finds two-character words too); the desk database attached read-only as ``desk``.
- routes: ``/-/notice/<id>`` (and ``/-/notice?key=文号``) the page of one notice;
  ``/-/file/<id>`` its original file (only files recorded in documents.file);
  ``/-/desk.ics`` the calendar feed; ``POST /-/desk/status`` and ``/-/desk/note`` (write mode,
  logged-in users only).
- ``render_cell``: 发文字号 and titles link to the notice page.
- ``prepare_jinja2_environment``: the column labels and hidden columns for the table template.
"""
from __future__ import annotations

import html
import re
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import quote

from datasette import hookimpl
from datasette.utils import to_css_class
from datasette.utils.asgi import Response, asgi_send_file
from markupsafe import Markup

from pipeline.desk.metadata import DESK, HIDDEN, TRACKER
from pipeline.text.labels import COMPARATORS, PERIODS

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
    from pipeline.tracker.search import _jieba

    terms = sorted({w for w in _jieba().cut(str(q).strip()) if w.strip()}, key=len, reverse=True) or [str(q)]
    hits = [(text.find(t), t) for t in terms if text.find(t) >= 0]
    if not hits:
        return None
    at, t = min(hits)
    a, b = max(0, at - width), min(len(text), at + len(t) + width)
    return ("…" if a else "") + text[a:b].replace("\n", " ") + ("…" if b < len(text) else "")


@hookimpl(trylast=True)  # after Datasette's own escape_fts, so ours wins on the tracker
def prepare_connection(conn, database, datasette):
    cfg = config(datasette)
    if not cfg or database != TRACKER:
        return
    conn.create_function("jieba_query", 1, jieba_query)
    conn.create_function("desk_snippet", 2, desk_snippet)
    conn.create_function("escape_fts", 1, jieba_escape_fts)
    desk = cfg.get("desk_path")
    if desk and Path(desk).exists():
        attached = {r[1] for r in conn.execute("pragma database_list")}
        if "desk" not in attached:
            conn.execute("attach database ? as desk", [f"file:{quote(str(Path(desk).resolve()))}?mode=ro"])


@hookimpl
def startup(datasette):
    """Load jieba and the official-vocabulary dictionary before the first search (seconds, not per query)."""
    if not config(datasette):
        return None

    async def warm():
        import asyncio

        await asyncio.get_running_loop().run_in_executor(None, jieba_query, "调研")

    return warm


# -- templates ------------------------------------------------------------------------------------

@hookimpl
def prepare_jinja2_environment(env, datasette):
    env.globals["desk_hidden"] = {k: sorted(v) for k, v in HIDDEN.items()}


@hookimpl
def render_cell(row, value, column, table, database, datasette):
    if database != TRACKER or value in (None, ""):
        return None
    if table == "documents" and column == "title":
        return Markup(f'<a href="/-/notice/{int(row["id"])}">{html.escape(str(value))}</a>')
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
        (r"^/-/notice$", notice_lookup),
        (r"^/-/notice/(?P<id>\d+)$", notice_page),
        (r"^/-/file/(?P<id>\d+)$", notice_file),
        (r"^/-/desk\.ics$", calendar_feed),
        (r"^/-/desk\.css$", desk_css),
        (r"^/-/desk/status$", mark_status),
        (r"^/-/desk/note$", add_note),
    ]


async def _can_view(datasette, request):
    return await datasette.permission_allowed(request.actor, "view-instance", default=True) and \
        await datasette.permission_allowed(request.actor, "view-database", resource=TRACKER, default=True)


def _forbidden(message):
    return Response.text(message + "\n", status=403)


async def notice_lookup(request, datasette):
    if not await _can_view(datasette, request):
        return _forbidden("forbidden")
    key = (request.args.get("key") or "").strip()
    db = datasette.get_database(TRACKER)
    rows = (await db.execute("select id from documents where doc_number = :k or path = :k order by id limit 1",
                             {"k": key})).rows if key else []
    if not rows and key:
        rows = (await db.execute("select id from documents where title like :k order by id limit 2",
                                 {"k": f"%{key}%"})).rows
        rows = rows if len(rows) == 1 else []
    if not rows:
        return Response.html(f"<p>台账中没有文件“{html.escape(key)}”。<a href='/{TRACKER}/documents'>文件一览</a></p>",
                             status=404)
    return Response.redirect(f"/-/notice/{rows[0]['id']}")


async def _copies(db, doc_id, path) -> list[str]:
    """The other files this notice was also filed as (the tracker's document_files; none in a
    tracker older than it)."""
    try:
        rows = (await db.execute("select path from document_files where document_id = ? and path != ? order by id",
                                 [doc_id, path or ""])).rows
    except Exception:  # an older tracker, until its next rebuild migrates it
        return []
    return [r[0] for r in rows]


async def notice_page(request, datasette):
    if not await _can_view(datasette, request):
        return _forbidden("forbidden")
    doc_id = int(request.url_vars["id"])
    db = datasette.get_database(TRACKER)
    found = (await db.execute("select * from documents where id = ?", [doc_id])).rows
    if not found:
        return Response.html("<p>no such notice</p>", status=404)
    d = dict(found[0])

    async def q(sql, params=None):
        return [dict(r) for r in (await db.execute(sql, params or [doc_id])).rows]

    desk_ok = _desk_attached(datasette)
    status_join = ("left join desk.duty_status s on s.uid = x.uid" if desk_ok else
                   "left join (select null as uid, null as status, null as [by], null as at) s on 0")
    notes = {}
    if desk_ok:
        for r in await q("select n.uid, n.text, n.[by], n.at from desk.notes n where n.uid in "
                         "(select uid from duties where document_id = ?1 union select uid from deadlines "
                         "where document_id = ?1 union select uid from phases where document_id = ?1) order by n.at"):
            notes.setdefault(r["uid"], []).append(r)
    ctx = {
        "doc": d,
        "addressees": ", ".join(_json_list(d.get("addressees"))),
        "phases": await q(f"select x.*, s.status, s.[by] as status_by, s.at as status_at from phases x "
                          f"{status_join} where x.document_id = ? order by x.seq"),
        "deadlines": await q(f"select x.*, s.status, s.[by] as status_by, s.at as status_at from deadlines x "
                             f"{status_join} where x.document_id = ? order by x.seq"),
        "duties": await q(f"select x.*, s.status, s.[by] as status_by, s.at as status_at from duties x "
                          f"{status_join} where x.document_id = ? order by x.seq"),
        "groups": await q("select * from roster_groups where document_id = ? order by seq"),
        "members": await q("select * from roster_members where document_id = ? order by seq"),
        "assignments": await q("select * from assignments where document_id = ? order by seq"),
        "benchmarks": await q("select * from benchmarks where document_id = ? order by seq"),
        "cites": await q("select c.*, t.id as target_id from citations c left join documents t "
                         "on t.id = c.cited_document_id where c.document_id = ? order by c.seq"),
        "cited_by": await q("select d.id, d.doc_number, d.title, c.evidence from citations c join documents d "
                            "on d.id = c.document_id where c.cited_document_id = ? order by d.signed_date"),
        "notes": notes,
        "copies": await _copies(db, doc_id, d.get("path")),
        "file_ok": bool(d.get("file")) and Path(d["file"]).is_file(),
        "write": bool(config(datasette).get("write")) and desk_ok,
        "periods": PERIODS,
        "comparators": COMPARATORS,
    }
    for g in ctx["groups"]:
        g["members"] = [m for m in ctx["members"] if m["group_id"] == g["id"]]
    return Response.html(await datasette.render_template("duban_notice.html", ctx, request=request))


async def notice_file(request, send, datasette):
    """The original file of a tracked notice; the id is looked up, no path ever comes from the request."""
    if not await _can_view(datasette, request):
        return await _forbidden("forbidden").asgi_send(send)
    db = datasette.get_database(TRACKER)
    rows = (await db.execute("select file, path, format from documents where id = ?",
                             [int(request.url_vars["id"])])).rows
    if not rows or not rows[0]["file"] or not Path(rows[0]["file"]).is_file():
        return await Response.text("file not found\n", status=404).asgi_send(send)
    path = Path(rows[0]["file"])
    ctype = {".txt": "text/plain; charset=utf-8", ".pdf": "application/pdf", ".html": "text/html; charset=utf-8",
             ".htm": "text/html; charset=utf-8",
             ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
             ".doc": "application/msword", ".ofd": "application/ofd", ".zip": "application/zip"}
    ct = ctype.get(path.suffix.lower(), "application/octet-stream")
    if ct.startswith("text/") and path.suffix.lower() == ".txt":
        # the corpus has GB18030 and UTF-16 text files: send them decoded, as UTF-8
        text = _decode_text(path.read_bytes())
        return await Response.text(text, headers={"content-disposition": _disposition(path.name, inline=True)}) \
            .asgi_send(send)
    await asgi_send_file(send, str(path), filename=path.name, content_type=ct)


def _decode_text(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", "replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", "replace")
    for enc in ("utf-8", "gb18030"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", "replace")


def _disposition(name: str, inline=False) -> str:
    return f"{'inline' if inline else 'attachment'}; filename*=UTF-8''{quote(name)}"


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
    domain = config(datasette).get("uid_domain") or "duban.tracker"
    try:
        body = await datasette.get_database(TRACKER).execute_fn(lambda conn: to_ics(conn, domain=domain, **kwargs))
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
    """The document id of the fact with this uid, or None (only real facts can be marked)."""
    if not uid or not re.fullmatch(r"[0-9a-f]{8,40}", uid):
        return None
    db = datasette.get_database(TRACKER)
    union = " union all ".join(f"select document_id from {t} where uid = :u" for t in FACT_TABLES)
    rows = (await db.execute(f"select document_id from ({union}) limit 1", {"u": uid})).rows
    return rows[0][0] if rows else None


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

