"""The supervisors' web desk: Datasette over the tracker (``duban serve``).

    >>> from pipeline.desk import make_datasette
    >>> ds = make_datasette("outputs/tracker.db")            # read-only, Chinese labels, canned queries
    >>> response = await ds.client.get("/tracker/overdue?日期=2026-11-23")

Two databases:
- ``tracker``: tracker.db, read-only (``pragma query_only`` on every connection). Every ``duban
  rebuild`` *replaces* that file (os.replace of a new one); pipeline.desk.live serves each version
  of the file as its own Datasette Database at the same ``/tracker`` URL, so the desk shows a
  rebuild at the next request.
- ``desk``: desk.db beside the tracker (办结 marks and notes, keyed by the facts' stable ``uid``),
  the only thing the desk ever writes, and only with ``--write`` for a logged-in user. It is also
  attached read-only to every tracker connection as ``desk``, so the canned queries join it.

Logins are datasette-auth-passwords accounts read from a users file (``duban desk-user NAME``
adds one); serving beyond this machine (a non-loopback ``--host``) requires them, and then every
page asks for the password (HTTP basic auth, which calendar clients also speak).
"""
from __future__ import annotations

import ipaddress
import json
import os
import sqlite3
from pathlib import Path

from datasette.app import Datasette
from datasette.database import Database

from pipeline.desk import dashboard, live, plugin
from pipeline.desk.metadata import DESK, TRACKER, metadata

TEMPLATES = Path(__file__).parent / "templates"

DESK_SCHEMA = """
create table if not exists duty_status (uid text primary key, status text not null, [by] text, at text);
create table if not exists notes (id integer primary key, uid text not null, text text not null, [by] text, at text);
create index if not exists notes_uid on notes(uid);
"""


SQL_TIME_LIMIT_MS = 3000  # any one query, canned or not: a runaway query cannot hold a thread for long


class DeskError(Exception):
    """The desk cannot start as asked: one line."""


def desk_path_for(db_path) -> Path:
    from pipeline.tracker.queries import desk_path  # one place says where the marks live; the CLI reads them there

    return desk_path(db_path)


def users_path_for(db_path) -> Path:
    return Path(db_path).parent / "desk-users.json"


def ensure_desk_db(path) -> Path:
    """Create desk.db (and its tables) if missing; never touches the tracker. A folder it cannot
    write (read-only, full) is a one-line DeskError."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(path)
        try:
            conn.executescript(DESK_SCHEMA)
            conn.execute("pragma journal_mode = wal")
            conn.commit()
        finally:
            conn.close()
    except (OSError, sqlite3.Error) as e:
        raise DeskError(f"{path}: cannot write the desk's notes here ({getattr(e, 'strerror', None) or e}); "
                        f"serve from a folder duban may write") from None
    return path


# -- users ----------------------------------------------------------------------------------------

def load_users(path) -> dict[str, str]:
    """name -> password hash (datasette-auth-passwords' pbkdf2 format); {} when there is no file."""
    p = Path(path) if path else None
    if not p or not p.exists():
        return {}
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except ValueError as e:
        raise DeskError(f"{p}: not a users file ({e})") from None
    if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
        raise DeskError(f"{p}: not a users file (expected {{\"name\": \"pbkdf2_sha256$…\"}})")
    return data


def add_user(path, name: str, password: str) -> None:
    from datasette_auth_passwords.utils import hash_password

    if not name or not name.replace("_", "").replace("-", "").isalnum():
        raise DeskError(f"{name!r}: a user name is letters, digits, - and _")
    if len(password) < 8:
        raise DeskError("the password must have at least 8 characters")
    users = load_users(path)
    users[name] = hash_password(password)
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    tmp = p.with_suffix(".tmp")
    tmp.write_text(json.dumps(users, ensure_ascii=False, indent=1), encoding="utf-8")
    os.chmod(tmp, 0o600)
    os.replace(tmp, p)


def is_loopback(host: str) -> bool:
    if host in ("localhost", "localhost.localdomain"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_serving(host: str, users: dict, write: bool, users_file) -> None:
    """Refuse what would expose the desk or its writes without a login (one-line DeskError)."""
    if not is_loopback(host) and not users:
        raise DeskError(f"refusing to serve on {host} without a login: add a user first "
                        f"(`duban desk-user NAME`, stored in {users_file}) or serve on 127.0.0.1")
    if write and not users:
        raise DeskError(f"--write needs a login: add a user first (`duban desk-user NAME`, stored in {users_file})")


# -- the Datasette instance ----------------------------------------------------------------------------

def sql_users_from_env() -> list[str]:
    """$DUBAN_DESK_SQL_USERS: the logins (comma-separated) allowed arbitrary SQL on the desk."""
    return [n.strip() for n in os.environ.get("DUBAN_DESK_SQL_USERS", "").split(",") if n.strip()]


def make_datasette(db_path, *, write: bool = False, host: str = "127.0.0.1", users_file=None,
                   desk_path=None, uid_domain: str = "duban.tracker", secret: str | None = None,
                   sql_users=None) -> Datasette:
    """A Datasette over the tracker and the desk, with the desk plugin and metadata.

    Arbitrary SQL (``?sql=``, ``_where=``) is off: the canned queries and the pages are the desk.
    ``sql_users`` (default $DUBAN_DESK_SQL_USERS) names the logins allowed it, after logging in,
    within SQL_TIME_LIMIT_MS per query. Raises DeskError for a missing tracker, a missing login
    where one is needed, an unknown user in ``sql_users``.
    """
    db_path = Path(db_path)
    if not db_path.is_file():
        raise DeskError(f"{db_path}: no tracker here yet; run `duban rebuild --inbox DIR --db {db_path}` first")
    try:
        conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
        conn.execute("select 1 from documents limit 1")
        conn.close()
    except sqlite3.DatabaseError as e:
        raise DeskError(f"{db_path}: not a duban tracker ({e})") from None
    users_file = Path(users_file) if users_file else users_path_for(db_path)
    users = load_users(users_file)
    check_serving(host, users, write, users_file)
    sql_users = sorted(sql_users_from_env() if sql_users is None else sql_users)
    unknown = [n for n in sql_users if n not in users]
    if unknown:
        raise DeskError(f"{', '.join(unknown)}: no such desk login for arbitrary SQL (add it with "
                        f"`duban desk-user NAME`, stored in {users_file})")
    desk_path = ensure_desk_db(desk_path or desk_path_for(db_path))

    from datasette.plugins import pm

    if not pm.is_registered(plugin):
        pm.register(plugin, name=plugin.NAME)
    if pm.get_plugin("datasette.handle_exception") is not None:
        # its full tracebacks with every local (the request scope) on each error: the plugin's
        # handle_exception renders the same pages and logs one line
        pm.unregister(name="datasette.handle_exception")
    if pm.get_plugin("dashboards") is not None:
        # datasette-dashboards' pages fetch chart data with arbitrary SQL, which the desk refuses, and
        # add an English menu link: the desk's home draws its charts with the package's JavaScript only
        pm.unregister(name="dashboards")

    plugins = {plugin.NAME: {"write": write, "desk_path": str(desk_path), "uid_domain": uid_domain}}
    if users:
        auth = {f"{name}_password_hash": h for name, h in users.items()}
        auth["actors"] = {name: {"id": name} for name in users}
        if not is_loopback(host):
            auth["http_basic_auth"] = True  # every page (and the calendar feed) behind the password
        plugins["datasette-auth-passwords"] = auth
    meta = metadata(write=write)
    meta["allow_sql"] = {"id": sql_users} if sql_users else False
    meta["plugins"] = plugins
    tracker_meta = meta["databases"].pop(TRACKER)  # given under each version's name by the plugin
    vega = dashboard.vega_dir()
    ds = Datasette(
        [], metadata=meta, template_dir=str(TEMPLATES),
        static_mounts=[("-/vega", str(vega))] if vega else None,
        settings={"default_page_size": 50, "sql_time_limit_ms": SQL_TIME_LIMIT_MS, "allow_download": False,
                  "default_allow_sql": False,
                  "suggest_facets": False, "facet_time_limit_ms": 500,
                  "default_facet_size": 6},  # a few values per facet, so the rows show on the first screen
        secret=secret or os.environ.get("DATASETTE_SECRET") or None,
    )
    live.serve_tracker(ds, db_path.resolve(), tracker_meta)
    ds.add_database(Database(ds, path=str(desk_path.resolve()), is_mutable=True), name=DESK)
    return ds


def serve(db_path, *, host: str = "127.0.0.1", port: int = 8001, write: bool = False, users_file=None,
          sql_users=None, log=print) -> None:
    """Run the desk until interrupted (uvicorn)."""
    import asyncio

    import uvicorn

    ds = make_datasette(db_path, write=write, host=host, users_file=users_file, sql_users=sql_users)
    asyncio.run(ds.invoke_startup())
    shown = f"[{host}]" if ":" in host else host
    log(f"督办台账 desk on http://{shown}:{port}/ ({'read-write' if write else 'read-only'}; "
        f"tracker {db_path}, notes in {desk_path_for(db_path)}) — Ctrl-C to stop")
    uvicorn.run(ds.app(), host=host, port=port, log_level="warning", lifespan="on")
