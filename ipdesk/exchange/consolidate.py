"""Consolidation (city mode): the city's 附件1 and 附件2 from the latest package of each subordinate
unit plus the city office's own records (it investigates cases too).

附件1 adds up per catalogue rule: flow, opening and closing cells sum; a stock cell sums
each unit's latest value (a unit that has not sent this month counts with its latest
earlier value); ratios are recomputed from their summed numerator and denominator; a
cell that no unit reported stays ``None`` (未填报), never 0. 附件2 concatenates the rows,
each keeping its 办案单位. The results are ordinary tables, so the same checks and
renderers apply, and the city's own package carries them upward.
"""
from __future__ import annotations

import json

from ..catalog.model import RATIO, SPAN_LABELS, STOCK, Catalog
from ..db import received as received_db
from ..desk import Desk
from ..domain.periods import Period
from ..errors import IpdeskError
from ..stats.annex1 import Annex1Table, CellValue, fill_ratios
from ..stats.annex2 import Annex2Table
from .tables import annex1_from_json, annex2_from_json

WHICH = tuple(SPAN_LABELS)


def _sum(values):
    present = [v for v in values if v is not None]
    return sum(present) if present else None


def received_tables(desk: Desk, period: Period) -> list[tuple[Annex1Table, Annex2Table]]:
    """The latest accepted package of each subordinate unit for the month, as tables."""
    rows = received_db.counting_tables(desk.db, period.code)
    return [(annex1_from_json(json.loads(a1)), annex2_from_json(json.loads(a2))) for a1, a2 in rows]


def _latest_stock(desk: Desk, period: Period, absent: set[str], stock_ids: list[str]) -> dict[str, dict]:
    """For units without this month's package: their latest earlier value of each stock cell."""
    if not absent or not stock_ids:
        return {}
    out: dict[str, dict] = {}
    for code, a1 in received_db.earlier_counting_annex1(desk.db, period.code, sorted(absent)):
        if code in out:
            continue
        cells = {c["id"]: c for c in json.loads(a1)["cells"] if c["id"] in stock_ids}
        out[code] = {cid: (cells[cid].get("base") or {}).get("current") for cid in stock_ids if cid in cells}
    return out


def combine_annex1(catalog: Catalog, unit_code: str, unit_name: str, period: Period,
                   tables: list[Annex1Table], stock_extra: list[dict] = ()) -> Annex1Table:
    """Add tables up per catalogue rule (see the module docstring)."""
    for t in tables:
        if t.catalog.version != catalog.version:
            raise IpdeskError(f"{t.unit_name}的数据使用统计表版本 {t.catalog.version}，与汇总所用版本 {catalog.version} 不同，"
                              "不能汇总", "catalogue versions differ")
    values: dict[str, CellValue] = {}
    cells = catalog.cells()
    for cid, cell in cells.items():
        if cell.ytd == RATIO:
            continue
        v = CellValue(**{w: _sum(t.values[cid].__getattribute__(w) for t in tables) for w in WHICH})
        if cell.ytd == STOCK:
            extra = [e.get(cid) for e in stock_extra]
            v.current = _sum([v.current, *extra])
            v.ytd = _sum([v.ytd, *extra])
        values[cid] = v
    fill_ratios(cells, values)
    return Annex1Table(catalog, unit_code, unit_name, period, {cid: values[cid] for cid in cells})


def consolidate(desk: Desk, period: str | Period, *, include_own: bool = True) -> tuple[Annex1Table, Annex2Table]:
    """The consolidated 附件1 and 附件2 of this unit for a month."""
    p = period if isinstance(period, Period) else Period.parse(period)
    catalog = desk.catalog_for(p)
    me = desk.unit
    received = received_tables(desk, p)
    own1 = [desk.annex1(p)] if include_own else []
    tables1 = own1 + [a1 for a1, _ in received]
    sent = {a1.unit_code for a1, _ in received}
    absent = {u["code"] for u in desk.subordinate_units()} - sent
    stock_ids = [cid for cid, c in catalog.cells().items() if c.ytd == STOCK]
    stock_extra = list(_latest_stock(desk, p, absent, stock_ids).values())
    annex1 = combine_annex1(catalog, me["code"], me["name"], p, tables1, stock_extra)
    rows = []
    sources = ([desk.annex2(p)] if include_own else []) + [a2 for _, a2 in received]
    for table in sources:
        for row in table.rows:
            rows.append({**row, "seq": len(rows) + 1})
    annex2 = Annex2Table(catalog, me["code"], me["name"], p.label, p.code, rows)
    return annex1, annex2
