"""附件1: every catalogue cell for a period — 本期, 本年累计, 上年同期 (both) and 同比.

Values are kept in base units (件/次/…, money in 分); ``None`` means 未填报/不适用 and
is never the same as 0.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from ..catalog import get_catalog
from ..catalog.model import (COUNT, FLOW, MANUAL, OPEN_AT_END, OPEN_AT_START, PREVIOUS_YEAR, RATIO, SPAN_LABELS,
                             Catalog, CellDef, Measure, cell_id)
from ..db import aggregate
from ..domain.money import percent, round_percent, wan, wan_text
from ..domain.periods import Period, month_runs, months_back
from ..db.connection import Database
from .footing import printed_money

Number = int | float | None


@dataclass
class CellValue:
    current: Number = None
    ytd: Number = None
    prev_current: Number = None
    prev_ytd: Number = None

    @staticmethod
    def change(now: Number, before: Number) -> float | None:
        """同比 in %: None when there is nothing to compare with."""
        if now is None or before in (None, 0):
            return None
        return percent(now - before, before)

    @property
    def yoy_current(self) -> float | None:
        return self.change(self.current, self.prev_current)

    @property
    def yoy_ytd(self) -> float | None:
        return self.change(self.ytd, self.prev_ytd)


@dataclass
class Annex1Table:
    catalog: Catalog
    unit_code: str
    unit_name: str
    period: Period
    values: dict[str, CellValue]
    monthly: dict[str, dict[str, Number]] = field(default_factory=dict)  # cell -> month code -> value
    # Money read back from print (万元 with 4 decimals) is exact only to 1 元: checks allow that rounding.
    money_precision_fen: int = 0
    # A consolidation's printed leaf money cells ((cell id, which) -> 万元), see stats.footing.
    leaf_printed: dict[tuple[str, str], Decimal | None] | None = None
    _printed: dict[str, dict] = field(default_factory=dict, init=False, repr=False, compare=False)
    # A consolidation (exchange/consolidate.py): the units it covers, printed on the form and in the JSON.
    scope: dict | None = None
    # A consolidation's cells (cell id, prev_current/prev_ytd) whose 上年同期 leaves out a unit that reported this
    # year's figure without one (no previous-year data): the others' sum is printed, 同比 against it is not (—).
    prev_partial: set[tuple[str, str]] = field(default_factory=set)
    # What 本期/本年累计 cover when they reach back before the unit's 启用月份 with nothing recorded there
    # (:func:`coverage_note`): printed with the table and carried in its JSON; "" when they cover the whole span.
    coverage_note: str = ""

    def value(self, cell_id: str, which: str = "current") -> Number:
        return getattr(self.values[cell_id], which)

    def yoy(self, cell_id: str, which: str = "current") -> float | None:
        """同比 (%) of 本期 (``current``) or 本年累计 (``ytd``): None (—) when there is nothing to compare with."""
        before = PREVIOUS_YEAR[which]
        if (cell_id, before) in self.prev_partial:
            return None
        v = self.values[cell_id]
        return v.change(getattr(v, which), getattr(v, before))

    def printed(self, cell_id: str, which: str = "current") -> Decimal | Number:
        """The figure as printed: money as a Decimal of 万元 that foots (stats.footing), others as stored."""
        if not self.catalog.cell(cell_id).is_money:
            return self.value(cell_id, which)
        money = self._printed.get(which)
        if money is None:
            leaf = {cid: v for (cid, w), v in self.leaf_printed.items() if w == which} if self.leaf_printed else None
            money = self._printed[which] = printed_money(self.catalog, self.value, which, leaf)
        return money[cell_id]

    def printed_number(self, cell_id: str, which: str = "current"):
        """The printed figure as a JSON/Excel number (万元 as float with 4 decimals)."""
        return printed_number(self.catalog.cell(cell_id), self.printed(cell_id, which))

    def display(self, cell_id: str, which: str = "current") -> str:
        """As printed: 万元 with 4 decimals (totals footing), % with 1, '—' for no data."""
        cell = self.catalog.cell(cell_id)
        if cell.is_money:
            return wan_text(self.printed(cell_id, which))
        return format_value(cell, self.value(cell_id, which))

    def to_json(self) -> dict:
        """The documented machine form (README: annex1 JSON)."""
        cells = []
        for cid, cell in self.catalog.cells().items():
            v = self.values[cid]
            item = {
                "id": cid,
                "part": cell.part.title,
                "row": cell.row_label,
                "column": cell.column_label,
                "unit": cell.unit,
                "current": self.printed_number(cid, "current"),
                "ytd": self.printed_number(cid, "ytd"),
                "prev_current": self.printed_number(cid, "prev_current"),
                "prev_ytd": self.printed_number(cid, "prev_ytd"),
                "yoy_current_pct": self.yoy(cid, "current"),
                "yoy_ytd_pct": self.yoy(cid, "ytd"),
                "base": {"unit": "分" if cell.is_money else cell.unit, "current": v.current, "ytd": v.ytd,
                         "prev_current": v.prev_current, "prev_ytd": v.prev_ytd},
            }
            if self.prev_partial:
                partial = [w for w in PREVIOUS_YEAR.values() if (cid, w) in self.prev_partial]
                if partial:
                    item["prev_partial"] = partial  # 上年同期 leaves out a unit without one: see prev_partial
            cells.append(item)
        out = {
            "table": self.catalog.title,
            "catalog_version": self.catalog.version,
            "unit_code": self.unit_code,
            "unit_name": self.unit_name,
            "period": self.period.code,
            "period_label": self.period.label,
            "cells": cells,
        }
        if self.coverage_note:
            out["coverage_note"] = self.coverage_note
        return {**out, **self.scope} if self.scope else out


def printed_number(cell: CellDef, value):
    """A value for JSON/Excel: money given as 分 (int) is rounded to 万元, a printed Decimal passed through."""
    if value is None:
        return None
    if cell.is_money:
        return float(value if isinstance(value, Decimal) else wan(value))
    if isinstance(value, float) and value.is_integer() and cell.unit != "%":
        return int(value)
    return value


def format_value(cell: CellDef, value: Number) -> str:
    """One stored value as printed (money in 分 → 万元 half-up). A table's totals print with
    :meth:`Annex1Table.display`, which foots them."""
    if value is None:
        return "—"
    if cell.is_money:
        return wan_text(wan(value))  # type: ignore[arg-type]  # stored money is whole 分
    if cell.unit == "%":
        return f"{round_percent(value):.1f}"
    if isinstance(value, float) and not value.is_integer():
        return f"{value:g}"
    return str(int(value))


def _by_month(series: dict) -> dict[str, dict]:
    """month → row value → total: each span's and each month's figure of a cell is then a few lookups (a
    month's 附件1 asks 12 months of every flow cell: summing the whole series each time was ~45 ms)."""
    out: dict[str, dict] = {}
    for (month, row), value in series.items():
        totals = out.setdefault(month, {})
        totals[row] = totals.get(row, 0) + value
    return out


def _span_totals(by_month: dict[str, dict], spans: dict[str, set[str]]) -> dict[str, dict]:
    """span → row value → total of the months (of :func:`_by_month`) in that span."""
    out: dict[str, dict] = {}
    for which, months in spans.items():
        totals = out[which] = {}
        for month in months & by_month.keys():
            for row, value in by_month[month].items():
                totals[row] = totals.get(row, 0) + value
    return out


# Every case filed, and every filed case closed, per month (keys kept apart from the catalogue's).
_FLOW_IN_KEY, _FLOW_OUT_KEY = "_cases_filed", "_cases_closed"
_FLOW_IN = Measure("cases", COUNT, "filed_date")
_FLOW_OUT = Measure("cases", COUNT, "closed_date", where=(("filed_date", ">=", "0000"),))


def _open_counts(db: Database, unit_code: str, end: date, points: dict, filed: dict, closed: dict) -> dict:
    """Cases open at each point, by category, from one count at ``end`` and the monthly flows.

    Open just before day S (a month's first day) = open at the end of ``end`` − filed in [S, end]
    + closed in [S, end]; open at the end of day P = the same over the months after P. A case is
    filed no later than it is closed (a rule of every record), so each case is counted once.
    """
    anchor = aggregate.open_cases_at(db, unit_code, [(end, True)])[0]
    out = {}
    for (kind, which), day in points.items():
        if kind == "end" and day == end:
            out[(kind, which)] = dict(anchor)
            continue
        since = day if kind == "start" else day + timedelta(days=1)
        months = _month_codes(since, end)
        counts = dict(anchor)
        for (month, category), n in filed.items():
            if month in months:
                counts[category] = counts.get(category, 0) - n
        for (month, category), n in closed.items():
            if month in months:
                counts[category] = counts.get(category, 0) + n
        out[(kind, which)] = {c: n for c, n in counts.items() if n}
    return out


def _month_codes(start: date, end: date) -> set[str]:
    out, y, m = set(), start.year, start.month
    while (y, m) <= (end.year, end.month):
        out.add(f"{y}-{m:02d}")
        m += 1
        if m == 13:
            y, m = y + 1, 1
    return out


def compute_annex1(db: Database, unit_code: str, unit_name: str, period: Period,
                   catalog: Catalog | None = None, first_month: str | None = None) -> Annex1Table:
    """The unit's 附件1 from its records. ``first_month``: its 启用月份 (YYYY-MM), before which it kept no
    records in ipdesk (see :func:`_unrecorded`)."""
    catalog = catalog or get_catalog()
    cells = catalog.cells()
    prev = period.previous_year()
    first = date(period.year - 1, 1, 1)
    if period.kind == "month":
        first = min(first, months_back(period, 12)[0].start)

    list_measures = {cid: c.measure for cid, c in cells.items()
                     if c.measure is not None and c.row is None and c.measure.agg not in (MANUAL,)}
    grid_measures = {}
    for part in catalog.parts:
        for col in part.columns:
            grid_measures[(part.id, col.id)] = col.measure
    flat = aggregate.monthly_values(db, unit_code, list_measures, first, period.end)
    by_row: dict[str, dict] = {}
    flows = None
    for part in catalog.parts:
        if part.is_grid:
            keyed = {col.id: col.measure for col in part.columns
                     if col.measure.agg not in (OPEN_AT_START, OPEN_AT_END)}
            # Cases filed and closed per month ride along in this part's queries: from them and one
            # count at the period's end, every "open at" figure follows (see _open_counts).
            derive = part.row_field == "category" and len(keyed) < len(part.columns)
            if derive:
                keyed = {**keyed, _FLOW_IN_KEY: _FLOW_IN, _FLOW_OUT_KEY: _FLOW_OUT}
            for col_id, series in aggregate.monthly_values(db, unit_code, keyed, first, period.end,
                                                           row_field=part.row_field).items():
                by_row[f"{part.id}:{col_id}"] = series
            if derive:
                flows = (by_row.pop(f"{part.id}:{_FLOW_IN_KEY}"), by_row.pop(f"{part.id}:{_FLOW_OUT_KEY}"))

    spans = {
        "current": _month_codes(period.start, period.end),
        "ytd": _month_codes(period.ytd_start, period.end),
        "prev_current": _month_codes(prev.start, prev.end),
        "prev_ytd": _month_codes(prev.ytd_start, prev.end),
    }
    open_points = {
        ("start", "current"): period.start, ("start", "ytd"): period.ytd_start,
        ("start", "prev_current"): prev.start, ("start", "prev_ytd"): prev.ytd_start,
        ("end", "current"): period.end, ("end", "prev_current"): prev.end,
    }
    if flows is not None:
        open_counts = _open_counts(db, unit_code, period.end, open_points, *flows)
    else:
        counted = aggregate.open_cases_at(db, unit_code, [(day, key[0] == "end") for key, day in open_points.items()])
        open_counts = dict(zip(open_points, counted))
    manual = aggregate.manual_values(db, unit_code, [c.id for c in catalog.manual_cells()])

    values: dict[str, CellValue] = {}
    monthly: dict[str, dict[str, Number]] = {}
    month_totals: dict[int, dict] = {}  # id(series) -> month -> row value -> total (each series summed once)
    span_totals: dict[int, dict] = {}  # id(series) -> span -> row value -> total, from its months
    recent_months = [p.code for p in months_back(period, 12)] if period.kind == "month" else []
    for cid, cell in cells.items():
        m = cell.measure
        v = CellValue()
        if m is None:
            continue  # ratios are filled below
        if m.agg == MANUAL:
            entries = manual.get(cid, [])
            v.current = _latest(entries, period.end)
            v.ytd = v.current
            v.prev_current = _latest(entries, prev.end)
            v.prev_ytd = v.prev_current
        elif m.agg in (OPEN_AT_START, OPEN_AT_END):
            cats = cell.row.categories
            if m.agg == OPEN_AT_START:
                for which in spans:
                    v.__setattr__(which, sum(open_counts[("start", which)].get(c, 0) for c in cats))
            else:
                v.current = v.ytd = sum(open_counts[("end", "current")].get(c, 0) for c in cats)
                v.prev_current = v.prev_ytd = sum(open_counts[("end", "prev_current")].get(c, 0) for c in cats)
        else:
            if cell.row is not None:
                series = by_row.get(f"{cell.part.id}:{cell.column.id}", {})
                rows = set(cell.row.categories)
            else:
                series, rows = flat.get(cid, {}), None
            by_month = month_totals.get(id(series))
            if by_month is None:
                by_month = month_totals[id(series)] = _by_month(series)
            totals = span_totals.get(id(series))
            if totals is None:
                totals = span_totals[id(series)] = _span_totals(by_month, spans)
            for which in spans:
                by_value = totals[which]
                setattr(v, which, sum(by_value.values()) if rows is None
                        else sum(by_value.get(r, 0) for r in rows))
            if period.kind == "month" and cell.ytd == FLOW:
                monthly[cid] = {}
                for code in recent_months:
                    totals = by_month.get(code, {})
                    monthly[cid][code] = sum(totals.values()) if rows is None else sum(totals.get(r, 0) for r in rows)
        values[cid] = v
    if first_month:
        _unrecorded(db, unit_code, catalog, values, first_month,
                    {"prev_current": (prev.start, prev.end), "prev_ytd": (prev.ytd_start, prev.end)})
    fill_ratios(cells, values)
    note = coverage_note(db, unit_code, catalog, period, first_month) if first_month else ""
    return Annex1Table(catalog, unit_code, unit_name, period, values, monthly, coverage_note=note)


def recorded_before_first(db: Database, unit_code: str, dates: dict[str, tuple[str, ...]], year: int,
                          first_month: str) -> set[str]:
    """The tables (of ``table → date fields``) with a record of the unit dated in ``year`` before the 启用月份
    ``first_month``: their months there were recorded (a legacy ledger's cases), the others' never were."""
    before_first = Period.parse(first_month).previous().code
    return aggregate.tables_with_records(db, unit_code, dates, f"{year}-01", min(f"{year}-12", before_first))


def unrecorded_months(db: Database, unit_code: str, catalog: Catalog, codes: list[str], first_month: str,
                      table: str) -> list[str]:
    """The months (codes) among ``codes`` that ``table`` never recorded: before the 启用月份, in a year without a
    record of it there — the rule of :func:`_unrecorded`, for the 工作台's month chart (no data, not 0)."""
    dates = {table: catalog.count_dates().get(table, ())}
    recorded: dict[int, set[str]] = {}
    gaps = []
    for code in codes:
        if code >= first_month:
            continue
        year = int(code[:4])
        if year not in recorded:
            recorded[year] = recorded_before_first(db, unit_code, dates, year, first_month)
        if table not in recorded[year]:
            gaps.append(code)
    return gaps


def _unrecorded(db: Database, unit_code: str, catalog: Catalog, values: dict[str, CellValue], first_month: str,
                spans: dict[str, tuple[date, date]]) -> None:
    """Set to None (no data, printed —) each previous-year span of a cell whose months were never recorded.

    A span counts as unrecorded when part of it lies before the 启用月份 and the unit holds no record of the
    cell's table (cases, inspections, work items) dated in that year before it. Partly, not only wholly: a 上年同期累计
    starting before the 启用月份 would sum only the recorded months and pass for the whole year's, and 同比
    against it misleads. A record dated there (a legacy ledger's cases) makes the span real data, 0 included.
    Manual cells stay as entered: their value is None already when nothing was entered up to the span's end."""
    dates = catalog.count_dates()
    for which, (start, _end) in spans.items():
        first = f"{start.year}-{start.month:02d}"
        if first >= first_month:
            continue
        # Records anywhere in that year before the 启用月份, not only in the span: a month and the window holding
        # it must agree (January alone was —, inside January–March a 0 beside March's legacy case).
        recorded = recorded_before_first(db, unit_code, dates, start.year, first_month)
        for cid, cell in catalog.cells().items():
            m = cell.measure
            if m is not None and m.agg != MANUAL and m.table not in recorded:
                setattr(values[cid], which, None)


def coverage_note(db: Database, unit_code: str, catalog: Catalog, period: Period, first_month: str) -> str:
    """What 本期 and 本年累计 cover when they start before the 启用月份: e.g. 本年累计自启用月份2026年3月起统计
    （2026年1—2月未在本系统登记）, naming the parts concerned when only some are (a legacy ledger's cases make
    part B's months recorded). The same test as :func:`_unrecorded`: a span counts from the 启用月份 when part of
    it lies before it and no record of a part's table is dated in that year before it. The values stay as
    counted."""
    gap = [m.code for m in Period.months_of(period.year, 1, period.last_month).month_periods() if m.code < first_month]
    if not gap:  # 本年累计 starts in or after the 启用月份: so does 本期
        return ""
    recorded = recorded_before_first(db, unit_code, catalog.count_dates(), period.year, first_month)
    tables = {part.title: {c.measure.table for c in catalog.cells().values()
                           if c.part.id == part.id and c.measure is not None and c.measure.agg != MANUAL}
              for part in catalog.parts}
    counted = [title for title, used in tables.items() if used]
    lacking = [title for title in counted if not tables[title] <= recorded]
    if not lacking:
        return ""
    spans = ("本期、" if f"{period.year}-{period.first_month:02d}" < first_month else "") + "本年累计"
    if len(lacking) < len(counted):
        spans = "、".join(title.split("、", 1)[-1] for title in lacking) + "的" + spans
    start = Period.parse(first_month).label
    missing = month_runs(gap)[0].label  # January to the month before: one run
    if period.last_month == int(gap[-1][5:]):  # the whole period lies before the 启用月份
        return f"{spans}所含{missing}在启用月份{start}之前，未在本系统登记"
    return f"{spans}自启用月份{start}起统计（{missing}未在本系统登记）"


def fill_ratios(cells: dict[str, CellDef], values: dict[str, CellValue], spans=tuple(SPAN_LABELS)) -> None:
    """Every RATIO cell's ``spans`` from its numerator and denominator — the one ratio formula (percent: ×100,
    1 decimal half-up) for derived, consolidated and typed-in tables alike."""
    for cid, cell in cells.items():
        if cell.ytd == RATIO:
            num_id, den_id = (cell_id(cell.part.id, x) for x in cell.indicator.ratio_of)
            v = values.setdefault(cid, CellValue())
            for which in spans:
                setattr(v, which, percent(getattr(values[num_id], which), getattr(values[den_id], which)))


def _latest(entries: list, end: date) -> Number:
    limit = f"{end.year}-{end.month:02d}"
    found = [value for p, value in entries if p <= limit]
    return found[-1] if found else None

