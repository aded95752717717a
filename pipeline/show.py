"""``duban show``: a record as a terminal summary (rich tables, widths right for Chinese text)."""
from __future__ import annotations

from rich.console import Console
from rich.table import Table


def _console():
    return Console(highlight=False, soft_wrap=False)


def render(rec: dict, console: Console | None = None) -> None:
    c = console or _console()
    num = (rec.get("doc_number") or {}).get("text") if rec.get("doc_number") else None
    c.rule(f"[bold]{rec.get('title') or '(no title)'}")
    head = Table.grid(padding=(0, 2))
    head.add_column(style="bold cyan", no_wrap=True)
    head.add_column()
    for label, value in (("文件", rec["source"]["path"]), ("文种", rec.get("doc_type")), ("发文字号", num),
                         ("发文机关", rec.get("issuer")), ("成文日期", rec.get("signed_date")),
                         ("主送机关", "，".join(rec.get("addressees") or []) or None),
                         ("引用文件", "；".join(_citation(x) for x in rec.get("cited_documents") or []) or None),
                         ("对标对象", "、".join(rec.get("benchmarks") or []) or None)):
        head.add_row(label, value or "—")
    c.print(head)

    if rec.get("phases"):
        t = Table(title="阶段 phases", title_justify="left")
        for col in ("阶段", "开始", "结束", "原文时间"):
            t.add_column(col)
        for p in rec["phases"]:
            t.add_row(p["name"], p["start"] or "…", p["end"] or "…", p.get("time_text") or "")
        c.print(t)
    if rec.get("deadlines"):
        t = Table(title="时限 deadlines", title_justify="left")
        for col in ("日期", "事项", "责任主体"):
            t.add_column(col)
        for d in sorted(rec["deadlines"], key=lambda d: d["date"]):
            t.add_row(d["date"], d.get("task") or "", d.get("actor") or "")
        c.print(t)
    if rec.get("duties"):
        t = Table(title="量化任务 duties", title_justify="left")
        for col in ("责任主体", "要求", "数量", "周期"):
            t.add_column(col)
        for d in rec["duties"]:
            q = "" if d["quantity"] is None else f"{d['comparator'] or ''}{d['quantity']}{d['unit'] or ''}"
            t.add_row(d.get("actor") or "", d["text"], q, PERIOD_ZH.get(d.get("period"), ""))
        c.print(t)
    for r in rec.get("rosters") or []:
        t = Table(title=f"名单 {r.get('group') or ''}", title_justify="left")
        for col in ("职务", "姓名", "单位及职务"):
            t.add_column(col)
        for m in r["members"]:
            t.add_row(m["role"] or "", m["name"] or "（按职务）", m.get("title") or "")
        c.print(t)
    if rec.get("assignments"):
        t = Table(title="分工 assignments", title_justify="left")
        for col in ("姓名", "职务", "负责"):
            t.add_column(col)
        for a in rec["assignments"]:
            t.add_row(a["name"], a.get("title") or "", "；".join(a["duties"]))
        c.print(t)


PERIOD_ZH = {"day": "每天", "week": "每周", "month": "每月", "quarter": "每季度", "half_year": "每半年", "year": "每年", None: ""}


def _citation(x: dict) -> str:
    parts = [f"《{x['title']}》" if x.get("title") else "", x.get("doc_number") or ""]
    return "".join(p for p in parts if p)
