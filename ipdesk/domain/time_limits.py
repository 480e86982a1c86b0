"""办案时限 as 《市场监督管理行政处罚程序规定》 counts them.

- Lead (线索, 第十八条): 15 working days from 发现线索/收到材料 to the decision whether to file (立案 or 不予立案);
  +15 working days with the head's approval. 检测、检验、检疫、鉴定 and 权利人辨认或者鉴别 do not count.
- Case (一般程序, 第六十四条): 90 days from 立案 to 作出处理决定 — not to 结案; +30 days with approval; a further
  extension decided collectively (集体讨论) sets its own date. 中止、听证、公告、检测、检验、检疫、鉴定、权利人辨认
  或者鉴别、责令退回 do not count.
- 期间 (the regulation's period clause): the start day is not counted; a limit whose last day is a rest day ends on
  the next working day.

Time that does not count is added back as the days it lasted, in the limit's own kind of days: working days for the
lead limit, calendar days for the case limit. A pause runs from the day after its start to its end (inclusive).
"""
from __future__ import annotations

from datetime import date, timedelta
from typing import NamedTuple

from . import enums
from .workdays import WorkCalendar

LEAD_WORKDAYS = 15
LEAD_EXTENSION_WORKDAYS = 15
GENERAL_DAYS = 90
EXTENSION_DAYS = 30
WARN_DAYS = 10  # 临近 when this close to the deadline
SUSPEND, EXTEND = "中止", "延期"
LEAD, CASE = "线索待定", "办案期限"

# What may be recorded as time that does not count (stored in case_adjustments.cause).
PAUSE_CAUSES = ("中止", "听证", "公告", "检测、检验、检疫、鉴定", "权利人辨认或者鉴别", "责令退回")
LEAD_PAUSE_CAUSES = ("检测、检验、检疫、鉴定", "权利人辨认或者鉴别")  # 第十八条第二款


class Deadline(NamedTuple):
    case_id: int | None
    kind: str  # LEAD 线索待定 / CASE 办案期限
    due: date
    days_left: int  # to ``due`` from today, or from the decision once decided
    start: date | None = None
    paused_days: int = 0  # working days (lead) or calendar days (case) that did not count
    decided: date | None = None  # the decision that ends the limit (立案/不予立案, 处理决定)
    estimated: bool = False  # the due date rests on a year without holiday data

    @property
    def overdue(self) -> bool:
        return self.days_left < 0

    @property
    def running(self) -> bool:
        return self.decided is None

    @property
    def met(self) -> bool:
        """Decided within the limit."""
        return self.decided is not None and self.decided <= self.due

    @property
    def message(self) -> str:
        what = "线索应在15个工作日内决定是否立案" if self.kind == LEAD else "一般程序案件应在立案后90日内作出处理决定"
        due = self.due.isoformat() + ("，估算：当年放假安排未录入" if self.estimated else "")
        if self.decided is not None:
            verdict = "在期限内" if self.met else f"超期{-self.days_left}天"
            return f"{what}，已于{self.decided.isoformat()}决定，{verdict}（期限 {due}）"
        if self.overdue:
            return f"{what}，已超期{-self.days_left}天（期限 {due}）"
        return f"{what}，剩余{self.days_left}天（期限 {due}）"


def _day(text) -> date | None:
    return date.fromisoformat(str(text)[:10]) if text else None


def lead_decided(case: dict) -> date | None:
    """The lead is decided by 立案 or by 不予立案."""
    return _day(case.get("filed_date")) or _day(case.get("declined_date"))


def case_decided(case: dict) -> date | None:
    """作出处理决定 (第六十四条): the decision date; a case ended without one (撤销立案, 移送) is decided by the
    earlier of its referral and its closing."""
    if case.get("decision_date"):
        return _day(case["decision_date"])
    ends = [d for d in (_day(case.get("referral_date")), _day(case.get("closed_date"))) if d]
    return min(ends) if ends else None


def adjustment_stage(case: dict, start_date: str | date) -> str:
    """An adjustment belongs to the lead limit when it starts before 立案, else to the case limit."""
    filed = case.get("filed_date")
    return CASE if filed and str(start_date)[:10] >= str(filed)[:10] else LEAD


def _pause_length(adj: dict, until: date, calendar: WorkCalendar, workdays: bool) -> int:
    start = _day(adj.get("start_date"))
    if start is None:
        return 0
    end = min(_day(adj.get("end_date")) or until, until)
    if end <= start:
        return 0
    return calendar.workdays_between(start, end) if workdays else (end - start).days


def _roll_to_workday(day: date, calendar: WorkCalendar) -> date:
    # 期间届满的最后一日为法定节假日的，以节假日后的第一日为期间届满的日期。
    while not calendar.is_workday(day):
        day += timedelta(days=1)
    return day


def _estimated(start: date, due: date, calendar: WorkCalendar) -> bool:
    known = calendar.years()
    return any(year not in known for year in range(start.year, due.year + 1))


def lead_limit(case: dict, adjustments: list[dict], calendar: WorkCalendar, today: date) -> Deadline | None:
    start = _day(case.get("lead_date"))
    if start is None:
        return None
    decided = lead_decided(case)
    until = decided or today
    own = [a for a in adjustments if adjustment_stage(case, a.get("start_date") or "") == LEAD]
    paused = sum(_pause_length(a, until, calendar, True) for a in own if a.get("kind") == SUSPEND)
    extended = any(a.get("kind") == EXTEND for a in own)
    count = LEAD_WORKDAYS + (LEAD_EXTENSION_WORKDAYS if extended else 0) + paused
    due = calendar.add_workdays(start, count)  # always a working day
    return Deadline(case.get("id"), LEAD, due, (due - until).days, start, paused, decided,
                    _estimated(start, due, calendar))


def general_limit(case: dict, adjustments: list[dict], calendar: WorkCalendar, today: date) -> Deadline | None:
    start = _day(case.get("filed_date"))
    if start is None or case.get("procedure") != enums.PROCEDURE_GENERAL:
        return None
    decided = case_decided(case)
    until = decided or today
    own = [a for a in adjustments if adjustment_stage(case, a.get("start_date") or "") == CASE]
    pauses = [a for a in own if a.get("kind") == SUSPEND]
    extensions = [a for a in own if a.get("kind") == EXTEND]
    paused = sum(_pause_length(a, until, calendar, False) for a in pauses)
    extended = bool(case.get("extension_approved")) or bool(extensions)
    due = start + timedelta(days=GENERAL_DAYS + (EXTENSION_DAYS if extended else 0) + paused)
    collective = [a for a in extensions if a.get("due_date")]
    if collective:
        # 继续延期 (集体讨论) fixes its own date; time that does not count after that decision still moves it.
        last = max(collective, key=lambda a: (a["due_date"], a.get("start_date") or ""))
        later = sum(_pause_length(a, until, calendar, False) for a in pauses
                    if (a.get("start_date") or "") >= last["start_date"])
        due = max(due, _day(last["due_date"]) + timedelta(days=later))  # an extension never shortens
    due = _roll_to_workday(due, calendar)
    return Deadline(case.get("id"), CASE, due, (due - until).days, start, paused, decided,
                    _estimated(start, due, calendar))


def case_limits(case: dict, adjustments: list[dict], calendar: WorkCalendar, today: date) -> list[Deadline]:
    """Every limit a record has had: its lead limit (when a lead date is known) and its case limit (一般程序)."""
    out = []
    if not case.get("filed_date") or case.get("lead_date"):
        lead = lead_limit(case, adjustments, calendar, today)
        if lead is not None:
            out.append(lead)
    general = general_limit(case, adjustments, calendar, today)
    if general is not None:
        out.append(general)
    return out


def case_deadline(case: dict, adjustments: list[dict], calendar: WorkCalendar, today: date) -> Deadline | None:
    """The running deadline of an undecided lead or 一般程序 case, or None when none runs."""
    if case.get("declined_date"):
        return None
    if not case.get("filed_date"):
        return lead_limit(case, adjustments, calendar, today) if not case.get("closed_date") else None
    general = general_limit(case, adjustments, calendar, today)
    return general if general is not None and general.running else None


def warning_cutoffs(today: date) -> tuple[date, date]:
    """``(lead_date, filed_date)``: a lead noted after the first, or a 一般程序 case filed after the second,
    cannot need a warning yet. A limit is never shorter than its base — 15 working days span at least 15
    days; pauses, extensions and the rest-day rule only add — so such a case is more than WARN_DAYS from it."""
    return today + timedelta(days=WARN_DAYS - LEAD_WORKDAYS), today + timedelta(days=WARN_DAYS - GENERAL_DAYS)


def needs_warning(deadline: Deadline | None) -> bool:
    return deadline is not None and deadline.running and deadline.days_left <= WARN_DAYS


def to_json(case: dict, deadline: Deadline) -> dict:
    """One row of ``ipdesk deadlines --format json``."""
    return {"case_id": case["id"], "name": case.get("name") or "", "kind": "lead" if deadline.kind == LEAD else "case",
            "start": deadline.start.isoformat() if deadline.start else None, "paused_days": deadline.paused_days,
            "due": deadline.due.isoformat(), "days_left": deadline.days_left, "met": deadline.met,
            "estimated": deadline.estimated}
