"""Word .docx reader: the body's paragraphs and tables in document order, with Word's automatic
list numbers rendered into the text.

The main document part, its styles and its numbering are read straight from the zip with lxml
(python-docx's object model is slower, loses the order of paragraphs and tables, and drops list
numbers). Each paragraph is one Block. A paragraph numbered through numbering.xml (directly or by
its style) is a ``list_item``: its label ("一、", "（二）", "1.1", "①") is counted the way Word
counts it (one counter set per list, deeper levels restarting when a higher one is used,
lvlRestart, startOverride, numStyleLink, isLgl) and put in front of the text. Each table row is
one ``table_row`` Block with its cell texts; a row of a single cell is a layout frame, not data, so
its paragraphs come out as ordinary Blocks. Text boxes anchored in a paragraph follow it as Blocks
of their own. Line breaks inside a paragraph or a cell are joined without a space (a CJK line
break is not a space), except between two ASCII words.

Hints: ``centered`` (alignment center), ``bold`` (every non-blank run bold), ``size`` (largest run
size in pt), each from direct formatting, else the run's character style, else the paragraph style
and its basedOn chain, else the document defaults.

Left out: headers, footers, footnotes, endnotes, comments, deleted (tracked) text, hidden text,
field codes (the displayed results are kept), symbol-font characters (w:sym), text in drawings
other than text boxes, table-style formatting. Word does not store where pages end (only explicit
breaks), so ``page`` and ``pages`` are None rather than a guess.
"""
from __future__ import annotations

import posixpath
import re
import string
import zipfile
import zlib
from pathlib import Path
from typing import NamedTuple

from lxml import etree

from pipeline.readers.document import Block, Document, ReadError

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
STRICT_NS = b"http://purl.oclc.org/ooxml/wordprocessingml/main"  # Strict Open XML: read as transitional
TRANSITIONAL_NS = W[1:-1].encode()
VAL = W + "val"

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

MAX_PART_BYTES = 100 * 1024 * 1024  # an XML part bigger than this unpacked is a zip bomb, not a notice
OFF = frozenset(("0", "false", "off"))  # w:val of a toggle property (w:b, w:vanish) that switches it off
ASCII_WORD = frozenset(string.ascii_letters + string.digits)  # a line break between two of these reads as a space
LEVEL_REF = re.compile(r"%([1-9])")  # "%1" in w:lvlText: the current number of level 1


def read_docx(path) -> Document:
    """Read a .docx into Blocks, or raise ReadError with a one-line reason."""
    main, document, styles, numbering = _load(Path(path))
    body = document.find(W + "body") if document.tag == W + "document" else None
    if body is None:
        raise ReadError(path, f"corrupt .docx: {main} has no document body")
    style_table = _Styles(styles)
    walker = _Walker(style_table, _Numbering(numbering, style_table))
    return Document(path=str(path), format="docx", sha256="", blocks=walker.blocks(body), pages=None)


# --- the package: parts found through their relationships --------------------------------------

def _load(path: Path):
    """(main part name, document, styles, numbering) roots; styles and numbering may be None."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, collect_ids=False)
    try:
        with zipfile.ZipFile(path) as z:
            main = _relationships(z, path, parser, "_rels/.rels", "").get("officeDocument", "word/document.xml")
            folder, name = posixpath.split(main)
            rels = _relationships(z, path, parser, posixpath.join(folder, "_rels", name + ".rels"), folder)
            document = _xml(z, path, parser, main)
            if document is None:
                raise ReadError(path, f"not a Word document: {main} is missing")
            return (main, document, _xml(z, path, parser, rels.get("styles")),
                    _xml(z, path, parser, rels.get("numbering")))
    except zipfile.BadZipFile:
        raise ReadError(path, "corrupt or truncated .docx (a broken zip container)") from None
    except OSError as e:
        raise ReadError(path, f"cannot open: {e.strerror or e}") from None


def _relationships(z, path, parser, rels_name: str, folder: str) -> dict[str, str]:
    """Relationship type (last path segment: "styles") → part name, from one .rels part."""
    root = _xml(z, path, parser, rels_name)
    out: dict[str, str] = {}
    for rel in root.iterchildren(REL) if root is not None else ():
        target = rel.get("Target", "")
        if rel.get("TargetMode") == "External" or not target:
            continue
        name = target[1:] if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
        out.setdefault(rel.get("Type", "").rsplit("/", 1)[-1], name)
    return out


def _xml(z, path, parser, name: str | None):
    """The parsed part ``name``, None if there is no such part."""
    try:
        info = z.getinfo(name) if name else None
    except KeyError:
        info = None
    if info is None:
        return None
    if info.file_size > MAX_PART_BYTES:
        raise ReadError(path, f"{name} is too large ({info.file_size >> 20} MB unpacked)")
    try:
        data = z.read(info)
    except (zipfile.BadZipFile, zlib.error, EOFError, RuntimeError, NotImplementedError):
        raise ReadError(path, f"corrupt .docx: {name} cannot be unpacked") from None
    if STRICT_NS in data:
        data = data.replace(STRICT_NS, TRANSITIONAL_NS)
    try:
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError:
        raise ReadError(path, f"corrupt .docx: {name} is not valid XML") from None


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


def _int(value: str | None, default):
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _child_val(el, tag: str):
    """w:val of the child ``tag`` of ``el``, None if either is missing."""
    child = el.find(tag) if el is not None else None
    return child.get(VAL) if child is not None else None


class _Styles:
    """styles.xml: each style's properties merged along its basedOn chain."""

    def __init__(self, root):
        self._styles: dict[str, object] = {}
        self._chains: dict[str | None, dict] = {}
        self._paragraph: dict[str | None, dict] = {}
        self.default_paragraph = None
        self._defaults: dict = {}
        if root is None:
            return
        for el in root.iterchildren(W + "style"):
            sid = el.get(W + "styleId")
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
                _ppr_into(el.find(PPR), props)
                _rpr_into(el.find(RPR), props)
                cur = _child_val(el, W + "basedOn")
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


# --- numbering ----------------------------------------------------------------------------------

class _Level(NamedTuple):
    start: int
    fmt: str  # w:numFmt
    text: str  # w:lvlText, e.g. "（%2）"
    restart: int | None  # w:lvlRestart: restart after this (1-based) level or a higher one is used; 0 never
    legal: bool  # w:isLgl: every number in the text in decimal
    space: bool  # w:suff="space" (tab and nothing render as nothing)
    style: str | None  # w:pStyle: the paragraph style this level belongs to


class _List(NamedTuple):
    key: tuple  # counter set: shared by every w:num of one abstractNum unless the num overrides levels
    levels: dict[int, _Level]


def _level(lvl) -> _Level:
    fmt = lvl.find(W + "numFmt")
    if fmt is None:  # Word 2010 custom formats sit in mc:AlternateContent; the fallback is a standard one
        fmt = lvl.find(f"{MC}AlternateContent/{FALLBACK}/{W}numFmt")
    return _Level(
        start=_int(_child_val(lvl, W + "start"), 0),
        fmt=fmt.get(VAL, "decimal") if fmt is not None else "decimal",
        text=_child_val(lvl, W + "lvlText") or "",
        restart=_int(_child_val(lvl, W + "lvlRestart"), None),
        legal=lvl.find(W + "isLgl") is not None and _child_val(lvl, W + "isLgl") not in OFF,  # <w:isLgl/> is on
        space=_child_val(lvl, W + "suff") == "space",
        style=_child_val(lvl, W + "pStyle"),
    )


class _Numbering:
    """numbering.xml and the counters of every list, advanced paragraph by paragraph."""

    def __init__(self, root, styles: _Styles):
        self._styles = styles
        kids = list(root) if root is not None else []
        self._abstract = {el.get(W + "abstractNumId"): el for el in kids if el.tag == W + "abstractNum"}
        self._nums = {el.get(W + "numId"): el for el in kids if el.tag == W + "num"}
        self._lists: dict[str, _List | None] = {}
        self._counts: dict[tuple, list] = {}

    def label(self, num_id: str, ilvl: int | None, style: str | None, style_ilvl: int) -> tuple[str, bool]:
        """(label, space after it) of the next paragraph of list ``num_id``, advancing the counters.

        The level is the paragraph's own ``ilvl``; failing that, for a paragraph numbered through its
        ``style``, the level tied to that style (w:lvl/w:pStyle, which the spec puts before the
        style's w:ilvl), else ``style_ilvl``."""
        if num_id not in self._lists:
            self._lists[num_id] = self._list(num_id)
        lst = self._lists[num_id]
        if lst is None:
            return "", False
        if ilvl is None:
            ilvl = next((i for i, lvl in lst.levels.items() if style is not None and lvl.style == style), style_ilvl)
        lvl = lst.levels.get(ilvl)
        if lvl is None or not 0 <= ilvl < 9:
            return "", False
        counts = self._counts.setdefault(lst.key, [None] * 9)
        counts[ilvl] = lvl.start if counts[ilvl] is None else counts[ilvl] + 1
        for deeper in range(ilvl + 1, 9):
            sub = lst.levels.get(deeper)
            restart = sub.restart if sub is not None and sub.restart is not None else deeper
            if ilvl < restart:
                counts[deeper] = None
        return _render(lst.levels, counts, lvl), lvl.space

    def _list(self, num_id: str) -> _List | None:
        num = self._nums.get(num_id)
        abstract_id, abstract = self._definition(_child_val(num, W + "abstractNumId"))
        if num is None or abstract is None:
            return None
        levels = {_int(el.get(W + "ilvl"), 0): _level(el) for el in abstract.iterchildren(W + "lvl")}
        overridden = False
        for override in num.iterchildren(W + "lvlOverride"):
            ilvl = _int(override.get(W + "ilvl"), 0)
            lvl = override.find(W + "lvl")
            if lvl is not None:
                levels[ilvl], overridden = _level(lvl), True
            start = _child_val(override, W + "startOverride")
            if start is not None and ilvl in levels:
                levels[ilvl], overridden = levels[ilvl]._replace(start=_int(start, 0)), True
        return _List(("num", num_id) if overridden else ("abstract", abstract_id), levels)

    def _definition(self, abstract_id: str | None):
        """(id, element) of the abstractNum defining the levels, following w:numStyleLink to the
        list style's own list (a few hops at most; a loop gives None)."""
        for _ in range(4):
            abstract = self._abstract.get(abstract_id)
            link = _child_val(abstract, W + "numStyleLink")
            if link is None:
                return abstract_id, abstract
            num = self._nums.get(self._styles.chain(link).get("numId"))
            abstract_id = _child_val(num, W + "abstractNumId")
        return None, None


def _render(levels: dict[int, _Level], counts: list, lvl: _Level) -> str:
    """The level text with each %N replaced by level N's current number in its format. A level not
    used since it (re)started counts start − 1, as Word shows it: "1.0.1" under a skipped level."""
    if lvl.fmt == "bullet":
        return ""

    def number(m: re.Match) -> str:
        k = int(m.group(1)) - 1
        ref = levels.get(k)
        if ref is None:
            return ""
        n = counts[k] if counts[k] is not None else ref.start - 1
        return format_number(n, "decimal" if lvl.legal else ref.fmt)

    return LEVEL_REF.sub(number, lvl.text)


CN_DIGITS = "零一二三四五六七八九"  # chineseCounting
CN_LEGAL = "零壹贰叁肆伍陆柒捌玖"  # chineseLegalSimplified (大写)
TW_LEGAL = "零壹貳參肆伍陸柒捌玖"  # ideographLegalTraditional
CN_UNITS = ("", "十", "百", "千")
LEGAL_UNITS = ("", "拾", "佰", "仟")
IDEOGRAPH_DIGITS = "〇一二三四五六七八九"  # ideographDigital: digit by digit (一〇 for 10)
CIRCLED = "".join(chr(0x2460 + i) for i in range(20))  # ① … ⑳
PARENTHESIZED = "".join(chr(0x2474 + i) for i in range(20))  # ⑴ … ⒇
FULL_STOP = "".join(chr(0x2488 + i) for i in range(20))  # ⒈ … ⒛
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
ROMAN = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"), (40, "xl"),
         (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))


def _chinese(n: int, digits: str, units: tuple, short_ten: bool) -> str:
    """1–9999 in Chinese numerals: 十一, 二十, 一百零一; the legal forms keep 壹拾."""
    if not 0 < n < 10000:
        return digits[0] if n == 0 else str(n)
    out, gap = [], False
    for power in (3, 2, 1, 0):
        d = n // 10 ** power % 10
        if d == 0:
            gap = bool(out)
            continue
        if gap:
            out.append(digits[0])
            gap = False
        out.append(digits[d] + units[power])
    text = "".join(out)
    return text[1:] if short_ten and text.startswith(digits[1] + units[1]) else text


def _sequence(chars: str):
    """A format that numbers with ``chars`` and falls back to decimal past their end."""
    return lambda n: chars[n - 1] if 0 < n <= len(chars) else str(n)


def _letters(n: int) -> str:
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1) if n > 0 else str(n)


def _roman(n: int) -> str:
    if not 0 < n < 4000:
        return str(n)
    out = []
    for value, numeral in ROMAN:
        count, n = divmod(n, value)
        out.append(numeral * count)
    return "".join(out)


def _counting(n: int) -> str:
    return _chinese(n, CN_DIGITS, CN_UNITS, short_ten=True)


FORMATS = {  # w:numFmt → number → text; any other format is rendered in decimal
    "decimal": str,
    "decimalZero": lambda n: f"{n:02d}",
    "decimalFullWidth": lambda n: str(n).translate(FULL_WIDTH),
    "decimalFullWidth2": lambda n: str(n).translate(FULL_WIDTH),
    "decimalEnclosedCircle": _sequence(CIRCLED),
    "decimalEnclosedCircleChinese": _sequence(CIRCLED),
    "decimalEnclosedParen": _sequence(PARENTHESIZED),
    "decimalEnclosedFullstop": _sequence(FULL_STOP),
    "chineseCounting": _counting,
    "chineseCountingThousand": _counting,
    "taiwaneseCounting": _counting,
    "taiwaneseCountingThousand": _counting,
    "japaneseCounting": _counting,
    "chineseLegalSimplified": lambda n: _chinese(n, CN_LEGAL, LEGAL_UNITS, short_ten=False),
    "ideographLegalTraditional": lambda n: _chinese(n, TW_LEGAL, LEGAL_UNITS, short_ten=False),
    "ideographDigital": lambda n: "".join(IDEOGRAPH_DIGITS[int(d)] for d in str(n)),
    "ideographTraditional": _sequence("甲乙丙丁戊己庚辛壬癸"),
    "ideographZodiac": _sequence("子丑寅卯辰巳午未申酉戌亥"),
    "lowerLetter": _letters,
    "upperLetter": lambda n: _letters(n).upper(),
    "lowerRoman": _roman,
    "upperRoman": lambda n: _roman(n).upper(),
    "none": lambda n: "",
}


def format_number(n: int, fmt: str) -> str:
    """``n`` written in the w:numFmt ``fmt`` ("chineseCounting", "decimalEnclosedCircle", …)."""
    return FORMATS.get(fmt, str)(n)


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
    """Turns block-level content (the body, a cell, a text box) into Blocks, in order."""

    def __init__(self, styles: _Styles, numbering: _Numbering):
        self.styles = styles
        self.numbering = numbering

    def blocks(self, container, textboxes: bool = True) -> list[Block]:
        out: list[Block] = []
        for el in _each(container, BLOCKS):
            if el.tag == P:
                out.extend(self._paragraph(el, textboxes))
            else:
                out.extend(self._table(el))
        return out

    def _paragraph(self, p, textboxes: bool) -> list[Block]:
        ppr = p.find(PPR)
        sid, style = self.styles.paragraph(_child_val(ppr, W + "pStyle"))
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
                    out.extend(self.blocks(box, textboxes=False))
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

    def _table(self, tbl) -> list[Block]:
        out: list[Block] = []
        for tr in _each(tbl, ROWS):
            cells, inner = self._row(tr)
            if len(cells) == 1:  # a one-cell row frames text: its paragraphs are ordinary blocks
                out.extend(inner)
            elif any(c.strip() for c in cells):
                texts = [b for b in inner if b.text.strip()]
                out.append(Block(text="\t".join(cells), kind="table_row", cells=cells,
                                 centered=bool(texts) and all(b.centered for b in texts),
                                 bold=bool(texts) and all(b.bold for b in texts),
                                 size=max((b.size for b in texts if b.size), default=None)))
        return out

    def _row(self, tr) -> tuple[list[str], list[Block]]:
        """The row's cell texts (a horizontally merged cell once, a vertically merged continuation
        as "") and the blocks read from its cells."""
        cells: list[str] = []
        inner: list[Block] = []
        for tc in _each(tr, CELLS):
            tcpr = tc.find(TCPR)
            if tcpr is not None:
                if _merge(tcpr, "hMerge"):
                    continue
                if _merge(tcpr, "vMerge"):
                    cells.append("")
                    continue
            blocks = self.blocks(tc)
            inner.extend(blocks)
            cells.append(_join(_join(b.cells) if b.cells is not None else b.text for b in blocks))
        return cells, inner


def _merge(tcpr, kind: str) -> bool:
    """True if the cell continues a merge (w:hMerge / w:vMerge without val="restart")."""
    el = tcpr.find(W + kind)
    return el is not None and el.get(VAL, "continue") != "restart"
