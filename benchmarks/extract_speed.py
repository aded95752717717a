"""Extraction speed per format: duban's full extraction against the bare read of the same files.

    .venv/bin/python benchmarks/extract_speed.py                      # 1,000 files per format
    .venv/bin/python benchmarks/extract_speed.py --n 200 --formats txt --json

The corpus is corpora/notices/ replicated to ``--n`` files per format in a temporary directory:
.txt (copies of the notices, their encodings kept), .docx (corpora/tools/docx_writer.py) and .pdf
(corpora/tools/pdf_writer.py), each notice written once and copied. Every figure is measured in
a fresh subprocess, on one core, after start-up (the pipeline is built and one file extracted
before the clock starts):

- duban: ``pipeline.extraction.extract_file`` on every file, documents per second, and the peak RSS
  of that process (``ru_maxrss``), so that one format's peak does not hide another's;
- bare read: .txt read + decode; .docx python-docx paragraph texts; .pdf the text layer, with
  pdfplumber ``page.extract_text()`` (the reference for the PDF target) and with pypdfium2
  ``get_textpage().get_text_range()``;
- duban/bare: how many times the bare read's time duban takes;
- start-up: a fresh ``python -c`` importing pipeline.extraction, building the pipeline and extracting
  a two-line notice, over three runs (the median is the figure).

Rates are per CPU second of the measuring process (``time.process_time``), the wall-clock rate
beside them: on an idle machine they agree; when other jobs share the cores only the CPU figure
says what one core does.

Targets: ≥ 100 .txt and ≥ 40 .docx notices/s; .pdf total time ≤ 1.5 × pdfplumber's text-layer
read; peak RSS < 300 MB; start-up < 2 s. ``--repeat`` takes the best of several passes.
"""
from __future__ import annotations

import argparse
import json
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

FORMATS = ("txt", "docx", "pdf")
TXT_PER_S, DOCX_PER_S, PDF_RATIO, RSS_MB, STARTUP_S = 100, 40, 1.5, 300, 2.0
STARTUP_CODE = (
    "from pipeline.extraction import extract_document\n"
    "from pipeline.readers.document import Block, Document\n"
    "extract_document(Document(path='t.txt', format='txt', sha256='', blocks=[Block(text=t) for t in "
    "('关于开展安全生产检查的通知', '各村每月开展检查不少于2次。')]))\n"
)


def _decode(data: bytes) -> str:
    """The bare decode of a notice: the .txt reader's own (BOM, UTF-8, GB18030…)."""
    from pipeline.readers.txt import decode

    return decode(data)


def build_corpus(out: Path, n: int, formats) -> dict[str, list[Path]]:
    """``n`` files per format under ``out/<format>/``, cycling through corpora/notices."""
    sources = sorted(p for p in (ROOT / "corpora" / "notices").iterdir() if p.suffix == ".txt")
    files: dict[str, list[Path]] = {}
    for fmt in formats:
        d = out / fmt
        d.mkdir(parents=True)
        originals = []
        for src in sources:
            target = d / f"0000_{src.stem}.{fmt}"
            if fmt == "txt":
                shutil.copyfile(src, target)
            elif fmt == "docx":
                from corpora.tools.docx_writer import write_docx

                write_docx(_decode(src.read_bytes()), target)
            else:
                from corpora.tools.pdf_writer import write_pdf

                write_pdf(_decode(src.read_bytes()), target)
            originals.append(target)
        paths = []
        for i in range(n):
            src = originals[i % len(originals)]
            target = src if i < len(originals) else d / f"{i:04d}_{src.name.split('_', 1)[1]}"
            if target != src:
                shutil.copyfile(src, target)
            paths.append(target)
        files[fmt] = paths
    return files


# ---- what runs in the subprocesses ------------------------------------------------------------

def _bare_readers():
    def txt(p: Path):
        return _decode(p.read_bytes())

    def docx_(p: Path):
        import docx

        return "\n".join(par.text for par in docx.Document(str(p)).paragraphs)

    def pdfplumber_(p: Path):
        import pdfplumber

        with pdfplumber.open(str(p)) as pdf:
            return "\n".join(page.extract_text() or "" for page in pdf.pages)

    def pdfium(p: Path):
        import pypdfium2

        pdf = pypdfium2.PdfDocument(str(p))
        try:
            out = []
            for page in pdf:
                tp = page.get_textpage()
                out.append(tp.get_text_range())
                tp.close()
                page.close()
            return "\n".join(out)
        finally:
            pdf.close()

    return {"txt": txt, "docx": docx_, "pdfplumber": pdfplumber_, "pypdfium2": pdfium}


def worker(kind: str, listing: Path, repeat: int) -> dict:
    """Time ``kind`` ("duban" or a bare reader's name) over the files listed; one JSON line out."""
    paths = [Path(p) for p in listing.read_text(encoding="utf-8").splitlines()]
    if kind == "duban":
        from pipeline.extraction import extract_file

        fn = extract_file
    else:
        fn = _bare_readers()[kind]
    fn(paths[0])  # start-up (imports, dictionaries, fonts) is not timed
    best = None
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        for p in paths:
            fn(p)
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
        if best is None or cpu < best[1]:
            best = (wall, cpu)
    wall, cpu = best
    return {"kind": kind, "files": len(paths), "seconds": cpu, "wall_seconds": wall, "docs_per_s": len(paths) / cpu,
            "wall_docs_per_s": len(paths) / wall,
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def _run_worker(kind: str, paths: list[Path], tmp: Path, repeat: int) -> dict:
    listing = tmp / f"list_{kind}_{paths[0].suffix[1:]}.txt"
    listing.write_text("\n".join(map(str, paths)), encoding="utf-8")
    cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", kind, str(listing), "--repeat", str(repeat)]
    out = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=True, env=_one_core_env())
    return json.loads(out.stdout.strip().splitlines()[-1])


def _one_core_env():
    import os

    env = dict(os.environ)
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        env[var] = "1"
    return env


def startup(runs: int = 3) -> dict[str, list[float]]:
    """Wall clock and CPU time (user + system) of each fresh start-up process."""
    wall, cpu = [], []
    for _ in range(runs):
        r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-c", STARTUP_CODE], cwd=ROOT, check=True, env=_one_core_env())
        wall.append(time.perf_counter() - t0)
        r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime)
    return {"wall": wall, "cpu": cpu}


# ---- the report ---------------------------------------------------------------------------------

def measure(n: int, formats, repeat: int, keep: Path | None) -> dict:
    tmp = Path(tempfile.mkdtemp(prefix="duban_speed_")) if keep is None else keep
    try:
        t0 = time.perf_counter()
        files = build_corpus(tmp / "corpus", n, formats)
        built = time.perf_counter() - t0
        result = {"n": n, "repeat": repeat, "corpus_build_s": round(built, 1), "python": platform.python_version(),
                  "formats": {}}
        for fmt in formats:
            duban = _run_worker("duban", files[fmt], tmp, repeat)
            bare_kinds = ("pdfplumber", "pypdfium2") if fmt == "pdf" else (fmt,)
            bare = {k: _run_worker(k, files[fmt], tmp, repeat) for k in bare_kinds}
            result["formats"][fmt] = {"duban": duban, "bare": bare,
                                      "ratio": {k: duban["seconds"] / b["seconds"] for k, b in bare.items()}}
        result["startup_s"] = startup()
        return result
    finally:
        if keep is None:
            shutil.rmtree(tmp, ignore_errors=True)


def verdicts(result: dict) -> dict:
    out = {}
    for fmt, r in result["formats"].items():
        if fmt == "txt":
            out["txt_speed"] = (r["duban"]["docs_per_s"] >= TXT_PER_S, f"≥{TXT_PER_S} .txt notices/s")
        elif fmt == "docx":
            out["docx_speed"] = (r["duban"]["docs_per_s"] >= DOCX_PER_S, f"≥{DOCX_PER_S} .docx notices/s")
        else:
            out["pdf_ratio"] = (r["ratio"]["pdfplumber"] <= PDF_RATIO,
                                f".pdf time ≤{PDF_RATIO}× pdfplumber's text-layer read")
        out[f"{fmt}_rss"] = (r["duban"]["peak_rss_mb"] < RSS_MB, f"peak RSS <{RSS_MB} MB")
    out["startup"] = (statistics.median(result["startup_s"]["cpu"]) < STARTUP_S, f"start-up <{STARTUP_S:g} s")
    return out


def _rate(r: dict) -> str:
    return f"{r['docs_per_s']:.1f} ({r['wall_docs_per_s']:.1f})"


def report(result: dict) -> str:
    v = verdicts(result)
    mark = {True: "PASS", False: "MISS"}
    lines = [f"duban extraction speed: {result['n']} files per format, one core, after start-up "
             f"(best of {result['repeat']}; Python {result['python']})",
             "docs/s are per CPU second of the measuring process (wall-clock docs/s in brackets: the same on an idle",
             "machine, lower when other processes share the cores)", ""]
    lines.append(f"{'format':6} {'duban docs/s':>18} {'bare read':<24} {'bare docs/s':>18} {'duban/bare':>10} "
                 f"{'peak RSS':>9}  targets")
    for fmt, r in result["formats"].items():
        d = r["duban"]
        for i, (kind, b) in enumerate(r["bare"].items()):
            label = {"txt": "read + decode", "docx": "python-docx paragraphs", "pdfplumber": "pdfplumber extract_text",
                     "pypdfium2": "pypdfium2 get_text_range"}[kind]
            if i == 0:
                key = {"txt": "txt_speed", "docx": "docx_speed", "pdf": "pdf_ratio"}[fmt]
                ok, what = v[key]
                target = f"{mark[ok]} {what}; {mark[v[fmt + '_rss'][0]]} {v[fmt + '_rss'][1]}"
                lines.append(f"{fmt:6} {_rate(d):>18} {label:<24} {_rate(b):>18} "
                             f"{r['ratio'][kind]:9.2f}× {d['peak_rss_mb']:6.0f} MB  {target}")
            else:
                lines.append(f"{'':6} {'':18} {label:<24} {_rate(b):>18} {r['ratio'][kind]:9.2f}×")
    s = result["startup_s"]
    ok, what = v["startup"]
    lines += ["", "start-up (fresh python -c: import, build the pipeline, one tiny extraction), 3 runs:",
              f"  CPU median {statistics.median(s['cpu']):.2f} s ({', '.join(f'{x:.2f}' for x in s['cpu'])}); "
              f"wall median {statistics.median(s['wall']):.2f} s ({', '.join(f'{x:.2f}' for x in s['wall'])})  "
              f"{mark[ok]} {what}"]
    if "pdf" in result["formats"]:
        lines.append("PDF reference: pdfplumber's page.extract_text() (the text layer); pypdfium2 shown for comparison.")
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=1000, help="files per format (default 1000)")
    ap.add_argument("--formats", default=",".join(FORMATS), help="comma-separated: txt,docx,pdf")
    ap.add_argument("--repeat", type=int, default=1, help="passes over the files; the best counts")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    ap.add_argument("--keep", type=Path, help="build the corpus here and keep it")
    ap.add_argument("--worker", nargs=2, metavar=("KIND", "LISTING"), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.worker:
        print(json.dumps(worker(args.worker[0], Path(args.worker[1]), args.repeat)))
        return 0
    formats = [f for f in args.formats.split(",") if f]
    bad = [f for f in formats if f not in FORMATS]
    if bad:
        ap.error(f"unknown format(s): {', '.join(bad)}")
    result = measure(args.n, formats, args.repeat, args.keep)
    if args.json:
        result["targets"] = {k: {"pass": ok, "target": what} for k, (ok, what) in verdicts(result).items()}
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        print(report(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
