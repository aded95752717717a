"""The Chinese words shown for the record's coded values: one copy for the CLI, the exports and the desk.

The record and the tracker keep the codes (``month``, ``>=``, ``phase_start``); whatever a person
reads — a terminal table, an Excel sheet, a desk page or a canned query — shows these words, so
the same value never reads 每天 in one place and 每日 in another.
"""
from __future__ import annotations

# duties.period: how often a duty recurs
PERIODS = {"day": "每日", "week": "每周", "month": "每月", "quarter": "每季度", "half_year": "每半年", "year": "每年"}

# duties.comparator: how the quantity binds (不少于3次)
COMPARATORS = {">=": "不少于", "<=": "不超过", ">": "多于", "<": "少于", "=": "等于"}

# calendar.kind: what a dated point on the timeline is
EVENT_KINDS = {"deadline": "时限", "duty_deadline": "任务时限", "phase": "阶段", "phase_start": "阶段开始",
               "phase_end": "阶段结束"}


def sql_case(column: str, labels: dict[str, str], *, keep: bool = True) -> str:
    """A SQL ``case`` that shows ``column``'s codes as their words (for the desk's canned queries);
    an unknown code shows as itself when ``keep``, else as null."""
    whens = " ".join(f"when '{code}' then '{word}'" for code, word in labels.items())
    return f"case {column} {whens}{f' else {column}' if keep else ''} end"
