"""Phases from headings, brackets and steps sections; deadlines in their several forms."""

DOC = """关于印发测试方案的通知
各部门：
现印发给你们。
测试局
2022年7月19日
测试方案
一、具体步骤
1. 开展交流研讨（7月中旬）。组织学习。
2. 找准差距问题（7月中旬至下旬）。查摆问题。
3. 积极争先进位（8月至12月）。
4. 强化结果运用（12月底前）。
二、工作要求
各单位于2022年8月10日前报送方案，截至2022年9月30日完成自查，每月5日前报送上月进展。
到2025年，覆盖率达到90%以上。"""


def test_phases(extract):
    ph = [(p["name"], p["start"], p["end"]) for p in extract(DOC)["phases"]]
    assert ph == [("开展交流研讨", "2022-07-11", "2022-07-20"), ("找准差距问题", "2022-07-11", "2022-07-31"),
                  ("积极争先进位", "2022-08-01", "2022-12-31"), ("强化结果运用", None, "2022-12-31")]


def test_deadlines(extract):
    dl = [d["date"] for d in extract(DOC)["deadlines"]]
    # 每月5日前 is recurring (a duty), not a dated deadline
    assert dl == ["2022-12-31", "2022-08-10", "2022-09-30", "2025-12-31"]


def test_open_ended_stage_heading(extract):
    rec = extract("""测试方案
一、实施步骤
（一）建标阶段（2021年12月下旬—2022年1月上旬）
（二）创标阶段（2023年1月开始，持续推进）""")
    assert [(p["name"], p["start"], p["end"]) for p in rec["phases"]] == [
        ("建标阶段", "2021-12-21", "2022-01-10"), ("创标阶段", "2023-01-01", None)]


def test_stages_named_in_running_text(extract):
    rec = extract("测试实施意见\n一、总体要求\n坚持分步实施、梯次推进：基础夯实期（2024—2025年），重点补齐短板；"
                  "攻坚突破期（2026—2027年），推动集群成势；引领发展期（2028年起持续推进），全面建成强市。")
    assert [(p["name"], p["start"], p["end"]) for p in rec["phases"]] == [
        ("基础夯实期", "2024-01-01", "2025-12-31"), ("攻坚突破期", "2026-01-01", "2027-12-31"),
        ("引领发展期", "2028-01-01", None)]
