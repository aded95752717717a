"""Phases from headings, brackets and steps sections; deadlines in their several forms."""
import re
from pathlib import Path

import pytest

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


def test_deadline_forms(extract):
    rec = extract("""测试方案
一、工作安排
各校于5月15日上报名单，10月8日17:00前提交材料。
分别于3月10日、9月25日前报送进展情况。
到11月底，各支部至少开展集中学习4次。
由区农业局在下一年度1月底汇总报送市农业局。
1.准备阶段（至3月25日）
二、重点任务
（一）开展宣传活动
组织全体人员参加宣传。
完成时限：6月15日前
三、其他
1990年之前建成的老旧房屋纳入排查范围。
测试局
2023年2月1日""")
    got = [(d["date"], d["task"]) for d in rec["deadlines"]]
    assert got == [("2023-05-15", "上报名单"), ("2023-10-08", "提交材料"), ("2023-03-10", "报送进展情况"),
                   ("2023-09-25", "报送进展情况"), ("2023-11-30", "至少开展集中学习4次"),
                   ("2024-01-31", "汇总报送市农业局"), ("2023-06-15", "开展宣传活动")]
    # the stage's window is a phase, not a deadline; 1990年之前 describes the houses
    assert [(p["name"], p["start"], p["end"]) for p in rec["phases"]] == [("准备阶段", None, "2023-03-25")]


def test_deadline_task_is_what_is_due(extract):
    rec = extract("""测试方案
一、工作要求
6月20日前，各乡镇，各企业要全面排查本辖区隐患。
到2025年，全市覆盖率达到90%以上。
各单位要于2023年3月5日前，将自查报告报送领导小组办公室。
测试局
2023年2月1日""")
    assert [(d["date"], d["task"]) for d in rec["deadlines"]] == [
        ("2023-06-20", "全面排查本辖区隐患"), ("2025-12-31", "覆盖率达到90%以上"),
        ("2023-03-05", "将自查报告报送领导小组办公室")]


REAL = Path(__file__).resolve().parents[1] / ".." / "shared" / "eval" / "real" / "docs"
BAD_TASK = re.compile(r"^(?:到|至|于|在|前|此项工作|该项工作|这项工作)$")


@pytest.mark.skipif(not REAL.is_dir(), reason="the shared real notices are absent")
def test_deadline_tasks_of_the_real_notices():
    """Over every deadline of the shared real notices: the task is a task, never a time phrase, a function
    word, the actor alone, 此项工作, a heading cut at its bracket, or shorter than two characters."""
    from extractors.deadlines import _only_time
    from pipeline.extraction.api import extract_file

    bad = []
    for path in sorted(REAL.iterdir()):
        for d in extract_file(path)["deadlines"]:
            t = d["task"]
            if t is None:
                continue   # no task could be told: left out rather than wrong
            if (len(t) < 2 or BAD_TASK.match(t) or _only_time(t) or t == d["actor"]
                    or re.search(r"[（(][^）)]*$", t)):
                bad.append((path.name, d["date"], t))
    assert bad == []


def test_deadline_task_from_the_heading(extract):
    rec = extract("""测试方案
一、重点任务
（一）主动联系学习对象。各单位通过多种方式联系对象，此项工作需于2023年3月10日前完成。
（二）报送材料。各单位于4月1日前报县工作组办公室。
测试局
2023年2月1日""")
    assert [(d["date"], d["task"]) for d in rec["deadlines"]] == [
        ("2023-03-10", "主动联系学习对象"), ("2023-04-01", "报县工作组办公室")]


def _phases(rec):
    return [(p["name"], p["start"], p["end"]) for p in rec["phases"]]


def test_stage_heading_with_its_date_in_the_text(extract):
    # a stage named by its heading, its window only an end in the text below: start null; a heading
    # ending in 阶段 with no time at all outside a steps section is no stage
    rec = extract("""测试方案
一、总体要求
（一）进入高质量发展新阶段
形势要求我们提高认识。
二、工作措施
（一）全面排查阶段。5月10日前，各乡镇要全面排查辖区内隐患。
（二）集中整治阶段。各部门要于今年9月30日前完成整改。
测试局
2023年2月1日""")
    assert _phases(rec) == [("全面排查阶段", None, "2023-05-10"), ("集中整治阶段", None, "2023-09-30")]


def test_stages_in_running_text_without_brackets(extract):
    rec = extract("""测试方案
三、实施步骤说明
整治工作分三个阶段推进：第一阶段为4月1日至4月30日，重点排查。第二阶段为5月1日至6月15日，集中整改。第三阶段为6月16日至7月31日，总结提升。
测试局
2023年2月1日""")
    assert _phases(rec) == [("第一阶段", "2023-04-01", "2023-04-30"), ("第二阶段", "2023-05-01", "2023-06-15"),
                            ("第三阶段", "2023-06-16", "2023-07-31")]


def test_stage_years_from_the_plan_context(extract):
    # signed in 2022; the steps section says the plan runs from 2023: stages without a year are in 2023,
    # and a stage after one ending in December starts in the next year
    rec = extract("""测试方案
三、实施步骤
活动自2023年3月起，分三个阶段进行。
（一）动员部署阶段（3月至4月中旬）
（二）集中推进阶段（4月下旬至12月）
（三）总结提升阶段（1月至2月）
测试局
2022年12月20日""")
    assert _phases(rec) == [("动员部署阶段", "2023-03-01", "2023-04-20"), ("集中推进阶段", "2023-04-21", "2023-12-31"),
                            ("总结提升阶段", "2024-01-01", "2024-02-29")]


def test_schedule_lines_are_stages(extract):
    # the dated steps of a 时间安排 given as plain lines (a flattened table), name first or date first
    rec = extract("""测试方案
五、时间安排
报名：3月1日—3月10日
资格审查：3月11日至15日
3月20日 组织考试
评审公示：3-4月
六、检查时间和方式
检查时间：2023年5月-11月。
检查方式：现场检查。
七、工作要求
总体安排：2月底前完成摸底，3月底前完成部署。
测试局
2023年2月1日""")
    assert _phases(rec) == [("报名", "2023-03-01", "2023-03-10"), ("资格审查", "2023-03-11", "2023-03-15"),
                            ("组织考试", "2023-03-20", "2023-03-20"), ("评审公示", "2023-03-01", "2023-04-30"),
                            ("检查时间", "2023-05-01", "2023-11-30")]


def test_activities_with_month_windows(extract):
    rec = extract("""测试活动方案
二、活动内容
（一）开展读书分享活动（3月—5月）
（二）举办知识竞赛（6-8月）
测试局
2023年2月1日""")
    assert _phases(rec) == [("开展读书分享活动", "2023-03-01", "2023-05-31"), ("举办知识竞赛", "2023-06-01", "2023-08-31")]


def test_the_period_data_cover_is_no_stage(extract):
    rec = extract("""测试统计方案
二、统计要求
（一）统计时间：2023年1月1日起至2023年12月31日。
（二）报送时间：2024年1月10日前。
测试局
2023年2月1日""")
    assert _phases(rec) == []


def test_schedule_table_rows_and_windows_before_a_colon(extract):
    rec = extract("""测试方案
三、实施步骤
1.宣传发动（3月1日—3月15日）：各单位召开动员会，广泛宣传，营造浓厚氛围，确保全体人员知晓活动内容和要求。
2.组织实施（3月16日—5月31日）：按计划推进。
四、时间安排
序号 时间 工作内容
1 6月1日—6月10日 报名
2 6月15日 组织考试
评审 6月20日至25日
测试局
2023年2月1日""")
    assert _phases(rec) == [("宣传发动", "2023-03-01", "2023-03-15"), ("组织实施", "2023-03-16", "2023-05-31"),
                            ("报名", "2023-06-01", "2023-06-10"), ("组织考试", "2023-06-15", "2023-06-15"),
                            ("评审", "2023-06-20", "2023-06-25")]


def test_schedule_submissions_are_deadlines_and_bracketed_due_dates_name_their_task(extract):
    rec = extract("""测试方案
一、重点任务
（一）强化结果运用（12月底前完成）
（二）各镇于6月1日（星期四）下午5点前将报表报送至县办。
二、时间安排
6月3日 上报总结材料
6月5日：召开推进会
测试局
2023年2月1日""")
    assert _phases(rec) == [("召开推进会", "2023-06-05", "2023-06-05")]
    assert [(d["date"], d["task"]) for d in rec["deadlines"]] == [
        ("2023-12-31", "强化结果运用"), ("2023-06-01", "将报表报送至县办"), ("2023-06-03", "上报总结材料")]


def test_chronology_holds_within_one_steps_section_only(extract):
    rec = extract("""测试活动方案
二、实施步骤
（一）部署阶段（10月）
（二）总结阶段（12月）
三、活动内容
（一）开展读书活动（3月—5月）
测试局
2023年2月1日""")
    assert _phases(rec) == [("部署阶段", "2023-10-01", "2023-10-31"), ("总结阶段", "2023-12-01", "2023-12-31"),
                            ("开展读书活动", "2023-03-01", "2023-05-31")]


def test_stages_named_in_running_text_with_their_own_names(extract):
    rec = extract("""湖塘镇消防安全专项整治方案
为做好2023年消防安全工作，制定本方案。
一、工作安排
整治分三个阶段。第一阶段为摸底排查阶段，5月1日至5月20日，各村全面排查；第二阶段为集中整治阶段，5月21日至8月31日，镇安办组织检查；第三阶段是巩固提升阶段，时间为9月1日至9月30日，健全长效机制。
湖塘镇人民政府
2023年4月25日""")
    assert [(p["name"], p["start"], p["end"]) for p in rec["phases"]] == [
        ("摸底排查阶段", "2023-05-01", "2023-05-20"), ("集中整治阶段", "2023-05-21", "2023-08-31"),
        ("巩固提升阶段", "2023-09-01", "2023-09-30")]


def test_month_lines_of_a_study_schedule_and_a_window_named_after_it(extract):
    rec = extract("""2022年机关干部学习计划
一、学习安排
3月：学习党章党规。
4月—5月：开展专题研讨。
二、主要活动
（一）集中宣传。6月8—14日为全系统法治宣传周，各单位组织宣讲。
市直机关工委
2022年2月20日""")
    got = [(p["start"], p["end"]) for p in rec["phases"]]
    assert got == [("2022-03-01", "2022-03-31"), ("2022-04-01", "2022-05-31"), ("2022-06-08", "2022-06-14")]
    assert rec["phases"][-1]["name"] == "全系统法治宣传周"


def test_a_task_table_flattened_to_lines_gives_deadlines_and_assignments(extract):
    rec = extract("""关于印发《2023年河湖清障行动方案》的通知
各县（区）水利局：
现将方案印发给你们。
北川省水利厅
2023年3月2日
附件
重点任务分工表
序号　任务　牵头单位　责任人　完成时限
1　清理河道违建　省河湖处　邵建平　2023年6月30日
2　修订巡河制度　省政策法规处　严丽　2023年9月15日
阶段　时间　主要工作
排查　4月1日—4月30日　全面排查""")
    assert [(d["date"], d["task"]) for d in rec["deadlines"]] == [
        ("2023-06-30", "清理河道违建"), ("2023-09-15", "修订巡河制度")]
    assert [(a["name"], a["duties"]) for a in rec["assignments"]] == [
        ("邵建平", ["清理河道违建"]), ("严丽", ["修订巡河制度"])]


def test_a_stage_label_with_its_window_then_its_name(extract):
    rec = extract("""2022年读书月活动方案
一、实施步骤
第一阶段（2022年5月—6月）：宣传发动。各单位制定方案。
第二阶段（2022年7月—8月）：集中开展。""")
    assert [(p["name"], p["start"], p["end"]) for p in rec["phases"]] == [
        ("第一阶段：宣传发动", "2022-05-01", "2022-06-30"), ("第二阶段：集中开展", "2022-07-01", "2022-08-31")]


def test_windows_opening_the_clauses_of_a_schedule_section(extract):
    rec = extract("""某县2023年污水管网改造工作方案
一、进度安排
上半年完成项目设计招标，三季度完成管网铺设，11月底前全部完工。
某县人民政府
2023年2月10日""")
    assert [(p["name"], p["start"], p["end"]) for p in rec["phases"]] == [
        ("完成项目设计招标", "2023-01-01", "2023-06-30"), ("完成管网铺设", "2023-07-01", "2023-09-30")]
    assert [d["date"] for d in rec["deadlines"]] == ["2023-11-30"]


def test_a_day_by_day_schedule_and_a_season_period_section(extract):
    """A 研学 schedule's days with their date in brackets are one-day stages; a section titled by a season
    (主汛期时间) gives the plan's period."""
    rec = extract("""城东小学2024年五年级研学活动方案
一、汛期时间
今年汛期为5月15日至9月15日。
二、时间安排
第一天（6月4日）：7:40在校门口集合，参观自然博物馆。负责人：甘立。
第二天（6月5日）：赴茶园开展采茶体验，下午16:30返校。负责人：岑小华。
城东小学
2024年5月6日""")
    assert [(p["start"], p["end"]) for p in rec["phases"]] == [
        ("2024-05-15", "2024-09-15"), ("2024-06-04", "2024-06-04"), ("2024-06-05", "2024-06-05")]
    assert [p["name"] for p in rec["phases"]][1:] == ["第一天", "第二天"]
