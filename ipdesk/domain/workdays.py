"""The working-day calendar: Monday to Friday, minus official holidays, plus 调休 make-up days."""
from __future__ import annotations

import csv
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

HOLIDAY, WORKDAY = "holiday", "workday"


@dataclass
class WorkCalendar:
    holidays: set[date] = field(default_factory=set)
    workdays: set[date] = field(default_factory=set)  # weekend days that are worked (调休)

    @classmethod
    def from_rows(cls, rows) -> "WorkCalendar":
        """Rows of (date ISO text, kind) as stored in the ``holidays`` table or the CSV."""
        cal = cls()
        for day, kind in rows:
            d = date.fromisoformat(str(day))
            (cal.holidays if kind == HOLIDAY else cal.workdays).add(d)
        return cal

    @classmethod
    def from_csv(cls, path: Path) -> "WorkCalendar":
        with open(path, encoding="utf-8") as fh:
            return cls.from_rows((r["date"], r["kind"]) for r in csv.DictReader(fh))

    def years(self) -> set[int]:
        return {d.year for d in self.holidays | self.workdays}

    def is_workday(self, day: date) -> bool:
        if day in self.workdays:
            return True
        if day in self.holidays:
            return False
        return day.weekday() < 5

    def add_workdays(self, start: date, count: int) -> date:
        """The date ``count`` working days after ``start`` (start itself not counted)."""
        day = start
        while count > 0:
            day += timedelta(days=1)
            if self.is_workday(day):
                count -= 1
        return day

    def workdays_between(self, start: date, end: date) -> int:
        """Working days after ``start`` up to and including ``end``."""
        n, day = 0, start
        while day < end:
            day += timedelta(days=1)
            n += self.is_workday(day)
        return n


# 国务院办公厅 publishes the next year's 放假调休安排 around November; from then on a missing year is worth a warning.
SCHEDULE_WARN_MONTH = 11


def missing_schedule_warning(today: date, known_years: set[int]) -> str | None:
    """What the 工作台 says when the working-day calendar lacks this year's, or from 1 November next year's,
    放假调休安排 (the time limits on those days are then 估算)."""
    missing = [y for y in (today.year, today.year + 1) if y not in known_years
               and (y == today.year or today.month >= SCHEDULE_WARN_MONTH)]
    if not missing:
        return None
    years = "、".join(f"{y}年" for y in missing)
    return (f"尚未录入{years}放假调休安排：这些日子上的办案时限按普通周末估算（标“估算”）。"
            f"请管理员在“设置—节假日”中录入或导入。")
