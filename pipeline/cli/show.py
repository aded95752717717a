"""``duban show``: a record as a terminal summary (rich tables, widths right for Chinese text)."""
from __future__ import annotations

from rich.console import Console
from rich.table import Table

from pipeline.cli.output import table
from pipeline.text.labels import PERIODS


def _console():
    from pipeline.cli.output import console

    return console()


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
        table("阶段 phases", [("阶段", "name"), ("开始", lambda p: p["start"] or "…"),
                              ("结束", lambda p: p["end"] or "…"), ("原文时间", "time_text")], rec["phases"], c)
    if rec.get("deadlines"):
        table("时限 deadlines", [("日期", "date"), ("事项", "task"), ("责任主体", "actor")],
              sorted(rec["deadlines"], key=lambda d: d["date"]), c)
    if rec.get("duties"):
        table("量化任务 duties", [("责任主体", "actor"), ("要求", "text"), ("数量", _quantity),
                                  ("周期", lambda d: PERIODS.get(d.get("period"), ""))], rec["duties"], c)
    for r in rec.get("rosters") or []:
        table(f"名单 {r.get('group') or ''}", [("职务", "role"), ("姓名", lambda m: m["name"] or "（按职务）"),
                                              ("单位及职务", "title")], r["members"], c)
    if rec.get("assignments"):
        table("分工 assignments", [("姓名", "name"), ("职务", "title"), ("负责", lambda a: "；".join(a["duties"]))],
              rec["assignments"], c)


def _quantity(d: dict) -> str:
    return "" if d["quantity"] is None else f"{d['comparator'] or ''}{d['quantity']}{d['unit'] or ''}"


def _citation(x: dict) -> str:
    parts = [f"《{x['title']}》" if x.get("title") else "", x.get("doc_number") or ""]
    return "".join(p for p in parts if p)
