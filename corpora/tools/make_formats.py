"""Write the .docx and .pdf twins of corpus notices into corpora/formats/ (committed; small).

    .venv/bin/python -m corpora.tools.make_formats            # corpora/formats/{docx,pdf}/<stem>.*
    .venv/bin/python -m corpora.tools.make_formats --out DIR  # elsewhere (the test regenerates)

Each twin is the notice's text through corpora/tools/docx_writer.py and corpora/tools/pdf_writer.py,
so it is scored against the notice's own gold file. The notices chosen cover what the readers must
get right:

- rosters written as 组长/副组长/成员 lines, which become a Word table (role | name | title) and a
  ruled PDF table: 002, 004, 006, 014, 020, 026;
- inline rosters (…同志任组长, 组长由…担任): 001, 003, 007, 016, 019;
- 附件 sections (a page break and a restarted list in Word): 001, 006, 014;
- a Chinese-numeral 成文日期 (二〇二〇年五月十二日): 006;
- every notice has 一、/（一）/1. headings, which become Word automatic numbering, and every one runs
  over several PDF pages (running header, "— N —" page numbers); 014 is the longest;
- plain duty-heavy notices without rosters: 008, 011, 022.

Deterministic: the writers fix the core properties, zip timestamps and PDF ids, so the same
notices give the same bytes on every run.
"""
from __future__ import annotations

import argparse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NOTICES = ROOT / "corpora" / "notices"
FORMATS_DIR = ROOT / "corpora" / "formats"
STEMS = (
    "001_lanxi_anquan", "002_chenghe_kehoufuwu", "003_qingfeng_laojiu", "004_erzhong_shide",
    "006_linyue_fazhi", "007_yuechuan_nongtian", "008_jingkai_zhaoshang", "011_chengtou_anquanyue",
    "014_wenbei_laji", "016_lanxi_sanlian", "019_chenghe_zhixiao", "020_linyue_dianti",
    "022_wennan_jiaotou", "026_liuyin_shequ",
)


def notice_text(path: Path) -> str:
    """A corpus notice's text (the corpus keeps some in UTF-16, GB18030 or with a BOM)."""
    from pipeline.readers.txt import decode

    return decode(Path(path).read_bytes())


def make(out: Path = FORMATS_DIR, stems=STEMS) -> list[Path]:
    """Write ``out/docx/<stem>.docx`` and ``out/pdf/<stem>.pdf`` for each stem; return the paths."""
    from corpora.tools.docx_writer import write_docx
    from corpora.tools.pdf_writer import write_pdf

    written = []
    for fmt, write in (("docx", write_docx), ("pdf", write_pdf)):
        d = Path(out) / fmt
        d.mkdir(parents=True, exist_ok=True)
        for stem in stems:
            target = d / f"{stem}.{fmt}"
            write(notice_text(NOTICES / f"{stem}.txt"), target)
            written.append(target)
    return written


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, default=FORMATS_DIR, help="target directory (default corpora/formats)")
    args = ap.parse_args(argv)
    paths = make(args.out)
    print(f"{len(paths)} files written under {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
