"""The .doc/.wps reader (pipeline.readers.office) on Word 97 files LibreOffice writes from the corpus.

Each notice is written as a .docx with corpora.tools.docx_writer, then converted once, all files in
one soffice call, to .doc ("MS Word 97") and to .wps. LibreOffice has no WPS writer: asked for .wps
it writes the same MS Word 97 binary under that name, which is what a Kingsoft WPS .wps is too (an
OLE compound file with a WordDocument stream). The twins are extracted and scored against the gold
annotations like the .txt originals: a conversion that lost or garbled text would cost points.
The .doc made from the .docx carries Word's automatic numbering and the roster tables; it is held to
its .docx twin and to the .txt, and so is a second .doc made by LibreOffice straight from the plain
text (paragraphs only).
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from corpora.tools.docx_writer import write_docx
from pipeline.readers.document import ReadError
from pipeline.extraction.evaluate import score
from pipeline.extraction.api import extract_document
from pipeline.readers import office, read

ROOT = Path(__file__).resolve().parent.parent
STEMS = sorted(p.stem for p in (ROOT / "corpora" / "notices").glob("*.txt"))[:12]

needs_lo = pytest.mark.skipif(office.soffice() is None,
                              reason="LibreOffice (soffice) is not installed: bash scripts/setup.sh installs it")


def _plain(stem: str) -> str:
    return "\n".join(b.text for b in read(ROOT / "corpora" / "notices" / f"{stem}.txt").blocks)


@pytest.fixture(scope="module")
def twins(tmp_path_factory):
    """<stem>.txt, .docx, and the .doc and .wps made from the .docx, for STEMS, in one folder;
    fromtxt/<stem>.doc made from the plain text."""
    if office.soffice() is None:
        pytest.skip("LibreOffice (soffice) is not installed: bash scripts/setup.sh installs it")
    d = tmp_path_factory.mktemp("office")
    plain = d / "plain"
    plain.mkdir()
    for stem in STEMS:
        shutil.copy(ROOT / "corpora" / "notices" / f"{stem}.txt", d / f"{stem}.txt")
        write_docx(_plain(stem), d / f"{stem}.docx")
        (plain / f"{stem}.txt").write_text(_plain(stem), encoding="utf-8")
    docx = [str(d / f"{stem}.docx") for stem in STEMS]
    _soffice(d, "--convert-to", "doc", "--outdir", str(d), *docx)
    _soffice(d, "--convert-to", "wps", "--outdir", str(d), *docx)  # LibreOffice: "using filter : MS Word 97"
    _soffice(d, "--infilter=Text (encoded):UTF8", "--convert-to", "doc", "--outdir", str(d / "fromtxt"),
             *[str(plain / f"{stem}.txt") for stem in STEMS])
    for stem in STEMS:
        for made in (d / f"{stem}.doc", d / f"{stem}.wps", d / "fromtxt" / f"{stem}.doc"):
            assert made.read_bytes()[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    return d


def _soffice(home: Path, *args: str) -> None:
    subprocess.run([office.soffice(), f"-env:UserInstallation={(home / 'profile').as_uri()}", "--headless", *args],
                   check=True, capture_output=True, timeout=300, env=dict(os.environ, HOME=str(home)))


def _score(docs, tmp: Path) -> float:
    gold, pred = tmp / "gold", tmp / "pred"
    gold.mkdir(parents=True)
    pred.mkdir()
    for doc in docs:
        stem = Path(doc.path).stem
        shutil.copy(ROOT / "corpora" / "gold" / f"{stem}.json", gold / f"{stem}.json")
        (pred / f"{stem}.json").write_text(json.dumps(extract_document(doc), ensure_ascii=False), encoding="utf-8")
    return score(gold, pred)[1]


@needs_lo
def test_doc_and_wps_twins_score_like_the_txt(twins, tmp_path):
    peak, running, lock = [0], [0], threading.Lock()
    convert = office.convert_to_docx

    def counting(*args, **kwargs):
        with lock:
            running[0] += 1
            peak[0] = max(peak[0], running[0])
        try:
            return convert(*args, **kwargs)
        finally:
            with lock:
                running[0] -= 1

    office.convert_to_docx = counting
    sets = {"doc": [twins / f"{stem}.doc" for stem in STEMS], "wps": [twins / f"{stem}.wps" for stem in STEMS],
            "doc from txt": [twins / "fromtxt" / f"{stem}.doc" for stem in STEMS]}
    try:
        with ThreadPoolExecutor(max_workers=4) as pool:  # more threads than the pool allows
            docs = {name: list(pool.map(read, paths)) for name, paths in sets.items()}
    finally:
        office.convert_to_docx = convert
    assert 1 <= peak[0] <= office.MAX_CONVERSIONS
    assert all(d.format == ("wps" if name == "wps" else "doc") for name in docs for d in docs[name])
    txt = _score([read(twins / f"{stem}.txt") for stem in STEMS], tmp_path / "txt")
    docx = _score([read(twins / f"{stem}.docx") for stem in STEMS], tmp_path / "docx")
    scores = {name: _score(docs[name], tmp_path / name.replace(" ", "_")) for name in docs}
    print(f"\ntwin scores over {len(STEMS)} notices: txt {txt:.3f}, docx {docx:.3f}, "
          + ", ".join(f"{name} {value:.3f}" for name, value in scores.items()))
    assert txt > 0.8
    assert abs(scores["doc"] - docx) <= 0.02 and abs(scores["wps"] - docx) <= 0.02
    for name in scores:
        assert abs(scores[name] - txt) <= 0.02, (name, scores[name], txt)


@needs_lo
def test_doc_reads_the_same_blocks_as_its_docx(twins):
    for stem in STEMS[:3]:
        doc, docx = read(twins / f"{stem}.doc"), read(twins / f"{stem}.docx")
        assert (doc.format, doc.path, doc.ocr) == ("doc", str(twins / f"{stem}.doc"), False)
        # the text after any automatic list label: LibreOffice's Word 97 export moves the first
        # item of a list restarted by startOverride into a list of its own (LibreOffice's own
        # rendering of the .doc shows 一、 twice too), so labels may differ; the words may not
        assert [_unlabelled(b) for b in doc.blocks] == [_unlabelled(b) for b in docx.blocks]
        assert [b.kind for b in doc.blocks] == [b.kind for b in docx.blocks]
        assert len(doc.sha256) == 64
    wps = read(twins / f"{STEMS[0]}.wps")
    assert wps.format == "wps" and wps.text == read(twins / f"{STEMS[0]}.doc").text


def _unlabelled(block) -> str:
    return block.text[len(block.list_label):] if block.list_label else block.text


@needs_lo
def test_docx_named_file_that_is_really_a_doc(twins, tmp_path):
    fake = tmp_path / "通知.docx"
    shutil.copy(twins / f"{STEMS[0]}.doc", fake)
    doc = read(fake)
    assert doc.format == "doc" and doc.path == str(fake)
    assert doc.text == read(twins / f"{STEMS[0]}.doc").text


@needs_lo
def test_truncated_doc_is_one_line_error(twins, tmp_path):
    data = (twins / f"{STEMS[1]}.doc").read_bytes()
    for cut in (len(data) // 3, 2 * len(data) // 3, 600):
        bad = tmp_path / f"cut{cut}.doc"
        bad.write_bytes(data[:cut])
        with pytest.raises(ReadError) as err:
            read(bad)
        message = str(err.value)
        assert message.startswith(f"{bad}: ") and "\n" not in message
        assert "truncated" in message or "could not convert" in message, message


@needs_lo
def test_ole_file_without_a_word_stream(twins, tmp_path):
    data = (twins / f"{STEMS[0]}.doc").read_bytes()
    other = tmp_path / "book.doc"
    other.write_bytes(data.replace("WordDocument".encode("utf-16-le"), "WorkbookXXXX".encode("utf-16-le")))
    with pytest.raises(ReadError, match="not a Word document"):
        read(other)


@needs_lo
def test_timeout_kills_the_conversion(twins, tmp_path, monkeypatch):
    monkeypatch.setattr(office, "TIMEOUT", 0.2)
    folders = []
    convert = office.convert_to_docx

    def remember(binary, path, tmp, timeout):
        folders.append(str(tmp))
        return convert(binary, path, tmp, timeout)

    monkeypatch.setattr(office, "convert_to_docx", remember)
    with pytest.raises(ReadError) as err:
        read(twins / f"{STEMS[0]}.doc")
    assert str(err.value) == f"{twins / STEMS[0]}.doc: LibreOffice timed out after 0.2 s"
    assert folders and not _processes_mentioning(folders[0]), "a LibreOffice process outlived its timeout"
    assert not Path(folders[0]).exists()  # the temporary profile and output are gone


def _processes_mentioning(text: str) -> list[str]:
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            if text.encode() in cmdline.read_bytes():
                found.append(cmdline.parent.name)
        except OSError:
            pass
    return found


@needs_lo
def test_missing_libreoffice_is_one_line(twins, monkeypatch):
    monkeypatch.setattr(office, "soffice", lambda: None)
    path = twins / f"{STEMS[0]}.wps"
    with pytest.raises(ReadError) as err:
        read(path)
    assert str(err.value) == (f"{path}: a Word 97/WPS file (.doc/.wps); install LibreOffice "
                              "(apt-get install libreoffice-writer-nogui) to read it")


def test_short_ole_header_is_one_line(tmp_path):
    bad = tmp_path / "stub.doc"
    bad.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    with pytest.raises(ReadError, match="truncated Word 97/WPS file"):
        read(bad)


def test_plain_text_named_doc(tmp_path):
    bad = tmp_path / "notice.doc"
    bad.write_text("关于开展安全生产检查的通知", encoding="utf-8")
    with pytest.raises(ReadError, match="not a doc file"):
        read(bad)
