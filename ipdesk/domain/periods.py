"""Reporting periods: month ``2026-03``, bimonth ``2026-B2``, quarter ``2026-Q1``,
half ``2026-H1`` and year ``2026``; each knows its dates, its year-to-date span and
the same period a year earlier. A run of whole months within a year that is none of these
(``2026-03~2026-05``, a consolidation over a date range) is a ``months`` period."""
from __future__ import annotations

import re
from datetime import date, timedelta
from typing import NamedTuple

from ..errors import IpdeskError

MONTH, BIMONTH, QUARTER, HALF, YEAR, MONTHS = "month", "bimonth", "quarter", "half", "year", "months"
KIND_LABELS = {MONTH: "月", BIMONTH: "双月", QUARTER: "季度", HALF: "半年", YEAR: "年", MONTHS: "自选月份"}
_MONTHS_PER = {MONTH: 1, BIMONTH: 2, QUARTER: 3, HALF: 6, YEAR: 12}
_PATTERN = re.compile(r"^(\d{4})(?:-(?:(\d{1,2})|B([1-6])|Q([1-4])|H([12])))?$")
_RANGE = re.compile(r"^(\d{4})-(\d{1,2})~(\d{4})-(\d{1,2})$")


class Period(NamedTuple):  # ordered and hashable by (year, first_month, kind); see catalog/model.py on NamedTuple
    year: int
    first_month: int
    kind: str
    span: int = 0  # a ``months`` period's number of months (the other kinds know theirs)

    @classmethod
    def months_of(cls, year: int, first: int, last: int) -> "Period":
        """Months ``first``..``last`` of a year: the month, bimonth, quarter, half or year they make, else a
        ``months`` period."""
        n = last - first + 1
        for kind, per in _MONTHS_PER.items():
            if n == per and (first - 1) % per == 0:
                return cls(year, first, kind)
        return cls(year, first, MONTHS, n)

    @classmethod
    def from_dates(cls, start, end) -> "Period":
        """The whole months from ``start`` (a 1st) to ``end`` (a month's last day), ISO dates, within one year;
        anything else is refused with a message saying what a range must be."""
        import calendar

        days = []
        for label, value in (("起始日期", start), ("截止日期", end)):
            if isinstance(value, date):
                days.append(value)
                continue
            try:
                days.append(date.fromisoformat(str(value).strip()))
            except ValueError:
                raise IpdeskError(f"{label}“{value}”不是日期（应为 2026-03-01 这样的格式）",
                                  f"not a date: {value}") from None
        first, last = days
        if first > last:
            raise IpdeskError(f"起始日期 {first} 晚于截止日期 {last}，请重新选择", f"start {first} is after end {last}")
        if first.day != 1 or last.day != calendar.monthrange(last.year, last.month)[1]:
            raise IpdeskError(
                f"汇总按整月进行：起始日期应为某月1日，截止日期应为某月最后一日（如 2026-03-01 至 2026-05-31），"
                f"{first} 至 {last} 不是整月", f"not whole months: {first} to {last}")
        if first.year != last.year:
            raise IpdeskError(f"起止日期应在同一年内（本年累计按年计算）：{first} 至 {last}",
                              f"range spans two years: {first} to {last}")
        if not 1990 <= first.year <= 2100:
            raise IpdeskError(f"期间年份超出范围：{first.year}", f"period year out of range: {first.year}")
        return cls.months_of(first.year, first.month, last.month)

    @classmethod
    def parse(cls, text: str) -> "Period":
        r = _RANGE.match(str(text).strip())
        if r:
            y1, m1, y2, m2 = map(int, r.groups())
            if y1 != y2 or not 1 <= m1 <= m2 <= 12 or not 1990 <= y1 <= 2100:
                raise IpdeskError(f"无法识别的期间：{text}（自选月份应在同一年内，如 2026-03~2026-05）",
                                  f"bad month range: {text}")
            return cls.months_of(y1, m1, m2)
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
        return self.span if self.kind == MONTHS else _MONTHS_PER[self.kind]

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
            MONTHS: f"{self.year}-{n:02d}~{self.year}-{self.last_month:02d}",
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
        return self._replace(year=self.year - 1)

    def month_periods(self) -> list["Period"]:
        return [Period(self.year, m, MONTH) for m in range(self.first_month, self.last_month + 1)]

    def previous(self) -> "Period":
        """The period of the same kind just before this one (may be in the previous year); for a ``months``
        period, as many months before it as are left in its year (a period never crosses a year)."""
        if self.kind == MONTHS:
            if self.first_month == 1:
                return Period.months_of(self.year - 1, 13 - self.span, 12)
            return Period.months_of(self.year, max(1, self.first_month - self.span), self.first_month - 1)
        first = self.first_month - self.months
        if first < 1:
            return self._replace(year=self.year - 1, first_month=first + 12)
        return self._replace(first_month=first)

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


def month_runs(codes: list[str]) -> list[Period]:
    """Month codes (``2026-01``) as runs of consecutive months, in order: a single month is a month period, a run
    a ``months`` period of its length (labelled 2026年1—3月, never 第一季度: the months, not a quarter's table)."""
    runs: list[Period] = []
    for p in sorted(Period.parse(c) for c in codes):
        last = runs[-1] if runs else None
        if last is not None and last.year == p.year and last.last_month + 1 == p.first_month:
            runs[-1] = Period(last.year, last.first_month, MONTHS, last.months + 1)
        else:
            runs.append(p)
    return runs
