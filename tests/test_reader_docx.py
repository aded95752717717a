"""The .docx reader: document order, Word's automatic numbering, tables, hints, what is left out,
bad files; and the docx_writer round trip (text → .docx → Blocks → the same text)."""
from __future__ import annotations

import gc
import hashlib
import re
import weakref
import zipfile

import docx
import pytest
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.shared import Pt

from corpora.tools.docx_writer import write_docx
from pipeline.readers.document import ReadError
from pipeline.readers import read
from pipeline.readers.docx import format_number, read_docx

NS = ('xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
      'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
      'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
      'xmlns:v="urn:schemas-microsoft-com:vml"')

NOTICE_A = """
青政办发〔2024〕7号

关于印发《青原区城乡环境综合整治三年行动实施方案》的通知

各乡镇人民政府，区直各单位：
    现将《青原区城乡环境综合整治三年行动实施方案》印发给你们，请认真组织实施。
                                  青原区人民政府办公室
                                    2024年3月15日

青原区城乡环境综合整治三年行动实施方案
为持续改善城乡人居环境，提升群众获得感和幸福感，结合我区实际，制定本方案。
一、总体要求
（一）指导思想
以习近平新时代中国特色社会主义思想为指导，坚持以人民为中心的发展思想。
（二）工作目标
到2026年底，全区城乡环境面貌明显改观，长效管护机制基本建立。
二、重点任务
（一）开展垃圾治理
1.完善收运体系。2024年6月底前实现农村生活垃圾收运处置体系全覆盖。
2.推进分类减量。在城区试点生活垃圾分类，逐步向乡镇推开。
（1）建设分类投放点不少于200个。
（2）培育垃圾分类示范小区10个。
3.整治非正规垃圾堆放点。
（二）开展污水治理
1.加快管网建设。新建改造污水管网30公里。
2.加强设施运维。
三、保障措施
（一）加强组织领导。成立区城乡环境综合整治工作领导小组，组成人员如下：
组    长：李明华  区长
副 组 长：王  刚  副区长
张晓峰  区政府办主任
成    员：刘  洋  区住建局局长
陈思远  区生态环境分局局长
领导小组办公室设在区住建局，刘洋同志兼任办公室主任。
（二）强化资金保障。区财政每年安排专项资金不少于500万元。
（三）严格督查考核。将整治工作纳入年度综合考核。
附件：青原区城乡环境综合整治任务分解表

附件
青原区城乡环境综合整治任务分解表
一、垃圾治理任务
由区城管局牵头，各乡镇配合，2024年底前完成。
二、污水治理任务
由区住建局牵头，2025年底前完成。
"""

NOTICE_B = """
临安区人民政府安全生产委员会
临安区安全生产大排查大整治专项行动方案
为深刻吸取近期事故教训，全面排查整治各类安全隐患，坚决遏制重特大事故发生，制定本方案。
一、整治范围
（一）危险化学品生产、储存、使用企业。
（二）建筑施工工地。
（三）道路交通运输企业。
（四）商场、宾馆等人员密集场所。
（五）燃气经营和使用单位。
（六）消防安全重点单位。
（七）特种设备使用单位。
（八）工贸行业企业。
（九）水上交通和渔业船舶。
（十）旅游景区。
（十一）其他需要排查的行业领域。
二、组织机构
成立专项行动指挥部，组成人员如下：
指 挥 长：周建国  区长
副指挥长：吴  芳  副区长
郑海涛  区应急管理局局长
成    员：孙  磊  区公安分局副局长
钱  进  区交通运输局副局长
指挥部办公室设在区应急管理局。
三、工作步骤
1、动员部署阶段（4月1日至4月10日）。各单位制定具体方案，明确责任人。
2、排查整治阶段（4月11日至8月31日）。
(1)企业自查。企业对照清单全面自查，建立隐患台账。
(2)部门检查。行业主管部门开展全覆盖检查。
(3)重点督查。区安委办组织抽查，对问题突出的单位挂牌督办。
3、总结提升阶段（9月1日至9月30日）。
五、工作要求
（一）加强组织领导。各单位主要负责人是第一责任人。
（二）严格执法问责。对排查不力的单位严肃追责。
① 隐患整改不到位的，依法处罚。
② 发生事故的，依法追究责任。
临安区人民政府安全生产委员会
二〇二四年三月二十八日
"""


def _nows(s: str) -> str:
    return re.sub(r"\s", "", s)


def _blocks(path):
    return read(path).blocks


# --- raw python-docx helpers ----------------------------------------------------------------------

def _lvl(ilvl: int, fmt: str, text: str, start: int = 1, extra: str = "") -> str:
    return (f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/>{extra}'
            f'<w:lvlText w:val="{text}"/></w:lvl>')


def _add_list(doc, abstract_id: int, levels: str, nums: dict[int, str], head: str = "") -> None:
    """An abstractNum with ``levels`` and, per numId in ``nums``, a w:num (its value: lvlOverride XML)."""
    root = doc.part.numbering_part.element
    abstract = parse_xml(f'<w:abstractNum {NS} w:abstractNumId="{abstract_id}">{head}{levels}</w:abstractNum>')
    first_num = root.find(qn("w:num"))
    first_num.addprevious(abstract)
    for num_id, overrides in nums.items():
        root.append(parse_xml(f'<w:num {NS} w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/>'
                              f'{overrides}</w:num>'))


def _numbered(doc, text: str, num_id: int | None, ilvl: int | None = 0, style: str | None = None):
    p = doc.add_paragraph(text, style=style)
    if num_id is not None:
        numpr = p._p.get_or_add_pPr().get_or_add_numPr()
        if ilvl is not None:
            numpr.get_or_add_ilvl().val = ilvl
        numpr.get_or_add_numId().val = num_id
    return p


def _labels(path) -> list[str | None]:
    return [b.list_label for b in _blocks(path)]


# --- order, tables, breaks, hints -----------------------------------------------------------------

def test_paragraphs_and_tables_in_document_order(tmp_path):
    doc = docx.Document()
    doc.add_paragraph("第一段")
    table = doc.add_table(rows=1, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "甲", "乙"
    doc.add_paragraph("第二段")
    doc.add_table(rows=1, cols=2).cell(0, 0).text = "丙"
    doc.add_paragraph("   ")  # blank: skipped
    doc.add_paragraph("第三段")
    doc.save(tmp_path / "a.docx")
    d = read(tmp_path / "a.docx")
    assert d.format == "docx" and d.pages is None and len(d.sha256) == 64
    assert [(b.kind, b.text) for b in d.blocks] == [
        ("para", "第一段"), ("table_row", "甲\t乙"), ("para", "第二段"), ("table_row", "丙\t"), ("para", "第三段")]
    assert all(b.page is None for b in d.blocks)


def test_table_cells_merged_joined_nested(tmp_path):
    doc = docx.Document()
    t = doc.add_table(rows=3, cols=3)
    t.cell(0, 0).merge(t.cell(0, 1)).text = "跨两列"
    t.cell(0, 2).text = "丙"
    t.cell(1, 0).merge(t.cell(2, 0)).text = "跨两行"
    cell = t.cell(1, 1)
    cell.text = "第一段"
    cell.add_paragraph("第二段")
    t.cell(1, 2).text = "word"
    t.cell(1, 2).add_paragraph("wrap")
    nested = t.cell(2, 1).add_table(rows=1, cols=2)
    nested.cell(0, 0).text, nested.cell(0, 1).text = "内甲", "内乙"
    t.cell(2, 2).text = "末"
    doc.save(tmp_path / "t.docx")
    rows = _blocks(tmp_path / "t.docx")
    assert all(b.kind == "table_row" for b in rows)
    assert [b.cells for b in rows] == [["跨两列", "丙"], ["跨两行", "第一段第二段", "word wrap"], ["", "内甲内乙", "末"]]
    assert rows[1].text == "跨两行\t第一段第二段\tword wrap"


def test_content_controls_around_paragraphs_rows_and_cells_are_looked_through(tmp_path):
    doc = docx.Document()
    doc.add_paragraph("前")
    body = doc.element.body
    t = doc.add_table(rows=2, cols=2)
    t.cell(0, 0).text, t.cell(0, 1).text, t.cell(1, 0).text, t.cell(1, 1).text = "甲", "乙", "丙", "丁"
    tr = t._tbl.tr_lst[1]
    wrap_row = parse_xml(f"<w:sdt {NS}><w:sdtContent/></w:sdt>")
    tr.addprevious(wrap_row)
    wrap_row[0].append(tr)  # the second row inside a content control
    tc = t._tbl.tr_lst[0].tc_lst[1]
    wrap_cell = parse_xml(f"<w:sdt {NS}><w:sdtContent/></w:sdt>")
    tc.addprevious(wrap_cell)
    wrap_cell[0].append(tc)  # and a cell of the first
    body.insert(len(body) - 1, parse_xml(
        f"<w:sdt {NS}><w:sdtContent><w:p><w:r><w:t>控件内段落</w:t></w:r></w:p></w:sdtContent></w:sdt>"))
    doc.save(tmp_path / "c.docx")
    assert [(b.kind, b.text) for b in _blocks(tmp_path / "c.docx")] == [
        ("para", "前"), ("table_row", "甲\t乙"), ("table_row", "丙\t丁"), ("para", "控件内段落")]


def test_single_cell_rows_are_read_as_paragraphs(tmp_path):
    doc = docx.Document()
    frame = doc.add_table(rows=1, cols=1).cell(0, 0)
    frame.text = "一、框内标题"
    frame.add_paragraph("框内正文。")
    doc.save(tmp_path / "f.docx")
    assert [(b.kind, b.text) for b in _blocks(tmp_path / "f.docx")] == [("para", "一、框内标题"), ("para", "框内正文。")]


def test_soft_breaks_and_tabs(tmp_path):
    doc = docx.Document()
    p = doc.add_paragraph()
    p.add_run("关于开展安全生产").add_break()
    p.add_run("大检查的通知")
    p = doc.add_paragraph()
    p.add_run("Safety").add_break()
    p.add_run("first 2024")
    doc.add_paragraph("组长：\t王某")
    doc.save(tmp_path / "b.docx")
    assert [b.text for b in _blocks(tmp_path / "b.docx")] == ["关于开展安全生产大检查的通知", "Safety first 2024", "组长：\t王某"]


def test_spaces_kept_as_written(tmp_path):
    doc = docx.Document()
    doc.add_paragraph("组\u3000\u3000长：王  某")
    doc.save(tmp_path / "s.docx")
    assert _blocks(tmp_path / "s.docx")[0].text == "组\u3000\u3000长：王  某"


def test_layout_hints_direct_and_from_styles(tmp_path):
    doc = docx.Document()
    title_style = doc.styles.add_style("公文标题", WD_STYLE_TYPE.PARAGRAPH)
    title_style.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title_style.font.bold = True
    title_style.font.size = Pt(22)
    sub_style = doc.styles.add_style("副标题", WD_STYLE_TYPE.PARAGRAPH)
    sub_style.base_style = title_style  # inherits centred, bold and 22 pt through basedOn
    strong = doc.styles.add_style("强调", WD_STYLE_TYPE.CHARACTER)
    strong.font.bold = True
    doc.add_paragraph("标题", style="公文标题")
    doc.add_paragraph("副标题", style="副标题")
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    r = p.add_run("直接")
    r.bold, r.font.size = True, Pt(16)
    p.add_run(" ")  # a blank run does not count against "all bold"
    p.add_run("加粗", style="强调").font.size = Pt(18)
    p = doc.add_paragraph()
    p.add_run("部分").bold = True
    p.add_run("加粗")
    p = doc.add_paragraph("取消加粗", style="公文标题")
    p.runs[0].bold = False
    doc.save(tmp_path / "h.docx")
    hints = [(b.text, b.centered, b.bold, b.size) for b in _blocks(tmp_path / "h.docx")]
    assert hints == [("标题", True, True, 22.0), ("副标题", True, True, 22.0), ("直接 加粗", True, True, 18.0),
                     ("部分加粗", False, False, 11.0), ("取消加粗", True, False, 22.0)]


# --- what is left out ----------------------------------------------------------------------------

def test_header_footer_and_page_field_left_out(tmp_path):
    doc = docx.Document()
    doc.sections[0].header.paragraphs[0].text = "页眉里的机关名称"
    footer = doc.sections[0].footer.paragraphs[0]
    footer.text = "第1页"
    footer._p.append(parse_xml(f'<w:fldSimple {NS} w:instr=" PAGE "><w:r><w:t>1</w:t></w:r></w:fldSimple>'))
    doc.add_paragraph("正文")
    doc.save(tmp_path / "hf.docx")
    assert [b.text for b in _blocks(tmp_path / "hf.docx")] == ["正文"]


def test_writer_header_and_footer_not_read(tmp_path):
    write_docx(NOTICE_B, tmp_path / "b.docx")
    with zipfile.ZipFile(tmp_path / "b.docx") as z:
        footer = next(z.read(n).decode() for n in z.namelist() if n.startswith("word/footer"))
        header = next(z.read(n).decode() for n in z.namelist() if n.startswith("word/header"))
    assert "PAGE" in footer and "临安区人民政府安全生产委员会" in header
    texts = [b.text for b in _blocks(tmp_path / "b.docx")]
    assert not any("—" in t for t in texts)
    assert texts.count("临安区人民政府安全生产委员会") == 2  # the title line and the signature, not the header


def test_deleted_hidden_and_field_codes_left_out(tmp_path):
    doc = docx.Document()
    p = doc.add_paragraph()
    p.add_run("保留")
    p._p.append(parse_xml(f'<w:del {NS} w:id="1" w:author="a"><w:r><w:delText>删除的</w:delText></w:r></w:del>'))
    p._p.append(parse_xml(f'<w:ins {NS} w:id="2" w:author="a"><w:r><w:t>插入的</w:t></w:r></w:ins>'))
    p.add_run("隐藏的").font.hidden = True
    for xml in ('<w:fldChar w:fldCharType="begin"/>', '<w:instrText> DATE \\@ "yyyy年M月d日" </w:instrText>',
                '<w:fldChar w:fldCharType="separate"/>', "<w:t>2024年3月1日</w:t>", '<w:fldChar w:fldCharType="end"/>'):
        p._p.append(parse_xml(f"<w:r {NS}>{xml}</w:r>"))
    doc.save(tmp_path / "d.docx")
    assert [b.text for b in _blocks(tmp_path / "d.docx")] == ["保留插入的2024年3月1日"]


def test_text_box_read_once_after_its_paragraph(tmp_path):
    doc = docx.Document()
    box = '<w:txbxContent><w:p><w:r><w:t>框内文字</w:t></w:r></w:p></w:txbxContent>'
    p = doc.add_paragraph("锚定段落")
    p._p.append(parse_xml(
        f'<w:r {NS}><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wps:wsp><wps:txbx>{box}'
        f'</wps:txbx></wps:wsp></w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox>{box}'
        f'</v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>'))
    doc.add_paragraph("下一段")
    doc.save(tmp_path / "x.docx")
    assert [b.text for b in _blocks(tmp_path / "x.docx")] == ["锚定段落", "框内文字", "下一段"]


# --- automatic numbering -------------------------------------------------------------------------

FORMAT_CASES = [  # numFmt, lvlText, {position in the list: label}
    ("decimal", "%1.", {1: "1.", 2: "2.", 10: "10.", 21: "21."}),
    ("decimal", "%1)", {1: "1)", 3: "3)"}),
    ("decimal", "第%1条", {1: "第1条", 12: "第12条"}),
    ("decimalZero", "%1.", {1: "01.", 10: "10."}),
    ("chineseCounting", "%1、", {1: "一、", 2: "二、", 10: "十、", 11: "十一、", 19: "十九、", 20: "二十、", 21: "二十一、"}),
    ("chineseCounting", "（%1）", {1: "（一）", 11: "（十一）"}),
    ("chineseCounting", "第%1条", {3: "第三条", 21: "第二十一条"}),
    ("chineseCountingThousand", "%1、", {1: "一、", 10: "十、", 11: "十一、", 20: "二十、"}),
    ("chineseLegalSimplified", "%1、", {1: "壹、", 3: "叁、", 10: "壹拾、", 11: "壹拾壹、", 20: "贰拾、"}),
    ("ideographTraditional", "%1、", {1: "甲、", 2: "乙、", 10: "癸、"}),
    ("ideographZodiac", "%1、", {1: "子、", 2: "丑、", 12: "亥、"}),
    ("ideographDigital", "%1、", {2: "二、", 9: "九、"}),
    ("decimalEnclosedCircle", "%1", {1: "①", 2: "②", 20: "⑳", 21: "21"}),
    ("decimalEnclosedCircleChinese", "%1", {1: "①", 10: "⑩"}),
    ("decimalEnclosedParen", "%1", {1: "⑴", 20: "⒇"}),
    ("decimalEnclosedFullstop", "%1", {1: "⒈", 3: "⒊"}),
    ("decimalFullWidth", "%1．", {1: "１．", 12: "１２．"}),
    ("lowerLetter", "%1)", {1: "a)", 26: "z)", 27: "aa)"}),
    ("upperLetter", "%1.", {2: "B."}),
    ("lowerRoman", "%1.", {4: "iv.", 9: "ix.", 14: "xiv."}),
    ("upperRoman", "(%1)", {1: "(I)", 12: "(XII)"}),
]


@pytest.mark.parametrize("fmt,text,expected", FORMAT_CASES)
def test_number_formats(tmp_path, fmt, text, expected):
    doc = docx.Document()
    _add_list(doc, 100, _lvl(0, fmt, text), {100: ""})
    for i in range(max(expected)):
        _numbered(doc, f"条目{i + 1}", 100)
    doc.save(tmp_path / "n.docx")
    blocks = _blocks(tmp_path / "n.docx")
    for position, label in expected.items():
        b = blocks[position - 1]
        assert (b.kind, b.list_label, b.text) == ("list_item", label, f"{label}条目{position}")


def test_format_number_large_chinese():
    assert [format_number(n, "chineseCounting") for n in (100, 101, 110, 1010)] == ["一百", "一百零一", "一百一十", "一千零一十"]
    assert format_number(101, "chineseLegalSimplified") == "壹佰零壹"
    assert format_number(3, "someFutureFormat") == "3"


def test_bullets_and_none_render_no_label(tmp_path):
    doc = docx.Document()
    _add_list(doc, 100, _lvl(0, "bullet", "\u2022"), {100: ""})
    _add_list(doc, 101, _lvl(0, "none", "%1"), {101: ""})
    _numbered(doc, "圆点条目", 100)
    _numbered(doc, "无编号条目", 101)
    doc.save(tmp_path / "b.docx")
    assert [(b.kind, b.list_label, b.text) for b in _blocks(tmp_path / "b.docx")] == [
        ("para", None, "圆点条目"), ("para", None, "无编号条目")]


def test_suffix_space_only_after_an_ascii_label(tmp_path):
    doc = docx.Document()
    space = '<w:suff w:val="space"/>'
    levels = _lvl(0, "decimal", "%1.", extra=space) + _lvl(1, "chineseCounting", "（%2）", extra=space)
    _add_list(doc, 100, levels, {100: ""})
    _numbered(doc, "Scope", 100)
    _numbered(doc, "范围", 100, ilvl=1)
    doc.save(tmp_path / "s.docx")
    assert [b.text for b in _blocks(tmp_path / "s.docx")] == ["1. Scope", "（一）范围"]


def test_multilevel_text_and_sublevel_restart(tmp_path):
    doc = docx.Document()
    levels = _lvl(0, "decimal", "%1.") + _lvl(1, "decimal", "%1.%2") + _lvl(2, "decimal", "%1.%2.%3")
    _add_list(doc, 100, levels, {100: ""})
    for ilvl in (0, 1, 1, 2, 2, 1, 2, 0, 1, 2):
        _numbered(doc, "项", 100, ilvl=ilvl)
    doc.save(tmp_path / "m.docx")
    assert _labels(tmp_path / "m.docx") == ["1.", "1.1", "1.2", "1.2.1", "1.2.2", "1.3", "1.3.1", "2.", "2.1", "2.1.1"]


def test_skipped_level_shows_zero_as_word_does(tmp_path):
    doc = docx.Document()
    levels = _lvl(0, "decimal", "%1.") + _lvl(1, "decimal", "%1.%2") + _lvl(2, "decimal", "%1.%2.%3")
    _add_list(doc, 100, levels, {100: ""})
    for ilvl in (1, 0, 2, 1):
        _numbered(doc, "项", 100, ilvl=ilvl)
    doc.save(tmp_path / "z.docx")
    assert _labels(tmp_path / "z.docx") == ["0.1", "1.", "1.0.1", "1.1"]


def test_chinese_heading_levels_restart_under_each_heading(tmp_path):
    doc = docx.Document()
    _add_list(doc, 100, _lvl(0, "chineseCounting", "%1、") + _lvl(1, "chineseCounting", "（%2）")
              + _lvl(2, "decimal", "%3.") + _lvl(3, "decimal", "（%4）"), {100: ""})
    for ilvl in (0, 1, 2, 3, 3, 2, 1, 2, 0, 1, 2, 3):
        _numbered(doc, "项", 100, ilvl=ilvl)
    doc.save(tmp_path / "c.docx")
    assert _labels(tmp_path / "c.docx") == ["一、", "（一）", "1.", "（1）", "（2）", "2.", "（二）", "1.",
                                             "二、", "（一）", "1.", "（1）"]


def test_lvl_restart_zero_keeps_counting_and_is_lgl(tmp_path):
    doc = docx.Document()
    levels = (_lvl(0, "chineseCounting", "%1、") + _lvl(1, "decimal", "（%2）", extra='<w:lvlRestart w:val="0"/>')
              + _lvl(2, "decimal", "%1.%3", extra="<w:isLgl/>"))
    _add_list(doc, 100, levels, {100: ""})
    for ilvl in (0, 1, 1, 0, 1, 2):
        _numbered(doc, "项", 100, ilvl=ilvl)
    doc.save(tmp_path / "r.docx")
    assert _labels(tmp_path / "r.docx") == ["一、", "（1）", "（2）", "二、", "（3）", "2.1"]


def test_start_value_start_override_and_shared_counters(tmp_path):
    doc = docx.Document()
    override = '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="{}"/></w:lvlOverride>'
    nums = {100: "", 101: "", 102: override.format(1), 103: override.format(7)}
    _add_list(doc, 100, _lvl(0, "decimal", "%1.", start=3), nums)
    for num_id in (100, 100, 101, 102, 102, 100, 103):
        _numbered(doc, "项", num_id)
    doc.save(tmp_path / "o.docx")
    # 101 continues 100 (same abstractNum); 102 and 103 restart at their override and count on their own
    assert _labels(tmp_path / "o.docx") == ["3.", "4.", "5.", "1.", "2.", "6.", "7."]


def test_numbering_through_paragraph_style(tmp_path):
    doc = docx.Document()
    levels = (_lvl(0, "chineseCounting", "%1、", extra='<w:pStyle w:val="Level1"/>')
              + _lvl(1, "chineseCounting", "（%2）", extra='<w:pStyle w:val="Level2"/>') + _lvl(2, "decimal", "%3."))
    _add_list(doc, 100, levels, {100: ""})
    base = doc.styles.add_style("Level Base", WD_STYLE_TYPE.PARAGRAPH)
    base.element.get_or_add_pPr().get_or_add_numPr().get_or_add_numId().val = 100
    for name in ("Level1", "Level2", "Level3"):
        style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = base  # numId inherited through basedOn; the level from the lvl's w:pStyle
    doc.styles["Level3"].element.get_or_add_pPr().get_or_add_numPr().get_or_add_ilvl().val = 2  # or the style's ilvl
    _numbered(doc, "总体要求", None, style="Level1")
    _numbered(doc, "指导思想", None, style="Level2")
    _numbered(doc, "不编号", 0, style="Level2")  # numId 0 switches the style's numbering off
    _numbered(doc, "工作目标", None, style="Level2")
    _numbered(doc, "具体任务", None, style="Level3")
    _numbered(doc, "重点任务", None, style="Level1")
    doc.save(tmp_path / "st.docx")
    assert [b.text for b in _blocks(tmp_path / "st.docx")] == [
        "一、总体要求", "（一）指导思想", "不编号", "（二）工作目标", "1.具体任务", "二、重点任务"]


def test_num_style_link_indirection(tmp_path):
    doc = docx.Document()
    _add_list(doc, 100, _lvl(0, "chineseLegalSimplified", "%1、"), {100: ""}, head='<w:styleLink w:val="OurList"/>')
    _add_list(doc, 101, "", {101: ""}, head='<w:numStyleLink w:val="OurList"/>')
    list_style = doc.styles.add_style("OurList", WD_STYLE_TYPE.LIST)
    list_style.element.get_or_add_pPr().get_or_add_numPr().get_or_add_numId().val = 100
    for num_id in (101, 101, 100):
        _numbered(doc, "项", num_id)
    doc.save(tmp_path / "l.docx")
    assert _labels(tmp_path / "l.docx") == ["壹、", "贰、", "叁、"]


def test_numbered_empty_paragraph_shows_its_number(tmp_path):
    doc = docx.Document()
    _add_list(doc, 100, _lvl(0, "chineseCounting", "%1、"), {100: ""})
    _numbered(doc, "甲", 100)
    _numbered(doc, "", 100)
    _numbered(doc, "丙", 100)
    doc.save(tmp_path / "e.docx")
    assert [b.text for b in _blocks(tmp_path / "e.docx")] == ["一、甲", "二、", "三、丙"]


# --- bad files -----------------------------------------------------------------------------------

def _truncated(tmp_path):
    write_docx(NOTICE_A, tmp_path / "full.docx")
    data = (tmp_path / "full.docx").read_bytes()
    (tmp_path / "bad.docx").write_bytes(data[: len(data) // 2])


def _no_document_xml(tmp_path):
    with zipfile.ZipFile(tmp_path / "bad.docx", "w") as z:
        z.writestr("word/styles.xml", "<x/>")


def _plain_text(tmp_path):
    (tmp_path / "bad.docx").write_text("关于开展安全生产大检查的通知\n", encoding="utf-8")


def _empty(tmp_path):
    (tmp_path / "bad.docx").write_bytes(b"")


def _encrypted(tmp_path):  # a password-protected .docx is an OLE compound file
    (tmp_path / "bad.docx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 4000)


def _broken_xml(tmp_path):
    doc = docx.Document()
    doc.add_paragraph("正文")
    doc.save(tmp_path / "ok.docx")
    with zipfile.ZipFile(tmp_path / "ok.docx") as src, zipfile.ZipFile(tmp_path / "bad.docx", "w") as dst:
        for name in src.namelist():
            data = src.read(name)
            dst.writestr(name, data[: len(data) // 2] if name == "word/document.xml" else data)


def _bad_crc(tmp_path):
    doc = docx.Document()
    doc.add_paragraph("正文" * 50)
    doc.save(tmp_path / "ok.docx")
    with zipfile.ZipFile(tmp_path / "ok.docx") as src, zipfile.ZipFile(tmp_path / "bad.docx", "w") as dst:  # stored
        for name in src.namelist():
            dst.writestr(name, src.read(name))
    data = bytearray((tmp_path / "bad.docx").read_bytes())
    at = data.index("正文".encode())
    data[at:at + 3] = "错".encode()  # same length, so only the CRC notices
    (tmp_path / "bad.docx").write_bytes(bytes(data))


@pytest.mark.parametrize("make,reason", [
    (_truncated, "corrupt"), (_no_document_xml, "zip"), (_plain_text, "plain text"), (_empty, "empty"),
    (_encrypted, "Word 97"), (_broken_xml, "word/document.xml is not valid XML"),
    (_bad_crc, "word/document.xml cannot be unpacked"),
])
def test_bad_files_give_one_line_read_errors(tmp_path, make, reason):
    make(tmp_path)
    with pytest.raises(ReadError) as err:
        read(tmp_path / "bad.docx")
    message = str(err.value)
    assert "\n" not in message and "bad.docx" in message and reason in message


def test_read_docx_itself_reports_a_broken_zip(tmp_path):
    _truncated(tmp_path)
    with pytest.raises(ReadError, match="broken zip"):
        read_docx(tmp_path / "bad.docx")


def test_strict_open_xml_is_read(tmp_path):
    doc = docx.Document()
    doc.add_paragraph("严格格式")
    doc.save(tmp_path / "ok.docx")
    strict = b"http://purl.oclc.org/ooxml/wordprocessingml/main"
    transitional = b"http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    with zipfile.ZipFile(tmp_path / "ok.docx") as src, zipfile.ZipFile(tmp_path / "s.docx", "w") as dst:
        for name in src.namelist():
            dst.writestr(name, src.read(name).replace(transitional, strict))
    assert [b.text for b in _blocks(tmp_path / "s.docx")] == ["严格格式"]


def _repack(src, dst, change) -> None:
    """Copy the package ``src`` to ``dst``, each member through ``change(name, data)`` → (name, data) or None."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for name in zin.namelist():
            out = change(name, zin.read(name))
            if out is not None:
                zout.writestr(*out)


def _word_online(name, data):  # Word Online names its main part word/document2.xml
    return name.replace("document.xml", "document2.xml"), data.replace(b"/document.xml", b"/document2.xml")


def _template(name, data):  # a .dotx: another content type for the main part
    return name, data.replace(b"wordprocessingml.document.main+xml", b"wordprocessingml.template.main+xml")


def _no_content_types(name, data):  # the parts are found by relationship, as Word finds them
    return None if name == "[Content_Types].xml" else (name, data)


def _no_package_rels(name, data):  # the main part where Word puts it
    return None if name == "_rels/.rels" else (name, data)


def _strict_everywhere(name, data):  # Strict Open XML: relationship types and the w: namespace
    for strict, transitional in ((b"http://purl.oclc.org/ooxml/wordprocessingml/main",
                                  b"http://schemas.openxmlformats.org/wordprocessingml/2006/main"),
                                 (b"http://purl.oclc.org/ooxml/officeDocument/relationships",
                                  b"http://schemas.openxmlformats.org/officeDocument/2006/relationships")):
        data = data.replace(transitional, strict)
    return name, data


def _external_styles(name, data):  # an external relationship is not a part: no styles, still read
    return name, data.replace(b'Target="styles.xml"', b'Target="http://example.com/styles.xml" TargetMode="External"')


@pytest.mark.parametrize("change", [_word_online, _template, _no_content_types, _no_package_rels, _strict_everywhere,
                                    _external_styles])
def test_package_variants_are_read(tmp_path, change):
    doc = docx.Document()
    doc.add_paragraph("一、总体要求", style="Heading 1").alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.add_paragraph("正文")
    doc.save(tmp_path / "ok.docx")
    _repack(tmp_path / "ok.docx", tmp_path / "v.docx", change)
    blocks = read_docx(tmp_path / "v.docx").blocks
    assert [(b.text, b.centered) for b in blocks] == [("一、总体要求", True), ("正文", False)]
    assert (blocks[0].bold, blocks[0].size) == ((True, 14.0) if change is not _external_styles else (False, None))


def test_parts_the_reader_does_not_read_are_never_unpacked(tmp_path):
    """A broken image (or one too large) does not stop the text being read: python-docx would unpack it."""
    doc = docx.Document()
    doc.add_paragraph("正文")
    doc.save(tmp_path / "ok.docx")
    image = b"\x89PNG" + b"\0" * 200
    rel = (b'<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"'
           b' Target="media/image1.png"/></Relationships>')
    with zipfile.ZipFile(tmp_path / "ok.docx") as src, zipfile.ZipFile(tmp_path / "img.docx", "w") as dst:
        for name in src.namelist():
            data = src.read(name)
            dst.writestr(name, data.replace(b"</Relationships>", rel) if name == "word/_rels/document.xml.rels" else data)
        dst.writestr("word/media/image1.png", image)  # stored: its bytes sit in the file as they are
    data = bytearray((tmp_path / "img.docx").read_bytes())
    at = data.index(image)
    data[at + 10] = 1  # same length, so only the CRC notices
    (tmp_path / "img.docx").write_bytes(bytes(data))
    with zipfile.ZipFile(tmp_path / "img.docx") as z, pytest.raises(zipfile.BadZipFile):
        z.read("word/media/image1.png")
    assert [b.text for b in read_docx(tmp_path / "img.docx").blocks] == ["正文"]


def test_package_graph_is_freed_when_the_read_ends(tmp_path):
    """python-docx's parts and relationships form cycles; left to the garbage collector, their XML
    trees pile up in a long batch (a full collection is rare beside spaCy's objects)."""
    from pipeline.readers.docx import _open, _release

    write_docx(NOTICE_A, tmp_path / "n.docx")
    part, parts = _open(tmp_path / "n.docx")
    refs = [weakref.ref(p) for p in parts] + [weakref.ref(part.package)]
    gc.disable()
    try:
        _release(part.package, parts)
        del part, parts
        assert all(ref() is None for ref in refs)
    finally:
        gc.enable()


def test_broken_relationships_give_one_line_read_errors(tmp_path):
    doc = docx.Document()
    doc.add_paragraph("正文")
    doc.save(tmp_path / "ok.docx")
    _repack(tmp_path / "ok.docx", tmp_path / "a.docx",
            lambda n, d: (n, d.replace(b'Target="styles.xml"', b"") if n == "word/_rels/document.xml.rels" else d))
    with pytest.raises(ReadError, match="word/_rels/document.xml.rels has a relationship without a target"):
        read_docx(tmp_path / "a.docx")
    _repack(tmp_path / "ok.docx", tmp_path / "b.docx",
            lambda n, d: (n, d[:40] if n == "word/_rels/document.xml.rels" else d))
    with pytest.raises(ReadError, match="word/_rels/document.xml.rels is not valid XML"):
        read_docx(tmp_path / "b.docx")
    _repack(tmp_path / "ok.docx", tmp_path / "c.docx", lambda n, d: None if n == "word/document.xml" else (n, d))
    with pytest.raises(ReadError, match="not a Word document: word/document.xml is missing"):
        read_docx(tmp_path / "c.docx")


# --- docx_writer round trip ----------------------------------------------------------------------

@pytest.mark.parametrize("text", [NOTICE_A, NOTICE_B], ids=["A", "B"])
def test_writer_round_trip(tmp_path, text):
    write_docx(text, tmp_path / "n.docx")
    blocks = _blocks(tmp_path / "n.docx")
    lines = [ln for ln in text.splitlines() if ln.strip()]
    assert [_nows(b.text) for b in blocks] == [_nows(ln) for ln in lines]
    for b, ln in zip(blocks, lines):
        if b.kind == "table_row":  # a roster line: role | name | title
            assert len(b.cells) == 3 and b.text == "\t".join(b.cells)
        elif b.kind == "list_item":
            assert ln.strip().startswith(b.list_label) and b.text.startswith(b.list_label)


def test_writer_uses_automatic_numbering_and_tables(tmp_path):
    write_docx(NOTICE_A, tmp_path / "a.docx")
    with zipfile.ZipFile(tmp_path / "a.docx") as z:
        xml = z.read("word/document.xml").decode()
    assert "总体要求" in xml and "一、总体要求" not in xml and "（一）指导思想" not in xml
    blocks = _blocks(tmp_path / "a.docx")
    labels = [b.list_label for b in blocks if b.kind == "list_item"]
    assert labels == ["一、", "（一）", "（二）", "二、", "（一）", "1.", "2.", "（1）", "（2）", "3.", "（二）", "1.", "2.",
                      "三、", "（一）", "（二）", "（三）", "一、", "二、"]  # the attachment's list starts again
    rows = [b.cells for b in blocks if b.kind == "table_row"]
    assert rows == [["组    长：", "李明华", "区长"], ["副 组 长：", "王  刚", "副区长"], ["", "张晓峰", "区政府办主任"],
                    ["成    员：", "刘  洋", "区住建局局长"], ["", "陈思远", "区生态环境分局局长"]]
    by_text = {b.text: b for b in blocks}
    title = by_text["青原区城乡环境综合整治三年行动实施方案"]
    assert (title.centered, title.bold, title.size) == (True, True, 22.0)
    assert by_text["青政办发〔2024〕7号"].centered
    body = by_text["为持续改善城乡人居环境，提升群众获得感和幸福感，结合我区实际，制定本方案。"]
    assert (body.centered, body.bold, body.size) == (False, False, 16.0)


def test_writer_keeps_numbers_automatic_numbering_would_change(tmp_path):
    write_docx(NOTICE_B, tmp_path / "b.docx")
    blocks = {b.text: b for b in _blocks(tmp_path / "b.docx")}
    assert blocks["（十一）其他需要排查的行业领域。"].list_label == "（十一）"
    assert blocks["1、动员部署阶段（4月1日至4月10日）。各单位制定具体方案，明确责任人。"].list_label == "1、"
    assert blocks["(2)部门检查。行业主管部门开展全覆盖检查。"].list_label == "(2)"
    assert blocks["五、工作要求"].kind == "para"  # 四、 is skipped: Word would print 四、
    assert blocks["（一）加强组织领导。各单位主要负责人是第一责任人。"].list_label == "（一）"
    assert blocks["① 隐患整改不到位的，依法处罚。"].kind == "para"


def test_writer_is_deterministic(tmp_path):
    write_docx(NOTICE_A, tmp_path / "1.docx")
    write_docx(NOTICE_A, tmp_path / "2.docx")
    digest = [hashlib.sha256((tmp_path / n).read_bytes()).hexdigest() for n in ("1.docx", "2.docx")]
    assert digest[0] == digest[1]
    with zipfile.ZipFile(tmp_path / "1.docx") as z:  # nothing that depends on when it was written
        assert {info.date_time for info in z.infolist()} == {(2024, 1, 1, 0, 0, 0)}
        assert "2024-01-01T00:00:00Z" in z.read("docProps/core.xml").decode()
