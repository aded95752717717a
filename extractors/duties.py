"""Duties: one entry per measurable requirement, clause by clause.

A sentence is cut into clauses (at ，；： outside brackets and quotes); a clause holding two
quantities joined by 、 is cut again between them. A clause is a duty when it holds
- ``QUANTITY`` with a comparator (不少于15次, 两篇以上, 达3000亿元, 超过一半), or a ``RANK``
  (排名前两位 → <= 2), or
- a ``PERIOD`` word that opens the clause (每周四对…进行总结 → 1 a week; 按季度召开…), or
- a plain count governed by an action verb (召开一次…, 建设50所…; verbs in duty_verbs.txt).
A period word, actor or comparator shared by a run of clauses applies to each: in
"每周到联系代管村居不少于3次，实地调研企业不少于1天，走访企业不少于2家" all three are weekly duties
of the same actor.

Not duties: questions (…多少个…？), counts inside quotes (“三个认识”) or 《titles》, a count
closing an enumeration of named items (北京、吉林…10个省), ordinals (第十一次, 十九届),
descriptive figures (预计…, 其中…, 总投资…, 累计…), dates and 文号.
"""
from __future__ import annotations

import re
from functools import lru_cache

from spacy.language import Language
from spacy.matcher import PhraseMatcher

from pipeline.text.lexicons import alternation, load_pattern_table, load_table, load_words

from extractors.common import (ACTOR_END as ACTOR_END_RE, LEADING_LABEL, NOT_ACTOR_START, ORG_TAIL, add_entry, doc_text, doc_year,
                               is_actor_phrase, leading_actor, masked_text, mention_offsets, register, section_of, split_clauses,
                               verb_re)
from pipeline.text.dates import find_times
from pipeline.text.numbers import CN_DIGITS, to_number

# comparators written before the number
CMP_PRE = {w: op for where, op, *words in load_table("comparators.txt") if where == "before" for w in words}
# comparators written after the number (and its unit)
CMP_POST = {w: op for where, op, *words in load_table("comparators.txt") if where == "after" for w in words}
# frequency words and the period they give
PERIODS = [(pattern, name) for name, pattern in load_pattern_table("periods.txt")]
# "one per period" written as 一X一V: 一周一调度, 一月一通报, 一季一通报, 一年一评估; 半月一调度 is twice a month
ONE_PER = re.compile(r"^(?:一(?P<u>日|天|周|月|季度?|年)|半(?P<h>月|年))一(?![二三四五六七八九十个次])(?=[\u4e00-\u9fff])")
ONE_PER_PERIOD = {"日": "day", "天": "day", "周": "week", "月": "month", "季": "quarter", "季度": "quarter", "年": "year"}
# a frequency outside the period vocabulary: 每5年修订1次 (period null, still a duty)
OTHER_FREQ = re.compile(r"^每\s*[\d一二两三四五六七八九十]+\s*(?:年|个月|周|天)")
# figures that describe rather than require
DESCRIPTIVE = re.compile(r"预计|其中|总投资|累计|目前|现有|已有|已经|共有|共计|合计|同比|截至目前|去年|上年|总规模|总面积|总人口")
# a copula that states a required figure: 一般为6个月 / 均为100%
COPULA = re.compile(r"(?:一般|均|应|须|要|原则上|时间|标准|不得低于|保持)为$")
# a sentence that sets targets (力争到2025年，…), or any sentence of a 工作目标 section: its counts are
# required, and 其中 splits a target into sub-targets instead of describing
TARGET_MARK = re.compile(r"力争|确保|目标任务|目标是|主要目标|总体目标|任务目标")
TARGET_BREAKDOWN = re.compile(r"其中")
# a clause that asks rather than requires
QUESTION_WORDS = re.compile(r"如何|是否|多少|怎样|怎么|有无")
# ordinals and slogans around a number
ORDINAL_BEFORE = re.compile(r"(?:第|[+＋]|\d)$")
# units of a required count, longest first (corpora/lexicons/units.txt)


@lru_cache(maxsize=1)
def _quantity_re():
    units = alternation("units.txt")
    pre = "|".join(sorted(map(re.escape, CMP_PRE), key=len, reverse=True))
    post = "|".join(sorted(map(re.escape, CMP_POST), key=len, reverse=True))
    return re.compile(
        rf"(?P<pre>{pre})?\s*(?P<num>\d+(?:\.\d+)?|一半|半数|[{CN_DIGITS}]+)\s*(?P<unit>(?:万|亿|千)?(?:{units}))?(?:[（(][^（）()]{{1,10}}[）)])?(?P<post>{post})?"
    )


# 排名前两位 / 进入全省前十名 / 前3名
RANK = re.compile(rf"(?:(?:排名|位列|进入|位居|保持)[^，。；]{{0,8}}?前(?P<n1>\d+|[{CN_DIGITS}]+)(?:名|位)?|前(?P<n2>\d+|[{CN_DIGITS}]+)(?:名|位))")
# what a Chinese 一 must be followed by to be a count ("一批", "一体化" are not)
ONE_UNITS = re.compile(r"^(?:次|个|篇|名|所|项|场|份|天|家|支|处|轮|期|件|本|部|套|条|座|户|人|年|个月|周)")
# words in which 一/两 are not a count
NOT_A_COUNT = re.compile(r"(?:统|进|唯|同|万|逐|之|单|专|划|如|始终如|不|归)$")

# what follows a count that makes it a name, an ordinal or a label rather than a figure to meet:
# 九次全会, 16部委, 分三个阶段进行, 年满16周岁, 一次快检量的
NAMED_AFTER = {
    "次": re.compile(r"^全会"),
    "部": re.compile(r"^委"),
    "个": re.compile(r"^(?:阶段|步骤|环节|方面|部分|层次|维度)(?:进行|开展|实施|推进|[：:]|$)"),
    "周": re.compile(r"^岁"),
    "年": re.compile(r"^(?:行动|攻坚行动|计划)"),
}
# a set of rules named by its count in Chinese numerals: 十五条硬措施, 八项禁令
NAMED_SET = re.compile(r"^(?:条|项)(?:硬措施|措施|举措|规定|禁令|意见|要求|红线|铁律)")
# a count that opens a structure rather than requires it: 分三个阶段, 主要完成四项工作：
STRUCTURE_BEFORE = re.compile(r"分$")
STRUCTURE_AFTER = re.compile(r"^[\u4e00-\u9fff]{0,4}(?:工作|任务|内容|措施|主题)\s*[：:]")


def _named_count(text: str, ns: int, num: str, unit: str | None, end: int) -> bool:
    """The count is part of a name, an ordinal or a structure, not a figure to meet.

    - a bare 二 before a measure word is an ordinal or a compound (二次供水): a count is 两;
    - 最后一个, 九次全会, 16部委, 三年行动, 16周岁 (an age, as 岁);
    - 分三个阶段进行 and 主要完成四项工作： announce the plan's structure."""
    after = text[end:end + 8]
    if num == "二" and unit and text[max(0, ns - 1):ns] not in "十百千万":
        return True
    if text[max(0, ns - 2):ns] == "最后":
        return True
    pat = NAMED_AFTER.get(unit or "")
    if pat is not None and pat.match(after):
        return True
    if unit == "次" and "届" in text[max(0, ns - 4):ns]:
        return True    # 十九届四次（全体）会议: an ordinal
    if re.fullmatch(rf"[{CN_DIGITS}]+", num) and NAMED_SET.match(text[end - len(unit or ""):end + 6]):
        return True
    if unit == "个" and STRUCTURE_BEFORE.search(text[max(0, ns - 1):ns]) and NAMED_AFTER["个"].match(after):
        return True
    return bool(unit) and bool(STRUCTURE_AFTER.match(after))


GLOSS_BEFORE = re.compile(r"[（(](?:含|包括|即|包含)$")
# a range of counts: 推荐3-5名, 选树5至8个 (the lower bound must be met)
RANGE = re.compile(r"(?P<lo>\d+(?:\.\d+)?|[一二两三四五六七八九十]+)\s*(?:[-－—–~～]|至|到)\s*$")


def _in_quotes(text: str, pos: int) -> bool:
    """Inside “…” or 《…》 on its own line (counted from the line start, not the document's)."""
    start = text.rfind("\n", 0, pos) + 1
    depth_q = text.count("“", start, pos) - text.count("”", start, pos)
    depth_b = text.count("《", start, pos) - text.count("》", start, pos)
    return depth_q > 0 or depth_b > 0


QUOTED = re.compile(r"“[^“”]*”")
BRACKETED = re.compile(r"[（(〔\[][^（）()〔〕\[\]]*[）)〕\]]")


# a rate named right before its percentage: 在岗率100%, 知晓率95% (a target of the plan)
RATE_END = re.compile(r"[\u4e00-\u9fff]率\s*$")


def _enumeration_before(before: str, quantity) -> bool:
    """'北京、吉林…10个省', '精准脱贫、文明城市创建两项': the count closes a list of named items
    (as many items as the count, or a short last item with no verb)."""
    tail = re.split(r"[，,；;：:。]", before)[-1]
    tail = BRACKETED.sub("", tail)   # 各县（市、区）: a 、 inside brackets lists nothing
    if "、" in tail and len(tail.split("、")) == quantity:
        return True                  # 形成“问题清单、制度清单、成果清单”三项清单
    tail = QUOTED.sub("“”", tail)    # “发扬斗争精神、增强斗争本领”: one item, whatever it lists inside
    if "、" not in tail:
        return False
    items = tail.split("、")
    if "各" in items[-1][1:] and not items[-1].endswith("各"):
        return False   # 甲分局、乙分局各快检600批次: each of the listed bodies, not a count of them
    return len(items) == quantity or (len(items[-1]) <= 6 and not verb_re().search(items[-1]))


# every character a PERIODS or OTHER_FREQ match can start with (a speed filter; see _period)
PERIOD_FIRST = frozenset("每天逐按全年一半本当今")
# a clause opening with a distributive 每 (each time, each person) names no period and takes none
# from the clauses before it: 每次不少于90分钟, 每人包联不少于2个镇
DISTRIBUTIVE = re.compile(r"^每(?:次|人|名|位|家|所|户|项|小时|公里|平方米|亩)")
def _time_limit(text: str, found) -> bool:
    """A time limit on each case (于48小时内处置, 3个工作日内办结): a duration at most, no frequency."""
    return found[4] == "<=" and found[3] in ("小时", "分钟", "天", "日", "个工作日", "工作日") \
        and re.search(r"内", text[found[0]:found[1] + 3]) is not None


# a rate per unit (每小时酬金不低于20元, 每亩补贴100元): a price or a density, never a frequency
UNIT_RATE = re.compile(r"每(?:小时|公里|平方米|亩|吨|立方米)")
# set phrases with 一 that count nothing
ONE_IDIOM = re.compile(r"一[个项家所][\u4e00-\u9fff]{1,6}?(?:要|应)?(?:配套|配备|对应|配)一[支个名家]|一个时期|一段时期|一段时间|一支[^，。；]{0,60}?队伍|一次全面|"
                       r"[\u4e00-\u9fff]{2}一[项件个]、[\u4e00-\u9fff]{2}一[项件个]")
# period words that name a window of time rather than a frequency
WINDOW_WORD = re.compile(r"全年|年内|今年|本年(?!度)")
# "each" of the units a requirement falls on, anywhere before the count
EACH = re.compile(r"每(?:人|名|位|个|家|所|户|门|支|条|篇|件|项|台|辆)")
QUOTE_MARK = re.compile(r"[“”《》]")
USING_END = re.compile(r"利用$")
TIME_AFTER = re.compile(r"[^，。；]{0,8}时间(?!\s*(?:不少于|不低于|至少|不超过|不得少于))")
# a frequency that names a rule or a mechanism (建立每周报送制度, 实行每月调度机制): what the rule asks is
# written where it is spelt out, not in its name
SYSTEM_AFTER = re.compile(r"[\u4e00-\u9fff]{1,4}(?:制度|机制)(?:[，。；,;]|$)")


def _period(clause: str) -> tuple[str | None, int, int] | None:
    """(period, start, end) of a period word that opens the clause, possibly after its actor.

    Only the offsets where a period word can start (PERIOD_FIRST) are tried: the head checks
    (a verb or a quote mark before it) only grow with the head, so checking them there gives
    what checking them at every offset did."""
    verb = verb_re()
    for k in range(0, min(len(clause), 18)):
        if clause[k] not in PERIOD_FIRST:
            continue
        if k and (verb.search(clause, 0, k) or QUOTE_MARK.search(clause, 0, k)):
            # the actor may hold a verb-like noun (校院两级督导, 理论学习中心组, 整改进展): a 每-frequency
            # right before the action still gives the period; any other word there is inside the predicate
            if clause.startswith("每", k) and not DISTRIBUTIVE.match(clause, k) and not QUOTE_MARK.search(clause, 0, k) \
                    and any(pat.match(clause[k:]) for pat, _ in PERIODS) and not _predicate_before(clause[:k]):
                name, end = next((name, m.end()) for pat, name in PERIODS if (m := pat.match(clause[k:])))
                return None if SYSTEM_AFTER.match(clause, k + end) else (name, k, k + end)
            return None
        if USING_END.search(clause, 0, k):
            continue
        rest = clause[k:]
        m = ONE_PER.match(rest)
        if m:
            return (ONE_PER_PERIOD[m.group("u")] if m.group("u") else
                    "month" if m.group("h") == "月" else "half_year"), k, k + m.end()
        for pat, name in PERIODS:
            m = pat.match(rest)
            if m and not TIME_AFTER.match(rest, m.end()) and not SYSTEM_AFTER.match(rest, m.end()):
                return name, k, k + m.end()
        m = OTHER_FREQ.match(rest)
        if m:
            return None, k, k + m.end()
    return None


def _predicate_before(head: str) -> bool:
    """Whether the words before a frequency already hold the predicate: a comparator, a figure, or
    a modal (要/应/须…) — then the frequency is no opening of the clause."""
    return bool(re.search(r"\d|不少于|不低于|至少|不超过|要|应|须|需|确保|负责|组织|开展", head))


# a period word right before a count, anywhere in the clause: 开展每周一次的巡查, 每月两次
PERIOD_BEFORE_COUNT = [(re.compile(p + "$"), name) for p, name in (
    (r"(?:每天|每日)", "day"), (r"(?:每周|每星期)", "week"), (r"每个?月", "month"), (r"(?:每个?季度|每季)", "quarter"),
    (r"(?:每半年|每个?学期)", "half_year"), (r"(?:每年|每学年)", "year"))]
# days of the month listed after 每月: 每月10日和25日前 (twice a month)
MONTH_DAYS = re.compile(r"每月\s*\d{1,2}\s*[日号](?:\s*[和、及与]\s*\d{1,2}\s*[日号])+")


def _period_before_count(text: str, sa: int, qa: int) -> str | None:
    for pat, name in PERIOD_BEFORE_COUNT:
        if pat.search(text, max(sa, qa - 4), qa):
            return name
    return None


def _times_per_period(sub: str, per) -> int:
    """How many times a frequency with no count asks for: once, but twice for 半月一…, and one per
    day listed in 每月10日和25日前报送."""
    if sub.startswith("半月", per[1]):
        return 2
    m = MONTH_DAYS.search(sub)
    if m:
        return len(re.findall(r"\d{1,2}\s*[日号]", m.group(0)))
    return 1


def _quantities(text: str, a: int, b: int, dates: list[tuple[int, int]]):
    """The required counts in text[a:b]: (start, end, quantity, unit, comparator)."""
    out = []
    for m in RANK.finditer(text, a, b):
        if not _in_quotes(text, m.start()):
            out.append((m.start(), m.end(), to_number(m.group("n1") or m.group("n2")), None, "<="))
    for m in _quantity_re().finditer(text, a, b):
        num, unit, pre, post = m.group("num"), m.group("unit"), m.group("pre"), m.group("post")
        ns = m.start("num")
        if any(s <= ns < e for s, e, *_ in out) or any(s <= ns < e for s, e in dates):
            continue
        if _in_quotes(text, ns) or ORDINAL_BEFORE.search(text[max(0, ns - 1):ns]) or text[max(0, ns - 1):ns] == "每":
            continue   # 第十一次, 10+1项, 每5年 (a frequency, not a count)
        if unit in ("日", "号") and (text[max(0, ns - 1):ns] == "月" or re.search(r"[日号]\s*[和、及与]\s*$", text[max(0, ns - 3):ns])):
            continue   # 每月5日前, 每月10日和25日前: days of the month
        if unit == "周" and text[m.end("unit"):m.end("unit") + 1] == "期":
            continue   # 一周期
        if num == "一" and unit in ("次", "揽子", "体") and text[m.end("unit"):m.end("unit") + 1] in ("性", "化"):
            continue   # 一次性补助, 一次性告知: an adjective (one-off), not a count
        if num in ("一半", "半数"):
            unit = unit or "%"
        elif re.fullmatch(rf"[{CN_DIGITS}]+", num):
            if NOT_A_COUNT.search(text[max(0, ns - 3):ns]) or not unit:
                continue
            if num in ("一", "两") and not ONE_UNITS.match(text[m.start("unit"):]):
                continue
        if not unit and not pre and not post:
            continue
        if unit == "年" and re.fullmatch(r"(?:19|20)\d{2}", num):
            continue
        if num == "一" and any(i.start() <= ns < i.end() for i in ONE_IDIOM.finditer(text, max(a, ns - 8), min(b, ns + 70))):
            continue   # 今后一个时期, 一支…队伍, 一次全面“体检”, 整改一项、销号一项: set phrases
        if unit == "岁" or (unit in ("年",) and post in ("以上", "以下") and "年限" in text[max(0, ns - 4):ns]):
            continue   # 35岁以下, 使用年限15年以上: who or what is meant, not a requirement
        if unit == "年" and text[m.end("unit"):m.end("unit") + 1] == "级":
            continue   # 三至六年级: a school grade
        if _named_count(text, ns, num, unit, m.end()):
            continue
        if GLOSS_BEFORE.search(text, max(a, ns - 4), ns):
            continue   # 不超过3次（含3次）: the bracket restates the figure before it
        if text[m.end("num"):m.end("num") + 1] in (":", "：") and text[m.end("num") + 1:m.end("num") + 2].isdigit():
            continue   # 1:1.5 is a ratio, not a count
        q = to_number(num)
        if q is None:
            continue
        if num in ("一半", "半数"):
            q = 50
        cmp_ = CMP_PRE.get(pre) if pre else None
        if post and post in CMP_POST:
            cmp_ = CMP_POST[post]
        start = m.start()
        rng = _range_low(text, a, ns)
        if rng is not None:
            if rng[1] is None:
                continue   # 1.5－4.5天 with no unit-bearing duty verb: left to the lower bound's own match
            start, q, cmp_ = rng[0], rng[1], cmp_ or ">="
            out = [o for o in out if not (start <= o[0] < ns)]
        out.append((start, m.end(), q, "%" if unit == "％" else unit, cmp_))
    return sorted(out)


def _range_low(text: str, a: int, ns: int):
    """(start, lower bound) when the count ends a range (推荐3-5名 → 3, comparator >=), else None.
    A decimal range (培训期限为1.5－4.5天) describes a span rather than a count to meet: (start, None)."""
    m = RANGE.search(text, max(a, ns - 8), ns)
    if not m or text[max(0, m.start() - 1):m.start()] == "月":
        return None   # 5月11-13日: days of a month
    if "." in m.group("lo"):
        return m.start(), None
    lo = to_number(m.group("lo"))
    return (m.start(), lo) if lo is not None else None


# what makes a figure a condition or a criterion rather than a requirement
CONDITION_END = re.compile(r"(?:的|条件下|情况下|前提下)$")   # 达到及格线的（60分以上）, …的条件下
CONDITION_START = re.compile(r"^(?:若|如果|如若|凡|假如)")
CRITERIA = re.compile(r"身高|体重|视力|分数线|及格线|合格线|满分|录取|年满|周岁|报考条件|报名条件")
# a rule that defines or scores rather than requires: 可认定为3个项目, 完成的得10分, 指…3000万元以上
DEFINITION = re.compile(r"给予[^，。；]{0,12}(?:奖励|奖补|补助|补贴|资助)|认定为|也可|亦可|均可|可同时|视为|折算为|计为|[得加扣减]\s*\d+(?:\.\d+)?\s*分|得分|^指(?![挥导定出引标南])")
# the past: statistics of what was done (自2009年开办以来…平均每年…均在90%以上)
PAST = re.compile(r"以来|历年|过去|近(?:\d+|[一二三四五六七八九十]+)年来|平均每年")
# a sentence that is a note on a form (注：一式三份，…各存一份)
NOTE_START = re.compile(r"^\s*(?:注|备注|说明)\s*[:：]")
STRICT_BEFORE = re.compile(r"(?:超过|高于|大于|低于|少于|多于|不足)$")
# after 的, a head noun that names the target itself: 达到90%的目标
TARGET_HEAD = re.compile(r"^的(?:目标|要求|任务|标准|水平|比例|比重|规模)")
STRICT_START = re.compile(r"^(?:超过|高于|大于|低于|少于|多于|不足)")
ENDS_IN_DE_NOUN = re.compile(r"的[\u4e00-\u9fff]{1,10}$")
NOUN_AFTER = re.compile(r"^[\u4e00-\u9fff（）()]+$")


def _not_required(clause: str) -> bool:
    """A clause whose figures state a condition, a criterion, a definition, a score or the past."""
    bare = TRAILING_PAREN_END.sub("", clause.strip())
    return bool(CONDITION_END.search(bare) or CONDITION_START.match(bare) or CRITERIA.search(clause)
                or DEFINITION.search(clause) or PAST.search(clause))


TRAILING_PAREN_END = re.compile(r"[（(][^（）()]*[）)]$")


def _attributive(text: str, sa: int, sb: int, qa: int, qb: int, later: bool) -> bool:
    """The figure qualifies a noun instead of being a figure to meet:
    - 船长大于90米的船舶, 占比高于50%的项目: a strict comparator, or no verb before, then 的 + noun;
    - 100吨以下压砖机, 超过4万元以上对象: a noun after the figure, and no verb in the clause at all;
    - 投资额3000万元以上项目300个: a noun after it and another figure to count later."""
    after, before = text[qb:sb], text[sa:qa]
    verb = verb_re()
    strict = bool(STRICT_BEFORE.search(before.rstrip()) or STRICT_START.match(text[qa:qb]))
    if after.startswith("的") and not TARGET_HEAD.match(after):
        return strict or not verb.search(before)
    if strict and after.startswith("、") and ENDS_IN_DE_NOUN.search(after):
        return True    # 投资额超过5亿元、新兴产业投资额超过1亿元的项目: both qualify 项目
    if after and NOUN_AFTER.match(after[:1]) and not verb.match(after):
        if later and re.match(r"[\u4e00-\u9fff]{1,6}的", after) and not verb.search(after[:6]):
            return True    # 至少为一次快检量的2倍: "N X的" qualifies the figure that follows
        if later and re.search(r"(?:以上|以下)$", text[qa:qb]) and not re.search(r"[和及与、]", after.split("，")[0][:12]):
            return True    # 投资额3000万元以上项目300个: "N以上 X" qualifies the X that is counted
        # 100吨以下压砖机 (a list item), 超过4万元以上对象: no verb, and the figure opens the
        # clause or follows a strict comparator
        bare = LEADING_LABEL.sub("", before.strip())
        near_start = len(bare) <= 1 or (bare != before.strip() and len(bare) <= 4)   # 2.直径3米以下…设备: a catalogue item
        bound = re.search(r"(?:以上|以下)$", text[qa:qb]) is not None
        return (strict or near_start and bound) and NOUN_AFTER.match(after) is not None and not verb.search(text[sa:sb])
    return False


def _split_multi(text: str, a: int, b: int, qs) -> list[tuple[int, int]]:
    """Cut a clause between two quantities joined by 、/和/及 ("…不少于15次、机关集体学习不少于12次")."""
    if len(qs) < 2:
        return [(a, b)]
    cuts = []
    for (s1, e1, *_), (s2, *_r) in zip(qs, qs[1:]):
        between = text[e1:s2]
        m = re.search(r"[、]", between)
        if m and (verb_re().search(between[m.end():])
                  or _r[-1] is not None and re.fullmatch(r"[\u4e00-\u9fff]{2,8}", between[m.end():]) is not None):
            cuts.append(e1 + m.start())   # …、机关集体学习不少于12次; 编织袋不少于5000条、救生衣不少于200件
    if not cuts:
        return [(a, b)]
    bounds, s = [], a
    for c in cuts:
        bounds.append((s, c))
        s = c + 1
    bounds.append((s, b))
    return bounds


# a comparator word up to 12 characters before a count, in the same clause
CMP_BEFORE = re.compile("(" + "|".join(sorted(map(re.escape, CMP_PRE), key=len, reverse=True)) + r")[^，。；\d]{0,12}$")


def _comparator_before(before: str) -> str | None:
    """至少开展一次: a comparator word earlier in the clause governs the count."""
    m = CMP_BEFORE.search(before)
    if m and m.group(1) not in ("达", "达到", "控制在"):
        return CMP_PRE[m.group(1)]
    return None


def _actor_after_period(clause: str, p_end: int) -> str | None:
    return leading_actor(clause[p_end:], 12)


def _own_actor(sub: str, per) -> str | None:
    """The actor a clause names itself: its leading phrase, else the one after its period word."""
    actor = leading_actor(sub)
    if per and actor is None:
        actor = _actor_after_period(sub, per[2])
    return actor


# 安排岚城分局、澳前分局各快检600批次 / 由区财金局负责…: the body named as the verb's object acts
OBJECT_ACTOR = re.compile(r"^(?:安排|要求|由|请|责成)(?P<a>[^，。；：“”]{2,30}?)(?=各|分别|负责|牵头|承担|做好)")
# a paragraph that closes with the body responsible, in brackets: …。（区市场监管局）, （区环境监测站牵头落实）,
# （牵头单位：区X局；配合单位：…）
TRAILING_OWNER = re.compile(r"[（(](?P<o>[^（）()]{2,60})[）)〉>]\s*[。；;]?\s*$")
OWNER_LABEL = re.compile(r"^(?:牵头单位|责任单位|主责单位|负责单位|责任部门|牵头部门|实施单位)\s*[:：]\s*")
OWNER_TAIL = re.compile(r"(?:牵头落实|牵头负责|负责落实|牵头|负责|落实|实施|等)+$")


OWNER_NOT = re.compile(r"见|详|附件|附录|含|下同|如|注|以|为|的")


def _elided_actor(text: str, sa: int, qa: int) -> str | None:
    """乙分局快检400批次 in a run of assignments: a body's name, then at most three characters of
    action (no duty verb), then the figure."""
    before = text[sa:qa]
    if len(before) > 14 or verb_re().search(before) or NOT_ACTOR_START.match(before):
        return None
    for cut in range(len(before) - 1, 1, -1):
        prefix = before[:cut]
        if len(before) - cut <= 3 and (ORG_TAIL.search(prefix) or ACTOR_END_RE.search(prefix)):
            return prefix
    return None


def _object_actor(sub: str) -> str | None:
    m = OBJECT_ACTOR.match(LEADING_LABEL.sub("", sub.strip()))
    if m and is_actor_phrase(m.group("a")):
        return m.group("a")
    return None


def _paragraph_owner(line_text: str) -> str | None:
    """The body a paragraph names in brackets at its end as the one responsible (the genre's
    责任单位 note), e.g. "…至少建成1个示范点。（区市场监管局）"."""
    m = TRAILING_OWNER.search(line_text)
    if not m:
        return None
    owner = OWNER_LABEL.sub("", m.group("o").strip())
    owner = re.split(r"[；;，,]", owner)[0].strip()
    owner = OWNER_TAIL.sub("", owner)
    last = owner.split("、")[-1]
    if len(owner) >= 2 and (ACTOR_END_RE.search(last) or ORG_TAIL.search(last)) and not OWNER_NOT.search(owner):
        return owner
    return None


DUTY_HEADING = re.compile(r"(?<=[\u4e00-\u9fff）)])的?(?:工作|主要|具体)?(?:职责|责任|任务分工)$")


def _heading_actor(st, line_index: int) -> str | None:
    """The nearest heading above the line that names who acts: （一）县安委会, 2.各乡镇："""
    for hi in reversed(st.section[line_index] if line_index < len(st.section) else ()):
        title = st.headings[hi].title.strip().rstrip("：:。；; ")
        title = DUTY_HEADING.sub("", title) or title   # 网格员职责, 各社区的主要任务: the body named is who acts
        if 2 <= len(title) <= 20 and is_actor_phrase(title):
            return title
    return None


def _subject_before(text: str, clauses, upto: int) -> str | None:
    """The latest subject named by a clause of the sentence before offset ``upto``: in
    "见习单位要按照…规定，…，并按月发放补贴" the subject of the last clause is 见习单位."""
    for ca, cb in reversed(clauses):
        if ca >= upto:
            continue
        actor = leading_actor(text[ca:cb].strip())
        if actor:
            return actor
    return None


def _shared_comparator(text: str, sa: int, first, actor):
    """(actor, comparator, unit) that the next clauses of a run share when the comparator stands
    before the verb (各片至少要开展…6次), not on the figure (巡查不少于2次 is that figure's own)."""
    qa, _qb, _q, unit, cmp_ = first
    if cmp_ in (">=", "<=") and actor and _comparator_before(text[sa:qa]):
        return actor, cmp_, unit
    return None


PARALLEL_RUN = re.compile(r"(?P<a>[\u4e00-\u9fff（）()]{1,12}?)(?P<p>每(?:天|日|周|月|个月|季度|季|半年|年))(?P<sep>、|(?=[\u4e00-\u9fff]))")


def _parallel_runs(sub: str):
    """[(offset, actor, period)] for "村每周、联合党委每月、片区每季度进行一次研判": several actors, each
    with its own period word, sharing one action; None unless the clause opens with two or more."""
    runs, at = [], 0
    while True:
        m = PARALLEL_RUN.match(sub, at)
        if not m:
            break
        actor = m.group("a")
        if not (is_actor_phrase(actor) or len(actor) <= 3):
            return None
        period = next((name for pat, name in PERIODS if pat.match(m.group("p"))), None)
        runs.append((m.start(), actor, period))
        at = m.end()
        if not m.group("sep"):
            break
    return runs if len(runs) >= 2 else None


class _Lazy:
    """A value computed on first call: most sentences hold no duty, and their actor is never asked for."""

    __slots__ = ("fn", "done", "value")

    def __init__(self, fn):
        self.fn, self.done, self.value = fn, False, None

    def __call__(self):
        if not self.done:
            self.value, self.done = self.fn(), True
        return self.value


@Language.factory("duban_duties", default_config={"numbered_terms": "numbered_terms.txt",
                                                 "parts": ["body", "plan_body", "attachment"]},
                  requires=["doc._.structure", "span._.signed_date"], assigns=["doc.spans", "span._.duty"])
def make_duties(nlp, name, numbered_terms: str, parts: list[str]):
    """spans "duties": each required quantity (the count, or the period word of a once-per-period
    duty), its entries {text, actor, action, quantity, unit, comparator, period, deadline, section} in
    ``span._.duty`` (a list: one figure may bind several actors, 村每周、镇每月…).
    ``numbered_terms``: the lexicon of names with a number inside (八项规定), matched by a PhraseMatcher;
    ``parts``: the parts of the notice whose sentences are read."""
    register("duty")
    matcher = PhraseMatcher(nlp.vocab)
    matcher.add("NUMBERED_TERM", [nlp.make_doc(w) for w in load_words(numbered_terms)])
    return lambda doc: duties(doc, matcher, tuple(parts))


def _heading_restated(st, text: str, ln, s0: int, s1: int, found, sub: str, per) -> bool:
    """A heading's title (（一）落实24小时值班。) whose figure, or frequency word, the paragraph after it
    on the same line states again (实行24小时值班和领导带班制度…): the requirement is read there, once."""
    if ln.index not in st.headings or s1 >= ln.end or text[ln.start:s0].strip():
        return False   # only the heading's own sentence, the first of its line, with text after it
    rest = text[s1:ln.end]
    if not found:
        return False
    if found[0][3] is None and per is not None:
        word = sub[per[1]:per[2]]
        return bool(word) and word in rest
    return all(text[f[0]:f[1]].strip() and re.sub(r"^\D*", "", text[f[0]:f[1]]) in rest for f in found)


# a section that sets the plan's targets (一、工作目标, （一）主要目标): its sentences set targets
TARGET_SECTION = re.compile(r"目标(?:任务)?$")


def _in_target_section(st, line_index: int) -> bool:
    """Whether the line lies under a heading titled by the plan's targets (工作目标, 总体目标…)."""
    return any(TARGET_SECTION.search(st.headings[h].title.strip().rstrip("：:。 ")) for h in st.section[line_index]
               if h in st.headings and h != line_index)


def duties(doc, terms_matcher, parts):
    st = doc._.structure
    all_terms = [(a, b) for _, a, b in terms_matcher(doc)]   # one token per character: offsets
    text, masked = doc_text(doc), masked_text(doc)
    year = doc_year(doc)
    masks = mention_offsets(doc)
    for s0, s1 in st.sentences:
        ln = st.norm.line_at(s0)
        if ln is None or st.parts[ln.index] not in parts:
            continue
        sentence = text[s0:s1]
        if re.search(r"[？?]\s*[”’]?$", sentence.strip()) or "多少" in sentence or NOTE_START.match(sentence):
            continue
        terms = [(a, b) for a, b in all_terms if s0 <= a and b <= s1]
        dates = [(s0 + t.begin, s0 + t.finish) for t in find_times(masked[s0:s1], year)]
        dates += [(a, b) for a, b in masks if s0 <= a < s1]
        clauses = split_clauses(sentence, s0)
        paragraph_owner = _Lazy(lambda: _paragraph_owner(ln.text))
        heading_actor = _Lazy(lambda: _heading_actor(st, ln.index))
        np_actor, prev_period, prev_actor, descriptive, shared = None, None, None, False, None
        target, prev_unit = _in_target_section(st, ln.index), None
        for ca, cb in clauses:
            if text[ca - 1:ca] in "；;":
                descriptive = shared = False   # 其中…, and a run's shared comparator, go up to the next ；
            lead = len(text[ca:cb]) - len(text[ca:cb].lstrip())
            ca += lead
            clause = text[ca:cb]
            target = target or bool(TARGET_MARK.search(clause))
            descriptive = descriptive or bool(DESCRIPTIVE.search(TARGET_BREAKDOWN.sub("", clause) if target else clause))
            if QUESTION_WORDS.search(clause) or _not_required(clause):
                continue
            qs = _quantities(text, ca, cb, dates + terms)
            for k, (sa, sb) in enumerate(_split_multi(text, ca, cb, qs)):
                sub = text[sa:sb].lstrip("、")
                sa = sb - len(sub)
                sub_qs = [q for q in qs if sa <= q[0] < sb]
                per = _period(sub)
                found = []
                for i, (qa, qb, qty, unit, cmp_) in enumerate(sub_qs):
                    before = text[sa:qa]
                    if _attributive(text, sa, sb, qa, qb, i + 1 < len(sub_qs)):
                        continue
                    strong = cmp_ is not None or _comparator_before(before) is not None   # 不低于总资金的80%
                    governed = bool(verb_re().search(before)) or COPULA.search(before) is not None \
                        or unit == "%" and verb_re().match(text, qb) is not None \
                        or unit == "%" and RATE_END.search(before) is not None   # 100%完成排查, 在岗率100%
                    if not strong and (descriptive or DESCRIPTIVE.search(TARGET_BREAKDOWN.sub("", before) if target else before)):
                        continue
                    if unit != "%" and _enumeration_before(before, qty):
                        continue   # (a percentage never counts the items listed before it)
                    if cmp_ is None:
                        cmp_ = _comparator_before(before)
                    # a count with no period, no comparator (至少…1项 has one) and no duty verb is a plain fact
                    # …; "each" (每人包保1个乡镇, 每个网格配备1名) is a requirement too
                    if not strong and cmp_ is None and not per and not prev_period and not governed \
                            and not EACH.search(before) and not (shared and unit == shared[2]) \
                            and not (target and unit) and not (unit and unit == prev_unit):
                        continue
                    found.append((qa, qb, qty, unit, cmp_ or "="))
                # a frequency with a verb and no count is one time per period (每月召开例会); 全年/年内
                # name a window, not a frequency (年内实现全覆盖 is a target, not a yearly duty)
                if not found and per and per[0] is not None and not sub_qs \
                        and (verb_re().search(sub[per[2]:]) or ONE_PER.match(sub, per[1])) \
                        and not WINDOW_WORD.match(sub, per[1]):
                    found.append((sa + per[1], sb, _times_per_period(sub, per), None, "="))
                if not found:
                    if re.fullmatch(r"[^，。；]{2,16}", sub) and is_actor_phrase(sub):
                        np_actor = sub.strip()    # a clause that is only the actor: 班子成员和机关党员干部，每周四…
                    continue
                # a rate (整改率不低于98%) or a distributive clause takes no period from the clauses before it
                # …and a clause with its own due date is a one-off (年内新增…，6月30日前完成首批10家…)
                own_due = any(t.before and t.end for t in find_times(masked[sa:sb], year))
                inherits = not (all(f[3] == "%" for f in found) or DISTRIBUTIVE.match(sub.strip()) or own_due
                                or UNIT_RATE.search(sub) or all(_time_limit(text, f) for f in found))
                period = per[0] if per else (prev_period if prev_period and inherits else None)
                if per is None and period is None:
                    period = _period_before_count(text, sa, found[0][0])   # 开展每周一次的巡查
                if per is None and re.search(r"全年|年内|今年", sub[:4]):
                    period = "year"
                actor = _own_actor(sub, per) or _object_actor(sub) or _elided_actor(text, sa, found[0][0]) or np_actor \
                    or (prev_actor if prev_period or prev_actor else None) or _subject_before(text, clauses, ca) \
                    or paragraph_owner() or heading_actor()
                if shared and found[0][4] == "=" and per is None and (k or found[0][3] == shared[2]):
                    # 各片至少要开展支委学习6次，党代表座谈会1次，…: the run shares its actor and comparator
                    actor = shared[0]
                    found = [(f[0], f[1], f[2], f[3], shared[1] if f[4] == "=" else f[4]) for f in found]
                else:
                    shared = _shared_comparator(text, sa, found[0], actor)
                if _heading_restated(st, text, ln, s0, s1, found, sub, per):
                    continue
                deadline = None
                for t in find_times(masked[sa:sb], year):
                    if t.before and t.end:
                        deadline = t.end.isoformat()
                runs = _parallel_runs(sub) if per else None   # 村每周、联合党委每月、片区每季度进行一次…
                for qa, qb, qty, unit, cmp_ in found:
                    verb = verb_re().search(sub)
                    for r_at, r_actor, r_period in runs or [(0, actor, period)]:
                        add_entry(doc, "duties", qa, qb, "DUTY", "duty",
                                  {"text": sub[r_at:].strip(), "actor": r_actor, "action": verb.group(0) if verb else None,
                                   "quantity": qty, "unit": unit, "comparator": cmp_, "period": r_period,
                                   "deadline": deadline, "section": section_of(doc, sa)})
                prev_period = period if per or prev_period else None
                prev_actor = actor
                prev_unit = found[-1][3]   # 安排甲分局各快检600批次，乙分局快检400批次: the run's next figure
    return doc
