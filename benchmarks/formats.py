"""How fast each format reads: seconds per file (and per page where the format has pages), and the
OCR rate in pages per minute with one job and with two (multiprocessing, one onnxruntime thread each).

    .venv/bin/python benchmarks/formats.py [--notices 6] [--ocr-pages 8]

The files are made from corpus notices in a temporary folder with the project's own writers (the
same ones the tests use): .docx (docx_writer), .pdf (pdf_writer), .doc and .wps (LibreOffice from
the .docx), .ofd and .html when those readers exist, scans (the PDF pages rendered at 200 dpi,
saved as PNG and as an image-only PDF). Timed is ``pipeline.readers.read`` alone, not extraction.
Formats whose tools are missing (LibreOffice, rapidocr, a Chinese font to draw the scans) are
reported as skipped. The machine's load average is printed too: the figures are only as good as
the machine was quiet.
"""
from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from multiprocessing import get_context
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.readers import ocr, office, read  # noqa: E402

DPI = 200


def plain(stem: str) -> str:
    return "\n".join(b.text for b in read(ROOT / "corpora" / "notices" / f"{stem}.txt").blocks)


def timed(paths: list[Path]) -> tuple[float, float, int]:
    """Wall seconds and CPU seconds (this process and its children, e.g. LibreOffice) to read all
    ``paths``, and the pages they had (0 for formats without pages)."""
    cpu0, start, pages = _cpu(), time.perf_counter(), 0
    for path in paths:
        pages += read(path).pages or 0
    return time.perf_counter() - start, _cpu() - cpu0, pages


def _cpu() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def make(folder: Path, stems: list[str], ocr_pages: int) -> dict[str, list[Path] | str]:
    """Every format's files, or the reason it is skipped."""
    from corpora.tools.docx_writer import write_docx
    from corpora.tools.pdf_writer import write_pdf

    sets: dict[str, list[Path] | str] = {"txt": [ROOT / "corpora" / "notices" / f"{s}.txt" for s in stems]}
    for ext, writer in (("docx", write_docx), ("pdf", write_pdf)):
        sets[ext] = []
        for stem in stems:
            writer(plain(stem), folder / f"{stem}.{ext}")
            sets[ext].append(folder / f"{stem}.{ext}")
    if office.soffice():
        for ext in ("doc", "wps"):
            subprocess.run([office.soffice(), f"-env:UserInstallation={(folder / 'lo').as_uri()}", "--headless",
                            "--convert-to", ext, "--outdir", str(folder / ext), *map(str, sets["docx"])],
                           check=True, capture_output=True, env=dict(os.environ, HOME=str(folder)))
            sets[ext] = [folder / ext / f"{stem}.{ext}" for stem in stems]
    else:
        sets["doc"] = sets["wps"] = "LibreOffice not installed"
    if (ROOT / "pipeline" / "readers" / "ofd.py").exists():
        from corpora.tools.ofd_writer import write_ofd

        sets["ofd"] = []
        for stem in stems:
            write_ofd(plain(stem), folder / f"{stem}.ofd")
            sets["ofd"].append(folder / f"{stem}.ofd")
    if (ROOT / "pipeline" / "readers" / "html.py").exists():
        from corpora.tools.html_writer import write_html

        sets["html"] = []
        for stem in stems:
            write_html(plain(stem), folder / f"{stem}.html")
            sets["html"].append(folder / f"{stem}.html")
    if not ocr.available():
        sets["ocr-pdf"] = sets["image"] = "rapidocr-onnxruntime not installed"
        return sets
    import pypdfium2 as pdfium

    pngs, scans = [], []  # scans of as many notices as it takes to have ocr_pages pages
    for stem in stems:
        if len(pngs) >= ocr_pages:
            break
        pdf = pdfium.PdfDocument(str(folder / f"{stem}.pdf"))
        images = [pdf[i].render(scale=DPI / 72, grayscale=True).to_pil() for i in range(len(pdf))]
        pdf.close()
        if sum(images[0].histogram()[:128]) < 1000:
            sets["ocr-pdf"] = sets["image"] = "no Chinese font for pdfium to draw the scans"
            return sets
        for n, image in enumerate(images[:ocr_pages - len(pngs)], start=1):
            image.save(folder / f"{stem}.p{n}.png", dpi=(DPI, DPI))
            pngs.append(folder / f"{stem}.p{n}.png")
        images[0].save(folder / f"{stem}.scan.pdf", save_all=True, append_images=images[1:], resolution=DPI)
        scans.append(folder / f"{stem}.scan.pdf")
    sets["ocr-pdf"], sets["image"] = scans, pngs
    return sets


def _ocr_worker_init() -> None:
    os.environ["DUBAN_OCR_THREADS"] = "1"  # two processes on two cores: one thread each


def _read_pages(path: str) -> int:
    return read(path).pages or 1


def ocr_rate(pngs: list[Path], jobs: int) -> float:
    """Pages per minute reading ``pngs`` with ``jobs`` processes (engine load included once per process)."""
    ctx = get_context("spawn")
    init = _ocr_worker_init if jobs > 1 else None
    with ctx.Pool(jobs, initializer=init) as pool:
        pool.map(_read_pages, [str(pngs[0])] * jobs)  # load the engines, as a long batch would
        start = time.perf_counter()
        pages = sum(pool.map(_read_pages, [str(p) for p in pngs], chunksize=1))
        return pages / (time.perf_counter() - start) * 60


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--notices", type=int, default=6, help="corpus notices per format (default 6)")
    parser.add_argument("--ocr-pages", type=int, default=8, help="PNG pages for the image and OCR-rate runs")
    args = parser.parse_args()
    stems = sorted(p.stem for p in (ROOT / "corpora" / "notices").glob("*.txt"))[:args.notices]
    print(f"{len(stems)} notices; load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}; "
          f"{os.cpu_count()} cores")
    with tempfile.TemporaryDirectory(prefix="duban-bench-") as tmp:
        folder = Path(tmp)
        sets = make(folder, stems, args.ocr_pages)
        if ocr.available() and not isinstance(sets.get("image"), str):
            read(sets["image"][0])  # load the OCR engine outside the timings
        print(f"{'format':8} {'files':>5} {'pages':>5} {'s/file':>8} {'s/page':>8} {'cpu s/file':>10} {'cpu s/page':>10}")
        for name, paths in sets.items():
            if isinstance(paths, str):
                print(f"{name:8} skipped: {paths}")
                continue
            wall, cpu, pages = timed(paths)
            n = len(paths)
            if pages:
                print(f"{name:8} {n:5d} {pages:5d} {wall / n:8.3f} {wall / pages:8.3f} {cpu / n:10.3f} {cpu / pages:10.3f}")
            else:
                print(f"{name:8} {n:5d} {'-':>5} {wall / n:8.3f} {'-':>8} {cpu / n:10.3f} {'-':>10}")
        if not isinstance(sets.get("image"), str):
            pngs = sets["image"]
            for jobs in (1, 2):
                print(f"OCR rate, {jobs} job{'s' if jobs > 1 else ''}: {ocr_rate(pngs, jobs):.1f} pages/minute "
                      f"({len(pngs)} pages of 200 dpi A4)")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
