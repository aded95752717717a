"""The supervisors' web desk: Datasette over the tracker (``duban serve``).

    >>> from pipeline.desk import make_datasette
    >>> ds = make_datasette("outputs/tracker.db")            # read-only, Chinese labels, canned queries
    >>> response = await ds.client.get("/tracker/overdue?日期=2026-11-23")

Two databases:
- ``tracker``: tracker.db, read-only. Every ``duban rebuild`` *replaces* that file (os.replace of
  a new one), and a connection opened before keeps reading the old, unlinked file. So the tracker
  is a :class:`TrackerDatabase`: before each query a thread checks the file's identity (device,
  inode) and reconnects when it changed; the desk shows a rebuild at the next request.
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
import threading
from pathlib import Path

from datasette.app import Datasette
from datasette.database import Database

from pipeline.desk import plugin
from pipeline.desk.metadata import DESK, TRACKER, metadata

TEMPLATES = Path(__file__).parent / "templates"

DESK_SCHEMA = """
create table if not exists duty_status (uid text primary key, status text not null, [by] text, at text);
create table if not exists notes (id integer primary key, uid text not null, text text not null, [by] text, at text);
create index if not exists notes_uid on notes(uid);
"""


class DeskError(Exception):
    """The desk cannot start as asked: one line."""


def desk_path_for(db_path) -> Path:
    from pipeline.tracker.queries import desk_path  # one place says where the marks live; the CLI reads them there

    return desk_path(db_path)


def users_path_for(db_path) -> Path:
    return Path(db_path).parent / "desk-users.json"


def ensure_desk_db(path) -> Path:
    """Create desk.db (and its tables) if missing; never touches the tracker."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path)
    try:
        conn.executescript(DESK_SCHEMA)
        conn.execute("pragma journal_mode = wal")
        conn.commit()
    finally:
        conn.close()
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


# -- the tracker database ------------------------------------------------------------------------------

def _identity(path) -> tuple | None:
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return (st.st_dev, st.st_ino)


class TrackerDatabase(Database):
    """A read-only Database that follows its file being replaced (os.replace by ``duban rebuild``)."""

    def __init__(self, ds, path):
        super().__init__(ds, path=str(path), is_mutable=True)
        self._local = threading.local()
        self._lock = threading.Lock()
        self._read_ident = None

    def _fresh(self, conn, ident):
        current = _identity(self.path)
        if conn is not None and ident == current:
            return conn, ident
        if conn is not None:
            try:
                conn.close()
            except sqlite3.Error:
                pass
            with self._lock:
                if conn in self._all_file_connections:
                    self._all_file_connections.remove(conn)
        conn = self.connect()
        self.ds._prepare_connection(conn, self.name)
        return conn, current

    async def execute_fn(self, fn):
        import asyncio

        if self.ds.executor is None:  # non-threaded mode
            self._read_connection, self._read_ident = self._fresh(self._read_connection, self._read_ident)
            return fn(self._read_connection)

        def in_thread():
            conn, ident = self._fresh(getattr(self._local, "conn", None), getattr(self._local, "ident", None))
            self._local.conn, self._local.ident = conn, ident
            return fn(conn)

        return await asyncio.get_event_loop().run_in_executor(self.ds.executor, in_thread)

    def connect(self, write=False):
        if write:
            raise PermissionError("the tracker is read-only on the desk; rebuilds replace it")
        return super().connect(write=False)


# -- the Datasette instance ----------------------------------------------------------------------------

def make_datasette(db_path, *, write: bool = False, host: str = "127.0.0.1", users_file=None,
                   desk_path=None, uid_domain: str = "duban.tracker", secret: str | None = None) -> Datasette:
    """A Datasette over the tracker and the desk, with the desk plugin and metadata.

    Raises DeskError for a missing tracker, a missing login where one is needed.
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
    desk_path = ensure_desk_db(desk_path or desk_path_for(db_path))

    from datasette.plugins import pm

    if not pm.is_registered(plugin):
        pm.register(plugin, name=plugin.NAME)

    plugins = {plugin.NAME: {"write": write, "desk_path": str(desk_path), "uid_domain": uid_domain}}
    if users:
        auth = {f"{name}_password_hash": h for name, h in users.items()}
        auth["actors"] = {name: {"id": name} for name in users}
        if not is_loopback(host):
            auth["http_basic_auth"] = True  # every page (and the calendar feed) behind the password
        plugins["datasette-auth-passwords"] = auth
    meta = metadata(write=write)
    meta["plugins"] = plugins
    ds = Datasette(
        [], metadata=meta, template_dir=str(TEMPLATES),
        settings={"default_page_size": 50, "sql_time_limit_ms": 3000, "allow_download": False,
                  "suggest_facets": False, "facet_time_limit_ms": 500},
        secret=secret or os.environ.get("DATASETTE_SECRET") or None,
    )
    ds.add_database(TrackerDatabase(ds, db_path.resolve()), name=TRACKER)
    ds.add_database(Database(ds, path=str(desk_path.resolve()), is_mutable=True), name=DESK)
    return ds


def serve(db_path, *, host: str = "127.0.0.1", port: int = 8001, write: bool = False, users_file=None,
          log=print) -> None:
    """Run the desk until interrupted (uvicorn)."""
    import asyncio

    import uvicorn

    ds = make_datasette(db_path, write=write, host=host, users_file=users_file)
    asyncio.run(ds.invoke_startup())
    shown = f"[{host}]" if ":" in host else host
    log(f"督办台账 desk on http://{shown}:{port}/ ({'read-write' if write else 'read-only'}; "
        f"tracker {db_path}, notes in {desk_path_for(db_path)}) — Ctrl-C to stop")
    uvicorn.run(ds.app(), host=host, port=port, log_level="warning", lifespan="on")
