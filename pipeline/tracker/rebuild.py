"""Rebuilding the tracker from the inbox folder: the nightly job (and what ``duban watch`` calls).

    >>> from pipeline.tracker import rebuild
    >>> summary = rebuild("inbox", "outputs/tracker.db", jobs=2)

How a rebuild stays safe:
- it takes a lock (``tracker.db.lock``, filelock), so two rebuilds never interleave: the second waits;
- it never writes the live database: it copies it (SQLite's backup API) to a temporary file
  beside it, applies the changes there, and swaps it in with one ``os.replace``. A query running
  meanwhile sees the old tracker or the new one; a rebuild killed midway leaves the old one
  intact and a stray temporary file that the next rebuild removes;
- only files whose content hash is new or changed are extracted (all of them when the extractor
  version changes), in parallel worker processes; a file that fails goes to ``failures`` with
  its reason and the run goes on;
- the inbox is read through the one scanner (pipeline.readers.scan): a name that is not UTF-8, a
  link out of the inbox, a FIFO or an unreadable file is a ``failures`` row, never opened.

Who does what: this module plans (what is new, changed, removed, refused), runs the extraction
workers (pipeline.extraction.extract; each returns the complete rows of its notices) and calls
pipeline.tracker.store, which writes every table.
"""
from __future__ import annotations

import os
import sqlite3
import time
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from filelock import FileLock, Timeout

from pipeline.readers import file_sha256
from pipeline.readers.document import ReadError
from pipeline.readers.scan import scan
from pipeline.tracker import store

DEFAULT_DB = Path("outputs/tracker.db")
DEFAULT_INBOX = Path("inbox")


class TrackerError(Exception):
    """A problem with the tracker itself (locked, newer schema, inbox missing): one line."""


@dataclass
class Summary:
    files_seen: int = 0
    extracted: int = 0
    reused: int = 0
    removed: int = 0
    failed: int = 0
    documents: int = 0
    seconds: float = 0.0
    failures: list = field(default_factory=list)  # (path, reason) of this run's new failures
    pending: list = field(default_factory=list)  # files modified too recently to be read safely
    links: dict = field(default_factory=dict)

    def line(self) -> str:
        return (f"{self.files_seen} files: {self.extracted} extracted, {self.reused} unchanged, "
                f"{self.removed} removed, {self.failed} failed; {self.documents} notices in the tracker "
                f"({self.seconds:.1f} s)" + (f"; {len(self.pending)} still being written" if self.pending else ""))


# -- extraction (in worker processes) -------------------------------------------------------------

def extract_for_tracker(path: str, rel: str) -> list[dict]:
    """Everything the tracker stores about one inbox file (``rel``: its inbox-relative path): one
    item per notice in it (a .zip holds many), each ``{"source": tracker path, "rows": the complete
    rows of store.fact_rows}`` or ``{"source": ..., "error": reason}``.

    Runs in a worker process and returns plain data (picklable).
    """
    from pipeline.extraction import extract
    from pipeline.readers import read_entries

    resolved = str(Path(path).resolve())
    out = []
    for item in read_entries(Path(path)):
        if isinstance(item, ReadError):
            out.append({"source": _relative_source(item.path, path, rel), "error": item.reason})
            continue
        source = _relative_source(item.path, path, rel)
        try:
            result = extract(item)
        except Exception as e:  # an extractor bug must not sink the nightly run; it is recorded
            out.append({"source": source, "error": f"extraction failed ({type(e).__name__}: {str(e)[:160]})"})
            continue
        out.append({"source": source, "rows": store.fact_rows(result.record, path=source, file=resolved,
                                                               text=result.text)})
    return out


def _relative_source(source, path: str, rel: str) -> str:
    """A notice's tracker path: the file's inbox-relative path, plus the member inside an archive."""
    s, full = str(source), str(path)
    if s.startswith(full + "/"):
        return rel + s[len(full):]
    return rel


def _warm():
    """Build the extraction pipeline in this process (extracting a one-line notice through the
    public API), so forked workers share it."""
    from pipeline.extraction import extract
    from pipeline.readers.document import Block, Document

    extract(Document(path="warm-up", format="txt", sha256="", blocks=[Block(text="关于开展检查的通知")]))


def _run_extraction(files: list[tuple[Path, str]], jobs: int, progress, executor=None):
    """Yield (path, rel, items) for each (path, inbox-relative path), in parallel when jobs > 1, or
    through ``executor`` (e.g. pipeline.tracker.cluster.DaskExtraction) in the order it completes them."""
    if executor is not None:
        yield from executor.run(files, progress)
        return
    if jobs <= 1 or len(files) <= 1:
        for p, rel in files:
            yield p, rel, extract_for_tracker(str(p), rel)
            progress(p)
        return
    import multiprocessing as mp

    # Load the pipeline once here and fork the workers from it: they start at once, and the
    # dictionaries and models stay shared pages (copy-on-write) instead of one copy per worker.
    _warm()
    ctx = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else None
    with ProcessPoolExecutor(max_workers=jobs, mp_context=ctx, initializer=None if ctx else _warm) as pool:
        chunk = max(1, min(16, len(files) // (jobs * 8) or 1))
        items = pool.map(extract_for_tracker, [str(p) for p, _ in files], [rel for _, rel in files], chunksize=chunk)
        for (p, rel), found in zip(files, items):
            yield p, rel, found
            progress(p)


# -- the rebuild -----------------------------------------------------------------------------------

@contextmanager
def _lock(db_path: Path, wait: bool):
    """One rebuild at a time per tracker: the others wait (or fail at once when not ``wait``).
    The lock is the OS's (filelock), so a killed rebuild never leaves it held."""
    lock_path = db_path.with_name(db_path.name + ".lock")
    try:
        with FileLock(lock_path, timeout=-1 if wait else 0):
            yield
    except Timeout:
        raise TrackerError(f"{db_path}: another rebuild is running (lock {lock_path})") from None


def _now() -> str:
    return datetime.now(timezone.utc).astimezone().isoformat(timespec="seconds")


def _temp_path(db_path: Path) -> Path:
    return db_path.with_name(f".{db_path.name}.building-{os.getpid()}")


def _remove_stale(db_path: Path) -> None:
    for p in db_path.parent.glob(f".{db_path.name}.building-*"):
        p.unlink(missing_ok=True)


def _prepare(db_path: Path, tmp: Path):
    """The working copy: the live tracker copied (same schema), migrated (older), or new."""
    from pipeline.extraction import EXTRACTOR_VERSION

    for suffix in ("", "-journal", "-wal", "-shm"):
        Path(str(tmp) + suffix).unlink(missing_ok=True)
    migrate_from = None
    if db_path.exists():
        old = store.open_db(db_path)
        try:
            version = store.schema_version(old)
        except sqlite3.DatabaseError as e:
            raise TrackerError(f"{db_path}: not a duban tracker ({e})") from None
        if version is not None and version > store.SCHEMA_VERSION:
            raise TrackerError(f"{db_path}: written by a newer duban (schema {version}; this one knows "
                               f"{store.SCHEMA_VERSION}); upgrade duban")
        if version == store.SCHEMA_VERSION:
            dst = sqlite3.connect(tmp)
            old.conn.backup(dst)
            dst.close()
        elif version is not None:
            migrate_from = old
        if migrate_from is None:
            old.close()
    db = store.open_db(tmp)
    # the working copy is private until the swap and fsynced before it: no per-commit syncing needed
    db.execute("pragma journal_mode = memory")
    db.execute("pragma synchronous = off")
    store.create_schema(db)
    if migrate_from is not None:
        store.migrate(migrate_from, db)
        migrate_from.close()
    store.set_meta(db, extractor_version=store.get_meta(db, "extractor_version", EXTRACTOR_VERSION))
    return db


def rebuild(inbox=DEFAULT_INBOX, db_path=DEFAULT_DB, *, jobs: int = 1, force: bool = False,
            progress=None, log=None, wait_for_lock: bool = True, settle: float = 2.0, executor=None) -> Summary:
    """Bring the tracker at ``db_path`` up to date with ``inbox``; returns what was done.

    ``progress(path)`` is called after each extracted file, ``progress.start(n)`` first when it
    has that method; ``log(line)`` gets one line per new failure. A file modified less than
    ``settle`` seconds ago may still be being copied: it keeps its previous state until a later run.
    Plans here, extracts in workers; every write goes through pipeline.tracker.store.
    ``executor`` (``run(files, progress)`` yielding ``(path, rel, items)``, e.g. a
    pipeline.tracker.cluster.DaskExtraction) extracts elsewhere instead of local processes.
    """
    from pipeline.extraction import EXTRACTOR_VERSION
    from pipeline.tracker.link import link_all

    inbox, db_path = Path(inbox), Path(db_path)
    if not inbox.is_dir():
        raise TrackerError(f"{inbox}: inbox folder not found")
    db_path.parent.mkdir(parents=True, exist_ok=True)
    started, t0 = _now(), time.perf_counter()
    summary = Summary()
    with _lock(db_path, wait_for_lock):
        _remove_stale(db_path)
        tmp = _temp_path(db_path)
        live = _open_current(db_path)
        if live is not None:  # plan on the live tracker: a run with nothing to do never copies it
            plan = _plan(live, inbox, force, settle, summary)
            if plan.quiet:
                return _record_quiet_run(live, plan, summary, started, t0, inbox)
            live.close()
        db = _prepare(db_path, tmp)
        try:
            if live is None:
                plan = _plan(db, inbox, force, settle, summary)
            now = _now()

            def fail(path, sha, reason):
                before = plan.failed_before.get(path)
                store.add_failure(db, path=path, sha256=sha, reason=reason, run_id=plan.run_id, last_seen=now,
                                  first_seen=before["first_seen"] if before else now)
                summary.failures.append((path, reason))
                if log:
                    log(f"error: {inbox / path}: {reason}")

            with db.conn:
                for file_id, size, mtime in plan.touched:
                    store.touch_file(db, file_id, size, mtime)
                for rel in [*plan.removed, *plan.todo, *plan.refused]:
                    if rel in plan.known:
                        store.delete_file(db, plan.known[rel]["id"])
                    store.forget_failures(db, rel)
                for rel, reason in plan.refused.items():  # never opened: no hash, no documents
                    store.add_file(db, path=rel, sha256=None, size=None, mtime=None, status="failed",
                                   extractor_version=EXTRACTOR_VERSION, n_documents=0)
                    fail(rel, None, reason)
            if progress is not None and hasattr(progress, "start"):
                progress.start(len(plan.todo))
            writer = store.Writer(db)
            files = [(plan.on_disk[rel], rel) for rel in plan.todo]
            for _, rel, items in _run_extraction(files, jobs, progress or (lambda p: None), executor):
                sha, size, mtime = plan.hashes[rel]
                errors = [it for it in items if "error" in it]
                with db.conn:
                    file_id = store.add_file(db, path=rel, sha256=sha, size=size, mtime=mtime,
                                             extractor_version=EXTRACTOR_VERSION,
                                             status="failed" if errors and len(errors) == len(items) else "ok",
                                             n_documents=len(items) - len(errors))
                    for it in items:
                        if "error" in it:
                            fail(it["source"], sha, it["error"])
                        else:
                            writer.add(it["rows"], file_id)
                summary.extracted += 1
            with db.conn:
                writer.flush()
            with db.conn:  # files that failed before and are unchanged: still failing, seen again
                store.see_failures_again(db, now, plan.run_id)
            summary.links = link_all(db)
            with db.conn:
                store.set_meta(db, extractor_version=EXTRACTOR_VERSION, inbox=str(inbox.resolve()))
                _record_run(db, plan.run_id, summary, started, t0, inbox)
            db.close()
            _fsync(tmp)
            os.replace(tmp, db_path)
            _fsync(db_path.parent)
        except BaseException:
            try:
                db.close()
            finally:
                tmp.unlink(missing_ok=True)
            raise
    return summary


@dataclass
class _Plan:
    on_disk: dict  # inbox-relative path -> path, of the files readable now
    known: dict  # inbox-relative path -> the tracker's files row
    failed_before: dict  # path -> the tracker's failures row
    todo: list  # files to extract (new, changed, or all when the extractor changed)
    removed: list  # files the tracker knows that are gone
    refused: dict  # path -> reason, for files the scanner refuses that the tracker does not know so
    hashes: dict  # path -> (sha256, size, mtime) of the files looked at
    touched: list  # (file id, size, mtime) of files touched but not changed
    version_changed: bool
    run_id: int

    @property
    def quiet(self) -> bool:
        return not self.todo and not self.removed and not self.refused and not self.version_changed


def _open_current(db_path: Path):
    """The live tracker when it exists and has this schema (else None: it is new, or migrated)."""
    if not db_path.exists():
        return None
    try:
        db = store.open_db(db_path)
        if store.schema_version(db) == store.SCHEMA_VERSION:
            return db
    except sqlite3.DatabaseError:
        pass  # _prepare says what is wrong with it
    return None


def _plan(db, inbox: Path, force: bool, settle: float, summary: Summary) -> _Plan:
    """What a rebuild must do: which files are new or changed (content hash), which removed, which
    refused (pipeline.readers.scan: bad names, links out of the inbox, FIFOs, unreadable files)."""
    from pipeline.extraction import EXTRACTOR_VERSION

    version_changed = store.get_meta(db, "extractor_version", EXTRACTOR_VERSION) != EXTRACTOR_VERSION
    found = scan(inbox)
    on_disk, refused = dict(found.files), dict(found.refused)
    summary.files_seen = len(on_disk) + len(refused)
    known = store.known_files(db)
    failed_before = store.known_failures(db)
    todo, hashes, touched = [], {}, []
    wall = time.time()
    for rel, p in list(on_disk.items()):
        old = known.get(rel)
        try:
            st = p.stat()
            if wall - st.st_mtime < settle:  # still being written: keep what we had, read it next time
                summary.pending.append(rel)
                if old:
                    summary.reused += 1
                else:
                    del on_disk[rel]
                continue
            # unchanged size and mtime: the stored hash stands (the content hash is taken when they move)
            same = old and old["sha256"] and old["size"] == st.st_size and old["mtime"] == st.st_mtime
            sha = old["sha256"] if same else file_sha256(p)
        except OSError as e:  # gone or unreadable since the scan
            del on_disk[rel]
            refused[rel] = f"cannot read: {e.strerror or e}"
            continue
        hashes[rel] = (sha, st.st_size, st.st_mtime)
        if force or version_changed or not old or old["sha256"] != sha or old["extractor_version"] != EXTRACTOR_VERSION:
            todo.append(rel)
        else:
            if old["size"] != st.st_size or old["mtime"] != st.st_mtime:  # touched, same bytes
                touched.append((old["id"], st.st_size, st.st_mtime))
            summary.reused += 1
    for rel, reason in list(refused.items()):  # refused before for the same reason: nothing to do
        old, failure = known.get(rel), failed_before.get(rel)
        if old and old["sha256"] is None and failure and failure["reason"] == reason and not version_changed:
            del refused[rel]
            summary.reused += 1
    removed = [rel for rel in known if rel not in on_disk and rel not in found.refused and rel not in refused]
    summary.removed = len(removed)
    return _Plan(on_disk, known, failed_before, todo, removed, refused, hashes, touched, version_changed,
                 store.next_run_id(db))


def _record_quiet_run(db, plan: _Plan, summary: Summary, started: str, t0: float, inbox: Path) -> Summary:
    """A rebuild that found nothing new, changed or removed: no copy and no swap; its ``runs`` row
    (and the mtimes of touched files) are written to the live tracker in one transaction."""
    try:
        with db.conn:
            for file_id, size, mtime in plan.touched:
                store.touch_file(db, file_id, size, mtime)
            store.see_failures_again(db, _now(), plan.run_id, all_files=True)
            _record_run(db, plan.run_id, summary, started, t0, inbox)
    finally:
        db.close()
    return summary


def _record_run(db, run_id: int, summary: Summary, started: str, t0: float, inbox: Path) -> None:
    """Complete the summary from the tracker and write its ``runs`` row (inside the caller's transaction)."""
    from pipeline.extraction import EXTRACTOR_VERSION

    summary.failed, summary.documents = store.counts(db)
    summary.seconds = time.perf_counter() - t0
    store.add_run(db, {"id": run_id, "started": started, "finished": _now(), "seconds": round(summary.seconds, 3),
                       "inbox": str(inbox.resolve()), "files_seen": summary.files_seen,
                       "extracted": summary.extracted, "reused": summary.reused, "removed": summary.removed,
                       "failed": summary.failed, "documents": summary.documents,
                       "extractor_version": EXTRACTOR_VERSION, "status": "failures" if summary.failed else "ok"})


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
