"""The .pdf reader on PDFs drawn in tmp_path: 公文-like notices from corpora.tools.pdf_writer, and
small layouts drawn with reportlab's canvas where a test needs a precise position."""
from __future__ import annotations

import re

import pdfplumber
import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas

from corpora.tools.pdf_writer import BODY_PT, FONT, write_pdf
from pipeline.readers.document import ReadError
from pipeline.readers import read

NOTICE_A = """\
临政办发〔2023〕15号
关于成立城乡环境综合整治
工作领导小组的通知
各镇人民政府、街道办事处，区政府各部门：
为切实加强对全区城乡环境综合整治工作的组织领导，全面提升城乡环境质量，打造干净整洁、规范有序、群众满意的人居环境，经区政府研究决定，成立临淄区城乡环境综合整治工作领导小组，现将有关事项通知如下：
一、领导小组组成人员
组  长：王之成  区委副书记、区长
副组长：孟  磊  区委常委、常务副区长
李建国  副区长
成  员：赵  伟  区政府办公室主任
刘会娟  区住房和城乡建设局局长
张成碧  区自然资源局局长
吴  烁  区生态环境分局局长
领导小组下设办公室，办公室设在区住房和城乡建设局，刘会娟同志兼任办公室主任，负责领导小组日常工作。
二、主要职责
（一）研究制定全区城乡环境综合整治的总体规划、年度计划和工作措施，统筹协调解决整治工作中的重大问题。
（二）组织开展2023年度城乡环境综合整治专项行动，对各镇、街道和区直有关部门的工作进展情况进行督导检查。
（三）建立健全城乡环境长效管理机制，推动整治工作由集中攻坚向常态长效转变。
三、工作要求
（一）提高思想认识。城乡环境综合整治是改善群众生产生活条件、提升城市形象的重要举措，各镇、街道和各部门要把思想和行动统一到区委、区政府的决策部署上来，切实增强责任感和紧迫感，以更高的标准、更实的作风、更硬的举措推动各项任务落地见效，确保整治工作取得实实在在的成效。
（二）强化协调配合。各成员单位要按照职责分工，主动认领任务，加强沟通衔接，形成工作合力。对涉及多个部门的问题，由领导小组办公室牵头协调，限期解决；对推诿扯皮、工作不力的单位，由区政府督查室通报批评。
（三）严格督导考核。领导小组办公室要建立工作台账，实行周调度、月通报、季考核制度，考核结果纳入年度综合考核，与评先树优挂钩。
（四）加强宣传引导。充分利用报纸、电视、网络等媒体，广泛宣传城乡环境综合整治的重要意义和先进典型，营造全社会共同参与的良好氛围。
临淄区人民政府办公室
2023年3月15日
"""

NOTICE_B = """\
齐城开发区2024年
营商环境提升行动实施方案
为深入贯彻落实省、市关于优化营商环境的决策部署，持续打造市场化、法治化、国际化一流营商环境，推动开发区经济社会高质量发展，结合开发区实际，制定本方案。
一、总体目标
到2024年底，企业开办时间压缩至1个工作日以内，工程建设项目审批时间压缩至40个工作日以内，政务服务事项网上可办率达到100%，市场主体满意度达到95%以上，营商环境评价位次进入全市前三名。
二、重点任务
（一）深化“放管服”改革。全面推行证明事项告知承诺制，推广“一业一证”改革，实现高频事项“一次办好”。
（二）提升政务服务效能。推进政务服务中心标准化建设，完善“帮办代办”服务机制，为重点项目提供全流程跟踪服务。
（三）强化要素保障。统筹用地、用能、用工等要素资源，建立重点项目要素保障清单，每月调度一次，及时协调解决项目建设中的困难和问题。
（四）加强法治保障。严格规范公正文明执法，推行包容审慎监管，全面落实行政执法公示、执法全过程记录、重大执法决定法制审核制度。
（五）构建亲清政商关系。建立领导干部联系企业制度，每名班子成员联系5家以上重点企业，每季度至少走访一次，面对面听取企业意见建议。
三、组织保障
为加强对营商环境提升行动的组织领导，成立开发区营商环境提升行动领导小组，组成人员如下：
主  任：魏修国  党工委书记
副主任：刘  明  管委会主任
委  员：傅  裕  党政办公室主任
李桂军  经济发展局局长
姜欣堂  行政审批服务局局长
于德纲  财政金融局局长
领导小组办公室设在行政审批服务局，姜欣堂同志兼任办公室主任，负责日常协调、督导和考核工作。
四、工作要求
（一）压实工作责任。各部门要将营商环境提升行动列入重要议事日程，主要负责同志亲自抓、负总责，分管负责同志具体抓、抓具体，确保各项任务按期完成。对工作推进不力、造成不良影响的，依规依纪严肃追究有关单位和人员的责任。
（二）加强督导考核。领导小组办公室要定期对各部门任务落实情况进行督导，督导结果在开发区范围内通报，并纳入年度综合考核。
（三）注重总结推广。及时总结提炼可复制、可推广的经验做法，每半年形成一篇典型案例，在全区推广。
齐城经济开发区管理委员会
2024年1月8日
"""

ROLE_ROW = re.compile(r"^(组\s*长|副组长|成\s*员|主\s*任|副主任|委\s*员)[：:]")


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def notice_a(tmp_path_factory):
    path = tmp_path_factory.mktemp("pdf") / "a.pdf"
    write_pdf(NOTICE_A, path)
    return path, read(path)


def _draw(path, pages, size=BODY_PT, encrypt=None):
    """A PDF with one page per item of ``pages``; each page a list of (x, y, text) or (x, y, text, size)."""
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1, encrypt=encrypt)
    for items in pages:
        for x, y, text, *rest in items:
            c.setFont(FONT, rest[0] if rest else size)
            c.drawString(x, y, text)
        c.showPage()
    c.save()


def _fill(prefix: str, width: float, size=BODY_PT, filler="政") -> str:
    """``prefix`` plus filler characters up to ``width`` points."""
    text = prefix
    while stringWidth(text + filler, FONT, size) <= width:
        text += filler
    return text


# --- the notice written by pdf_writer ---------------------------------------------------------

def test_paragraph_lines_are_rejoined_without_spaces(notice_a):
    _, doc = notice_a
    long = next(b for b in doc.blocks if b.text.startswith("（一）提高思想认识"))
    assert len(long.text) > 120
    assert long.text == next(line for line in NOTICE_A.splitlines() if line.startswith("（一）提高思想认识"))
    assert " " not in long.text
    item = next(b for b in doc.blocks if b.text.startswith("（二）组织开展"))
    assert "2023年度" in item.text


def test_page_numbers_and_running_header_are_dropped(notice_a):
    _, doc = notice_a
    assert doc.pages >= 2
    texts = [_squash(b.text) for b in doc.blocks]
    assert not any(re.fullmatch(r"—\d+—", t) for t in texts)
    assert texts.count("临政办发〔2023〕15号") == 1  # the 发文字号 on page 1; the header copies are gone
    assert doc.blocks[0].page == 1 and doc.blocks[0].centered


def test_pages_are_set(notice_a):
    path, doc = notice_a
    with pdfplumber.open(path) as pdf:
        page_texts = [_squash(p.extract_text()) for p in pdf.pages]
    assert all(b.page is not None for b in doc.blocks)
    assert [b.page for b in doc.blocks] == sorted(b.page for b in doc.blocks)
    for block in doc.blocks:
        start = _squash(block.text)[:12]
        assert start in page_texts[block.page - 1]
    assert doc.blocks[-1].page == doc.pages


def test_paragraph_across_a_page_break_is_one_block(notice_a):
    path, doc = notice_a
    with pdfplumber.open(path) as pdf:
        page_texts = [_squash(p.extract_text()) for p in pdf.pages]
    crossing = [b for b in doc.blocks if b.kind == "para" and b.page < doc.pages
                and _squash(b.text)[-5:] not in page_texts[b.page - 1]
                and _squash(b.text)[-5:] in page_texts[b.page]]
    assert crossing, "the test notice should have a paragraph that runs onto the next page"
    source = {_squash(line) for line in NOTICE_A.splitlines()}
    assert all(_squash(b.text) in source for b in crossing)


def test_roster_is_read_as_table_rows_in_place(notice_a):
    _, doc = notice_a
    kinds = [b.kind for b in doc.blocks]
    first = kinds.index("table_row")
    rows = doc.blocks[first:first + 7]
    assert [b.kind for b in rows] == ["table_row"] * 7
    assert doc.blocks[first - 1].text == "一、领导小组组成人员"
    assert doc.blocks[first + 7].text.startswith("领导小组下设办公室")
    assert rows[0].cells == ["组长：", "王之成", "区委副书记、区长"]
    assert [_squash(c) for c in rows[1].cells] == ["副组长：", "孟磊", "区委常委、常务副区长"]
    assert rows[2].cells == ["", "李建国", "副区长"]
    assert rows[0].text == "\t".join(rows[0].cells)
    assert kinds.count("table_row") == 7


def test_layout_hints(notice_a):
    _, doc = notice_a
    titles = [b for b in doc.blocks if b.text in ("关于成立城乡环境综合整治", "工作领导小组的通知")]
    assert len(titles) == 2 and all(b.centered and b.size == 22 for b in titles)
    body = next(b for b in doc.blocks if b.text == "二、主要职责")
    assert not body.centered and body.size == BODY_PT
    assert not any(b.bold for b in doc.blocks)  # STSong-Light has no bold face


@pytest.mark.parametrize("notice, roster_rows", [(NOTICE_A, 7), (NOTICE_B, 6)], ids=["notice", "plan"])
def test_round_trip(tmp_path, notice, roster_rows):
    path = tmp_path / "notice.pdf"
    write_pdf(notice, path)
    doc = read(path)
    lines = [_squash(line) for line in notice.splitlines() if line.strip()]
    blocks = [_squash(b.text) for b in doc.blocks]
    assert "".join(blocks) == "".join(lines)
    assert blocks == lines  # every paragraph, title line and roster row comes back as one block
    rows = [b for b in doc.blocks if b.kind == "table_row"]
    assert len(rows) == roster_rows
    assert _squash("".join(rows[0].cells)) == next(ln for ln in lines if ROLE_ROW.match(ln))


def test_writer_is_deterministic(tmp_path):
    write_pdf(NOTICE_B, tmp_path / "1.pdf")
    write_pdf(NOTICE_B, tmp_path / "2.pdf")
    assert (tmp_path / "1.pdf").read_bytes() == (tmp_path / "2.pdf").read_bytes()


# --- layouts drawn directly -------------------------------------------------------------------

LEFT, WIDTH = 80, 28 * BODY_PT  # the text block of the drawn pages


def test_line_joining_rules(tmp_path):
    full = _fill("", WIDTH)
    ascii_end, ascii_start = _fill("", WIDTH - 40) + "Hello", _fill("world", WIDTH)
    lines = [
        (LEFT + 2 * BODY_PT, 760, _fill("", WIDTH - 2 * BODY_PT)),  # indented first line
        (LEFT, 731, _fill("", WIDTH - 40) + "2023"),
        (LEFT, 702, "年度工作" + "政" * 4),  # short: ends the paragraph
        (LEFT, 673, full),
        (LEFT, 644, "政府" * 3),  # not indented, after a full line: same paragraph
        (LEFT + 2 * BODY_PT, 615, full[:-2]),  # indented: a new paragraph
        (LEFT, 586, ascii_end),
        (LEFT, 557, ascii_start),  # ASCII meets ASCII: one space
        (LEFT, 528, full),
        (LEFT, 440, full),  # a large gap: a new block
        (LEFT, 411, full[:10], 22),  # a new size: a new block
    ]
    path = tmp_path / "rules.pdf"
    _draw(path, [lines])
    texts = [b.text for b in read(path).blocks]
    assert texts == [
        lines[0][2] + lines[1][2] + lines[2][2],
        full + "政府" * 3,
        full[:-2] + ascii_end + " " + ascii_start + full,
        full,
        full[:10],
    ]


@pytest.mark.parametrize("footer", ["— {n} —", "-{n}-", "- {n} -", "{n}", "第{n}页", "第 {n} 页 共 3 页", "{n}/3",
                                    "临淄区人民政府办公室 第{n}页"])
def test_page_number_styles_are_dropped(tmp_path, footer):
    pages = [[(LEFT, 700, f"第{n}页的正文"), (280, 50, footer.format(n=n), 10.5)] for n in (1, 2, 3)]
    path = tmp_path / "footer.pdf"
    _draw(path, pages)
    assert [b.text for b in read(path).blocks] == ["第1页的正文", "第2页的正文", "第3页的正文"]


def test_repeated_header_is_dropped_but_body_is_kept(tmp_path):
    pages = [[(LEFT, 800, "临淄区人民政府文件", 10.5), (LEFT, 700, f"正文第{n}段")] for n in (1, 2, 3)]
    path = tmp_path / "header.pdf"
    _draw(path, pages)
    assert [b.text for b in read(path).blocks] == ["正文第1段", "正文第2段", "正文第3段"]


def test_rotated_page_with_table(tmp_path):
    """A page shown rotated (/Rotate 90) reads upright, its ruled table included."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    pdfmetrics.registerFont(TTFont("Vera", "Vera.ttf"))  # pdfium cannot place rotated glyphs of a non-embedded font
    path = tmp_path / "rotated.pdf"
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    c.setPageRotation(90)  # reportlab makes the media box landscape; drawn upright it shows portrait
    c.translate(A4[1], 0)
    c.rotate(90)
    c.setFont("Vera", 12)
    c.drawString(100, 700, "Above the table")
    for i in range(3):
        c.line(100, 650 - 30 * i, 400, 650 - 30 * i)
        c.line(100 + 150 * i, 650, 100 + 150 * i, 590)
    for row, y in (("1", 628), ("2", 598)):
        c.drawString(110, y, "A" + row)
        c.drawString(260, y, "B" + row)
    c.drawString(100, 540, "Below the table")
    c.save()
    blocks = read(path).blocks
    assert [(b.kind, b.text) for b in blocks] == [
        ("para", "Above the table"), ("table_row", "A1\tB1"), ("table_row", "A2\tB2"), ("para", "Below the table")]


def test_bold_hint_from_the_font_name(tmp_path):
    path = tmp_path / "bold.pdf"
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    c.setFont("Helvetica-Bold", 16)
    c.drawString(LEFT, 700, "Heading")
    c.setFont("Helvetica", 16)
    c.drawString(LEFT, 640, "Body text")
    c.save()
    assert [(b.text, b.bold) for b in read(path).blocks] == [("Heading", True), ("Body text", False)]


# --- files that cannot be read ----------------------------------------------------------------

def test_encrypted_pdf(tmp_path):
    path = tmp_path / "locked.pdf"
    _draw(path, [[(LEFT, 760, "机密文件")]], encrypt="secret")
    with pytest.raises(ReadError, match="encrypted PDF"):
        read(path)


def test_permissions_only_pdf_is_read(tmp_path):
    """Only an owner password (no copying, no printing), as many published notices have: readable."""
    from reportlab.lib.pdfencrypt import StandardEncryption

    path = tmp_path / "restricted.pdf"
    _draw(path, [[(LEFT, 700, "关于开展2023年度检查的通知")]], encrypt=StandardEncryption("", "owner", canCopy=0))
    assert [b.text for b in read(path).blocks] == ["关于开展2023年度检查的通知"]


def test_truncated_pdf(tmp_path, notice_a):
    path = tmp_path / "cut.pdf"
    path.write_bytes(notice_a[0].read_bytes()[:5000])
    with pytest.raises(ReadError) as err:
        read(path)
    assert "corrupt or truncated PDF" in str(err.value) and "\n" not in str(err.value)


def test_image_only_pdf_needs_ocr(tmp_path):
    path = tmp_path / "scan.pdf"
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    c.rect(80, 300, 400, 400, fill=1)
    c.save()
    with pytest.raises(ReadError, match="no text layer; needs OCR"):
        read(path)


def test_text_file_named_pdf(tmp_path):
    path = tmp_path / "notice.pdf"
    path.write_text("关于开展工作的通知\n", encoding="utf-8")
    with pytest.raises(ReadError, match="not a pdf file"):
        read(path)



def test_a_line_cut_short_by_an_unbroken_figure_continues_its_paragraph():
    from pipeline.readers.layout import Layout, Line, _continues

    layout = Layout(left=90.0, right=506.0, pitch=29.0)
    # 16 pt text; "100%；" did not fit in the 2 ems left, so the line stops short of the edge
    prev = Line(1, "…重大隐患整改率达到", 122.0, 474.0, 100.0, 116.0, 16.0, False)
    nxt = Line(1, "100%；一般隐患整改率达到95%以上。", 90.0, 400.0, 129.0, 145.0, 16.0, False)
    assert _continues(prev, nxt, layout)
    # a paragraph that ends in 。 and leaves the same room is finished
    done = Line(1, "…整改率达到100%。", 122.0, 474.0, 100.0, 116.0, 16.0, False)
    assert not _continues(done, nxt, layout)
    # and a short line followed by a Chinese line is a paragraph end too
    zh = Line(1, "一般隐患整改率达到95%以上。", 90.0, 400.0, 129.0, 145.0, 16.0, False)
    assert not _continues(prev, zh, layout)


# A Python program that hides every system font from pdfium (an empty FPDF_SYSFONTINFO: no font is
# ever found, as on a machine with no Chinese font installed) and prints, as JSON, the text read
# from each PDF named on its command line, and how many text objects pdfium could not measure.
NO_FONTS = r'''
import ctypes, json, sys
import pypdfium2.raw as c
info = c.FPDF_SYSFONTINFO()
info.version = 1
fields, keep = dict(c.FPDF_SYSFONTINFO._fields_), []
for name, fn in (("Release", lambda *a: None), ("EnumFonts", lambda *a: None), ("MapFont", lambda *a: None),
                 ("GetFont", lambda *a: None), ("GetFontData", lambda *a: 0), ("GetFaceName", lambda *a: 0),
                 ("GetFontCharset", lambda *a: 0), ("DeleteFont", lambda *a: None)):
    keep.append(fields[name](fn))
    setattr(info, name, keep[-1])
c.FPDF_SetSystemFontInfo(ctypes.byref(info))
import pypdfium2 as pdfium
from pipeline.readers import read
out = {}
for path in sys.argv[1:]:
    pdf = pdfium.PdfDocument(path)
    unmeasured = sum(1 for i in range(len(pdf)) for o in pdf[i].get_objects(filter=[c.FPDF_PAGEOBJ_TEXT])
                     if o.get_bounds()[2] - o.get_bounds()[0] < 0.01)
    out[path] = {"text": read(path).text, "unmeasured": unmeasured}
print(json.dumps(out, ensure_ascii=False))
'''


def test_text_does_not_depend_on_the_machines_fonts(tmp_path, root):
    """A roster whose surname sits alone in its cell, and a wrapped line's last character alone on
    the next line, are one-character text objects: pdfium drops them when no system font has the
    glyphs of the PDF's non-embedded font (STSong-Light). The reader reads them from the PDF's own
    encoding, so the text is the same with and without fonts."""
    import json
    import subprocess
    import sys

    notice = NOTICE_A.replace("吴  烁  区生态环境分局局长", "谭 颖（区生态环境分局局长）")
    notice = notice.replace("李建国  副区长", "周 建（副区长）")  # a surname alone in the name cell
    notice = notice.replace("现将有关事项通知如下：", "现将有关事项通知如下，请认真贯彻落实执行")  # wraps: "行" alone
    f = tmp_path / "roster.pdf"
    write_pdf(notice, f)
    twin = root / "corpora" / "formats" / "pdf" / "020_linyue_dianti.pdf"
    paths = [str(f)] + ([str(twin)] if twin.exists() else [])
    res = subprocess.run([sys.executable, "-c", NO_FONTS, *paths], capture_output=True, text=True, timeout=300,
                         cwd=root)
    assert res.returncode == 0, res.stderr[-2000:]
    hidden = json.loads(res.stdout)
    assert hidden[str(f)]["unmeasured"] > 0  # the fonts really were hidden: pdfium could not measure them
    for path in paths:
        assert hidden[path]["text"] == read(path).text, path
    text = hidden[str(f)]["text"]
    assert "谭" in text and "周" in text
