"""Consolidation (city mode) over any period — month, bimonth, quarter, half, year: the city's 附件1 and
附件2 from the packages its subordinate units sent, plus the city office's own records when it keeps any.

What is summed is what each unit sent: the exact values (money in 分), and for printing each money cell
the sum of the units' printed figures (stats/footing.py's ``leaf_printed``), so the city's printed totals
equal the sum of its units' printed figures. Per unit, over the months of the span it sent (its latest
accepted package of each month):

- a flow cell (立案, 罚没款, 检查户次 …) adds up those months; its 上年同期 adds up the same months'
  上年同期 as the unit reported them, so 同比 always compares the same window;
- 上期未结 is the unit's figure at the start of its first month in the span, 期末未结 at the end of its
  last one; 辖区重点实体市场数量 (a stock) is its latest value up to the span's end (an earlier month's
  when it sent nothing in the span);
- 本年累计 (and 上年累计) is the cumulative figure of the unit's latest package of the year up to the
  span's end — the same basis as the bulletin and the summaries (:data:`YTD_BASIS`);
- ratios are recomputed from the summed numerator and denominator.

A unit whose package states that its 本年累计 counts from its 启用月份 (stats/annex1.coverage_note) is named on
the coverage line (:attr:`Consolidation.counted_from_first_month`).

上年同期 is "no data" (None) where the units sent none (months before a banner's 启用月份, stats/annex1.py): a
unit's span without it in one of its months has none (part of a window is not the window); the units' sum is
of those that have it, and a unit that reported this year's figure without its 上年同期 is named on the form
(:attr:`Consolidation.without_previous_year`) and its cells' 同比 is — (:attr:`Annex1Table.prev_partial`).

A cell no unit reported stays ``None`` (未填报), never 0; a span without any package says so
(:attr:`Consolidation.findings`, and a line on the printed form). Every consolidation states the units
it includes and those that have not sent (JSON ``units_included`` / ``units_missing``). The results are
ordinary tables, so the same checks and renderers apply, and the city's own package carries them upward:
a region consolidates cities exactly as a city consolidates banners.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field

from ..catalog.model import (CLOSING, OPEN_AT_END, OPEN_AT_START, OPENING, PREVIOUS_YEAR, RATIO, SPAN_LABELS, STOCK,
                             Catalog, cell_id)
from ..db import received
from ..desk import Desk
from ..domain.periods import Period
from ..errors import IpdeskError
from ..domain import enums
from ..domain.money import wan, wan_to_fen
from ..stats.annex1 import Annex1Table, CellValue, fill_ratios
from ..stats.footing import leaf_money_cells
from ..stats.annex2 import Annex2Table
from ..stats.checks import WARNING, Finding
from .tables import annex2_from_json

WHICH = tuple(SPAN_LABELS)
YTD_BASIS = "本年累计取各单位截至本期末最近一次报送的本年累计数；本期、上年同期均为各单位已报送月份之和（同一口径）。"
OWN_SUFFIX = "（本级）"
FROM_FIRST_MONTH = "本年累计自启用月份起统计（此前月份未在本系统登记）"


def _sum(values):
    present = [v for v in values if v is not None]
    return sum(present) if present else None


def short_name(name: str) -> str:
    return name.replace("市场监督管理局", "") or name


@dataclass
class UnitSpan:
    """One subordinate unit over the span: the months it sent and its figures as it printed them."""

    code: str
    name: str
    sent: list[str]  # month codes of the span with an accepted package
    missing: list[str]  # ended months of the span without one
    values: dict[str, CellValue] = field(default_factory=dict)  # exact; empty: nothing sent up to the span's end
    printed: dict[str, CellValue] = field(default_factory=dict)  # as the unit printed them (money: 万元 in 分)

    @property
    def has_data(self) -> bool:
        return bool(self.sent)

    def value(self, cell_id: str, which: str = "current"):
        v = self.values.get(cell_id)
        return getattr(v, which) if v is not None else None

    def printed_value(self, cell_id: str, which: str = "current"):
        """As the unit printed it (money in 分 of its printed 万元)."""
        v = self.printed.get(cell_id)
        return getattr(v, which) if v is not None else None


@dataclass
class Consolidation:
    period: Period
    unit: dict
    catalog: Catalog
    annex1: Annex1Table
    units: list[UnitSpan]
    own: Annex1Table | None  # the office's own figures when it keeps records
    package_ids: list[int]  # the packages of the span (附件2 is read from them on demand)
    ended_months: list[str]
    # Units (short names) that reported figures of this year without their 上年同期 (no previous-year data).
    without_previous_year: list[str] = field(default_factory=list)
    # Units (short names) whose 本年累计 counts from their 启用月份, not 1 January (their package says so).
    counted_from_first_month: list[str] = field(default_factory=list)

    @property
    def units_included(self) -> list[dict]:
        return [{"unit_code": u.code, "unit_name": u.name, "months": u.sent} for u in self.units if u.sent]

    @property
    def units_missing(self) -> list[dict]:
        return [{"unit_code": u.code, "unit_name": u.name, "months": u.missing} for u in self.units if u.missing]

    @property
    def has_packages(self) -> bool:
        return bool(self.package_ids)

    @property
    def findings(self) -> list[Finding]:
        """Each unit that has not sent an ended month of the span (as a month's approval lists them), and a
        span without any package at all."""
        whole = len(self.period.month_periods())
        found = [Finding(WARNING, f"missing:{u.code}",
                         f"{u.name}尚未报送{self._months_label(u.missing) if len(u.missing) < whole else self.period.label}"
                         f"数据，汇总表不含{'该单位' if len(u.missing) == whole else '这些月份'}")
                 for u in self.units if u.missing]
        if not self.has_packages and self.ended_months:
            found.append(Finding(WARNING, f"no_data:{self.period.code}",
                                 f"{self.period.label}没有收到任何下级单位的报送数据，汇总表不含下级单位数据"))
        return found

    def _months_label(self, codes: list[str]) -> str:
        return f"{self.period.year}年" + "、".join(f"{int(m[5:])}月" for m in codes)

    def scope(self) -> dict:
        """What the consolidation covers, for its JSON and its printed line."""
        return {"consolidated": True, "units_included": self.units_included, "units_missing": self.units_missing,
                "own_records_included": self.own is not None, "has_packages": self.has_packages,
                "months": [m.code for m in self.period.month_periods()], "ytd_basis": YTD_BASIS,
                "coverage": coverage_line(self)}


def coverage_line(c: Consolidation) -> str:
    """汇总单位：东胜区、达拉特旗（1、3月）；未报送：伊金霍洛旗（1—3月） — the line printed on the form."""
    many = len(c.period.month_periods()) > 1

    def months_text(codes: list[str]) -> str:
        if not many:
            return ""
        if len(codes) == len(c.period.month_periods()):
            return ""
        return "（" + "、".join(str(int(m[5:])) for m in codes) + "月）"

    included = [short_name(u.name) + months_text(u.sent) for u in c.units if u.sent]
    if c.own is not None:
        included.insert(0, "本级")
    missing = [short_name(u.name) + months_text(u.missing) for u in c.units if u.missing]
    text = "汇总单位：" + ("、".join(included) if included else "无")
    if not c.has_packages and c.ended_months:
        text += f"（{c.period.label}未收到任何下级单位报送的数据）"
    text += "；未报送：" + ("、".join(missing) if missing else "无")
    if c.without_previous_year:
        partial = bool(c.annex1.prev_partial)
        text += (f"；无上年同期数据：{'、'.join(c.without_previous_year)}"
                 + ("（上年同期为其余单位之和，相应同比记“—”）" if partial else ""))
    if c.counted_from_first_month:
        text += f"；{FROM_FIRST_MONTH}：{'、'.join(c.counted_from_first_month)}"
    return text


def _unit_values(catalog: Catalog, code: str, sums: dict[str, dict],
                 stock_only: bool) -> tuple[dict[str, CellValue], dict[str, CellValue]]:
    """One unit's span figures from the grouped sums (see the module docstring): exact and as printed.

    Run for every unit and cell (25,000 of them in a region's year): one dict per source and unit, looked up
    by cell id, no tuple keys."""
    empty: dict = {}
    span, first, last, latest, before = (sums[k].get(code, empty) for k in ("span", "first", "last", "latest", "before"))
    if stock_only:
        span = first = last = empty
    none = (None, None, None, None)
    exact: dict[str, CellValue] = {}
    printed: dict[str, CellValue] = {}
    for cid, kind in _kinds(catalog):
        if kind == STOCK:
            n = last.get(cid) or before.get(cid) or none
            exact[cid], printed[cid] = CellValue(n[0], n[0], n[1], n[1]), CellValue(n[2], n[2], n[3], n[3])
            continue
        y = latest.get(cid, none)
        n = (first if kind == OPENING else last if kind == CLOSING else span).get(cid, none)
        exact[cid], printed[cid] = CellValue(n[0], y[0], n[1], y[1]), CellValue(n[2], y[2], n[3], y[3])
    _ratios(catalog, exact)
    _ratios(catalog, printed)
    return exact, printed


_KINDS: dict[str, list[tuple[str, str]]] = {}


def _kinds(catalog: Catalog) -> list[tuple[str, str]]:
    """(cell id, how it adds up over time) of every cell but the ratios, once per catalogue version."""
    if catalog.version not in _KINDS:
        _KINDS[catalog.version] = [(cid, c.ytd) for cid, c in catalog.cells().items() if c.ytd != RATIO]
    return _KINDS[catalog.version]


def _ratios(catalog: Catalog, values: dict[str, CellValue]) -> None:
    fill_ratios(catalog.cells(), values)  # the one ratio formula (stats/annex1.py)


def as_printed(table: Annex1Table) -> dict[str, CellValue]:
    """A table's figures as it prints them (money: the printed 万元, footing, back in 分)."""
    out = {}
    for cid, cell in table.catalog.cells().items():
        v = table.values[cid]
        if cell.is_money:
            v = CellValue(*(None if getattr(v, w) is None else wan_to_fen(table.printed(cid, w)) for w in WHICH))
        out[cid] = v
    return out


def consolidation(desk: Desk, period: str | Period, *, include_own: bool | None = None) -> Consolidation:
    """This unit's consolidated 附件1 over any period, with what it covers (see the module docstring).

    ``include_own``: add the office's own records (default: when it keeps any)."""
    p = period if isinstance(period, Period) else Period.parse(period)
    catalog = desk.figures.catalog_for(p)
    me = desk.unit
    db = desk.db
    months = [m.code for m in p.month_periods()]
    today = desk.today()
    ended = [m.code for m in p.month_periods() if m.end < today]
    year_rows = received.month_packages(db, f"{p.year}-01", months[-1])
    span_rows = [r for r in year_rows if r[3] >= months[0]]
    wrong = sorted({r[4] for r in span_rows if r[4] != catalog.version})
    if wrong:
        names = "、".join(sorted({r[2] for r in span_rows if r[4] in wrong}))[:200]
        raise IpdeskError(f"{names}的数据使用统计表版本 {'、'.join(wrong)}，与汇总所用版本 {catalog.version} 不同，不能汇总",
                          "catalogue versions differ")
    by_unit: dict[str, list] = {}
    for r in span_rows:
        by_unit.setdefault(r[1], []).append(r)
    latest: dict[str, int] = {}
    for r in year_rows:  # ordered by unit, month: the last one wins
        latest[r[1]] = r[0]
    subs = [(u["code"], u["name"]) for u in desk.office.subordinate_units()]
    known = {code for code, _ in subs}
    unit_names = {r[1]: r[2] for r in year_rows}
    subs += [(code, unit_names[code]) for code in sorted(latest) if code not in known]  # sent, since unregistered
    absent = [code for code, _ in subs if code not in by_unit]
    now, year = ("current", "prev_current", "p_current", "p_prev_current"), ("ytd", "prev_ytd", "p_ytd", "p_prev_ytd")
    # The span's first and last packages and those before it are read only for the cells they give (the
    # stocks at its ends): the span's flows and the year's cumulative figures need every cell.
    opening, closing, stock = ([cid for cid, kind in _kinds(catalog) if kind == k] for k in (OPENING, CLOSING, STOCK))
    before = received.latest_before(db, months[0], absent)
    sums = {
        "span": received.cell_sums(db, {code: [r[0] for r in rows] for code, rows in by_unit.items()}, now),
        "first": received.cell_sums(db, {code: [rows[0][0]] for code, rows in by_unit.items()}, now, opening),
        "last": received.cell_sums(db, {code: [rows[-1][0]] for code, rows in by_unit.items()}, now, closing + stock),
        "latest": received.cell_sums(db, {code: [pid] for code, pid in latest.items()}, year),
        "before": received.cell_sums(db, {code: [pid] for code, pid in before.items()}, now, stock),
    }
    with_before = set(before)
    units = []
    for code, name in subs:
        sent = [r[3] for r in by_unit.get(code, [])]
        unit = UnitSpan(code, name, sent, [m for m in ended if m not in sent])
        if sent or code in latest or code in with_before:
            unit.values, unit.printed = _unit_values(catalog, code, sums, not sent)
        units.append(unit)
    own = None
    if include_own or (include_own is None and received.has_own_records(db, me["code"])):
        own = desk.figures.annex1(p, catalog)
    exact = [u.values for u in units if u.values] + ([own.values] if own is not None else [])
    printed = [u.printed for u in units if u.printed] + ([as_printed(own)] if own is not None else [])
    values: dict[str, CellValue] = {}
    for cid, _ in _kinds(catalog):
        cells = [part[cid] for part in exact]
        values[cid] = CellValue(_sum([v.current for v in cells]), _sum([v.ytd for v in cells]),
                                _sum([v.prev_current for v in cells]), _sum([v.prev_ytd for v in cells]))
    _ratios(catalog, values)
    sources = [(short_name(u.name), u.values) for u in units if u.values]
    without, partial = _previous_year_gaps(catalog, sources + ([("本级", own.values)] if own is not None else []),
                                           values)
    # Each money leaf prints as the sum of what the units printed; totals foot from those (stats/footing.py).
    leaf = {}
    for cid in leaf_money_cells(catalog):
        cells = [part[cid] for part in printed]
        for w in WHICH:
            fen = _sum([getattr(v, w) for v in cells])
            leaf[(cid, w)] = None if fen is None else wan(fen)
    table = Annex1Table(catalog, me["code"], me["name"], p, {cid: values[cid] for cid in catalog.cells()},
                        money_precision_fen=100 * max(1, len(exact)), leaf_printed=leaf, prev_partial=partial)
    # A unit's 本年累计 is its latest package's of the year: that package says whether it starts after January.
    notes = received.coverage_notes(db, [pid for code, pid in latest.items()])
    from_first = [short_name(u.name) for u in units if latest.get(u.code) in notes]
    if own is not None and own.coverage_note:
        from_first.insert(0, "本级")
    c = Consolidation(p, dict(me), catalog, table, units, own, [r[0] for r in span_rows], ended, without, from_first)
    table.scope = c.scope()
    if from_first:  # carried in the city's own package: the region names the city
        table.coverage_note = f"{'、'.join(from_first)}的{FROM_FIRST_MONTH}"
    return c


def _previous_year_gaps(catalog: Catalog, sources: list[tuple[str, dict[str, CellValue]]],
                        summed: dict[str, CellValue]) -> tuple[list[str], set[tuple[str, str]]]:
    """The units (names) that reported a figure of this year (本期 or 本年累计) without its 上年同期, and the
    summed cells whose 上年同期 is then the sum of the other units only ``(cell id, prev_current/prev_ytd)``."""
    names: list[str] = []
    partial: set[tuple[str, str]] = set()
    # A typed-in figure (辖区重点实体市场数量) first entered this year has no 上年同期 whatever the unit kept: its
    # cell shows —, but the unit is not named as one without previous-year data for it.
    typed_in = {c.id for c in catalog.manual_cells()}
    for name, values in sources:
        lacks = False
        for cid, _ in _kinds(catalog):
            v = values[cid]
            for now, before in PREVIOUS_YEAR.items():
                if getattr(v, now) is not None and getattr(v, before) is None:
                    lacks = lacks or cid not in typed_in
                    if getattr(summed[cid], before) is not None:
                        partial.add((cid, before))
        if lacks:
            names.append(name)
    for cid, cell in catalog.cells().items():  # a ratio of a partial numerator or denominator
        if cell.ytd == RATIO:
            terms = [cell_id(cell.part.id, x) for x in cell.indicator.ratio_of]
            partial |= {(cid, before) for before in PREVIOUS_YEAR.values() if any((t, before) in partial for t in terms)}
    return names, partial


def consolidated_annex2(desk: Desk, c: Consolidation) -> Annex2Table:
    """附件2 of the span: every row the units sent for its months (a case listed in two months of the
    span once, as its latest month lists it, with its money from the month it counted in), each with its
    办案单位, after the office's own rows; its second total row is the consolidated 附件1's."""
    catalog, p, me = c.catalog, c.period, c.unit
    rows: list[dict] = []
    if c.own is not None:
        rows += desk.figures.annex2(p).rows
    by_unit: dict[str, dict] = {}
    money = [col for col in catalog.annex2_columns if col.is_money]
    for code, _, a2 in received.package_annex2(desk.db, c.package_ids):
        unit_rows = by_unit.setdefault(code, {})
        for row in annex2_from_json(json.loads(a2)).rows:
            key = row["case_no"] or f"{row['name']}|{row['filed_date']}"
            before = unit_rows.pop(key, None)
            if before is not None:  # money shows in the month it counts in (its 处罚决定): keep it
                for col in money:
                    if row.get(col.id) is None and before.get(col.id) is not None:
                        row[col.id], row[f"{col.id}_fen"] = before[col.id], before.get(f"{col.id}_fen")
                row["amount_fen"], row["penalty_fen"] = row.get("amount_wan_fen"), row.get("penalty_wan_fen")
            unit_rows[key] = row  # months come in order: the latest listing wins
    for row in rows:  # the office's own (drill-down finds a unit's rows by its code)
        row["unit_code"] = me["code"]
    for code in sorted(by_unit):
        rows += [{**row, "unit_code": code} for row in sorted(by_unit[code].values(),
                                                              key=lambda r: r["filed_date"] or "9999")]
    out = [{**row, "seq": n} for n, row in enumerate(rows, 1)]
    table = Annex2Table(catalog, me["code"], me["name"], p.label, p.code, out)
    table.scope = c.scope()
    return table.reconcile_with(c.annex1)


def consolidate(desk: Desk, period: str | Period, *, include_own: bool | None = None
                ) -> tuple[Annex1Table, Annex2Table]:
    """The consolidated 附件1 and 附件2 of this unit for any period."""
    c = consolidation(desk, period, include_own=include_own)
    return c.annex1, consolidated_annex2(desk, c)


# What a 附件2 row shows of the conditions a part B column counts by (its other conditions — 程序, the
# 重点实体市场/农村/外商 flags, 案值 — are not printed in 附件2).
_ROW_SHOWS = {"flag_ecommerce": ("is_ecommerce", "是"), "outcome": ("is_referred", "是")}


def annex2_rows_behind(period: Period, catalog: Catalog, cell_id: str, rows: list[dict],
                       unit_code: str | None = None, which: str = "current") -> tuple[list[dict], str]:
    """The 附件2 rows (of ``unit_code``, or all) behind a 附件1 case cell, and a note saying what the list
    cannot show ("" when it is exact). 附件2 lists the cases filed or closed in the span, so only 本期 cells
    of part B (案件查办) have rows behind them."""
    cell = catalog.cell(cell_id)
    m = cell.measure
    if cell.row is None or m is None or (m.table != "cases" and m.agg not in (OPEN_AT_START, OPEN_AT_END)):
        return [], "该指标不是按案件统计的，附件2中没有对应的案件"
    if which != "current":
        return [], f"附件2只列{period.label}立案或结案的案件，{SPAN_LABELS[which]}数没有对应的明细"
    start, end = period.start.isoformat(), period.end.isoformat()
    note = ""
    if m.agg == OPEN_AT_START:  # filed before the span, not closed at its start: listed if closed in it
        def counts(r):
            return bool(r["filed_date"]) and r["filed_date"] < start and (not r["closed_date"] or r["closed_date"] >= start)
        note = "附件2只列期内立案或结案的案件：期初未结、期内仍未结案的案件不在其中"
    elif m.agg == OPEN_AT_END:
        def counts(r):
            return bool(r["filed_date"]) and r["filed_date"] <= end and (not r["closed_date"] or r["closed_date"] > end)
        note = "附件2只列期内立案或结案的案件：期初前立案、期内仍未结案的案件不在其中"
    elif m.date in ("filed_date", "closed_date"):
        def counts(r):
            return bool(r[m.date]) and start <= r[m.date] <= end
    elif m.date == "decision_date":  # a money column: the rows whose amounts count in the span
        def counts(r):
            return any(r.get(c.id) is not None for c in catalog.annex2_columns if c.is_money)
    else:  # 移送司法机关 by its referral date, which 附件2 does not print
        def counts(r):
            return True
        note = f"“{cell.column_label}”按移送日期统计，附件2未列移送日期：列出的是期内立案或结案且已移送的案件"
    hidden = []
    shown = []
    for field_, op, value in m.where:
        if field_ in _ROW_SHOWS and op == "=" and (field_ != "outcome" or value == enums.OUTCOME_REFER_JUDICIAL):
            shown.append(_ROW_SHOWS[field_])
        else:
            hidden.append(field_)
    if hidden and not note:
        note = f"附件2没有“{cell.column_label}”所依据的字段，列出的是符合其余条件的全部案件，件数可能多于本格数字"
    categories = set(cell.row.categories)
    out = [r for r in rows if (unit_code is None or r.get("unit_code") == unit_code) and r["category"] in categories
           and counts(r) and all(r.get(col) == v for col, v in shown)]
    return out, note

