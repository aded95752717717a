"""Dress a notice written as plain text as a page saved from a government website (.html, .mht),
for tests and the sample corpus.

The page is built the way county and city portals (TRS/hanweb-style templates) publish a notice:
header with logo text, search box and a navigation bar; a breadcrumb ("当前位置：首页 > 政务公开 >
通知公告"); a side column of section links; the article with its title in <h1>, an info line
(来源 / 发布时间 / 浏览次数 / 字号 大中小), share buttons; the notice itself in a ``div#zoom``
of <p> paragraphs: the 发文字号 and the title lines centred (``style="text-align:center"``, the
title in <strong>), body paragraphs with ``text-indent:2em``, a roster ("组  长：王之成  党工委书记"
and the lines under it) as a bordered <table> role ("组长") | name | title, the signature and date
right-aligned; then 【打印本页】【关闭窗口】, 上一篇/下一篇, a related-links list, and a footer with
主办单位, 网站标识码, ICP备案 and 公安备案. A <script> and a <style> are there too, as on every
real page. Line classification is :mod:`corpora.tools.pdf_writer`'s.

``write_html`` writes it in GB2312-compatible GB18030 bytes by default with a <meta charset>
(``charset=None`` writes GBK bytes with no declaration at all; "utf-8" writes UTF-8);
``write_mht`` wraps the UTF-8 page in a MIME multipart/related .mht as browsers save it
(quoted-printable by default, or base64), with a small image part beside it.
"""
from __future__ import annotations

import base64
import quopri
from html import escape
from pathlib import Path

from corpora.tools.pdf_writer import _classify, _roster_row

NAV = ("首页", "政务公开", "政务服务", "互动交流", "走进澄河", "专题专栏", "数据开放", "无障碍")
SIDE = ("通知公告", "政策文件", "政策解读", "人事信息", "财政资金", "重点领域信息公开")
RELATED = ("关于做好2024年春季森林防火工作的通知", "关于印发《澄河县优化营商环境十条措施》的通知",
           "澄河县人民政府办公室关于公布第二批行政规范性文件清理结果的通知")
STYLE = ("body{margin:0;font-family:'Microsoft YaHei'} .nav li{float:left;list-style:none} "
         "#zoom p{line-height:2;font-size:16px} table{border-collapse:collapse} td{border:1px solid #000}")
SCRIPT = ("var _hmt=_hmt||[];(function(){var hm=document.createElement('script');"
          "hm.src='/js/stat.js';document.body.appendChild(hm);})();function doZoom(s){"
          "document.getElementById('zoom').style.fontSize=s+'px';}")


def page(text: str, *, source: str = "澄河县人民政府办公室", date: str = "2024-03-12 09:12") -> str:
    """The whole page as a str (charset to be declared by the caller)."""
    lines = [" ".join(ln.split()) for ln in text.splitlines() if ln.strip()]
    kinds = _classify(lines)
    title = "".join(ln for ln, k in zip(lines, kinds) if k == "title") or lines[0]
    body, roster = [], []
    for ln, kind in zip(lines, kinds):
        if kind == "roster":
            roster.append(_roster_row(ln))
            continue
        if roster:
            body.append(_table(roster))
            roster = []
        t = escape(ln)
        if kind == "title":
            body.append(f'<p style="text-align:center;font-size:22px"><strong>{t}</strong></p>')
        elif kind == "number":
            body.append(f'<p style="text-align: center">{t}</p>')
        elif kind == "right":
            body.append(f'<p style="text-align:right">{t}</p>')
        elif kind == "addressee":
            body.append(f"<p>{t}</p>")
        else:
            body.append(f'<p style="text-indent:2em">{t}</p>')
    if roster:
        body.append(_table(roster))
    links = lambda items: "".join(f'<li><a href="/art/{i}.html">{escape(x)}</a></li>' for i, x in enumerate(items))
    return f"""<!DOCTYPE html>
<html>
<head>
<title>{escape(title)}_通知公告_澄河县人民政府</title>
<meta name="ArticleTitle" content="{escape(title)}">
<meta name="PubDate" content="{date}">
<meta name="ContentSource" content="{escape(source)}">
<style>{STYLE}</style>
<script type="text/javascript">{SCRIPT}</script>
</head>
<body>
<div class="header"><div class="logo">澄河县人民政府 www.chenghe.gov.cn</div>
<div class="search"><input type="text" value="请输入关键字"><a href="/search">搜索</a></div>
<ul class="nav">{links(NAV)}</ul></div>
<div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk">政务公开</a> &gt; <a href="/tzgg">通知公告</a></div>
<div class="main">
<div class="side"><h3>政务公开</h3><ul>{links(SIDE)}</ul></div>
<div class="article">
<h1 class="title">{escape(title)}</h1>
<div class="info">来源：{escape(source)}&nbsp;&nbsp;发布时间：{date}&nbsp;&nbsp;浏览次数：<span id="hits">1024</span>&nbsp;&nbsp;字号：<a href="javascript:doZoom(18)">大</a> <a href="javascript:doZoom(16)">中</a> <a href="javascript:doZoom(14)">小</a></div>
<div class="share">分享到：<a href="#">微信</a><a href="#">微博</a><a href="#">QQ空间</a></div>
<div class="content" id="zoom">
{chr(10).join(body)}
</div>
<div class="tools"><a href="javascript:window.print()">【打印本页】</a> <a href="javascript:window.close()">【关闭窗口】</a></div>
<div class="prevnext"><p>上一篇：<a href="/art/8.html">{escape(RELATED[0])}</a></p><p>下一篇：<a href="/art/9.html">{escape(RELATED[1])}</a></p></div>
<div class="related"><h3>相关链接</h3><ul>{links(RELATED)}</ul></div>
</div>
</div>
<div class="footer"><p>主办单位：澄河县人民政府办公室&nbsp;&nbsp;承办单位：澄河县大数据发展中心</p>
<p>网站标识码：3311270001&nbsp;&nbsp;<a href="https://beian.miit.gov.cn">浙ICP备05012345号-1</a>&nbsp;&nbsp;<a href="#">浙公网安备 33112702000123号</a></p>
<p>联系电话：0578-1234567&nbsp;&nbsp;建议使用1366×768分辨率浏览</p></div>
</body>
</html>
"""


def _table(rows: list[list[str]]) -> str:
    """A roster as a bordered table; the role cell without the colon the text line had ("组长")."""
    rows = [[row[0].rstrip("：:"), *row[1:]] for row in rows]
    trs = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>" for row in rows)
    return f'<table border="1" cellspacing="0" cellpadding="4"><tbody>{trs}</tbody></table>'


def write_html(text: str, out_path, *, charset: str | None = "gb2312") -> None:
    """Write the page; ``charset`` is declared in a <meta> (None: GBK bytes, undeclared)."""
    html = page(text)
    if charset is not None:
        html = html.replace("<head>\n", f'<head>\n<meta http-equiv="Content-Type" content="text/html; charset={charset}">\n', 1)
    encoding = "gb18030" if charset in (None, "gb2312", "gbk") else charset
    Path(out_path).write_bytes(html.encode(encoding))


def write_mht(text: str, out_path, *, transfer: str = "quoted-printable") -> None:
    """Write the page as a MIME .mht (the UTF-8 page quoted-printable or base64, plus an image part)."""
    html = page(text).replace("<head>\n", '<head>\n<meta charset="utf-8">\n', 1).encode("utf-8")
    body = quopri.encodestring(html) if transfer == "quoted-printable" else base64.encodebytes(html)
    boundary = "----=_NextPart_000_0000_01DA1234.56789ABC"
    gif = base64.encodebytes(b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00"
                             b",\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;")
    out = (f"From: <Saved by Blink>\r\nSnapshot-Content-Location: http://www.chenghe.gov.cn/art/2024/3/12/art_1.html\r\n"
           f"Subject: =?utf-8?B?{base64.b64encode('通知公告'.encode()).decode()}?=\r\nMIME-Version: 1.0\r\n"
           f'Content-Type: multipart/related;\r\n\ttype="text/html";\r\n\tboundary="{boundary}"\r\n\r\n'
           f"This is a multi-part message in MIME format.\r\n\r\n--{boundary}\r\n"
           f'Content-Type: text/html; charset="utf-8"\r\nContent-Transfer-Encoding: {transfer}\r\n'
           f"Content-Location: http://www.chenghe.gov.cn/art/2024/3/12/art_1.html\r\n\r\n").encode("ascii")
    out += body.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    out += (f"\r\n--{boundary}\r\nContent-Type: image/gif\r\nContent-Transfer-Encoding: base64\r\n"
            f"Content-Location: http://www.chenghe.gov.cn/images/logo.gif\r\n\r\n").encode("ascii")
    out += gif.replace(b"\n", b"\r\n") + f"\r\n--{boundary}--\r\n".encode("ascii")
    Path(out_path).write_bytes(out)
