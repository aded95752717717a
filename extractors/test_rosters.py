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
