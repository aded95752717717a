"""Rebuilding the tracker from the inbox folder: the nightly job (and what ``duban watch`` calls).

    >>> from pipeline.tracker import rebuild
    >>> summary = rebuild("inbox", "outputs/tracker.db", jobs=2)

How a rebuild stays safe:
- it takes a lock (``tracker.db.lock``), so two rebuilds never interleave;
- it never writes the live database: it copies it (SQLite's backup API) to a temporary file
  beside it, applies the changes there, and swaps it in with one ``os.replace``. A query running
  meanwhile sees the old tracker or the new one; a rebuild killed midway leaves the old one
  intact and a stray temporary file that the next rebuild removes;
- only files whose content hash is new or changed are extracted (all of them when the extractor
  version changes), in parallel worker processes; a file that fails goes to ``failures`` with
  its reason and the run goes on.
"""
from __future__ import annotations

import fcntl
import os
import sqlite3
import time
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from pipeline.tracker import store
from pipeline.readers.document import ReadError
from pipeline.readers import file_sha256

DEFAULT_DB = Path("outputs/tracker.db")
DEFAULT_INBOX = Path("inbox")
IGNORED_PREFIXES = (".", "~$", "~WRL")  # hidden files, Office lock files and temporaries


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


def supported_suffixes() -> set[str]:
    from pipeline.readers import SUPPORTED

    return set(SUPPORTED) | {".zip"}


def scan_inbox(inbox: Path) -> dict[str, Path]:
    """relative posix path → absolute path, for every notice file under the inbox."""
    suffixes = supported_suffixes()
    out = {}
    for p in sorted(inbox.rglob("*")):
        if p.name.startswith(IGNORED_PREFIXES) or not p.is_file():
            continue
        if p.suffix.lower() in suffixes:
            out[p.relative_to(inbox).as_posix()] = p
    return out


# -- extraction (in worker processes) -------------------------------------------------------------

def extract_for_tracker(path: str) -> list[dict]:
    """Everything the tracker stores about one file: one item per notice in it (a .zip holds many).

    Runs in a worker process; returns plain data (picklable): the record, the normalized text,
    its search words and each duty's search words, or the read error.
    """
    from pipeline.extraction.extract import build_record, run_pipeline
    from pipeline.readers import read_entries
    from pipeline.tracker.search import doc_words, words

    out = []
    for item in read_entries(Path(path)):
        if isinstance(item, ReadError):
            out.append({"source": item.path, "error": item.reason})
            continue
        try:
            doc = run_pipeline(item)
            record = build_record(item, doc)
        except Exception as e:  # an extractor bug must not sink the nightly run; it is recorded
            out.append({"source": str(item.path), "error": f"extraction failed ({type(e).__name__}: {str(e)[:160]})"})
            continue
        duty_words = {u["text"]: words(" ".join(filter(None, [u.get("text"), u.get("actor")])))
                      for u in record["duties"] if u.get("text")}
        rows = store.fact_rows(record, path=str(item.path), file=path, text=doc.text, words=doc_words(doc),
                               duty_words=duty_words)
        out.append({"source": str(item.path), "rows": rows})
    return out


def _warm():
    from pipeline.extraction.nlp import get_nlp

    get_nlp()


def _run_extraction(paths: list[Path], jobs: int, progress):
    """Yield (path, items) for each file, in parallel when jobs > 1."""
    if jobs <= 1 or len(paths) <= 1:
        for p in paths:
            yield p, extract_for_tracker(str(p))
            progress(p)
        return
    import multiprocessing as mp

    # Load the pipeline once here and fork the workers from it: they start at once, and the
    # dictionaries and models stay shared pages (copy-on-write) instead of one copy per worker.
    _warm()
    ctx = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else None
    with ProcessPoolExecutor(max_workers=jobs, mp_context=ctx, initializer=None if ctx else _warm) as pool:
        chunk = max(1, min(16, len(paths) // (jobs * 8) or 1))
        for p, items in zip(paths, pool.map(extract_for_tracker, map(str, paths), chunksize=chunk)):
            yield p, items
            progress(p)


# -- the rebuild -----------------------------------------------------------------------------------

@contextmanager
def _lock(db_path: Path, wait: bool):
    lock_path = db_path.with_name(db_path.name + ".lock")
    fh = open(lock_path, "a+")
    try:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            raise TrackerError(f"{db_path}: another rebuild is running (lock {lock_path})") from None
        yield
    finally:
        fh.close()


def _now() -> str:
    return datetime.now(timezone.utc).astimezone().isoformat(timespec="seconds")


def _temp_path(db_path: Path) -> Path:
    return db_path.with_name(f".{db_path.name}.building-{os.getpid()}")


def _remove_stale(db_path: Path) -> None:
    for p in db_path.parent.glob(f".{db_path.name}.building-*"):
        p.unlink(missing_ok=True)


def _prepare(db_path: Path, tmp: Path):
    """The working copy: the live tracker copied (same schema), migrated (older), or new."""
    from pipeline.extraction.extract import EXTRACTOR_VERSION

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
        _migrate(migrate_from, db)
        migrate_from.close()
    store.set_meta(db, extractor_version=store.get_meta(db, "extractor_version", EXTRACTOR_VERSION))
    return db


def _migrate(old, db) -> None:
    """Older schema → this one: every document re-materialised from the record JSON it kept."""
    with db.conn:
        file_ids = {}
        for f in old.execute("select id, path, sha256, size, mtime, extractor_version, status, n_documents from files"):
            fid, path, sha, size, mtime, ev, status, n = f
            file_ids[fid] = db["files"].insert({"path": path, "sha256": sha, "size": size, "mtime": mtime,
                                                "extractor_version": ev, "status": status, "n_documents": n}).last_pk
        import json

        for file_id, path, file, text, words, record in old.execute(
                "select file_id, path, file, text, words, record from documents order by id"):
            store.insert_document(db, json.loads(record), file_id=file_ids[file_id], path=path, file=file,
                                  text=text, words=words)
        for table in ("runs", "failures"):
            if table in old.table_names():
                db[table].insert_all(old[table].rows, replace=True)


def rebuild(inbox=DEFAULT_INBOX, db_path=DEFAULT_DB, *, jobs: int = 1, force: bool = False,
            progress=None, log=None, wait_for_lock: bool = True, settle: float = 2.0) -> Summary:
    """Bring the tracker at ``db_path`` up to date with ``inbox``; returns what was done.

    ``progress(path)`` is called after each extracted file, ``progress.total = n`` set first when
    it has that attribute; ``log(line)`` gets one line per failure. A file modified less than
    ``settle`` seconds ago may still be being copied: it keeps its previous state until a later run.
    """
    from pipeline.extraction.extract import EXTRACTOR_VERSION
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
            todo, removed, known, hashes = plan.todo, plan.removed, plan.known, plan.hashes
            failed_before = plan.failed_before
            with db.conn:
                for file_id, size, mtime in plan.touched:
                    db["files"].update(file_id, {"size": size, "mtime": mtime})
                for rel in removed + [r for r in todo if r in known]:
                    store.delete_file(db, known[rel][1])
                for rel in removed:
                    db["failures"].delete_where("path = ? or path like ?", [rel, rel + "/%"])
            if progress is not None and hasattr(progress, "start"):
                progress.start(len(todo))
            run_id = plan.run_id
            now = _now()
            writer = store.Writer(db)
            results = _run_extraction([plan.on_disk[r] for r in todo], jobs, progress or (lambda p: None))
            for p, items in results:
                rel = p.relative_to(inbox).as_posix()
                sha, size, mtime = hashes[rel]
                with db.conn:
                    errors = [it for it in items if "error" in it]
                    file_id = db["files"].insert({"path": rel, "sha256": sha, "size": size, "mtime": mtime,
                                                  "extractor_version": EXTRACTOR_VERSION,
                                                  "status": "failed" if errors and len(errors) == len(items) else "ok",
                                                  "n_documents": len(items) - len(errors)}).last_pk
                    db["failures"].delete_where("path = ? or path like ?", [rel, rel + "/%"])
                    for it in items:
                        src = _relative_source(it["source"], p, rel)
                        if "error" in it:
                            first = failed_before.get(src)
                            db["failures"].insert({"path": src, "sha256": sha, "reason": it["error"],
                                                   "first_seen": first[2] if first else now, "last_seen": now,
                                                   "run_id": run_id}, replace=True)
                            summary.failures.append((src, it["error"]))
                            if log:
                                log(f"error: {inbox / src}: {it['error']}")
                        else:
                            it["rows"]["documents"][0].update(path=src, file=str(p.resolve()))
                            writer.add(it["rows"], file_id)
                summary.extracted += 1
            with db.conn:
                writer.flush()
            with db.conn:  # files that failed before and are unchanged: still failing, seen again
                db.execute("update failures set last_seen = ?, run_id = ? where path in "
                           "(select path from files where status = 'failed')", [now, run_id])
            summary.links = link_all(db)
            with db.conn:
                store.set_meta(db, extractor_version=EXTRACTOR_VERSION, inbox=str(inbox.resolve()))
                _record_run(db, run_id, summary, started, t0, inbox)
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
    on_disk: dict
    known: dict
    failed_before: dict
    todo: list
    removed: list
    hashes: dict
    touched: list  # (file id, size, mtime) of files touched but not changed
    version_changed: bool
    run_id: int

    @property
    def quiet(self) -> bool:
        return not self.todo and not self.removed and not self.version_changed


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
    """What a rebuild must do: which files are new or changed (content hash), which removed."""
    from pipeline.extraction.extract import EXTRACTOR_VERSION

    version_changed = store.get_meta(db, "extractor_version", EXTRACTOR_VERSION) != EXTRACTOR_VERSION
    on_disk = scan_inbox(inbox)
    summary.files_seen = len(on_disk)
    known = {r[0]: r for r in db.execute("select path, id, sha256, size, mtime, extractor_version, status from files")}
    failed_before = {r[0]: r for r in db.execute("select path, sha256, first_seen from failures")}
    todo, hashes, touched = [], {}, []
    wall = time.time()
    for rel, p in list(on_disk.items()):
        st = p.stat()
        old = known.get(rel)
        if wall - st.st_mtime < settle:  # still being written: keep what we had, read it next time
            summary.pending.append(rel)
            if old:
                summary.reused += 1
            else:
                del on_disk[rel]
            continue
        # unchanged size and mtime: the stored hash stands (the content hash is taken when they move)
        sha = old[2] if old and old[3] == st.st_size and old[4] == st.st_mtime else file_sha256(p)
        hashes[rel] = (sha, st.st_size, st.st_mtime)
        if force or version_changed or not old or old[2] != sha or old[5] != EXTRACTOR_VERSION:
            todo.append(rel)
        else:
            if old[3] != st.st_size or old[4] != st.st_mtime:  # touched, same bytes
                touched.append((old[1], st.st_size, st.st_mtime))
            summary.reused += 1
    removed = [rel for rel in known if rel not in on_disk]
    summary.removed = len(removed)
    run_id = db.execute("select coalesce(max(id), 0) + 1 from runs").fetchone()[0]
    return _Plan(on_disk, known, failed_before, todo, removed, hashes, touched, version_changed, run_id)


def _record_quiet_run(db, plan: _Plan, summary: Summary, started: str, t0: float, inbox: Path) -> Summary:
    """A rebuild that found nothing new, changed or removed: no copy and no swap; its ``runs`` row
    (and the mtimes of touched files) are written to the live tracker in one transaction."""
    try:
        with db.conn:
            for file_id, size, mtime in plan.touched:
                db["files"].update(file_id, {"size": size, "mtime": mtime})
            db.execute("update failures set last_seen = ?, run_id = ?", [_now(), plan.run_id])
            _record_run(db, plan.run_id, summary, started, t0, inbox)
    finally:
        db.close()
    return summary


def _record_run(db, run_id: int, summary: Summary, started: str, t0: float, inbox: Path) -> None:
    """Complete the summary from the tracker and write its ``runs`` row (inside the caller's transaction)."""
    from pipeline.extraction.extract import EXTRACTOR_VERSION

    summary.failed = db.execute("select count(*) from failures").fetchone()[0]
    summary.documents = db.execute("select count(*) from documents").fetchone()[0]
    summary.seconds = time.perf_counter() - t0
    db["runs"].insert({"id": run_id, "started": started, "finished": _now(), "seconds": round(summary.seconds, 3),
                       "inbox": str(inbox.resolve()), "files_seen": summary.files_seen,
                       "extracted": summary.extracted, "reused": summary.reused, "removed": summary.removed,
                       "failed": summary.failed, "documents": summary.documents,
                       "extractor_version": EXTRACTOR_VERSION, "status": "failures" if summary.failed else "ok"})


def _relative_source(source: str, path: Path, rel: str) -> str:
    """A notice's tracker path: the file's inbox-relative path, plus the member inside an archive."""
    s, full = str(source), str(path)
    if s == full:
        return rel
    if s.startswith(full + "/"):
        return rel + s[len(full):]
    return rel


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
