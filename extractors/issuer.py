"""Issuer: the fullest name of the issuing body the document gives.

Order of evidence (docs/record.md): the signature (发文机关署名) first — for a joint notice
(联合发文) its first body; else the body the title names ("国务院办公厅关于…", "关于在X开展…");
else the body the preamble names as deciding on the plan ("经县总河长同意，鹤峪县河长制办公室决定…，
特制定本方案"); else a title that starts with a place or body name ("齐鲁化工区…实施方案"). A signature name that a longer
name in the title or text completes (县教育局 → 澄河县教育局) is given in full.
"""
from __future__ import annotations

import re
from functools import lru_cache

from spacy.language import Language

from pipeline.text.lexicons import alternation
from pipeline.extraction.structure import looks_like_org

from extractors.common import add_value, doc_text, register

# places that can head a title as the body making the plan: 齐鲁化工区…, 澄河县…
PLACE_END = r"(?:开发区|高新区|园区|新区|街道|区|县|市|镇|乡|州|盟|旗)"


@lru_cache(maxsize=1)
def _org_pat():
    return alternation("org_suffixes.txt")


@lru_cache(maxsize=1)
def _title_patterns():
    org = _org_pat()
    return [
        # 国务院办公厅关于…的通知
        re.compile(rf"^(?P<org>[\u4e00-\u9fff、]{{2,40}}?(?:{org}))关于"),
        # 关于在齐城农业高新区管委会机关开展…
        re.compile(rf"^关于在(?P<org>[\u4e00-\u9fff]{{2,30}}?(?:{org}))(?:开展|实施|推进|深入|组织)"),
        # 齐鲁化工区“…”实施方案: a leading place or body name
        re.compile(rf"^(?P<org>[\u4e00-\u9fff]{{2,20}}?(?:{org}|{PLACE_END}))(?=[“\"《]|[\u4e00-\u9fff]{{2,}}(?:工作|行动|活动|专项)|(?:19|20)\d\d\s*年)"),
    ]


@lru_cache(maxsize=1)
def _decider_pattern():
    # …，X决定在全县开展…，特制定本方案 / X研究决定… : the body that decides on the plan
    return re.compile(rf"(?:^|[，,。；;）)\n]|同意)(?P<org>[\u4e00-\u9fff]{{2,30}}?(?:{_org_pat()}))"
                      rf"(?:、[\u4e00-\u9fff]{{2,30}}?(?:{_org_pat()}))*(?:研究)?决定")


PLAN_MADE = re.compile(r"制定本(?:方案|计划|办法|意见|细则)|制定如下|特制定|现制定")  # the preamble's closing formula


def _decider(text: str) -> tuple[str, int, int] | None:
    """(name, start, end of its sentence) of the body named as deciding on the plan, in the
    sentence that says the plan is made."""
    for sent in re.finditer(r"[^。]*。", text[:3000]):
        if PLAN_MADE.search(sent.group()):
            m = _decider_pattern().search(sent.group())
            if m:
                return m.group("org"), sent.start(), sent.end()
    return None


# prepositions and verbs that stand before a body's name in a sentence, never inside it
NOT_NAME_START = frozenset("到在于向对由经从给为和与及按将把请")


def _longer_title_org(title: str, m) -> str:
    """A place the title opens with, completed by the body that follows it when the title goes on
    with that body's action (平潭县国土资源局开展…工作方案 → 平潭县国土资源局, not 平潭县)."""
    org = m.group("org")
    more = re.match(rf"[\u4e00-\u9fff]{{1,14}}?(?:{_org_pat()})(?=开展|实施|推进|组织|关于|深入|做好|进一步|[“《]|20\d\d年)",
                    title[m.end("org"):])
    return org + more.group(0) if more else org


def _whole_line(text: str, a: int, b: int) -> bool:
    return (a == 0 or text[a - 1] == "\n") and (b == len(text) or text[b] == "\n")


def _fullest(name: str, text: str) -> str:
    """A longer body name in the text that ends with ``name`` (县教育局 → 澄河县教育局)."""
    m = re.search(rf"([\u4e00-\u9fff]{{1,12}}){re.escape(name)}", text[:3000])
    if m and _whole_line(text, m.start(), m.end()):
        return m.group(0)   # 测试大学教务处 printed on its own line above the title: the signature's 教务处 in full
        longer = m.group(1) + name
        for cut in range(len(m.group(1))):
            cand = longer[cut:]
            if NOT_NAME_START.intersection(cand[:len(cand) - len(name)]):
                continue   # …8时前到平潭县城东中学: what a preposition stands before is the name
            if re.match(r"^(?:中共)?[\u4e00-\u9fff]{1,6}?(?:省|市|县|区|镇|乡|自治区|自治州)", cand) and cand != name:
                return cand
    return name


@Language.factory("duban_issuer", requires=["doc._.structure"], assigns=["doc.spans", "span._.issuer"])
def make_issuer(nlp, name):
    """span "issuer" (where the name was read: the signature, the title line or the preamble's
    sentence) with the fullest name in ``span._.issuer``."""
    register("issuer")
    return issuer


def issuer(doc):
    st = doc._.structure
    if st.signature_lines:
        ln = st.lines[st.signature_lines[0]]
        first = re.split(r"\s+", ln.text.strip())[0]
        first = re.sub(r"\s*(?:\d{4}|[二〇○]{4})年.*$", "", first)
        if looks_like_org(first):
            add_value(doc, "issuer", ln.start, ln.start + len(first), "ORG", "issuer", _fullest(first, doc_text(doc)))
            return doc
    title = st.title or ""
    patterns = _title_patterns()
    for i, pat in enumerate(patterns):
        if i == len(patterns) - 1:  # before a bare leading place, the body the preamble names
            found = _decider(doc_text(doc))
            if found:
                add_value(doc, "issuer", found[1], found[2], "ORG", "issuer", found[0])
                return doc
        m = pat.search(title)
        if m:
            a = st.lines[st.title_lines[0]]   # a title is read from its lines
            add_value(doc, "issuer", a.start, a.end, "ORG", "issuer", _longer_title_org(title, m))
            return doc
    return doc
