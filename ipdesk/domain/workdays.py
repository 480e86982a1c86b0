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
