"""``duban watch``: the clerks' folder kept in step with the tracker during the day.

watchfiles (inotify on Linux) reports changes; once the changed files have stopped changing for
``settle`` seconds (a file being copied grows until it is done), an incremental rebuild runs:
only the new or changed files are extracted, removed ones dropped, and the swap is atomic as in
every rebuild.
"""
from __future__ import annotations

import time
from pathlib import Path

from pipeline.readers.scan import ignored, wanted
from pipeline.tracker.rebuild import rebuild


def _relevant(path: str) -> bool:
    """A change the tracker cares about: a file the scanner would look at, or a folder moved in or out
    (no suffix). The ignore rules are the scanner's (pipeline.readers.scan)."""
    name = Path(path).name
    return wanted(name) or (not Path(name).suffix and not ignored(name))


def _wait_until_settled(paths, settle: float, limit: float = 600.0) -> None:
    """Return once none of the paths has changed size or mtime for ``settle`` seconds."""
    def state():
        out = {}
        for p in paths:
            try:
                st = Path(p).stat()
                out[p] = (st.st_size, st.st_mtime_ns)
            except OSError:
                out[p] = None
        return out

    start, last, quiet_since = time.monotonic(), state(), time.monotonic()
    while time.monotonic() - quiet_since < settle and time.monotonic() - start < limit:
        time.sleep(min(0.25, settle))
        now = state()
        if now != last:
            last, quiet_since = now, time.monotonic()


def watch(inbox, db_path, *, settle: float = 2.0, log=print, stop=None, jobs: int = 1) -> None:
    """Rebuild now, then after every settled batch of changes, until ``stop`` is set (or Ctrl-C)."""
    import watchfiles

    inbox = Path(inbox)
    summary = rebuild(inbox, db_path, jobs=jobs, settle=settle, log=log)
    log(f"watching {inbox} — {summary.line()}")
    pending = bool(summary.pending)  # files caught mid-copy are looked at again on the next tick
    for changes in watchfiles.watch(inbox, stop_event=stop, debounce=400, step=100, rust_timeout=1000,
                                    yield_on_timeout=True):
        changed = sorted({p for _, p in changes if _relevant(p)})
        if not changed and not pending:
            continue
        _wait_until_settled(changed, settle)
        summary = rebuild(inbox, db_path, jobs=jobs, settle=settle, log=log)
        pending = bool(summary.pending)
        log(summary.line())
