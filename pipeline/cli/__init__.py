"""The ``duban`` command line: the ``main`` group, and the command modules it is made of.

    pipeline/cli/records.py    extract, show, evaluate       (notice files → records)
    pipeline/cli/tracker.py    rebuild, watch, the queries   (the tracker)
    pipeline/cli/desk.py       serve, desk-user, export      (the supervisors' desk)
    pipeline/cli/options.py    the options they share (--db, filters, --json/--csv/--evidence)

Each command is a thin call into a library function; nothing heavy (spaCy) is imported until a
command needs it, so the query commands start fast.
"""
from __future__ import annotations

import click

from pipeline.cli import desk, records, tracker
from pipeline.cli.records import iter_inputs  # noqa: F401  (kept importable where it always was)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="duban")
def main():
    """duban (督办): turn Chinese government notices (实施方案, 工作方案, 通知…) into structured
    records — 发文字号, issuer, dates, phases, deadlines, quantified duties, rosters, 分工 — and
    keep a tracker (督办台账) of who must do what, how often, and by when.

    \b
    One notice:
      duban extract corpora/notices --out outputs/records
      duban show corpora/notices/001_lanxi_anquan.txt
      duban evaluate --gold corpora/gold --pred outputs/records
    \b
    The tracker (outputs/tracker.db unless --db or $DUBAN_DB):
      duban rebuild --inbox corpora/notices      the nightly job; `duban watch` by day
      duban deadlines --overdue                  past due as of today
      duban duties --actor 村 --search 巡查       who owes what
      duban people 李卫东                         every role a person holds
    \b
    The supervisors' desk:
      duban serve                                the tracker in a browser (127.0.0.1:8001)
      duban export --format xlsx --out 台账.xlsx   Excel, CSV, JSON or an .ics calendar
    """


for _module in (records, tracker, desk):
    for _command in _module.COMMANDS:
        main.add_command(_command)

if __name__ == "__main__":  # pragma: no cover
    main()
