"""What the web desk says in Chinese: table titles, column labels, sorts, facets and canned queries.

The canned queries use Chinese named parameters (``:日期``), so Datasette's form fields are
labelled in Chinese; an empty date means today. They read three things the plugin provides on
every tracker connection (pipeline.desk.plugin): the attached ``desk`` database (办结状态 and notes,
kept outside the tracker file) and the SQL functions ``jieba_query``/``desk_snippet``. Each query is
a SQL text of pipeline.tracker.queries (what ``duban deadlines/duties/people`` run) with Chinese
column names and the 办结 status around it, a page of PAGE_ROWS rows at a time.
"""
from __future__ import annotations

from pipeline.tracker import queries as Q
from pipeline.text.labels import COMPARATORS, EVENT_KINDS, PERIODS, sql_case
from pipeline.tracker.export import LABELS

TRACKER = "tracker"
DESK = "desk"

TODAY = "coalesce(nullif(trim(:日期), ''), date('now', 'localtime'))"
DAYS = "coalesce(nullif(trim(:天数), ''), '30')"  # a number of days, 30 when left empty
# A canned query shows PAGE_ROWS rows a page (``?_page=2`` the next; pipeline.desk.plugin's magic
# parameters :_page_size and :_page_offset), appended to its SQL unless the SQL places it itself. A
# page of 1,000 rows took 0.3 s of the server's single Python thread to render; twenty clients then
# waited for each other (issue 11).
PAGE_ROWS = 50
PAGE = "\n limit :_page_size offset :_page_offset"

STATUS = "case s.status when 'done' then '已办结' when 'open' then '未办结' else '未办结' end"
STATUS_JOIN = "left join desk.duty_status s on s.uid = q.uid"

KIND = sql_case("q.kind", EVENT_KINDS)
MATCH = "coalesce(jieba_query(:关键词), '\"\"')"  # the FTS5 expression of the query; '""' matches nothing
# a query too short for the word index (one character): LIKE on the text instead. Each search is a union
# of the index hits and the LIKE rows, only one of which runs (SQLite tests this constant first);
# ``index hits OR (short and LIKE)`` made SQLite scan every duty and every notice for every query.
SHORT = "jieba_query(:关键词) is null"
EMPTY = "trim(:{0}) = ''"

# Each canned query is a text of pipeline.tracker.queries (the CLI's own SQL) with Chinese names around it.
QUERIES = {
    "overdue": {
        "title": "逾期事项",
        "description": "到某日（留空为今天）已过期、尚未标记办结的时限和任务时限，最早的在前。",
        "sql": f"""
select q.date as 到期日, q.days_overdue as 逾期天数, q.task as 事项, q.actor as 责任主体, q.notice as 文件,
       {KIND} as 类型, {STATUS} as 状态, q.evidence as 原文依据, q.page as 页码, q.uid as uid
  from (select * from ({Q.deadlines_sql(TODAY, "{date} < " + TODAY + " and " + Q.NOT_DONE)}) order by date, file{PAGE}) q
  {STATUS_JOIN}
 order by q.date, q.file""",
    },
    "due": {
        "title": "限期将到",
        "description": "从某日（留空为今天）起若干天（留空为30天）内到期、尚未标记办结的时限和任务时限，最早的在前。",
        "sql": f"""
select q.date as 到期日, cast(julianday(q.date) - julianday({TODAY}) as integer) as 剩余天数, q.task as 事项,
       q.actor as 责任主体, q.notice as 文件, {KIND} as 类型, {STATUS} as 状态, q.evidence as 原文依据, q.page as 页码,
       q.uid as uid
  from (select * from ({Q.deadlines_sql(TODAY, "{date} between " + TODAY + " and date(" + TODAY + ", '+' || " + DAYS + " || ' days') and " + Q.NOT_DONE)}) order by date, file{PAGE}) q
  {STATUS_JOIN}
 order by q.date, q.file""",
    },
    "upcoming": {
        "title": "近期到期",
        "description": "从某日（留空为今天）起若干天（留空为30天）内到期的时限、任务时限和阶段节点。",
        "sql": f"""
select q.date as 到期日, cast(julianday(q.date) - julianday({TODAY}) as integer) as 剩余天数, q.what as 事项,
       q.actor as 责任主体, q.notice as 文件, {KIND} as 类型, {STATUS} as 状态, q.evidence as 原文依据, q.page as 页码,
       q.uid as uid
  from (select * from ({Q.CALENDAR.format(cond=f"c.date between {TODAY} and date({TODAY}, '+' || coalesce(nullif(trim(:天数), ''), '30') || ' days')")}){PAGE}) q
  {STATUS_JOIN}
 order by q.date""",
    },
    "duties_by_actor": {
        "title": "按责任主体查任务",
        "description": "某责任主体（原文写法或其类别，如“村”找到“各村（社区）”）的量化任务；留空列出全部。",
        "sql": f"""
select q.actor as 责任主体, q.actor_group as 主体类别, q.requirement as 任务要求,
       {sql_case("q.comparator", COMPARATORS)} as 比较, q.quantity as 数量, q.unit as 单位,
       {sql_case("q.period", PERIODS, keep=False)} as 周期, q.deadline as 完成时限, q.notice as 文件, {STATUS} as 状态,
       q.evidence as 原文依据, q.page as 页码, q.uid as uid
  from ({Q.DUTIES.format(cond=f"({EMPTY.format('责任主体')} or {Q.DUTY_ACTOR.format(actor='trim(:责任主体)')})")}) q
  {STATUS_JOIN}""",
    },
    "person_roles": {
        "title": "人员任职",
        "description": "某人在各文件中的全部角色（领导小组组长、成员、分工…）；同名而地方、职务不合的分作不同的人。",
        "sql": f"""
select q.person as 人员编号, q.name as 姓名, q.role as 角色, q.position as 职务, q.context as 所在机构或分工,
       q.notice as 文件, q.issuer as 发文机关,
       case q.standing when 'current' then '现任' when 'superseded' then '已由' || coalesce(q.superseded_by, '后文') || '调整'
       end as 任职状态,
       case when q.ambiguous then '同名待辨' end as 备注, q.evidence as 原文依据, q.page as 页码
  from ({Q.PEOPLE.format(cond=Q.PERSON_NAME.format(name='trim(:姓名)'), roster_cond='1', duty_cond='1')}) q""",  # an empty name: everyone
    },
    "citations": {
        "title": "文件引用关系",
        "description": "哪个文件依据（落实）哪个文件：引用方、被引用方，以及被引用文件是否已在台账中。留空列出全部。",
        "sql": f"""
select q.citing_number as 引用文件, q.citing_title as 引用文件标题, q.cited_number as 被引文号,
       q.cited_title as 被引文件标题, case when q.cited_id is null then '未入台账' else '已入台账' end as 台账,
       q.evidence as 原文依据, q.page as 页码
  from ({Q.CITATION_LINKS.format(cond=f"{EMPTY.format('文件')} or l.citing_number = trim(:文件) "
                                      f"or l.cited_number = trim(:文件) or l.citing_title like '%' || trim(:文件) || '%' "
                                      f"or l.cited_title like '%' || trim(:文件) || '%'")}) q""",
    },
    "phases": {
        "title": "阶段时间轴",
        "description": "一个文件的各阶段（填文件：发文字号或标题中的词），或某月（YYYY-MM）正在进行的全部阶段。",
        "sql": f"""
select q.notice as 文件, q.name as 阶段, q.start_date as 开始, q.end_date as 结束,
       cast(julianday(q.end_date) - julianday(q.start_date) + 1 as integer) as 天数,
       q.time_text as 原文时间, q.evidence as 原文依据, q.page as 页码
  from ({Q.PHASES.format(cond=f"({EMPTY.format('文件')} or d.doc_number = trim(:文件) "
                               f"or d.title like '%' || trim(:文件) || '%' or d.path = trim(:文件)) "
                               f"and ({EMPTY.format('月份')} or (coalesce(p.start_date, p.end_date) "
                               f"<= date(trim(:月份) || '-01', '+1 month', '-1 day') "
                               f"and coalesce(p.end_date, p.start_date) >= date(trim(:月份) || '-01')))")}) q""",
    },
    "search": {
        "title": "全文检索",
        "description": "在任务要求和文件全文中检索中文词语（按 jieba 分词，“调研”能找到“实地调研企业”）；单个汉字按字面匹配。",
        "sql": f"""
select '任务' as 类别, q.notice as 文件, q.actor as 责任主体, q.requirement as 内容, q.evidence as 原文依据,
       q.page as 页码
  from ({Q.DUTIES.format(cond=f"trim(:关键词) != '' and u.id in ({Q.DUTY_FTS.format(match=MATCH)} union all "
                             f"select u.id from duties u where {SHORT} and {Q.DUTY_LIKE.format(text='trim(:关键词)')})")}) q
union all
select '文件', {Q.NOTICE}, d.issuer, d.title, desk_snippet(d.text, :关键词), null
  from documents d
 where trim(:关键词) != '' and d.id in ({Q.DOCUMENT_FTS.format(match=MATCH)} union all
       select d.id from documents d where {SHORT} and {Q.DOCUMENT_LIKE.format(text="trim(:关键词)")})""",
    },
}


def _cols(*names, **extra):
    out = {n: LABELS[n] for n in names if n in LABELS}
    out.update(extra)
    return out


EVIDENCE = dict(evidence="原文依据", page="页码", start="起始位置", end="结束位置", section="所在章节",
                uid="稳定编号", seq="序号", document_id="所属文件")

TABLES = {
    "documents": {"title": "文件", "description": "台账中的每一份文件（通知及所附方案）。点标题打开文件页。",
                  "sort_desc": "signed_date", "facets": ["issuer", "year", "doc_type"], "label_column": "doc_number",
                  "columns": _cols("doc_number", "title", "doc_type", "issuer", "signed_date",
                                   id="编号", file_id="来源文件", path="路径", file="原始文件", sha256="内容哈希",
                                   format="格式", pages="页数", ocr="经OCR", doc_number_prefix="机关代字",
                                   doc_number_year="文号年份", doc_number_serial="文号序号", addressees="主送机关",
                                   year="年份", text="正文", words="检索词", record="记录JSON")},
    "duties": {"title": "量化任务", "description": "不少于N次、每月至少一次……按责任主体、周期分面。",
               "sort": "document_id", "facets": ["actor_group", "period"],
               "columns": _cols("actor", "actor_group", "comparator", "quantity", "unit", "period", "deadline",
                                text="任务要求", action="动作", words="检索词", **EVIDENCE)},
    "deadlines": {"title": "时限", "description": "……前报送、于……完成：有日期的时限。",
                  "sort": "date", "facets": ["actor_group"],
                  "columns": _cols("date", "task", "actor", "actor_group", time_text="原文时间", **EVIDENCE)},
    "phases": {"title": "阶段", "description": "各文件的工作阶段及起止日期。", "sort": "start_date",
               "columns": dict(name="阶段", start_date="开始", end_date="结束", time_text="原文时间", **EVIDENCE)},
    "roster_groups": {"title": "领导小组", "description": "各文件成立的领导小组（工作专班）及其办公室。",
                      "label_column": "name",
                      "columns": dict(name="小组名称", office_name="办公室", office_director="办公室主任",
                                      office_location="办公室设在", **EVIDENCE)},
    "roster_members": {"title": "小组成员", "description": "领导小组的组长、副组长、成员。", "sort": "document_id",
                       "facets": ["role", "group_name"],
                       "columns": dict(group_id="小组", group_name="小组名称", member_seq="名次", role="角色",
                                       name="姓名", title="职务", person_id="人员", **EVIDENCE)},
    "assignments": {"title": "分工", "description": "领导分工：谁分管、联系哪些工作。",
                    "columns": dict(name="姓名", title="职务", duties="分管工作", person_id="人员", **EVIDENCE)},
    "citations": {"title": "引用", "description": "文件所依据、引用的文件。", "facets": ["issuer"],
                  "columns": dict(title="被引文件标题", doc_number="被引文号", issuer="被引文件发文机关",
                                  cited_document_id="台账中的被引文件", title_key="标题检索键", **EVIDENCE)},
    # how a citation by title finds its notice (pipeline.tracker.link.title_keys): for the links, not for reading
    "title_keys": {"title": "标题检索键", "hidden": True, "columns": dict(key="检索键", document_id="文件")},
    "benchmarks": {"title": "对标", "columns": dict(name="对标对象", **EVIDENCE)},
    "people": {"title": "人员", "description": "跨文件认定的同一人；同名而地方、职务不合的分开。", "sort": "name",
               "label_column": "name", "facets": ["ambiguous"],
               "columns": dict(id="编号", name="姓名", place="地方", titles="职务", n_roles="角色数",
                               n_documents="文件数", ambiguous="同名待辨", note="说明")},
    "calendar": {"title": "日程", "description": "阶段起止、时限、任务时限排在一条时间线上。", "sort": "date",
                 "facets": ["kind"], "columns": dict(date="日期", kind="类型", what="事项", actor="责任主体",
                                                     doc_number="发文字号", title="文件标题", evidence="原文依据",
                                                     page="页码", document_id="所属文件")},
    "person_roles": {"title": "人员任职（视图）", "facets": ["source", "role"]},
    "citation_links": {"title": "引用关系（视图）"},
    "ambiguous_people": {"title": "同名待辨"},
    "files": {"title": "收件箱文件", "columns": dict(path="路径", sha256="内容哈希", size="字节", mtime="修改时间",
                                                  extractor_version="抽取器版本", status="状态",
                                                  n_documents="文件数")},
    "runs": {"title": "重建记录", "sort_desc": "id",
             "columns": dict(id="编号", started="开始时间", finished="结束时间", seconds="用时（秒）", inbox="收件箱",
                             files_seen="文件数", extracted="新抽取", reused="沿用", removed="移除", failed="失败",
                             documents="台账文件数", extractor_version="抽取器版本", status="状态")},
    "failures": {"title": "读取失败", "columns": dict(path="路径", reason="原因", first_seen="首次", last_seen="最近")},
    "meta": {"title": "元数据", "columns": dict(key="项目", value="值")},
}

DESK_TABLES = {
    "duty_status": {"title": "办结状态", "description": "督办人员标记的办结情况（按事项的稳定编号 uid）。",
                    "sort_desc": "at", "facets": ["status", "by"],
                    "columns": {"uid": "事项编号", "status": "状态", "by": "标记人", "at": "时间"}},
    "notes": {"title": "督办备注", "description": "督办人员对事项的备注。", "sort_desc": "at", "facets": ["by"],
              "columns": {"uid": "事项编号", "text": "备注", "by": "填写人", "at": "时间"}},
}

# columns not worth a table cell (shown on the row page and in JSON)
HIDDEN = {
    "documents": {"text", "words", "record", "sha256", "file_id", "doc_number_prefix", "doc_number_year",
                  "doc_number_serial"},
    "duties": {"words", "start", "end"},
    "deadlines": {"start", "end"}, "phases": {"start", "end"}, "roster_members": {"start", "end"},
    "roster_groups": {"start", "end"}, "assignments": {"start", "end"}, "citations": {"start", "end", "title_key"},
    "benchmarks": {"start", "end"},
}
# every fact's uid (the stable key of 办结 marks and page anchors) is for machines: hidden with the rest
for _t in ("duties", "deadlines", "phases", "roster_members", "roster_groups", "assignments", "citations", "benchmarks",
           "calendar"):
    HIDDEN.setdefault(_t, set()).add("uid")


def metadata(*, write: bool = False) -> dict:
    links = " · ".join(f'<a href="/{TRACKER}/{name}">{q["title"]}</a>' for name, q in QUERIES.items())
    # the form, not the SQL; a page at a time
    canned = {name: {**q, "sql": q["sql"] if ":_page_size" in q["sql"] else q["sql"] + PAGE, "hide_sql": True}
              for name, q in QUERIES.items()}
    return {
        "title": "督办台账",
        "description_html": (
            f"<p>常用查询：{links}</p>"
            f'<p>文件一览：<a href="/{TRACKER}/documents">文件</a> · 日历订阅：<a href="/-/desk.ics">desk.ics</a>'
            f"（所有阶段和时限，全天事件）</p>"
            + ("<p>可写模式：登录后可在文件页标记办结、填写备注。</p>" if write else "")),
        "databases": {
            TRACKER: {"title": "督办台账", "description": "由 duban rebuild 从收件箱生成；每晚重建后自动换用新文件。",
                      "tables": TABLES, "queries": canned},
            DESK: {"title": "督办记录", "description": "办结标记和备注（独立于台账文件，重建不丢失）。",
                   "tables": DESK_TABLES},
        },
    }
