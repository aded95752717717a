"""Exports of the tracker for the supervisors: Excel workbooks, CSV, JSON and iCalendar.

    >>> from pipeline import export, queries
    >>> conn = queries.connect("outputs/tracker.db")
    >>> export.write_xlsx(conn, "督办.xlsx")                  # four sheets: 任务, 时限, 人员, 文件
    >>> export.write_ics(conn, "督办.ics", as_of="2026-11-23", upcoming=30)

The rows come from pipeline.queries (the same functions, filters and order as ``duban duties`` /
``deadlines`` / ``people`` / ``docs``), so an export shows exactly what the query commands print.
The calendar is built from the facts themselves, because an event needs the fact's stable ``uid``:
every phase (an all-day event over its window) and every dated deadline (an all-day event on its
day) gets the UID ``<uid>@<domain>``; the uid survives rebuilds while the notice is unchanged, so
a calendar subscribed to the desk's feed updates events instead of duplicating them.
"""
from __future__ import annotations

import csv
import io
import json
import unicodedata
from datetime import date, datetime, timedelta, timezone

from pipeline.text.doc_numbers import canonical_doc_number
from pipeline.text.labels import COMPARATORS, EVENT_KINDS, PERIODS
from pipeline.tracker import queries

KINDS = ("duties", "deadlines", "people", "documents")
SHEETS = {"duties": "任务", "deadlines": "时限", "people": "人员", "documents": "文件"}

# column -> Chinese header (the desk's metadata uses the same labels)
LABELS = {
    "notice": "文件", "actor": "责任主体", "actor_group": "主体类别", "requirement": "任务要求", "quantity": "数量",
    "unit": "单位", "comparator": "比较", "period": "周期", "deadline": "完成时限", "section": "所在章节",
    "evidence": "原文依据", "page": "页码", "file": "文件路径", "date": "日期", "days_overdue": "逾期天数",
    "task": "事项", "kind": "类型", "person": "人员编号", "name": "姓名", "role": "角色", "position": "职务",
    "context": "所在机构/分工", "issuer": "发文机关", "ambiguous": "同名待辨", "doc_number": "发文字号",
    "title": "标题", "doc_type": "文种", "signed_date": "成文日期", "duties": "任务数", "deadlines": "时限数",
    "roster": "名单人数", "standing": "任职状态", "superseded_by": "调整文件", "status": "办结状态", "status_by": "标记人", "status_at": "标记时间", "notes": "督办备注",
}
STATUS_LABELS = {"done": "已办结", "open": "未办结"}
DATE_COLUMNS = {"date", "deadline", "signed_date"}

# the columns of each kind, in order (the evidence last but one, so the sheet reads left to right)
COLUMNS = {
    "duties": ["notice", "actor", "actor_group", "requirement", "comparator", "quantity", "unit", "period",
               "deadline", "status", "status_by", "status_at", "notes", "section", "evidence", "page", "file"],
    "deadlines": ["date", "days_overdue", "task", "actor", "notice", "kind", "status", "status_by", "status_at", "notes",
                  "evidence", "page", "file"],
    "people": ["person", "name", "role", "position", "context", "notice", "issuer", "standing", "superseded_by",
               "ambiguous", "evidence", "page"],
    "documents": ["doc_number", "title", "doc_type", "issuer", "signed_date", "duties", "deadlines", "roster", "file"],
}


class ExportError(Exception):
    """An export that cannot be made as asked: one line."""


def rows(conn, what: str, *, actor=None, period=None, doc=None, search=None, before=None, after=None,
         overdue=False, as_of=None, upcoming=None, name=None, issuer=None, year=None, status=None) -> list[dict]:
    """The rows of one kind, with the filters of the matching query command (others are ignored)."""
    if what == "duties":
        return queries.duties(conn, actor=actor, period=period, doc=doc, search=search, status=status)
    if what == "deadlines":
        return queries.deadlines(conn, before=before, after=after, overdue=overdue, as_of=as_of, upcoming=upcoming,
                                 status=status)
    if what == "people":
        return queries.people(conn, name)
    if what == "documents":
        return queries.docs(conn, issuer=issuer, year=year)
    raise ExportError(f"--what {what}: choose one of {', '.join(KINDS)}")


def _columns(what, data):
    cols = COLUMNS[what]
    if what == "deadlines" and not any(r.get("days_overdue") for r in data):
        cols = [c for c in cols if c != "days_overdue"]
    if not any(r.get("status_by") or r.get("notes") for r in data):  # nobody marked or noted anything yet
        cols = [c for c in cols if c not in ("status_by", "status_at", "notes")]
    return cols


def _display(col, value):
    """A value as a supervisor reads it (periods and kinds in Chinese)."""
    if value is None:
        return None
    if col == "period":
        return PERIODS.get(value, value)
    if col == "kind":
        return EVENT_KINDS.get(value, value)
    if col == "comparator":
        return COMPARATORS.get(value, value)
    if col == "status":
        return STATUS_LABELS.get(value, value)
    if col == "standing":
        return {"current": "现任", "superseded": "已调整"}.get(value, value)
    if col == "ambiguous":
        return "是" if value else None
    if col == "quantity" and isinstance(value, float) and value.is_integer():
        return int(value)
    return value


# A cell starting with one of these is a formula to Excel, LibreOffice and Sheets (=1+1, +cmd|…, @SUM,
# -2+3, and a tab or CR before them): a notice line or a file name must stay text.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell_text(value):
    """A value safe to put in a spreadsheet cell: text that would start a formula gets a leading ``'``."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def text_width(text) -> int:
    """Display width in a spreadsheet cell: CJK and other wide characters count double."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in str(text))


# -- xlsx -----------------------------------------------------------------------------------------

def workbook(conn, kinds=KINDS, **filters):
    """An openpyxl Workbook: one sheet per kind, Chinese headers, frozen header row, real dates."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    wb.remove(wb.active)
    for what in kinds:
        data = rows(conn, what, **filters)
        cols = _columns(what, data)
        ws = wb.create_sheet(SHEETS[what])
        ws.append([LABELS[c] for c in cols])
        for r in data:
            line = []
            for c in cols:
                v = _display(c, r.get(c))
                if c in DATE_COLUMNS and v:
                    try:
                        v = date.fromisoformat(v)
                    except ValueError:
                        pass
                line.append(cell_text(v))
            ws.append(line)
        bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
        for cell in ws[1]:
            cell.font, cell.fill = bold, fill
            cell.alignment = Alignment(vertical="center")
        for i, c in enumerate(cols, start=1):
            letter = get_column_letter(i)
            widths = [text_width(LABELS[c])]
            for row in ws.iter_rows(min_row=2, min_col=i, max_col=i):
                cell = row[0]
                if c in DATE_COLUMNS and isinstance(cell.value, date):
                    cell.number_format = "yyyy-mm-dd"
                    widths.append(10)
                elif cell.value is not None:
                    widths.append(text_width(cell.value))
                if c in ("evidence", "requirement", "task", "title", "context", "notes"):
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
                else:
                    cell.alignment = Alignment(vertical="top")
            ws.column_dimensions[letter].width = min(max(widths) + 2, 60)
        ws.freeze_panes = "A2"
        if ws.max_row > 1:
            ws.auto_filter.ref = f"A1:{get_column_letter(len(cols))}{ws.max_row}"
    return wb


def write_xlsx(conn, out, kinds=KINDS, **filters) -> None:
    """Write the workbook to a path or a binary file object."""
    workbook(conn, kinds, **filters).save(out)


# -- csv / json -----------------------------------------------------------------------------------

def to_csv(conn, what: str, **filters) -> str:
    """One kind as CSV text with Chinese headers, starting with a UTF-8 BOM (so Excel reads Chinese)."""
    data = rows(conn, what, **filters)
    cols = _columns(what, data)
    buf = io.StringIO()
    buf.write("\ufeff")
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow([LABELS[c] for c in cols])
    for r in data:
        w.writerow(["" if (v := _display(c, r.get(c))) is None else cell_text(v) for c in cols])
    return buf.getvalue()


def to_json(conn, kinds=KINDS, **filters) -> str:
    """JSON with the query functions' own keys: a list for one kind, {kind: [...]} for several."""
    if len(kinds) == 1:
        return json.dumps(rows(conn, kinds[0], **filters), ensure_ascii=False, indent=1)
    return json.dumps({k: rows(conn, k, **filters) for k in kinds}, ensure_ascii=False, indent=1)


# -- ics ------------------------------------------------------------------------------------------

EVENTS_SQL = """
select p.uid, 'phase' as kind, p.name as what, null as actor, p.start_date as start, p.end_date as "end",
       p.time_text, d.doc_number, d.title, d.path, p.evidence, p.page
  from phases p join documents d on d.id = p.document_id
 where p.start_date is not null or p.end_date is not null
union all
select x.uid, 'deadline', x.task, x.actor, x.date, x.date, x.time_text, d.doc_number, d.title, d.path, x.evidence, x.page
  from deadlines x join documents d on d.id = x.document_id where x.date is not null
union all
select u.uid, 'duty_deadline', u.text, u.actor, u.deadline, u.deadline, null, d.doc_number, d.title, d.path, u.evidence, u.page
  from duties u join documents d on d.id = u.document_id where u.deadline is not null
"""


def events(conn, *, before=None, after=None, overdue=False, as_of=None, upcoming=None, doc=None) -> list[dict]:
    """Every phase and dated deadline with its uid, filtered like ``duban deadlines`` (by its end day;
    ``overdue`` leaves out what the desk marked 办结)."""
    as_of = queries.parse_date(as_of, "--as-of") or date.today()
    before, after = queries.parse_date(before, "--before"), queries.parse_date(after, "--after")
    number = canonical_doc_number(doc) or doc if doc else None
    done = ({r[0] for r in conn.execute("select uid from desk.duty_status where status = 'done'")}
            if overdue and queries.has_desk(conn) else set())
    out = []
    for r in conn.execute(f"select * from ({EVENTS_SQL}) order by coalesce(start, \"end\"), path, kind"):
        r = dict(r)
        start = date.fromisoformat(r["start"] or r["end"])
        end = date.fromisoformat(r["end"] or r["start"])
        if end < start:
            start, end = end, start
        if before and not end < before:
            continue
        if after and not end > after:
            continue
        if overdue and (not end < as_of or r["uid"] in done):
            continue
        if upcoming is not None and not as_of <= end <= as_of + timedelta(days=int(upcoming)):
            continue
        if doc and not (number == r["doc_number"] or doc == r["path"] or doc in (r["title"] or "")):
            continue
        r["start"], r["end"] = start, end
        out.append(r)
    return out


def calendar(conn, *, domain: str = "duban.tracker", name: str = "督办台账", **filters):
    """An icalendar.Calendar of all-day events, one per phase and dated deadline."""
    from icalendar import Calendar, Event

    stamp = _stamp(conn)
    cal = Calendar()
    cal.add("prodid", "-//duban//督办台账//ZH")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    for r in events(conn, **filters):
        notice = r["doc_number"] or r["title"] or r["path"]
        ev = Event()
        ev.add("uid", f"{r['uid']}@{domain}")
        ev.add("dtstamp", stamp)
        ev.add("dtstart", r["start"])
        ev.add("dtend", r["end"] + timedelta(days=1))  # all-day: DTEND is the day after, exclusive
        label = EVENT_KINDS[r["kind"]]
        who = f"（{r['actor']}）" if r["actor"] else ""
        ev.add("summary", f"[{label}] {_short(r['what'])}{who} · {notice}")
        desc = [f"{label}：{r['what']}"]
        if r["actor"]:
            desc.append(f"责任主体：{r['actor']}")
        desc.append(f"文件：{notice}" + (f" {r['title']}" if r["doc_number"] and r["title"] else ""))
        if r["time_text"]:
            desc.append(f"原文时间：{r['time_text']}")
        if r["evidence"]:
            desc.append(f"原文：{r['evidence']}" + (f"（第{r['page']}页）" if r["page"] else ""))
        ev.add("description", "\n".join(desc))
        ev.add("categories", [label])
        ev.add("transp", "TRANSPARENT")
        cal.add_component(ev)
    return cal


def to_ics(conn, **kwargs) -> bytes:
    return calendar(conn, **kwargs).to_ical()


def _short(text, n=40):
    text = (text or "").strip()
    return text if len(text) <= n else text[:n - 1] + "…"


def _stamp(conn) -> datetime:
    """DTSTAMP: when the tracker was last rebuilt (so an unchanged tracker exports identical bytes)."""
    try:
        row = conn.execute("select finished from runs order by id desc limit 1").fetchone()
    except Exception:
        row = None
    if row and row[0]:
        try:
            t = datetime.fromisoformat(row[0])
            return (t if t.tzinfo else t.replace(tzinfo=timezone.utc)).astimezone(timezone.utc)
        except ValueError:
            pass
    return datetime(2000, 1, 1, tzinfo=timezone.utc)
