"""Word .docx reader on python-docx: the body's paragraphs and tables in document order, with Word's
automatic list numbers rendered into the text.

python-docx walks the package's relationships (so Word Online's word/document2.xml, templates and
macro-enabled files are found as Word finds them) and builds the document part and its styles and
numbering parts; the body, tables, rows and cells are walked as its ``Paragraph``, ``Table``,
``_Row`` and ``_Cell``. Only the parts the reader reads are unpacked (see ``_Members``). Kept here
is what python-docx does not do, or does otherwise than a notice needs: Word's list numbers
(docx_numbering.py), properties resolved along the style chain to the document defaults
(python-docx gives a paragraph's or a style's own formatting only), the run text (python-docx's
``Paragraph.text`` skips tracked insertions, fields and content controls, keeps hidden text, and
drops page and column breaks), text boxes, and content controls (w:sdt) around paragraphs, rows
and cells, which ``iter_inner_content`` does not look into.

Each paragraph is one Block. A paragraph numbered through numbering.xml (directly or by its style)
is a ``list_item`` with its label in front of the text. Each table row is one ``table_row`` Block
with its cell texts; a row of a single cell is a layout frame, not data, so its paragraphs come out
as ordinary Blocks. Text boxes anchored in a paragraph follow it as Blocks of their own. Line
breaks inside a paragraph or a cell are joined without a space (a CJK line break is not a space),
except between two ASCII words.

Hints: ``centered`` (alignment center), ``bold`` (every non-blank run bold), ``size`` (largest run
size in pt), each from direct formatting, else the run's character style, else the paragraph style
and its basedOn chain, else the document defaults.

Left out: headers, footers, footnotes, endnotes, comments, deleted (tracked) text, hidden text,
field codes (the displayed results are kept), symbol-font characters (w:sym), text in drawings
other than text boxes, table-style formatting. Word does not store where pages end (only explicit
breaks), so ``page`` and ``pages`` are None rather than a guess.
"""
from __future__ import annotations

import io
import string
import zipfile
import zlib
from pathlib import Path

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.package import OpcPackage, Unmarshaller
from docx.opc.packuri import PACKAGE_URI, PackURI
from docx.opc.part import Part
from docx.opc.pkgreader import PackageReader
from docx.parts.document import DocumentPart
from docx.parts.numbering import NumberingPart
from docx.parts.styles import StylesPart
from docx.table import Table, _Cell, _Row
from docx.text.paragraph import Paragraph
from lxml import etree

from pipeline.readers.document import Block, Document, ReadError
from pipeline.readers.docx_numbering import MC, OFF, VAL, W, Numbering, child_val as _child_val, format_number
from pipeline.readers.docx_numbering import int_or as _int

__all__ = ["read_docx", "format_number"]

STRICT = ((b"http://purl.oclc.org/ooxml/wordprocessingml/main", W[1:-1].encode()),  # Strict Open XML:
          (b"http://purl.oclc.org/ooxml/officeDocument/relationships",             # read as transitional
           b"http://schemas.openxmlformats.org/officeDocument/2006/relationships"))

P, TBL, TR, TC, R, T = W + "p", W + "tbl", W + "tr", W + "tc", W + "r", W + "t"
PPR, RPR, TCPR = W + "pPr", W + "rPr", W + "tcPr"
BLOCKS = frozenset((P, TBL))  # block-level content of the body, a cell or a text box
ROWS, CELLS = frozenset((TR,)), frozenset((TC,))
WRAPPERS = frozenset((W + "sdt", W + "sdtContent", W + "customXml"))  # looked through for blocks, rows, cells
# hold runs; w:del and w:moveFrom (tracked deletions) are not among them
INLINE_WRAPPERS = WRAPPERS | {W + t for t in ("hyperlink", "ins", "moveTo", "smartTag", "fldSimple", "dir", "bdo")}
TABS = frozenset((W + "tab", W + "ptab"))  # rendered "\t"
BREAKS = frozenset((W + "br", W + "cr"))  # line, column and page breaks: lines joined by _join
RUN_PROPERTIES = {W + k: k for k in ("b", "sz", "vanish", "rStyle")}  # the w:rPr children read, by key
OBJECTS = frozenset((W + "drawing", W + "pict", MC + "AlternateContent"))  # may hold text boxes
NO_BREAK_HYPHEN = W + "noBreakHyphen"  # rendered "-"
TXBX = W + "txbxContent"
FALLBACK = MC + "Fallback"  # repeats its mc:Choice (VML copy of a text box): never read

DEFAULT_PACKAGE_RELS = (b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                        b'<Relationship Id="rId1" Target="word/document.xml" Type="' + RT.OFFICE_DOCUMENT.encode()
                        + b'"/></Relationships>')
MAX_PART_BYTES = 100 * 1024 * 1024  # a part bigger than this unpacked is a zip bomb, not a notice
ASCII_WORD = frozenset(string.ascii_letters + string.digits)  # a line break between two of these reads as a space
UNPACK_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, RuntimeError, NotImplementedError)


def read_docx(path) -> Document:
    """Read a .docx into Blocks, or raise ReadError with a one-line reason."""
    part, parts = _open(Path(path))
    try:
        body = part.element.find(W + "body") if part.element.tag == W + "document" else None
        if body is None:
            raise ReadError(path, f"corrupt .docx: {part.partname.membername} has no document body")
        style_table = _Styles(_related(part, RT.STYLES))
        walker = _Walker(style_table, Numbering(_related(part, RT.NUMBERING), style_table))
        return Document(path=str(path), format="docx", sha256="", pages=None,
                        blocks=walker.blocks(body, part.document))
    finally:
        _release(part.package, parts)


def _release(package, parts: list[Part]) -> None:
    """Cut python-docx's package graph (package → relationships → parts → package) so that its XML
    trees are freed as soon as the read ends, not at the next full garbage collection, which in a
    long batch beside spaCy's many objects can be thousands of notices away."""
    for source in (package, *parts):
        source.rels.clear()
        source.rels._target_parts_by_rId.clear()


# --- the package, opened by python-docx ---------------------------------------------------------

def _open(path: Path) -> tuple[DocumentPart, list[Part]]:
    """python-docx's main document part of the package at ``path``, and every part it made."""
    try:
        data = path.read_bytes()
    except OSError as e:
        raise ReadError(path, f"cannot open: {e.strerror or e}") from None
    try:
        z = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, EOFError, OSError):
        raise ReadError(path, "corrupt or truncated .docx (a broken zip container)") from None
    with z:
        members = _Members(path, z)
        try:  # python-docx's walk of the relationships, from the package's own
            package_rels = PackageReader._srels_for(members, PACKAGE_URI)
            parts = PackageReader._load_serialized_parts(members, package_rels, _AnyType())
        except etree.XMLSyntaxError:
            raise ReadError(path, f"corrupt .docx: {members.last_rels} is not valid XML") from None
        except TypeError:  # python-docx cannot resolve a w:Relationship without a Target
            raise ReadError(path, f"corrupt .docx: {members.last_rels} has a relationship without a target"
                            ) from None
        # OpcPackage, not docx's Package: whose after_unmarshal gathers image parts through
        # iter_rels, a recursive closure that keeps every part alive until a full collection
        package = OpcPackage()
        Unmarshaller.unmarshal(PackageReader(None, package_rels, parts), package, members.part)
    part = _first_related(package, RT.OFFICE_DOCUMENT)
    if not isinstance(part, DocumentPart):
        _release(package, members.loaded)
        raise ReadError(path, f"not a Word document: {members.missing_main()}")
    return part, members.loaded


class _Members:
    """The zip as python-docx's PackageReader reads it (``blob_for``, ``rels_xml_for``), and the part
    factory python-docx builds the parts with. python-docx itself unpacks and parses every part the
    package relates (Word 2010's 430 KB stylesWithEffects.xml, themes, fonts, images, headers,
    footers, settings), which made the read twice as slow as the lxml reader it replaced: here only
    the relationship parts, the main document, its styles and its numbering are unpacked and
    parsed (1.3-1.5x that reader); the other parts stay packed, empty, and a broken or huge image
    cannot stop the text being read. Each unpacked part is bounded in size, named when it is
    broken, and read as transitional if it is Strict Open XML. This leans on python-docx's package
    loading (PackageReader, Unmarshaller), unchanged since 0.8: pyproject keeps python-docx < 2."""

    PARTS = {RT.OFFICE_DOCUMENT: DocumentPart, RT.STYLES: StylesPart, RT.NUMBERING: NumberingPart}

    def __init__(self, path: Path, z: zipfile.ZipFile):
        self.path, self.z = path, z
        self.infos = {info.filename: info for info in z.infolist()}
        self.last_rels = ""
        self.loaded: list[Part] = []  # every part made, for _release

    def read(self, name: str) -> bytes | None:
        """The unpacked member ``name`` (Strict namespaces made transitional), None if there is none."""
        info = self.infos.get(name)
        if info is None:
            return None
        if info.file_size > MAX_PART_BYTES:
            raise ReadError(self.path, f"{name} is too large ({info.file_size >> 20} MB unpacked)")
        try:
            data = self.z.read(info)
        except UNPACK_ERRORS:
            raise ReadError(self.path, f"corrupt .docx: {name} cannot be unpacked") from None
        for strict, transitional in STRICT:
            if strict in data:
                data = data.replace(strict, transitional)
        return data

    # the PhysPkgReader interface
    def blob_for(self, uri: PackURI) -> bytes:
        return b""  # unpacked by ``part`` if it is one the reader reads

    def rels_xml_for(self, uri: PackURI) -> bytes | None:
        self.last_rels = uri.rels_uri.membername  # python-docx parses it next
        data = self.read(self.last_rels)
        if data is None and uri == PACKAGE_URI:  # no _rels/.rels: the main part where Word puts it
            return DEFAULT_PACKAGE_RELS
        return data

    # the part factory
    def part(self, partname: PackURI, content_type: str, reltype: str, blob: bytes, package) -> Part:
        cls = self.PARTS.get(reltype)
        data = self.read(partname.membername) if cls is not None else None
        if data is None:
            if cls is DocumentPart:
                raise ReadError(self.path, f"not a Word document: {partname.membername} is missing")
            part = Part(partname, content_type, blob, package)
        else:
            try:
                part = cls.load(partname, content_type, data, package)
            except etree.XMLSyntaxError:
                raise ReadError(self.path, f"corrupt .docx: {partname.membername} is not valid XML") from None
        self.loaded.append(part)
        return part

    def missing_main(self) -> str:
        if "word/document.xml" not in self.infos:
            return "word/document.xml is missing"
        return "_rels/.rels names no main document part"


class _AnyType(dict):
    """The content type of every part, for python-docx's walk: the reader finds parts by their
    relationship type, as Word does, so [Content_Types].xml is never read (nor required)."""

    def __getitem__(self, partname) -> str:
        return "application/octet-stream"


def _first_related(source, reltype: str) -> Part | None:
    """The part of the first internal relationship of type ``reltype`` of ``source`` (a package or
    a part). Not python-docx's ``part_related_by``, which fails on a second relationship of a type
    and on an external one where Word takes the first internal one."""
    for rel in source.rels.values():
        if rel.reltype == reltype and not rel.is_external:
            return rel.target_part
    return None


def _related(part: DocumentPart, reltype: str):
    """The root element of the document's part ``reltype`` (styles, numbering), None without one.
    Not python-docx's ``styles``/``numbering_part``: those add a default part when it is missing."""
    return getattr(_first_related(part, reltype), "element", None)  # a part left packed has none


# --- styles -------------------------------------------------------------------------------------

def _ppr_into(ppr, props: dict) -> None:
    """Add alignment ("jc") and list numbering ("numId", "ilvl") from a w:pPr, keeping what ``props`` has."""
    if ppr is None:
        return
    jc = ppr.find(W + "jc")
    if jc is not None:
        props.setdefault("jc", jc.get(VAL))
    numpr = ppr.find(W + "numPr")
    if numpr is not None:
        for key in ("numId", "ilvl"):
            el = numpr.find(W + key)
            if el is not None:
                props.setdefault(key, el.get(VAL))


def _rpr_into(rpr, props: dict) -> None:
    """Add bold ("b"), size in pt ("sz"), hidden ("vanish") and the character style ("rStyle")
    from a w:rPr, keeping what ``props`` has."""
    if rpr is None:
        return
    for el in rpr.iterchildren(*RUN_PROPERTIES):
        key = RUN_PROPERTIES[el.tag]
        if key == "sz":
            value = _points(el.get(VAL))
        elif key == "rStyle":
            value = el.get(VAL)
        else:
            value = el.get(VAL) not in OFF
        if value is not None:
            props.setdefault(key, value)


def _points(half_points: str | None) -> float | None:
    return int(half_points) / 2 if half_points and half_points.isdigit() else None


class _Styles:
    """The styles part (python-docx's w:styles element, or None): each style's properties merged
    along its basedOn chain. python-docx's style objects give a style's own formatting only."""

    def __init__(self, root):
        self._styles: dict[str, object] = {}
        self._chains: dict[str | None, dict] = {}
        self._paragraph: dict[str | None, dict] = {}
        self.default_paragraph = None
        self._defaults: dict = {}
        if root is None:
            return
        for el in root.iterchildren(W + "style"):  # python-docx's CT_Style
            sid = el.styleId
            self._styles[sid] = el
            if el.get(W + "type") == "paragraph" and el.get(W + "default") in ("1", "true", "on"):
                self.default_paragraph = sid
        _ppr_into(root.find(f"{W}docDefaults/{W}pPrDefault/{W}pPr"), self._defaults)
        _rpr_into(root.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr"), self._defaults)

    def chain(self, sid: str | None) -> dict:
        """Properties of style ``sid`` and the styles it is based on; {} for an unknown style."""
        if sid not in self._chains:
            props: dict = {}
            seen, cur = set(), sid
            while cur in self._styles and cur not in seen:
                seen.add(cur)
                el = self._styles[cur]
                _ppr_into(el.pPr, props)
                _rpr_into(el.rPr, props)
                cur = _child_val(el, W + "basedOn")  # CT_Style.basedOn_val raises without w:val
            props.pop("rStyle", None)
            self._chains[sid] = props
        return self._chains[sid]

    def paragraph(self, sid: str | None) -> tuple[str | None, dict]:
        """(effective style id, properties) of a paragraph with pStyle ``sid``, document defaults included."""
        if sid not in self._styles:
            sid = self.default_paragraph
        if sid not in self._paragraph:
            self._paragraph[sid] = {**self._defaults, **self.chain(sid)}
        return sid, self._paragraph[sid]


# --- the body -----------------------------------------------------------------------------------

def _each(el, tags: frozenset):
    """Children of ``el`` whose tag is in ``tags``, looking through content controls and custom XML."""
    for child in el:
        if child.tag in tags:
            yield child
        elif child.tag in WRAPPERS:
            yield from _each(child, tags)


def _join(pieces) -> str:
    """Lines of one paragraph or cell as one text: no space between them, except between two ASCII words."""
    out = ""
    for piece in pieces:
        if piece:
            if out and out[-1] in ASCII_WORD and piece[0] in ASCII_WORD:
                out += " "
            out += piece
    return out


def _textboxes(obj):
    """The text box contents of a drawing or VML picture (of mc:AlternateContent, its first choice)."""
    if obj.tag == MC + "AlternateContent":
        obj = obj.find(MC + "Choice")
        if obj is None:
            return []
    return [box for box in obj.iter(TXBX) if not any(a.tag == FALLBACK for a in box.iterancestors())]


class _Runs:
    """What the runs of one paragraph add up to."""

    __slots__ = ("parts", "bold", "size", "objects")

    def __init__(self):
        self.parts: list[str] = []
        self.bold: bool | None = None  # None until a non-blank run is seen
        self.size: float | None = None
        self.objects: list = []


class _Walker:
    """Turns block-level content (the body, a cell, a text box) into Blocks, in order, through
    python-docx's Paragraph, Table, _Row and _Cell."""

    def __init__(self, styles: _Styles, numbering: Numbering):
        self.styles = styles
        self.numbering = numbering

    def blocks(self, container, parent, textboxes: bool = True) -> list[Block]:
        """Blocks of the w:p and w:tbl in ``container`` (python-docx's ``iter_inner_content``, which
        also looks through content controls here); ``parent`` is their python-docx parent."""
        out: list[Block] = []
        for el in _each(container, BLOCKS):
            if el.tag == P:
                out.extend(self._paragraph(Paragraph(el, parent), textboxes))
            else:
                out.extend(self._table(Table(el, parent)))
        return out

    def _paragraph(self, paragraph: Paragraph, textboxes: bool) -> list[Block]:
        p = paragraph._p
        ppr = p.find(PPR)  # not CT_P.pPr: python-docx's accessor costs a tenth of the walk
        sid, style = self.styles.paragraph(_child_val(ppr, W + "pStyle"))  # CT_P.style raises on a bare w:pStyle
        direct: dict = {}
        _ppr_into(ppr, direct)
        props = {**style, **direct}
        runs = _Runs()
        self._inline(p, style, runs)
        text = _join("".join(runs.parts).split("\n"))
        label, space = "", False
        if props.get("numId") not in (None, "0"):
            label, space = self.numbering.label(props["numId"], _int(direct.get("ilvl"), None),
                                                sid if "numId" in style else None, _int(style.get("ilvl"), 0))
        if label:
            text = label + (" " if space and text and label[-1].isascii() else "") + text
        out = []
        if text.strip():
            out.append(Block(text=text, kind="list_item" if label else "para", list_label=label or None,
                             centered=props.get("jc") == "center", bold=bool(runs.bold), size=runs.size))
        if textboxes:
            for obj in runs.objects:
                for box in _textboxes(obj):
                    out.extend(self.blocks(box, paragraph, textboxes=False))
        return out

    def _inline(self, el, style: dict, runs: _Runs) -> None:
        for child in el:
            tag = child.tag
            if tag == R:
                self._run(child, style, runs)
            elif tag in INLINE_WRAPPERS:
                self._inline(child, style, runs)

    def _run(self, r, style: dict, runs: _Runs) -> None:
        props, pieces = style, []
        for child in r:
            tag = child.tag
            if tag == T:
                pieces.append(child.text or "")
            elif tag == RPR:
                props = self._run_props(child, style)
            elif tag in TABS:
                pieces.append("\t")
            elif tag in BREAKS:
                pieces.append("\n")
            elif tag == NO_BREAK_HYPHEN:
                pieces.append("-")
            elif tag in OBJECTS:
                runs.objects.append(child)
        if props.get("vanish"):
            return
        text = "".join(pieces)
        runs.parts.append(text)
        if text.strip():
            runs.bold = bool(props.get("b")) and runs.bold is not False
            size = props.get("sz")
            if size and (runs.size is None or size > runs.size):
                runs.size = size

    def _run_props(self, rpr, style: dict) -> dict:
        """A run's properties: its own, else its character style's, else the paragraph's."""
        direct: dict = {}
        _rpr_into(rpr, direct)
        if not direct:
            return style
        if "rStyle" in direct:
            return {**style, **self.styles.chain(direct["rStyle"]), **direct}
        return {**style, **direct}

    def _table(self, table: Table) -> list[Block]:
        out: list[Block] = []
        for tr in _each(table._tbl, ROWS):
            cells, inner = self._row(_Row(tr, table), table)
            if len(cells) == 1:  # a one-cell row frames text: its paragraphs are ordinary blocks
                out.extend(inner)
            elif any(c.strip() for c in cells):
                texts = [b for b in inner if b.text.strip()]
                out.append(Block(text="\t".join(cells), kind="table_row", cells=cells,
                                 centered=bool(texts) and all(b.centered for b in texts),
                                 bold=bool(texts) and all(b.bold for b in texts),
                                 size=max((b.size for b in texts if b.size), default=None)))
        return out

    def _row(self, row: _Row, table: Table) -> tuple[list[str], list[Block]]:
        """The row's cell texts (a horizontally merged cell once, a vertically merged continuation
        as "") and the blocks read from its cells. python-docx's ``row.cells`` repeats a merged cell
        in every grid column it spans, and does not know the legacy w:hMerge."""
        cells: list[str] = []
        inner: list[Block] = []
        for tc in _each(row._tr, CELLS):
            cell = _Cell(tc, table)
            tcpr = tc.find(TCPR)
            if tcpr is not None:
                if _hmerged(tcpr):
                    continue
                if tcpr.vMerge_val not in (None, "restart"):  # continues the cell above
                    cells.append("")
                    continue
            blocks = self.blocks(tc, cell)
            inner.extend(blocks)
            cells.append(_join(_join(b.cells) if b.cells is not None else b.text for b in blocks))
        return cells, inner


def _hmerged(tcpr) -> bool:
    """True if the cell continues a legacy horizontal merge (w:hMerge without val="restart")."""
    el = tcpr.find(W + "hMerge")
    return el is not None and el.get(VAL, "continue") != "restart"
