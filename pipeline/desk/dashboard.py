"""The desk's home page: a 督办 dashboard (counts, Vega-Lite charts, the latest notices), all in Chinese.

Counts are those of the CLI's own queries, counted as the CLI counts a page's total
(pipeline.tracker.queries.count_deadlines, from the date indexes): 逾期 is ``duban deadlines
--overdue --as-of D``, 7/30 天内到期 is ``--upcoming 7/30``, less the items marked 办结 on the desk
(desk.db); 本月办结 counts those marks. ``?日期=YYYY-MM-DD``
sets D (default today), as on the canned queries the cards and charts link to.

The charts are Vega-Lite specs rendered in the browser by vega-embed, from the JavaScript that the
datasette-dashboards package ships (mounted at /-/vega/, never a CDN). The data is computed here
and written into the page: datasette-dashboards' own pages fetch each chart's data with arbitrary
SQL (``/db.json?sql=…``), which the desk refuses, and look the database up by a name that changes
at each rebuild (pipeline.desk.live), so the desk uses its JavaScript and spec format, not its routes.
"""
from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlencode

from pipeline.text.labels import EVENT_KINDS
from pipeline.tracker import queries as Q

TRACKER = "tracker"
MONTHS_AHEAD = 12
TOP_ACTORS = 12
TOP_ISSUERS = 12
LATEST = 10
UNNAMED = "（未写明）"
DONE_IN_MONTH = ("select count(*) from desk.duty_status where status = 'done' "
                 "and substr(at, 1, 7) = substr(:as_of, 1, 7)")


def vega_dir() -> Path | None:
    """The directory of Vega, Vega-Lite and vega-embed shipped by datasette-dashboards (None if absent)."""
    try:
        import datasette_dashboards
    except ImportError:
        return None
    d = Path(datasette_dashboards.__file__).parent / "static"
    return d if (d / "vega-embed.min.js").is_file() else None


def parse_as_of(value: str | None) -> date:
    """``?日期=``: a YYYY-MM-DD day, today when empty; ValueError with a Chinese message otherwise."""
    value = (value or "").strip()
    if not value:
        return date.today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"日期“{value}”不是有效日期，请写成 YYYY-MM-DD（如 2025-03-01）") from None


def _cond(desk: bool, *conds: str) -> str:
    return " and ".join(conds + ((Q.NOT_DONE,) if desk else ()))


OVERDUE = "{date} < :as_of"


def due_within(days: int) -> str:
    """The condition (on ``{date}``) of ``--upcoming days``."""
    return f"{{date}} between :as_of and date(:as_of, '+{int(days)} days')"


def facts(conn, as_of: date, desk: bool) -> dict:
    """Everything the dashboard shows, read on one connection."""
    p = {"as_of": as_of.isoformat()}

    def one(sql):
        return conn.execute(sql, p).fetchone()[0]

    def rows(sql):
        return [dict(zip([c[0] for c in cur.description], r)) for cur in [conn.execute(sql, p)] for r in cur]

    by_actor = rows(Q.deadlines_by_actor_sql(_cond(desk, OVERDUE)))
    for r in by_actor:
        r["actor"] = r["actor"] or UNNAMED
    months = rows(Q.CALENDAR_BY_MONTH.format(start=":as_of", months=MONTHS_AHEAD))
    for r in months:
        r["kind"] = EVENT_KINDS.get(r["kind"], r["kind"])
        r["month"] = f"{r['month'][:4]}年{int(r['month'][5:7])}月"
    issuers = rows(Q.NOTICES_BY_ISSUER_YEAR)
    names = list(dict.fromkeys(r["issuer"] for r in issuers))
    top = set(names[:TOP_ISSUERS])
    issuers = [r for r in issuers if r["issuer"] in top]
    for r in issuers:
        r["issuer"] = r["issuer"] or UNNAMED
        r["year"] = f"{r['year']}年" if r["year"] else "年份不明"
    return {
        "overdue": Q.count_deadlines(conn, OVERDUE, p, "open" if desk else None),
        "due7": Q.count_deadlines(conn, due_within(7), p, "open" if desk else None),
        "due30": Q.count_deadlines(conn, due_within(30), p, "open" if desk else None),
        "done_month": one(DONE_IN_MONTH) if desk else None,
        "by_actor": by_actor[:TOP_ACTORS], "n_actors": len(by_actor),
        "months": months, "issuers": issuers, "n_issuers": len(names),
        "latest": rows(Q.LATEST_NOTICES.format(limit=LATEST)),
    }


def month_labels(as_of: date, months: int = MONTHS_AHEAD) -> list[str]:
    """The months of the timeline in order (2025年3月…), so an empty month still has its place."""
    out, y, m = [], as_of.year, as_of.month
    for _ in range(months):
        out.append(f"{y}年{m}月")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def links(as_of: date) -> dict[str, str]:
    """The canned query behind each card and chart, for the same day."""
    d = {"日期": as_of.isoformat()}
    return {
        "overdue": f"/{TRACKER}/overdue?{urlencode(d)}",
        "due7": f"/{TRACKER}/due?{urlencode({**d, '天数': 7})}",
        "due30": f"/{TRACKER}/due?{urlencode({**d, '天数': 30})}",
        "done": "/desk/duty_status?status=done",
        "months": f"/{TRACKER}/upcoming?{urlencode({**d, '天数': (timeline_end(as_of) - as_of).days})}",
        "issuers": f"/{TRACKER}/documents",
        "latest": f"/{TRACKER}/documents",
    }


def timeline_end(as_of: date, months: int = MONTHS_AHEAD) -> date:
    """The last day of the timeline: the end of the ``months``th month, the month of ``as_of`` the first."""
    y, m = divmod(as_of.month - 1 + months, 12)
    return date(as_of.year + y, m + 1, 1) - timedelta(days=1)


AXIS = {"labelFontSize": 12, "titleFontSize": 12}


def count_axis(largest: int) -> dict:
    """An axis of whole counts up to ``largest``: integer ticks only (no 0.5 shown as 1)."""
    return {**AXIS, "format": "d", "tickMinStep": 1, "tickCount": max(1, min(int(largest), 10))}


def specs(f: dict, as_of: date) -> dict[str, dict]:
    """The Vega-Lite specs of the three charts, data inline (titles and axes in Chinese)."""
    link = links(as_of)
    overdue_url = link["overdue"]
    issuer_totals = {r["issuer"]: r["total"] for r in f["issuers"]}
    month_totals: dict[str, int] = {}
    for r in f["months"]:
        month_totals[r["month"]] = month_totals.get(r["month"], 0) + r["n"]
    return {
        "by_actor": {
            "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
            "width": "container", "height": max(120, 26 * len(f["by_actor"])),
            "data": {"values": [{**r, "url": overdue_url} for r in f["by_actor"]]},
            "mark": {"type": "bar", "color": "#c33", "cursor": "pointer"},
            "encoding": {
                "y": {"field": "actor", "type": "nominal", "sort": "-x", "title": None,
                      "axis": {**AXIS, "labelLimit": 260}},
                "x": {"field": "n", "type": "quantitative", "title": "逾期事项（条）",
                      "axis": count_axis(max((r["n"] for r in f["by_actor"]), default=1))},
                "tooltip": [{"field": "actor", "title": "责任主体"}, {"field": "n", "title": "逾期事项"}],
                "href": {"field": "url"},
            },
        },
        "months": {
            "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
            "width": "container", "height": 220,
            "data": {"values": f["months"]},
            "mark": {"type": "bar"},
            "encoding": {
                "x": {"field": "month", "type": "ordinal", "sort": month_labels(as_of), "title": None,
                      "scale": {"domain": month_labels(as_of)}, "axis": {**AXIS, "labelAngle": -40}},
                "y": {"field": "n", "type": "quantitative", "title": "时限和阶段节点（个）",
                      "axis": count_axis(max(month_totals.values(), default=1))},
                "color": {"field": "kind", "type": "nominal", "title": "类型",
                          "scale": {"domain": [EVENT_KINDS[k] for k in ("deadline", "duty_deadline", "phase_start",
                                                                         "phase_end")],
                                    "range": ["#c33", "#e8875b", "#3b78b0", "#9cc3e6"]},
                          "legend": {"orient": "top", "labelFontSize": 12, "titleFontSize": 12}},
                "tooltip": [{"field": "month", "title": "月份"}, {"field": "kind", "title": "类型"},
                            {"field": "n", "title": "个数"}],
            },
        },
        "issuers": {
            "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
            "width": "container", "height": max(120, 22 * len({r["issuer"] for r in f["issuers"]})),
            "data": {"values": f["issuers"]},
            "mark": {"type": "bar"},
            "encoding": {
                "y": {"field": "issuer", "type": "nominal", "sort": {"field": "total", "order": "descending"},
                      "title": None, "axis": {**AXIS, "labelLimit": 260}},
                "x": {"field": "n", "type": "quantitative", "title": "文件（份）",
                      "axis": count_axis(max(issuer_totals.values(), default=1))},
                "color": {"field": "year", "type": "ordinal", "title": "成文年份",
                          "scale": {"scheme": "blues"},
                          "legend": {"orient": "bottom", "direction": "horizontal", "columns": 5,
                                     "labelFontSize": 12, "titleFontSize": 12}},
                "tooltip": [{"field": "issuer", "title": "发文机关"}, {"field": "year", "title": "年份"},
                            {"field": "n", "title": "文件数"}],
            },
        },
    }
