"""附件2 查办案件明细表: one row per case filed or closed in the span, by 立案日期, with two total rows.

Money follows 附件1: a money column names the 附件1 column it reconciles with
(``Annex2Column.annex1_column``); a case shows an amount only when that column counts it in the span
(the same measure and date: 罚没款 and 涉案金额 by 处罚决定日期), else ``None`` (printed —). The totals are
``total_row()`` — the sum of the printed rows — and ``annex1_row()`` — the figure this span's 附件1
prints (its 合计 row), which also holds cases decided in the span but neither filed nor closed in it.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from ..catalog import get_catalog
from ..catalog.model import Catalog, Measure
from ..db import aggregate, records
from ..domain import enums
from ..domain.identifiers import infer_party_kind, masked_for_upward
from ..domain.money import footed, wan, wan_to_fen
from ..domain.periods import Period
from ..db.connection import Database
from .footing import printed_money

# The current catalogue's labels of the two total rows (a table prints its own catalogue's).
LISTED_LABEL = get_catalog().annex2_listed_label
ANNEX1_LABEL = get_catalog().annex2_annex1_label


@dataclass
class Annex2Table:
    catalog: Catalog
    unit_code: str
    unit_name: str
    period_label: str
    period_code: str
    rows: list[dict]  # column id -> printed value (money: 万元 float or None); plus "case_id", "<col>_fen"
    # 附件1's printed figure (its 合计 row) per money column id, when known: the second total row.
    in_annex1: dict[str, Decimal | None] | None = None
    scope: dict | None = None  # a consolidation: the units it covers (exchange/consolidate.py)

    def money_columns(self):
        return [c for c in self.catalog.annex2_columns if c.is_money]

    @property
    def total_amount_fen(self) -> int:
        return sum(r.get("amount_fen") or 0 for r in self.rows)

    @property
    def total_penalty_fen(self) -> int:
        return sum(r.get("penalty_fen") or 0 for r in self.rows)

    def listed_total(self, col_id: str) -> Decimal:
        """The sum of the printed amounts of the listed rows (what a reviewer adds up)."""
        return footed(Decimal(str(r[col_id])) for r in self.rows if r.get(col_id) is not None) or Decimal("0.0000")

    def total_row(self) -> dict:
        row: dict[str, object] = {c.id: "" for c in self.catalog.annex2_columns}
        row["seq"] = "合计"
        for c in self.money_columns():
            row[c.id] = float(self.listed_total(c.id))
        return row

    def annex1_row(self) -> dict | None:
        """附件1's figures for the span, or None when not known (then only the listed total is printed)."""
        if self.in_annex1 is None:
            return None
        row: dict[str, object] = {c.id: "" for c in self.catalog.annex2_columns}
        row["seq"] = self.catalog.annex2_annex1_label
        for c in self.money_columns():
            v = self.in_annex1.get(c.id)
            row[c.id] = None if v is None else float(v)
        return row

    def reconcile_with(self, annex1) -> "Annex2Table":
        """Take the second total row from an :class:`~ipdesk.stats.annex1.Annex1Table` of the same span
        (a consolidation's, for instance)."""
        self.in_annex1 = {c.id: annex1.printed(self.catalog.total_cell(c.annex1_column), "current")
                          for c in self.money_columns() if c.annex1_column}
        return self

    def to_json(self) -> dict:
        """Rows keyed by the printed column names (README: annex2 JSON)."""
        cols = self.catalog.annex2_columns
        out = {
            "table": self.catalog.annex2_title,
            "catalog_version": self.catalog.version,
            "unit_code": self.unit_code,
            "unit_name": self.unit_name,
            "period": self.period_code,
            "period_label": self.period_label,
            "columns": [c.label for c in cols],
            "rows": [{c.label: r[c.id] for c in cols} for r in self.rows],
            "total": {c.label: v for c, v in zip(cols, self.total_row().values()) if v != ""},
            **(self.scope or {}),
        }
        in_annex1 = self.annex1_row()
        if in_annex1 is not None:
            out["total_in_annex1"] = {c.label: in_annex1[c.id] for c in self.money_columns()}
        return out


def _matches(case: dict, where) -> bool:
    for field, op, value in where:
        v = case.get(field)
        if op == "=" and v != value or op == "in" and v not in value or op == ">=" and (v is None or v < value):
            return False
    return True


def counted_fen(case: dict, measure: Measure, first: str, last: str) -> int | None:
    """What ``measure`` (a 附件1 SUM column) counts of this case in [first, last], or None if it does not count it."""
    day = case.get(measure.date)
    if not day or not first <= day <= last or not _matches(case, measure.where):
        return None
    return sum(case.get(f) or 0 for f in measure.value)


def case_row(case: dict, seq: int, unit_name: str, *, mask_personal_ids: bool = False,
             span: tuple[str, str] | None = None, catalog: Catalog | None = None) -> dict:
    """A case as a printed row. With ``span``, money shows only what 附件1 counts in that span (else None)."""
    catalog = catalog or get_catalog()
    id_no = case.get("party_id_no") or ""
    if mask_personal_ids:  # an individual's ID always, a company's USCC never
        id_no = masked_for_upward(id_no, case.get("party_kind") or infer_party_kind(id_no))
    row = {c.source: case.get(c.source) or "" for c in catalog.annex2_columns if c.source}
    row.update({
        "seq": seq,
        "unit_name": unit_name,
        "party_id_no": id_no,
        "is_ecommerce": "是" if case.get("flag_ecommerce") else "否",
        "is_referred": "是" if case.get("outcome") == enums.OUTCOME_REFER_JUDICIAL else "否",
        "case_id": case.get("id"),
    })
    grid = catalog.grid()
    for c in catalog.annex2_columns:
        if not c.is_money:
            continue
        measure = next(col.measure for col in grid.columns if col.id == c.annex1_column)
        if span is None:  # the whole case, whatever its dates
            fen = sum(case.get(f) or 0 for f in measure.value)
        else:
            fen = counted_fen(case, measure, *span)
        row[c.id] = None if fen is None else float(wan(fen))
        row[f"{c.id}_fen"] = fen
    # the names older callers read
    row["amount_fen"], row["penalty_fen"] = row.get("amount_wan_fen"), row.get("penalty_wan_fen")
    return row


def annex1_money(db: Database, unit_code: str, catalog: Catalog, first: date, last: date) -> dict[str, Decimal]:
    """附件1's printed 合计 of each money column of 附件2 over [first, last]: the same measures and SQL as
    附件1 (aggregate.monthly_values by category), footed the same way (stats.footing)."""
    grid = catalog.grid()
    measures = {c.id: c.measure for c in grid.columns if catalog.cell(catalog.total_cell(c.id)).is_money}
    series = aggregate.monthly_values(db, unit_code, measures, first, last, row_field=grid.row_field)
    by_category: dict[str, dict] = {}
    for col_id, values in series.items():
        totals = by_category.setdefault(col_id, {})
        for (_, category), v in values.items():
            totals[category] = totals.get(category, 0) + v
    rows = {r.id: r for r in grid.rows}

    def value_of(cid: str, which: str) -> int:
        _, row_id, col_id = cid.split(".")
        totals = by_category.get(col_id, {})
        return sum(totals.get(c, 0) for c in rows[row_id].categories) if col_id in measures else 0

    printed = printed_money(catalog, value_of, "current")
    return {c.id: printed[catalog.total_cell(c.annex1_column)]
            for c in catalog.annex2_columns if c.is_money and c.annex1_column}


def compute_annex2(db: Database, unit_code: str, unit_name: str, period: Period, *,
                   catalog: Catalog | None = None, mask_personal_ids: bool = False,
                   start: str | None = None, end: str | None = None) -> Annex2Table:
    """The detail table for a period, or for an explicit ISO date range when ``start``/``end`` are given."""
    catalog = catalog or get_catalog()
    first, last = start or period.start.isoformat(), end or period.end.isoformat()
    cases = records.cases_in_span(db, unit_code, first, last)
    rows = [case_row(c, n, unit_name, mask_personal_ids=mask_personal_ids, span=(first, last), catalog=catalog)
            for n, c in enumerate(cases, 1)]
    label = period.label if not (start or end) else f"{first} 至 {last}"
    in_annex1 = annex1_money(db, unit_code, catalog, date.fromisoformat(first), date.fromisoformat(last))
    return Annex2Table(catalog, unit_code, unit_name, label, period.code, rows, in_annex1)


def row_money_from_json(row: dict, catalog: Catalog) -> None:
    """The ``*_fen`` keys of a row read back from JSON (printed 万元 → 分)."""
    for c in catalog.annex2_columns:
        if c.is_money:
            row[f"{c.id}_fen"] = None if row.get(c.id) is None else wan_to_fen(row[c.id])
    row["amount_fen"], row["penalty_fen"] = row.get("amount_wan_fen"), row.get("penalty_wan_fen")
