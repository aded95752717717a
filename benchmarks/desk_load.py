"""The desk under load: 20 supervisors' browsers on a 10,000-notice tracker, on this machine only.

    .venv/bin/python benchmarks/desk_load.py                          # builds /tmp/duban-desk-load (10,000 notices)
    .venv/bin/python benchmarks/desk_load.py --db outputs/tracker.db  # an existing tracker
    .venv/bin/python benchmarks/desk_load.py --n 2000 --clients 20 --rounds 5

Builds (or reuses) a synthetic tracker with benchmarks/rebuild.py's generator, starts ``duban serve``
on 127.0.0.1 at a free port, times each page once alone, then runs ``--clients`` concurrent
clients, each requesting every page ``--rounds`` times in its own shuffled order (a bounded number of
requests: clients × rounds × pages), and prints p50/p95/max per page: every canned query (the HTML
page a supervisor opens, with typical parameters) and the notice page. Target: p95 < 1 s for every
page with 20 clients on 10,000 notices. Only loopback traffic.
"""
from __future__ import annotations

import argparse
import os
import http.client
import random
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote, urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TARGET_P95 = 1.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def build(base: Path, n: int, jobs: int) -> Path:
    """The tracker under ``base`` (made from a synthetic inbox of ``n`` notices when missing)."""
    from benchmarks.rebuild import make_inbox
    from pipeline.tracker.rebuild import rebuild

    inbox, db = base / "inbox", base / "tracker.db"
    if db.exists():
        return db
    if not inbox.exists():
        t0 = time.perf_counter()
        made = make_inbox(inbox, n)
        print(f"inbox: {n} notices ({made['txt']} .txt, {made['docx']} .docx) in {time.perf_counter() - t0:.0f} s",
              flush=True)
    t0 = time.perf_counter()
    summary = rebuild(inbox, db, jobs=jobs, settle=0)
    print(f"tracker: {summary.line() if hasattr(summary, 'line') else summary} ({time.perf_counter() - t0:.0f} s)",
          flush=True)
    return db


def pages(db: Path, rng: random.Random, numeric_links: bool = False) -> dict[str, list[str]]:
    """Page name -> the URLs clients pick from (typical parameters, from the tracker itself)."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    one = lambda sql: (conn.execute(sql).fetchone() or [""])[0]  # noqa: E731
    mid = one("select date from deadlines where date is not null order by date "
              "limit 1 offset (select count(*) / 2 from deadlines where date is not null)")
    name = one("select name from people where n_documents > 1 order by n_roles desc limit 1")
    number = one("select doc_number from documents where doc_number is not null group by doc_number "
                 "having count(*) = 1 limit 1")
    month = one("select substr(start_date, 1, 7) from phases where start_date is not null "
                "order by start_date limit 1 offset (select count(*) / 2 from phases where start_date is not null)")
    docs = [tuple(r) for r in conn.execute("select id, path from documents")]
    conn.close()
    if numeric_links:  # a desk from before the stable page keys (to compare with older commits)
        links = [f"/-/notice/{i}" for i, _ in rng.sample(docs, min(200, len(docs)))]
    else:
        from pipeline.desk.plugin import notice_key

        links = [f"/-/notice/{notice_key(p)}" for _, p in rng.sample(docs, min(200, len(docs)))]

    def q(query, **params):
        return f"/tracker/{query}?" + urlencode(params)

    return {
        "overdue": [q("overdue", 日期=mid)],
        "upcoming": [q("upcoming", 日期=mid, 天数=30)],
        "duties_by_actor": [q("duties_by_actor", 责任主体="村")],
        "person_roles": [q("person_roles", 姓名=name)],
        "citations": [q("citations", 文件=number)],
        "phases": [q("phases", 文件="", 月份=month)],
        "search": [q("search", 关键词=w) for w in ("调研", "安全生产", "督导检查", "整改")],
        "notice page": links,
    }


def fetch(conn: http.client.HTTPConnection, url: str) -> tuple[float, int]:
    t0 = time.perf_counter()
    conn.request("GET", quote(url, safe="/?=&%"))
    r = conn.getresponse()
    r.read()
    return time.perf_counter() - t0, r.status


def serve(db: Path, port: int) -> subprocess.Popen:
    duban = Path(sys.executable).with_name("duban")
    proc = subprocess.Popen([str(duban), "serve", "--db", str(db), "--host", "127.0.0.1", "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    deadline = time.monotonic() + 120
    while True:
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            fetch(c, "/")
            c.close()
            return proc
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                raise SystemExit(f"duban serve did not start: {proc.stdout.read()}")
            time.sleep(0.3)


def run_load(port: int, urls: dict[str, list[str]], clients: int, rounds: int, seed: int):
    times: dict[str, list[float]] = {name: [] for name in urls}
    errors: list[str] = []
    lock = threading.Lock()
    start = threading.Barrier(clients)

    def client(i):
        rng = random.Random(seed + i)
        plan = [name for name in urls for _ in range(rounds)]
        rng.shuffle(plan)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        start.wait()
        for name in plan:
            url = rng.choice(urls[name])
            try:
                secs, status = fetch(conn, url)
            except (OSError, http.client.HTTPException) as e:
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
                with lock:
                    errors.append(f"{url}: {e}")
                continue
            with lock:
                times[name].append(secs)
                if status != 200:
                    errors.append(f"{url}: HTTP {status}")
        conn.close()

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return times, errors, time.perf_counter() - t0


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=10_000, help="Notices in the synthetic tracker (default 10,000).")
    ap.add_argument("--keep", type=Path, default=Path("/tmp/duban-desk-load"),
                    help="Folder of the synthetic inbox and tracker, reused when present.")
    ap.add_argument("--db", type=Path, help="Use this tracker instead of a synthetic one.")
    ap.add_argument("--jobs", type=int, default=2, help="Extraction processes when building.")
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--rounds", type=int, default=5, help="Requests per page per client.")
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--numeric-links", action="store_true",
                    help="Notice pages at /-/notice/<id> (a desk from before the stable keys, to compare).")
    args = ap.parse_args()
    if args.db:
        db = args.db
    else:
        args.keep.mkdir(parents=True, exist_ok=True)
        db = build(args.keep, args.n, args.jobs)
    # serve a copy, so a rebuild elsewhere does not change the figures mid-run
    work = Path(args.keep if not args.db else db.parent) / "load"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    shutil.copy(db, work / "tracker.db")
    db = work / "tracker.db"
    n_docs = sqlite3.connect(f"file:{db}?mode=ro", uri=True).execute("select count(*) from documents").fetchone()[0]
    urls = pages(db, random.Random(args.seed), args.numeric_links)
    port = free_port()
    proc = serve(db, port)
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        alone = {}
        for name, choices in urls.items():
            fetch(conn, choices[0])  # warm
            alone[name] = statistics.median(fetch(conn, choices[i % len(choices)])[0] for i in range(3))
        conn.close()
        cpu0 = cpu_seconds(proc.pid)
        times, errors, wall = run_load(port, urls, args.clients, args.rounds, args.seed)
        cpu = cpu_seconds(proc.pid) - cpu0
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
    total = sum(len(v) for v in times.values())
    print(f"desk load: {n_docs} notices, {args.clients} clients, {total} requests in {wall:.1f} s "
          f"({total / wall:.1f} req/s), loopback only; server CPU {cpu * 1000 / total:.1f} ms a request; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print(f"{'page':<16} {'alone':>8} {'p50':>8} {'p95':>8} {'max':>8}")
    ok = True
    for name, ts in times.items():
        p95 = pct(ts, 95)
        ok &= p95 < TARGET_P95
        print(f"{name:<16} {alone[name] * 1000:>6.0f}ms {pct(ts, 50) * 1000:>6.0f}ms {p95 * 1000:>6.0f}ms "
              f"{max(ts) * 1000:>6.0f}ms  [{'PASS' if p95 < TARGET_P95 else 'MISS'} p95 < {TARGET_P95:.0f} s]")
    if errors:
        print(f"{len(errors)} errors, e.g. {errors[0]}")
    sys.exit(0 if ok and not errors else 1)


if __name__ == "__main__":
    main()
