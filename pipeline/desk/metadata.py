"""What the web desk says in Chinese: table titles, column labels, sorts, facets and canned queries.

The canned queries use Chinese named parameters (``:日期``), so Datasette's form fields are
labelled in Chinese; an empty date means today. They read three things the plugin provides on
every tracker connection (pipeline.desk.plugin): the attached ``desk`` database (办结状态 and notes,
kept outside the tracker file) and the SQL functions ``jieba_query``/``desk_snippet``; dated facts
come from the tracker's ``calendar`` view (with each fact's ``uid``).
"""
from __future__ import annotations

from pipeline.text.labels import COMPARATORS, EVENT_KINDS, PERIODS, sql_case
from pipeline.tracker.export import LABELS

TRACKER = "tracker"
DESK = "desk"

TODAY = "coalesce(nullif(trim(:日期), ''), date('now', 'localtime'))"
NOTICE = "coalesce(d.doc_number, d.title, d.path)"
STATUS = "case s.status when 'done' then '已办结' when 'open' then '未办结' else '未办结' end"

KIND = sql_case("c.kind", EVENT_KINDS)

QUERIES = {
    "overdue": {
        "title": "逾期事项",
        "description": "到某日（留空为今天）已过期、尚未标记办结的时限和任务时限，最早的在前。",
        "sql": f"""
select c.date as 到期日,
       cast(julianday({TODAY}) - julianday(c.date) as integer) as 逾期天数,
       c.what as 事项, c.actor as 责任主体, {NOTICE} as 文件, {KIND} as 类型, {STATUS} as 状态,
       c.evidence as 原文依据, c.page as 页码, c.uid as uid
  from calendar c join documents d on d.id = c.document_id
  left join desk.duty_status s on s.uid = c.uid
 where c.kind in ('deadline', 'duty_deadline') and c.date < {TODAY} and coalesce(s.status, '') != 'done'
 order by c.date, d.path""",
    },
    "upcoming": {
        "title": "近期到期",
        "description": "从某日（留空为今天）起若干天（留空为30天）内到期的时限、任务时限和阶段节点。",
        "sql": f"""
select c.date as 到期日,
       cast(julianday(c.date) - julianday({TODAY}) as integer) as 剩余天数,
       c.what as 事项, c.actor as 责任主体, {NOTICE} as 文件, {KIND} as 类型, {STATUS} as 状态,
       c.evidence as 原文依据, c.page as 页码, c.uid as uid
  from calendar c join documents d on d.id = c.document_id
  left join desk.duty_status s on s.uid = c.uid
 where c.date between {TODAY}
       and date({TODAY}, '+' || coalesce(nullif(trim(:天数), ''), '30') || ' days')
 order by c.date, d.path""",
    },
    "duties_by_actor": {
        "title": "按责任主体查任务",
        "description": "某责任主体（原文写法或其类别，如“村”找到“各村（社区）”）的量化任务；留空列出全部。",
        "sql": f"""
select u.actor as 责任主体, u.actor_group as 主体类别, u.text as 任务要求,
       {sql_case("u.comparator", COMPARATORS)} as 比较,
       u.quantity as 数量, u.unit as 单位,
       {sql_case("u.period", PERIODS, keep=False)} as 周期,
       u.deadline as 完成时限, {NOTICE} as 文件, {STATUS} as 状态, u.evidence as 原文依据, u.page as 页码,
       u.uid as uid
  from duties u join documents d on d.id = u.document_id
  left join desk.duty_status s on s.uid = u.uid
 where trim(:责任主体) = '' or u.actor like '%' || trim(:责任主体) || '%'
       or u.actor_group like '%' || trim(:责任主体) || '%'
 order by d.path, u.seq""",
    },
    "person_roles": {
        "title": "人员任职",
        "description": "某人在各文件中的全部角色（领导小组组长、成员、分工…）；同名而地方、职务不合的分作不同的人。",
        "sql": """
select p.id as 人员编号, p.name as 姓名, r.role as 角色, r.title as 职务, r.context as 所在机构或分工,
       coalesce(r.doc_number, r.document_title) as 文件, r.issuer as 发文机关,
       case r.standing when 'current' then '现任' when 'superseded' then '已由' || coalesce(r.superseded_by, '后文') || '调整'
       end as 任职状态,
       case when p.ambiguous then '同名待辨' end as 备注, r.evidence as 原文依据, r.page as 页码
  from people p join person_roles r on r.person_id = p.id
 where trim(:姓名) = '' or p.name like '%' || trim(:姓名) || '%'
 order by p.name, p.id, r.document_id, r.source desc""",
    },
    "citations": {
        "title": "文件引用关系",
        "description": "哪个文件依据（落实）哪个文件：引用方、被引用方，以及被引用文件是否已在台账中。留空列出全部。",
        "sql": """
select l.citing_number as 引用文件, l.citing_title as 引用文件标题, l.cited_number as 被引文号,
       l.cited_title as 被引文件标题, case when l.cited_id is null then '未入台账' else '已入台账' end as 台账,
       l.evidence as 原文依据, l.page as 页码
  from citation_links l
 where trim(:文件) = '' or l.citing_number = trim(:文件) or l.cited_number = trim(:文件)
       or l.citing_title like '%' || trim(:文件) || '%' or l.cited_title like '%' || trim(:文件) || '%'
 order by l.citing_number, l.cited_number""",
    },
    "phases": {
        "title": "阶段时间轴",
        "description": "一个文件的各阶段（填文件：发文字号或标题中的词），或某月（YYYY-MM）正在进行的全部阶段。",
        "sql": f"""
select {NOTICE} as 文件, p.name as 阶段, p.start_date as 开始, p.end_date as 结束,
       cast(julianday(p.end_date) - julianday(p.start_date) + 1 as integer) as 天数,
       p.time_text as 原文时间, p.evidence as 原文依据, p.page as 页码
  from phases p join documents d on d.id = p.document_id
 where (trim(:文件) = '' or d.doc_number = trim(:文件) or d.title like '%' || trim(:文件) || '%'
        or d.path = trim(:文件))
   and (trim(:月份) = '' or (coalesce(p.start_date, p.end_date) <= date(trim(:月份) || '-01', '+1 month', '-1 day')
        and coalesce(p.end_date, p.start_date) >= date(trim(:月份) || '-01')))
 order by coalesce(p.start_date, p.end_date), d.path, p.seq""",
    },
    "search": {
        "title": "全文检索",
        "description": "在任务要求和文件全文中检索中文词语（按 jieba 分词，“调研”能找到“实地调研企业”）；单个汉字按字面匹配。",
        "sql": f"""
select '任务' as 类别, {NOTICE} as 文件, u.actor as 责任主体, u.text as 内容, u.evidence as 原文依据, u.page as 页码
  from duties u join documents d on d.id = u.document_id
 where trim(:关键词) != '' and (
       u.id in (select rowid from duties_fts where duties_fts match coalesce(jieba_query(:关键词), '""'))
       or (jieba_query(:关键词) is null and (u.text like '%' || trim(:关键词) || '%'
                                               or u.actor like '%' || trim(:关键词) || '%')))
union all
select '文件', {NOTICE}, d.issuer, d.title, desk_snippet(d.text, :关键词), null
  from documents d
 where trim(:关键词) != '' and (
       d.id in (select rowid from documents_fts where documents_fts match coalesce(jieba_query(:关键词), '""'))
       or (jieba_query(:关键词) is null and d.text like '%' || trim(:关键词) || '%'))""",
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
                                  cited_document_id="台账中的被引文件", **EVIDENCE)},
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
    "runs": {"title": "重建记录", "sort_desc": "id"},
    "failures": {"title": "读取失败", "columns": dict(path="路径", reason="原因", first_seen="首次", last_seen="最近")},
    "meta": {"title": "元数据"},
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
    "roster_groups": {"start", "end"}, "assignments": {"start", "end"}, "citations": {"start", "end"},
    "benchmarks": {"start", "end"},
}


def metadata(*, write: bool = False) -> dict:
    links = " · ".join(f'<a href="/{TRACKER}/{name}">{q["title"]}</a>' for name, q in QUERIES.items())
    canned = {name: {**q, "hide_sql": True} for name, q in QUERIES.items()}  # the form, not the SQL
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
