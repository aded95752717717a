"""The tracker database (督办台账): one SQLite file written with sqlite-utils.

One table per kind of fact, each row pointing at its document and keeping its evidence
(``evidence`` sentence, ``page``, ``start``/``end`` offsets into the normalized text, ``section``):

    files            one row per inbox file (content hash, size, how many notices it held)
    documents        one row per notice: the header fields, the full record JSON, the text
    document_files   every file a notice was found in: the same notice filed twice (a byte-identical
                     copy, or the same 文号 with the same title) is one notice with several files
    phases, deadlines, duties, roster_groups, roster_members, assignments, citations, benchmarks
    people           one row per person across notices (pipeline.link)
    roster_status    per roster group: current, or superseded by a later notice's roster (pipeline.link)
    runs, failures   what each rebuild did; which files could not be read and why
    meta             schema_version, extractor_version, inbox

Views: ``calendar`` (every dated thing on one timeline), ``person_roles`` (every role of every
person), ``citation_links`` (which notice cites which), ``ambiguous_people`` (namesakes kept
apart). FTS5 indexes over jieba-segmented words: ``duties_fts``, ``documents_fts`` (pipeline.search).

A change to the tables bumps SCHEMA_VERSION; an older tracker is migrated by re-materialising
every document from the record JSON it stores (``documents.record``), no re-extraction needed, or
upgraded in place when the change only adds (UPGRADED_IN_PLACE: ``upgrade``). An older duban refuses
a newer tracker with a one-line error instead of writing to tables it does not know.
"""
from __future__ import annotations

import json
from typing import NamedTuple

import sqlite_utils

from pipeline.tracker.link import actor_group, title_key, title_keys

SCHEMA_VERSION = 3  # 2: document_files (one notice, several files); 3: title_keys, citations.title_key
UPGRADED_IN_PLACE = {2}  # versions brought to this one by ``upgrade`` (what 3 added is filled in place)

EVIDENCE = {"evidence": str, "page": int, "start": int, "end": int, "section": str}

# table -> columns; every fact table also has id, uid, document_id, seq and EVIDENCE. ``uid`` is
# stable across rebuilds while the notice is unchanged (calendar UIDs, the desk's notes key on it).
FACTS = {
    "phases": {"name": str, "start_date": str, "end_date": str, "time_text": str},
    "deadlines": {"date": str, "task": str, "actor": str, "actor_group": str, "time_text": str},
    "duties": {"text": str, "actor": str, "actor_group": str, "action": str, "quantity": float, "unit": str,
               "comparator": str, "period": str, "deadline": str, "words": str},
    "roster_groups": {"name": str, "office_name": str, "office_director": str, "office_location": str},
    "roster_members": {"group_id": int, "group_name": str, "member_seq": int, "role": str, "name": str,
                       "title": str, "person_id": int},
    "assignments": {"name": str, "title": str, "duties": str, "person_id": int},
    "citations": {"title": str, "doc_number": str, "issuer": str, "cited_document_id": int, "title_key": str},
    "benchmarks": {"name": str},
}

VIEWS = {
    # one row per dated point; ``uid`` is the fact's own (a phase's start and end share it)
    "calendar": """
        select p.start_date as date, 'phase_start' as kind, p.name as what, null as actor, null as actor_group,
               p.document_id, d.doc_number, d.title, p.evidence, p.page, p.uid
          from phases p join documents d on d.id = p.document_id where p.start_date is not null
        union all
        select p.end_date, 'phase_end', p.name, null, null, p.document_id, d.doc_number, d.title, p.evidence, p.page,
               p.uid
          from phases p join documents d on d.id = p.document_id where p.end_date is not null
        union all
        select x.date, 'deadline', x.task, x.actor, x.actor_group, x.document_id, d.doc_number, d.title, x.evidence,
               x.page, x.uid
          from deadlines x join documents d on d.id = x.document_id where x.date is not null
        union all
        select u.deadline, 'duty_deadline', u.text, u.actor, u.actor_group, u.document_id, d.doc_number, d.title,
               u.evidence, u.page, u.uid
          from duties u join documents d on d.id = u.document_id where u.deadline is not null""",
    # ``standing``: current / superseded (by a later notice's roster of the same group, pipeline.link)
    "person_roles": """
        select m.person_id, m.name, m.role, m.title, m.group_name as context, 'roster' as source,
               m.document_id, d.doc_number, d.title as document_title, d.issuer, m.evidence, m.page,
               case s.current when 1 then 'current' when 0 then 'superseded' end as standing,
               s.superseded_by_notice as superseded_by
          from roster_members m join documents d on d.id = m.document_id
          left join roster_status s on s.group_id = m.group_id where m.person_id is not null
        union all
        select a.person_id, a.name, '分工', a.title, a.duties, 'assignment', a.document_id, d.doc_number,
               d.title, d.issuer, a.evidence, a.page, null, null
          from assignments a join documents d on d.id = a.document_id where a.person_id is not null""",
    "citation_links": """
        select c.document_id as citing_id, d.doc_number as citing_number, d.title as citing_title,
               c.title as cited_title, c.doc_number as cited_number,
               c.cited_document_id as cited_id, t.path as cited_path, c.evidence, c.page
          from citations c join documents d on d.id = c.document_id
          left join documents t on t.id = c.cited_document_id""",
    "ambiguous_people": """
        select p.* from people p where p.name in (select name from people group by name having count(*) > 1)
            or p.ambiguous = 1""",
}


class SchemaError(Exception):
    """The tracker file cannot be used by this version of duban (one-line reason)."""


def open_db(path) -> sqlite_utils.Database:
    db = sqlite_utils.Database(path)
    db.execute("pragma foreign_keys = on")
    return db


def schema_version(db) -> int | None:
    if "meta" not in db.table_names():
        return None
    row = db.execute("select value from meta where key = 'schema_version'").fetchone()
    return int(row[0]) if row else None


def create_schema(db) -> None:
    """Create every table, index, view and full-text index (idempotent)."""
    db["meta"].create({"key": str, "value": str}, pk="key", if_not_exists=True)
    db["files"].create({"id": int, "path": str, "sha256": str, "size": int, "mtime": float,
                        "extractor_version": str, "status": str, "n_documents": int},
                       pk="id", if_not_exists=True)
    db["files"].create_index(["path"], unique=True, if_not_exists=True)
    db["documents"].create({
        "id": int, "file_id": int, "path": str, "file": str, "sha256": str, "format": str, "pages": int,
        "ocr": int, "title": str, "doc_type": str, "doc_number": str, "doc_number_prefix": str,
        "doc_number_year": int, "doc_number_serial": int, "issuer": str, "addressees": str,
        "signed_date": str, "year": int, "text": str, "words": str, "record": str,
    }, pk="id", foreign_keys=[("file_id", "files", "id")], if_not_exists=True)
    db["documents"].create_index(["path"], unique=True, if_not_exists=True)
    for cols in (["doc_number"], ["issuer"], ["year"], ["file_id"]):
        db["documents"].create_index(cols, if_not_exists=True)
    db["document_files"].create({"id": int, "document_id": int, "file_id": int, "path": str}, pk="id",
                                foreign_keys=[("document_id", "documents", "id"), ("file_id", "files", "id")],
                                if_not_exists=True)
    for cols in (["document_id"], ["file_id"]):
        db["document_files"].create_index(cols, if_not_exists=True)
    db["people"].create({"id": int, "name": str, "place": str, "titles": str, "n_roles": int,
                         "n_documents": int, "ambiguous": int, "note": str}, pk="id", if_not_exists=True)
    db["people"].create_index(["name"], if_not_exists=True)
    # filled by pipeline.link after every rebuild: is a roster group current or superseded, and by what
    db["roster_status"].create({"group_id": int, "group_key": str, "current": int, "superseded_by": int,
                                "superseded_by_notice": str, "superseded_on": str}, pk="group_id", if_not_exists=True)
    for table, cols in FACTS.items():
        fks = [("document_id", "documents", "id")]
        if table == "roster_members":
            fks += [("group_id", "roster_groups", "id"), ("person_id", "people", "id")]
        if table == "assignments":
            fks.append(("person_id", "people", "id"))
        if table == "citations":
            fks.append(("cited_document_id", "documents", "id"))
        db[table].create({"id": int, "uid": str, "document_id": int, "seq": int, **cols, **EVIDENCE},
                         pk="id", foreign_keys=fks, if_not_exists=True)
        db[table].create_index(["document_id"], if_not_exists=True)
        db[table].create_index(["uid"], if_not_exists=True)
    for table, cols in (("deadlines", ["date"]), ("duties", ["actor_group"]), ("duties", ["period"]),
                        ("duties", ["deadline"]), ("roster_members", ["name"]), ("roster_members", ["person_id"]),
                        ("assignments", ["person_id"]), ("phases", ["start_date"]), ("phases", ["end_date"])):
        db[table].create_index(cols, if_not_exists=True)
    ensure_indexes(db)
    db["runs"].create({"id": int, "started": str, "finished": str, "seconds": float, "inbox": str,
                       "files_seen": int, "extracted": int, "reused": int, "removed": int, "failed": int,
                       "documents": int, "extractor_version": str, "status": str}, pk="id", if_not_exists=True)
    db["failures"].create({"path": str, "sha256": str, "reason": str, "first_seen": str, "last_seen": str,
                           "run_id": int}, pk="path", if_not_exists=True)
    for name, sql in VIEWS.items():
        db.create_view(name, sql, replace=True)
    for table in ("duties", "documents"):
        if f"{table}_fts" not in db.table_names():
            db[table].enable_fts(["words"], create_triggers=True)
    db["meta"].upsert({"key": "schema_version", "value": str(SCHEMA_VERSION)}, pk="key")


# indexes an incremental rebuild and the links need (added after schema 1 was first written: made
# on every rebuild if missing, so no migration is needed)
LATER_INDEXES = (("citations", ["cited_document_id"]), ("citations", ["doc_number"]), ("assignments", ["name"]),
                 ("documents", ["title"]), ("documents", ["sha256"]), ("roster_status", ["group_key"]),
                 ("title_keys", ["key"]), ("title_keys", ["document_id"]), ("citations", ["title_key"]),
                 ("documents", ["issuer", "year"]), ("documents", ["signed_date"]))  # the desk's dashboard


def ensure_indexes(db) -> None:
    """What later versions added beside the facts (indexes, ``roster_status`` and the views that read
    it), made on every rebuild if missing: a tracker written by an earlier duban needs no migration."""
    db["roster_status"].create({"group_id": int, "group_key": str, "current": int, "superseded_by": int,
                                "superseded_by_notice": str, "superseded_on": str}, pk="group_id", if_not_exists=True)
    _ensure_title_keys(db)
    for table, cols in LATER_INDEXES:
        db[table].create_index(cols, if_not_exists=True)
    for name, sql in VIEWS.items():
        db.create_view(name, sql, replace=True)


def upgrade(db) -> None:
    """Bring a tracker of a version in UPGRADED_IN_PLACE to this one where it is (ensure_indexes adds
    and fills what is missing, in transactions), then say so in ``meta``."""
    ensure_indexes(db)
    with db.conn:
        set_meta(db, schema_version=SCHEMA_VERSION)


def _ensure_title_keys(db) -> None:
    """The keys a citation is matched by (pipeline.tracker.link.title_keys): ``title_keys`` holds
    each notice's (its title without white space, and the plans it encloses in 《》), ``citations.
    title_key`` each citation's, so an incremental rebuild finds the citations a new notice answers,
    and the notice a new citation names, through an index instead of every title in the tracker. A
    tracker written before them gets them here, filled in one transaction."""
    has_column = "title_key" in db["citations"].columns_dict
    if has_column and "title_keys" in db.table_names():
        return
    db.conn.execute("begin immediate")
    try:
        if not has_column:
            db.conn.execute("alter table citations add column title_key text")
            db.conn.executemany("update citations set title_key = ? where id = ?", [
                (title_key(t), cid) for cid, t in db.conn.execute("select id, title from citations where title is not null")
                .fetchall()])
        if "title_keys" not in db.table_names():
            db.conn.execute("create table title_keys (key text, document_id integer references documents(id))")
            db.conn.executemany("insert into title_keys (key, document_id) values (?, ?)", [
                (k, doc_id) for doc_id, t in db.conn.execute("select id, title from documents").fetchall()
                for k in title_keys(t)])
        db.conn.commit()
    except BaseException:
        db.conn.rollback()
        raise


def carry_history(db, old_path) -> None:
    """Copy the ``runs`` and ``failures`` of the tracker at ``old_path`` into ``db`` (a full rebuild
    re-extracts every file but keeps the history)."""
    db.execute("attach database ? as old", [str(old_path)])
    try:
        with db.conn:
            for table in ("runs", "failures"):
                db.execute(f"insert or replace into {table} select * from old.{table}")
    finally:
        db.execute("detach database old")


def set_meta(db, **values) -> None:
    db["meta"].upsert_all([{"key": k, "value": str(v)} for k, v in values.items()], pk="key")


def get_meta(db, key, default=None):
    if "meta" not in db.table_names():
        return default
    row = db.execute("select value from meta where key = ?", [key]).fetchone()
    return row[0] if row else default


def _ev(item) -> dict:
    ev = item.get("evidence") or {}
    return {"evidence": ev.get("text"), "page": ev.get("page"), "start": ev.get("start"), "end": ev.get("end"),
            "section": item.get("section")}


def fact_rows(record: dict, *, path: str, file: str, text: str | None = None,
              words: str | None = None) -> dict[str, list[dict]]:
    """Every row one record becomes, table by table, complete but for ids (a pure function, so
    extraction workers can do it in parallel). ``documents`` holds one row; ``roster_members``
    rows point at their group by ``group_seq``. The search words (pipeline.tracker.search) are
    cut here, once: the document's from ``text`` (else its title) unless ``words`` are given (a
    migration keeps the stored ones), each duty's from its text and actor."""
    from pipeline.tracker.search import words as seg

    num = record.get("doc_number") or {}
    src = record.get("source") or {}
    signed = record.get("signed_date")
    doc_key = num.get("text") or src.get("sha256") or path
    out = {"documents": [{
        "path": path, "file": file, "sha256": src.get("sha256"), "format": src.get("format"),
        "pages": src.get("pages"), "ocr": int(bool(src.get("ocr"))), "title": record.get("title"),
        "doc_type": record.get("doc_type"), "doc_number": num.get("text"), "doc_number_prefix": num.get("prefix"),
        "doc_number_year": num.get("year"), "doc_number_serial": num.get("serial"), "issuer": record.get("issuer"),
        "addressees": json.dumps(record.get("addressees") or [], ensure_ascii=False), "signed_date": signed,
        "year": int(signed[:4]) if signed else num.get("year"), "text": text,
        "words": words if words is not None else seg(text or record.get("title")),
        "record": json.dumps(record, ensure_ascii=False, sort_keys=True),
    }]}

    def rows(table, items):
        for i, item in enumerate(items):
            item["seq"] = i
            item["uid"] = _uid(doc_key, table, i, item.get("name") or item.get("text") or item.get("task"))
        out[table] = items

    rows("phases", [{"name": p.get("name"), "start_date": p.get("start"), "end_date": p.get("end"),
                     "time_text": p.get("time_text"), **_ev(p)} for p in record.get("phases") or []])
    rows("deadlines", [{"date": d.get("date"), "task": d.get("task"), "actor": d.get("actor"),
                        "actor_group": actor_group(d.get("actor")), "time_text": d.get("time_text"), **_ev(d)}
                       for d in record.get("deadlines") or []])
    rows("duties", [{"text": u.get("text"), "actor": u.get("actor"), "actor_group": actor_group(u.get("actor")),
                     "action": u.get("action"), "quantity": u.get("quantity"), "unit": u.get("unit"),
                     "comparator": u.get("comparator"), "period": u.get("period"), "deadline": u.get("deadline"),
                     "words": seg(" ".join(filter(None, [u.get("text"), u.get("actor")]))),
                     **_ev(u)} for u in record.get("duties") or []])
    groups, members = [], []
    for gi, g in enumerate(record.get("rosters") or []):
        office = g.get("office") or {}
        first = g["members"][0] if g.get("members") else {}
        groups.append({"name": g.get("group"), "office_name": office.get("name"),
                       "office_director": office.get("director"), "office_location": office.get("location"),
                       **_ev(first)})
        members += [{"group_seq": gi, "group_name": g.get("group"), "member_seq": mi, "role": m.get("role"),
                     "name": m.get("name"), "title": m.get("title"), "person_id": None, **_ev(m)}
                    for mi, m in enumerate(g.get("members") or [])]
    rows("roster_groups", groups)
    rows("roster_members", members)
    rows("assignments", [{"name": a.get("name"), "title": a.get("title"), "duties": "；".join(a.get("duties") or []),
                          "person_id": None, **_ev(a)} for a in record.get("assignments") or []])
    rows("citations", [{"title": c.get("title"), "doc_number": c.get("doc_number"), "issuer": c.get("issuer"),
                        "cited_document_id": None, "title_key": title_key(c.get("title")), **_ev(c)}
                       for c in record.get("cited_documents") or []])
    rows("benchmarks", [{"name": b if isinstance(b, str) else b.get("name")} for b in record.get("benchmarks") or []])
    return out


def same_notice(db, doc: dict) -> int | None:
    """The id of the notice already in the tracker that ``doc`` (a documents row) is another copy
    of: the same bytes (sha256), or the same 文号 with the same title. A notice re-issued under
    another 文号 is another notice."""
    if doc.get("sha256"):
        row = db.execute("select min(id) from documents where sha256 = ?", [doc["sha256"]]).fetchone()
        if row[0] is not None:
            return row[0]
    if doc.get("doc_number") and doc.get("title"):
        row = db.execute("select min(id) from documents where doc_number = ? and title = ?",
                         [doc["doc_number"], doc["title"]]).fetchone()
        if row[0] is not None:
            return row[0]
    return None


class Writer:
    """Writes the rows of many documents in batches (one insert per table per batch, not per
    document): ids for documents and roster groups are given here, so facts can point at them
    before anything is written. Call ``flush()`` at the end (or use it as a context manager).

    A document that is another copy of a notice already written (:func:`same_notice`) adds no
    rows but its ``document_files`` row: the notice is listed once, with all its files."""

    def __init__(self, db, batch: int = 200):
        self.db, self.batch = db, batch
        self.next_doc = (db.execute("select coalesce(max(id), 0) + 1 from documents").fetchone()[0])
        self.next_group = (db.execute("select coalesce(max(id), 0) + 1 from roster_groups").fetchone()[0])
        self.pending: dict[str, list[dict]] = {}
        self.keys: dict[tuple, int] = {}  # copy keys of the documents not yet flushed
        self.count = 0

    def _same(self, doc: dict) -> int | None:
        for key in _copy_keys(doc):
            if key in self.keys:
                return self.keys[key]
        return same_notice(self.db, doc)

    def add(self, rows: dict[str, list[dict]], file_id: int) -> int:
        first = rows["documents"][0]
        same = self._same(first)
        self.pending.setdefault("document_files", []).append(
            {"document_id": same or self.next_doc, "file_id": file_id, "path": first["path"]})
        if same is not None:
            return same
        doc_id, self.next_doc = self.next_doc, self.next_doc + 1
        doc = dict(first, id=doc_id, file_id=file_id)
        self.keys.update((key, doc_id) for key in _copy_keys(doc))
        self.pending.setdefault("documents", []).append(doc)
        self.pending.setdefault("title_keys", []).extend({"key": k, "document_id": doc_id}
                                                         for k in title_keys(doc.get("title")))
        group_ids = {}
        for g in rows.get("roster_groups", []):
            group_ids[g["seq"]], self.next_group = self.next_group, self.next_group + 1
            self.pending.setdefault("roster_groups", []).append(dict(g, id=group_ids[g["seq"]], document_id=doc_id))
        for table in FACTS:
            if table == "roster_groups":
                continue
            for r in rows.get(table, []):
                r = dict(r, document_id=doc_id)
                if table == "roster_members":
                    r["group_id"] = group_ids[r.pop("group_seq")]
                self.pending.setdefault(table, []).append(r)
        self.count += 1
        if self.count >= self.batch:
            self.flush()
        return doc_id

    def flush(self) -> None:
        for table in ("documents", "title_keys", "document_files", "roster_groups",
                      *[t for t in FACTS if t != "roster_groups"]):
            if self.pending.get(table):
                self.db[table].insert_all(self.pending[table], batch_size=500)
        self.pending, self.keys, self.count = {}, {}, 0

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if exc[0] is None:
            self.flush()
        return False


def _copy_keys(doc: dict) -> list[tuple]:
    keys = [("sha", doc["sha256"])] if doc.get("sha256") else []
    if doc.get("doc_number") and doc.get("title"):
        keys.append(("number", doc["doc_number"], doc["title"]))
    return keys


def copies_elsewhere(db, paths: set[str]) -> set[str]:
    """The other files of the notices first read from ``paths``: when those go, the notice's rows
    go with them, so its remaining copies are read again."""
    out = set()
    for part in [sorted(paths)[i:i + 500] for i in range(0, len(paths), 500)]:
        marks = ",".join("?" * len(part))
        out.update(r[0] for r in db.execute(
            f"select df.path from document_files df join documents d on d.id = df.document_id "
            f"join files f on f.id = d.file_id where f.path in ({marks})", part))
    return out - paths


def insert_document(db, record: dict, *, file_id: int, path: str, file: str, text: str | None = None,
                    words: str | None = None) -> int:
    """Write one record (docs/record.md) and all its facts at once; returns the document id."""
    with Writer(db) as w:
        return w.add(fact_rows(record, path=path, file=file, text=text, words=words), file_id)


def _uid(doc_key: str, table: str, seq: int, text: str | None) -> str:
    import hashlib

    return hashlib.sha1(f"{doc_key}|{table}|{seq}|{text or ''}".encode()).hexdigest()[:16]


def delete_file(db, file_id: int) -> None:
    """Remove a file's documents and every fact that came from them."""
    delete_files(db, [file_id])


def delete_files(db, file_ids: list[int]) -> tuple[set, list, set]:
    """Remove files, their documents and every fact that came from them. Returns what the links
    must redo: the names of the people mentioned in them, the citations (of other notices) that
    pointed at them, now unlinked, and the names (``group_key``) of their roster groups."""
    names, orphaned, group_keys = set(), [], set()
    for start in range(0, len(file_ids), 500):
        fids = file_ids[start:start + 500]
        fmarks = ",".join("?" * len(fids))
        ids = [r[0] for r in db.execute(f"select id from documents where file_id in ({fmarks})", fids)]
        for i in range(0, len(ids), 500):
            part = ids[i:i + 500]
            marks = ",".join("?" * len(part))
            for table in ("roster_members", "assignments"):
                names.update(r[0] for r in db.execute(
                    f"select distinct name from {table} where document_id in ({marks}) and name is not null", part))
            orphaned += [r[0] for r in db.execute(
                f"select id from citations where cited_document_id in ({marks}) and document_id not in ({marks})",
                part + part)]
            db.execute(f"update citations set cited_document_id = null where cited_document_id in ({marks})", part)
            groups = f"select id from roster_groups where document_id in ({marks})"
            group_keys.update(r[0] for r in db.execute(
                f"select group_key from roster_status where group_id in ({groups}) and group_key is not null", part))
            db.execute(f"delete from roster_status where group_id in ({groups})", part)
            db.execute(f"delete from document_files where document_id in ({marks})", part)
            db.execute(f"delete from title_keys where document_id in ({marks})", part)
            for table in ("roster_members", *[t for t in FACTS if t != "roster_members"]):
                db.execute(f"delete from {table} where document_id in ({marks})", part)
            db.execute(f"delete from documents where id in ({marks})", part)
        db.execute(f"delete from document_files where file_id in ({fmarks})", fids)
        db.execute(f"delete from files where id in ({fmarks})", fids)
    return names, orphaned, group_keys


def mention_names(rows: dict[str, list[dict]]) -> set[str]:
    """The names of the people a document's rows mention (roster members, assignments)."""
    return {r["name"] for t in ("roster_members", "assignments") for r in rows.get(t, []) if r.get("name")}


# -- the rebuild's bookkeeping: files, failures, runs -------------------------------------------------

class KnownFile(NamedTuple):
    """What a rebuild's plan needs of a ``files`` row (a small tuple: 100,000 of them are held while
    the inbox is compared with the tracker)."""

    id: int
    sha256: str | None
    size: int | None
    mtime: float | None
    extractor_version: str | None


def known_files(db, under=None) -> dict[str, KnownFile]:
    """Inbox-relative path → its ``files`` row. ``under``: only those paths (and the files under
    those that are folders)."""
    select = f"select path, {', '.join(KnownFile._fields)} from files"
    if under is None:
        return {r[0]: KnownFile._make(r[1:]) for r in db.conn.execute(select)}
    out = {}
    for rel in under:  # the file itself, and what a folder of that name holds (a range on the path index)
        out.update((r[0], KnownFile._make(r[1:])) for r in db.conn.execute(
            f"{select} where path = ? or (path >= ? and path < ?)", [rel, rel + "/", rel + "0"]))
    return out


def known_failures(db) -> dict[str, dict]:
    """Path → its ``failures`` row."""
    return {r["path"]: r for r in db.query("select * from failures")}


def next_run_id(db) -> int:
    return db.execute("select coalesce(max(id), 0) + 1 from runs").fetchone()[0]


def add_file(db, *, path: str, sha256: str | None, size: int | None, mtime: float | None,
             extractor_version: str, status: str, n_documents: int) -> int:
    """One inbox file (``status`` ok or failed; a file refused unread has no hash); returns its id."""
    return db["files"].insert({"path": path, "sha256": sha256, "size": size, "mtime": mtime,
                               "extractor_version": extractor_version, "status": status,
                               "n_documents": n_documents}).last_pk


def touch_file(db, file_id: int, size: int, mtime: float) -> None:
    """A file whose size or mtime moved but whose bytes did not: only those are updated."""
    db["files"].update(file_id, {"size": size, "mtime": mtime})


def forget_failures(db, path: str) -> None:
    """Drop the failures of a file (and of the members of an archive)."""
    db["failures"].delete_where("path = ? or path like ?", [path, path + "/%"])


def add_failure(db, *, path: str, sha256: str | None, reason: str, first_seen: str, last_seen: str,
                run_id: int) -> None:
    db["failures"].insert({"path": path, "sha256": sha256, "reason": reason, "first_seen": first_seen,
                           "last_seen": last_seen, "run_id": run_id}, replace=True)


def see_failures_again(db, when: str, run_id: int, *, all_files: bool = False) -> None:
    """Failures still there: seen by this run too (those of unchanged failed files, or all)."""
    where = "" if all_files else " where path in (select path from files where status = 'failed')"
    db.execute(f"update failures set last_seen = ?, run_id = ?{where}", [when, run_id])


def add_run(db, run: dict) -> None:
    """One row of ``runs``: what a rebuild did."""
    db["runs"].insert(run)


def counts(db) -> tuple[int, int]:
    """(failures, documents) in the tracker."""
    return (db.execute("select count(*) from failures").fetchone()[0],
            db.execute("select count(*) from documents").fetchone()[0])


def migrate(old, db) -> None:
    """Older schema → this one: every document re-materialised from the record JSON it kept."""
    with db.conn:
        file_ids = {}
        for f in old.query("select id, path, sha256, size, mtime, extractor_version, status, n_documents from files"):
            old_id = f.pop("id")
            file_ids[old_id] = add_file(db, **f)
        for d in old.query("select file_id, path, file, text, words, record from documents order by id"):
            insert_document(db, json.loads(d["record"]), file_id=file_ids[d["file_id"]], path=d["path"],
                            file=d["file"], text=d["text"], words=d["words"])
        for table in ("runs", "failures"):
            if table in old.table_names():
                db[table].insert_all(old[table].rows, replace=True)
