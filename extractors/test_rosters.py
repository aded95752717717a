"""Rosters: line lists with alignment spaces, continuation lines, inline sentences, the office."""


def _members(rec):
    return [(m["role"], m["name"], m["title"]) for r in rec["rosters"] for m in r["members"]]


def test_line_list_with_alignment_spaces(extract):
    rec = extract("""测试方案
成立测试专项行动领导小组，组成人员如下：
组      长：王之成  党工委书记、管委会主任
副  组  长：孟  磊  党工委委员、管委会副主任
汝东升  管委会副主任（挂职）
成　　员：吕  东  应急环保部副部长、
领导小组下设办公室，由孟磊同志兼任办公室主任。""")
    assert _members(rec) == [
        ("组长", "王之成", "党工委书记、管委会主任"), ("副组长", "孟磊", "党工委委员、管委会副主任"),
        ("副组长", "汝东升", "管委会副主任（挂职）"), ("成员", "吕东", "应急环保部副部长"), ("办公室主任", "孟磊", None)]
    assert rec["rosters"][0]["group"] == "测试专项行动领导小组"
    assert rec["rosters"][0]["office"]["director"] == "孟磊"


def test_inline_roster(extract):
    rec = extract("""测试方案
成立行动领导小组。管委会主任魏修国、党组书记刘明同志任组长，傅裕、李桂军同志为成员。""")
    assert _members(rec) == [("组长", "魏修国", "管委会主任"), ("组长", "刘明", "党组书记"),
                             ("成员", "傅裕", None), ("成员", "李桂军", None)]


def test_by_position_and_head_by(extract):
    rec = extract("""测试方案
领导小组组长由代市长杜汇良担任，副组长由市人民政府各副市长担任。""")
    assert _members(rec) == [("组长", "杜汇良", "代市长"), ("副组长", None, "市人民政府各副市长")]


def test_bracketed_title_and_office_head(extract):
    rec = extract("""测试方案
成立工作专班。
成  员：周  建（区财政局）
办公室主任由生态环境部副部长赵英民兼任。""")
    assert _members(rec) == [("成员", "周建", "区财政局"), ("办公室主任", "赵英民", "生态环境部副部长")]


def test_everyday_words_opening_with_a_surname_are_not_names():
    from extractors.common import is_name

    for word in ("管理", "单位主要", "方案", "常务"):
        assert not is_name(word)
    for name in ("王建华", "黎明", "田野", "刘明", "魏修国"):
        assert is_name(name)


def test_no_assignment_from_a_sentence_without_a_person(extract):
    rec = extract("2019年12月底前，试点地区完成政府网站集约化工作，实现本地区各级各类政府网站资源优化融合、"
                  "平台整合安全、数据互认共享、管理统筹规范、服务便捷高效。")
    assert rec["assignments"] == []


def test_bare_names_given_duties_one_after_another(extract):
    rec = extract("测试方案\n三、保障措施\n卢秀英负责创建工作总体推进；蔡军负责网格党支部建设和党员管理；"
                  "潘婷负责居民议事和志愿服务工作。各网格员负责日常巡查。")
    assert [(a["name"], a["duties"]) for a in rec["assignments"]] == [
        ("卢秀英", ["负责创建工作总体推进"]), ("蔡军", ["负责网格党支部建设和党员管理"]),
        ("潘婷", ["负责居民议事和志愿服务工作"])]
    # one bare name alone is not enough to be sure it is a person
    assert extract("测试方案\n一、要求\n张明负责全面工作。")["assignments"] == []


def _groups(rec):
    return [(r["group"], [(m["role"], m["name"]) for m in r["members"] if m["name"]]) for r in rec["rosters"]]


def test_several_members_to_a_line_with_alignment_spaces(extract):
    """Four people on one line: two-character names keep their alignment space; a unit may stand among them."""
    rec = extract("""测试方案
成立测试工作领导小组，组成人员如下：
组  长：周大为  县长
成  员：张 伟 李明辉 王 芳 赵国强
孙小红、钱 多、吴某某
县林业站 郑大同 冯 雪""")
    assert [(r, n) for r, n, _ in _members(rec)] == [
        ("组长", "周大为"), ("成员", "张伟"), ("成员", "李明辉"), ("成员", "王芳"), ("成员", "赵国强"),
        ("成员", "孙小红"), ("成员", "钱多"), ("成员", "吴某某"), ("成员", None), ("成员", "郑大同"), ("成员", "冯雪")]


def test_first_deputy_titles_with_commas_and_ex_officio(extract):
    rec = extract("""测试方案
成立测试工作领导小组。
组    长：周大为  县委书记
第一副组长：许小泽  县委副书记、县长
副 组 长：王某某  县委常委，某某片区党工委书记
秘    书：李小兰  县委办干部
主    任：陈大海（兼）""")
    assert _members(rec) == [("组长", "周大为", "县委书记"), ("第一副组长", "许小泽", "县委副书记、县长"),
                             ("副组长", "王某某", "县委常委，某某片区党工委书记"), ("秘书", "李小兰", "县委办干部"),
                             ("主任", "陈大海", None)]


def test_sub_groups_each_get_their_roster(extract):
    """Several groups in one notice: one roster per sub-group heading, the same person in each."""
    rec = extract("""测试方案
一、领导小组
组  长：周大为  局长
副组长：王小明  副局长
二、工作组
（一）综合协调组
组  长：王小明
成  员：张 伟 李明辉
工作职责：负责综合协调。
（二）督导考核组
组  长：王小明
成  员：赵国强 孙小红""")
    groups = _groups(rec)
    assert [g for g, _ in groups][1:] == ["综合协调组", "督导考核组"]
    assert groups[1][1] == [("组长", "王小明"), ("成员", "张伟"), ("成员", "李明辉")]
    assert groups[2][1] == [("组长", "王小明"), ("成员", "赵国强"), ("成员", "孙小红")]


def test_rosters_run_together_on_a_flattened_page(extract):
    rec = extract("""测试方案
成立测试工作领导小组。
组长：周大为 县委书记、县长第一副组长：许小泽 县委副书记成员：张 伟 李明辉""")
    assert [(r, n) for r, n, _ in _members(rec)] == [("组长", "周大为"), ("第一副组长", "许小泽"),
                                                     ("成员", "张伟"), ("成员", "李明辉")]
    assert _members(rec)[0][2] == "县委书记、县长"


def test_ocr_lost_the_gap_between_name_and_title(extract):
    rec = extract("""测试方案
成立测试工作领导小组。
组长： 王大成党工委书记、管委会主任
副组长：许明泽区党工委副书记
刘用之县委常委、副县长""")
    assert _members(rec) == [("组长", "王大成", "党工委书记、管委会主任"), ("副组长", "许明泽", "区党工委副书记"),
                             ("副组长", "刘用之", "县委常委、副县长")]


def test_an_office_list_takes_office_roles(extract):
    """Under a header naming the office's members, 主任/副主任 are the office's."""
    rec = extract("""测试方案
一、县应急委员会组成人员
主  任：周大为  县长
副主任：王小明  副县长
二、县应急委员会办公室组成人员
主  任：王小明（兼）
副主任：李 强  县应急局副局长""")
    assert _members(rec) == [("主任", "周大为", "县长"), ("副主任", "王小明", "副县长"),
                             ("办公室主任", "王小明", None), ("办公室副主任", "李强", "县应急局副局长")]


def test_group_name_with_quotes_and_spaces_and_never_its_abbreviation(extract):
    rec = extract("""测试方案
决定成立某某县“提质增效 争先创优”工作小组（以下简称工作小组），组成人员如下：
组  长：周大为  县长""")
    assert rec["rosters"][0]["group"] == "某某县“提质增效 争先创优”工作小组"


def test_office_posts_in_sentences(extract):
    """The office's posts given in the sentence that sets the office up, several to a post, titles around names."""
    rec = extract("""测试方案
成立测试工作领导小组。
组  长：周大为  县长
领导小组下设办公室，县发展局李小强副局长、某某银行县支行郭小云副行长担任办公室主任，县发展局规划科吴小刚科长担任办公室副主任。
指挥部下设办公室，办公室主任由薛小忠兼任，副主任由芦小洋、李小庄担任，成员由魏小清、林小盛组成。""")
    assert _members(rec)[1:] == [
        ("办公室主任", "李小强", "县发展局副局长"), ("办公室主任", "郭小云", "某某银行县支行副行长"),
        ("办公室副主任", "吴小刚", "县发展局规划科科长"), ("办公室主任", "薛小忠", None),
        ("办公室副主任", "芦小洋", None), ("办公室副主任", "李小庄", None),
        ("办公室成员", "魏小清", None), ("办公室成员", "林小盛", None)]


def test_sub_groups_headed_by_a_responsible_person(extract):
    """测评一组/二组 each with its 负责人 and 成员."""
    rec = extract("""测试方案
三、测评安排
测评一组
负责人：王小明
成  员：张 伟 李明辉
测评二组
负责人：赵国强
成  员：孙小红、钱 多""")
    assert _groups(rec) == [("测评一组", [("负责人", "王小明"), ("成员", "张伟"), ("成员", "李明辉")]),
                            ("测评二组", [("负责人", "赵国强"), ("成员", "孙小红"), ("成员", "钱多")])]


def test_roster_starting_inside_a_flattened_line(extract):
    rec = extract("""测试方案
为加强领导，决定成立测试工作领导小组，名单如下：组长：周大为 县长副组长：许小泽 副县长""")
    assert [(r, n) for r, n, _ in _members(rec)] == [("组长", "周大为"), ("副组长", "许小泽")]


def test_a_group_named_bare_is_the_full_one_set_up_before(extract):
    rec = extract("""测试方案
一、组织领导
为加强领导，成立某某县营商环境提升工作领导小组（下称领导小组），领导小组组长由县长周大为担任。
二、领导小组
副组长：许小泽  副县长""")
    assert [r["group"] for r in rec["rosters"]] == ["某某县营商环境提升工作领导小组"]


def _assigned(rec):
    return [(a["name"], a["duties"]) for a in rec["assignments"]]


def test_assignments_after_labels_in_a_task_list(extract):
    """分工 as labels at the end of each task: the person (with or without a unit) gets the item's task."""
    rec = extract("""测试方案
三、工作安排
（一）道路修复方面。加快道路修复，完成路灯更换。牵头单位联系人：县住建局王小明 落实单位责任人：某某物业李大海 完成时限：5月1日前。
（二）环境卫生方面。
1.垃圾清运牵头单位联系人:包片干部和社区干部 落实单位责任人：某某物业李大海 完成时限：6月1日前。
2.制定工作方案。
负责人：赵国强""")
    assert _assigned(rec) == [("王小明", ["道路修复方面"]), ("李大海", ["道路修复方面", "垃圾清运"]),
                              ("赵国强", ["制定工作方案"])]


def test_assignments_in_a_schedule_sentence_and_a_table(extract):
    rec = extract("""测试方案
一、工作步骤
（一）动员部署。召开动员大会，由钱小红同志负责会务筹备。""")
    assert _assigned(rec) == [("钱小红", ["负责会务筹备"])]
    from pipeline.readers.document import Block, Document
    from pipeline.extraction.api import extract_document
    blocks = [Block(text="测试方案"), Block(text="一、任务分解")] + [
        Block(text="\t".join(cells), kind="table_row", cells=cells) for cells in (
            ["序号", "工作任务", "责任单位", "负责人"], ["1", "完成道路修复", "县住建局", "王小明"],
            ["2", "开展卫生整治", "县卫健局", "各乡镇"])]
    rec = extract_document(Document(path="t.docx", format="docx", sha256="", blocks=blocks))
    assert _assigned(rec) == [("王小明", ["完成道路修复"])]


def test_a_contact_person_is_no_assignment(extract):
    rec = extract("""测试方案
四、联系方式
联系人：王小明，联系电话：12345678。
办公室设在县教育局（负责人：李大海，联系电话：87654321）。""")
    assert rec["assignments"] == []


def test_posts_given_after_the_group_with_bracketed_titles(extract):
    rec = extract("""测试方案
成立县安全生产委员会，主任由县长周大为同志担任，副主任由王小明（副县长）、李大海（县应急局局长）同志担任。
委员会下设办公室，赵国强同志兼任办公室主任，孙小红同志任办公室常务副主任。""")
    assert _members(rec) == [("主任", "周大为", "县长"), ("副主任", "王小明", "副县长"), ("副主任", "李大海", "县应急局局长"),
                             ("办公室主任", "赵国强", None), ("办公室常务副主任", "孙小红", None)]


def test_leaders_duties_after_a_colon(extract):
    rec = extract("""测试方案
现将领导班子成员工作分工明确如下：
王小明同志：主持全面工作；分管财务、人事工作。
副县长李大海：负责交通、住建工作，联系县交通局。
组长：赵国强""")
    assert _assigned(rec) == [("王小明", ["主持全面工作", "分管财务、人事工作"]),
                              ("李大海", ["负责交通、住建工作，联系县交通局"])]


def test_group_set_up_after_its_members(extract):
    rec = extract("""测试方案
成立以县长周大为为组长，副县长王小明为副组长，各乡镇主要负责人为成员的县安全生产专项行动领导小组。""")
    assert [r["group"] for r in rec["rosters"]] == ["县安全生产专项行动领导小组"]


def test_an_open_list_of_units_taking_part_is_no_assignment(extract):
    """'落实单位责任人：甲局陈某、乙局林某、丙所吴某及社区干部等' lists who takes part (left open by 等):
    no one's 分工; a single person named after the label is."""
    rec = extract("""测试方案
三、工作安排
（一）市场管理方面。规范摊贩经营。牵头单位联系人：片区管理局林小勇落实单位责任人：区执法局陈大华、区交通局高小霞、区市场局林大雄、某派出所吴大民及社区包片干部等。完成时限：5月1日前。""")
    assert _assigned(rec) == [("林小勇", ["市场管理方面"])]


def test_two_members_with_titles_on_one_line(extract):
    # several members to a line, each with a title, set apart by wide spaces or 、
    rec = extract("""学校成立防溺水工作领导小组：
组  长：韩立平  校长
副组长：宋  岚  副校长      柯建军  副校长
成  员：鲍  伟  德育处主任    侯晓梅  教务处主任
　　　　施  勇  总务处主任、戚国栋  团委书记
领导小组负责统筹全校防溺水工作。""")
    got = [(m["role"], m["name"], m["title"]) for r in rec["rosters"] for m in r["members"]]
    assert got == [("组长", "韩立平", "校长"), ("副组长", "宋岚", "副校长"), ("副组长", "柯建军", "副校长"),
                   ("成员", "鲍伟", "德育处主任"), ("成员", "侯晓梅", "教务处主任"),
                   ("成员", "施勇", "总务处主任"), ("成员", "戚国栋", "团委书记")]


def test_a_name_that_is_also_a_word_after_a_role(extract):
    # 'role：X  title': the layout says X is a name even when X is also an everyday word
    rec = extract("""成立项目建设指挥部：
总指挥：严立军  区长
副总指挥：高峰  副区长
成  员：吕静  区发改局局长""")
    got = [(m["role"], m["name"]) for r in rec["rosters"] for m in r["members"]]
    assert ("副总指挥", "高峰") in got


def test_a_sub_group_heading_with_its_head_on_the_same_line(extract):
    rec = extract("""成立防汛指挥部，下设两个片区专班：
（一）东片专班。专班长：祁永健；负责东片堤防巡查。
（二）西片专班。专班长：褚兰芳；负责西片人员转移。""")
    got = [(r["group"], m["role"], m["name"]) for r in rec["rosters"] for m in r["members"]]
    assert got == [("东片专班", "专班长", "祁永健"), ("西片专班", "专班长", "褚兰芳")]


def test_an_inline_title_cut_at_its_dunhao(extract):
    rec = extract("""成立河湾村工作专班：由镇党委委员、宣传委员柏志强任专班长，包村干部骆晴为成员。""")
    got = [(m["role"], m["name"], m["title"]) for r in rec["rosters"] for m in r["members"]]
    assert ("专班长", "柏志强", "镇党委委员、宣传委员") in got


def test_a_table_flattened_to_text_with_pipes(extract):
    rec = extract("""测试方案
公司成立安全检查专项行动领导小组，成员如下：
职务 | 姓名 | 单位职务
组长 | 马东升 | 公司董事长
成员 | 吕  青 | 质量部部长
| 成员 | 许海涛 | 设备部部长 |""")
    assert _members(rec) == [("组长", "马东升", "公司董事长"), ("成员", "吕青", "质量部部长"),
                             ("成员", "许海涛", "设备部部长")]
    assert rec["rosters"][0]["group"] == "安全检查专项行动领导小组"
