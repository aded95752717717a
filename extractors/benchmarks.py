"""对标 targets (benchmarks): places or bodies named as the model to learn from or catch up with.

Patterns, each naming the target X:
- ``GOAL_IS``     学习赶超的目标是：X / 对标对象为X / 标杆是X
- ``TAKE_AS``     以X为标杆（榜样、样板、对标对象）
- ``BENCHMARK``   对标(学习)X(的)先进经验
- ``ALIGN_WITH``  向X看齐 / 向X学习
- ``LEARN_FROM``  学习借鉴X的经验做法 / 借鉴X的成功模式
X must end like a place or body (区, 市, 县, 开发区, 集团…) and not be a generic phrase
(先进地区, 发达地区, 全省先进…). A list (X、Y和Z) gives several targets.
"""
from __future__ import annotations

import re

from spacy.language import Language

from extractors.common import add_value, doc_text, register

X = r"(?P<x>[^，。；：:！？\n]{2,60}?)"
GOAL_IS = re.compile(rf"(?:学习赶超的目标|赶超的目标|学习的目标|对标对象|标杆单位|学习标杆|对标单位|标杆)(?:是|为)\s*[:：]?\s*{X}(?=[。；，,\n]|$)")
TAKE_AS = re.compile(rf"以{X}为(?:标杆|榜样|样板|对标对象|学习标杆|参照|目标)")
BENCHMARK = re.compile(rf"对标(?:学习|赶超|先进)?{X}(?:的)?(?:先进经验|经验|做法|先进做法|标准)")
ALIGN_WITH = re.compile(rf"向{X}(?:看齐|学习)")
# 学习借鉴X的经验做法 / 借鉴X的成功模式: the places whose practice the plan takes over
LEARN_FROM = re.compile(rf"(?:学习借鉴|借鉴|学习|复制推广){X}(?:的)?(?:成功|先进|好的)?(?:经验做法|经验|做法|模式)")
PATTERNS = (GOAL_IS, TAKE_AS, BENCHMARK, ALIGN_WITH, LEARN_FROM)

# what a target's name ends with
TARGET_END = re.compile(r"(?:示范区|开发区|高新区|新区|园区|产业园|化工区|经济区|试验区|自贸区|区|市|县|省|镇|乡|村|街道|社区|州|集团|公司|大学|学院|学校|医院|中心|局|委)$")
# generic phrases that are not a target
GENERIC = re.compile(r"先进地区|发达地区|兄弟|先进单位|一流|全省|全国|全市|全区|周边|国内外|国际|先进省市|地区")


def split_targets(x: str) -> list[str]:
    parts = re.split(r"[、和及与]", x)
    out = []
    for p in parts:
        p = p.strip(" “”\"")
        if len(p) >= 3 and TARGET_END.search(p) and not GENERIC.search(p):
            out.append(p)
    return out


@Language.factory("duban_benchmarks", assigns=["doc.spans", "span._.targets"])
def make_benchmarks(nlp, name):
    """spans "benchmarks": each pattern match naming new targets, the names in ``span._.targets``."""
    register("targets")
    return benchmarks


def benchmarks(doc):
    text = doc_text(doc)
    out = []
    for pat in PATTERNS:
        for m in pat.finditer(text):
            new = [t for t in dict.fromkeys(split_targets(m.group("x"))) if t not in out]
            if new:
                out.extend(new)
                add_value(doc, "benchmarks", m.start(), m.end(), "BENCHMARK", "targets", new)
    return doc
