"""The tracker as the desk serves it: follows ``duban rebuild`` whatever it did to the file, through
public Datasette API.

A rebuild updates the tracker in place in WAL transactions, which open connections see at their next
query; but a first build (or a tracker replaced by hand, restored from a backup) renames a new file
over the old (os.replace), and a SQLite connection opened before keeps reading the old, unlinked
file. Datasette keeps one connection
per executor thread per database *name*. So each version of the file is its own
:class:`datasette.database.Database`, added with ``datasette.add_database(db, name, route="tracker")``
under a fresh name (``tracker``, then ``tracker_2``, ``tracker_3``…) while its URL stays ``/tracker``;
the previous one is removed with ``remove_database`` and its connections closed (``Database.close``)
a little later, when the queries already running on it have finished. :func:`refresh` compares the
file's identity (device, inode, size, mtime) with the one served; the desk's ASGI wrapper calls it
before every request, so a rebuild shows at the next page load.
"""
from __future__ import annotations

import asyncio
import os
import weakref
from dataclasses import dataclass, field
from pathlib import Path

from datasette.database import Database

TRACKER = "tracker"  # the route (/tracker) and the first version's name
GRACE_SECONDS = 60  # a replaced version's connections are closed after this (longer than any query)


@dataclass
class _Served:
    path: Path
    ident: tuple | None = None
    name: str = TRACKER
    generation: int = 0
    metadata: dict = field(default_factory=dict)  # the tracker's block of Datasette metadata
    retired: list = field(default_factory=list)


_SERVED: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def is_tracker(name) -> bool:
    """Whether a Datasette database name is (a version of) the tracker."""
    return name == TRACKER or (isinstance(name, str) and name.startswith(TRACKER + "_")
                               and name[len(TRACKER) + 1:].isdigit())


def _identity(path) -> tuple | None:
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


def serve_tracker(datasette, path, metadata: dict | None = None) -> Database:
    """Add the tracker at ``path`` to ``datasette`` (route ``/tracker``) and follow it from now on;
    ``metadata`` (titles, tables, canned queries) follows it to each new version's name."""
    served = _Served(Path(path), metadata=metadata or {})
    _SERVED[datasette] = served
    served.ident = _identity(served.path)
    db = Database(datasette, path=str(served.path), is_mutable=True)
    return datasette.add_database(db, name=TRACKER, route=TRACKER)


def refresh(datasette) -> None:
    """Swap in a new Database when the tracker file was replaced (or changed) since it was opened."""
    served = _SERVED.get(datasette)
    if served is None:
        return
    ident = _identity(served.path)
    if ident is None or ident == served.ident:
        return  # unchanged, or mid-swap: keep serving the version we have
    served.ident = ident
    served.generation += 1
    old = datasette.get_database(served.name)
    served.name = f"{TRACKER}_{served.generation + 1}"
    datasette.remove_database(old.name)
    datasette.add_database(Database(datasette, path=str(served.path), is_mutable=True), name=served.name,
                           route=TRACKER)
    _retire(served, old)


def _retire(served: _Served, old: Database) -> None:
    """Close a replaced version's connections once the queries running on it are done."""
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        loop = None
    if loop is not None:
        loop.call_later(GRACE_SECONDS, old.close)
    else:  # no event loop (a synchronous caller): close it at the next swap
        for db in served.retired:
            db.close()
        served.retired = [old]


def tracker_db(datasette) -> Database:
    """The tracker's current Database (refreshed first)."""
    refresh(datasette)
    served = _SERVED.get(datasette)
    return datasette.get_database(served.name if served else TRACKER)


def tracker_name(datasette) -> str:
    served = _SERVED.get(datasette)
    return served.name if served else TRACKER


def tracker_metadata(datasette) -> dict | None:
    """The tracker's metadata under its current name (for the get_metadata hook)."""
    served = _SERVED.get(datasette)
    if served is None or not served.metadata:
        return None
    return {"databases": {served.name: served.metadata}}
