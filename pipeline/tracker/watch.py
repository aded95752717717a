"""``duban watch``: the clerks' folder kept in step with the tracker during the day.

watchfiles (inotify on Linux) reports changes; once the changed files have stopped changing for
``settle`` seconds (a file being copied grows until it is done), an incremental rebuild runs:
only the new or changed files are extracted, removed ones dropped, all in one transaction on the
live tracker (pipeline.tracker.rebuild).
"""
from __future__ import annotations

import os
from pathlib import Path

from pipeline.readers.scan import ignored, wanted
from pipeline.tracker.rebuild import rebuild, wait_until_settled


def _relevant(path: str) -> bool:
    """A change the tracker cares about: a file the scanner would look at, or a folder moved in or out
    (no suffix). The ignore rules are the scanner's (pipeline.readers.scan)."""
    name = Path(path).name
    return wanted(name) or (not Path(name).suffix and not ignored(name))


def watch(inbox, db_path, *, settle: float = 2.0, log=print, stop=None, jobs: int = 1) -> None:
    """Rebuild now, then after every settled batch of changes, until ``stop`` is set (or Ctrl-C)."""
    import watchfiles

    inbox = Path(inbox)
    summary = rebuild(inbox, db_path, jobs=jobs, settle=settle, log=log)
    log(f"watching {inbox} — {summary.line()}")
    pending = list(summary.pending)  # files caught mid-copy are looked at again on the next tick
    for changes in watchfiles.watch(inbox, stop_event=stop, debounce=400, step=100, rust_timeout=1000,
                                    yield_on_timeout=True):
        changed = sorted({p for _, p in changes if _relevant(p)})
        if not changed and not pending:
            continue
        wait_until_settled(changed, settle)
        # only what changed is looked at (the cost follows the change, not the inbox)
        summary = rebuild(inbox, db_path, jobs=jobs, settle=settle, log=log,
                          paths=_relative(inbox, changed, pending))
        pending = list(summary.pending)
        log(summary.line())


def _relative(inbox: Path, changed: list[str], pending: list[str]):
    """The inbox-relative paths of the changes (None, so the whole inbox is looked at, when one is
    not under the inbox as given)."""
    roots = {os.path.abspath(inbox), os.path.realpath(inbox)}
    out = set(pending)
    for p in changed:
        for root in roots:
            rel = os.path.relpath(os.path.abspath(p), root)
            if rel == ".":
                return None
            if not rel.startswith(".."):
                out.add(rel.replace(os.sep, "/"))
                break
        else:
            return None
    return sorted(out)
