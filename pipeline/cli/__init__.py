"""The ``duban`` command line: a thin layer over the library (pipeline.extract, pipeline.evaluate).

    duban extract notices/ --out outputs/records     one JSON record per file
    duban show notice.docx                           a readable summary in the terminal
    duban evaluate --gold corpora/gold --pred DIR    per-field scores against gold annotations
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from pipeline.readers.document import ReadError
from pipeline.readers import SUPPORTED

SUFFIXES = set(SUPPORTED)


def iter_inputs(paths) -> list[Path]:
    """Files named, and the supported files inside folders named (recursively), in a stable order."""
    out = []
    for p in paths:
        p = Path(p)
        if p.is_dir():
            out.extend(sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in SUFFIXES
                              and not f.name.startswith((".", "~$"))))
        else:
            out.append(p)
    return out


def record_names(paths, files) -> dict[Path, Path]:
    """Each input file's record name under --out: its path relative to the folder it was found in,
    or its bare name when it was named itself (the suffix is replaced by .json when written)."""
    names = {}
    folders = [Path(p) for p in paths if Path(p).is_dir()]
    for f in files:
        folder = next((d for d in folders if f.is_relative_to(d)), None)
        names[f] = f.relative_to(folder) if folder else Path(f.name)
    return names


def _member_path(source: str, f: Path) -> str:
    """A zip member's path inside its archive ("" for the file itself)."""
    prefix = f"{f}/"
    return source[len(prefix):] if source.startswith(prefix) else ""


def _fail(path, reason):
    click.secho(f"error: {path}: {reason}", fg="red", err=True)


def _extract_all(files, on_record):
    """Extract each file; report failures and repairs (Document.warnings) on stderr and go on.
    Returns the number of failures."""
    from pipeline.extraction.extract import extract_document
    from pipeline.readers import read_entries

    failed = 0
    show_progress = sys.stderr.isatty() and len(files) > 3
    with click.progressbar(files, label="extracting", file=sys.stderr, show_pos=True) if show_progress \
            else _plain(files) as bar:
        for f in bar:
            for item in read_entries(f):
                if isinstance(item, ReadError):
                    failed += 1
                    _fail(item.path, item.reason)
                    continue
                for warning in item.warnings:
                    click.secho(f"warning: {item.path}: {warning}", fg="yellow", err=True)
                on_record(item.path, extract_document(item), f)
    return failed


class _plain:
    def __init__(self, items):
        self.items = items

    def __enter__(self):
        return self.items

    def __exit__(self, *exc):
        return False


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


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--out", "out_dir", type=click.Path(file_okay=False),
              help="Write one DIR/<name>.json per notice (default: print JSON to stdout). A file inside a folder "
                   "given is written under its path relative to that folder (inbox/a/x.docx → DIR/a/x.json, "
                   "inbox/b/x.docx → DIR/b/x.json); a file given by name as DIR/<stem>.json; a member of a .zip "
                   "as DIR/<archive>.zip/<member path>.json. Of two notices that would still share a name, "
                   "the later in name order keeps its suffix (x.pdf → DIR/x.json, x.txt → DIR/x.txt.json).")
@click.option("--compact", is_flag=True, help="One line of JSON per record instead of indented JSON.")
def extract(paths, out_dir, compact):
    """Extract the record (RECORD.md) of each notice file.

    PATHS are .txt, .docx or .pdf files, or folders (searched recursively). A file that cannot
    be read is reported on stderr with the reason, and the rest go on; the exit status is 1 if
    any file failed. A file read with a repair (a few bytes of a text not valid in its encoding,
    replaced) is extracted and reported on stderr as one "warning:" line.

    \b
      duban extract notice.docx                  print the record
      duban extract inbox/ --out outputs/records one DIR/<path>.json per file (see --out)
    """
    files = iter_inputs(paths)
    if not files:
        raise click.UsageError("no .txt, .docx or .pdf files found in the paths given")
    indent = None if compact else 1
    if out_dir:
        Path(out_dir).mkdir(parents=True, exist_ok=True)
    names = record_names(paths, files)
    written, taken = [], set()

    def write(source, rec, f):
        written.append(source)
        data = json.dumps(rec, ensure_ascii=False, indent=indent)
        if out_dir:
            name = names[f] / _member_path(source, f)
            target, n = Path(out_dir) / name.with_name(name.stem + ".json"), 1
            while target in taken:  # x.txt and x.pdf: x.json, then x.pdf.json
                target, n = Path(out_dir) / name.with_name(name.name + (f".{n}" if n > 1 else "") + ".json"), n + 1
            taken.add(target)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(data + "\n", encoding="utf-8")
        else:
            click.echo(data)

    failed = _extract_all(files, write)
    if out_dir:
        click.echo(f"{len(written)} record(s) written to {out_dir}" + (f", {failed} failed" if failed else ""), err=True)
    sys.exit(1 if failed else 0)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
def show(paths):
    """Print a readable summary of each notice: title, number, issuer, date, phases as a
    timeline, deadlines, duties as a table, rosters and 分工.

    \b
      duban show corpora/notices/001_lanxi_anquan.txt
    """
    from pipeline.cli.show import render

    files = iter_inputs(paths)
    if not files:
        raise click.UsageError("no .txt, .docx or .pdf files found in the paths given")
    failed = _extract_all(files, lambda f, rec, _: render(rec))
    sys.exit(1 if failed else 0)


@main.command()
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


from pipeline.cli import tracker as cli_tracker  # noqa: E402,F401  (registers rebuild, watch and the query commands)
from pipeline.cli import desk as cli_desk  # noqa: E402,F401  (registers serve, export and desk-user)

if __name__ == "__main__":  # pragma: no cover
    main()
