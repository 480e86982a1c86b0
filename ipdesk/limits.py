"""Time: the working-day calendar (holidays, make-up workdays) and the time limits of leads and cases, with the
adjustments that pause or extend them (``desk.limits``; the SQL is in :mod:`ipdesk.db.holidays` and
:mod:`ipdesk.db.records`, the rules in :mod:`ipdesk.domain.time_limits`)."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from .changes import Changes
from .db import audit, holidays, records
from .domain import enums
from .errors import IpdeskError
from .manager import Manager

if TYPE_CHECKING:
    from .desk import Desk
    from .domain.time_limits import Deadline
    from .domain.workdays import WorkCalendar


class LimitsManager(Manager):
    def __init__(self, desk: Desk):
        super().__init__(desk)
        self._calendar: WorkCalendar | None = None

    def forget_calendar(self) -> None:
        """The holidays table changed under us (a restore, the shipped calendar loaded): read it again."""
        self._calendar = None

    @property
    def calendar(self) -> WorkCalendar:
        # Imported here: not loaded before the main window shows (cold start).
        from .domain.workdays import WorkCalendar

        if self._calendar is None:
            self._calendar = WorkCalendar.from_rows(holidays.kinds(self.db))
        return self._calendar

    def set_holiday(self, day: str, kind: str | None, name: str = "") -> None:
        """Add or change a holiday / make-up workday (kind None removes the date); 管理员 only."""
        # Imported here: not loaded before the main window shows (cold start).
        from .domain import rules

        self.desk.office.require_admin("修改节假日")
        with audit.operation(self.db, self.desk.user, f"修改节假日 {day}") as op:
            if kind is None:
                holidays.remove(self.db, day)
            else:
                holidays.put(self.db, [(rules.parse_date(day), kind, name)])
            op.log("update", "holidays", day, None, {"kind": kind, "name": name})
        self._calendar = None

    def import_holidays(self, path: str | Path) -> Changes:
        """Import a holiday CSV in the shipped format (a year's 放假调休安排), all rows or none; 管理员 only.
        A date already in the calendar takes the file's kind and name."""
        # Imported here: not loaded before the main window shows (cold start).
        from .domain.workdays import parse_holiday_csv

        self.desk.office.require_admin("导入节假日")
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            raise IpdeskError(f"无法读取文件：{path}（{exc.strerror or exc}）", f"cannot read {path}") from None
        rows, errors = parse_holiday_csv(data)
        if errors:
            more = f"（共 {len(errors)} 处）" if len(errors) > 3 else ""
            raise IpdeskError("节假日表未导入：" + "；".join(errors[:3]) + more, "holiday file refused",
                              {f"line{n}": e for n, e in enumerate(errors)})
        years = sorted({r[0][:4] for r in rows})
        label = f"导入节假日 {'、'.join(years)}年（{len(rows)}天）"
        with audit.operation(self.db, self.desk.user, label) as op:
            holidays.put(self.db, rows)
            op.log("insert", "holidays", "、".join(years), None, {"file": str(path), "days": len(rows)})
        self._calendar = None
        return Changes({"holidays"}, label=label)

    def holidays(self, year: int | None = None) -> list[dict]:
        """The working-day calendar's entries (date, kind holiday/workday, name), by date."""
        return holidays.entries(self.db, year)

    def deadlines(self, *, only_warnings: bool = False) -> list[tuple[dict, Deadline]]:
        """Open leads and 一般程序 cases with their running time limit, most urgent first."""
        # Imported here: not loaded before the main window shows (cold start).
        from .domain.time_limits import case_deadline, needs_warning, warning_cutoffs

        cutoffs = warning_cutoffs(self.desk.today()) if only_warnings else (None, None)
        cases = records.open_cases(self.db, self.desk.unit["code"], leads_until=cutoffs[0], general_filed_until=cutoffs[1])
        adjustments = records.adjustments_for(self.db, [c["id"] for c in cases])
        out = []
        for case in cases:
            dl = case_deadline(case, adjustments[case["id"]], self.calendar, self.desk.today())
            if dl and (not only_warnings or needs_warning(dl)):
                out.append((case, dl))
        return sorted(out, key=lambda pair: (pair[1].days_left, pair[0]["id"]))  # ties: oldest record first

    def deadline_rows(self, *, include_decided: bool = False) -> list[tuple[dict, Deadline]]:
        """Each running lead/case limit (``include_decided``: also the limits already decided), most urgent
        first; ``ipdesk deadlines`` and the GUI's warnings use the same time_limits functions."""
        # Imported here: not loaded before the main window shows (cold start).
        from .domain.time_limits import case_limits

        if not include_decided:
            return self.deadlines()
        cases = records.time_limited_cases(self.db, self.desk.unit["code"])
        adjustments = records.adjustments_for(self.db, [c["id"] for c in cases])
        out = [(case, dl) for case in cases
               for dl in case_limits(case, adjustments[case["id"]], self.calendar, self.desk.today())]
        return sorted(out, key=lambda pair: (not pair[1].running, pair[1].days_left, pair[0]["id"]))

    def add_adjustment(self, case_id: int, kind: str, start_date: str, reason: str,
                       end_date: str | None = None, *, cause: str | None = None,
                       due_date: str | None = None) -> Changes:
        """Record time that does not count (中止, with its ``cause``) or an extension (延期); a reason is required.
        A case's first extension adds 30 days; a further one (集体讨论) needs the ``due_date`` it sets."""
        # Imported here: not loaded before the main window shows (cold start).
        from .domain import rules
        from .domain.time_limits import (CASE, EXTEND, LEAD_PAUSE_CAUSES, PAUSE_CAUSES, SUSPEND,
                                         adjustment_stage)

        errors = {}
        if kind not in (SUSPEND, EXTEND):
            errors["kind"] = "应为 中止 或 延期"
        if not (reason or "").strip():
            errors["reason"] = "请填写原因"
        try:
            start = rules.parse_date(start_date)
            end = rules.parse_date(end_date)
            due = rules.parse_date(due_date)
        except ValueError as exc:
            raise IpdeskError(f"日期无法识别：{exc}", "bad date", {"start_date": "日期无法识别"}) from None
        if not start:
            errors["start_date"] = "请填写开始日期"
        if start and end and end < start:
            errors["end_date"] = "结束日期不能早于开始日期"
        case = self.desk.records.get_case(case_id)
        stage = adjustment_stage(case, start) if start else CASE
        earlier = [a for a in self.adjustments(case_id) if a["kind"] == EXTEND and a.get("start_date")
                   and adjustment_stage(case, a["start_date"]) == stage]
        if kind == SUSPEND:
            cause = cause or SUSPEND
            allowed = PAUSE_CAUSES if stage == CASE else LEAD_PAUSE_CAUSES  # 第六十四条 / 第十八条
            if cause not in allowed:
                errors["cause"] = f"{'立案前' if stage != CASE else '办案期间'}不计入期限的只有：{'、'.join(allowed)}"
            due = None
        else:
            cause, end = None, None
            if stage == CASE and case.get("procedure") != enums.PROCEDURE_GENERAL:
                errors["kind"] = "只有一般程序案件有90日办案期限，可以延期"
            elif stage != CASE and earlier:
                errors["kind"] = "线索核查期限只能延长一次（十五个工作日）"
            elif stage == CASE and (earlier or case.get("extension_approved")) and not due:
                errors["due_date"] = "已延期三十日：继续延期须经集体讨论，并填写确定的办案期限"
            elif due and (stage != CASE or not (earlier or case.get("extension_approved"))):
                errors["due_date"] = "首次延期按规定延长（线索十五个工作日、案件三十日），无需填写期限"
            elif due and start and due <= start:
                errors["due_date"] = "延长后的期限应晚于决定延期的日期"
        if errors:
            raise IpdeskError("；".join(errors.values()), "invalid adjustment", errors)
        label = f"{kind}案件 {case['name']}"
        with audit.operation(self.db, self.desk.user, label) as op:
            op.insert("case_adjustments", {"case_id": case_id, "kind": kind, "start_date": start,
                                           "end_date": end, "reason": reason.strip(), "cause": cause,
                                           "due_date": due, "created_by": self.desk.user,
                                           "created_at": audit.now_text()})
        return Changes({"case_adjustments"}, case_id, label)

    def adjustments(self, case_id: int) -> list[dict]:
        return records.adjustments_for(self.db, [case_id])[case_id]

    def deadlines_of(self, cases: list[dict]) -> dict[int, Deadline]:
        """The running time limits of the given cases (those without one are left out)."""
        # Imported here: not loaded before the main window shows (cold start).
        from .domain.time_limits import case_deadline

        running = [c for c in cases if not c.get("closed_date") and not c.get("declined_date")]
        adjustments = records.adjustments_for(self.db, [c["id"] for c in running])
        out = {}
        for case in running:
            dl = case_deadline(case, adjustments[case["id"]], self.calendar, self.desk.today())
            if dl is not None:
                out[case["id"]] = dl
        return out

    def deadline_for(self, case_id: int) -> Deadline | None:
        """The running time limit of one case (None when none runs)."""
        # Imported here: not loaded before the main window shows (cold start).
        from .domain.time_limits import case_deadline

        case = self.desk.records.get_case(case_id)
        return case_deadline(case, self.adjustments(case_id), self.calendar, self.desk.today())
