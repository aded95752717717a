"""Rebuilding the tracker from the inbox folder: the nightly job (and what ``duban watch`` calls).

    >>> from pipeline.tracker import rebuild
    >>> summary = rebuild("inbox", "outputs/tracker.db", jobs=2)

How a rebuild stays safe:
- it takes a lock (``tracker.db.lock``, filelock), so two rebuilds never interleave: the second
  says who holds it (pid and start, from ``tracker.db.lock.info``) and waits;
- its extraction workers die with it (PR_SET_PDEATHSIG, and a watchdog thread) and never hold the
  lock, so a killed rebuild leaves no process and no lock behind;
- new, changed and removed files are first extracted (workers, rows spooled to a private file),
  then applied to the live tracker in one SQLite write transaction in WAL mode: a query running
  meanwhile keeps its snapshot (old tracker or new, never half), a rebuild killed at any moment
  rolls back to the previous tracker, and the cost follows the number of changed files; the
  cross-document links (pipeline.tracker.link) are redone only for what changed;
- a full re-extraction (a new tracker, extractor version changed, ``--force``, an older schema
  migrated) is built in a private file beside it and installed in one transaction at the end;
- only files whose size, mtime or content hash moved are read (all of them when the extractor
  version changes), in parallel worker processes; a file that fails goes to ``failures`` with
  its reason and the run goes on;
- files still being written (modified within ``settle`` seconds) are waited for, then taken;
- the inbox is read through the one scanner (pipeline.readers.scan): a name that is not UTF-8, a
  link out of the inbox, a FIFO or an unreadable file is a ``failures`` row, never opened;
- a fault of the machine (disk full, read-only folder) is a one-line TrackerError and the
  tracker is unchanged.

Who does what: this module plans (what is new, changed, removed, refused), runs the extraction
workers (pipeline.extraction.api; each returns the complete rows of its notices) and calls
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
from pipeline.readers.scan import scan, scan_some
from pipeline.tracker import store
from pipeline.tracker.link import link_all, link_changed

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
    failed: int = 0  # failures in the tracker after the run
    failed_files: int = 0  # files this run read and could not use (not counted as extracted)
    documents: int = 0
    seconds: float = 0.0
    failures: list = field(default_factory=list)  # (path, reason) of this run's new failures
    pending: list = field(default_factory=list)  # files modified too recently to be read safely
    links: dict = field(default_factory=dict)

    def line(self) -> str:
        return (f"{self.files_seen} files: {self.extracted} extracted, {self.reused} unchanged, "
                f"{self.removed} removed, {self.failed_files} failed this run; {self.failed} failures and "
                f"{self.documents} notices in the tracker "
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
    public API) and load jieba's dictionary (the tracker's search words), so forked workers share
    them, or an early worker has them when its first file comes."""
    from pipeline.extraction import extract
    from pipeline.readers.document import Block, Document
    from pipeline.tracker.search import words

    extract(Document(path="warm-up", format="txt", sha256="", blocks=[Block(text="关于开展检查的通知")]))
    words("关于开展检查的通知")


# -- worker processes: they die with the rebuild and never hold its lock --------------------------

_INHERITED_FDS: list[int] = []  # the lock's file descriptor, closed in every forked worker


def _worker_init(parent: int, warm: bool) -> None:
    """Run first in every worker: die when the rebuild dies (kill -9 included) and drop the lock.

    A forked worker inherits the rebuild's open files, the lock's among them; a worker outliving a
    killed rebuild would hold the lock for ever. So the worker closes its copy (the lock stays the
    parent's), asks Linux to SIGKILL it when its parent dies (prctl PR_SET_PDEATHSIG) and, where
    that is not available, watches its parent from a thread."""
    import signal
    import threading

    for fd in _INHERITED_FDS:
        try:
            os.close(fd)
        except OSError:
            pass
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:  # the parent died before the signal was asked for
        os._exit(1)

    def watchdog():
        while True:
            time.sleep(1.0)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watchdog, daemon=True).start()
    if warm:
        _warm()


def make_pool(jobs: int):
    """The pool of extraction workers (``jobs`` processes). Every pool a rebuild uses comes from
    here: forked from this process after the pipeline is loaded (shared copy-on-write pages), each
    worker started by :func:`_worker_init`. An executor elsewhere (a cluster) takes the same work:
    ``extract_for_tracker(path, rel)`` → plain rows, mapped over the files to extract."""
    import multiprocessing as mp

    fork = "fork" in mp.get_all_start_methods()
    if fork:
        import gc

        _warm()
        gc.freeze()  # the collector no longer walks (and so copies) the pages the workers share
    ctx = mp.get_context("fork") if fork else None
    return ProcessPoolExecutor(max_workers=jobs, mp_context=ctx, initializer=_worker_init,
                               initargs=(os.getpid(), not fork))


EARLY_MAX = 32  # files the early worker takes alone (at ~20 ms a notice); more go to the pool of ``jobs``


def _pipeline_loaded() -> bool:
    """Whether this process has built the extraction pipeline already (``duban watch``, a test)."""
    import sys

    nlp = sys.modules.get("pipeline.extraction.nlp")
    return nlp is not None and nlp.get_nlp.cache_info().currsize > 0


class EarlyWorker:
    """One extraction worker forked when the rebuild starts, loading the pipeline (spaCy, the rules,
    jieba's dictionary: about 1.5 s) while this process scans the inbox and plans: a rebuild that
    finds a few changed files has them extracted as soon as the plan is made, instead of loading
    the pipeline after it. Killed unused when nothing changed. Same contract as the executors
    ``_run_extraction`` takes (``run(files, progress)`` yields ``(path, rel, items)``); a file it
    fails on (the worker died) is extracted here instead, as it would have been."""

    def __init__(self):
        import multiprocessing as mp

        ctx = mp.get_context("fork")
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_serve_early, args=(child, os.getpid()), daemon=True)
        self.proc.start()
        child.close()

    @classmethod
    def start(cls, jobs: int, executor) -> "EarlyWorker | None":
        """A worker when it can help: worker processes asked for (jobs > 1), no cluster, fork
        available (it shares nothing, but a spawned one would re-import the caller), and the
        pipeline not already loaded here."""
        import multiprocessing as mp

        if jobs <= 1 or executor is not None or _pipeline_loaded() or "fork" not in mp.get_all_start_methods():
            return None
        try:
            return cls()
        except OSError:
            return None

    def run(self, files, progress):
        alive = True
        for p, rel in files:
            items = None
            if alive:
                try:
                    self.conn.send((str(p), rel))
                    items = self.conn.recv()
                except (EOFError, OSError):
                    alive = False
            if items is None:
                items = extract_for_tracker(str(p), rel)
            yield p, rel, items
            progress(p)

    def close(self) -> None:
        if self.proc.is_alive():
            self.proc.kill()
        self.proc.join()
        self.conn.close()


def _serve_early(conn, parent: int) -> None:
    _worker_init(parent, warm=True)
    while True:
        try:
            job = conn.recv()
        except EOFError:
            return
        try:
            conn.send(extract_for_tracker(*job))
        except Exception:  # an error outside the extraction's own handling: the parent redoes the file
            conn.send(None)


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
    with make_pool(jobs) as pool:
        chunk = max(1, min(16, len(files) // (jobs * 8) or 1))
        items = pool.map(extract_for_tracker, [str(p) for p, _ in files], [rel for _, rel in files], chunksize=chunk)
        for (p, rel), found in zip(files, items):
            yield p, rel, found
            progress(p)


# -- the rebuild -----------------------------------------------------------------------------------

def _lock_info(lock_path: Path) -> Path:
    return lock_path.with_name(lock_path.name + ".info")


def _holder(lock_path: Path) -> str:
    """Who holds the lock, as its holder wrote it (pid, host, since when), or that it is unknown."""
    try:
        pid, since = _lock_info(lock_path).read_text(encoding="utf-8").split()[:2]
    except (OSError, ValueError):
        return "another rebuild"
    alive = Path(f"/proc/{pid}").exists() if Path("/proc/self").exists() else True
    return f"the rebuild of process {pid} (since {since})" + ("" if alive else ", which is gone")


@contextmanager
def _lock(db_path: Path, wait: bool, timeout: float | None = None, log=None):
    """One rebuild at a time per tracker. The lock is the OS's (filelock), so a killed rebuild never
    leaves it held; its holder writes its pid and start time beside it (``tracker.db.lock.info``).
    A rebuild that finds it held says who holds it and waits (``timeout`` seconds at most, for
    ever when None), or fails at once when not ``wait``."""
    lock_path = db_path.with_name(db_path.name + ".lock")
    lock = FileLock(lock_path)
    try:
        lock.acquire(timeout=0)
    except Timeout:
        if not wait or timeout == 0:
            raise TrackerError(f"{db_path}: another rebuild is running: {_holder(lock_path)} "
                               f"holds {lock_path}") from None
        if log:
            log(f"waiting for {_holder(lock_path)} to finish (lock {lock_path})"
                + (f", {timeout:g} s at most" if timeout else ""))
        try:
            lock.acquire(timeout=-1 if timeout is None else timeout)
        except Timeout:
            raise TrackerError(f"{db_path}: gave up after {timeout:g} s: {_holder(lock_path)} still holds "
                               f"{lock_path}") from None
    try:
        fd = getattr(getattr(lock, "_context", None), "lock_file_fd", None)
        _INHERITED_FDS[:] = [fd] if fd is not None else []
        try:
            _lock_info(lock_path).write_text(f"{os.getpid()} {_now()}\n", encoding="utf-8")
        except OSError:
            pass
        yield
    finally:
        _INHERITED_FDS.clear()
        try:
            _lock_info(lock_path).unlink(missing_ok=True)
        except OSError:
            pass
        lock.release()


def _now() -> str:
    return datetime.now(timezone.utc).astimezone().isoformat(timespec="seconds")


def _temp_path(db_path: Path) -> Path:
    return db_path.with_name(f".{db_path.name}.building-{os.getpid()}")


def _remove_stale(db_path: Path) -> None:
    """Leftovers of killed rebuilds (working copies, spools): only one rebuild runs, so none is live."""
    for p in db_path.parent.glob(f".{db_path.name}.building-*"):
        p.unlink(missing_ok=True)


def _prepare(db_path: Path, tmp: Path):
    """The working copy of a full rebuild: migrated from the live tracker (older schema), or new."""
    from pipeline.extraction import EXTRACTOR_VERSION

    for suffix in ("", "-journal", "-wal", "-shm"):
        Path(str(tmp) + suffix).unlink(missing_ok=True)
    migrate_from, carry = None, False
    if db_path.exists():
        old = store.open_db(db_path)
        try:
            version = store.schema_version(old)
        except sqlite3.DatabaseError as e:
            raise TrackerError(f"{db_path}: not a duban tracker ({e})") from None
        if version is not None and version > store.SCHEMA_VERSION:
            raise TrackerError(f"{db_path}: written by a newer duban (schema {version}; this one knows "
                               f"{store.SCHEMA_VERSION}); upgrade duban")
        if version is not None and version < store.SCHEMA_VERSION:
            migrate_from = old
        else:
            old.close()
            carry = version is not None
    db = store.open_db(tmp)
    # the working copy is private until it is installed, and synced then: no per-commit syncing needed
    db.execute("pragma journal_mode = memory")
    db.execute("pragma synchronous = off")
    store.create_schema(db)
    if migrate_from is not None:
        store.migrate(migrate_from, db)
        migrate_from.close()
    elif carry:  # everything is re-extracted, but the history of runs and failures stays
        store.carry_history(db, db_path)
    store.set_meta(db, extractor_version=store.get_meta(db, "extractor_version", EXTRACTOR_VERSION))
    return db


def _install(tmp: Path, db_path: Path) -> None:
    """Put a fully rebuilt tracker in place. A new tracker is renamed in; an existing one is
    overwritten through SQLite's backup API in one write transaction, so its file (and every
    reader's open connection to it) stays: readers see the old tracker or the new, and a kill
    midway rolls back to the old."""
    src = sqlite3.connect(tmp)
    try:
        if not db_path.exists():
            src.execute("pragma journal_mode = wal")
            src.close()
            _fsync(tmp)
            os.replace(tmp, db_path)
            _fsync(db_path.parent)
            return
        dst = sqlite3.connect(db_path, timeout=60)
        try:
            dst.execute("pragma journal_mode = wal")
            dst.execute("pragma synchronous = full")
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
    tmp.unlink(missing_ok=True)


def rebuild(inbox=DEFAULT_INBOX, db_path=DEFAULT_DB, *, jobs: int = 1, force: bool = False,
            progress=None, log=None, wait_for_lock: bool = True, lock_timeout: float | None = None,
            settle: float = 2.0, settle_limit: float = 600.0, paths=None, executor=None) -> Summary:
    """Bring the tracker at ``db_path`` up to date with ``inbox``; returns what was done.

    ``progress(path)`` is called after each extracted file, ``progress.start(n)`` first when it
    has that method; ``log(line)`` gets one line per new failure, and a line when the run waits
    (for the lock, or for files still being written). A file modified less than ``settle``
    seconds ago may still be being copied: the run waits until it holds still for ``settle``
    seconds (``settle_limit`` at most), else it keeps its previous state until a later run.
    Plans here, extracts in workers; every write goes through pipeline.tracker.store.
    ``executor`` (``run(files, progress)`` yielding ``(path, rel, items)``, e.g. a
    pipeline.tracker.cluster.DaskExtraction) extracts elsewhere instead of local processes.

    ``paths`` (inbox-relative, files or folders): only those changed since the last rebuild, so
    only they are looked at (``duban watch`` knows them); a path that is gone is removed. None:
    the whole inbox is compared with the tracker (the nightly job).

    New, changed and removed files are applied to the live tracker in one SQLite transaction (WAL
    mode: readers keep their snapshot, a kill rolls back): the cost follows the change, not the
    tracker. A full re-extraction (new tracker, extractor version changed, ``force``, migration)
    is built aside and installed at the end (:func:`_install`).
    """
    inbox, db_path = Path(inbox), Path(db_path)
    if not inbox.is_dir():
        raise TrackerError(f"{inbox}: inbox folder not found")
    try:
        db_path.parent.mkdir(parents=True, exist_ok=True)
        with _lock(db_path, wait_for_lock, lock_timeout, log):
            return _rebuild_locked(inbox, db_path, jobs, force, progress, log, settle, settle_limit, paths, executor)
    except OSError as e:
        raise TrackerError(_environment_error(db_path, e)) from None
    except sqlite3.OperationalError as e:
        raise TrackerError(_environment_error(db_path, e)) from None


def _environment_error(db_path: Path, e: Exception) -> str:
    """One line for a fault of the machine (disk full, read-only folder): the tracker is unchanged."""
    import errno

    text = str(e)
    if isinstance(e, OSError):
        if e.errno == errno.ENOSPC:
            text = "no space left on the disk"
        elif e.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
            text = f"cannot write there ({e.strerror or e})"
        else:
            text = e.strerror or str(e)
    elif "full" in text:
        text = "no space left on the disk (database or disk is full)"
    elif "readonly" in text or "read-only" in text:
        text = "cannot write there (read-only)"
    return f"{db_path}: {text}; the tracker is unchanged"


def _rebuild_locked(inbox, db_path, jobs, force, progress, log, settle, settle_limit, paths, executor=None) -> Summary:
    started, t0 = _now(), time.perf_counter()
    summary = Summary()
    _remove_stale(db_path)
    # a watch-style run (``paths``) stays in its process: the pipeline it loads there serves the next change
    early = EarlyWorker.start(jobs, executor) if db_path.exists() and not force and paths is None else None
    try:
        live = _open_current(db_path)
        if live is not None:  # plan on the live tracker: what changed is applied to it in place
            from pipeline.extraction import EXTRACTOR_VERSION

            try:
                if not force and store.get_meta(live, "extractor_version", EXTRACTOR_VERSION) == EXTRACTOR_VERSION:
                    plan = _plan(live, inbox, force, settle, settle_limit, summary, log, paths)
                    if plan.quiet:
                        return _record_quiet_run(live, plan, summary, started, t0, inbox)
                    if early is not None and len(plan.todo) <= EARLY_MAX:
                        executor = early
                    return _apply_in_place(live, plan, inbox, db_path, jobs, progress, log, summary, started, t0,
                                           executor)
            finally:
                live.close()
    finally:
        if early is not None:
            early.close()
    tmp = _temp_path(db_path)
    db = _prepare(db_path, tmp)
    try:
        plan = _plan(db, inbox, force, settle, settle_limit, summary, log)
        _apply(db, plan, inbox, _extracted(plan, jobs, progress, executor), summary, log)
        summary.links = link_all(db)
        with db.conn:
            _finish(db, plan, summary, started, t0, inbox)
        db.close()
        _install(tmp, db_path)
    except BaseException:
        try:
            db.close()
        finally:
            tmp.unlink(missing_ok=True)
        raise
    return summary


def _extracted(plan, jobs, progress, executor=None):
    """(rel, items) of every file to extract, in order, from the workers."""
    if progress is not None and hasattr(progress, "start"):
        progress.start(len(plan.todo))
    files = [(plan.on_disk[rel], rel) for rel in plan.todo]
    for _, rel, items in _run_extraction(files, jobs, progress or (lambda p: None), executor):
        yield rel, items


def _apply_in_place(db, plan, inbox, db_path, jobs, progress, log, summary, started, t0, executor=None) -> Summary:
    """Extract the changed files first (workers; no write transaction open, their rows spooled to
    a private file), then apply everything to the live tracker in one write transaction."""
    import pickle

    spool = db_path.with_name(f".{db_path.name}.building-{os.getpid()}.spool")
    try:
        with open(spool, "wb") as fh:
            for rel, items in _extracted(plan, jobs, progress, executor):
                pickle.dump((rel, items), fh, protocol=pickle.HIGHEST_PROTOCOL)

        def spooled():
            with open(spool, "rb") as fh:
                while True:
                    try:
                        yield pickle.load(fh)
                    except EOFError:
                        return

        db.execute("pragma journal_mode = wal")
        db.execute("pragma synchronous = full")
        db.conn.execute("pragma busy_timeout = 60000")
        store.ensure_indexes(db)
        db.conn.execute("begin immediate")
        try:
            changed = _apply(db, plan, inbox, spooled(), summary, log)
            summary.links = link_changed(db, **changed)
            _finish(db, plan, summary, started, t0, inbox)
            db.conn.commit()
        except BaseException:
            db.conn.rollback()
            raise
    finally:
        spool.unlink(missing_ok=True)
    return summary


def _apply(db, plan, inbox, extracted, summary, log) -> dict:
    """Write a plan's changes (inside the caller's transaction, or in a private working copy):
    drop what is gone or changed, add what was extracted. Returns what the links must look at."""
    from pipeline.extraction import EXTRACTOR_VERSION

    now = _now()

    def fail(path, sha, reason):
        before = plan.failed_before.get(path)
        store.add_failure(db, path=path, sha256=sha, reason=reason, run_id=plan.run_id, last_seen=now,
                          first_seen=before["first_seen"] if before else now)
        summary.failures.append((path, reason))
        if log:
            log(f"error: {inbox / path}: {reason}")

    for file_id, size, mtime in plan.touched:
        store.touch_file(db, file_id, size, mtime)
    gone = [plan.known[rel].id for rel in [*plan.removed, *plan.todo, *plan.refused] if rel in plan.known]
    names, orphaned, group_keys = store.delete_files(db, gone)
    for rel in [*plan.removed, *plan.todo, *plan.refused]:
        store.forget_failures(db, rel)
    for rel, reason in plan.refused.items():  # never opened: no hash, no documents
        store.add_file(db, path=rel, sha256=None, size=None, mtime=None, status="failed",
                       extractor_version=EXTRACTOR_VERSION, n_documents=0)
        fail(rel, None, reason)
    writer = store.Writer(db)
    new_docs = []
    for rel, items in extracted:
        sha, size, mtime = plan.hashes[rel]
        errors = [it for it in items if "error" in it]
        failed = bool(errors) and len(errors) == len(items)
        file_id = store.add_file(db, path=rel, sha256=sha, size=size, mtime=mtime,
                                 extractor_version=EXTRACTOR_VERSION, status="failed" if failed else "ok",
                                 n_documents=len(items) - len(errors))
        for it in items:
            if "error" in it:
                fail(it["source"], sha, it["error"])
            else:
                new_docs.append(writer.add(it["rows"], file_id))
                names.update(store.mention_names(it["rows"]))
        summary.extracted += not failed
        summary.failed_files += failed
    writer.flush()
    store.see_failures_again(db, now, plan.run_id)  # unchanged failed files: still failing, seen again
    return {"documents": new_docs, "names": names, "citations": orphaned, "group_keys": group_keys}


def _finish(db, plan, summary, started, t0, inbox) -> None:
    from pipeline.extraction import EXTRACTOR_VERSION

    store.set_meta(db, extractor_version=EXTRACTOR_VERSION, inbox=str(inbox.resolve()))
    _record_run(db, plan.run_id, summary, started, t0, inbox)


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
    """The live tracker when it exists and has this schema, or one it upgrades in place (else None:
    it is new, or migrated)."""
    if not db_path.exists():
        return None
    try:
        db = store.open_db(db_path)
        version = store.schema_version(db)
        if version in store.UPGRADED_IN_PLACE:
            db.execute("pragma journal_mode = wal")
            store.upgrade(db)
            version = store.schema_version(db)
        if version == store.SCHEMA_VERSION:
            return db
        db.close()
    except sqlite3.DatabaseError:
        pass  # _prepare says what is wrong with it
    return None


def wait_until_settled(paths, settle: float, limit: float = 600.0) -> bool:
    """Return once none of the paths has changed size or mtime for ``settle`` seconds (True), or
    after ``limit`` seconds with some still changing (False)."""
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
    while time.monotonic() - quiet_since < settle:
        if time.monotonic() - start >= limit:
            return False
        time.sleep(min(0.25, settle))
        now = state()
        if now != last:
            last, quiet_since = now, time.monotonic()
    return True


def _plan(db, inbox: Path, force: bool, settle: float, settle_limit: float, summary: Summary, log=None,
          only=None) -> _Plan:
    """What a rebuild must do: which files are new or changed, which removed, which refused
    (pipeline.readers.scan: bad names, links out of the inbox, FIFOs, unreadable files).

    A file whose size and mtime are those stored is not read again (its stored hash stands);
    otherwise its content hash decides. Files modified within ``settle`` seconds are waited for
    (until they hold still that long, ``settle_limit`` at most), then taken."""
    from pipeline.extraction import EXTRACTOR_VERSION

    version_changed = store.get_meta(db, "extractor_version", EXTRACTOR_VERSION) != EXTRACTOR_VERSION
    found = scan(inbox) if only is None else scan_some(inbox, only)
    on_disk, refused = dict(found.files), dict(found.refused)
    summary.files_seen = len(on_disk) + len(refused)
    known = store.known_files(db, None if only is None else sorted(set(only)))
    failed_before = store.known_failures(db)
    stats, wall = {}, time.time()
    for rel, p in list(on_disk.items()):
        try:
            stats[rel] = found.stats.get(rel) or os.stat(p)  # the scan's stat: one per file
        except OSError as e:  # gone or unreadable since the scan
            del on_disk[rel]
            refused[rel] = f"cannot read: {e.strerror or e}"
    fresh = [rel for rel, st in stats.items() if settle > 0 and wall - st.st_mtime < settle]
    if fresh:
        if log:
            log(f"waiting for {len(fresh)} file{'s' if len(fresh) > 1 else ''} still being written "
                f"(until unchanged for {settle:g} s, {settle_limit:g} s at most)")
        wait_until_settled([on_disk[rel] for rel in fresh], settle, settle_limit)
        before = {rel: (stats[rel].st_size, stats[rel].st_mtime_ns) for rel in fresh}
        for rel in fresh:
            try:
                stats[rel] = os.stat(on_disk[rel])
            except OSError as e:
                del on_disk[rel], stats[rel]
                refused[rel] = f"cannot read: {e.strerror or e}"
        now = time.time()
        for rel in fresh:  # still moving: keep what we had, read it next time
            if rel in stats and now - stats[rel].st_mtime < settle and \
                    (stats[rel].st_size, stats[rel].st_mtime_ns) != before[rel]:
                summary.pending.append(rel)
    todo, hashes, touched = [], {}, []
    pending, steady = set(summary.pending), not force and not version_changed
    for rel, st in stats.items():
        old = known.get(rel)
        if steady and old is not None and rel not in pending:  # the common case, first: nothing moved
            sha = old.sha256
            if sha and old.mtime == st.st_mtime and old.size == st.st_size and old.extractor_version == EXTRACTOR_VERSION:
                hashes[rel] = (sha, st.st_size, st.st_mtime)
                summary.reused += 1
                continue
        if rel in pending:
            if old:
                summary.reused += 1
            else:
                del on_disk[rel]
            continue
        try:
            # unchanged size and mtime: the stored hash stands (the content hash is taken when they move)
            same = old and old.sha256 and old.size == st.st_size and old.mtime == st.st_mtime
            sha = old.sha256 if same else file_sha256(on_disk[rel])
        except OSError as e:
            del on_disk[rel]
            refused[rel] = f"cannot read: {e.strerror or e}"
            continue
        hashes[rel] = (sha, st.st_size, st.st_mtime)
        if force or version_changed or not old or old.sha256 != sha or old.extractor_version != EXTRACTOR_VERSION:
            todo.append(rel)
        else:
            if old.size != st.st_size or old.mtime != st.st_mtime:  # touched, same bytes
                touched.append((old.id, st.st_size, st.st_mtime))
            summary.reused += 1
    for rel, reason in list(refused.items()):  # refused before for the same reason: nothing to do
        old, failure = known.get(rel), failed_before.get(rel)
        if old and old.sha256 is None and failure and failure["reason"] == reason and not version_changed:
            del refused[rel]
            summary.reused += 1
    removed = [rel for rel in known if rel not in on_disk and rel not in found.refused and rel not in refused]
    summary.removed = len(removed)
    gone = {*removed, *todo, *(rel for rel in refused if rel in known)}
    if gone and known:  # a notice first read from a file that goes: its other copies are read again
        for rel in sorted(store.copies_elsewhere(db, gone)):
            if rel in hashes and rel not in todo:
                todo.append(rel)
                summary.reused -= 1
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
