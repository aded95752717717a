"""The tracker's commands: ``duban rebuild``, ``watch`` and the supervisors' queries.

A thin layer over pipeline.tracker.rebuild and .watch (building) and pipeline.tracker.queries (reading).
"""
from __future__ import annotations

import json
import os
import sys
from contextlib import nullcontext

import click

from pipeline.cli.options import (db_option, deadline_filters, doc_filters, duty_filters, inbox_option, open_tracker,
                                 out_options, query, row_limit, scheduler_option, settle_option,
                                 status_option)
from pipeline.cli.output import emit


def _emit(rows, fmt, columns, evidence, title, empty):
    if evidence:  # the page and the desk's notes only when some row has one (a table has no room to waste)
        columns = [*columns, "evidence"] + [c for c in ("page", "notes") if any(r.get(c) for r in rows)]
    if not rows and fmt is None:
        click.echo(empty, err=True)
        return
    emit(rows, fmt or "table", columns, title)
    total = getattr(rows, "total", len(rows))
    if total > len(rows):
        click.echo(f"显示前 {len(rows):,} 条，共 {total:,} 条 (first {len(rows):,} of {total:,}: --limit 0 shows all, "
                   f"--csv exports all)", err=True)


def _cut(rows: list, limit: int | None):
    """The first ``limit`` of rows a query returned whole (short lists: failures, namesakes)."""
    from pipeline.tracker.queries import Rows

    out = Rows(rows[:limit] if limit else rows)
    out.total = len(rows)
    return out


def _title(label: str, rows) -> str:
    return f"{label} ({getattr(rows, 'total', len(rows)):,})"


# -- building ------------------------------------------------------------------------------------

class _Progress:
    """A progress bar on a terminal, a plain line every 5% (and at the end) otherwise."""

    def __init__(self):
        self.tty = sys.stderr.isatty()
        self.bar = None
        self.total = self.done = 0

    def start(self, total):
        self.total = total
        if total and self.tty:
            self.bar = click.progressbar(length=total, label="extracting", file=sys.stderr, show_pos=True)
            self.bar.__enter__()
        elif total:
            click.echo(f"extracting {total} file(s)", err=True)

    def __call__(self, path):
        self.done += 1
        if self.bar:
            self.bar.update(1)
        elif self.total and (self.done == self.total or self.done % max(1, self.total // 20) == 0):
            click.echo(f"extracted {self.done}/{self.total}", err=True)

    def close(self):
        if self.bar:
            self.bar.__exit__(None, None, None)


@click.command()
@inbox_option("Folder of notice files, searched recursively (default: $DUBAN_INBOX or ./inbox).")
@db_option
@click.option("--jobs", "-j", type=click.IntRange(1, 64), default=lambda: min(4, os.cpu_count() or 1),
              help="Extraction worker processes (default: the number of cores, at most 4).")
@click.option("--force", is_flag=True, help="Re-extract every file, changed or not.")
@settle_option("Files modified less than this many seconds ago may still be being copied: the run waits until "
               "they stay unchanged this long (10 minutes at most), then reads them.")
@click.option("--wait", "wait", type=float, default=None, metavar="SECONDS",
              help="When another rebuild holds the tracker, wait at most this long (0: fail at once; "
                   "default: wait until it ends, saying who holds it).")
@scheduler_option
def rebuild(inbox, db_path, jobs, force, settle, wait, scheduler):
    """Bring the tracker up to date with the inbox: the nightly job.

    Only new and changed files (by content hash) are extracted, removed ones are dropped, and
    everything is re-extracted when duban's extractor version changes. Changes are applied to
    the tracker in one transaction, so a query never sees half a rebuild and a rebuild killed
    midway leaves the previous tracker intact. Files that cannot be read are
    listed in the ``failures`` table (see ``duban failures``); the exit status is 1 if any.

    \b
      duban rebuild --inbox /srv/notices --db outputs/tracker.db
      duban rebuild --inbox /srv/notices --jobs 2 --force
      duban rebuild --inbox /srv/notices --scheduler tcp://10.0.0.5:8786
    """
    from pipeline.tracker.rebuild import TrackerError
    from pipeline.tracker.rebuild import rebuild as do_rebuild

    progress = _Progress()
    try:
        if scheduler:  # reached (or refused, in one line) before the tracker is touched
            from pipeline.tracker.cluster import DaskExtraction

            cluster = DaskExtraction(scheduler)
            cluster.connect()
        else:
            cluster = nullcontext()
        with cluster:
            summary = do_rebuild(inbox, db_path, jobs=jobs, force=force, progress=progress, settle=settle,
                                 lock_timeout=wait, log=lambda line: click.secho(
                                     line, fg="red" if line.startswith("error") else None, err=True),
                                 executor=cluster if scheduler else None)
    except TrackerError as e:
        raise click.ClickException(str(e)) from None
    finally:
        progress.close()
    click.echo(summary.line(), err=True)
    sys.exit(1 if summary.failed else 0)


@click.command()
@inbox_option("Folder to watch (default: $DUBAN_INBOX or ./inbox).")
@db_option
@settle_option("Seconds a file must stay unchanged before it is read (a file being copied is not read half-written).")
def watch(inbox, db_path, settle):
    """Keep the tracker in step with the inbox during the day.

    Rebuilds once, then waits for files to be added, changed or removed and updates the
    tracker within seconds (only the changed files are extracted). Stop with Ctrl-C.

    \b
      duban watch --inbox /srv/notices
    """
    from pipeline.tracker.rebuild import TrackerError
    from pipeline.tracker.watch import watch as do_watch

    def log(line):
        click.echo(line, err=True)

    try:
        do_watch(inbox, db_path, settle=settle, log=log)
    except TrackerError as e:
        raise click.ClickException(str(e)) from None
    except KeyboardInterrupt:
        log("stopped")


# -- queries ---------------------------------------------------------------------------------------

@click.command()
@db_option
@duty_filters()
@status_option()
@out_options
def duties(db_path, actor, period, doc_key, search, status, fmt, limit, evidence):
    """Quantified duties (不少于3次, 每月至少1次…) across all notices, with the desk's 办结 marks.

    \b
      duban duties --actor 村 --period week
      duban duties --search 调研 --evidence
      duban duties --status open --doc 岚政发[2023]8号
      duban duties --doc 岚政发〔2023〕8号 --csv > duties.csv
    """
    from pipeline.tracker import queries

    rows = query(queries.duties, open_tracker(db_path), actor=actor, period=period, doc=doc_key, search=search,
                 status=status, limit=row_limit(limit, fmt))
    _emit(rows, fmt, ["notice", "actor", "requirement", "quantity", "period", "deadline", "status"], evidence,
          _title("量化任务 duties", rows), "no duties match")


@click.command()
@db_option
@deadline_filters()
@status_option()
@out_options
def deadlines(db_path, before, after, overdue, as_of, upcoming, status, fmt, limit, evidence):
    """Dated deadlines (…前报送, 于…完成, and duties' own dates), earliest first.

    The 状态 column is the desk's 办结 mark (desk.db beside the tracker): --overdue leaves out
    what is marked done, as the desk's 逾期事项 does; --evidence adds the desk's notes.

    \b
      duban deadlines --overdue
      duban deadlines --overdue --as-of 2023-06-30
      duban deadlines --upcoming 30 --status open
      duban deadlines --status done --evidence
    """
    from pipeline.tracker import queries

    rows = query(queries.deadlines, open_tracker(db_path), before=before, after=after, overdue=overdue, as_of=as_of,
                  upcoming=upcoming, status=status, limit=row_limit(limit, fmt))
    cols = ["date", "days_overdue", "task", "actor", "notice"] if overdue else ["date", "task", "actor", "notice"]
    cols.append("status")
    _emit(rows, fmt, cols, evidence, _title("时限 deadlines", rows), "no deadlines match")


@click.command()
@db_option
@click.argument("name", required=False)
@click.option("--current", is_flag=True,
              help="Only current roles: leave out rosters a later notice re-staffed (调整…组成人员).")
@click.option("--group", metavar="NAME", help="Only the rosters of this group (part of its name): "
                                               "--current --group 河湖长制 lists who is on it now.")
@click.option("--ambiguous", is_flag=True, help="List the namesakes kept apart instead.")
@out_options
def people(db_path, name, current, group, ambiguous, fmt, limit, evidence):
    """Every role a person holds across notices (组长, 成员, 分工…), and whether it still holds.

    The same name with a compatible place and title is one person; namesakes stay apart
    (``--ambiguous`` lists them). A roster is superseded when a later notice (成文日期) names
    the same group with a new roster, as 关于调整…领导小组组成人员的通知 do: the 任职 column
    says 现任, or which notice re-staffed it.

    \b
      duban people 李卫东
      duban people 李卫东 --current
      duban people --current --group 安全生产委员会
      duban people --ambiguous
    """
    from pipeline.tracker import queries

    conn = open_tracker(db_path)
    if ambiguous:
        rows = _cut(queries.ambiguous_people(conn), row_limit(limit, fmt))
        _emit(rows, fmt, ["person", "name", "place", "titles", "note"], False, "同名待辨 namesakes", "no namesakes")
        return
    rows = queries.people(conn, name, current=current, group=group, limit=row_limit(limit, fmt))
    if group:
        empty = f"no {'current ' if current else ''}roster of a group called {group}" + (f" with {name}" if name else "")
    elif name and current and queries.people(conn, name):
        empty = f"{name} holds no current role: every roster naming them was re-staffed by a later notice"
    else:
        empty = f"no one called {name} in the tracker" if name else "no people yet"
    _emit(rows, fmt, ["person", "name", "role", "position", "context", "notice", "standing"], evidence,
          _title("人员任职 roles", rows), empty)


@click.command()
@db_option
@doc_filters()
@out_options
def docs(db_path, issuer, year, fmt, limit, evidence):
    """The notices in the tracker, newest first. A notice filed more than once (the same bytes, or
    the same 文号 and title) is one row: 份数 counts its files, --json/--csv list them (files).

    \b
      duban docs --year 2023
      duban docs --issuer 澄河县
    """
    from pipeline.tracker import queries

    rows = queries.docs(open_tracker(db_path), issuer=issuer, year=year, limit=row_limit(limit, fmt))
    _emit(rows, fmt, ["doc_number", "title", "issuer", "signed_date", "duties", "deadlines", "roster", "n_files"], False,
          _title("文件 notices", rows), "no notices match")


@click.command()
@db_option
@click.argument("key", metavar="NUMBER-OR-FILE")
@click.option("--json", "as_json", is_flag=True, help="The record as JSON, with the tracker's links.")
def doc(db_path, key, as_json):
    """One notice in full, by 发文字号, file path or title, with what cites it and what it cites.

    The 文号 may be typed as notices print it: 〔2023〕, [2023], (2023), （2023）, with or without 号.

    \b
      duban doc 岚政发〔2023〕8号
      duban doc '岚政发[2023]8'
      duban doc 001_lanxi_anquan.txt --json
    """
    from pipeline.tracker import queries
    from pipeline.cli.output import table
    from pipeline.cli.show import render

    rec = query(queries.doc, open_tracker(db_path), key)
    if as_json:
        click.echo(json.dumps(rec, ensure_ascii=False, indent=1))
        return
    render(rec)
    links = rec["tracker"]
    if len(links["files"]) > 1:
        click.echo(f"文件 files ({len(links['files'])} copies of this notice): " + "、".join(links["files"]))
    if links["cites"]:
        table("引用（已在台账）cites", [("文件", "cited_number"), ("标题", "cited_title"), ("路径", "cited_path")],
              links["cites"])
    if links["cited_by"]:
        table("被引用 cited by", [("文件", "citing_number"), ("标题", "citing_title"), ("路径", "path")],
              links["cited_by"])


@click.command()
@db_option
@click.option("--unresolved-citations", "citations", is_flag=True, help="Citations of notices not in the tracker.")
@out_options
def failures(db_path, citations, fmt, limit, evidence):
    """Files the last rebuilds could not read, with the reason (or unresolved citations).

    \b
      duban failures
      duban failures --unresolved-citations
    """
    from pipeline.tracker import queries

    conn = open_tracker(db_path)
    if citations:
        rows = _cut(queries.unresolved_citations(conn), row_limit(limit, fmt))
        _emit(rows, fmt, ["citing_number", "cited_title", "cited_number"], evidence, "未入台账的引用", "none")
        return
    rows = _cut(queries.failures(conn), row_limit(limit, fmt))
    _emit(rows, fmt, ["path", "reason", "first_seen", "last_seen"], False, "读取失败 failures", "no failures")


@click.command()
@db_option
@click.option("--from", "start", metavar="DATE", help="From this date (YYYY-MM-DD).")
@click.option("--to", "end", metavar="DATE", help="Up to this date.")
@out_options
def calendar(db_path, start, end, fmt, limit, evidence):
    """Every dated thing on one timeline: phase starts and ends, deadlines, duties' own dates.

    \b
      duban calendar --from 2023-03-01 --to 2023-04-30
      duban calendar --json > timeline.json
    """
    from pipeline.tracker import queries

    rows = query(queries.calendar, open_tracker(db_path), start=start, end=end, limit=row_limit(limit, fmt))
    _emit(rows, fmt, ["date", "kind", "what", "actor", "notice", "status"], evidence, _title("时间轴 calendar", rows),
          "nothing dated in that window")


COMMANDS = [rebuild, watch, duties, deadlines, people, docs, doc, failures, calendar]
