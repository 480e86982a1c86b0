"""附件1 for a year and for a month against hand-written GROUP BYs over the same rows (the floor):
one per table 附件1 reads — cases by filed month and category, inspections and work items by month
and kind — each with a few sums."""
from __future__ import annotations

from ipdesk.domain.periods import MONTH, YEAR, Period, months_back

from .timing import Result, median_seconds, ms

FLOOR_SQL = """
SELECT substr(filed_date, 1, 7), category, COUNT(*), SUM(amount_involved_fen), SUM(fine_fen),
       SUM(confiscated_fen), SUM(flag_ecommerce), SUM(closed_date IS NOT NULL)
FROM cases WHERE unit_code = ? AND filed_date BETWEEN ? AND ? GROUP BY 1, 2"""
FLOOR_SQL_OTHERS = (
    "SELECT substr(date, 1, 7), kind, COUNT(*), SUM(officers), SUM(subject_count) FROM inspections "
    "WHERE unit_code = ? AND date BETWEEN ? AND ? GROUP BY 1, 2",
    "SELECT substr(date, 1, 7), kind, SUM(count_a), SUM(count_b) FROM work_items "
    "WHERE unit_code = ? AND date BETWEEN ? AND ? GROUP BY 1, 2",
)


def span(period: Period) -> tuple[str, str]:
    """The rows 附件1 reads: from January of the year before (or 12 months back) to the period's end."""
    first = Period(period.year - 1, 1, YEAR).start
    if period.kind == MONTH:
        first = min(first, months_back(period, 12)[0].start)
    return first.isoformat(), period.end.isoformat()


def floor_query(desk, period: Period) -> list:
    start, end = span(period)
    return [desk.db.execute(sql, [desk.unit["code"], start, end]).fetchall()
            for sql in (FLOOR_SQL, *FLOOR_SQL_OTHERS)]


def run(desk, repeat: int, year: int, month: Period) -> list[Result]:
    out = []
    for name, label, period in (("annex1_year", f"附件1 {year}年", Period(year, 1, YEAR)),
                                ("annex1_month", f"附件1 {month.label}", month)):
        seconds = median_seconds(lambda period=period: desk.figures.annex1(period), repeat)
        floor = median_seconds(lambda period=period: floor_query(desk, period), repeat)
        start, end = span(period)
        rows = desk.db.execute("SELECT COUNT(*) FROM cases WHERE unit_code = ? AND filed_date BETWEEN ? AND ?",
                               [desk.unit["code"], start, end]).fetchone()[0]
        result = Result(name, label, ms(seconds), "ms", floor=ms(floor), note=f"{rows:,} cases filed in {start}…{end}")
        # A month is shown far more often than a year (the 附件1 page, the 工作台): the same goal.
        result.goal, result.max_ratio = "≤ 2× floor", 2.0
        out.append(result)
    return out
