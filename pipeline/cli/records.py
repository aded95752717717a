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

_EXTRACT_HELP = """Extract the record (docs/record.md) of each notice file.

    PATHS are notice files ({formats}), or folders (searched recursively; hidden files, Office
    temporaries and partial downloads skipped). A file that cannot be read is reported on stderr
    with the reason, and the rest go on; the exit status is 1 if any file failed. A file read with a
    repair (a few bytes of a text not valid in its encoding, replaced) is extracted and reported on
    stderr as one "warning:" line.

    On stdout, one record is printed as indented JSON; several records are printed as JSON Lines
    (one compact JSON object a line, in file order: read them line by line, `jq -c .`, or
    pandas.read_json(..., lines=True)). --compact prints JSON Lines even for one record.

    \b
      duban extract notice.docx                  print the record (indented JSON)
      duban extract a.txt b.docx > records.jsonl JSON Lines: one record a line
      duban extract inbox/ --out outputs/records one DIR/<path>.json per file (see --out)
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
            files.extend(Path(f) for f in found.files.values())
            refused.update({str(p / rel): reason for rel, reason in found.refused.items()})
        elif p.exists() and special(p):  # a FIFO named on the command line is never opened
            refused[str(p)] = special(p)
        else:
            files.append(p)  # the reader says what is wrong with it, if anything
    if not files and not refused:
        raise click.UsageError(f"no notice files ({formats_read()}) found in the paths given")
    return files, refused


def record_names(paths, files) -> dict[Path, Path]:
    """Each input file's record name under --out: its path relative to the folder it was found in,
    or its bare name when it was named itself (the suffix is replaced by .json when written)."""
    names = {}
    folders = [Path(p) for p in paths if Path(p).is_dir()]
    for f in files:
        f = Path(f)
        folder = next((d for d in folders if f.is_relative_to(d)), None)
        names[f] = f.relative_to(folder) if folder else Path(f.name)
    return names


def _member_path(source: str, f: Path) -> str:
    """A zip member's path inside its archive ("" for the file itself)."""
    prefix = f"{f}/"
    return source[len(prefix):] if source.startswith(prefix) else ""


def _fail(path, reason):
    click.secho(f"error: {path}: {reason}", fg="red", err=True)


def _extract_all(files, refused, on_record):
    """Report the refused files, extract each file (failures and repairs, Document.warnings, on
    stderr; the rest go on); ``on_record(source, record, file)``. Returns the number of failures."""
    from pipeline.extraction import extract_document
    from pipeline.readers import read_entries

    for path, reason in refused.items():
        _fail(path, reason)
    failed = len(refused)
    show_progress = sys.stderr.isatty() and len(files) > 3
    with click.progressbar(files, label="extracting", file=sys.stderr, show_pos=True) if show_progress \
            else nullcontext(files) as bar:
        for f in bar:
            for item in read_entries(Path(f)):
                if isinstance(item, ReadError):
                    failed += 1
                    _fail(item.path, item.reason)
                    continue
                for warning in item.warnings:
                    click.secho(f"warning: {item.path}: {warning}", fg="yellow", err=True)
                on_record(str(item.path), extract_document(item), Path(f))
    return failed


@click.command(help=_EXTRACT_HELP)
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--out", "out_dir", type=click.Path(file_okay=False),
              help="Write one DIR/<name>.json per notice (default: stdout, JSON for one record, JSON Lines for several). A file inside a folder "
                   "given is written under its path relative to that folder (inbox/a/x.docx → DIR/a/x.json, "
                   "inbox/b/x.docx → DIR/b/x.json); a file given by name as DIR/<stem>.json; a member of a .zip "
                   "as DIR/<archive>.zip/<member path>.json. Of two notices that would still share a name, "
                   "the later in name order keeps its suffix (x.pdf → DIR/x.json, x.txt → DIR/x.txt.json).")
@click.option("--compact", is_flag=True, help="One line of JSON per record instead of indented JSON.")
def extract(paths, out_dir, compact):
    """Extract the record of each notice file (the help is _EXTRACT_HELP: it names the formats read)."""
    files, refused = iter_inputs(paths)
    indent = None if compact else 1
    if out_dir:
        Path(out_dir).mkdir(parents=True, exist_ok=True)

    names = record_names(paths, files)
    written, taken = [], set()
    # stdout: the first record waits until a second one shows there are several (then JSON Lines)
    pending = []

    def write(source, rec, f):
        written.append(source)
        if out_dir:
            data = json.dumps(rec, ensure_ascii=False, indent=indent)
            name = names[f] / _member_path(source, f)
            target, n = Path(out_dir) / name.with_name(name.stem + ".json"), 1
            while target in taken:  # x.txt and x.pdf: x.json, then x.pdf.json
                target, n = Path(out_dir) / name.with_name(name.name + (f".{n}" if n > 1 else "") + ".json"), n + 1
            taken.add(target)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(data + "\n", encoding="utf-8")
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
    failed = _extract_all(files, refused, lambda source, rec, f: render(rec))
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
