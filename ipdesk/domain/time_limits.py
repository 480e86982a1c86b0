"""办案时限: 15 working days to decide a lead, 90 days (120 extended) to close a 一般程序 case.

A suspension (中止) moves the deadline by its length; an approved extension (延期)
gives the 120-day limit.
"""
from __future__ import annotations

from datetime import date, timedelta
from typing import NamedTuple

from . import enums
from .workdays import WorkCalendar

LEAD_WORKDAYS = 15
GENERAL_DAYS = 90
EXTENDED_DAYS = 120
WARN_DAYS = 10  # 临近 when this close to the deadline
SUSPEND, EXTEND = "中止", "延期"


class Deadline(NamedTuple):
    case_id: int | None
    kind: str  # 线索待定 / 办案期限
    due: date
    days_left: int

    @property
    def overdue(self) -> bool:
        return self.days_left < 0

    @property
    def message(self) -> str:
        what = "线索应在15个工作日内决定是否立案" if self.kind == "线索待定" else "一般程序案件办理期限"
        if self.overdue:
            return f"{what}，已超期{-self.days_left}天（期限 {self.due.isoformat()}）"
        return f"{what}，剩余{self.days_left}天（期限 {self.due.isoformat()}）"


def suspended_days(adjustments: list[dict], today: date) -> int:
    total = 0
    for adj in adjustments:
        if adj.get("kind") != SUSPEND or not adj.get("start_date"):
            continue
        start = date.fromisoformat(adj["start_date"])
        end = date.fromisoformat(adj["end_date"]) if adj.get("end_date") else today
        total += max(0, (end - start).days)
    return total


def case_deadline(case: dict, adjustments: list[dict], calendar: WorkCalendar, today: date) -> Deadline | None:
    """The running deadline of an open lead or 一般程序 case, or None when none runs."""
    if case.get("closed_date") or case.get("declined_date"):
        return None
    pause = suspended_days(adjustments, today)
    if not case.get("filed_date"):
        if not case.get("lead_date"):
            return None
        due = calendar.add_workdays(date.fromisoformat(case["lead_date"]), LEAD_WORKDAYS)
        due += timedelta(days=pause)
        return Deadline(case.get("id"), "线索待定", due, (due - today).days)
    if case.get("procedure") != enums.PROCEDURE_GENERAL:
        return None
    extended = case.get("extension_approved") or any(a.get("kind") == EXTEND for a in adjustments)
    limit = EXTENDED_DAYS if extended else GENERAL_DAYS
    due = date.fromisoformat(case["filed_date"]) + timedelta(days=limit + pause)
    return Deadline(case.get("id"), "办案期限", due, (due - today).days)


def warning_cutoffs(today: date) -> tuple[date, date]:
    """``(lead_date, filed_date)``: a lead noted after the first, or a 一般程序 case filed after the second,
    cannot need a warning yet. A limit is never shorter than its base — 15 working days span at least 15
    days, suspensions and extensions only add — so such a case is more than WARN_DAYS from its limit."""
    return today + timedelta(days=WARN_DAYS - LEAD_WORKDAYS), today + timedelta(days=WARN_DAYS - GENERAL_DAYS)


def needs_warning(deadline: Deadline | None) -> bool:
    return deadline is not None and deadline.days_left <= WARN_DAYS
