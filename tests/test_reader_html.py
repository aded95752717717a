"""The web-page reader on pages made in tmp_path: a government portal page around a notice
(corpora.tools.html_writer) in several encodings and as .mht, and small pages written by hand."""
from __future__ import annotations

import re

import pytest

from corpora.tools.html_writer import write_html, write_mht
from pipeline.readers.document import ReadError
from pipeline.readers import read
from tests.test_reader_pdf import NOTICE_A, NOTICE_B
from tests.twins import twin_score

CHROME = ("当前位置", "政务服务", "互动交流", "分享到", "微博", "打印本页", "关闭窗口", "上一篇", "下一篇", "相关链接",
          "浏览次数", "发布时间", "主办单位", "网站标识码", "ICP备", "公网安备", "请输入关键字", "字号", "_hmt",
          "森林防火", "分辨率")


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _lines(notice: str) -> list[str]:
    return [_squash(line) for line in notice.splitlines() if line.strip()]


def _page(tmp_path, html: str, name="p.html", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(html.encode(encoding))
    return path


WRITERS = {
    "gb2312-declared": lambda t, p: write_html(t, p),
    "gbk-undeclared": lambda t, p: write_html(t, p, charset=None),
    "utf-8": lambda t, p: write_html(t, p, charset="utf-8"),
    "mht-quoted-printable": lambda t, p: write_mht(t, p),
    "mht-base64": lambda t, p: write_mht(t, p, transfer="base64"),
}


@pytest.mark.parametrize("writer", list(WRITERS))
@pytest.mark.parametrize("notice", [NOTICE_A, NOTICE_B], ids=["notice", "plan"])
def test_round_trip_without_site_chrome(tmp_path, writer, notice):
    path = tmp_path / ("n.mht" if writer.startswith("mht") else "n.html")
    WRITERS[writer](notice, path)
    doc = read(path)
    assert doc.format == ("mht" if writer.startswith("mht") else "html") and doc.pages is None
    texts = [_squash(b.text) for b in doc.blocks]
    # every paragraph comes back once, in order; roster lines come back as table rows (role without its colon)
    expected = [ln.replace("：", "", 1) if re.match(r"^(组长|副组长|成员|主任|副主任|委员)：", ln) else ln
                for ln in _lines(notice)]
    assert texts == expected
    assert [c for c in CHROME if c in doc.text and c not in notice] == []


@pytest.fixture(scope="module")
def notice_a(tmp_path_factory):
    path = tmp_path_factory.mktemp("html") / "a.html"
    write_html(NOTICE_A, path)
    return read(path)


def test_roster_table_rows(notice_a):
    rows = [b for b in notice_a.blocks if b.kind == "table_row"]
    assert [b.cells for b in rows[:3]] == [["组长", "王之成", "区委副书记、区长"], ["副组长", "孟 磊", "区委常委、常务副区长"],
                                           ["", "李建国", "副区长"]]
    assert len(rows) == 7 and rows[0].text == "组长\t王之成\t区委副书记、区长"
    before = notice_a.blocks[notice_a.blocks.index(rows[0]) - 1]
    assert before.text == "一、领导小组组成人员"


def test_hints(notice_a):
    number, title = notice_a.blocks[0], notice_a.blocks[1]
    assert number.text == "临政办发〔2023〕15号" and number.centered and not number.bold
    assert title.text == "关于成立城乡环境综合整治" and title.centered and title.bold and title.size == 16.5
    body = next(b for b in notice_a.blocks if b.text.startswith("为切实加强"))
    assert not body.centered and not body.bold


# --- pages written by hand -----------------------------------------------------------------------

def _html(body: str, head: str = '<meta charset="utf-8">') -> str:
    return f"<!DOCTYPE html><html><head>{head}<title>t</title></head><body>{body}</body></html>"


def test_page_title_is_put_in_front_when_the_body_lacks_it(tmp_path):
    body = ('<div class="nav"><a href="/">首页</a><a href="/a">政务公开</a></div>'
            "<h1>关于开展2024年安全生产月活动的通知</h1><div class='info'>发布时间：2024-05-30</div>"
            "<div id='zoom'><p>各镇人民政府：</p><p>为深入贯彻落实安全生产工作部署，决定于6月开展安全生产月活动，现将有关事项通知如下。"
            "各镇要于6月30日前报送总结。</p><p>县安委会办公室</p><p>2024年5月30日</p></div>")
    doc = read(_page(tmp_path, _html(body)))
    assert [b.text for b in doc.blocks] == ["关于开展2024年安全生产月活动的通知", "各镇人民政府：",
                                            doc.blocks[2].text, "县安委会办公室", "2024年5月30日"]
    assert doc.blocks[0].centered and doc.blocks[0].bold


def test_line_breaks_whitespace_and_inline_markup(tmp_path):
    body = ("<div><p>各村（社区）\n    党组织：<br>现将《方案》印发给你们，请认真\n  贯彻落实。</p>"
            "<p>Word  文档 version\n2 已上传</p><center>岚溪镇人民政府</center>"
            '<p align="center">2023年3月15日</p><p>部分<b>加粗</b>文字</p>'
            '<p style="font-weight:bold;font-size:16pt">全部加粗</p><p style="display:none">隐藏的文字</p>'
            "<script>var x='脚本里的文字';</script><p>最后一段<!-- 注释 -->文字</p></div>")
    doc = read(_page(tmp_path, _html(body)))
    got = [(b.text, b.centered, b.bold, b.size) for b in doc.blocks]
    assert got == [("各村（社区）党组织：", False, False, None), ("现将《方案》印发给你们，请认真贯彻落实。", False, False, None),
                   ("Word 文档 version 2 已上传", False, False, None), ("岚溪镇人民政府", True, False, None),
                   ("2023年3月15日", True, False, None), ("部分加粗文字", False, False, None),
                   ("全部加粗", False, True, 16.0), ("最后一段文字", False, False, None)]


def test_layout_tables_are_read_as_paragraphs(tmp_path):
    body = ("<table><tr><td><table><tr><td>"
            "<p>关于做好防汛工作的通知</p><p>各单位：</p><p>请于7月1日前完成隐患排查，每周至少巡查2次。</p>"
            "<table border='1'><tr><th>职务</th><th>姓名</th></tr><tr><td>组长</td><td>王之成</td></tr></table>"
            "</td></tr></table></td></tr></table>")
    doc = read(_page(tmp_path, _html(body)))
    assert [(b.kind, b.text) for b in doc.blocks] == [
        ("para", "关于做好防汛工作的通知"), ("para", "各单位："), ("para", "请于7月1日前完成隐患排查，每周至少巡查2次。"),
        ("table_row", "职务\t姓名"), ("table_row", "组长\t王之成")]


def test_old_layout_table_page(tmp_path):
    """A portal page laid out with tables: a link column beside the article cell, the title in a
    header block the reader skips as chrome, the notice in one <td>."""
    links = "".join(f"<li><a href='/{i}'>栏目链接第{i}项政策文件解读</a></li>" for i in range(12))
    body = ("<table width='1000'><tr><td class='left' width='200'><ul>" + links + "</ul><p>联系我们：县政府办公室</p></td>"
            "<td class='right'><div class='art-header'><h1>关于做好2024年汛期安全防范工作的通知</h1>"
            "<p>发布时间：2024-05-20 信息来源：县应急局</p></div>"
            "<div class='art-body'><p>各乡镇人民政府，县直有关单位：</p>"
            "<p>当前已进入主汛期，为切实做好防汛安全工作，各乡镇要于5月31日前完成隐患排查，汛期每周至少开展巡查2次，"
            "发现问题立即整改，确保人民群众生命财产安全。</p><p>县应急管理局</p><p>2024年5月20日</p></div></td></tr></table>")
    doc = read(_page(tmp_path, _html(body)))
    assert [b.text for b in doc.blocks] == ["关于做好2024年汛期安全防范工作的通知", "各乡镇人民政府，县直有关单位：",
                                            doc.blocks[2].text, "县应急管理局", "2024年5月20日"]
    assert doc.blocks[2].text.startswith("当前已进入主汛期")


def test_wrong_charset_declaration_falls_back_to_detection(tmp_path):
    html = _html("<p>关于开展检查的通知，请各单位认真落实。</p>", head='<meta charset="utf-8">')
    doc = read(_page(tmp_path, html, encoding="gbk"))  # declared UTF-8, saved as GBK
    assert doc.blocks[0].text == "关于开展检查的通知，请各单位认真落实。"


def test_misnamed_files(tmp_path):
    page = _page(tmp_path, _html("<p>关于开展检查的通知，请各单位认真落实。</p>"), name="saved.txt")
    assert read(page).format == "html"  # a web page saved as .txt
    text = _page(tmp_path, "关于开展检查的通知\n各单位：\n", name="notice.html")
    with pytest.raises(ReadError) as info:
        read(text)
    assert str(info.value) == f"{text}: not a html file (its bytes are plain text or unknown)"


def test_mht_without_a_web_page(tmp_path):
    path = tmp_path / "x.mht"
    path.write_bytes(b'MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary="b"\r\n\r\n--b\r\n'
                     b"Content-Type: image/gif\r\nContent-Transfer-Encoding: base64\r\n\r\nR0lGODlh\r\n--b--\r\n")
    with pytest.raises(ReadError) as info:
        read(path)
    assert str(info.value) == f"{path}: an .mht with no web page (text/html) part"


def test_page_with_only_chrome(tmp_path):
    path = _page(tmp_path, _html("<script>var a = '通知';</script><div style='display:none'>隐藏</div>"))
    with pytest.raises(ReadError) as info:
        read(path)
    assert str(info.value) == f"{path}: no text in the file"


# --- the extraction scores the same as from the .txt --------------------------------------------

def test_twin_score_matches_txt(tmp_path):
    txt = twin_score(tmp_path / "txt", ".txt")
    html = twin_score(tmp_path / "html", ".html", write_html)
    assert html >= txt - 0.02, (txt, html)
