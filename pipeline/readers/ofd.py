"""OFD reader (GB/T 33190, the Chinese fixed-layout format government offices sign and archive in).

An OFD is a zip: OFD.xml names the document root (DocBody/DocRoot → Document.xml), which lists
the pages (Pages/Page/@BaseLoc → each page's Content.xml) and the resources (PublicRes /
DocumentRes: fonts). Text is drawn by TextObject elements (in layers and page blocks, at any
depth) with a Boundary "x y w h" in mm, an optional CTM, a font and a Size; each TextCode child
places its characters from X, Y (the baseline, relative to the Boundary) on, stepping by DeltaX
("g n d" repeats d n times). A TextCode without X/Y carries on where the previous one ended.

Every character becomes a positioned :class:`~pipeline.readers.layout.Char` (mm → pt, y down as
in OFD), and from there the .pdf reader's layout logic applies unchanged: characters grouped into
lines by y and ordered left to right, lines into paragraphs by indent, short lines, centring,
size and gaps, page numbers and running headers/footers dropped, ``page`` set. Bold comes from
the font (Bold="true", or a 黑体/小标宋/Bold face name) or the object's Weight ≥ 600.

Parsed with zipfile + lxml, elements matched by local name (writers differ in namespace and
prefix). Parts larger than ``MAX_PART_BYTES`` unpacked are refused before parsing (zip bombs).

Left out: vertical text (ReadDirection/CharDirection), DeltaY-only columns are read but not
rotated, templates (TemplatePage: usually the 版头 and page frame), annotations, signatures,
tables (OFD has none: a ruled table is paths and text, read here as lines of text), OCR of
scanned pages (ImageObject only).
"""
from __future__ import annotations

import math
import posixpath
import zipfile
import zlib

from lxml import etree

from pipeline.readers.document import Document, ReadError
from pipeline.readers.layout import BOLD_FONT, Char, Page, drop_running_lines, find_layout, group_lines, make_line, to_blocks

MM = 72 / 25.4  # points per mm: sizes and positions come out in pt, like the PDF reader's
MAX_PART_BYTES = 50 * 1024 * 1024  # an XML part bigger than this unpacked is a zip bomb, not a notice
MAX_PAGES = 2000
ASCENT, DESCENT = 0.8, 0.2  # a glyph's box around the baseline, in ems
A4 = (0.0, 0.0, 210.0, 297.0)
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def read_ofd(path) -> Document:
    """Read an OFD's text into blocks, or raise ReadError with a one-line reason."""
    try:
        with zipfile.ZipFile(path) as z:
            pages = _Package(z, path).pages()
    except zipfile.BadZipFile:
        raise ReadError(path, "corrupt or truncated .ofd (a broken zip container)") from None
    drop_running_lines(pages)
    layout = find_layout(pages)
    return Document(path=str(path), format="ofd", sha256="", blocks=to_blocks(pages, layout), pages=len(pages))


def _local(el) -> str:
    tag = el.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _children(el, name: str):
    return [c for c in el if _local(c) == name]


def _child(el, name: str):
    return next((c for c in el if _local(c) == name), None)


def _numbers(text: str | None) -> list[float]:
    out = []
    for token in (text or "").split():
        try:
            out.append(float(token))
        except ValueError:
            pass
    return out


def _box(text: str | None, default=None):
    values = _numbers(text)
    return tuple(values[:4]) if len(values) >= 4 else default


class _Package:
    def __init__(self, z: zipfile.ZipFile, path):
        self.z, self.path = z, path
        self.names = {name.lstrip("/"): name for name in z.namelist()}

    def xml(self, name: str, what: str, required: bool = True):
        name = posixpath.normpath(name.replace("\\", "/")).lstrip("/")
        real = self.names.get(name)
        if real is None:
            if required:
                raise ReadError(self.path, f"corrupt .ofd: {what} ({name}) is missing")
            return None
        info = self.z.getinfo(real)
        if info.file_size > MAX_PART_BYTES:
            raise ReadError(self.path, f"{name} is too large ({info.file_size >> 20} MB unpacked)")
        try:
            data = self.z.read(info)
        except (zipfile.BadZipFile, zlib.error, EOFError, RuntimeError, NotImplementedError):
            raise ReadError(self.path, f"corrupt .ofd: {name} cannot be unpacked") from None
        try:
            return etree.fromstring(data, _PARSER)
        except etree.XMLSyntaxError:
            raise ReadError(self.path, f"corrupt .ofd: {name} is not valid XML") from None

    def pages(self) -> list[Page]:
        if any(name.rsplit("/", 1)[-1].lower() == "encryptions.xml" for name in self.names):
            raise ReadError(self.path, "encrypted OFD (password-protected)")
        ofd = self.xml("OFD.xml", "the package root")
        body = _child(ofd, "DocBody")
        root = _child(body, "DocRoot") if body is not None else None
        if root is None or not (root.text or "").strip():
            raise ReadError(self.path, "corrupt .ofd: OFD.xml names no document (DocBody/DocRoot)")
        doc_name = root.text.strip().lstrip("/")
        folder = posixpath.dirname(doc_name)
        document = self.xml(doc_name, "the document")
        common = _child(document, "CommonData")
        area = _child(common, "PageArea") if common is not None else None
        default_box = _box(_child(area, "PhysicalBox").text if area is not None and _child(area, "PhysicalBox")
                           is not None else None, A4)
        fonts = self._fonts(common, folder)
        refs = [p for pages in _children(document, "Pages") for p in _children(pages, "Page")]
        if len(refs) > MAX_PAGES:
            raise ReadError(self.path, f"too many pages ({len(refs)}; the limit is {MAX_PAGES})")
        out = []
        for number, ref in enumerate(refs, 1):
            loc = ref.get("BaseLoc")
            content = self.xml(_resolve(folder, loc), f"page {number}", required=False) if loc else None
            out.append(_page(number, content, default_box, fonts))
        return out

    def _fonts(self, common, folder: str) -> dict[str, bool]:
        """Font ID → bold, from every PublicRes and DocumentRes part."""
        fonts: dict[str, bool] = {}
        if common is None:
            return fonts
        for el in common:
            if _local(el) not in ("PublicRes", "DocumentRes") or not (el.text or "").strip():
                continue
            res = self.xml(_resolve(folder, el.text.strip()), "a resource part", required=False)
            for font in res.iter() if res is not None else ():
                if _local(font) == "Font" and font.get("ID"):
                    name = f'{font.get("FontName", "")} {font.get("FamilyName", "")}'
                    fonts[font.get("ID")] = font.get("Bold") == "true" or bool(BOLD_FONT.search(name))
        return fonts


def _resolve(folder: str, loc: str) -> str:
    loc = loc.strip().replace("\\", "/")
    return loc.lstrip("/") if loc.startswith("/") else posixpath.join(folder, loc)


def _page(number: int, content, default_box, fonts: dict[str, bool]) -> Page:
    box = default_box
    area = _child(content, "Area") if content is not None else None
    if area is not None and _child(area, "PhysicalBox") is not None:
        box = _box(_child(area, "PhysicalBox").text, default_box)
    chars: list[Char] = []
    if content is not None:
        for el in content.iter():
            if _local(el) == "TextObject":
                chars.extend(_text_object(el, fonts))
    lines = [line for line in (make_line(number, group) for group in group_lines(chars)) if line.text]
    return Page(number, box[2] * MM, box[3] * MM, sorted(lines, key=lambda ln: ln.top))


def _deltas(text: str | None) -> list[float]:
    """DeltaX/DeltaY: numbers, with "g n d" meaning d repeated n times."""
    tokens, out, i = (text or "").split(), [], 0
    while i < len(tokens):
        if tokens[i] == "g" and i + 2 < len(tokens):
            try:
                count, value = int(float(tokens[i + 1])), float(tokens[i + 2])
            except ValueError:
                count, value = 0, 0.0
            out.extend([value] * max(0, min(count, 100_000)))
            i += 3
            continue
        try:
            out.append(float(tokens[i]))
        except ValueError:
            pass
        i += 1
    return out


def _text_object(obj, fonts: dict[str, bool]) -> list[Char]:
    """The characters one TextObject draws, in page coordinates (pt, y down)."""
    x0, y0 = (_box(obj.get("Boundary")) or (0.0, 0.0, 0.0, 0.0))[:2]
    ctm = _numbers(obj.get("CTM"))
    a, b, c, d, e, f = ctm[:6] if len(ctm) >= 6 else (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    raw = (_numbers(obj.get("Size")) or [0.0])[0]  # in the object's space, before the CTM
    size = raw * (math.hypot(c, d) or 1.0)
    if size <= 0:
        return []
    bold = fonts.get(obj.get("Font", ""), False) or _numbers(obj.get("Weight"))[:1] >= [600]
    out: list[Char] = []
    x = y = 0.0
    for code in obj:
        if _local(code) != "TextCode" or not code.text:
            continue
        x = (_numbers(code.get("X")) or [x])[0]
        y = (_numbers(code.get("Y")) or [y])[0]
        dx, dy = _deltas(code.get("DeltaX")), _deltas(code.get("DeltaY"))
        for i, ch in enumerate(code.text):
            if ch in "\r\n\t":
                continue
            natural = raw * (0.5 if ord(ch) < 128 else 1.0)
            advance = dx[i] if i < len(dx) else natural
            width = min(advance, natural) if advance > 0 else natural
            left, right = x0 + a * x + c * y + e, x0 + a * (x + width) + c * y + e
            base = y0 + b * x + d * y + f
            out.append(Char(ch, min(left, right) * MM, max(left, right) * MM, (base - ASCENT * size) * MM,
                            (base + DESCENT * size) * MM, size * MM, bold))
            x += advance
            y += dy[i] if i < len(dy) else 0.0
    return out
