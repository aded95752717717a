"""Rows out to a person or a script: aligned tables (rich measures CJK as double width), JSON, CSV."""
from __future__ import annotations

import csv
import io
import json
import os
import re
import sys

from rich.cells import cell_len
from rich.console import Console
from rich.table import Table

from pipeline.text.doc_numbers import DOC_NUMBER

from pipeline.text.labels import EVENT_KINDS, PERIODS

# column key → header shown in tables (the JSON and CSV keep the keys)
HEADERS = {
    "notice": "文件", "actor": "责任主体", "actor_group": "主体归类", "requirement": "要求", "quantity": "数量",
    "unit": "单位", "comparator": "比较", "period": "周期", "deadline": "时限", "section": "章节", "evidence": "原文",
    "page": "页", "file": "路径", "date": "日期", "days_overdue": "逾期天数", "task": "事项", "kind": "类别",
    "person": "编号", "name": "姓名", "role": "角色", "position": "职务", "title": "标题",
    "context": "机构/分工", "place": "地区", "titles": "职务", "note": "说明",
    "issuer": "发文机关", "ambiguous": "存疑", "doc_number": "发文字号", "doc_type": "文种", "signed_date": "成文日期",
    "duties": "任务", "deadlines": "时限", "roster": "名单", "what": "内容", "reason": "原因", "path": "路径",
    "first_seen": "首次发现", "last_seen": "最近发现", "status": "状态", "notes": "备注", "standing": "任职",
    "files": "文件", "n_files": "份数",
}
STATUS_LABELS = {"done": "已办结", "open": "未办结"}



# identifiers and short values that read badly when wrapped: always shown whole
NO_WRAP = {"date", "person", "name", "signed_date", "deadline", "days_overdue", "page", "period", "status",
           "duties", "deadlines", "roster", "ambiguous", "first_seen", "last_seen"}
# 文号 columns: whole when there is room, else folded before the bracket (岚政发 / 〔2023〕8号)
NUMBERS = {"notice", "doc_number", "cited_number", "citing_number"}
# the long texts: they take the room the others leave, twice the share of a short text column
LONG_TEXT = {"requirement", "task", "title", "what", "evidence", "context", "text", "reason", "position", "notes"}
MIN_TEXT = 8        # a text column never narrower than this (4 Chinese characters) or its header
NOTICE_MIN = 12     # the 文件 label folds onto two lines rather than squeeze the text columns
FLOORS = {"quantity": 6, "unit": 4, "role": 6, "standing": 12}  # 12: 已由〈文号〉调整 folds around the 文号  # short texts: 数量 (100%, 2次) folds only when longer than this
TITLE_LABEL = 10    # a notice with no 文号 is labelled by its title cut to this many characters


def console() -> Console:
    """A console for tables: the terminal's width, or a wide page when output goes to a file or pipe."""
    wide = None if sys.stdout.isatty() else int(os.environ.get("COLUMNS", 0) or 160)
    return Console(highlight=False, soft_wrap=False, width=wide)


def notice_label(notice: str | None) -> str | None:
    """The 文件 cell of a table: the 文号 as is, a title (a notice without 文号) cut to a few characters."""
    if not notice or DOC_NUMBER.fullmatch(notice):
        return notice
    return notice if len(notice) <= TITLE_LABEL + 1 else notice[:TITLE_LABEL] + "…"


def column_widths(headers: list[str], keys: list, cells: list[list[str]], room: int) -> list[int] | None:
    """Widths for a table in ``room`` terminal cells (borders included), or None when it fits as it is.

    Identifiers and short values (NO_WRAP) keep their whole width; every text column keeps at least
    its header (or MIN_TEXT, NOTICE_MIN for 文件; down to 4 cells and a folded header when even those do
    not fit, as with --evidence at 80 columns) and the rest of the room is shared out like water
    filling a stair: columns shorter than the level get their full width, the long texts twice the
    level of the others. Rich's own sizing squeezes wrappable columns to nothing beside a wide
    no-wrap one; this never does.
    """
    n = len(headers)
    avail = room - (3 * n + 1)
    natural = [max([cell_len(headers[i])] + [cell_len(line) for row in cells for line in row[i].splitlines()])
               for i in range(n)]
    if sum(natural) <= avail:
        return None
    fixed = [isinstance(k, str) and k in NO_WRAP for k in keys]
    low = []
    for i, k in enumerate(keys):
        floor = max(cell_len(headers[i]), NOTICE_MIN if k in NUMBERS else FLOORS.get(k, MIN_TEXT))
        low.append(natural[i] if fixed[i] else min(natural[i], floor))
    weight = [2 if isinstance(k, str) and k in LONG_TEXT else 1 for k in keys]

    def width_at(level: float) -> list[int]:
        return [natural[i] if fixed[i] else max(low[i], min(natural[i], int(level * weight[i]))) for i in range(n)]

    # too many columns for the floors (--evidence at 80): headers may fold, and the plain text columns'
    # floor comes down a cell at a time, MIN_TEXT → 4, until the table fits
    for floor in range(MIN_TEXT, 3, -1):
        if sum(width_at(0)) <= avail:
            break
        low = [natural[i] if fixed[i] else
               min(natural[i], NOTICE_MIN if keys[i] in NUMBERS else FLOORS.get(keys[i], floor)) for i in range(n)]
    if sum(width_at(0)) >= avail:
        return width_at(0)  # too narrow even for that: the terminal folds lines, nothing disappears
    lo, hi = 0, max(natural) + 1
    while lo < hi:  # the highest level that fits
        mid = (lo + hi + 1) // 2
        lo, hi = (mid, hi) if sum(width_at(mid)) <= avail else (lo, mid - 1)
    widths = width_at(lo)
    spare = avail - sum(widths)
    for i in sorted(range(n), key=lambda i: -weight[i]):  # the rounding left-overs to the long texts
        if spare <= 0:
            break
        if not fixed[i] and widths[i] < natural[i]:
            add = min(spare, natural[i] - widths[i])
            widths[i] += add
            spare -= add
    return widths


def table(title: str | None, columns, rows, con: Console | None = None) -> None:
    """Print rows as one table; ``columns`` are (header, cell-getter or key) pairs or keys.

    Fits the console's width: see column_widths (long Chinese cells wrap, identifiers stay whole,
    every header shows).
    """
    con = con or console()
    t = Table(title=title, title_justify="left")
    cols = [(HEADERS.get(c, c), c) if isinstance(c, str) else c for c in columns]
    cells = [[_cell(get(r) if callable(get) else r.get(get)) for _, get in cols] for r in rows]
    keys = [get for _, get in cols]
    widths = column_widths([h for h, _ in cols], keys, cells, con.width)
    if widths:  # a 文号 folded by hand before its bracket reads better than cut at the column's edge
        for i, key in enumerate(keys):
            if key in NUMBERS:
                for line in cells:
                    if cell_len(line[i]) > widths[i] and DOC_NUMBER.fullmatch(line[i]):
                        line[i] = re.sub(r"\s*([〔\[［(（【〖﹝])", r"\n\1", line[i], count=1)
    for i, (header, key) in enumerate(cols):
        width = widths[i] if widths else None
        t.add_column(header, overflow="fold", width=width, min_width=width,
                     no_wrap=widths is None and isinstance(key, str) and key in NO_WRAP)
    for line in cells:
        t.add_row(*line)
    con.print(t)


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


def standing_label(standing: str | None, superseded_by: str | None) -> str | None:
    """A roster role as a supervisor reads it: 现任, or 已由〈the later notice〉调整."""
    if standing == "current":
        return "现任"
    if standing == "superseded":
        return f"已由{superseded_by}调整" if superseded_by else "已调整"
    return None


def _readable(row: dict) -> dict:
    """Codes shown in Chinese in tables (JSON and CSV keep the codes)."""
    out = dict(row)
    if "notice" in out:
        out["notice"] = notice_label(out["notice"])
    if out.get("unit") and out.get("quantity") is not None:  # 数量 reads 2次, 100% (the unit column is not shown)
        out["quantity"] = f"{_cell(out['quantity'])}{out['unit']}"
    if "period" in out:
        out["period"] = PERIODS.get(out["period"], out["period"])
    if "kind" in out:
        out["kind"] = EVENT_KINDS.get(out["kind"], out["kind"])
    if "status" in out:
        out["status"] = STATUS_LABELS.get(out["status"], out["status"])
    if "standing" in out:
        out["standing"] = standing_label(out["standing"], out.get("superseded_by"))
    return out
