"""Reporting periods: month ``2026-03``, bimonth ``2026-B2``, quarter ``2026-Q1``,
half ``2026-H1`` and year ``2026``; each knows its dates, its year-to-date span and
the same period a year earlier."""
from __future__ import annotations

import re
from datetime import date, timedelta
from typing import NamedTuple

from ..errors import IpdeskError

MONTH, BIMONTH, QUARTER, HALF, YEAR = "month", "bimonth", "quarter", "half", "year"
KIND_LABELS = {MONTH: "月", BIMONTH: "双月", QUARTER: "季度", HALF: "半年", YEAR: "年"}
_MONTHS_PER = {MONTH: 1, BIMONTH: 2, QUARTER: 3, HALF: 6, YEAR: 12}
_PATTERN = re.compile(r"^(\d{4})(?:-(?:(\d{1,2})|B([1-6])|Q([1-4])|H([12])))?$")


class Period(NamedTuple):  # ordered and hashable by (year, first_month, kind); see catalog/model.py on NamedTuple
    year: int
    first_month: int
    kind: str

    @classmethod
    def parse(cls, text: str) -> "Period":
        m = _PATTERN.match(str(text).strip().upper())
        if not m:
            raise IpdeskError(
                f"无法识别的期间：{text}（应为 2026-03、2026-B2、2026-Q1、2026-H1 或 2026）",
                f"unknown period: {text} (expected 2026-03, 2026-B2, 2026-Q1, 2026-H1 or 2026)",
            )
        year = int(m.group(1))
        if not 1990 <= year <= 2100:
            raise IpdeskError(f"期间年份超出范围：{year}", f"period year out of range: {year}")
        month, bim, qtr, half = m.group(2), m.group(3), m.group(4), m.group(5)
        if month:
            if not 1 <= int(month) <= 12:
                raise IpdeskError(f"月份应为 1–12：{text}", f"month must be 1-12: {text}")
            return cls(year, int(month), MONTH)
        if bim:
            return cls(year, 2 * int(bim) - 1, BIMONTH)
        if qtr:
            return cls(year, 3 * int(qtr) - 2, QUARTER)
        if half:
            return cls(year, 6 * int(half) - 5, HALF)
        return cls(year, 1, YEAR)

    @classmethod
    def month_of(cls, day: date) -> "Period":
        return cls(day.year, day.month, MONTH)

    @property
    def months(self) -> int:
        return _MONTHS_PER[self.kind]

    @property
    def last_month(self) -> int:
        return self.first_month + self.months - 1

    @property
    def start(self) -> date:
        return date(self.year, self.first_month, 1)

    @property
    def end(self) -> date:
        import calendar  # here, not at import: it pulls in locale (a few ms of every start)

        return date(self.year, self.last_month, calendar.monthrange(self.year, self.last_month)[1])

    @property
    def ytd_start(self) -> date:
        return date(self.year, 1, 1)

    @property
    def code(self) -> str:
        n = self.first_month
        return {
            MONTH: f"{self.year}-{n:02d}",
            BIMONTH: f"{self.year}-B{(n + 1) // 2}",
            QUARTER: f"{self.year}-Q{(n + 2) // 3}",
            HALF: f"{self.year}-H{(n + 5) // 6}",
            YEAR: f"{self.year}",
        }[self.kind]

    @property
    def label(self) -> str:
        """Chinese label as printed, e.g. 2026年3月, 2026年1—2月, 2026年第一季度."""
        if self.kind == MONTH:
            return f"{self.year}年{self.first_month}月"
        if self.kind == QUARTER:
            return f"{self.year}年第{'一二三四'[(self.first_month - 1) // 3]}季度"
        if self.kind == HALF:
            return f"{self.year}年{'上下'[(self.first_month - 1) // 6]}半年"
        if self.kind == YEAR:
            return f"{self.year}年"
        return f"{self.year}年{self.first_month}—{self.last_month}月"

    def previous_year(self) -> "Period":
        return Period(self.year - 1, self.first_month, self.kind)

    def month_periods(self) -> list["Period"]:
        return [Period(self.year, m, MONTH) for m in range(self.first_month, self.last_month + 1)]

    def previous(self) -> "Period":
        """The period of the same kind just before this one (may be in the previous year)."""
        first = self.first_month - self.months
        if first < 1:
            return Period(self.year - 1, first + 12, self.kind)
        return Period(self.year, first, self.kind)

    def deadline(self) -> date:
        """Submission deadline: the 20th of the month after the period ends."""
        nxt = self.end + timedelta(days=1)
        return date(nxt.year, nxt.month, 20)

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    def __str__(self) -> str:
        return self.code


def months_back(period: Period, count: int) -> list[Period]:
    """The ``count`` months before a month period, oldest first."""
    out, y, m = [], period.year, period.first_month
    for _ in range(count):
        m -= 1
        if m == 0:
            y, m = y - 1, 12
        out.append(Period(y, m, MONTH))
    return out[::-1]
