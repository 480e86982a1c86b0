"""The figures of a period: which catalogue version it is reported on, 附件1 and 附件2, the checks an
approval looks at, and the records behind a cell (``desk.figures``). The statistics themselves are in
:mod:`ipdesk.stats`; they are imported when first asked for (the first window needs none of them)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from .db import records, settings, submissions
from .domain.periods import MONTH, Period
from .errors import IpdeskError
from .manager import Manager

if TYPE_CHECKING:
    from .catalog.model import Catalog
    from .stats import checks
    from .stats.annex1 import Annex1Table
    from .stats.annex2 import Annex2Table


class FiguresManager(Manager):
    def catalog_for(self, period: str | Period) -> Catalog:
        """The form a period is reported on: the version it was approved with, else the one in force then."""
        # Imported here: not loaded before the main window shows (cold start).
        from .catalog import catalog_for, get_catalog

        p = period if isinstance(period, Period) else Period.parse(period)
        latest = submissions.latest(self.db, self.desk.unit["code"], p.code)
        return get_catalog(latest["catalog_version"]) if latest else catalog_for(p.code)

    def annex1(self, period: str | Period, catalog: Catalog | None = None) -> Annex1Table:
        # Imported here: not loaded before the main window shows (cold start).
        from .stats.annex1 import compute_annex1

        p = period if isinstance(period, Period) else Period.parse(period)
        unit = self.desk.unit
        return compute_annex1(self.db, unit["code"], unit["name"], p, catalog or self.catalog_for(p),
                              settings.get(self.db, settings.FIRST_MONTH))

    def unrecorded_months(self, codes: list[str], table: str) -> list[str]:
        """The months among ``codes`` (YYYY-MM) that ``table`` never recorded: before the 启用月份, with no record
        of it dated in that year before then (see :func:`ipdesk.stats.annex1.unrecorded_months`)."""
        # Imported here: not loaded before the main window shows (cold start).
        from .stats.annex1 import unrecorded_months

        first = settings.get(self.db, settings.FIRST_MONTH)
        if not first or not codes:
            return []
        return unrecorded_months(self.db, self.desk.unit["code"], self.catalog_for(codes[-1]), codes, first, table)

    def annex2(self, period: str | Period, *, mask_personal_ids: bool = False, start: str | None = None,
               end: str | None = None) -> Annex2Table:
        # Imported here: not loaded before the main window shows (cold start).
        from .stats.annex2 import compute_annex2

        p = period if isinstance(period, Period) else Period.parse(period)
        if start and end and start > end:  # ISO dates compare as text
            raise IpdeskError(f"起始日期 {start} 晚于截止日期 {end}，请重新选择", f"start {start} is after end {end}")
        unit = self.desk.unit
        return compute_annex2(self.db, unit["code"], unit["name"], p, mask_personal_ids=mask_personal_ids,
                              start=start, end=end)

    def check_period(self, period: str | Period, table: Annex1Table | None = None) -> list[checks.Finding]:
        """Every finding for a period: table rules, continuity, outliers, incomplete and overdue cases."""
        # Imported here: not loaded before the main window shows (cold start).
        from .stats import checks

        p = period if isinstance(period, Period) else Period.parse(period)
        table = table or self.annex1(p)
        previous = None
        if p.kind == MONTH and p.first_month > 1:
            previous = self.annex1(Period(p.year, p.first_month - 1, MONTH))
        found = checks.check_table(table, previous)
        start, end = p.start.isoformat(), p.end.isoformat()
        for case in records.cases_needing_completion(self.db, self.desk.unit["code"]):
            dates = [case.get(k) for k in ("filed_date", "closed_date", "decision_date")]
            if any(d and start <= d <= end for d in dates) or not case.get("closed_date"):
                found.append(checks.Finding(
                    checks.ERROR, f"complete:{case['id']}",
                    f"案件“{case['name']}”待补正：{'、'.join(case['needs_completion'])}", case_ids=[case["id"]]))
        if p.end >= self.desk.today() or p.contains(self.desk.today()) or p.deadline() >= self.desk.today():
            for case, dl in self.desk.limits.deadlines(only_warnings=True):
                if dl.overdue:
                    found.append(checks.Finding(checks.WARNING, f"overdue:{case['id']}",
                                                f"案件“{case['name']}”{dl.message}", case_ids=[case["id"]]))
        return found

    def records_behind(self, period: str | Period, cell_id: str, which: str = "current") -> tuple[str, list[dict]]:
        """The records that make a 附件1 cell: ``(table name, rows)`` (drill-down)."""
        # Imported here: not loaded before the main window shows (cold start).
        from .db.aggregate import record_ids

        p = period if isinstance(period, Period) else Period.parse(period)
        cell = self.catalog_for(p).cell(cell_id)
        m = cell.measure
        if m is None:  # a ratio: show what its denominator counts
            return self.records_behind(p, f"{cell.part.id}.{cell.indicator.ratio_of[1]}", which)
        span_period = p.previous_year() if which.startswith("prev") else p
        start = span_period.ytd_start if which.endswith("ytd") else span_period.start
        if m.agg == "open_at_start" and which.endswith("ytd"):
            start = span_period.ytd_start
        row_values = cell.row.categories if cell.row else ()
        ids = record_ids(self.db, self.desk.unit["code"], m, start, span_period.end,
                         cell.part.row_field if cell.row else None, row_values)
        table = "cases" if m.agg.startswith("open") else m.table
        return table, records.rows_by_ids(self.db, table, ids) if table != "cases" else records.cases_by_ids(self.db, ids)
