"""doc_number, title, doc_type, issuer, addressees, signed_date, citations, benchmarks, assignments."""


NOTICE = """经开区工［2022］43号
关于印发《测试专项行动
实施方案》的通知
各部门，社会事务服务中心，各社区：
现将《测试专项行动实施方案》印发给你们，请认真贯彻落实。
中共测试开发区工作委员会
二〇二二年七月十九日
测试专项行动实施方案
按照区委《关于开展测试行动的实施意见》（临发[2020]6号）要求，制定本方案。
以宁波石化经济技术开发区为标杆。
党组书记刘明同志负责党组工作；发展部部长于德纲同志负责招商引资工作。"""


def test_header_fields(extract):
    rec = extract(NOTICE)
    assert rec["doc_number"] == {"text": "经开区工〔2022〕43号", "prefix": "经开区工", "year": 2022, "serial": 43}
    assert rec["title"] == "关于印发《测试专项行动实施方案》的通知"
    assert rec["doc_type"] == "通知"
    assert rec["issuer"] == "中共测试开发区工作委员会"
    assert rec["addressees"] == ["各部门", "社会事务服务中心", "各社区"]
    assert rec["signed_date"] == "2022-07-19"


def test_citations_exclude_the_enclosed_plan(extract):
    cites = extract(NOTICE)["cited_documents"]
    assert [(c["title"], c["doc_number"], c["issuer"]) for c in cites] == [
        ("关于开展测试行动的实施意见", "临发〔2020〕6号", "区委")]


def test_benchmarks_and_assignments(extract):
    rec = extract(NOTICE)
    assert rec["benchmarks"] == ["宁波石化经济技术开发区"]
    assert [(a["name"], a["title"], a["duties"]) for a in rec["assignments"]] == [
        ("刘明", "党组书记", ["负责党组工作"]), ("于德纲", "发展部部长", ["负责招商引资工作"])]


def test_web_chrome_is_never_title_or_date(extract):
    rec = extract("""2022市测试工作实施方案(范文推荐)
时间:2022-07-14 08:30:04 来源:网友投稿
市测试工作实施方案
一、总体要求
推荐访问:测试 方案""")
    assert rec["title"] == "市测试工作实施方案"
    assert rec["signed_date"] is None
    assert rec["doc_type"] == "实施方案"


def test_news_report_has_no_number_or_type(extract):
    rec = extract("""撸起袖子加油干 确保完成全年既定目标
本报记者 于伟
8月2日下午，高新区召开动员会。""")
    assert rec["doc_type"] is None and rec["doc_number"] is None and rec["signed_date"] is None
    assert rec["deadlines"] == []


def test_title_editorial_note_dropped_and_qualified_doc_type(extract):
    rec = extract("鹤峪县2025年河湖“清四乱”\n常态化规范化专项行动实施方案\n（节选）\n\n"
                  "    为巩固整治成果，经县总河长同意，鹤峪县河长制办公室决定在全县开展专项行动，特制定本方案。\n"
                  "    一、工作目标\n    全县问题排查覆盖率达到100%。")
    assert rec["title"] == "鹤峪县2025年河湖“清四乱”常态化规范化专项行动实施方案"
    assert rec["doc_type"] == "实施方案"
    # no signature, no 关于-title: the body the preamble names as deciding on the plan
    assert rec["issuer"] == "鹤峪县河长制办公室"


def test_doc_type_before_a_bracketed_qualifier():
    from extractors.title import doc_type_of

    assert doc_type_of("临岳市城市道路挖掘管理办法（试行）") == "办法"
    assert doc_type_of("澄河县2023—2025年乡村振兴实施方案（2023—2025年）") == "实施方案"


def test_joint_notice_signed_by_five_bodies_is_issued_by_the_first(extract):
    rec = extract("""测经发〔2024〕7号
关于印发测试区2024年设备更新工作方案的通知
各片区管理局，区直各部门：
现将《测试区2024年设备更新工作方案》印发给你们，请认真组织实施。
测试区经济发展局
测试区自然资源局
测试区应急管理局
测试区行政审批局
测试区市场监督管理局
2024年3月8日
测试区2024年设备更新工作方案
一、总体目标""")
    assert rec["issuer"] == "测试区经济发展局"
    assert rec["signed_date"] == "2024-03-08"


def test_signed_date_from_the_printed_line_when_no_signature_date(extract):
    rec = extract("""测试区管委会办公室关于印发《测试区招商行动方案》的通知
各片区，区直各部门：
现将《测试区招商行动方案》印发给你们，请结合实际认真贯彻执行。
测试区招商行动方案
一、工作目标
全年引进项目不少于20个。
测试区管委会办公室 2021年4月6日印发""")
    assert rec["signed_date"] == "2021-04-06"


def test_title_place_completed_by_the_body_that_acts(extract):
    rec = extract("""测试县水利局开展河道清障工作方案
为摸清河道障碍情况，制定本方案。
一、工作目标
（一）全面排查。""")
    assert rec["issuer"] == "测试县水利局"


def test_issuer_name_without_the_preposition_before_it(extract):
    rec = extract("""测试县第二中学2024年特长生招生方案
一、报名时间
考生于5月9日上午8时前到测试县第二中学集中。
测试县第二中学
2024年4月9日""")
    assert rec["issuer"] == "测试县第二中学"


def test_issuer_without_a_full_signature(extract):
    # the signature names 教务处; the line above the title gives the university's full name
    rec = extract("测试大学教务处\n关于做好2024年春季学期期末考试工作的通知\n各学院：\n为做好期末考试工作，现将有关事项通知如下。\n"
                  "一、考试时间\n教务处\n2024年6月1日")
    assert rec["issuer"] == "测试大学教务处"
    # a school's 学院 heading a title that goes on with a year
    rec = extract("测试大学机械工程学院2024年研究生招生复试工作方案\n一、组织机构\n学院成立复试工作领导小组。")
    assert rec["issuer"] == "测试大学机械工程学院"
    # several bodies deciding together: the first of them
    rec = extract("关于开展安全检查的通知\n各乡镇：\n县应急管理局、县市场监督管理局决定联合开展安全检查，制定本方案。\n一、检查内容")
    assert rec["issuer"] == "县应急管理局"


def test_bare_org_masthead_is_not_the_title(extract):
    # a 发文机关标志 printed as the bodies' bare names (no "文件"), one line each in a joint notice
    rec = extract("""北川省交通运输厅
北川省应急管理厅
北交发〔2023〕9号
北川省交通运输厅 北川省应急管理厅关于开展汛期道路巡查的通知
各市交通运输局、应急管理局：
请于6月1日前完成辖区道路隐患排查。
北川省交通运输厅　　北川省应急管理厅
2023年5月10日""")
    assert rec["title"] == "北川省交通运输厅北川省应急管理厅关于开展汛期道路巡查的通知"
    assert rec["doc_type"] == "通知"
    assert rec["doc_number"]["text"] == "北交发〔2023〕9号"
    assert rec["addressees"] == ["各市交通运输局、应急管理局"]
    # a plan issued directly under the body's name line keeps its own title
    rec = extract("""南坪镇人民政府
南坪镇防汛抢险工作方案
为做好防汛工作，制定本方案。
南坪镇人民政府
2023年5月2日""")
    assert rec["title"] == "南坪镇防汛抢险工作方案"


def test_a_cited_set_of_measures(extract):
    rec = extract("""关于做好营商环境评价工作的通知
各部门：
根据市政府《关于支持民营企业发展的若干措施》要求，现就有关事项通知如下。
某市发展和改革委员会
2023年4月6日""")
    assert [c["title"] for c in rec["cited_documents"]] == ["关于支持民营企业发展的若干措施"]


def test_benchmarks_whose_practice_is_learned(extract):
    rec = extract("""关于开展社区议事协商试点的通知
各街道：
学习借鉴江苏省太仓市、四川省彭州市的经验做法，借鉴先进地区经验，开展试点。
某市民政局
2023年5月6日""")
    assert rec["benchmarks"] == ["江苏省太仓市", "四川省彭州市"]
