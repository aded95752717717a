"""Tracker rebuild at scale: an inbox of N varied notices (.txt and .docx), rebuilt from scratch,
rebuilt again unchanged, then every supervisor query timed on the result.

    .venv/bin/python benchmarks/rebuild.py                 # 10,000 notices, 2 jobs
    .venv/bin/python benchmarks/rebuild.py --n 10000 100000 # side by side: what grows with the tracker
    .venv/bin/python benchmarks/rebuild.py --n 2000 --jobs 2 --keep /tmp/bench --results r.jsonl
    .venv/bin/python benchmarks/rebuild.py --table r.jsonl other.jsonl

The notices are the corpora's, varied so that each is its own document: people's names drawn
afresh (from the surname lexicon), the 发文字号 serial unique, years shifted by 0/±4, and a
share of them written as .docx by corpora/tools/docx_writer.py. Each size is rebuilt from scratch,
then unchanged, then with one file changed, one removed, ten changed (each a ``duban rebuild``
process, start-up included), then every supervisor query is timed. Targets (2-core machine, at
100,000 notices): peak memory < 400 MB, no-change rebuild < 10 s, one changed file < 2 s, every
query < 200 ms.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

NUMBER = re.compile(r"([〔（(［\[])(\d{4})([〕）)］\]])(\d+)号")  # 〔〕, （）, [] …: every bracket a 文号 is printed with
YEAR = re.compile(r"(20\d\d)(?=年)")
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红文玉兰海波宁斌浩然晨曦子涵思远振东立新卫"


def _names(gold: dict) -> set[str]:
    out = set()
    for g in gold.get("rosters") or []:
        out.update(m["name"] for m in g.get("members") or [] if m.get("name") and len(m["name"]) in (2, 3))
    out.update(a["name"] for a in gold.get("assignments") or [] if a.get("name") and len(a["name"]) in (2, 3))
    return out


def _write(job) -> None:
    path, text, as_docx = job
    if as_docx:
        from corpora.tools.docx_writer import write_docx

        write_docx(text, path)
    else:
        Path(path).write_text(text + "\n", encoding="utf-8")


def make_inbox(inbox: Path, n: int, docx_share: float = 0.2, seed: int = 7, jobs: int = 1) -> dict:
    """``n`` varied notices under ``inbox`` (a folder per thousand). The variations are drawn in
    order from one seeded generator, so the first n of a larger inbox are a smaller one's files;
    the files are written by ``jobs`` processes (a .docx takes ~40 ms to write, a .txt nothing)."""
    from concurrent.futures import ProcessPoolExecutor

    from pipeline.readers.txt import read_txt
    from pipeline.text.lexicons import load_words

    rng = random.Random(seed)
    surnames = [s for s in load_words("surnames.txt") if len(s) == 1]
    templates = []
    for txt in sorted((ROOT / "corpora" / "notices").glob("*.txt")):
        text = "\n".join(b.text for b in read_txt(txt).blocks)
        gold_path = ROOT / "corpora" / "gold" / f"{txt.stem}.json"
        gold = json.loads(gold_path.read_text(encoding="utf-8")) if gold_path.exists() else {}
        templates.append((txt.stem, text, sorted(_names(gold))))
    made, todo = {"txt": 0, "docx": 0}, []
    for i in range(n):
        stem, text, names = templates[i % len(templates)]
        for name in names:
            new = rng.choice(surnames) + "".join(rng.choice(GIVEN) for _ in range(len(name) - 1))
            text = text.replace(name, new)
        shift = rng.choice((0, 0, 4, -4))
        if shift:
            text = YEAR.sub(lambda m: str(int(m.group(1)) + shift), text)
        text = NUMBER.sub(lambda m: f"{m.group(1)}{m.group(2)}{m.group(3)}{i + 1}号", text, count=1)
        sub = inbox / f"{i // 1000:02d}"
        sub.mkdir(parents=True, exist_ok=True)
        as_docx = rng.random() < docx_share
        made["docx" if as_docx else "txt"] += 1
        todo.append((str(sub / f"{i:05d}_{stem}.{'docx' if as_docx else 'txt'}"), text, as_docx))
    if jobs > 1:
        with ProcessPoolExecutor(jobs) as pool:
            list(pool.map(_write, todo, chunksize=64))
    else:
        for job in todo:
            _write(job)
    return made


class TreeRSS:
    """Samples the memory of a process and its descendants (from /proc): the peak of their summed
    PSS (what the job really holds, shared pages counted once) and the largest single RSS."""

    def __init__(self, pid: int):
        self.pid, self.peak, self.peak_single = pid, 0, 0
        self._stop = threading.Event()
        self._t = threading.Thread(target=self._run, daemon=True)
        self._t.start()

    def _tree(self, pid):
        out = [pid]
        try:
            for task in os.listdir(f"/proc/{pid}/task"):
                for child in Path(f"/proc/{pid}/task/{task}/children").read_text().split():
                    out += self._tree(int(child))
        except OSError:
            pass
        return out

    def _mem(self, pid):
        """(RSS, PSS) in bytes: PSS shares the copy-on-write pages of forked workers among them."""
        rss = pss = 0
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Rss:"):
                    rss = int(line.split()[1]) * 1024
                elif line.startswith("Pss:"):
                    pss = int(line.split()[1]) * 1024
        except OSError:
            pass
        return rss, pss

    def _run(self):
        while not self._stop.is_set():
            mems = [self._mem(p) for p in self._tree(self.pid)]
            self.peak = max(self.peak, sum(p for _, p in mems))
            self.peak_single = max([self.peak_single, *(r for r, _ in mems)])
            time.sleep(0.1)

    def stop(self):
        self._stop.set()
        self._t.join()


def run_rebuild(inbox: Path, db: Path, jobs: int) -> tuple[float, TreeRSS, str]:
    cmd = [sys.executable, "-c", "from pipeline.cli import main; main()", "rebuild", "--inbox", str(inbox),
           "--db", str(db), "--jobs", str(jobs), "--settle", "0"]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    rss = TreeRSS(proc.pid)
    _, err = proc.communicate()
    rss.stop()
    return time.perf_counter() - t0, rss, err.strip().splitlines()[-1] if err.strip() else ""


PAGE = 100  # the rows a query command shows in a table (pipeline.cli.options.TABLE_ROWS)


def time_queries(db: Path) -> list[tuple[str, int, float, float]]:
    """Every supervisor query, as the CLI runs it (its first PAGE rows and the count of all: what
    a table shows) and whole (--limit 0, --json/--csv): (label, rows matching, page s, whole s),
    each the best of three after a warm-up run."""
    from pipeline.tracker import queries

    conn = queries.connect(db)
    some = conn.execute("select name from people where n_documents > 1 order by n_roles desc limit 1").fetchone()
    # a 发文字号 that names one notice, as real ones do (the generator leaves some templates' numbers shared)
    number = conn.execute("select doc_number from documents where doc_number is not null group by doc_number "
                          "having count(*) = 1 limit 1").fetchone() or \
        conn.execute("select doc_number from documents where doc_number is not null limit 1").fetchone()
    who = some[0] if some else "李"
    cases = [
        ("duties --actor 村 --period week", lambda **k: queries.duties(conn, actor="村", period="week", **k)),
        ("duties --search 调研", lambda **k: queries.duties(conn, search="调研", **k)),
        ("duties --search 安全生产 --actor 镇", lambda **k: queries.duties(conn, search="安全生产", actor="镇", **k)),
        ("duties --doc NUMBER", lambda **k: queries.duties(conn, doc=number[0], **k)),
        ("deadlines --overdue --as-of 2023-06-30", lambda **k: queries.deadlines(conn, overdue=True, as_of="2023-06-30", **k)),
        ("deadlines --upcoming 30 --as-of 2023-03-01",
         lambda **k: queries.deadlines(conn, upcoming=30, as_of="2023-03-01", **k)),
        (f"people {who}", lambda **k: queries.people(conn, who, **k)),
        ("docs --year 2023", lambda **k: queries.docs(conn, year=2023, **k)),
        ("docs --issuer 澄河县", lambda **k: queries.docs(conn, issuer="澄河县", **k)),
        ("doc NUMBER", lambda **k: [queries.doc(conn, number[0])]),
    ]

    def best(fn, **k):
        fn(**k)  # warm the page cache
        times = []
        for _ in range(3):
            t0 = time.perf_counter()
            rows = fn(**k)
            times.append(time.perf_counter() - t0)
        return min(times), rows

    out = []
    for label, fn in cases:
        page, rows = best(fn, limit=PAGE) if not label.startswith("doc ") else best(fn)
        whole, _ = best(fn) if not label.startswith("doc ") else (page, rows)
        out.append((label, getattr(rows, "total", len(rows)), page, whole))
    return out


def _touch_old(path: Path) -> None:
    old = time.time() - 60
    os.utime(path, (old, old))


def replicate(src: Path, k: int, base: Path) -> int:
    """A tracker and inbox ``k`` times those built in ``src`` (each copy under ``rJ/``, its rows
    re-numbered, the files copied with their mtimes), then linked once: the scale-up used when a
    full extraction of k × n notices does not fit the time at hand. Returns the notices."""
    from pipeline.tracker import store
    from pipeline.tracker.link import link_all

    (base / "inbox").mkdir(parents=True)
    for j in range(k):
        subprocess.run(["cp", "-a", str(src / "inbox"), str(base / "inbox" / f"r{j}")], check=True)
    db = base / "tracker.db"
    new = store.open_db(db)
    new.execute("pragma journal_mode = memory")
    new.execute("pragma synchronous = off")
    store.create_schema(new)
    new.execute("attach database ? as src", [str(src / "tracker.db")])
    conn = new.conn
    off = {t: conn.execute(f"select coalesce(max(id), 0) from src.{t}").fetchone()[0]
           for t in ["files", "documents", "document_files", *store.FACTS]}
    refs = {"document_id": "documents", "file_id": "files", "group_id": "roster_groups",
            "cited_document_id": "documents"}
    with conn:
        for j in range(k):
            for table in ["files", "documents", "document_files", "title_keys", *store.FACTS]:
                cols = [r[1] for r in conn.execute(f"pragma src.table_info({table})")]
                exprs = []
                for c in cols:
                    if c == "id":
                        exprs.append(f"id + {j * off[table]}")
                    elif c in refs:
                        exprs.append(f"{c} + {j * off[refs[c]]}")
                    elif c == "path":
                        exprs.append(f"'r{j}/' || path")
                    elif c == "person_id":
                        exprs.append("null")
                    elif table == "documents" and c in ("doc_number", "sha256"):
                        # each copy its own notice (else a re-extracted file would join another copy's)
                        exprs.append(f"[{c}] || '-r{j}'")
                    else:
                        exprs.append(f"[{c}]")
                conn.execute(f"insert into main.{table} ({', '.join(f'[{c}]' for c in cols)}) "
                             f"select {', '.join(exprs)} from src.{table}")
    for table in ("runs", "meta"):
        conn.execute(f"insert or replace into main.{table} select * from src.{table}")
    conn.commit()
    new.execute("detach database src")
    link_all(new)
    new.execute("pragma journal_mode = wal")
    n = conn.execute("select count(*) from documents").fetchone()[0]
    new.close()
    return n


def bench(n: int, jobs: int, docx_share: float, base: Path, from_copies: tuple | None = None,
          reuse: bool = False) -> dict:
    """Every figure for an inbox of ``n`` notices (built in ``base``): a dict of label → value.
    With ``from_copies`` (src folder, k), the tracker is ``replicate``d instead of extracted."""
    inbox, db = base / "inbox", base / "tracker.db"
    mb = 1024 * 1024
    res = {"n": n}
    if from_copies:
        t0 = time.perf_counter()
        res["notices"] = replicate(from_copies[0], from_copies[1], base)
        res.update(size_mb=db.stat().st_size / mb, kb_per_notice=db.stat().st_size / 1024 / res["notices"],
                   replicated=True)
        print(f"[{n}] tracker of {res['notices']} notices replicated from {from_copies[1]} copies of "
              f"{from_copies[0]} in {time.perf_counter() - t0:.0f} s (no full extraction)", flush=True)
    if not inbox.exists():
        t0 = time.perf_counter()
        made = make_inbox(inbox, n, docx_share, jobs=jobs)
        print(f"[{n}] inbox: {made['txt']} .txt, {made['docx']} .docx made in {time.perf_counter() - t0:.0f} s",
              flush=True)
    if reuse and db.exists():
        import sqlite3

        with sqlite3.connect(db) as c:
            res["notices"] = c.execute("select count(*) from documents").fetchone()[0]
        res.update(size_mb=db.stat().st_size / mb, kb_per_notice=db.stat().st_size / 1024 / res["notices"], reused=True)
        print(f"[{n}] the tracker built before in {base} is reused (no full rebuild)", flush=True)
    elif not from_copies:
        for p in Path(base).glob("tracker.db*"):
            p.unlink()
        secs, rss, line = run_rebuild(inbox, db, jobs)
        import sqlite3

        with sqlite3.connect(db) as c:
            res["notices"] = c.execute("select count(*) from documents").fetchone()[0]
        res.update(full_s=secs, rate=n / secs, peak_mb=rss.peak / mb, peak_single_mb=rss.peak_single / mb,
                   size_mb=db.stat().st_size / mb, kb_per_notice=db.stat().st_size / 1024 / res["notices"])
        print(f"[{n}] full rebuild, {jobs} jobs: {secs:.1f} s, {n / secs:.0f} files/s; peak {rss.peak / mb:.0f} "
              f"MB PSS; tracker {db.stat().st_size / mb:.0f} MB\n  {line}", flush=True)
    secs, rss, line = run_rebuild(inbox, db, jobs)
    res.update(nochange_s=secs, nochange_mb=rss.peak / mb, peak_incremental_mb=rss.peak / mb)
    print(f"[{n}] no-change rebuild: {secs:.1f} s\n  {line}", flush=True)
    files = sorted(inbox.rglob("*.txt"))
    one = files[len(files) // 2]
    one.write_text(one.read_text(encoding="utf-8") + "\n（此件公开发布）\n", encoding="utf-8")
    _touch_old(one)
    secs, rss, line = run_rebuild(inbox, db, jobs)
    res.update(one_changed_s=secs, one_changed_mb=rss.peak / mb)
    res["peak_incremental_mb"] = max(res["peak_incremental_mb"], rss.peak / mb)
    print(f"[{n}] one file changed: {secs:.1f} s\n  {line}", flush=True)
    files[len(files) // 3].unlink()
    secs, rss, line = run_rebuild(inbox, db, jobs)
    res.update(one_removed_s=secs)
    print(f"[{n}] one file removed: {secs:.1f} s\n  {line}", flush=True)
    for f in files[-10:]:
        f.write_text(f.read_text(encoding="utf-8") + "\n（此件依申请公开）\n", encoding="utf-8")
        _touch_old(f)
    secs, rss, line = run_rebuild(inbox, db, jobs)
    res.update(ten_changed_s=secs)
    print(f"[{n}] ten files changed: {secs:.1f} s\n  {line}", flush=True)
    # the same in one warm process, as `duban watch` runs them (no start-up, no spaCy load)
    from pipeline.tracker.rebuild import _warm, rebuild

    _warm()
    t0 = time.perf_counter()
    rebuild(inbox, db, settle=0)
    res["warm_nochange_s"] = time.perf_counter() - t0
    for key, f in (("warm_one_changed_s", files[len(files) // 4]),):
        f.write_text(f.read_text(encoding="utf-8") + "\n（此件主动公开）\n", encoding="utf-8")
        _touch_old(f)
        t0 = time.perf_counter()
        rebuild(inbox, db, settle=0)
        res[key] = time.perf_counter() - t0
    files[len(files) // 5].unlink()
    t0 = time.perf_counter()
    rebuild(inbox, db, settle=0)
    res["warm_one_removed_s"] = time.perf_counter() - t0
    # as `duban watch` runs them: told which path changed, it looks at that one only
    f = files[len(files) // 6]
    f.write_text(f.read_text(encoding="utf-8") + "\n（此件不予公开）\n", encoding="utf-8")
    _touch_old(f)
    rel = f.relative_to(inbox).as_posix()
    t0 = time.perf_counter()
    rebuild(inbox, db, settle=0, paths=[rel])
    res["watch_one_changed_s"] = time.perf_counter() - t0
    f.unlink()
    t0 = time.perf_counter()
    rebuild(inbox, db, settle=0, paths=[rel])
    res["watch_one_removed_s"] = time.perf_counter() - t0
    print(f"[{n}] duban watch (only the changed path looked at): one changed {res['watch_one_changed_s']:.2f} s, "
          f"one removed {res['watch_one_removed_s']:.2f} s", flush=True)
    print(f"[{n}] in a warm process, whole inbox compared: no-change {res['warm_nochange_s']:.2f} s, one changed "
          f"{res['warm_one_changed_s']:.2f} s, one removed {res['warm_one_removed_s']:.2f} s", flush=True)
    res["queries"], res["queries_page"], res["query_rows"] = {}, {}, {}
    for label, total, page, whole in time_queries(db):
        res["queries"][label], res["queries_page"][label], res["query_rows"][label] = whole, page, total
        print(f"[{n}] query {label} ({total:,} rows): first {PAGE} and the count {page * 1000:.0f} ms, "
              f"all rows {whole * 1000:.0f} ms", flush=True)
    return res


ROWS = [("full rebuild (files/s, 2 jobs)", "rate", "{:.0f}", None),
        ("full rebuild (s)", "full_s", "{:.0f}", None),
        ("peak memory, full (MB PSS, all processes)", "peak_mb", "{:.0f}", 400),
        ("peak memory, no-change / one changed (MB PSS)", "peak_incremental_mb", "{:.0f}", 400),
        ("tracker size (MB)", "size_mb", "{:.0f}", None),
        ("tracker size per notice (KB)", "kb_per_notice", "{:.1f}", None),
        ("no-change rebuild, a `duban rebuild` process (s)", "nochange_s", "{:.1f}", 10),
        ("one file changed, a `duban rebuild` process (s)", "one_changed_s", "{:.1f}", None),
        ("one file removed (s)", "one_removed_s", "{:.1f}", None),
        ("ten files changed (s)", "ten_changed_s", "{:.1f}", None),
        ("warm process, whole inbox compared: no-change (s)", "warm_nochange_s", "{:.2f}", None),
        ("warm process, whole inbox compared: one file changed (s)", "warm_one_changed_s", "{:.2f}", None),
        ("warm process, whole inbox compared: one file removed (s)", "warm_one_removed_s", "{:.2f}", None),
        ("duban watch (the changed path only): one file changed (s)", "watch_one_changed_s", "{:.2f}", 2),
        ("duban watch (the changed path only): one file removed (s)", "watch_one_removed_s", "{:.2f}", None)]


def table(results: list[dict]) -> str:
    """The figures side by side, one column per inbox size (markdown)."""
    out = ["| | " + " | ".join(f"{r.get('notices', r['n']):,} notices" + (" (replicated)" if r.get("replicated") else "")
                               for r in results) + " | target |",
           "|---|" + "---|" * (len(results) + 1)]
    for label, key, fmt, target in ROWS:
        out.append(f"| {label} | " + " | ".join(fmt.format(r[key]) if key in r else "—" for r in results)
                   + f" | {'< ' + str(target) if target else ''} |")
    for q in results[0].get("queries", {}):
        cells = []
        for r in results:
            if q not in r.get("queries", {}):
                cells.append("—")
            elif q in r.get("queries_page", {}):
                cells.append(f"{r['queries_page'][q] * 1000:.0f} / {r['queries'][q] * 1000:.0f} "
                             f"({r['query_rows'][q]:,} rows)")
            else:
                cells.append(f"{r['queries'][q] * 1000:.0f}")
        out.append(f"| `{q}`: first {PAGE} / all rows (ms) | " + " | ".join(cells) + " | < 200 |")
    return "\n".join(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, nargs="+", default=[10_000], help="Inbox sizes (one run each).")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--docx-share", type=float, default=0.2)
    ap.add_argument("--keep", type=Path, help="Build in this folder and keep it (default: a temporary one).")
    ap.add_argument("--results", type=Path, help="Append each size's figures (JSON lines) to this file.")
    ap.add_argument("--table", type=Path, nargs="+", help="Only print the table of these results files.")
    ap.add_argument("--replicate", type=Path, metavar="DIR",
                    help="Build each size's tracker by replicating the one kept in DIR (a --keep folder of a "
                         "smaller size: n must be a multiple of it) instead of extracting every notice.")
    ap.add_argument("--reuse", action="store_true",
                    help="With --keep: when the folder already holds a tracker built for this size, time the "
                         "incremental rebuilds and queries on it instead of building it again.")
    args = ap.parse_args()
    if args.table:
        results = [json.loads(line) for f in args.table for line in f.read_text().splitlines() if line.strip()]
        print(table(sorted(results, key=lambda r: r["n"])))
        return
    results = []
    for n in args.n:
        base = (args.keep / str(n)) if args.keep else Path(tempfile.mkdtemp(prefix="duban-bench-"))
        base.mkdir(parents=True, exist_ok=True)
        try:
            copies = None
            if args.replicate:
                small = sum(1 for _ in (args.replicate / "inbox").rglob("*.*"))
                copies = (args.replicate, max(1, round(n / small)))
            results.append(bench(n, args.jobs, args.docx_share, base, copies, args.reuse))
            if args.results:
                with open(args.results, "a", encoding="utf-8") as fh:
                    fh.write(json.dumps(results[-1]) + "\n")
        finally:
            if not args.keep:
                shutil.rmtree(base, ignore_errors=True)
    print(table(results))


if __name__ == "__main__":
    main()
