"""The options the commands share, declared once: --db, the query filters, --json/--csv/--evidence,
--inbox and --settle, and the few helpers every tracker command needs (open the tracker, turn a
library error into a one-line error).

A filter's help is the same text everywhere; the export command prefixes it with the kinds it
applies to (``duties: who the duty falls on …``).
"""
from __future__ import annotations

import os

import click

from pipeline.readers import SUPPORTED

PERIOD_CHOICES = ["day", "week", "month", "quarter", "half_year", "year", "none"]


def formats_read() -> str:
    """The file types duban reads, for help and errors: ``.bmp, .doc, …, .zip``."""
    return ", ".join(sorted(SUPPORTED))


def _help(scope: str | None, text: str) -> str:
    return f"{scope}: {text}" if scope else text[:1].upper() + text[1:]


def _stack(f, options):
    for opt in reversed(options):  # the first listed is shown first in --help
        f = opt(f)
    return f


# -- the tracker ---------------------------------------------------------------------------------------

def default_db() -> str:
    return os.environ.get("DUBAN_DB", "outputs/tracker.db")


def db_option(f):
    return click.option("--db", "db_path", type=click.Path(dir_okay=False), default=default_db, show_default=False,
                        help="Tracker database (default: $DUBAN_DB or outputs/tracker.db).")(f)


def inbox_option(text: str):
    return click.option("--inbox", type=click.Path(file_okay=False),
                        default=lambda: os.environ.get("DUBAN_INBOX", "inbox"), help=text)


def settle_option(text: str):
    return click.option("--settle", type=float, default=2.0, show_default=True, help=text)


def scheduler_option(f):
    return click.option("--scheduler", metavar="tcp://HOST:8786", default=lambda: os.environ.get("DUBAN_SCHEDULER") or None,
                        help="Extract on this Dask cluster instead of local processes (default: $DUBAN_SCHEDULER; "
                             "needs pip install 'duban[cluster]'; --jobs is then ignored).")(f)


def open_tracker(db_path):
    """The tracker opened read-only for queries, or a one-line error."""
    from pipeline.tracker.queries import QueryError, connect

    try:
        return connect(db_path)
    except QueryError as e:
        raise click.ClickException(str(e)) from None


def query(fn, *args, **kwargs):
    """Call a query function; its QueryError (a bad date, an unknown notice) is a one-line error."""
    from pipeline.tracker.queries import QueryError

    try:
        return fn(*args, **kwargs)
    except QueryError as e:
        raise click.ClickException(str(e)) from None


# -- output ---------------------------------------------------------------------------------------------

TABLE_ROWS = 100  # rows a table shows unless --limit says otherwise (JSON and CSV: all)


def out_options(f):
    return _stack(f, [
        click.option("--json", "fmt", flag_value="json", help="JSON on stdout (every column)."),
        click.option("--csv", "fmt", flag_value="csv", help="CSV on stdout (every column)."),
        click.option("--limit", type=click.IntRange(0), metavar="N",
                     help=f"Show the first N rows (0: all). Default: {TABLE_ROWS} in a table, all with --json/--csv; "
                          f"the table's title gives the total."),
        click.option("--evidence", is_flag=True,
                     help="Add the source sentence and page to each row (and the desk's notes, where rows have them)."),
    ])


def row_limit(limit: int | None, fmt: str | None) -> int | None:
    """The rows to fetch: --limit as given (0: all), else a screenful for a table and all for JSON/CSV."""
    if limit is None:
        return TABLE_ROWS if fmt is None else None
    return limit or None


# -- filters (the query commands' and the export's) -------------------------------------------------------

def duty_filters(scope: str | None = None, doc_scope: str | None = None):
    """--actor, --period, --doc, --search: which duties."""
    def deco(f):
        return _stack(f, [
            click.option("--actor", help=_help(scope, "who the duty falls on (matches the wording or its group: "
                                                      "村 finds 各村（社区）).")),
            click.option("--period", type=click.Choice(PERIOD_CHOICES),
                         help=_help(scope, "how often (none: one-off duties).")),
            click.option("--doc", "doc_key", metavar="NUMBER",
                         help=_help(doc_scope or scope, "only this notice (发文字号, file path or part of the title).")),
            click.option("--search", metavar="WORDS",
                         help=_help(scope, "Chinese full-text search in the requirement: --search 调研")),
        ])
    return deco


def deadline_filters(scope: str | None = None):
    """--before, --after, --overdue, --as-of, --upcoming: which dated deadlines."""
    def deco(f):
        return _stack(f, [
            click.option("--before", metavar="DATE", help=_help(scope, "due before this date (YYYY-MM-DD).")),
            click.option("--after", metavar="DATE", help=_help(scope, "due after this date.")),
            click.option("--overdue", is_flag=True, help=_help(scope, "only those past due as of --as-of.")),
            click.option("--as-of", "as_of", metavar="DATE", help=_help(scope, "the day to judge from (default: today).")),
            click.option("--upcoming", type=click.IntRange(0), metavar="DAYS", help=_help(scope, "due within DAYS of --as-of.")),
        ])
    return deco


def status_option(scope: str | None = None):
    """--status open|done: the desk's 办结 marks (desk.db beside the tracker)."""
    return click.option("--status", type=click.Choice(["open", "done"]),
                        help=_help(scope, "open: not marked 办结 on the desk; done: marked 办结 "
                                          "(--overdue already leaves done items out)."))


def doc_filters(scope: str | None = None):
    """--issuer, --year: which notices."""
    def deco(f):
        return _stack(f, [
            click.option("--issuer", help=_help(scope, "issuing body (part of the name).")),
            click.option("--year", type=int, help=_help(scope, "year signed (else the year of the 发文字号).")),
        ])
    return deco
