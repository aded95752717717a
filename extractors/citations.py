"""Cited documents: what the notice names as its basis or refers to.

Patterns: ``TITLE_REF`` 《title》 with an optional （文号） after it; ``BARE_NUMBER`` a 文号 in
brackets in the body. A title counts when the words around it cite it (``BASIS`` before:
根据/按照/依据/贯彻落实…, or ``BASIS_AFTER``: 》要求/精神/规定) or a 文号 follows it. Not cited:
the plan a 印发 notice encloses, and a document the notice orders to be written
(制定《…》). Short nicknames (《准则》《条例》) are not specific enough to count.
"""
from __future__ import annotations

import re

from spacy.language import Language

from pipeline.extraction.structure import DOC_NUMBER

from extractors.common import add_entry, doc_text, normalize_number, register

# 《title》 (optionally followed by its 文号 in brackets)
TITLE_REF = re.compile(rf"《(?P<title>[^《》\n]{{2,100}})》(?:\s*[（(](?P<no>{DOC_NUMBER.pattern})[）)])?")
# a 文号 in brackets, not right after a 《title》
BARE_NUMBER = re.compile(rf"(?<!》)[（(](?P<no>{DOC_NUMBER.pattern})[）)]")
# words before a title that make it the notice's basis
BASIS = re.compile(r"(?:根据|按照|依据|依照|遵照|贯彻|落实|对照|参照|执行|结合|遵循|实施|学习|宣传|为了?)[^，。；《]{0,24}$")
# words after a title that make it a basis
BASIS_AFTER = re.compile(r"^(?:\s*[（(][^）)]*[）)])?(?:的|等|有关|相关)?(?:要求|精神|规定|部署|决策部署|有关规定|文件精神|等文件)")
# words before a title that make it something the notice orders written
PRODUCED = re.compile(r"(?:制定|编制|起草|形成|修订|印发|出台|研究制定|分别制定|报送|填写|填报)[^，。；《]{0,6}$")
# a cited title must name a kind of document or a law
DOC_KIND = re.compile(r"(?:法|条例|规定|办法|意见|通知|决定|方案|规划|纲要|计划|细则|准则|标准|要点|纪要|指南|批复|公告|决议|目录|规范|制度|通报|报告|讲话|函|措施|举措|指引|章程|守则)$")
# basis words stripped before reading the issuer
BASIS_WORDS = re.compile(r"^.*(?:根据|按照|依据|依照|遵照|贯彻落实|贯彻|落实|对照|参照|执行|结合)")
# the issuer named right before the title: 区委《…》
ISSUER_BEFORE = re.compile(r"(?P<org>[\u4e00-\u9fff]{1,20}?(?:委员会|政府|办公厅|办公室|委|局|厅|部|院|署|办))$")


def _enclosed_titles(st) -> set[str]:
    out = set()
    if st.plan_title:
        out.add(st.plan_title)
    for m in re.finditer(r"《([^《》]+)》", st.title or ""):
        out.add(m.group(1))
    return out


@Language.factory("duban_citations", requires=["doc._.structure"], assigns=["doc.spans", "span._.citation"])
def make_citations(nlp, name):
    """spans "cited_documents": each citation, {title, doc_number, issuer} in the list ``span._.citation``."""
    register("citation")
    return citations


def citations(doc):
    st = doc._.structure
    text = doc_text(doc)
    skip = _enclosed_titles(st)
    own_line = st.doc_number_line
    produced = {m.group("title") for m in TITLE_REF.finditer(text) if PRODUCED.search(text, max(0, m.start() - 12), m.start())}
    seen = set()

    def add(title, no_match, start, end, issuer=None):
        number = normalize_number(no_match)["text"] if no_match else None
        key = number or title
        if key in seen:
            return
        seen.add(key)
        add_entry(doc, "cited_documents", start, end, "CITATION", "citation",
                  {"title": title, "doc_number": number, "issuer": issuer})

    for m in TITLE_REF.finditer(text):
        ln = st.norm.line_at(m.start())
        if ln is None or st.parts[ln.index] in ("title", "plan_title", "attachment_note") or ln.index in st.title_lines:
            continue
        title = m.group("title").strip()
        if title in skip or title in produced:
            continue
        before = re.sub(r"《[^《》]*》|[和及、与]", "", text[max(ln.start, m.start() - 60): m.start()])
        after = text[m.end(): m.end() + 12]
        numbered = m.group("no") is not None
        kind_part = re.sub(r"[（(][^（）()]*[）)]$", "", title)   # …纲要（2015－2020年）
        if not numbered and (len(title) < 5 or not DOC_KIND.search(kind_part)):
            continue
        if not numbered and not (BASIS.search(before) or BASIS_AFTER.match(after)):
            continue
        iss = ISSUER_BEFORE.search(BASIS_WORDS.sub("", before.split("，")[-1]))
        no = DOC_NUMBER.search(m.group("no")) if numbered else None
        add(title, no, m.start(), m.end(), iss.group("org") if iss else None)

    for m in BARE_NUMBER.finditer(text):
        ln = st.norm.line_at(m.start())
        if ln is None or ln.index == own_line:
            continue
        no = DOC_NUMBER.search(m.group("no"))
        add(None, no, m.start(), m.end())
    return doc
