"""Web-page reader (.html, .htm, and .mht/.mhtml as browsers save them): the notice's own text,
without the site around it.

Library: lxml.html (already a dependency) plus a small content locator written for Chinese
government pages. Compared on portal pages like corpora/tools/html_writer's: trafilatura finds
the same text but costs ~90 MB of dependencies (dateparser, babel, regex, tzdata…) and returns
plain text or its own XML, without the alignment the 公文 structure uses; readability-lxml
finds it too, but returns a cleaned copy with every ``style`` stripped (no centring) and
scores paragraphs by ASCII commas, which Chinese text does not use; jusText classifies
paragraphs with word stop-lists, and Chinese has no spaces to split words. Both trafilatura and
readability drop the table structure of a roster. lxml keeps the page's own DOM, so hints
come from the markup itself.

The locator: scripts, styles, forms, hidden elements and HTML5 nav/header/footer/aside go first;
then the notice is the deepest element holding at least ``SHARE`` of the page's text outside
links (CJK characters and digits counted), so navigation bars, link lists and the footer
(主办单位/ICP备案) fall outside it. Inside it, elements whose class or id names site chrome
(share, print, crumb, related, prev/next…) are skipped. The page's <h1>/<h2> title, when it lies
outside the chosen element and the notice's first lines do not repeat it, is put in front, centred and bold.

Blocks: each <p>, <div>, <li>, heading, <br>-separated line is one Block; each <tr> of a data
table is a ``table_row`` Block with its cell texts (a table whose rows have one cell, or that
holds other tables, is a layout frame: its content is read as paragraphs). Whitespace is
collapsed as a browser does, except that a source line break between two CJK characters is
dropped (a CJK line break is not a space). Hints: ``centered`` from <center>, align="center" or
text-align:center on the element or an ancestor; ``bold`` when every character is in <strong>,
<b>, a heading or font-weight bold; ``size`` from a font-size (px → pt). ``page`` is None.

Encodings: the plain-text reader's one decoder (:func:`pipeline.readers.txt.decode_text`): a BOM,
else the <meta> charset (gb2312/gbk read as GB18030, which contains them), else its detection
(UTF-8, GB18030, charset-normalizer); damaged bytes replaced and said in ``Document.warnings``. An .mht is a MIME
multipart message read with the stdlib ``email`` package: its first text/html part, the transfer
encoding (quoted-printable, base64) undone and its charset applied.

Left out: frames and iframes (another file), text drawn by scripts, images of text (needs OCR),
content in attachments linked from the page.
"""
from __future__ import annotations

import email
import email.policy
import re
from pathlib import Path

import lxml.html
from lxml import etree

from pipeline.readers.document import Block, Document, ReadError
from pipeline.readers.txt import Decoded, decode_text

SHARE = 0.7  # the notice is the deepest element holding this share of the page's non-link text
DROP_TAGS = ("script", "style", "noscript", "template", "iframe", "frame", "object", "embed", "select",
             "button", "input", "textarea", "form", "nav", "header", "footer", "aside", "svg", "canvas")
BLOCK_TAGS = frozenset("p div li ul ol dl dt dd h1 h2 h3 h4 h5 h6 blockquote section article main center pre "
                       "address figure figcaption caption hr tbody thead tfoot body html".split())
HEADINGS = frozenset("h1 h2 h3 h4 h5 h6".split())
CONTAINERS = frozenset("div td tr tbody thead table article section main center body form".split())
BOLD_TAGS = frozenset(("strong", "b")) | HEADINGS
CHROME = re.compile(r"share|bdshare|print|close|crumb|breadcrumb|position|location|related|relate|xgwz|xglj|"
                    r"prev|next|pager|tools?\b|toolbar|fontsize|zihao|comment|copyright|footer|header|nav|menu|"
                    r"sidebar|search|login|qrcode|ewm|wxfx|attachment-list", re.IGNORECASE)
META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")
COUNTED = re.compile(r"[\u4e00-\u9fff0-9]")  # the characters that measure a notice's text
CJK = "\u3000-\u303f\u4e00-\u9fff\uff00-\uffef"
CJK_BREAK = re.compile(rf"(?<=[{CJK}])[ \t\r\n\f]*[\r\n][ \t\r\n\f]*(?=[{CJK}])")
SPACES = re.compile(r"[ \t\r\n\f]+")
CENTER_STYLE = re.compile(r"text-align\s*:\s*center", re.IGNORECASE)
BOLD_STYLE = re.compile(r"font-weight\s*:\s*(bold|bolder|[6-9]00)", re.IGNORECASE)
HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
SIZE_STYLE = re.compile(r"font-size\s*:\s*([\d.]+)\s*(px|pt)", re.IGNORECASE)
MIME_HEAD = re.compile(rb"^(?:[\w-]+:[^\n]*\r?\n(?:[ \t][^\n]*\r?\n)*)*?MIME-Version\s*:", re.IGNORECASE)


def read_html(path) -> Document:
    """Read a saved web page (.html or .mht) into Blocks, or raise ReadError with a one-line reason."""
    data = Path(path).read_bytes()
    if is_mime(data):
        decoded = _mht_html(path, data)
        fmt = "mht"
    else:
        decoded = decode_html(path, data)
        fmt = "html"
    try:
        root = lxml.html.document_fromstring(XML_DECL.sub("", decoded.text) or "<html></html>")
    except (etree.ParserError, ValueError) as e:
        raise ReadError(path, f"not a readable web page ({e})") from None
    doc = Document(path=str(path), format=fmt, sha256="", blocks=page_blocks(root), pages=None)
    if decoded.replaced:
        doc.warnings.append(decoded.warning)
    return doc


def is_mime(data: bytes) -> bool:
    """A MIME message (.mht): header lines up to MIME-Version."""
    return bool(MIME_HEAD.match(data[:4096].lstrip()))


def looks_like_html(head: bytes) -> bool:
    """Whether text bytes are an HTML page (for a misnamed file)."""
    sample = head[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return sample.startswith((b"<!doctype html", b"<html", b"<?xml")) and b"<html" in sample or bool(
        re.search(rb"<(html|head|body)[\s>]", sample) and re.search(rb"</(p|div|td|title|head)>", sample))


def decode_html(path, data: bytes, declared: str | None = None) -> Decoded:
    """A page's bytes as text: a BOM, else the declared charset (the MIME part's, else the page's
    <meta>), else the plain-text reader's detection — all through the one decoder."""
    if declared is None:
        m = META_CHARSET.search(data[:8192])
        declared = m.group(1).decode("ascii", "replace") if m else None
    try:
        return decode_text(data, declared)
    except ValueError as e:
        raise ReadError(path, str(e)) from None


def _mht_html(path, data: bytes) -> Decoded:
    message = email.message_from_bytes(data, policy=email.policy.compat32)
    for part in message.walk():
        if part.get_content_type() != "text/html":
            continue
        payload = part.get_payload(decode=True)
        if not isinstance(payload, bytes) or not payload.strip():
            continue
        return decode_html(path, payload, part.get_content_charset())
    raise ReadError(path, "an .mht with no web page (text/html) part")


# --- the notice's element ----------------------------------------------------------------------

def _counted(text: str) -> int:
    return len(COUNTED.findall(text))


def _hidden(el) -> bool:
    return bool(HIDDEN_STYLE.search(el.get("style", ""))) or el.get("hidden") is not None


def _clean(root) -> None:
    doomed = [el for el in root.iter() if not isinstance(el.tag, str) or el.tag in DROP_TAGS or _hidden(el)]
    for el in doomed:
        if el.getparent() is not None:
            el.drop_tree()  # keeps the tail text


def _own_text(root) -> dict:
    """Element → count of its text outside links, bottom up."""
    counts: dict = {}
    for el in reversed(list(root.iter())):
        if not isinstance(el.tag, str):
            continue
        n = 0 if el.tag == "a" else _counted(el.text or "")
        for child in el:
            n += counts.get(child, 0) + _counted(child.tail or "")
        counts[el] = n
    return counts


def _main(root):
    """The deepest element holding SHARE of the page's non-link text."""
    counts = _own_text(root)
    body = root.find("body")
    node = body if body is not None else root
    total = counts.get(node, 0)
    if not total:
        return node
    while True:
        best = max((c for c in node if isinstance(c.tag, str)), key=lambda c: counts.get(c, 0), default=None)
        if best is None or counts.get(best, 0) < SHARE * total or best.tag not in CONTAINERS:
            return node  # never into a paragraph: a notice of one long paragraph keeps its title and date
        node = best


def _chrome(el) -> bool:
    names = f'{el.get("class", "")} {el.get("id", "")}'
    return bool(names.strip()) and bool(CHROME.search(names))


def page_blocks(root) -> list[Block]:
    _clean(root)
    main = _main(root)
    blocks = _Walker().run(main)
    title = _outside_title(root, main)
    if title is not None and not _repeated(title, blocks[:8]):
        blocks.insert(0, Block(text=title, centered=True, bold=True))
    return blocks


def _repeated(title: str, blocks: list[Block]) -> bool:
    """Whether the notice's first blocks already print the page title (maybe over several lines,
    maybe with the 版头 or 发文机关 joined to it on the page)."""
    rest = re.sub(r"\s+", "", title)
    whole = len(rest)
    for block in blocks:
        text = re.sub(r"\s+", "", block.text)
        if len(text) >= 2 and text in rest:
            rest = rest.replace(text, "", 1)
    return len(rest) <= 0.2 * whole


def _outside_title(root, main) -> str | None:
    """The page's <h1> (else <h2>) that the walk does not read: outside the notice's element but not
    in site chrome, or inside it under an element skipped as chrome (an "article-header")."""
    for tag in ("h1", "h2"):
        for el in root.iter(tag):
            ancestors = list(el.iterancestors())
            if main in ancestors:
                if not any(_chrome(a) for a in ancestors[:ancestors.index(main)]):
                    continue  # read with the notice
            elif any(_chrome(a) for a in ancestors):
                continue
            text = _collapse(el.text_content()).strip()
            if _counted(text) >= 6:
                return text
    return None


def _collapse(text: str) -> str:
    return SPACES.sub(" ", CJK_BREAK.sub("", text))


# --- walking the notice into blocks ------------------------------------------------------------

class _Walker:
    def __init__(self):
        self.blocks: list[Block] = []
        self.parts: list[tuple[str, bool]] = []  # (text, bold) of the open line
        self.hints: tuple[bool, float | None] = (False, None)

    def run(self, main) -> list[Block]:
        self.walk(main, False, False, None)
        self.flush()
        return self.blocks

    def flush(self) -> None:
        text = _collapse("".join(t for t, _ in self.parts)).strip()
        if text:
            ink = [(t, b) for t, b in self.parts if t.strip()]
            bold = bool(ink) and all(b for _, b in ink)
            centered, size = self.hints
            self.blocks.append(Block(text=text, bold=bold, centered=centered, size=size))
        self.parts = []

    def walk(self, el, centered: bool, bold: bool, size: float | None) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        style = el.get("style", "")
        centered = centered or tag == "center" or el.get("align", "").lower() == "center" or bool(
            CENTER_STYLE.search(style))
        if re.search(r"text-align\s*:\s*(left|justify|right)", style, re.IGNORECASE):
            centered = False
        bold = bold or tag in BOLD_TAGS or bool(BOLD_STYLE.search(style))
        m = SIZE_STYLE.search(style)
        if m:
            size = round(float(m.group(1)) * (0.75 if m.group(2).lower() == "px" else 1.0), 1)
        if tag == "table" and self.table(el, centered, bold, size):
            return
        block = tag in BLOCK_TAGS or tag in ("table", "tr", "td", "th")
        if block:
            self.flush()
            self.hints = (centered, size)
        if el.text and tag:
            self.add(el.text, bold, centered, size)
        for child in el:
            if not isinstance(child.tag, str):
                pass
            elif child.tag == "br":
                self.flush()
                self.hints = (centered, size)
            elif not _chrome(child) or _counted(child.text_content()) > 200:
                self.walk(child, centered, bold, size)
            if child.tail:
                self.add(child.tail, bold, centered, size)
        if block:
            self.flush()

    def add(self, text: str, bold: bool, centered: bool, size: float | None) -> None:
        if not self.parts:
            self.hints = (centered, size)
        self.parts.append((text, bold))

    def table(self, table, centered: bool, bold: bool, size: float | None) -> bool:
        """Read a data table as rows; False for a layout table (read as paragraphs instead)."""
        rows = [tr for tr in table.iter("tr") if _owner(tr) is table]
        cells = [[c for c in tr if c.tag in ("td", "th")] for tr in rows]
        nested = any(t is not table for t in table.iter("table"))
        if not rows or nested or max(len(c) for c in cells) < 2:
            return False
        self.flush()
        for row in cells:
            texts = [_cell_text(c) for c in row]
            if any(texts):
                self.blocks.append(Block(text="\t".join(texts), kind="table_row", cells=texts, size=size))
        return True


def _owner(el):
    """The nearest table above ``el``."""
    return next(el.iterancestors("table"), None)


def _cell_text(cell) -> str:
    """A cell's lines joined like a paragraph's (CJK without a space)."""
    for br in cell.iter("br"):
        br.tail = "\n" + (br.tail or "")
    lines = [_collapse(ln).strip() for ln in cell.text_content().split("\n")]
    out = ""
    for line in (ln for ln in lines if ln):
        out += (" " if out and out[-1].isascii() and out[-1].isalnum() and line[0].isascii() and line[0].isalnum()
                else "") + line
    return out
