"""The commands on notice files: ``duban extract`` (records as JSON), ``show`` (a terminal summary)
and ``evaluate`` (scores against gold). A thin layer over pipeline.extraction and pipeline.readers.scan.
"""
from __future__ import annotations

import json
import sys
from contextlib import nullcontext
from pathlib import Path

import click

from pipeline.cli.options import formats_read
from pipeline.readers.document import ReadError

_EXTRACT_HELP = """Extract the record (RECORD.md) of each notice file.

    PATHS are notice files ({formats}), or folders (searched recursively; hidden files, Office
    temporaries and partial downloads skipped). A file that cannot be read is reported on stderr
    with the reason, and the rest go on; the exit status is 1 if any file failed.

    On stdout, one record is printed as indented JSON; several records are printed as JSON Lines
    (one compact JSON object a line, in file order: read them line by line, `jq -c .`, or
    pandas.read_json(..., lines=True)). --compact prints JSON Lines even for one record.

    \b
      duban extract notice.docx                  print the record (indented JSON)
      duban extract a.txt b.docx > records.jsonl JSON Lines: one record a line
      duban extract inbox/ --out outputs/records one DIR/<stem>.json per file
    """.format(formats=formats_read())


def iter_inputs(paths) -> tuple[list[Path], dict[str, str]]:
    """The files named, and the notice files inside the folders named (recursively, in a stable
    order, by pipeline.readers.scan: the same files ``duban rebuild`` sees); and the refused ones
    (path → reason). Nothing found at all is a usage error."""
    from pipeline.readers.scan import scan, special

    files, refused = [], {}
    for p in paths:
        p = Path(p)
        if p.is_dir():
            found = scan(p)
            files.extend(found.files.values())
            refused.update({str(p / rel): reason for rel, reason in found.refused.items()})
        elif p.exists() and special(p):  # a FIFO named on the command line is never opened
            refused[str(p)] = special(p)
        else:
            files.append(p)  # the reader says what is wrong with it, if anything
    if not files and not refused:
        raise click.UsageError(f"no notice files ({formats_read()}) found in the paths given")
    return files, refused


def _fail(path, reason):
    click.secho(f"error: {path}: {reason}", fg="red", err=True)


def _extract_all(files, refused, on_record):
    """Report the refused files, extract each file (failures on stderr, the rest go on); returns the
    number of failures."""
    from pipeline.extraction import extract_entries

    for path, reason in refused.items():
        _fail(path, reason)
    failed = len(refused)
    show_progress = sys.stderr.isatty() and len(files) > 3
    with click.progressbar(files, label="extracting", file=sys.stderr, show_pos=True) if show_progress \
            else nullcontext(files) as bar:
        for f in bar:
            for source, result in extract_entries(f):
                if isinstance(result, ReadError):
                    failed += 1
                    _fail(result.path, result.reason)
                else:
                    on_record(source, result)
    return failed


@click.command(help=_EXTRACT_HELP)
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--out", "out_dir", type=click.Path(file_okay=False),
              help="Write DIR/<stem>.json per file (default: stdout, JSON for one record, JSON Lines for several).")
@click.option("--compact", is_flag=True, help="One line of JSON per record instead of indented JSON.")
def extract(paths, out_dir, compact):
    """Extract the record of each notice file (the help is _EXTRACT_HELP: it names the formats read)."""
    files, refused = iter_inputs(paths)
    indent = None if compact else 1
    if out_dir:
        Path(out_dir).mkdir(parents=True, exist_ok=True)

    written = []
    # stdout: the first record waits until a second one shows there are several (then JSON Lines)
    pending = []

    def write(f, rec):
        written.append(f)
        if out_dir:
            data = json.dumps(rec, ensure_ascii=False, indent=indent)
            (Path(out_dir) / f"{Path(f).stem}.json").write_text(data + "\n", encoding="utf-8")
            return
        pending.append(rec)
        if len(written) == 1 and not compact:
            return
        for r in pending:
            click.echo(json.dumps(r, ensure_ascii=False))
        pending.clear()

    failed = _extract_all(files, refused, write)
    for r in pending:  # the one record, indented
        click.echo(json.dumps(r, ensure_ascii=False, indent=indent))
    if out_dir:
        click.echo(f"{len(written)} record(s) written to {out_dir}" + (f", {failed} failed" if failed else ""), err=True)
    sys.exit(1 if failed else 0)


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
def show(paths):
    """Print a readable summary of each notice: title, number, issuer, date, phases as a
    timeline, deadlines, duties as a table, rosters and 分工.

    \b
      duban show corpora/notices/001_lanxi_anquan.txt
    """
    from pipeline.cli.show import render

    files, refused = iter_inputs(paths)
    failed = _extract_all(files, refused, lambda f, rec: render(rec))
    sys.exit(1 if failed else 0)


@click.command()
@click.option("--gold", "gold_dir", required=True, type=click.Path(exists=True, file_okay=False), help="Folder of gold annotations (<stem>.json).")
@click.option("--pred", "pred_dir", required=True, type=click.Path(exists=True, file_okay=False), help="Folder of records written by `duban extract --out`.")
@click.option("-v", "--verbose", is_flag=True, help="List every miss.")
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
@click.option("--only-predicted", is_flag=True,
              help="Score only the gold documents that have a record in --pred (a subset, e.g. the .docx twins).")
def evaluate(gold_dir, pred_dir, verbose, as_json, only_predicted):
    """Score extracted records against gold annotations, field by field.

    Document fields are scored as accuracy, list fields as micro precision/recall/F1, duty and
    roster attributes as accuracy; the last line is the macro mean (the same metrics as
    ../shared/eval/score.py).

    \b
      duban extract corpora/notices --out /tmp/pred
      duban evaluate --gold corpora/gold --pred /tmp/pred
      duban evaluate --gold corpora/gold --pred /tmp/pred_docx --only-predicted
    """
    from pipeline.extraction.evaluate import score

    rows, overall, misses = score(gold_dir, pred_dir, verbose, only_predicted)
    if as_json:
        click.echo(json.dumps({"fields": {k: {"metric": m, "score": round(s, 4), "detail": d} for k, m, s, d in rows},
                               "overall": round(overall, 4)}, ensure_ascii=False, indent=1))
        return
    for line in misses:
        click.echo("  " + line)
    for k, m, s, d in rows:
        click.echo(f"{k:16} {m:8} {s:6.3f}  {d}")
    click.echo(f"overall {overall:.3f}")


COMMANDS = [extract, show, evaluate]
