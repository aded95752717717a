"""The .ofd reader on OFD files made in tmp_path: 公文 laid out by corpora.tools.ofd_writer, and
small packages written by hand where a test needs a precise element or attribute."""
from __future__ import annotations

import re
import zipfile

import pytest

from corpora.tools.ofd_writer import write_ofd
from pipeline.readers.document import ReadError
from pipeline.readers import read
from tests.test_reader_pdf import NOTICE_A, NOTICE_B
from tests.twins import twin_score

NS = "http://www.ofdspec.org/2016"


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def notice_a(tmp_path_factory):
    path = tmp_path_factory.mktemp("ofd") / "a.ofd"
    write_ofd(NOTICE_A, path)
    return path, read(path)


def _package(path, pages: list[str], *, fonts: str = '<ofd:Font ID="1" FontName="宋体"/>', prefix="ofd",
             doc_root="Doc_0/Document.xml", extra: dict | None = None):
    """An OFD whose pages' Layer content is ``pages`` (XML with the ``ofd:`` prefix, rewritten to ``prefix``)."""
    def ns(xml: str) -> str:
        if prefix == "":
            return xml.replace("ofd:", "").replace(' xmlns:ofd="', ' xmlns="')
        return xml.replace("ofd:", f"{prefix}:").replace("xmlns:ofd", f"xmlns:{prefix}")

    refs = "".join(f'<ofd:Page ID="{100 + i}" BaseLoc="Pages/Page_{i}/Content.xml"/>' for i in range(len(pages)))
    parts = {
        "OFD.xml": f'<ofd:OFD xmlns:ofd="{NS}" Version="1.0" DocType="OFD"><ofd:DocBody>'
                   f"<ofd:DocRoot>{doc_root}</ofd:DocRoot></ofd:DocBody></ofd:OFD>",
        "Doc_0/Document.xml": f'<ofd:Document xmlns:ofd="{NS}"><ofd:CommonData><ofd:MaxUnitID>999</ofd:MaxUnitID>'
                              "<ofd:PageArea><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox></ofd:PageArea>"
                              "<ofd:PublicRes>PublicRes.xml</ofd:PublicRes></ofd:CommonData>"
                              f"<ofd:Pages>{refs}</ofd:Pages></ofd:Document>",
        "Doc_0/PublicRes.xml": f'<ofd:Res xmlns:ofd="{NS}"><ofd:Fonts>{fonts}</ofd:Fonts></ofd:Res>',
    }
    for i, layer in enumerate(pages):
        parts[f"Doc_0/Pages/Page_{i}/Content.xml"] = (f'<ofd:Page xmlns:ofd="{NS}"><ofd:Content><ofd:Layer ID="1">'
                                                     f"{layer}</ofd:Layer></ofd:Content></ofd:Page>")
    parts.update(extra or {})
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, xml in parts.items():
            z.writestr(name, ns(xml) if isinstance(xml, str) else xml)
    return path


def _text(x, y, text, size=5.644, font="1", extra="", code_extra=""):
    return (f'<ofd:TextObject ID="9" Boundary="{x} {y} 200 10" Font="{font}" Size="{size}" {extra}>'
            f'<ofd:TextCode X="0" Y="{size}" {code_extra}>{text}</ofd:TextCode></ofd:TextObject>')


# --- the notice written by ofd_writer -----------------------------------------------------------

@pytest.mark.parametrize("notice", [NOTICE_A, NOTICE_B], ids=["notice", "plan"])
def test_round_trip(tmp_path, notice):
    path = tmp_path / "notice.ofd"
    write_ofd(notice, path)
    doc = read(path)
    assert doc.format == "ofd"
    lines = [_squash(line) for line in notice.splitlines() if line.strip()]
    # every paragraph, title line and roster line comes back as one block, wrapped lines re-joined
    assert [_squash(b.text) for b in doc.blocks] == lines


def test_paragraph_lines_are_rejoined_without_spaces(notice_a):
    _, doc = notice_a
    long = next(b for b in doc.blocks if b.text.startswith("（一）提高思想认识"))
    assert long.text == next(line for line in NOTICE_A.splitlines() if line.startswith("（一）提高思想认识"))
    roster = next(b for b in doc.blocks if b.text.startswith("组长"))
    assert roster.text == "组长： 王之成 区委副书记、区长"  # the columns' gaps read as single spaces


def test_pages_page_numbers_and_running_header(notice_a):
    path, doc = notice_a
    with zipfile.ZipFile(path) as z:
        page_xml = [z.read(n).decode() for n in sorted(z.namelist()) if n.endswith("Content.xml")]
    assert doc.pages == len(page_xml) >= 2
    texts = [_squash(b.text) for b in doc.blocks]
    assert not any(re.fullmatch(r"—\d+—", t) for t in texts)
    assert texts.count("临政办发〔2023〕15号") == 1  # the header copies on pages ≥ 2 are gone
    assert "— 2 —" in page_xml[1] and "临政办发〔2023〕15号" in page_xml[1]
    assert [b.page for b in doc.blocks] == sorted(b.page for b in doc.blocks)
    assert doc.blocks[-1].page == doc.pages
    crossing = [b for b in doc.blocks if b.text[:6] in page_xml[b.page - 1] and b.text[-6:] not in page_xml[b.page - 1]]
    assert crossing, "a paragraph should run onto the next page and still be one block"


def test_layout_hints(notice_a):
    _, doc = notice_a
    assert doc.blocks[0].text == "临政办发〔2023〕15号" and doc.blocks[0].centered
    titles = [b for b in doc.blocks if b.text in ("关于成立城乡环境综合整治", "工作领导小组的通知")]
    assert len(titles) == 2 and all(b.size == 22 for b in titles)
    body = next(b for b in doc.blocks if b.text == "二、主要职责")
    assert not body.centered and body.size == 16


def test_writer_is_deterministic(tmp_path):
    write_ofd(NOTICE_B, tmp_path / "1.ofd")
    write_ofd(NOTICE_B, tmp_path / "2.ofd")
    assert (tmp_path / "1.ofd").read_bytes() == (tmp_path / "2.ofd").read_bytes()


# --- packages written by hand -------------------------------------------------------------------

@pytest.mark.parametrize("prefix", ["ofd", "x", ""], ids=["ofd-prefix", "other-prefix", "default-namespace"])
def test_elements_matched_by_local_name(tmp_path, prefix):
    path = _package(tmp_path / "p.ofd", [_text(30, 40, "关于开展安全生产检查的通知")], prefix=prefix)
    assert [b.text for b in read(path).blocks] == ["关于开展安全生产检查的通知"]


def test_runs_ordered_by_position_and_grouped_into_lines(tmp_path):
    layer = (_text(60, 60, "第二行右半") + _text(30, 40, "第一行") + _text(30, 60, "第二行左半")
             + _text(30 + 3 * 5.644, 40, "接着"))
    doc = read(_package(tmp_path / "p.ofd", [layer]))
    assert [b.text.replace(" ", "") for b in doc.blocks] == ["第一行接着", "第二行左半第二行右半"]


def test_delta_x_shorthand_ctm_and_continued_text_codes(tmp_path):
    obj = ('<ofd:TextObject ID="9" Boundary="30 40 200 10" Font="1" Size="2.822" CTM="2 0 0 2 0 0">'
           '<ofd:TextCode X="0" Y="2.822" DeltaX="g 3 2.822">各村社区</ofd:TextCode>'
           '<ofd:TextCode DeltaX="2.822">：</ofd:TextCode></ofd:TextObject>')
    doc = read(_package(tmp_path / "p.ofd", [obj]))
    assert [b.text for b in doc.blocks] == ["各村社区："]
    assert doc.blocks[0].size == 16.0  # 2.822 mm scaled ×2 by the CTM = 16 pt


def test_bold_from_font_and_weight(tmp_path):
    fonts = '<ofd:Font ID="1" FontName="宋体"/><ofd:Font ID="2" FontName="方正小标宋简体"/>'
    layer = _text(30, 40, "标题一", font="2") + _text(30, 80, "标题二", extra='Weight="700"') + _text(30, 120, "正文")
    doc = read(_package(tmp_path / "p.ofd", [layer], fonts=fonts))
    assert [(b.text, b.bold) for b in doc.blocks] == [("标题一", True), ("标题二", True), ("正文", False)]


def test_missing_page_content_is_an_empty_page(tmp_path):
    full = _package(tmp_path / "full.ofd", [_text(30, 40, "第一页的文字"), _text(30, 40, "第二页的文字")])
    path = tmp_path / "p.ofd"
    with zipfile.ZipFile(full) as src, zipfile.ZipFile(path, "w") as z:  # page 2 listed, its content missing
        for name in src.namelist():
            if name != "Doc_0/Pages/Page_1/Content.xml":
                z.writestr(name, src.read(name))
    doc = read(path)
    assert doc.pages == 2 and [(b.page, b.text) for b in doc.blocks] == [(1, "第一页的文字")]


# --- bad files: the one-line errors -------------------------------------------------------------

def _error(path) -> str:
    with pytest.raises(ReadError) as info:
        read(path)
    return str(info.value)


def test_no_doc_root(tmp_path):
    path = _package(tmp_path / "p.ofd", [_text(30, 40, "文字")], doc_root="")
    assert _error(path) == f"{path}: corrupt .ofd: OFD.xml names no document (DocBody/DocRoot)"


def test_missing_document(tmp_path):
    path = _package(tmp_path / "p.ofd", [_text(30, 40, "文字")], doc_root="Doc_1/Document.xml")
    assert _error(path) == f"{path}: corrupt .ofd: the document (Doc_1/Document.xml) is missing"


def test_invalid_page_xml(tmp_path):
    path = _package(tmp_path / "p.ofd", [_text(30, 40, "文字") + "<ofd:Broken"])
    assert _error(path) == f"{path}: corrupt .ofd: Doc_0/Pages/Page_0/Content.xml is not valid XML"


def test_encrypted(tmp_path):
    path = _package(tmp_path / "p.ofd", [_text(30, 40, "文字")], extra={"Encryptions.xml": "<Encryptions/>"})
    assert _error(path) == f"{path}: encrypted OFD (password-protected)"


def test_scanned_ofd_needs_ocr(tmp_path):
    image = '<ofd:ImageObject ID="9" Boundary="0 0 210 297" CTM="210 0 0 297 0 0" ResourceID="5"/>'
    path = _package(tmp_path / "p.ofd", [image])
    assert _error(path) == f"{path}: no text layer; needs OCR"


def test_truncated(tmp_path, notice_a):
    path = tmp_path / "cut.ofd"
    path.write_bytes(notice_a[0].read_bytes()[:3000])
    assert _error(path) == f"{path}: corrupt or truncated file (a broken zip container)"


def test_zip_bomb_part_is_refused_before_parsing(tmp_path):
    path = _package(tmp_path / "p.ofd", [_text(30, 40, "文字")])
    big = b"<ofd:Page xmlns:ofd='" + NS.encode() + b"'>" + b" " * (60 << 20) + b"</ofd:Page>"
    bomb = tmp_path / "bomb.ofd"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        for name in src.namelist():
            z.writestr(name, big if name == "Doc_0/Pages/Page_0/Content.xml" else src.read(name))
    assert bomb.stat().st_size < 1 << 20
    assert _error(bomb) == f"{bomb}: Doc_0/Pages/Page_0/Content.xml is too large (60 MB unpacked)"


def test_text_named_ofd(tmp_path):
    path = tmp_path / "fake.ofd"
    path.write_text("关于开展检查的通知", encoding="utf-8")
    assert _error(path) == f"{path}: not a ofd file (its bytes are plain text or unknown)"


# --- the extraction scores the same as from the .txt --------------------------------------------

def test_twin_score_matches_txt(tmp_path):
    txt = twin_score(tmp_path / "txt", ".txt")
    ofd = twin_score(tmp_path / "ofd", ".ofd", write_ofd)
    assert ofd >= txt - 0.02, (txt, ofd)
