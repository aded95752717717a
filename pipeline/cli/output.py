"""Rows out to a person or a script: aligned tables (rich measures CJK as double width), JSON, CSV."""
from __future__ import annotations

import csv
import io
import json
import os
import sys

from rich.console import Console
from rich.table import Table

from pipeline.text.labels import EVENT_KINDS, PERIODS

# column key → header shown in tables (the JSON and CSV keep the keys)
HEADERS = {
    "notice": "文件", "actor": "责任主体", "actor_group": "主体归类", "requirement": "要求", "quantity": "数量",
    "unit": "单位", "comparator": "比较", "period": "周期", "deadline": "时限", "section": "章节", "evidence": "原文",
    "page": "页", "file": "路径", "date": "日期", "days_overdue": "逾期天数", "task": "事项", "kind": "类别",
    "person": "人员编号", "name": "姓名", "role": "角色", "position": "单位及职务", "title": "标题",
    "context": "所在机构/分工", "place": "地区", "titles": "职务", "note": "说明",
    "issuer": "发文机关", "ambiguous": "存疑", "doc_number": "发文字号", "doc_type": "文种", "signed_date": "成文日期",
    "duties": "任务数", "deadlines": "时限数", "roster": "名单人数", "what": "内容", "reason": "原因", "path": "路径",
    "first_seen": "首次发现", "last_seen": "最近发现",
}



# identifiers that read badly when wrapped
NO_WRAP = {"notice", "doc_number", "date", "person", "name", "signed_date", "deadline", "days_overdue"}


def console() -> Console:
    """A console for tables: the terminal's width, or a wide page when output goes to a file or pipe."""
    wide = None if sys.stdout.isatty() else int(os.environ.get("COLUMNS", 0) or 160)
    return Console(highlight=False, soft_wrap=False, width=wide)


def table(title: str | None, columns, rows, con: Console | None = None) -> None:
    """Print rows as one table; ``columns`` are (header, cell-getter or key) pairs or keys."""
    t = Table(title=title, title_justify="left")
    cols = [(HEADERS.get(c, c), c) if isinstance(c, str) else c for c in columns]
    for header, key in cols:
        # wrap long Chinese cells instead of cutting them; keep identifiers on one line
        t.add_column(header, overflow="fold", no_wrap=isinstance(key, str) and key in NO_WRAP)
    for r in rows:
        t.add_row(*[_cell(get(r) if callable(get) else r.get(get)) for _, get in cols])
    (con or console()).print(t)


def _cell(v) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def emit(rows: list[dict], fmt: str, columns: list[str], title: str | None = None, out=None) -> None:
    """Write rows as ``table`` (the given columns), ``json`` or ``csv`` (every key)."""
    if fmt == "json":
        print(json.dumps(rows, ensure_ascii=False, indent=1), file=out)
    elif fmt == "csv":
        buf = io.StringIO()
        keys = list(rows[0]) if rows else columns
        w = csv.DictWriter(buf, fieldnames=keys, extrasaction="ignore")
        w.writeheader()
        w.writerows(rows)
        print(buf.getvalue(), end="", file=out)
    else:
        shown = [_readable(r) for r in rows]
        table(title, columns, shown)


def _readable(row: dict) -> dict:
    """Codes shown in Chinese in tables (JSON and CSV keep the codes)."""
    out = dict(row)
    if "period" in out:
        out["period"] = PERIODS.get(out["period"], out["period"])
    if "kind" in out:
        out["kind"] = EVENT_KINDS.get(out["kind"], out["kind"])
    return out
