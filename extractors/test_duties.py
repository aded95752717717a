"""Duties: clause by clause, shared scope, comparators, Chinese numerals, and what is not a duty."""


def _duties(extract, body):
    return extract("关于印发测试方案的通知\n" + body)["duties"]


def test_shared_period_and_actor_across_clauses(extract):
    ds = _duties(extract, "办局负责同志每周到联系代管村居不少于3次，实地调研企业不少于1天，走访企业不少于2家。")
    assert [(d["quantity"], d["unit"], d["comparator"], d["period"]) for d in ds] == [
        (3, "次", ">=", "week"), (1, "天", ">=", "week"), (2, "家", ">=", "week")]
    assert all(d["actor"] == "办局负责同志" for d in ds)


def test_two_duties_joined_by_dunhao(extract):
    ds = _duties(extract, "全年理论学习中心组集中学习不少于15次、机关集体学习不少于12次，每月自学不少于2次。")
    assert [(d["quantity"], d["period"]) for d in ds] == [(15, "year"), (12, "year"), (2, "month")]
    assert ds[0]["actor"] == "理论学习中心组"


def test_chinese_numerals_and_comparators(extract):
    ds = _duties(extract, "年内每名领导干部写出两篇以上有价值的调研报告。领导班子成员每月至少一次深入企业开展调研。")
    assert (ds[0]["quantity"], ds[0]["unit"], ds[0]["comparator"], ds[0]["period"]) == (2, "篇", ">=", "year")
    assert ds[0]["actor"] == "每名领导干部"
    assert (ds[1]["quantity"], ds[1]["comparator"], ds[1]["period"], ds[1]["actor"]) == (1, ">=", "month", "领导班子成员")


def test_rank_percentage_and_amount(extract):
    ds = _duties(extract, "确保综合指标在全市分析评议中排名前两位。参与率达到95%以上。产值规模达3000亿元。占总课时一半以上。")
    assert [(d["quantity"], d["unit"], d["comparator"]) for d in ds] == [
        (2, None, "<="), (95, "%", ">="), (3000, "亿元", ">="), (50, "%", ">=")]


def test_frequency_without_a_count(extract):
    ds = _duties(extract, "领导小组负责统筹指导全市工作，按季度召开领导小组会议。")
    assert [(d["quantity"], d["unit"], d["comparator"], d["period"], d["actor"]) for d in ds] == [
        (1, None, "=", "quarter", "领导小组")]


def test_not_duties(extract):
    body = ("招引多少个5亿元以上大项目？确定北京、吉林、安徽3个省作为试点地区。二要严格落实八项规定。"
            "项目达产后预计可新增销售收入1133亿元，利润183.4亿元。提出“三个认识、两个目标”。"
            "深入学习贯彻党的十九届六中全会精神。利用每周五下午时间开展学习。")
    assert _duties(extract, body) == []


def test_evidence_points_back_to_the_sentence(extract):
    rec = extract("测试方案\n一、任务\n每季度开展1次安全检查。")
    d = rec["duties"][0]
    assert d["evidence"]["text"] == "每季度开展1次安全检查。"
    assert d["section"] == "一、任务"


def test_actor_phrases_of_the_genre():
    from extractors.common import leading_actor

    cases = {
        "县级河长每季度巡河不少于1次": "县级河长",
        "指挥长每周召开一次项目调度会": "指挥长",
        "（2）各项目公司每日报送施工进度": "各项目公司",
        "安全员每周至少开展1次电梯安全巡查": "安全员",
        "每所中小学每学期至少开展1次食品安全宣传教育": "每所中小学",
        "各设区市至少建成1个自动监测站": "各设区市",
        "每个改造小区明确1名街道联系干部": "每个改造小区",
        "每门专业课程至少挖掘1个课程思政案例": "每门专业课程",
    }
    for clause, actor in cases.items():
        assert leading_actor(clause) == actor, clause
    # a preposition or a verb opens no actor
    assert leading_actor("与所负责学生谈心谈话") is None
    assert leading_actor("督促电梯使用单位落实责任") is None


def test_a_term_is_half_a_year_and_rates_take_no_period(extract):
    rec = extract("测试方案\n一、工作要求\n教研组长每学期听课不少于20节。"
                  "各村每月开展巡查不少于2次，问题整改率不低于98%。"
                  "各单位每年组织专题培训不少于4次，每次不少于90分钟。")
    got = {d["text"]: d["period"] for d in rec["duties"]}
    assert got["教研组长每学期听课不少于20节"] == "half_year"
    assert got["各村每月开展巡查不少于2次"] == "month"
    assert got["问题整改率不低于98%"] is None      # a rate is not done monthly
    assert got["各单位每年组织专题培训不少于4次"] == "year"
    assert got["每次不少于90分钟"] is None          # each time, not each year


def test_a_bracketed_list_in_the_actor_is_no_enumeration(extract):
    rec = extract("测试方案\n一、工作要求\n各县（市、区）每月报送冬训信息不少于2篇，及时总结推广好经验好做法。")
    assert [(d["actor"], d["quantity"], d["unit"], d["period"]) for d in rec["duties"]] == [
        ("各县（市、区）", 2, "篇", "month")]
    # a real list of named items before a count still is one
    rec = extract("测试方案\n一、工作要求\n确定紫荆苑、翠柳园、河畔小区3个示范小区。")
    assert rec["duties"] == []


def test_a_comparator_before_the_verb_makes_a_requirement(extract):
    rec = extract("测试方案\n一、工作要求\n每名党员在冬训期间至少认领1项为民服务事项，做到学有所获。")
    assert [(d["quantity"], d["unit"], d["comparator"]) for d in rec["duties"]] == [(1, "项", ">=")]
    # a plain figure with no comparator, period or duty verb stays a fact
    assert extract("测试方案\n一、基本情况\n全镇现辖12个村。")["duties"] == []


def test_each_unit_makes_a_requirement(extract):
    rec = extract("测试方案\n一、工作要求\n县级领导每人包保1个乡镇。")
    assert [(d["quantity"], d["unit"], d["comparator"]) for d in rec["duties"]] == [(1, "个", "=")]


def test_windows_ages_and_ratios_are_not_duties(extract):
    rec = extract("测试方案\n一、工作目标\n年内形成电梯安全长效监管制度。35岁以下青年教师与骨干教师结对。"
                  "旅游厕所男女厕位比例不低于1:1.5。各村每月召开例会。")
    assert [(d["text"], d["quantity"], d["period"]) for d in rec["duties"]] == [("各村每月召开例会", 1, "month")]


def test_set_phrases_with_yi_count_nothing(extract):
    rec = extract("测试方案\n一、工作要求\n确保整改一项、销号一项。把整改工作作为当前和今后一个时期的重要任务抓紧抓实。"
                  "努力建设一支师德高尚、业务精湛的教师队伍。各校每学期开展一次安全演练。")
    assert [(d["quantity"], d["unit"], d["period"]) for d in rec["duties"]] == [(1, "次", "half_year")]


def test_figures_that_describe_qualify_or_define_are_not_duties(extract):
    body = ("测试方案\n一、工作安排\n整治工作分三个阶段进行：\n主要完成四项工作：一是摸底。\n"
            "深入学习贯彻党的二十届三次全会精神。\n开展二次供水设施检查。\n"
            "贯彻落实关于加强安全生产工作的十五条硬措施。\n统计截止日期为每月最后一个工作日。\n"
            "学校自2010年开办以来，成绩突出，平均每年升学率均在90%以上。\n"
            "体育测试成绩达到合格线的（60分以上），按得分计入总分。\n"
            "报考学生身高不低于165厘米。\n"
            "新引进一个平台型总部可认定为3个注册型项目。\n完成任务的得10分。\n"
            "指新增固定资产投资额3000万元以上。\n"
            "2.船长大于90米的海洋钢质船舶的建造工艺。\n17.100吨以下压砖机\n"
            "注：一式三份，各单位各存一份。\n")
    assert extract(body)["duties"] == []


def test_a_qualifier_before_the_counted_noun_is_not_the_count(extract):
    ds = extract("测试方案\n一、目标\n全年新引进投资额3000万元以上项目30个。每位学员每年参加培训不超过3次（含3次）。")["duties"]
    assert [(d["quantity"], d["unit"], d["comparator"]) for d in ds] == [(30, "个", "="), (3, "次", "<=")]


def test_a_comparator_far_before_the_figure_keeps_it_a_requirement(extract):
    ds = extract("测试方案\n一、资金\n其中，用于开展培训的资金不低于总资金的80%。")["duties"]
    assert [(d["quantity"], d["unit"], d["comparator"]) for d in ds] == [(80, "%", ">=")]


def test_a_range_gives_its_lower_bound(extract):
    ds = extract("测试方案\n一、工作要求\n各乡镇推荐3-5名优秀网格员。各县选树5至8个示范村。")["duties"]
    assert [(d["quantity"], d["unit"], d["comparator"]) for d in ds] == [(3, "名", ">="), (5, "个", ">=")]


def test_frequencies_without_digits_and_recurring_reports(extract):
    body = ("测试方案\n一、工作要求\n机关党员每逢周五下午集中学习。领导小组半月一调度，一季一通报。"
            "各网格开展每周一次的巡查。各乡镇每天10时前报送排查情况。各部门于每月25日之前报送工作进展。"
            "各片区分别于每月10日和25日前报送信息。各村100%完成排查。")
    got = [(d["actor"], d["quantity"], d["unit"], d["period"]) for d in extract(body)["duties"]]
    assert got == [("机关党员", 1, None, "week"), ("领导小组", 2, None, "month"), ("领导小组", 1, None, "quarter"),
                   ("各网格", 1, "次", "week"), ("各乡镇", 1, None, "day"), ("各部门", 1, None, "month"),
                   ("各片区", 2, None, "month"), ("各村", 100, "%", None)]


def test_each_body_is_an_actor():
    from extractors.common import leading_actor

    assert leading_actor("各片至少要开展集中学习6次") == "各片"
    assert leading_actor("各学习试点也要安排一名联络员") == "各学习试点"
    assert leading_actor("各片区分别于每月10日前报送") == "各片区"
    assert leading_actor("各项工作要落实到位") is None


def test_actor_scope_clause_sentence_paragraph_heading(extract):
    rec = extract("测试方案\n一、工作任务\n"
                  "（一）加强监测。组织蔬菜质量监测，每个月至少快速抽检1次，发现问题立即处理。（县农业农村局）\n"
                  "（二）公开信息。每季度向社会公开水质监测信息。（县环境监测站牵头落实）\n"
                  "（三）做好保障。按规定，见习单位要指定专人指导带班，并按月发放生活补贴。\n"
                  "（四）各乡镇\n每月开展1次安全巡查。\n"
                  "（五）任务安排。安排甲分局、乙分局各快检600批次，县检测中心承担快检2000批次。")
    got = [(d["actor"], d["quantity"], d["unit"], d["period"]) for d in rec["duties"]]
    assert got == [("县农业农村局", 1, "次", "month"), ("县环境监测站", 1, None, "quarter"),
                   ("见习单位", 1, None, "month"), ("各乡镇", 1, "次", "month"),
                   ("甲分局、乙分局", 600, "批次", None), ("县检测中心", 2000, "批次", None)]


def test_a_run_shares_the_comparator_before_its_verb(extract):
    rec = extract("测试方案\n一、学习安排\n到年底，各片至少要开展支委集中学习6次，党员代表座谈会1次，领导讲党课1次。"
                  "安全员每周至少开展1次巡查，使用单位每月召开一次调度会。")
    got = [(d["actor"], d["quantity"], d["comparator"], d["period"]) for d in rec["duties"]]
    assert got == [("各片", 6, ">=", None), ("各片", 1, ">=", None), ("各片", 1, ">=", None),
                   ("安全员", 1, ">=", "week"), ("使用单位", 1, "=", "month")]


def test_several_actors_each_with_its_period(extract):
    rec = extract("测试方案\n一、工作机制\n村每周、镇每月、县每季度进行一次信息汇总分析。")
    assert [(d["actor"], d["quantity"], d["period"]) for d in rec["duties"]] == [
        ("村", 1, "week"), ("镇", 1, "month"), ("县", 1, "quarter")]


def test_targets_their_breakdown_and_elided_runs(extract):
    rec = extract("测试方案\n一、工作目标\n力争到2026年底，策划生成80个产业项目，其中包含20个以上用地项目。"
                  "安排甲分局各快检600批次，乙分局快检400批次。"
                  "快检人员应当自接到样品4个小时（工作时间）内出结果。"
                  "依托数据中心等项目，力争一个产业要配套一支基金。")
    got = [(d["actor"], d["quantity"], d["unit"], d["comparator"]) for d in rec["duties"]]
    assert got == [(None, 80, "个", "="), (None, 20, "个", ">="), ("甲分局", 600, "批次", "="),
                   ("乙分局", 400, "批次", "="), ("快检人员", 4, "个小时", "<=")]


def test_this_year_catalogue_items_and_rewards(extract):
    rec = extract("测试方案\n一、要求\n每位学员本年度可参加培训不超过3次。\n2.直径3米（不含）以下水泥粉磨设备\n"
                  "营业收入达到10亿元的企业，给予50万元工作经费奖励。")
    assert [(d["actor"], d["quantity"], d["comparator"], d["period"]) for d in rec["duties"]] == [
        ("每位学员", 3, "<=", "year")]


def test_frequency_after_an_actor_with_a_verb_like_noun(extract):
    # 督导/学习/整改 read as verbs, yet here they end the actor: the 每-frequency still opens the duty
    ds = _duties(extract, "市级督导每学期听课不少于40学时。机关学习小组每月集中学习不少于1次。整改进展每周报告一次。")
    assert [(d["quantity"], d["period"]) for d in ds] == [(40, "half_year"), (1, "month"), (1, "week")]
    # a frequency inside the predicate is no opening: 要组织每周…
    ds = _duties(extract, "各单位要组织不少于2次培训，每次不少于2小时。")
    assert ds[0]["period"] is None


def test_a_clause_with_its_own_due_date_takes_no_period_from_before(extract):
    ds = _duties(extract, "年内新增绿地不少于5公顷，9月30日前完成首批3个公园建设。\n某市园林局\n2023年3月1日")
    assert [(d["quantity"], d["period"]) for d in ds] == [(5, "year"), (3, None)]


def test_yicixing_is_no_count(extract):
    ds = _duties(extract, "对吸纳就业的企业发放一次性补助。各地每月组织招聘会不少于1次。")
    assert [(d["quantity"], d["period"]) for d in ds] == [(1, "month")]


def test_rates_and_listed_subjects_before_a_percentage(extract):
    # a percentage never counts the items listed before it; a rate named right before it is a target
    ds = _duties(extract, "路灯、井盖完好率达到98%。网格员在岗率100%。新建公厕12座。")
    assert [(d["quantity"], d["unit"], d["comparator"]) for d in ds] == [(98, "%", ">="), (100, "%", "="), (12, "座", "=")]


def test_an_actor_with_a_verb_like_noun_before_its_frequency(extract):
    ds = _duties(extract, "各科室按计划推进，人事处每月通报一次进度。区级督导每学期听课不少于20学时。")
    assert [d["actor"] for d in ds] == ["人事处", "区级督导"]


def test_this_year_and_unit_rates(extract):
    ds = _duties(extract, "今年新开工项目不少于10个。全年设置公益岗位不少于300个，保洁岗位每小时报酬不低于18元。")
    assert [(d["quantity"], d["period"]) for d in ds] == [(10, "year"), (300, "year"), (18, None)]


def test_a_time_limit_takes_no_period_and_a_section_acts(extract):
    ds = _duties(extract, "各街道每月至少开展2次巡查，发现问题于24小时内处置。综合科每季度组织一次考评。")
    assert [(d["quantity"], d["period"]) for d in ds] == [(2, "month"), (24, None), (1, "quarter")]
    assert ds[2]["actor"] == "综合科"


def test_clock_times_a_restating_heading_and_a_named_reporting_rule(extract):
    """8:30前 is a clock time, not a clause boundary; a heading whose figure the paragraph states again
    (（一）落实24小时值班。…实行24小时值班…) is read once; 建立每月报送制度 names a rule, not a duty."""
    ds = _duties(extract, "一、工作措施\n（一）落实24小时值班。汛期内各村安排24小时值班。\n"
                          "（二）严格每日报送。各村每日9:00前、17:00前两次报送雨情。\n"
                          "（三）建立每月报送制度。各站每月5日前报送上月工作情况。")
    assert [(d["quantity"], d["unit"], d["period"]) for d in ds] == [(24, "小时", None), (2, "次", "day"), (1, None, "month")]
    assert ds[1]["actor"] == "各村"


def test_two_stock_figures_joined_by_dunhao(extract):
    ds = _duties(extract, "镇物资仓库储备沙袋不少于3000条、救生圈不少于80个。")
    assert [(d["quantity"], d["unit"], d["comparator"]) for d in ds] == [(3000, "条", ">="), (80, "个", ">=")]


def test_each_class_or_bus_and_a_village_committee_act(extract):
    ds = _duties(extract, "每组每周开展一次安全检查。每车配备带队老师不少于2名。各村（居）委会每日报送一次巡查情况。")
    assert [d["actor"] for d in ds] == ["每组", "每车", "各村（居）委会"]


def test_sub_targets_under_a_targets_heading(extract):
    """Under 工作目标, 其中 splits a target into sub-targets (not a description), as it does after 力争."""
    ds = _duties(extract, "一、工作目标\n到2026年底，全县卫生院全部达到基本标准，其中5家达到推荐标准。\n"
                          "二、基本情况\n全县现有卫生院12家，其中4家达到推荐标准。")
    assert [(d["quantity"], d["unit"]) for d in ds] == [(5, "家")]


def test_teams_formed_are_counted(extract):
    ds = _duties(extract, "县局成立3个巡查组，每月开展一次巡查。")
    assert [(d["quantity"], d["unit"], d["period"]) for d in ds][:1] == [(3, "个", None)]
    assert ds[0]["actor"] == "县局"


def test_a_daily_time_with_its_minimum(extract):
    """每天…时间不少于N分钟 is a daily duty; 每周…时间 with no figure to meet stays no period word."""
    ds = _duties(extract, "各班每天课外活动时间不少于30分钟。")
    assert [(d["quantity"], d["unit"], d["comparator"], d["period"]) for d in ds] == [(30, "分钟", ">=", "day")]


def test_a_duties_heading_names_who_acts(extract):
    """二、护林员职责 / 三、各村的主要职责: the body before 职责 acts in the items below that name no actor."""
    rec = extract("测试方案\n二、护林员职责\n（一）孤寡老人每月上门探视2次。\n（二）发现险情要在1小时内报告。\n"
                  "三、各村的主要职责\n（一）每季度组织演练1次。")
    got = [(d["actor"], d["quantity"], d["period"]) for d in rec["duties"]]
    assert got == [("护林员", 2, "month"), ("护林员", 1, None), ("各村", 1, "quarter")]


def test_people_counted_in_wei_and_each_piece(extract):
    """2位 counts people as 2名 does (排名前两位 stays a rank); 每篇/每件 is "each" like 每个."""
    got = [(d["quantity"], d["unit"], d["comparator"]) for d in _duties(
        extract, "每个考场配备2位监考教师。每篇报告送3位专家评审。争取排名前两位。")]
    assert got == [(2, "位", "="), (3, "位", "="), (2, None, "<=")]
