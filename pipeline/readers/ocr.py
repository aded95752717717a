"""OCR: scanned PDF pages and images (.png .jpg .tif .bmp) read with RapidOCR.

RapidOCR (``rapidocr-onnxruntime``, the ``ocr`` extra) runs PaddleOCR's Chinese detection,
direction and recognition models on onnxruntime; the models ship inside the wheel, so nothing is
downloaded at run time. The engine is loaded once per process, on first use (~0.5 s).

Each recognised text box (a run of text on one line) is treated as one wide "character" and
handed to the shared :mod:`pipeline.readers.layout`, exactly like the PDF reader's characters:
boxes whose middles share a line's vertical extent form a visual line (left to right, a space
only where the gap is wider than half a character), and lines are joined into paragraphs by
indent, right edge, centring, size and gaps (CJK lines join without a space). Page numbers and
running headers are dropped the same way. A box's font size is its character pitch (width over
its length in ems; a box's height jitters by ±10% with the glyphs in it) or, for a box of fewer
than ``RELIABLE`` ems, its height; sizes within ``SNAP`` of the body's median become that
median and the others are clustered, so a jitter never breaks a paragraph. Range dashes read as
一 or － between two numbers (3月16日一3月31日) are put back as —.

Bounds: at most ``MAX_PAGES`` pages OCR'd per file (~3 s a page on two cores), images up to
``MAX_PIXELS`` (larger, or a Pillow decompression bomb, is a ReadError), PDF pages rendered at
``DPI`` (less for a page so large it would pass ``MAX_PIXELS``). A file where OCR finds no text
(a photograph) is a ReadError.

Left out: tables (OCR'd rows read as lines with spaces between cells), multi-column layouts,
vertical text, bold, and pages scanned sideways or upside down (no orientation detection; a
PDF page's /Rotate and a photo's EXIF orientation are applied).
"""
from __future__ import annotations

import importlib.util
import math
import os
import re
import statistics
import threading
import warnings
from pathlib import Path

from pipeline.readers.document import Document, ReadError
from pipeline.readers.layout import Char, Line, Page, drop_running_lines, find_layout, group_lines, make_line, to_blocks

DPI = 200  # PDF pages are rendered at this resolution for OCR
DEFAULT_DPI = 200  # an image without a usable dpi tag is taken to be scanned at this
MAX_PAGES = int(os.environ.get("DUBAN_OCR_MAX_PAGES", "60"))  # pages OCR'd per file
MAX_PIXELS = 90_000_000  # a larger image (Pillow's own bomb warning is at 89.5 Mpx) is refused
MIN_SCORE = 0.5  # recognised text with lower confidence is dropped
SNAP = 0.12  # line heights within this fraction of the body's median height are the body size
CLUSTER = 0.15  # other heights within this fraction of each other are one size
DASH = re.compile(r"(?<=[0-9日月旬])[一－](?=[0-9])")  # 3月16日一3月31日: the range dash read as 一 or －
RELIABLE = 4  # a box narrower than this many ems gives its size by height, not by character pitch
SHORT = 0.3  # a line shorter than RELIABLE is body text unless this much higher than the body size
MISSING = ("{what}; reading it needs OCR: install duban's ocr extra "
           "(pip install 'duban[ocr]', or bash scripts/setup.sh)")

_engine = None
_engine_lock = threading.Lock()


def available() -> bool:
    """Whether RapidOCR is installed (checked without importing it: the import costs ~1 s)."""
    return importlib.util.find_spec("rapidocr_onnxruntime") is not None


def engine():
    """The process's RapidOCR engine, created on first use from the models inside the wheel."""
    global _engine
    with _engine_lock:
        if _engine is None:
            from rapidocr_onnxruntime import RapidOCR

            threads = int(os.environ.get("DUBAN_OCR_THREADS", "0")) or -1  # -1: onnxruntime's default
            # no direction classifier: on upright 公文 pages it flips whole lines to 180° and they read as nothing
            _engine = RapidOCR(use_cls=False, intra_op_num_threads=threads,
                               inter_op_num_threads=threads if threads > 0 else -1)
        return _engine


# --- one image → one page of lines -----------------------------------------------------------

def ocr_page(image, number: int, pt_per_px: float) -> Page:
    """OCR one page image into a layout Page (coordinates in pt, as a PDF page's)."""
    rgb = _rgb(image)
    result, _ = engine()(rgb)  # a PIL image: RapidOCR turns RGB into the BGR its models expect
    boxes = []
    for quad, text, score in result or []:
        text = DASH.sub("—", text.strip())
        if not text or float(score) < MIN_SCORE:
            continue
        xs, ys = [p[0] * pt_per_px for p in quad], [p[1] * pt_per_px for p in quad]
        x0, x1, top, bottom = min(xs), max(xs), min(ys), max(ys)
        units = _units(text)
        size = (x1 - x0) / units if units >= RELIABLE else bottom - top
        boxes.append(Char(text, x0, x1, top, bottom, size, False))
    lines = [make_line(number, group) for group in group_lines(boxes)]
    lines = [ln for ln in lines if ln.text]
    return Page(number, rgb.width * pt_per_px, rgb.height * pt_per_px, sorted(lines, key=lambda ln: ln.top))


def _units(text: str) -> float:
    """The text's width in ems: a CJK character or full-width mark is one, ASCII half of one."""
    return sum(0.5 if ord(ch) < 0x2E80 or 0xFF61 <= ord(ch) <= 0xFFDC else 1.0 for ch in text)


def _rgb(image):
    """An 8-bit RGB copy: 1-bit fax scans, greyscale, palette, 16-bit and CMYK images, and
    transparency (composited on white), all made what the models expect."""
    from PIL import Image

    if image.mode in ("I", "I;16", "I;16B", "I;16L", "F"):
        extrema = image.getextrema()
        top = max(extrema[1], 1)
        image = image.point(lambda v: v * 255.0 / top).convert("L")
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(white, rgba).convert("RGB")
    return image.convert("RGB")


def snap_sizes(pages: list[Page]) -> None:
    """Replace jittery box heights by one size per cluster (see the module docstring): lines of
    at least ``RELIABLE`` characters near the median are the body size, the other long lines
    are clustered, and each short line takes the nearest of those sizes."""
    lines = [item for page in pages for item in page.items if isinstance(item, Line)]
    if not lines:
        return
    long = [ln for ln in lines if _units(ln.text) >= RELIABLE] or lines
    reliable = {id(ln) for ln in long}
    body = statistics.median(ln.size for ln in long)
    sizes = [body]
    cluster: list[Line] = []
    for ln in sorted((ln for ln in long if abs(ln.size - body) > SNAP * body), key=lambda ln: ln.size) + [None]:
        if cluster and (ln is None or ln.size > cluster[0].size * (1 + CLUSTER)):
            sizes.append(statistics.median(c.size for c in cluster))
            cluster = []
        if ln is not None:
            cluster.append(ln)
    for ln in lines:
        if id(ln) not in reliable and ln.size < (1 + SHORT) * body:  # a paragraph's last few characters
            ln.size = body
        else:
            ln.size = min(sizes, key=lambda size: abs(math.log(ln.size / size)))


def finish(pages: list[Page]) -> list:
    """Blocks from OCR'd pages (possibly mixed with text-layer pages): running lines, layout, paragraphs."""
    drop_running_lines(pages)
    return to_blocks(pages, find_layout(pages))


# --- scanned PDF pages -----------------------------------------------------------------------

def ocr_pdf_pages(path, pdf, pages: list[Page], indexes: list[int]) -> None:
    """Replace ``pages[i]`` for each index by the OCR of that page rendered from ``pdf``."""
    if len(indexes) > MAX_PAGES:
        raise ReadError(path, f"{len(indexes)} scanned pages to OCR; the limit is {MAX_PAGES} (DUBAN_OCR_MAX_PAGES)")
    ocr_pages = []
    for i in indexes:
        page = pdf[i]
        try:
            width, height = page.get_size()
            scale = DPI / 72
            if width * height * scale * scale > MAX_PIXELS:  # a poster-sized page: render it smaller
                scale = math.sqrt(MAX_PIXELS / (width * height))
            image = page.render(scale=scale, grayscale=True, may_draw_forms=True).to_pil()
        finally:
            page.close()
        ocr_pages.append(ocr_page(image, i + 1, 1 / scale))
        # keep the displayed size of the page as the text layer reports it
        ocr_pages[-1].width, ocr_pages[-1].height = pages[i].width, pages[i].height
    snap_sizes(ocr_pages)
    skip = set(indexes)
    known = sorted({item.size for j, page in enumerate(pages) if j not in skip
                    for item in page.items if isinstance(item, Line)})
    for page in ocr_pages:  # in a mixed PDF, take the text layer's size where one is near
        for line in page.items:
            near = min(known, key=lambda size: abs(size - line.size), default=None)
            if near is not None and abs(near - line.size) <= SNAP * near:
                line.size = near
    for i, page in zip(indexes, ocr_pages):
        pages[i] = page


# --- image files -----------------------------------------------------------------------------

def read_image(path) -> Document:
    """OCR an image file (every frame of a multi-page TIFF is a page) into a Document."""
    from PIL import Image, ImageOps, ImageSequence

    path = Path(path)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(path)
    except Image.DecompressionBombError:
        raise ReadError(path, f"image too large (more than {MAX_PIXELS // 1_000_000} megapixels)") from None
    except OSError as e:
        raise ReadError(path, f"corrupt or unreadable image ({str(e)[:100]})") from None
    with image:
        frames = getattr(image, "n_frames", 1)
        if frames > MAX_PAGES:
            raise ReadError(path, f"{frames} pages to OCR; the limit is {MAX_PAGES} (DUBAN_OCR_MAX_PAGES)")
        w, h = image.size
        if w * h > MAX_PIXELS:
            raise ReadError(path, f"image too large ({w}×{h} pixels; the limit is {MAX_PIXELS // 1_000_000} megapixels)")
        if not available():
            raise ReadError(path, MISSING.format(what=f"an image ({path.suffix.lower() or 'no extension'})"))
        pages = []
        for number, frame in enumerate(ImageSequence.Iterator(image), start=1):
            w, h = frame.size
            if w * h > MAX_PIXELS:
                raise ReadError(path, f"image too large ({w}×{h} pixels; the limit is {MAX_PIXELS // 1_000_000} megapixels)")
            try:
                frame.load()
                page = ImageOps.exif_transpose(frame) if number == 1 else frame.copy()
            except (OSError, SyntaxError, ValueError) as e:
                raise ReadError(path, f"corrupt or truncated image ({str(e)[:100]})") from None
            pages.append(ocr_page(page, number, 72 / _dpi(frame)))
        fmt = (image.format or "image").lower()
    snap_sizes(pages)
    blocks = finish(pages)
    if not any(b.text.strip() for b in blocks):
        raise ReadError(path, "no text found in the image (OCR)")
    return Document(path=str(path), format=fmt, sha256="", blocks=blocks, pages=len(pages), ocr=True)


def _dpi(image) -> float:
    dpi = image.info.get("dpi")
    try:
        value = float(dpi[0]) if dpi else 0.0
    except (TypeError, ValueError, IndexError):
        value = 0.0
    return value if 50 <= value <= 2400 else DEFAULT_DPI
