"""OCR (pipeline.readers.ocr) on scans made from the corpus.

Notices are drawn as PDFs with corpora.tools.pdf_writer, rendered to greyscale PNG pages at 200 dpi
with pypdfium2 (the pictures a scanner would give), and the pages saved back into an image-only PDF
with Pillow: no text layer at all. Those scans are extracted and scored against the gold annotations
like the .txt originals. Rendering the writer's STSong-Light text needs a Chinese font on the system
(pdfium substitutes it; scripts/setup.sh installs fonts-wqy-microhei).
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from PIL import Image

from corpora.tools.pdf_writer import write_pdf
from pipeline.readers.document import ReadError
from pipeline.extraction.evaluate import score
from pipeline.extraction.api import extract_document
from pipeline.readers import ocr, read
from pipeline.readers.layout import Line, Page

ROOT = Path(__file__).resolve().parent.parent
STEMS = ["001_lanxi_anquan", "004_erzhong_shide", "008_jingkai_zhaoshang", "016_lanxi_sanlian", "020_linyue_dianti"]
DPI = 200


def _cjk_renders() -> bool:
    """Whether pdfium draws the writer's CJK text here (it needs a system font to substitute)."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "probe.pdf"
        write_pdf("测试\n岚溪镇人民政府关于做好安全生产工作的通知", path)
        pdf = pdfium.PdfDocument(str(path))
        image = pdf[0].render(scale=1, grayscale=True).to_pil()
        pdf.close()
    return sum(image.histogram()[:128]) > 400  # dark pixels


needs_ocr = pytest.mark.skipif(not ocr.available(),
                               reason="rapidocr-onnxruntime is not installed: bash scripts/setup.sh installs it")


def _plain(stem: str) -> str:
    return "\n".join(b.text for b in read(ROOT / "corpora" / "notices" / f"{stem}.txt").blocks)


def _render(pdf_path: Path) -> list[Image.Image]:
    pdf = pdfium.PdfDocument(str(pdf_path))
    try:
        return [pdf[i].render(scale=DPI / 72, grayscale=True).to_pil() for i in range(len(pdf))]
    finally:
        pdf.close()


def _save_scan(pages: list[Image.Image], path: Path) -> None:
    pages[0].save(path, save_all=True, append_images=pages[1:], resolution=DPI)


@pytest.fixture(scope="module")
def scans(tmp_path_factory):
    """<stem>.txt, <stem>.pdf (text layer) and <stem>.scan.pdf (images only), plus page PNGs."""
    if not ocr.available():
        pytest.skip("rapidocr-onnxruntime is not installed: bash scripts/setup.sh installs it")
    if not _cjk_renders():
        pytest.skip("no Chinese font for pdfium to draw the test scans (apt-get install fonts-wqy-microhei)")
    d = tmp_path_factory.mktemp("scans")
    (d / "scan").mkdir()
    for stem in STEMS:
        shutil.copy(ROOT / "corpora" / "notices" / f"{stem}.txt", d / f"{stem}.txt")
        write_pdf(_plain(stem), d / f"{stem}.pdf", header="测试页眉")
        pages = _render(d / f"{stem}.pdf")
        _save_scan(pages, d / "scan" / f"{stem}.pdf")
        for number, page in enumerate(pages, start=1):
            page.save(d / f"{stem}.p{number}.png", dpi=(DPI, DPI))
    return d


def _score(docs, tmp: Path) -> float:
    gold, pred = tmp / "gold", tmp / "pred"
    gold.mkdir(parents=True)
    pred.mkdir()
    for doc in docs:
        stem = Path(doc.path).name.split(".")[0]
        shutil.copy(ROOT / "corpora" / "gold" / f"{stem}.json", gold / f"{stem}.json")
        (pred / f"{stem}.json").write_text(json.dumps(extract_document(doc), ensure_ascii=False), encoding="utf-8")
    return score(gold, pred)[1]


@needs_ocr
def test_scanned_pdf_twins_score_like_the_txt(scans, tmp_path):
    docs = [read(scans / "scan" / f"{stem}.pdf") for stem in STEMS]
    for doc, stem in zip(docs, STEMS):
        text_layer = read(scans / f"{stem}.pdf")
        assert (doc.format, doc.ocr, doc.pages) == ("pdf", True, text_layer.pages)
        assert {b.page for b in doc.blocks} == {b.page for b in text_layer.blocks}  # pages kept
        assert not any("测试页眉" in b.text for b in doc.blocks)  # the running header is dropped
    txt = _score([read(scans / f"{stem}.txt") for stem in STEMS], tmp_path / "txt")
    scanned = _score(docs, tmp_path / "ocr")
    print(f"\ntwin scores over {len(STEMS)} notices: txt {txt:.3f}, OCR'd scan {scanned:.3f}")
    assert txt > 0.8 and abs(scanned - txt) <= 0.05


@needs_ocr
def test_text_layer_pdfs_are_not_ocrd(scans, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("OCR ran on a page with a text layer")

    monkeypatch.setattr(ocr, "ocr_page", refuse)
    for stem in STEMS:
        assert read(scans / f"{stem}.pdf").ocr is False


@needs_ocr
def test_mixed_pdf_ocrs_only_the_scanned_page(scans, tmp_path, monkeypatch):
    stem = STEMS[0]
    mixed = pdfium.PdfDocument.new()
    mixed.import_pages(pdfium.PdfDocument(str(scans / f"{stem}.pdf")))
    scan = pdfium.PdfDocument(str(scans / "scan" / f"{stem}.pdf"))
    mixed.del_page(1)
    mixed.import_pages(scan, pages=[1], index=1)
    mixed.save(tmp_path / "mixed.pdf")
    calls = []
    real = ocr.ocr_page
    monkeypatch.setattr(ocr, "ocr_page", lambda image, number, scale: calls.append(number) or real(image, number, scale))
    doc = read(tmp_path / "mixed.pdf")
    assert calls == [2] and doc.ocr
    text_layer = read(scans / f"{stem}.pdf")
    assert [b.text for b in doc.blocks if b.page == 1] == [b.text for b in text_layer.blocks if b.page == 1]
    assert [b.text for b in doc.blocks if b.page == 3] == [b.text for b in text_layer.blocks if b.page == 3]
    page2 = "".join(b.text for b in doc.blocks if b.page == 2)
    want = "".join(b.text for b in text_layer.blocks if b.page == 2)
    assert _similar(page2, want) > 0.97


def _similar(a: str, b: str) -> float:
    import difflib

    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


@needs_ocr
def test_png_and_multipage_tiff(scans, tmp_path):
    stem = STEMS[1]
    png = read(scans / f"{stem}.p1.png")
    assert (png.format, png.pages, png.ocr) == ("png", 1, True)
    want = read(scans / f"{stem}.pdf")
    png_text = "".join(b.text for b in png.blocks)
    assert _similar(png_text, "".join(b.text for b in want.blocks if b.page == 1)) > 0.97
    pages = [Image.open(scans / f"{stem}.p{n}.png").convert("1") for n in (1, 2)]  # a fax-style 1-bit scan
    pages[0].save(tmp_path / "scan.tif", save_all=True, append_images=pages[1:], compression="group4", dpi=(DPI, DPI))
    tif = read(tmp_path / "scan.tif")
    assert (tif.format, tif.pages) == ("tiff", 2) and {b.page for b in tif.blocks} == {1, 2}
    assert _similar(tif.text, "".join(b.text + "\n" for b in want.blocks if b.page <= 2)) > 0.95
    jpg = tmp_path / "photo.jpeg"
    Image.open(scans / f"{stem}.p1.png").convert("RGB").save(jpg, quality=80)
    photo = read(jpg)
    assert photo.format == "jpeg" and _similar("".join(b.text for b in photo.blocks), png_text) > 0.95


@needs_ocr
def test_picture_without_text(tmp_path):
    fur = Image.effect_noise((640, 480), 40)  # a grey-brown noisy gradient: a cat, as far as OCR can tell
    light = Image.linear_gradient("L").resize((640, 480))
    Image.merge("RGB", (light, fur, Image.radial_gradient("L").resize((640, 480)))).save(tmp_path / "cat.jpg")
    with pytest.raises(ReadError) as err:
        read(tmp_path / "cat.jpg")
    assert str(err.value) == f"{tmp_path / 'cat.jpg'}: no text found in the image (OCR)"


@needs_ocr
def test_truncated_image(scans, tmp_path):
    data = (scans / f"{STEMS[0]}.p1.png").read_bytes()
    (tmp_path / "cut.png").write_bytes(data[:len(data) // 2])
    with pytest.raises(ReadError, match="corrupt or truncated image"):
        read(tmp_path / "cut.png")


def test_huge_image_is_refused_before_decoding(tmp_path):
    Image.new("1", (10_000, 9_500), 1).save(tmp_path / "huge.png")  # 95 Mpx, a few kB on disk
    with pytest.raises(ReadError, match="image too large"):
        read(tmp_path / "huge.png")


@needs_ocr
def test_page_limit(scans, monkeypatch):
    monkeypatch.setattr(ocr, "MAX_PAGES", 2)
    with pytest.raises(ReadError, match=r"scanned pages to OCR; the limit is 2"):
        read(scans / "scan" / f"{STEMS[0]}.pdf")


@needs_ocr
def test_engine_loaded_once_from_models_inside_the_wheel():
    import importlib.util

    import yaml

    package = Path(importlib.util.find_spec("rapidocr_onnxruntime").origin).parent
    config = yaml.safe_load((package / "config.yaml").read_text(encoding="utf-8"))
    for part in ("Det", "Rec"):  # no download at run time: the models ship in the package
        assert (package / config[part]["model_path"]).stat().st_size > 1_000_000
    assert ocr.engine() is ocr.engine()


def test_without_rapidocr(tmp_path, monkeypatch):
    monkeypatch.setattr(ocr, "available", lambda: False)
    image = Image.new("L", (400, 300), 255)
    image.save(tmp_path / "scan.png")
    image.save(tmp_path / "scan.pdf", resolution=DPI)
    with pytest.raises(ReadError) as err:
        read(tmp_path / "scan.pdf")
    assert str(err.value) == f"{tmp_path / 'scan.pdf'}: no text layer; needs OCR"
    with pytest.raises(ReadError) as err:
        read(tmp_path / "scan.png")
    assert "needs OCR: install duban's ocr extra" in str(err.value) and "\n" not in str(err.value)


def test_image_bytes_decide_the_format(tmp_path):
    from pipeline.readers import sniff

    for fmt, ext in (("PNG", "png"), ("JPEG", "jpg"), ("TIFF", "tif"), ("BMP", "bmp")):
        Image.new("L", (8, 8), 255).save(tmp_path / f"x.{ext}", format=fmt)
        assert sniff((tmp_path / f"x.{ext}").read_bytes()[:64]) == "image", fmt
    assert sniff("BM是一份通知".encode()) is None  # a text that merely starts with "BM"


def test_sizes_snap_to_the_body_and_title():
    def line(text, size):
        return Line(1, text, 0, 10, 0, 1, size, False)

    body = [line("通过开展专项行动全面摸清", s) for s in (15.2, 16.1, 16.8, 15.9)]
    title = [line("关于印发实施方案的通知", s) for s in (21.4, 22.3)]
    tail = line("案", 18.4)  # a paragraph's last character: its box is taller than it is wide
    ocr.snap_sizes([Page(1, 595, 842, body + title + [tail])])
    assert {ln.size for ln in body} == {tail.size} and len({ln.size for ln in title}) == 1
    assert title[0].size > 1.25 * body[0].size


def test_range_dash_read_as_yi_is_restored():
    assert ocr.DASH.sub("—", "2023年3月16日一3月31日，10月上旬－11月中旬，第一阶段") == \
        "2023年3月16日—3月31日，10月上旬—11月中旬，第一阶段"
