"""One-off writer of corpora/genre/gold (kept so the annotation can be read and amended in one place)."""
import json
from pathlib import Path

OUT = Path(__file__).parent / "gold"


def D(anchor, q, unit, comp, period, actor=None, optional=False):
    d = {"anchor": anchor, "quantity": q, "unit": unit, "comparator": comp, "period": period, "actor": actor}
    if optional:
        d["optional"] = True
    return d


def P(name, start, end, name_free=False, optional=False):
    p = {"name": name, "start": start, "end": end}
    if name_free:
        p["name_free"] = True
    if optional:
        p["optional"] = True
    return p


def DL(date, anchor, optional=False):
    d = {"date": date, "anchor": anchor}
    if optional:
        d["optional"] = True
    return d


def R(role, name, title, group=None):
    r = {"role": role, "name": name, "title": title}
    if group:
        r = {"group": group, **r}
    return r


def C(title, number=None):
    return {"doc_number": number, "title": title}


def gold(doc, title, doc_type, number, issuer, signed, addressees=(), cited=(), phases=(), deadlines=(),
         duties=(), roster=(), assignments=(), benchmarks=(), notes=""):
    g = {"doc": doc, "title": title if isinstance(title, list) else [title], "doc_type": doc_type,
         "doc_number": number, "issuer": issuer if isinstance(issuer, list) else [issuer],
         "signed_date": signed, "addressees": list(addressees), "cited_documents": list(cited),
         "phases": list(phases), "deadlines": list(deadlines), "duties": list(duties), "roster": list(roster),
         "assignments": list(assignments), "benchmarks": list(benchmarks), "_notes": notes}
    (OUT / f"{doc}.json").write_text(json.dumps(g, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


OUT.mkdir(exist_ok=True)

gold("g01_nanling_jiaowu",
     "南岭大学教务处关于印发《南岭大学2025年本科课堂教学质量提升实施方案》的通知", "通知", None,
     "南岭大学教务处", "2025-03-04",
     addressees=["各学院（部）", "各教学单位"],
     cited=[C("普通高等学校本科教育教学审核评估实施方案（2021—2025年）"),
            C("南岭大学本科教学质量保障体系建设办法", "南大发〔2023〕18号")],
     phases=[P("动员部署阶段", "2025-03-01", "2025-03-10"), P("全面实施阶段", "2025-03-11", "2025-11-30"),
             P("总结验收阶段", "2025-12-01", "2025-12-31")],
     deadlines=[DL("2025-04-30", "完成全部课程教学大纲的修订"), DL("2025-03-15", "3月15日前报送教务处"),
                DL("2025-12-20", "12月20日前形成总结报告"), DL("2025-12-31", "到2025年12月底", optional=True)],
     duties=[D("教学大纲修订率达到100%", 100, "%", ">=", None),
             D("学生评教优良率不低于90%", 90, "%", ">=", None),
             D("建成校级一流课程不少于40门", 40, "门", ">=", None),
             D("每学期听课不少于600学时", 600, "学时", ">=", "half_year", "校院两级督导"),
             D("每位督导每周听课不少于4学时", 4, "学时", ">=", "week", "每位督导"),
             D("每学期听课不少于8学时", 8, "学时", ">=", "half_year", "各学院院长、书记"),
             D("参加岗前培训不少于36学时", 36, "学时", ">=", None, "新入职教师"),
             D("每学期开展公开课至少1次", 1, "次", ">=", "half_year", "新入职教师"),
             D("每学期组织学生网上评教2次", 2, "次", "=", "half_year"),
             D("参评率不低于95%", 95, "%", ">=", None),
             D("教务处每月通报一次进展情况", 1, "次", "=", "month", "教务处"),
             D("明确一名分管副院长具体负责", 1, "名", "=", None, "各学院", optional=True)],
     notes="University office notice: no 文号, no signature name (only the date); issuer from the title. "
           "Phases resolve against 成文日期 2025. 到2025年12月底 is a target date (optional deadline).")

gold("g02_qingxi_shiyan",
     "青溪县实验中学关于印发《2025年春季学期校园安全隐患排查整治工作方案》的通知", "通知", "青实中发〔2025〕5号",
     "青溪县实验中学", "2025-02-17",
     addressees=["各处室、各年级组"],
     cited=[C("关于做好2025年春季开学校园安全工作的通知", "青教发〔2025〕3号")],
     phases=[P("自查阶段", "2025-02-18", "2025-02-28"), P("整改阶段", "2025-03-01", "2025-04-15"),
             P("验收阶段", "2025-04-16", "2025-04-30")],
     deadlines=[DL("2025-03-05", "排查出的问题于3月5日前报领导小组办公室")],
     duties=[D("每周巡查不少于2次", 2, "次", ">=", "week"),
             D("完好率达到100%", 100, "%", ">=", None),
             D("每学期组织全员疏散演练至少2次", 2, "次", ">=", "half_year"),
             D("留样时间不少于48小时", 48, "小时", ">=", None),
             D("每日检查食材进货台账", None, None, None, "day", optional=True),
             D("每月开展一次校园周边综合整治", 1, "次", "=", "month"),
             D("整改进展每周报告一次", 1, "次", "=", "week", "各处室")],
     roster=[R("组长", "郑维国", "校长", "校园安全隐患排查整治工作领导小组"), R("副组长", "许兰", "副校长"),
             R("副组长", "蒋立新", "副校长"), R("成员", "彭涛", "政教处主任"), R("成员", "邱海燕", "教务处主任"),
             R("成员", "冯镭", "总务处主任"), R("成员", "贺军", "保卫科科长"), R("办公室主任", "彭涛", None)],
     notes="School plan: two members per roster line with alignment spaces inside names; 时间安排 table flattened "
           "to lines (阶段 / 时间 / 主要工作). 办公室主任 named in a sentence.")

gold("g03_shuiyuan_xiangzhen",
     "水源镇人民政府关于印发《水源镇农村人居环境整治提升百日攻坚行动方案》的通知", "通知", "水政发〔2024〕21号",
     "水源镇人民政府", "2024-05-27",
     addressees=["各村（居）委会", "镇直各单位"],
     cited=[C("桐江县农村人居环境整治提升五年行动实施方案", "桐办发〔2022〕9号")],
     phases=[P("动员部署", "2024-06-01", "2024-06-10"), P("集中攻坚", "2024-06-11", "2024-08-31"),
             P("巩固提升", "2024-09-01", "2024-09-08")],
     deadlines=[DL("2024-06-10", "6月10日前完成问题摸排"), DL("2024-09-08", "9月8日前完成验收评比")],
     duties=[D("清理农村生活垃圾不少于1200吨", 1200, "吨", ">=", None),
             D("改造户厕350户", 350, "户", "=", None),
             D("村庄保洁覆盖率达到100%", 100, "%", ">=", None),
             D("各专班每周召开一次调度会", 1, "次", "=", "week", "各专班"),
             D("镇纪委每半月开展一次督查", 1, "次", "=", None, "镇纪委", optional=True),
             D("每个村每月至少组织2次集中清理", 2, "次", ">=", "month", "每个村"),
             D("于每周五下午报送镇农业农村办", None, None, None, "week", "各村", optional=True),
             D("对排名后3位的村进行约谈", 3, "位", "<=", None, optional=True),
             D("百日攻坚", 100, "日", "=", None, optional=True)],
     roster=[R("专班长", "罗德全", "镇人大主席", "石门村工作专班"), R("成员", "唐晓芸", "包村干部"),
             R("成员", "钱永福", "村党支部书记"),
             R("专班长", "孔令辉", "副镇长", "杨柳村工作专班"), R("成员", "方静", "包村干部"),
             R("成员", "欧阳建平", "村党支部书记"),
             R("专班长", "高志远", "镇党委委员、武装部长", "河湾社区工作专班"), R("成员", "车晓东", "包村干部"),
             R("成员", "宁红梅", "社区党委书记")],
     notes="Township 行动方案: one 工作专班 per village written inline (由…任专班长，…为成员). 工作步骤 dated without "
           "year (成文日期 2024). 每半月 is no period of the contract (optional).")

gold("g04_anyuan_xianwei",
     "中共安远县委办公室关于调整安远县乡村振兴工作领导小组组成人员的通知", "通知", "安委办发〔2024〕14号",
     "中共安远县委办公室", "2024-04-09",
     addressees=["各乡镇党委", "县委各部委", "县直各单位党组（党委）", "各人民团体"],
     cited=[C("中共安远县委办公室关于成立安远县乡村振兴工作领导小组的通知", "安委办发〔2021〕33号")],
     duties=[D("每季度至少召开1次全体会议", 1, "次", ">=", "quarter", "领导小组"),
             D("全年报送工作信息不少于12条", 12, "条", ">=", "year", "各成员单位"),
             D("每季度末前5日将工作进展情况报送领导小组办公室", None, None, None, "quarter", "各成员单位",
               optional=True)],
     roster=[R("组长", "黄振东", "县委书记", "安远县乡村振兴工作领导小组"),
             R("常务副组长", "刘卫平", "县委副书记、县长"), R("副组长", "孙琪", "县委常委、副县长"),
             R("副组长", "陶建明", "副县长"), R("成员", "马丽华", "县委办公室主任"),
             R("成员", "鲁斌", "县农业农村局局长"), R("成员", "宋国庆", "县财政局局长"),
             R("成员", "段宁", "县乡村振兴局局长"), R("成员", "熊伟", "县自然资源局局长"),
             R("办公室主任", "鲁斌", None), R("办公室副主任", "段宁", None)],
     notes="Party-body notice adjusting a leading group; the roster is the body of the notice (one member per line, "
           "continuation lines without role). 办公室主任/副主任 in a sentence. The 2021 notice it replaces is cited.")

gold("g05_hexi_yuanqu",
     "河西高新技术产业园区管理委员会关于印发《园区企业服务提质增效年行动方案》的通知", "通知",
     "河西园管发〔2023〕37号", "河西高新技术产业园区管理委员会", "2023-06-12",
     addressees=["园区各部门、各直属单位"],
     cited=[C("关于进一步优化营商环境的若干措施")],
     deadlines=[DL("2023-09-30", "9月30日前报党政办公室"), DL("2023-06-30", "6月30日（星期五）前完成首批10家企业用地需求摸排"),
                DL("2023-10-08", "10月8日17:00前报送前三季度工作总结")],
     duties=[D("园区领导每月至少走访企业4家", 4, "家", ">=", "month", "园区领导"),
             D("各部门负责人每月走访企业不少于6家", 6, "家", ">=", "month", "各部门负责人"),
             D("全年实现规上企业走访全覆盖", None, None, None, "year", optional=True),
             D("代办事项按时办结率100%完成", 100, "%", "=", None),
             D("企业反映问题在5个工作日内答复", 5, "个工作日", "<=", None),
             D("每季度一通报", 1, None, "=", "quarter"),
             D("推荐3-5名服务标兵", 3, "名", ">=", None, "各部门"),
             D("新增标准厂房面积不少于20万平方米", 20, "万平方米", ">=", "year"),
             D("完成首批10家企业用地需求摸排", 10, "家", "=", None),
             D("每月5日前报送上月工作进展", None, None, None, "month", "各责任单位", optional=True)],
     notes="Park 管委会 plan: responsible units in brackets after each task (units, not persons: no assignments). "
           "Deadlines with weekday and clock time. 3-5名 recorded as at least 3. 年内新增… is a yearly figure "
           "(the corpus convention: 年内至少… → year).")

gold("g06_lingnan_lianhe",
     ["岭南省人力资源和社会保障厅岭南省财政厅关于印发《2024年高校毕业生就业创业促进行动实施方案》的通知"], "通知",
     "岭人社发〔2024〕46号",
     ["岭南省人力资源和社会保障厅岭南省财政厅", "岭南省人力资源和社会保障厅、岭南省财政厅", "岭南省人力资源和社会保障厅"],
     "2024-05-06",
     addressees=["各市、县（区）人力资源社会保障局、财政局"],
     cited=[C("国务院办公厅关于优化调整稳就业政策措施全力促发展惠民生的通知", "国办发〔2023〕11号")],
     phases=[P("政策宣传阶段", "2024-05-01", "2024-06-30"), P("集中服务阶段", "2024-07-01", "2024-10-31"),
             P("跟踪帮扶阶段", "2024-11-01", "2024-12-31")],
     deadlines=[DL("2024-12-31", "一次性扩岗补助于12月31日前发放到位"), DL("2024-12-31", "发放一次性扩岗补助", optional=True),
                DL("2024-08-31", "组织百日千万招聘专项行动"), DL("2024-07-15", "建立离校未就业毕业生实名台账"),
                DL("2024-06-30", "开展就业见习岗位募集")],
     duties=[D("就业去向落实率不低于90%", 90, "%", ">=", None),
             D("组织招聘活动不少于500场", 500, "场", ">=", None),
             D("实名服务率达到100%", 100, "%", ">=", None),
             D("各市每月至少举办2场专场招聘会", 2, "场", ">=", "month", "各市"),
             D("募集见习岗位不少于2万个", 2, "万个", ">=", None)],
     assignments=[{"name": "林少华", "anchor": "组织百日千万招聘专项行动"},
                  {"name": "周敏", "anchor": "发放一次性扩岗补助"},
                  {"name": "冯家强", "anchor": "建立离校未就业毕业生实名台账"},
                  {"name": "韦晓丽", "anchor": "开展就业见习岗位募集"}],
     notes="Joint notice of two 厅 (one 文号, two signatures on one line). 附件2 分工表 flattened to lines: task / "
           "牵头单位 / 责任人 / 完成时限; each row is a deadline and the 责任人 an assignment.")

gold("g07_fengqiao_anquan",
     "枫桥镇安全生产隐患大排查大整治行动方案", "行动方案", "枫政办〔2025〕8号", "枫桥镇人民政府", "2025-02-20",
     phases=[P("企业自查阶段", "2025-03-01", "2025-03-31"), P("集中整治阶段", "2025-04-01", "2025-08-15"),
             P("总结提升阶段", "2025-08-16", "2025-09-30")],
     deadlines=[DL("2025-04-05", "4月5日前报送自查情况"), DL("2025-09-30", "9月30日前报送行动总结")],
     duties=[D("每月对辖区“九小场所”检查不少于1遍", 1, "遍", ">=", "month", "各村（社区）"),
             D("镇安委会成员单位每季度开展一次联合检查", 1, "次", "=", "quarter", "镇安委会成员单位"),
             D("一般隐患整改率达到100%", 100, "%", ">=", None),
             D("重大隐患整改期限不超过30天", 30, "天", "<=", None)],
     notes="Plan issued directly (no 通知). Phases in running text (第一阶段为…，3月1日至3月31日；第二阶段…); the year "
           "only in the preamble (2025年) and in the Chinese-numeral 成文日期.")

gold("g08_jingzhou_gongwei",
     "关于印发《2024年市直机关党员干部理论学习计划》的通知", "通知", "靖市直工委发〔2024〕3号",
     "中共靖州市直属机关工作委员会", "2024-01-22",
     addressees=["市直各单位机关党组织"],
     phases=[P("学习党的二十大精神和党章", "2024-01-01", "2024-01-31", name_free=True),
             P("学习全国两会精神", "2024-02-01", "2024-03-31", name_free=True),
             P("开展党纪学习教育专题学习", "2024-04-01", "2024-04-30", name_free=True),
             P("学习习近平新时代中国特色社会主义思想专题", "2024-05-01", "2024-06-30", name_free=True),
             P("开展“七一”专题党课", "2024-07-01", "2024-07-31", name_free=True),
             P("结合各单位业务开展专题研讨", "2024-08-01", "2024-12-31", name_free=True)],
     deadlines=[DL("2024-12-20", "12月20日前报送全年学习总结")],
     duties=[D("每月集中学习不少于1次", 1, "次", ">=", "month", "理论学习中心组"),
             D("全年不少于12次", 12, "次", ">=", "year", "理论学习中心组"),
             D("机关党支部每月开展一次主题党日活动", 1, "次", "=", "month", "机关党支部"),
             D("每季度撰写学习心得体会至少1篇", 1, "篇", ">=", "quarter", "党员干部"),
             D("全年个人自学时间不少于60学时", 60, "学时", ">=", "year", "党员干部"),
             D("各单位每季度向市直机关工委报送一次学习情况", 1, "次", "=", "quarter", "各单位"),
             D("讲党课不少于1次", 1, "次", ">=", None, "各单位党组织书记"),
             D("抽查比例不低于30%", 30, "%", ">=", None)],
     notes="Party body (市直机关工委) study plan: 学习安排 by month (1月：…; 2月—3月：…) are the plan's time windows, "
           "scored without names. 6月下旬和12月上旬 抽查 are no phases.")

gold("g09_yunfeng_jingqu",
     "云峰山风景名胜区2024年国庆假期安全保障实施方案", "实施方案", "云景管发〔2024〕19号",
     "云峰山风景名胜区管理委员会", "2024-09-18",
     addressees=["景区各部门、各经营单位"],
     phases=[P("24小时值班", "2024-10-01", "2024-10-07", name_free=True, optional=True)],
     deadlines=[DL("2024-09-25", "9月25日前完成设施设备全面检查"), DL("2024-09-28", "9月28日前完成应急演练")],
     duties=[D("每日运行前检测不少于1次", 1, "次", ">=", "day", "索道片区专班"),
             D("瞬时游客量不超过800人", 800, "人", "<=", None),
             D("日最大承载量控制在3.5万人以内", 3.5, "万人", "<=", "day"),
             D("达到承载量的80%时发布预警", 80, "%", ">=", None, optional=True),
             D("各专班每2小时巡查一次", 1, "次", "=", None, "各专班", optional=True),
             D("安全员在岗率100%", 100, "%", "=", None),
             D("实行24小时值班", 24, "小时", "=", None, optional=True)],
     roster=[R("总指挥", "崔建业", "景区管委会主任", "安全保障指挥部"), R("副总指挥", "蓝海", "景区管委会副主任"),
             R("副总指挥", "詹秀英", "景区管委会副主任"), R("成员", "汪涛", "综合办主任"),
             R("成员", "潘世雄", "安全管理处处长"), R("成员", "葛晓燕", "旅游服务中心主任"),
             R("专班长", "汪涛", None, "山门片区专班"), R("专班长", "潘世雄", None, "索道片区专班"),
             R("专班长", "葛晓燕", None, "观景台片区专班")],
     notes="Scenic-area plan issued directly: 指挥部 (总指挥/副总指挥/成员, several members on one 成员 line separated "
           "by 、) and one 专班 per area with 专班长 inline. 3.5万人 → 3.5 万人.")

gold("g10_dongguan_jiedao",
     "东关街道办事处关于开展春季爱国卫生运动的通知", "通知", "东办发〔2021〕4号",
     ["临川市东关街道办事处", "东关街道办事处"], "2021-02-26",
     addressees=["各社区居委会", "街道各科室、站所"],
     cited=[C("关于开展2021年春季爱国卫生运动的通知")],
     phases=[P("活动时间", "2021-03-01", "2021-05-31", name_free=True),
             P("即日起至5月31日", "2021-02-26", "2021-05-31", name_free=True, optional=True),
             P("首季度集中清理卫生死角", "2021-01-01", "2021-03-31", name_free=True, optional=True),
             P("统一灭鼠周", "2021-04-12", "2021-04-19", name_free=True)],
     deadlines=[DL("2021-03-31", "一季度末前完成背街小巷、老旧小区卫生死角清理"), DL("2021-05-31", "5月31日前报送活动总结")],
     duties=[D("清运垃圾不少于50吨", 50, "吨", ">=", None, "各社区"),
             D("投放毒饵站不少于200个", 200, "个", ">=", None, "各社区"),
             D("每月至少开展1次健康教育讲座", 1, "次", ">=", "month", "各社区"),
             D("宣传资料入户率达到90%以上", 90, "%", ">=", None),
             D("垃圾日产日清", None, None, None, "day", optional=True),
             D("于每月25日前报送工作进展", 1, None, "=", "month", "各社区", optional=True),
             D("对排名后2位的社区予以通报", 2, "位", "<=", None, optional=True)],
     notes="街道 notice with the date forms 即日起至…, 首季度, 一季度末, 4月12—19日 (day range sharing the month) and "
           "2021.3.1—2021.5.31 (dotted dates). 每月25日前 is recurring, no calendar deadline.")
# second batch: written after the first round of fixes, scored before any further change

gold("h01_xiyuan_daxue",
     "中共西垣大学委员会关于开展2023年学生资助育人质量提升行动的通知", "通知", "西大党发〔2023〕27号",
     "中共西垣大学委员会", "2023-09-08",
     addressees=["各学院党委（党总支）", "机关各部门", "各直属单位"],
     cited=[C("关于加强新时代高校学生资助育人工作的意见", "教财〔2022〕4号")],
     phases=[P("宣传动员", "2023-09-01", "2023-10-31"), P("全面实施", "2023-11-01", "2024-05-31"),
             P("总结表彰", "2024-06-01", "2024-06-30")],
     deadlines=[DL("2023-10-20", "完成家庭经济困难学生认定工作"), DL("2024-06-15", "报送年度工作总结")],
     duties=[D("认定准确率达到100%", 100, "%", ">=", None),
             D("每学期开展诚信感恩主题教育活动不少于2次", 2, "次", ">=", "half_year", "各学院"),
             D("辅导员每月与受助学生谈心谈话至少1次", 1, "次", ">=", "month", "辅导员"),
             D("设置勤工助学岗位不少于800个", 800, "个", ">=", "year", "学校"),
             D("每小时酬金不低于20元", 20, "元", ">=", None),
             D("每季度末前报送工作动态", None, None, None, "quarter", "各单位", optional=True)],
     roster=[R("组长", "邬长青", "党委书记", "学生资助育人质量提升行动领导小组"), R("常务副组长", "费立诚", "校长"),
             R("副组长", "尹佳", "党委副书记"), R("办公室主任", "鞠文涛", "学生工作部部长")],
     notes="Batch 2. University party committee; inline roster 成立以…为组长、…为常务副组长…的…领导小组; 成员 by "
           "position (各学院党委书记, name null, not scored). Cross-year progress lines with explicit years.")

gold("h02_taiping_jiaoyu",
     "太平县教育局太平县财政局关于做好2024年义务教育阶段学校公用经费管理工作的通知", "通知", "太教联〔2024〕2号",
     ["太平县教育局太平县财政局", "太平县教育局、太平县财政局", "太平县教育局"], "2024-02-28",
     addressees=["各乡镇中心学校", "县直各中小学"],
     cited=[C("中小学校财务制度"), C("关于进一步加强中小学校财务管理的通知", "赣财教〔2023〕15号")],
     deadlines=[DL("2024-03-15", "完成年度公用经费预算编制"), DL("2024-06-30", "上半年检查于6月底前完成"),
                DL("2024-12-20", "下半年检查于12月中旬前完成"), DL("2024-07-10", "于7月10日前报送县教育局"),
                DL("2024-06-30", "截至2024年6月30日统计经费执行情况", optional=True)],
     duties=[D("用于教师培训的比例不低于年度公用经费预算总额的5%", 5, "%", ">=", None),
             D("每半年开展一次联合检查", 1, "次", "=", "half_year", "县教育局、县财政局"),
             D("各学校每季度公示一次经费收支情况", 1, "次", "=", "quarter", "各学校"),
             D("单笔支出超过5万元的须经集体研究决定", 5, "万元", ">", None, optional=True)],
     notes="Batch 2. Joint notice of two 局, masthead one body per line; 截至 is a count date (optional deadline).")

gold("h03_longquan_zhendangwei",
     "中共龙泉镇委员会关于全面推行网格化服务管理工作的通知", "通知", "龙委发〔2022〕16号",
     "中共龙泉镇委员会", "2022-08-03",
     addressees=["各村（社区）党组织", "镇直各站所"],
     deadlines=[DL("2022-08-31", "完成网格员选聘"), DL("2022-09-15", "完成首轮全员培训")],
     duties=[D("全镇划分为36个基础网格", 36, "个", "=", None, optional=True),
             D("每个网格配备1名专职网格员", 1, "名", "=", None, "每个网格"),
             D("每名网格员每周入户走访不少于20户", 20, "户", ">=", "week", "每名网格员"),
             D("每月收集上报社情民意信息不少于10条", 10, "条", ">=", "month", "每名网格员"),
             D("一般矛盾纠纷化解率达到95%以上", 95, "%", ">=", None),
             D("群众满意率不低于90%", 90, "%", ">=", None),
             D("镇综治中心每月召开一次网格工作例会", 1, "次", "=", "month", "镇综治中心"),
             D("每季度对网格员进行一次考评", 1, "次", "=", "quarter", "镇综治中心"),
             D("考评排名后3名的网格员进行约谈", 3, "名", "<=", None, optional=True)],
     assignments=[{"name": "殷卫东", "anchor": "负责全镇网格化工作的统筹领导"},
                  {"name": "邢海波", "anchor": "负责网格化平台建设和经费保障"},
                  {"name": "姚春燕", "anchor": "负责网格员队伍的选聘、培训和考核"},
                  {"name": "牛志刚", "anchor": "负责矛盾纠纷排查化解工作"}],
     notes="Batch 2. Township party committee; 分工 by 包片 in one paragraph (title + name + 负责…；).")

gold("h04_jinhe_kaifaqu",
     "金河经济开发区管理委员会关于成立重点项目建设攻坚工作专班的通知", "通知", "金开管〔2024〕12号",
     "金河经济开发区管理委员会", "2024-03-11",
     addressees=["开发区各部门", "各园区企业"],
     deadlines=[DL("2024-11-30", "实现8个项目竣工投产")],
     duties=[D("每周召开一次项目调度会", 1, "次", "=", "week", "专班"),
             D("每月通报一次项目进展", 1, "次", "=", "month", "专班"),
             D("新开工项目不少于15个", 15, "个", ">=", "year"),
             D("完成固定资产投资不少于45亿元", 45, "亿元", ">=", "year"),
             D("实现8个项目竣工投产", 8, "个", "=", None),
             D("“周调度、月通报”", None, None, None, "week", optional=True)],
     roster=[R("专班长", "卓永明", "管委会主任", "重点项目建设攻坚工作专班"), R("副专班长", "钟磊", "管委会副主任"),
             R("副专班长", "骆海燕", "管委会副主任"), R("成员", "邝建新", "经济发展局局长"),
             R("成员", "蔡勇", "规划建设局局长"), R("成员", "岳芳", "招商服务中心主任"),
             R("成员", "温庆华", "财政金融局局长"), R("办公室主任", "邝建新", None)],
     notes="Batch 2. Park notice setting up a 工作专班; roles spread by spaces (专 班 长, 成    员); 今年 = year.")

gold("h05_shiwei_xuanchuan",
     "关于印发《临江市“文明实践进万家”志愿服务活动实施方案》的通知", "通知", "临宣发〔2022〕9号",
     "中共临江市委宣传部", "2022-04-25",
     addressees=["各县（市、区）委宣传部", "市直各单位"],
     cited=[C("关于深化新时代文明实践中心建设的指导意见")],
     phases=[P("宣传发动", "2022-05-01", "2022-06-30"), P("集中开展", "2022-07-01", "2022-10-31"),
             P("总结提升", "2022-11-01", "2022-12-31")],
     deadlines=[DL("2022-05-20", "5月20日前报市委宣传部"), DL("2022-12-10", "12月10日前报送活动总结")],
     duties=[D("注册志愿者占常住人口比例达到15%", 15, "%", ">=", None),
             D("每月开展志愿服务活动不少于4次", 4, "次", ">=", "month", "每个新时代文明实践站"),
             D("全年参加志愿服务不少于20小时", 20, "小时", ">=", "year", "每名党员志愿者"),
             D("评选100名优秀志愿者", 100, "名", "=", None)],
     benchmarks=["浙江省宁海县", "福建省尤溪县"],
     notes="Batch 2. 市委宣传部 印发 notice; stages 第一阶段（2022年5月—6月）：name; benchmarks named by 学习借鉴…的经验.")
# third batch: written after the second round of fixes, scored before any further change

gold("k01_renmin_yiyuan",
     "松阳县人民医院关于印发《改善就医感受提升患者体验专项行动实施方案》的通知", "通知", "松医发〔2024〕31号",
     "松阳县人民医院", "2024-04-02",
     addressees=["院内各科室"],
     cited=[C("关于开展改善就医感受提升患者体验主题活动的通知", "浙卫发〔2024〕8号")],
     phases=[P("启动部署", "2024-04-01", "2024-04-30"), P("全面推进", "2024-05-01", "2024-10-31"),
             P("总结评估", "2024-11-01", "2024-12-31")],
     deadlines=[DL("2024-04-20", "4月20日前完成科室动员"), DL("2024-12-15", "12月15日前完成总结评估"),
                DL("2024-12-31", "到2024年底", optional=True)],
     duties=[D("平均候诊时间控制在30分钟以内", 30, "分钟", "<=", None),
             D("预约诊疗率达到70%以上", 70, "%", ">=", None),
             D("患者满意度不低于92%", 92, "%", ">=", None),
             D("每日8:00前准时开诊", None, None, None, "day", "门诊各诊室", optional=True),
             D("检验报告出具时间不超过2小时", 2, "小时", "<=", None),
             D("每周至少开展1次患者回访", 1, "次", ">=", "week", "各病区护士长"),
             D("出院患者电话随访率达到100%", 100, "%", ">=", None),
             D("医务科每季度组织一次第三方满意度测评", 1, "次", "=", "quarter", "医务科")],
     roster=[R("组长", "麻建国", "院长", "专项行动领导小组"), R("副组长", "章晓红", "副院长"), R("副组长", "蒙立军", None),
             R("办公室主任", "符丽娟", "医务科科长")],
     notes="Batch 3. Hospital 印发 notice; inline roster (院长某任组长，副院长某、某任副组长); 成员 by position.")

gold("k02_beiguan_danggongwei",
     "关于调整北关街道平安建设工作领导小组成员的通知", "通知", "北关工委发〔2023〕11号",
     "中共北关街道工作委员会", "2023-06-19",
     addressees=["各社区党组织", "街道机关各科室"],
     duties=[D("每月召开一次平安建设形势分析会", 1, "次", "=", "month", "领导小组"),
             D("各社区每周开展安全隐患排查不少于1次", 1, "次", ">=", "week", "各社区"),
             D("全年矛盾纠纷调解成功率达到98%", 98, "%", ">=", "year")],
     roster=[R("组长", "申振华", "街道党工委书记", "北关街道平安建设工作领导小组"),
             R("副组长", "廖佳", "街道党工委副书记、办事处主任"), R("副组长", "贝国强", "街道党工委委员、政法委员"),
             R("成员", "茅晓静", "街道综治中心主任"), R("成员", "房立新", "派出所所长"), R("成员", "裘海燕", "司法所所长"),
             R("办公室主任", "茅晓静", None)],
     notes="Batch 3. 街道党工委; roster as a table flattened with tabs (role, name, title).")

gold("k03_hexian_zhengfuban",
     "禾县人民政府办公室关于印发禾县2024年农村饮水安全巩固提升工作方案的通知", "通知", "禾政办发〔2024〕19号",
     "禾县人民政府办公室", "2024-03-26",
     addressees=["各乡镇人民政府", "县政府各部门"],
     cited=[C("农村供水工程管理办法")],
     phases=[P("完成项目前期工作", "2024-01-01", "2024-06-30", name_free=True),
             P("完成主体工程建设", "2024-07-01", "2024-09-30", name_free=True)],
     deadlines=[DL("2024-11-30", "11月底前全部完工并通过验收"), DL("2024-12-10", "12月10日前报送全年工作总结")],
     duties=[D("新建和改造农村供水工程25处", 25, "处", "=", "year"),
             D("农村自来水普及率达到96%", 96, "%", ">=", None),
             D("覆盖农村人口比例达到60%以上", 60, "%", ">=", None),
             D("每季度对农村供水工程水质抽检一次", 1, "次", "=", "quarter", "县疾控中心"),
             D("抽检合格率不低于95%", 95, "%", ">=", None),
             D("每月至少开展1次供水设施巡查", 1, "次", ">=", "month", "各乡镇"),
             D("于48小时内处置", 48, "小时", "<=", None, "各乡镇"),
             D("于每月5日前报送工程进度", None, None, None, "month", "各乡镇", optional=True)],
     notes="Batch 3. State Council style: 文号 under a one-line title; plan title without 《》. Stages in running "
           "text (上半年…，三季度…，11月底前…) scored without names.")

gold("k04_xinghua_xiaoxue",
     ["2023—2024学年第一学期“书香校园”读书活动方案", "兴华路小学2023—2024学年第一学期“书香校园”读书活动方案"], "方案",
     None, "兴华路小学", "2023-08-28",
     cited=[C("关于开展中小学“书香校园”建设活动的通知")],
     phases=[P("活动时间", "2023-09-01", "2024-01-31", name_free=True),
             P("启动仪式", "2023-09-01", "2023-09-30", name_free=True),
             P("开展读书分享和征文活动", "2023-10-01", "2023-12-31", name_free=True),
             P("总结表彰", "2024-01-01", "2024-01-31", name_free=True)],
     duties=[D("每天早读时间不少于20分钟", 20, "分钟", ">=", "day", "各班"),
             D("每班每月开展一次读书分享会", 1, "次", "=", "month", "每班"),
             D("每学期阅读课外书籍不少于5本", 5, "本", ">=", "half_year", "每名学生"),
             D("评选“书香班级”3个", 3, "个", "=", None),
             D("“阅读之星”30名", 30, "名", "=", None)],
     roster=[R("组长", "闵秀云", "校长", "活动领导小组"), R("副组长", "葛涛", "副校长"), R("副组长", "欧阳丽", "教导主任")],
     notes="Batch 3. A primary school's plan with the school's name alone over the title, no 文号 (the name line "
           "may be read as the title's first line, as in corpora/gold 018; both accepted; 文种 方案, the generic noun); "
           "school-year schedule crossing into 2024; roster titles in brackets.")

gold("g20_qingchuan_jixie",
     "关于成立学院主题教育工作专班并建立每周报送制度的通知", "通知", "青工机党〔2025〕6号",
     "中共青川理工大学机械工程学院委员会", "2025-03-28",
     addressees=["各党支部", "各系（中心）", "学院办公室"],
     cited=[C("中共青川理工大学委员会关于开展党员干部学习教育的实施方案", "青工党发〔2025〕12号")],
     phases=[P("学习教育", "2025-04-01", "2025-07-31", name_free=True, optional=True),
             P("集中学习阶段", "2025-04-01", "2025-05-20"), P("查摆整改阶段", "2025-05-21", "2025-06-30"),
             P("总结评估阶段", "2025-07-01", "2025-07-31")],
     deadlines=[DL("2025-07-25", "于7月25日前报送校党委组织部")],
     duties=[D("各党支部每周至少组织一次集体学习", 1, "次", ">=", "week", "各党支部"),
             D("每名党员撰写学习心得不少于2篇", 2, "篇", ">=", None, "每名党员"),
             D("整改完成率达到100%", 100, "%", ">=", None),
             D("每周五17:00前向工作专班办公室报送本周工作进展", None, None, None, "week", "各党支部", optional=True),
             D("工作专班每周一汇总后报校学习教育办公室", None, None, None, "week", "工作专班", optional=True),
             D("每月至少参加1次所联系支部的学习活动", 1, "次", ">=", "month", "学院党委班子成员"),
             D("每两周编发一期工作简报", 1, "期", "=", None, "工作专班", optional=True),
             D("全年编发信息不少于20条", 20, "条", ">=", "year")],
     roster=[R("组长", "卢建平", "学院党委书记", "学院学习教育工作专班"), R("副组长", "钟晓梅", "学院院长"),
             R("副组长", "范立群", "学院党委副书记"), R("成员", "鲍宁", "学院办公室主任"),
             R("成员", "邵丽娟", "学生工作办公室主任"), R("成员", "祁东海", "教工第一党支部书记"),
             R("办公室主任", "范立群", None)],
     notes="Batch 4. A college party committee (学院党委) notice founding a 工作专班 with weekly reporting; "
           "phases in brackets after the stage name with 上旬/中旬/下旬/底; a clock time (17:00) is no calendar "
           "deadline; 每两周 has no period word of the contract (optional).")

gold("g21_chengnan_weijian",
     "城南区卫生健康局关于印发《城南区2025年基层医疗卫生服务能力提升工作方案》的通知", "通知", "城南卫健〔2025〕23号",
     "城南区卫生健康局", "2025-04-09",
     addressees=["各街道社区卫生服务中心", "区属各医疗卫生单位", "局机关各科室"],
     cited=[C("江北市“优质服务基层行”活动实施意见")],
     deadlines=[DL("2025-12-31", "到2025年底", optional=True),
                DL("2025-12-15", "12月15日前报送年度工作总结"),
                DL("2025-05-20", "制定各中心达标创建计划"), DL("2025-09-30", "全科医生转岗培训"),
                DL("2025-11-30", "家庭医生签约服务推进"), DL("2025-10-31", "社区卫生服务中心标准化改造"),
                DL("2025-12-10", "“优质服务基层行”自评复核")],
     duties=[D("其中3家达到推荐标准", 3, "家", "=", None),
             D("家庭医生签约服务覆盖率不低于45%", 45, "%", ">=", None),
             D("重点人群签约率达到75%以上", 75, "%", ">=", None),
             D("每个社区卫生服务中心至少配备全科医生6名", 6, "名", ">=", None, "每个社区卫生服务中心"),
             D("全年组织业务培训不少于4期", 4, "期", ">=", "year"),
             D("高血压、糖尿病患者规范管理率均达到65%", 65, "%", ">=", None),
             D("年内完成2家社区卫生服务中心标准化改造", 2, "家", "=", "year"),
             D("明确一名分管领导具体负责", 1, "名", "=", None, "各单位", optional=True),
             D("每季度末月25日前向区卫生健康局基层卫生科报送工作进展", None, None, None, "quarter", "各单位",
               optional=True)],
     assignments=[],
     notes="Batch 4. A district 卫健局 印发 notice whose 附件 任务分解表 is flattened to lines (序号 任务 责任单位 "
           "时限 separated by ideographic spaces); each row's 完成时限 is a deadline for that task. 年内 read as "
           "the year (period year).")

gold("g22_shiqiao_fangxun",
     "石桥镇2024年主汛期防汛工作方案", "工作方案", "石防指〔2024〕2号",
     "石桥镇防汛抗旱指挥部", "2024-05-16",
     addressees=["各村（居）委会", "镇直各单位"],
     phases=[P("主汛期", "2024-06-01", "2024-08-31", name_free=True)],
     deadlines=[DL("2024-05-25", "于5月25日前完成辖区山塘、河道、地质灾害隐患点排查"),
                DL("2024-05-31", "在5月31日前修订完善人员转移预案"),
                DL("2024-09-10", "于9月10日前报送防汛工作总结")],
     duties=[D("实行24小时值班和领导带班制度", 24, "小时", "=", "day", "镇、村两级", optional=True),
             D("每日8:30前、16:30前两次向镇防汛办报送雨情、水情和险情", 2, "次", "=", "day", "各村（居）委会"),
             D("遇强降雨时每2小时报送一次", 1, "次", "=", None, "各村（居）委会", optional=True),
             D("每周对重点山塘巡查不少于2次", 2, "次", ">=", "week", "镇水利站"),
             D("每个村至少组织1次转移演练", 1, "次", ">=", None, "每个村"),
             D("储备编织袋不少于5000条", 5000, "条", ">=", None, "镇防汛仓库"),
             D("救生衣不少于200件", 200, "件", ">=", None, "镇防汛仓库"),
             D("必须在30分钟内报告镇防汛办", 30, "分钟", "<=", None, "各村")],
     roster=[R("指挥长", "汤志远", "镇党委副书记、镇长", "镇防汛抗旱指挥部"), R("副指挥长", "贺永明", "镇党委委员、副镇长"),
             R("成员", "储春兰", "镇应急管理办公室主任"), R("成员", "柯德胜", "镇水利站站长"),
             R("成员", "戚文涛", "派出所所长"), R("办公室主任", "储春兰", None)],
     notes="Batch 4. A township flood-control 指挥部 plan: roles 指挥长/副指挥长 printed with alignment spaces, "
           "clock times (8:30前) inside daily reporting duties are no deadlines; 24小时值班 is a regime more than a "
           "count (optional).")

gold("g23_mingde_yanxue",
     ["明德路中学2025年初一年级研学旅行活动方案"], "方案", None, "明德路中学", "2025-04-18",
     cited=[C("关于推进中小学生研学旅行的意见")],
     phases=[P("活动时间", "2025-05-13", "2025-05-15", name_free=True, optional=True),
             P("第一天", "2025-05-13", "2025-05-13", name_free=True),
             P("第二天", "2025-05-14", "2025-05-14", name_free=True),
             P("第三天", "2025-05-15", "2025-05-15", name_free=True)],
     deadlines=[DL("2025-05-09", "于5月9日前召开行前教育主题班会"),
                DL("2025-05-23", "于5月23日前将优秀作品报送德育处")],
     duties=[D("每车配备随队教师不少于2名", 2, "名", ">=", None, "每车"),
             D("每个班级配备1名安全员", 1, "名", "=", None, "每个班级"),
             D("家长告知书回收率达到100%", 100, "%", ">=", None),
             D("每名学生撰写研学报告1篇", 1, "篇", "=", None, "每名学生"),
             D("评选优秀研学报告20篇", 20, "篇", "=", None),
             D("每班完成一项科学探究小课题", 1, "项", "=", None, "每班", optional=True)],
     roster=[R("组长", "宋文斌", "校长", "研学旅行活动领导小组"), R("副组长", "阎雪梅", "副校长"),
             R("副组长", "康立新", "德育处主任"), R("成员", None, "初一年级各班班主任")],
     assignments=[{"name": "康立新", "anchor": "出发前往红岩教育基地，开展革命传统教育"},
                  {"name": "阎雪梅", "anchor": "参观省科技馆"},
                  {"name": "彭小红", "anchor": "赴青山农业园开展劳动实践"}],
     notes="Batch 4. A middle school's 研学 plan: no 文号, issuer from the signature; the day-by-day 时间安排 "
           "(第一天（5月13日）…) gives one-day phases; the 负责人 printed after each day's item is an assignment "
           "(a person named with what they answer for). 文种 方案, "
           "the generic noun, as in k04. Roster 成员 named only "
           "by position gets name null.")

gold("g24_yuzhou_shijian",
     "渝州市市场监督管理局关于印发《渝州市2024年冬季食品安全专项整治行动方案》的通知", "通知", "渝州市监发〔2024〕41号",
     "渝州市市场监督管理局", "2024-11-20",
     addressees=["各区县市场监督管理局", "局机关各处室、直属各单位"],
     cited=[C("川中省市场监督管理局关于开展冬春季食品安全专项整治的通知", "川市监函〔2024〕105号")],
     phases=[P("动员部署阶段", "2024-11-20", "2024-11-30"),
             P("集中整治阶段", "2024-12-01", "2025-01-20"),
             P("总结提升阶段", None, "2025-01-28", optional=True)],
     deadlines=[DL("2025-01-25", "于2025年1月25日前报送工作总结"),
                DL("2024-12-31", "12月底前完成对全市各区县的全覆盖督导"),
                DL("2024-12-31", "典型案例于12月31日前报送")],
     duties=[D("对重点企业检查覆盖率达到100%", 100, "%", ">=", None),
             D("每个区县抽检节令食品不少于150批次", 150, "批次", ">=", None, "每个区县"),
             D("成立4个督导组", 4, "个", "=", None, "市局"),
             D("每半月开展一次督导检查", 1, "次", "=", None, "市局", optional=True),
             D("案件办结率不低于90%", 90, "%", ">=", None),
             D("每周五下午17:00前报送工作进展情况", None, None, None, "week", "各区县局", optional=True)],
     notes="Batch 4. Another province's 市场监管局 印发 notice; stages with windows 即日起至11月30日 (即日 = the "
           "成文日期), a window crossing into 2025, and 春节前 (Spring Festival 2025 falls on 29 January; the "
           "end is a holiday, not a calendar date in the text: optional). 局机关各处室、直属各单位 is one addressee "
           "(split at ，only).")

gold("g25_huaiyang_zhuanfa",
     "淮阳省人民政府办公厅关于转发国务院办公厅《城市燃气管道老化更新改造工作方案》的通知", "通知", "淮政办发〔2024〕33号",
     "淮阳省人民政府办公厅", "2024-06-20",
     addressees=["各市人民政府", "省政府各部门、各直属机构"],
     phases=[P("排查建档阶段", "2024-07-01", "2024-09-30"), P("集中改造阶段", "2024-10-01", "2025-10-31"),
             P("验收总结阶段", "2025-11-01", "2025-12-31")],
     deadlines=[DL("2024-07-31", "于2024年7月31日前制定本地区实施方案"),
                DL("2024-12-10", "在每年12月10日前报送年度改造工作总结", optional=True),
                DL("2025-12-31", "到2025年底，基本完成城市燃气管道老化更新改造任务", optional=True)],
     duties=[D("每季度对各地改造进展开展一次调度", 1, "次", "=", "quarter", "省住房城乡建设厅"),
             D("改造老旧管网不少于1200公里", 1200, "公里", ">=", None),
             D("对老旧管道每月至少巡检2次", 2, "次", ">=", "month", "燃气企业"),
             D("发现隐患24小时内处置", 24, "小时", "<=", None, "燃气企业"),
             D("改造项目竣工验收合格率达到100%", 100, "%", ">=", None),
             D("每个城市至少建成1个燃气安全监测平台", 1, "个", ">=", None, "每个城市"),
             D("补助比例不超过总投资的30%", 30, "%", "<=", None, "省级财政")],
     notes="Batch 5. A provincial 办公厅 转发 notice: short 通知 body with its own deadlines, then the State Council "
           "plan it forwards. The forwarded plan (国办发〔2024〕18号) is the enclosure, not a cited document; "
           "每年12月10日前 recurs (first one optional).")

gold("g26_hengtai_jituan",
     "恒泰能源集团有限公司关于印发《2024年安全生产“百日攻坚”行动方案》的通知", "通知", "恒泰集〔2024〕27号",
     "恒泰能源集团有限公司", "2024-04-08",
     addressees=["集团各部门", "各子公司、分公司"],
     phases=[P("行动时间", "2024-04-10", "2024-07-18", name_free=True)],
     deadlines=[DL("2024-04-15", "于4月15日前上报本单位实施方案"), DL("2024-07-25", "7月25日前上报行动总结")],
     duties=[D("每月带队开展安全检查不少于1次", 1, "次", ">=", "month", "各子公司主要负责人"),
             D("集团每季度组织一次综合督查", 1, "次", "=", "quarter", "集团"),
             D("一线员工安全培训时间不少于24学时", 24, "学时", ">=", None, "一线员工"),
             D("培训覆盖率达到100%", 100, "%", ">=", None),
             D("重大隐患整改率达到100%", 100, "%", ">=", None),
             D("一般隐患整改时限不超过15天", 15, "天", "<=", None),
             D("共100天", 100, "天", "=", None, optional=True)],
     roster=[R("组长", "邹启明", "集团党委书记、董事长", "安全生产“百日攻坚”行动领导小组"),
             R("副组长", "韩德昌", "集团总经理"), R("副组长", "谭立华", "集团安全总监"),
             R("成员", "秦晓峰", "安全环保部部长"), R("成员", "柴玉芬", "生产运营部部长"),
             R("办公室主任", "秦晓峰", None)],
     notes="Batch 5. A state-owned group's 百日攻坚 plan: the leading group printed as a table flattened to "
           "'职务 | 姓名 | 单位职务' lines (the header row is no member); 兼任办公室主任 inline.")

gold("g27_qinghe_wangge",
     "清河街道办事处关于印发《清河街道社区网格化服务管理工作方案》的通知", "通知", "清街办发〔2025〕6号",
     "清河街道办事处", "2025-02-26",
     addressees=["各社区居委会", "街道各科室"],
     phases=[P("划分网格阶段", "2025-03-01", "2025-03-20"), P("全面运行阶段", "2025-03-21", "2025-11-30"),
             P("考核评估阶段", "2025-12-01", "2025-12-31")],
     deadlines=[DL("2025-03-15", "于3月15日前报送网格划分方案和网格员名单")],
     duties=[D("全街道划分网格86个", 86, "个", "=", None),
             D("每个网格配备专职网格员1名", 1, "名", "=", None, "每个网格"),
             D("网格事件按时办结率达到95%以上", 95, "%", ">=", None),
             D("网格员每周至少走访辖区住户20户", 20, "户", ">=", "week", "网格员"),
             D("重点人群每月走访不少于1次", 1, "次", ">=", "month", "网格员"),
             D("独居老人每周上门探视2-3次", 2, "次", ">=", "week", "网格员"),
             D("出租房屋信息采集率达到100%", 100, "%", ">=", None, "网格员"),
             D("发现问题要在2小时内上报社区网格站", 2, "小时", "<=", None, "网格员"),
             D("各社区每月召开网格工作例会不少于1次", 1, "次", ">=", "month", "各社区"),
             D("每季度开展网格员业务培训1次", 1, "次", "=", "quarter", "各社区"),
             D("每个网格每年不超过2000元", 2000, "元", "<=", "year", "街道", optional=True),
             D("网格员在岗率不低于98%", 98, "%", ">=", None),
             D("每周汇总分析网格事件1次", 1, "次", "=", "week", "街道综治中心")],
     notes="Batch 5. A 街道 网格化 plan: 每周至少/每月不少于 frequencies, a range 2-3次 (the lower bound is the "
           "requirement: 2, >=), 100%, and a stage given only as a month (2025年12月 = the whole month).")

gold("g28_donghai_yanjiusheng",
     "东海师范大学研究生院关于做好2024年上半年研究生学位论文答辩工作的通知", "通知", None,
     "东海师范大学研究生院", "2024-03-01",
     addressees=["各培养单位"],
     cited=[C("东海师范大学学位授予工作细则")],
     phases=[P("答辩申请", "2024-03-01", "2024-03-15", name_free=True),
             P("资格审核", "2024-03-16", "2024-03-25", name_free=True),
             P("论文送审", "2024-03-26", "2024-04-20", name_free=True),
             P("论文答辩", "2024-04-21", "2024-05-31", name_free=True)],
     deadlines=[DL("2024-06-05", "于6月5日前将答辩材料报送研究生院培养办公室"),
                DL("2024-06-10", "于6月10日前召开会议审议学位授予事项")],
     duties=[D("每篇论文送2位校外专家评阅", 2, "位", "=", None, "每篇论文"),
             D("学位论文文字复制比不超过15%", 15, "%", "<=", None),
             D("博士学位论文答辩委员会由5-7名专家组成", 5, "名", ">=", None, optional=True),
             D("硕士学位论文答辩委员会由3-5名专家组成", 3, "名", ">=", None, optional=True),
             D("修改时间不少于3个月", 3, "个月", ">=", None)],
     notes="Batch 5. A university graduate school's notice with no 文号, dated 2024年3月; the 工作安排 gives "
           "windows like 3月1日—15日 (the end month carried from the start). Ranges 5-7名 are a composition "
           "rule more than a count (optional).")
