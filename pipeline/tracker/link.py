"""Cross-document facts in the tracker: duty actors grouped, people merged, citations linked.

A full rebuild runs them over the whole tracker (``link_all``); an incremental one only over what
changed (``link_changed``: the people of the names the changed notices mention, the citations that
could point at a new notice or pointed at a removed one), which gives the same links. Each step
rewrites only its own columns and the ``people`` table, so it is safe to run again.
"""
from __future__ import annotations

import bisect
import json
import re
from collections import defaultdict
from collections.abc import Mapping
from functools import lru_cache
from types import MappingProxyType

# -- actors -----------------------------------------------------------------------------------
# Who a duty falls on, as printed ("各办局", "办局负责同志", "领导小组各成员单位"), grouped under one
# key: quantifiers in front and the person-of-the-unit words behind carry no identity.
ACTOR_LEAD = re.compile(r"^(?:各|每个|每名|每位|每家|每所|全体|所有|相关|有关|全)")
ACTOR_TAIL = re.compile(r"(?:主要负责同志|主要负责人|分管负责同志|分管领导|负责同志|负责人|全体人员|有关人员|相关人员|主要领导)$")
ACTOR_INNER = re.compile(r"各(?=成员单位)")  # 领导小组各成员单位 → 领导小组成员单位


def actor_group(actor: str | None) -> str | None:
    """The grouping key of a duty's actor: 各办局 / 办局负责同志 → 办局; the raw wording is kept beside it."""
    if not actor:
        return None
    key = ACTOR_INNER.sub("", actor.strip())
    for _ in range(2):
        key = ACTOR_TAIL.sub("", ACTOR_LEAD.sub("", key))
    return key or actor.strip()


# -- places ------------------------------------------------------------------------------------
# The administrative places that open an issuer's name, by level: 中共澄河县委 → {county: 澄河县},
# 临岳市青湖区青枫街道办事处 → {city: 临岳市, county: 青湖区, township: 青枫街道}. A unit name has two
# characters or more (so 城市 in 临岳市城市建设投资集团 is no place).
LEVELS = [("province", "(?:省|自治区|特别行政区)"), ("city", "(?:市|自治州|州|盟)"), ("county", "(?:自治县|县|区|旗)"),
          ("township", "(?:镇|乡|街道)")]
ADMIN_UNIT = re.compile("|".join(rf"(?P<{lvl}>[\u4e00-\u9fff]{{2,7}}?{suffix})" for lvl, suffix in LEVELS))
PARTY = re.compile(r"^(?:中共|中国共产党)")


@lru_cache(maxsize=16384)
def place_of(issuer: str | None) -> Mapping[str, str]:
    """{level: name} for the chain of places that opens the issuer's name (read-only: one mapping
    per issuer, shared by every mention of it)."""
    if not issuer:
        return MappingProxyType({})
    text, pos, out = PARTY.sub("", issuer), 0, {}
    while m := ADMIN_UNIT.match(text, pos):
        out.setdefault(m.lastgroup, m.group())
        pos = m.end()
    return MappingProxyType(out)


def _places_agree(a: dict, b: dict) -> bool:
    """No level at which both name a place and the names differ (临岳市 and 临岳市青湖区 agree)."""
    return all(a[k] == b[k] for k in a.keys() & b.keys())


# -- people --------------------------------------------------------------------------------------
# Titles are compared on their words minus the generic ones: 副镇长 and 镇长 share 镇长, 党组书记 and
# 局长 share nothing. Two mentions are the same person when the name is the same, the places of
# their notices agree (or one is unknown) and their titles share a word (or one has none).
TITLE_SPLIT = re.compile(r"[、，,；;/\s（）()]+")
GENERIC_TITLE = {"同志", "成员", "委员", "干部", "工作人员", "负责人", "负责同志"}


@lru_cache(maxsize=16384)
def _title_keys(title: str | None) -> frozenset[str]:
    if not title:
        return frozenset()
    keys = set()
    for part in TITLE_SPLIT.split(title):
        part = part.strip()
        if len(part) < 2 or part in GENERIC_TITLE:
            continue
        keys.add(part)
        if part.startswith(("副", "常务副")):
            keys.add(part.removeprefix("常务副").removeprefix("副"))
    return frozenset(keys)


def _keys_agree(ka, kb) -> bool:
    if not ka or not kb:
        return True
    return bool(ka & kb) or any(x in y or y in x for x in ka for y in kb)


class _Person:
    """A cluster of mentions taken for one person. A mention fits when its place agrees with every
    member's (kept merged: members agree with one another) and its title with every member's
    (kept as the distinct title-word sets, so a name met a thousand times is still cheap)."""

    def __init__(self, m: dict):
        self.mentions, self.place, self.keysets = [], {}, set()
        self.add(m)

    def add(self, m: dict) -> None:
        self.mentions.append(m)
        for level, name in m["place"].items():
            self.place.setdefault(level, name)
        if m["keys"]:
            self.keysets.add(frozenset(m["keys"]))

    def fits(self, m: dict) -> bool:
        return _places_agree(m["place"], self.place) and all(_keys_agree(m["keys"], ks) for ks in self.keysets)

    def shared_places(self, m: dict) -> int:
        return len(m["place"].items() & self.place.items())


def _chunks(items, n=500):
    items = list(items)
    for i in range(0, len(items), n):
        yield items[i:i + n]


NAMES_AT_ONCE = 500  # names whose mentions are held in memory at once when every person is redone


def resolve_people(db, names=None) -> dict:
    """Rebuild ``people`` from roster members and assignments; set their ``person_id``. With
    ``names``, only the people of those names are redone (the others keep their rows and ids);
    without, every name, a batch of names at a time (memory stays that of a batch's mentions, not
    of the tracker's: 75 MB at 10,000 notices when all were held).

    Mentions with titles are clustered by compatibility; a mention without a title joins the one
    cluster it fits, stays alone (flagged ``ambiguous``) when it fits several, so a namesake is
    listed rather than guessed. Returns counts.
    """
    if names is None:
        every = sorted({r[0] for table in ("roster_members", "assignments")
                        for r in db.execute(f"select distinct name from {table} where name is not null")})
        db.execute("delete from people where name not in (select name from roster_members where name is not null "
                   "union select name from assignments where name is not null)")
        for batch in _chunks(every, NAMES_AT_ONCE):
            _resolve(db, batch)
    else:
        _resolve(db, names)
    total = db.execute("select count(*) from people").fetchone()[0]
    namesakes = db.execute("select count(*) from (select name from people group by name having count(*) > 1)"
                           ).fetchone()[0]
    return {"people": total, "namesakes": namesakes}


def _resolve(db, names) -> None:
    """The people of ``names``, found again from their mentions and stored (``_write_people``)."""
    mentions = []
    for table in ("roster_members", "assignments"):
        sql = (f"select m.id, m.name, m.title, d.issuer, m.document_id, m.person_id from {table} m "
               f"join documents d on d.id = m.document_id where m.name is not null")
        batches = [db.execute(sql + f" and m.name in ({','.join('?' * len(part))}) order by m.id", part)
                   for part in _chunks(sorted(names))]
        for rows in batches:
            for mid, name, title, issuer, doc_id, person_id in rows:
                mentions.append({"table": table, "id": mid, "name": name, "title": title, "doc": doc_id,
                                 "place": place_of(issuer), "keys": _title_keys(title), "was": person_id})
    by_name = defaultdict(list)
    for m in mentions:
        by_name[m["name"]].append(m)

    people = []  # each: {"name", "mentions": [...], "ambiguous": bool}
    for name, ms in sorted(by_name.items()):
        clusters: list[_Person] = []
        for m in (m for m in ms if m["keys"]):
            fit = next((c for c in clusters if c.fits(m)), None)
            if fit:
                fit.add(m)
            else:
                clusters.append(_Person(m))
        # a mention with no title: the only cluster of its place, else its own ambiguous row
        leftovers = []
        for m in (m for m in ms if not m["keys"]):
            fits = [c for c in clusters if c.fits(m)]
            if len(fits) > 1:  # a cluster that names the same place beats one that merely does not conflict
                best = max(c.shared_places(m) for c in fits)
                if best:
                    fits = [c for c in fits if c.shared_places(m) == best]
            if len(fits) == 1:
                fits[0].add(m)
            elif not clusters:
                leftovers.append(m)
            else:
                people.append({"name": name, "mentions": [m], "ambiguous": len(fits) > 1})
        for m in leftovers:  # untitled mentions of a name no titled mention has: one person per place
            fit = next((c for c in clusters if c.fits(m)), None)
            if fit:
                fit.add(m)
            else:
                clusters.append(_Person(m))
        people.extend({"name": name, "mentions": c.mentions, "ambiguous": False} for c in clusters)

    _write_people(db, people, names)


def _write_people(db, people: list[dict], names) -> None:
    """Store the people found for ``names``, changing only what changed: a person
    keeps the id of the person of the last run who had most of the same mentions (ids stay put
    across rebuilds: a link to a person on the desk still shows them), new people get new ids (in
    name order, so a tracker built from scratch numbers them 1, 2, … as before), and only the
    mentions whose person changed and the people rows that differ are written."""
    old = {}
    for part in _chunks(sorted(names)):
        old.update((r[0], r) for r in db.execute(
            f"select * from people where name in ({','.join('?' * len(part))})", part))
    order = sorted(people, key=lambda p: (p["name"], min(m["id"] for m in p["mentions"])))
    taken: dict[int, dict] = {}
    # the old id each new person had most mentions under (largest persons first, each id once)
    for p in sorted(order, key=lambda p: -len(p["mentions"])):
        votes = defaultdict(int)
        for m in p["mentions"]:
            if m["was"] in old and m["was"] not in taken:
                votes[m["was"]] += 1
        if votes:
            pid = max(votes, key=lambda k: (votes[k], -k))
            taken[pid], p["id"] = p, pid
    next_id = db.execute("select coalesce(max(id), 0) + 1 from people").fetchone()[0]
    for p in order:
        if "id" not in p:
            p["id"], next_id = next_id, next_id + 1
    cols = ("id", "name", "place", "titles", "n_roles", "n_documents", "ambiguous", "note")
    rows, updates = [], defaultdict(list)
    for p in order:
        ms = p["mentions"]
        titles = sorted({m["title"] for m in ms if m["title"]})
        places = sorted({"".join(m["place"].values()) for m in ms if m["place"]})
        row = (p["id"], p["name"], "、".join(places) or None, json.dumps(titles, ensure_ascii=False), len(ms),
               len({m["doc"] for m in ms}), int(p["ambiguous"]),
               "no title; fits more than one person of this name" if p["ambiguous"] else None)
        if tuple(old.get(p["id"], ())) != row:
            rows.append(row)
        for m in ms:
            if m["was"] != p["id"]:
                updates[m["table"]].append((p["id"], m["id"]))
    gone = [(pid,) for pid in old.keys() - {p["id"] for p in order}]
    db.conn.executemany("delete from people where id = ?", gone)
    db.conn.executemany(f"insert or replace into people ({', '.join(cols)}) values ({', '.join('?' * len(cols))})",
                        rows)
    for table, pairs in updates.items():
        db.conn.executemany(f"update {table} set person_id = ? where id = ?", pairs)


# -- groups over time ----------------------------------------------------------------------------
# A 领导小组 (委员会, 指挥部…) set up by one notice is often re-staffed by a later one (关于调整…领导小组组成
# 人员的通知, or the next year's plan setting it up again): the later roster is the current one and the
# earlier is superseded. Two rosters are of the same group when their names agree once quotes, the
# issuer's own place at the front and 组成人员 at the end are dropped (澄河县X领导小组 = 县X领导小组 in a
# 澄河县 notice), the name says more than 领导小组 (every plan has its own 行动领导小组), and either the
# same body issued both (its 办公室 counts as itself) or the name carries the place and both notices
# are of the same place. Later means a later 成文日期 (else a later year); same day or no date: no order.
QUOTES = re.compile(r"[“”‘’\"'「」『』\s]")
GROUP_TAIL = re.compile(r"(?:组成人员|成员名单|人员名单)$")
RELATIVE_PLACE = re.compile(r"^[省市县区镇乡](?=[\u4e00-\u9fff]{4})")
GENERIC_GROUP = re.compile(r"^(?:专项)?(?:行动|工作|活动|专项|创建工作|专项行动)?"
                           r"(?:工作)?(?:领导小组|委员会|指挥部|工作专班|专班|工作小组|小组|办公室)$")
OFFICE_TAIL = re.compile(r"(?:办公室|办公厅)$")
LEVEL_ORDER = ["township", "county", "city", "province"]


def group_key(name: str | None, place: dict) -> tuple[str | None, bool]:
    """(the name a group is compared by, whether the name carried its place); None when the name is
    generic (领导小组, 行动领导小组) and so names a different group in every notice."""
    if not name:
        return None, False
    key = GROUP_TAIL.sub("", QUOTES.sub("", name))
    placed = False
    names = sorted(set(place.values()), key=len, reverse=True)
    stripped = True
    while stripped:
        stripped = False
        for p in names:
            if key.startswith(p) and len(key) > len(p):
                key, placed, stripped = key[len(p):], True, True
    if RELATIVE_PLACE.match(key):
        key, placed = key[1:], True
    return (None if GENERIC_GROUP.match(key) else key), placed


def _owner(issuer: str | None) -> str | None:
    """The body behind an issuer: 中共澄河县委办公室 → 澄河县委, 澄河县人民政府办公室 → 澄河县人民政府."""
    if not issuer:
        return None
    return OFFICE_TAIL.sub("", PARTY.sub("", issuer.strip())) or issuer.strip()


def _deepest(place: dict) -> tuple | None:
    return next(((lvl, place[lvl]) for lvl in LEVEL_ORDER if lvl in place), None)


def _later(a: dict, b: dict) -> bool | None:
    """Whether notice b is later than notice a (True/False), or None when they cannot be ordered."""
    if a["signed"] and b["signed"]:
        return None if a["signed"] == b["signed"] else b["signed"] > a["signed"]
    if a["year"] and b["year"] and a["year"] != b["year"]:
        return b["year"] > a["year"]
    return None


def _same_group(a: dict, b: dict) -> bool:
    if a["doc"] == b["doc"] or not a["key"] or a["key"] != b["key"]:
        return False
    if a["owner"] and a["owner"] == b["owner"]:
        return True
    return a["placed"] and b["placed"] and a["deepest"] is not None and a["deepest"] == b["deepest"] \
        and _places_agree(a["place"], b["place"])


def _order(g: dict) -> tuple:
    return g["signed"] or "", g["year"] or 0, g["doc"]


def _candidates(same_key: list[dict]) -> dict:
    """The rosters of one group name that may be the same group: by owner, and (those whose name
    carries its place) by the deepest place; each list in time order, plus the undated ones (ordered
    by year only)."""
    by_owner, by_place = defaultdict(list), defaultdict(list)
    for g in sorted(same_key, key=_order):
        if g["owner"]:
            by_owner[g["owner"]].append(g)
        if g["placed"] and g["deepest"] is not None:
            by_place[g["deepest"]].append(g)
    at, dates = {}, {}   # (list id, group id) -> its index in that list; list id -> its 成文日期s in order
    for lst in (*by_owner.values(), *by_place.values()):
        dates[id(lst)] = [g["signed"] or "" for g in lst]
        for i, g in enumerate(lst):
            at[id(lst), g["id"]] = i
    return {"owner": by_owner, "place": by_place, "at": at, "dates": dates,
            "undated": [g for g in same_key if not g["signed"]]}


def _next_roster(g: dict, cand: dict) -> dict | None:
    """The earliest roster of the same group later than ``g`` (None: ``g`` is current). Lists are in
    time order, so the first later one found after ``g`` is the earliest dated one; undated rosters
    (compared by year) are checked apart. Linear in the group's rosters, not quadratic in the name's."""
    found = []
    lists = [cand["owner"].get(g["owner"], [])]
    if g["placed"] and g["deepest"] is not None:
        lists.append(cand["place"].get(g["deepest"], []))
    for ordered in lists:
        if g["signed"]:   # a dated roster is superseded only by a later date: skip the same day at once
            start = bisect.bisect_right(cand["dates"][id(ordered)], g["signed"])
        else:
            start = cand["at"].get((id(ordered), g["id"]), -1) + 1
        for h in ordered[start:]:
            if _same_group(g, h) and _later(g, h):
                found.append(h)
                break
    found += [h for h in cand["undated"] if _same_group(g, h) and _later(g, h)]
    return min(found, key=_order) if found else None


def _group_row(gid, name, doc_id, issuer, signed, year, number, title) -> dict:
    place = place_of(issuer)
    key, placed = group_key(name, place)
    return {"id": gid, "doc": doc_id, "key": key, "placed": placed, "place": place, "deepest": _deepest(place),
            "owner": _owner(issuer), "signed": signed, "year": year, "notice": number or title}


STATUS_COLUMNS = ("group_id", "group_key", "current", "superseded_by", "superseded_by_notice", "superseded_on")


GROUP_ROWS = ("select g.id, g.name, g.document_id, d.issuer, d.signed_date, d.year, d.doc_number, d.title "
              "from roster_groups g join documents d on d.id = g.document_id")


def link_groups(db, documents=None, keys=()) -> dict:
    """Fill ``roster_status``: for every roster group, whether it is the current roster of its group
    (``current`` 1) or was superseded by a later notice's roster of the same group (``current`` 0,
    ``superseded_by`` that notice, the one right after it). Returns counts.

    With ``documents`` (notices just added) only the groups whose standing can have changed are
    redone: those of the new notices and every group sharing a name (``group_key``) with them or
    with ``keys`` (the names of groups just removed). Which roster is current depends only on the
    rosters of the same name, so the rest stand as they are."""
    if documents is None:
        groups = [_group_row(*r) for r in db.execute(GROUP_ROWS + " order by g.id")]
        before = None
    else:
        groups = [_group_row(*r) for part in _chunks(sorted(set(documents))) for r in db.execute(
            GROUP_ROWS + f" where g.document_id in ({','.join('?' * len(part))})", part)]
        names = {g["key"] for g in groups if g["key"]} | {k for k in keys if k}
        seen = {g["id"] for g in groups}
        for part in _chunks(sorted(names)):
            groups += [g for g in (_group_row(*r) for r in db.execute(
                GROUP_ROWS + f" join roster_status s on s.group_id = g.id where s.group_key in "
                             f"({','.join('?' * len(part))})", part)) if g["id"] not in seen]
        groups.sort(key=lambda g: g["id"])
        before = {}
        for part in _chunks([g["id"] for g in groups]):
            before.update((r[0], r) for r in db.execute(
                f"select {', '.join(STATUS_COLUMNS)} from roster_status where group_id in "
                f"({','.join('?' * len(part))})", part))
    by_key = defaultdict(list)
    for g in groups:
        if g["key"]:
            by_key[g["key"]].append(g)
    status = {g["id"]: {"group_id": g["id"], "group_key": g["key"], "current": 1, "superseded_by": None,
                        "superseded_by_notice": None, "superseded_on": None} for g in groups}
    for same_key in by_key.values():
        cand = _candidates(same_key)   # indexed once per name
        for g in same_key:
            nxt = _next_roster(g, cand)
            if nxt is not None:
                status[g["id"]].update(current=0, superseded_by=nxt["doc"], superseded_by_notice=nxt["notice"],
                                       superseded_on=nxt["signed"])
    # write what differs from the table as it stands (a rebuild that changed one notice changes few)
    if before is None:
        before = {r[0]: r for r in db.execute(f"select {', '.join(STATUS_COLUMNS)} from roster_status")}
        gone = [(gid,) for gid in before.keys() - status.keys()]
        db.conn.executemany("delete from roster_status where group_id = ?", gone)
    rows = [tuple(st[c] for c in STATUS_COLUMNS) for st in status.values()]
    db.conn.executemany(f"insert or replace into roster_status ({', '.join(STATUS_COLUMNS)}) "
                        f"values ({', '.join('?' * len(STATUS_COLUMNS))})", [r for r in rows if before.get(r[0]) != r])
    if documents is None:
        superseded = sum(1 for s in status.values() if not s["current"])
    else:
        superseded = db.execute("select count(*) from roster_status where current = 0").fetchone()[0]
    return {"groups_superseded": superseded}


# -- citations -----------------------------------------------------------------------------------
# A citation links to a tracked notice by its 发文字号, else by title: the notice's own title, or
# the plan a 印发 notice encloses (关于印发《X》的通知 answers a citation of 《X》).
ENCLOSED = re.compile(r"《([^《》]+)》")
SPACES = re.compile(r"\s+")


def title_key(t: str | None) -> str | None:
    """What a cited title is matched by: the title without white space."""
    return SPACES.sub("", t) if t else None


def title_keys(title: str | None) -> list[str]:
    """The keys that find a notice by title: its own, and each plan it encloses in 《》."""
    t = title_key(title)
    return [t, *ENCLOSED.findall(t)] if t else []


def link_citations(db, documents=None, orphaned=()) -> dict:
    """Point each citation at the tracked notice it names (by 发文字号, else title). With
    ``documents`` (the ids of notices just added) only the citations that may change are redone:
    those of the new notices, those that name a new notice (number or title), and ``orphaned``
    (citations whose notice was just removed), each looked up through an index (``title_keys``,
    ``citations.title_key``, the 文号 indexes): the cost is that of the change, not of the tracker."""
    if documents is None:
        # the first notice of each 文号 and of each title key (the keys stored as the notices were written)
        by_number = dict(db.execute("select doc_number, min(id) from documents where doc_number is not null "
                                    "group by doc_number"))
        by_title = dict(db.execute("select key, min(document_id) from title_keys group by key"))

        def number_target(number):
            return by_number.get(number)

        def title_target(key):
            return by_title.get(key)

        todo = db.execute("select id, document_id, doc_number, title from citations").fetchall()
    else:
        def number_target(number):
            return db.execute("select min(id) from documents where doc_number = ?", [number]).fetchone()[0]

        def title_target(key):
            return db.execute("select min(document_id) from title_keys where key = ?", [key]).fetchone()[0]

        new = sorted(set(documents))
        numbers, keys = set(), set()
        for part in _chunks(new):
            marks = ",".join("?" * len(part))
            numbers.update(r[0] for r in db.execute(f"select doc_number from documents where id in ({marks}) "
                                                    f"and doc_number is not null", part))
            keys.update(r[0] for r in db.execute(f"select key from title_keys where document_id in ({marks})", part))
        found = {}
        select = "select id, document_id, doc_number, title from citations where "
        for what, ids in (("document_id", new), ("id", orphaned), ("doc_number", numbers)):
            for part in _chunks(sorted(ids)):
                found.update((r[0], r) for r in db.execute(f"{select}{what} in ({','.join('?' * len(part))})", part))
        for part in _chunks(sorted(keys)):
            found.update((r[0], r) for r in db.execute(
                f"{select}title_key in ({','.join('?' * len(part))}) and cited_document_id is null", part))
        todo = list(found.values())

    def target_of(doc_id, number, title):
        target = number_target(number) if number else None
        if target is None and title:
            target = title_target(title_key(title))
        return None if target == doc_id else target

    pairs = [(target_of(doc_id, number, title), cid) for cid, doc_id, number, title in todo]
    db.conn.executemany("update citations set cited_document_id = ? where id = ?", pairs)
    total, linked = db.execute("select count(*), count(cited_document_id) from citations").fetchone()
    return {"citations": total, "linked": linked, "unresolved": total - linked}


def link_all(db) -> dict:
    """Every cross-document step over the whole tracker, in order; returns their counts."""
    with db.conn:
        return {**resolve_people(db), **link_citations(db), **link_groups(db)}


def link_changed(db, *, documents, names, citations, group_keys=()) -> dict:
    """The cross-document steps for what an incremental rebuild changed (inside its transaction):
    ``documents`` added, the people ``names`` their or the removed notices mention, the
    ``citations`` that pointed at a removed notice, and the ``group_keys`` (names) of the roster
    groups removed with them. Each step looks at those and what shares a name with them only."""
    return {**resolve_people(db, names), **link_citations(db, documents, citations),
            **link_groups(db, documents, group_keys)}
