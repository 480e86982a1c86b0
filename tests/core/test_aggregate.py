"""The statistics queries (ipdesk.db.aggregate): what they read and what they add up."""
from datetime import date

from ipdesk.catalog.model import COUNT, Measure
from ipdesk.db import aggregate
from ipdesk.demo import generate_demo
from ipdesk.domain.periods import MONTH, YEAR, Period
from ipdesk.stats.annex1 import compute_annex1


def _recording(desk, monkeypatch) -> list:
    """Every (sql, params) the desk's database runs from now on (the real database runs them)."""
    seen, real = [], desk.db.execute

    def execute(sql, parameters=None):
        seen.append((sql, parameters))
        return real(sql, parameters)

    monkeypatch.setattr(desk.db, "execute", execute)
    return seen


def test_every_monthly_query_reads_a_month_index_in_order(desk, monkeypatch):
    """附件1's grouped queries each read one covering month-keyed index and sum as they read: no sort
    (a "TEMP B-TREE" here was most of a year's 附件1 at city scale, and silently comes back if the query's
    month expression stops matching the index's)."""
    generate_demo(desk, months=14, seed=5)
    seen = _recording(desk, monkeypatch)
    for period in (Period(2026, 10, MONTH), Period(2025, 1, YEAR)):
        compute_annex1(desk.db, desk.unit["code"], desk.unit["name"], period)
    grouped = [(sql, params) for sql, params in seen if "GROUP BY" in sql and "substr(" in sql]
    tables_and_dates = {sql.split("substr(")[1].split(",")[0] + " " + sql.split(" FROM ")[1].split()[0]
                        for sql, _ in grouped}
    assert tables_and_dates == {"filed_date cases", "closed_date cases", "decision_date cases",
                                "referral_date cases", "date inspections", "date work_items"}
    for sql, params in grouped:
        plan = " | ".join(row[3] for row in desk.db.conn.execute("EXPLAIN QUERY PLAN " + sql, params))
        assert "COVERING INDEX" in plan and "_month" in plan and "TEMP B-TREE" not in plan, (sql, plan)


def test_a_span_within_months_counts_by_the_day(desk):
    """The month key narrows the rows; a span that starts or ends inside a month still counts by the day."""
    generate_demo(desk, months=6, seed=9)
    unit = desk.unit["code"]
    measures = {"filed": Measure("cases", COUNT, "filed_date"), "inspected": Measure("inspections", COUNT, "date")}
    counted = 0
    for start, end in ((date(2026, 6, 15), date(2026, 9, 10)), (date(2026, 6, 1), date(2026, 9, 30)),
                       (date(2026, 7, 31), date(2026, 8, 1))):
        got = aggregate.monthly_values(desk.db, unit, measures, start, end)
        for key, table, field in (("filed", "cases", "filed_date"), ("inspected", "inspections", "date")):
            want = desk.db.execute(f"SELECT substr({field}, 1, 7), COUNT(*) FROM {table} WHERE unit_code = ? "
                                   f"AND {field} BETWEEN ? AND ? GROUP BY 1",
                                   [unit, start.isoformat(), end.isoformat()]).fetchall()
            assert {month: n for (month, _), n in got[key].items()} == dict(want), (key, start, end)
            counted += sum(n for _, n in want)
    assert counted > 50
