"""Fuzzing the whole pipeline: real notice files of every format, truncated or with bytes changed,
through ``extract_entries``. Every outcome must be a record or a ReadError: any other exception
(a reader or an extractor crashing on odd input) fails the test.

Seeds: corpora .txt notices (UTF-8, GB18030, UTF-16), and notices written as .docx, .pdf, .ofd,
.html, .mht and a .zip of several. Mutations: truncation, overwritten bytes, a deleted or
duplicated slice, and for the zip-based formats (.docx, .ofd, .zip) a member's own bytes mutated
and the package re-zipped with correct checksums, so the XML parsers behind the zip are reached
too. Bounded for CI: 150 examples, derandomized (the same cases every run), no deadline.
"""
from __future__ import annotations

import io
import tempfile
import zipfile
from functools import lru_cache
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corpora.tools.docx_writer import write_docx
from corpora.tools.html_writer import write_html, write_mht
from corpora.tools.ofd_writer import write_ofd
from corpora.tools.pdf_writer import write_pdf
from pipeline.readers.document import ReadError
from pipeline.extraction.api import extract_entries
from pipeline.readers.txt import decode

ROOT = Path(__file__).resolve().parent.parent
NOTICES = ROOT / "corpora" / "notices"
TEXT_SEEDS = ("001_lanxi_anquan.txt", "009_chenghe_renju.txt", "013_heyu_qingsiluan.txt", "016_lanxi_sanlian.txt")
WORK = Path(tempfile.mkdtemp(prefix="duban-fuzz-"))


@lru_cache(maxsize=1)
def seeds() -> dict[str, bytes]:
    """name (with the suffix the file is read under) → bytes."""
    out = {name: (NOTICES / name).read_bytes() for name in TEXT_SEEDS}
    text = decode((NOTICES / "002_chenghe_kehoufuwu.txt").read_bytes())  # has a roster
    short = decode((NOTICES / "016_lanxi_sanlian.txt").read_bytes())
    for name, write in (("n.docx", write_docx), ("n.pdf", write_pdf), ("n.ofd", write_ofd), ("n.html", write_html),
                        ("n.mht", write_mht)):
        path = WORK / name
        write(text, path)
        out[name] = path.read_bytes()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("通知/a.txt", short.encode("utf-8"))
        z.writestr("b.html", out["n.html"])
        z.writestr("c.ofd", out["n.ofd"])
    out["n.zip"] = buf.getvalue()
    return out


def _mutate(data: bytes, how: tuple) -> bytes:
    kind, a, b, fill = how
    n = len(data)
    if n == 0:
        return data
    i, j = sorted((a % n, b % n))
    if kind == "truncate":
        return data[:i]
    if kind == "overwrite":
        return data[:i] + fill + data[i + len(fill):]
    if kind == "delete":
        return data[:i] + data[j:]
    return data[:j] + data[i:j] + data[j:]  # duplicate a slice


def _mutate_member(data: bytes, member: int, how: tuple) -> bytes:
    """Re-zip the package with one member's bytes mutated (valid CRCs: the parsers get the damage)."""
    with zipfile.ZipFile(io.BytesIO(data)) as src:
        infos = src.infolist()
        target = infos[member % len(infos)].filename
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
            for info in infos:
                body = src.read(info)
                dst.writestr(info.filename, _mutate(body, how) if info.filename == target else body)
    return buf.getvalue()


MUTATION = st.tuples(st.sampled_from(["truncate", "overwrite", "delete", "duplicate"]),
                     st.integers(0, 1 << 20), st.integers(0, 1 << 20), st.binary(min_size=1, max_size=16))


@settings(max_examples=150, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(seed=st.sampled_from(sorted(["001_lanxi_anquan.txt", "009_chenghe_renju.txt", "013_heyu_qingsiluan.txt",
                                    "016_lanxi_sanlian.txt", "n.docx", "n.pdf", "n.ofd", "n.html", "n.mht", "n.zip"])),
       inside=st.booleans(), member=st.integers(0, 50), how=MUTATION)
def test_mutated_files_give_records_or_read_errors(seed, inside, member, how):
    data = seeds()[seed]
    suffix = Path(seed).suffix
    if inside and suffix in (".docx", ".ofd", ".zip"):
        data = _mutate_member(data, member, how)
    else:
        data = _mutate(data, how)
    path = WORK / f"case{suffix}"
    path.write_bytes(data)
    outcomes = list(extract_entries(path))
    assert outcomes, "extract_entries yielded nothing"
    for source, result in outcomes:
        assert isinstance(source, str)
        assert isinstance(result, (dict, ReadError)), type(result)
        if isinstance(result, ReadError):
            assert "\n" not in str(result) and str(result).startswith(result.path)
        else:
            assert result["schema"] == "duban.record/1"


def test_fuzz_benchmark_folder_has_no_traceback(tmp_path):
    """benchmarks/fuzz.py's own mutations (bit flips, splices across formats, re-zipped members) on a
    bounded folder: every file a record or a one-line ReadError, none hangs."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("fuzz_bench", ROOT / "benchmarks" / "fuzz.py")
    fuzz = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(fuzz)
    paths = fuzz.make_files(tmp_path, 120, seed=1)
    figures = fuzz.run(paths, timeout=60)
    assert not figures["tracebacks"], figures["tracebacks"]
    assert not figures["hangs"]
    assert figures["records"] + sum(figures["errors"].values()) >= len(paths)
    assert figures["warnings"] > 0  # damaged texts were read, and said so


def test_fuzz_folder_as_an_inbox_rebuilds_without_a_traceback(tmp_path):
    """The same damaged files as a clerk's inbox: `duban rebuild` makes every one a notice or a
    failures row, prints no traceback, and leaves a whole tracker."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("fuzz_bench", ROOT / "benchmarks" / "fuzz.py")
    fuzz = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(fuzz)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    fuzz.make_files(inbox, 60, seed=2)
    r = fuzz.run_rebuild(inbox, timeout=600)
    assert not r["traceback"], r["last"]
    assert r["exit"] in (0, 1) and r["integrity"] == "ok"
    assert r["files"] == len(list(inbox.iterdir())) and r["failures"] > 0 and r["documents"] > 0
