"""The supervisors' desk commands: ``duban serve`` (the tracker in a browser), ``duban export``
(Excel, CSV, JSON, iCalendar) and ``duban desk-user`` (logins for the desk).

A thin layer over pipeline.desk and pipeline.tracker.export; the filters are the query commands' own
(pipeline.cli.options).
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from pipeline.cli.options import db_option, deadline_filters, doc_filters, duty_filters, open_tracker, status_option

FORMATS = ("xlsx", "csv", "ics", "json")


def _users_default(db_path):
    from pipeline.desk import users_path_for

    return os.environ.get("DUBAN_DESK_USERS") or users_path_for(db_path)


@click.command()
@db_option
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. Anything but this machine (e.g. 0.0.0.0) needs a login (duban desk-user).")
@click.option("--port", "-p", type=click.IntRange(0, 65535), default=8001, show_default=True, help="Port.")
@click.option("--write", is_flag=True,
              help="Let logged-in users mark duties done and add notes (kept in desk.db beside the tracker).")
@click.option("--users", "users_file", type=click.Path(dir_okay=False), default=None,
              help="Logins file (default: $DUBAN_DESK_USERS or desk-users.json beside the tracker).")
@click.option("--sql-users", default=None, metavar="NAME,NAME",
              help="Logins allowed to run their own SQL after logging in (default: $DUBAN_DESK_SQL_USERS; "
                   "nobody otherwise: the canned queries and pages stay open to all). Each query stops after 3 s.")
def serve(db_path, host, port, write, users_file, sql_users):
    """The tracker in a browser: Datasette with Chinese labels, the supervisors' daily queries,
    Chinese full-text search, a page per notice and a calendar feed.

    Read-only unless --write. Open http://127.0.0.1:8001/ and start from 逾期事项 (overdue),
    近期到期 (due soon), 全文检索 (search) or 文件 (the notices). A rebuild of the tracker shows
    at the next page load; 办结 marks and notes live in desk.db and survive rebuilds.

    \b
      duban serve --db outputs/tracker.db
      duban desk-user zhang && duban serve --write        # marks and notes, after logging in
      duban serve --host 0.0.0.0 --port 8080              # on the network: a login is required
    \b
    Pages:
      /tracker/overdue?日期=2026-11-23        逾期事项 as of a day
      /tracker/search?关键词=调研              全文检索
      /-/notice?key=岚政发〔2023〕8号          one notice: phases, duties, rosters, evidence
      /-/desk.ics                              every phase and deadline, for calendar subscription
    """
    from pipeline.desk import DeskError
    from pipeline.desk import serve as run

    try:
        run(db_path, host=host, port=port, write=write, users_file=users_file or _users_default(db_path),
            sql_users=[n.strip() for n in sql_users.split(",") if n.strip()] if sql_users is not None else None,
            log=lambda line: click.echo(line, err=True))
    except DeskError as e:
        raise click.ClickException(str(e)) from None


@click.command("desk-user")
@db_option
@click.argument("name")
@click.option("--users", "users_file", type=click.Path(dir_okay=False), default=None,
              help="Logins file (default: $DUBAN_DESK_USERS or desk-users.json beside the tracker).")
@click.option("--password-stdin", is_flag=True, help="Read the password from stdin (for scripts).")
def desk_user(db_path, name, users_file, password_stdin):
    """Add a login for the web desk (or change its password).

    Passwords are stored hashed (PBKDF2, datasette-auth-passwords' format). With at least one
    user, `duban serve --write` and serving on the network (--host 0.0.0.0) are allowed.

    \b
      duban desk-user zhang
      echo "$PASS" | duban desk-user zhang --password-stdin
    """
    from pipeline.desk import DeskError, add_user

    path = users_file or _users_default(db_path)
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("password", hide_input=True, confirmation_prompt=True)
    try:
        add_user(path, name, password)
    except DeskError as e:
        raise click.ClickException(str(e)) from None
    click.echo(f"{name}: login saved in {path}", err=True)


@click.command()
@db_option
@click.option("--format", "fmt", type=click.Choice(FORMATS), default=None,
              help="xlsx, csv, ics or json (default: from --out's extension, else json).")
@click.option("--what", type=click.Choice(["duties", "deadlines", "people", "documents"]), default=None,
              help="One kind only (xlsx: one sheet; default all four). csv needs it; ics is always deadlines and phases.")
@click.option("--out", "-o", type=click.Path(dir_okay=False, allow_dash=True), default=None,
              help="Output file (default: stdout; an .xlsx needs a file or a redirect).")
@duty_filters("duties", doc_scope="duties, ics")
@deadline_filters("deadlines, ics")
@status_option("duties, deadlines")
@click.option("--name", metavar="NAME", help="people: only people with this name.")
@doc_filters("documents")
@click.option("--domain", default="duban.tracker", show_default=True,
              help="ics: the domain in each event's UID (<fact uid>@DOMAIN).")
def export(db_path, fmt, what, out, actor, period, doc_key, search, before, after, overdue, as_of, upcoming, status,
           name, issuer, year, domain):
    """Export the tracker for a 督办单: an Excel workbook, CSV, JSON or a calendar.

    \b
    xlsx  one sheet per kind (任务, 时限, 人员, 文件), Chinese headers, real dates, the evidence
    csv   one kind, UTF-8 with BOM (Excel opens the Chinese correctly)
    json  the query commands' rows (one kind, or all four keyed by kind)
    ics   every phase and dated deadline as an all-day event; UIDs come from the facts' stable
          uids, so re-importing after a rebuild updates events instead of duplicating them

    Duties and deadlines carry the desk's 办结 状态 (and its notes, once any): --overdue leaves out
    what is marked done, --status open|done picks either.

    \b
      duban export --out 督办台账.xlsx
      duban export --format xlsx --what deadlines --overdue --as-of 2026-11-23 --out 逾期.xlsx
      duban export --format csv --what duties --actor 村 > 村级任务.csv
      duban export --format ics --upcoming 90 --out 督办.ics
      duban export --format json --what people --name 李卫东
    """
    from pipeline.tracker.export import KINDS, ExportError, to_csv, to_ics, to_json, write_xlsx
    from pipeline.tracker.queries import QueryError

    if fmt is None:
        suffix = Path(out).suffix.lower().lstrip(".") if out and out != "-" else ""
        fmt = suffix if suffix in FORMATS else "json"
    conn = open_tracker(db_path)
    filters = dict(actor=actor, period=period, doc=doc_key, search=search, before=before, after=after,
                   overdue=overdue, as_of=as_of, upcoming=upcoming, name=name, issuer=issuer, year=year, status=status)
    kinds = (what,) if what else KINDS
    to_stdout = out in (None, "-")
    try:
        if fmt == "xlsx":
            if to_stdout and sys.stdout.isatty():
                raise click.UsageError("an .xlsx is binary: give --out FILE.xlsx (or redirect stdout to a file)")
            if to_stdout:
                import io

                buf = io.BytesIO()
                write_xlsx(conn, buf, kinds, **filters)
                sys.stdout.buffer.write(buf.getvalue())
            else:
                write_xlsx(conn, out, kinds, **filters)
        elif fmt == "csv":
            if not what:
                raise click.UsageError("a CSV holds one table: add --what duties|deadlines|people|documents")
            _write_text(out, to_csv(conn, what, **filters))
        elif fmt == "json":
            _write_text(out, to_json(conn, kinds, **filters) + "\n")
        else:  # ics
            if what and what != "deadlines":
                raise click.UsageError("--format ics exports deadlines and phases; drop --what or use --what deadlines")
            data = to_ics(conn, domain=domain, before=before, after=after, overdue=overdue, as_of=as_of,
                          upcoming=upcoming, doc=doc_key)
            if b"BEGIN:VEVENT" not in data:  # still a valid calendar, but say so rather than write it silently
                click.echo("no phases or dated deadlines match: the calendar has no events", err=True)
            if to_stdout:
                sys.stdout.buffer.write(data)
            else:
                Path(out).write_bytes(data)
    except (QueryError, ExportError) as e:
        raise click.ClickException(str(e)) from None
    if not to_stdout:
        click.echo(f"wrote {out}", err=True)


def _write_text(out, text: str) -> None:
    if out in (None, "-"):
        sys.stdout.buffer.write(text.encode("utf-8"))
        sys.stdout.flush()
    else:
        Path(out).write_text(text, encoding="utf-8", newline="")


COMMANDS = [serve, desk_user, export]
