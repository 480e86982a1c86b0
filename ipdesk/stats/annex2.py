"""附件2 查办案件明细表: one row per case filed or closed in the span, by 立案日期, with a money total."""
from __future__ import annotations

from dataclasses import dataclass

from ..catalog import get_catalog
from ..catalog.model import Catalog
from ..db import records
from ..domain import enums
from ..domain.identifiers import is_valid_id_number, mask_id_number
from ..domain.money import fen_to_wan
from ..domain.periods import Period
from ..db.connection import Database


@dataclass
class Annex2Table:
    catalog: Catalog
    unit_code: str
    unit_name: str
    period_label: str
    period_code: str
    rows: list[dict]  # column id -> printed value; plus "case_id", "amount_fen", "penalty_fen"

    @property
    def total_amount_fen(self) -> int:
        return sum(r["amount_fen"] for r in self.rows)

    @property
    def total_penalty_fen(self) -> int:
        return sum(r["penalty_fen"] for r in self.rows)

    def total_row(self) -> dict:
        row = {c.id: "" for c in self.catalog.annex2_columns}
        row["seq"] = "合计"
        row["amount_wan"] = fen_to_wan(self.total_amount_fen)
        row["penalty_wan"] = fen_to_wan(self.total_penalty_fen)
        return row

    def to_json(self) -> dict:
        """Rows keyed by the printed column names (README: annex2 JSON)."""
        cols = self.catalog.annex2_columns
        return {
            "table": self.catalog.annex2_title,
            "catalog_version": self.catalog.version,
            "unit_code": self.unit_code,
            "unit_name": self.unit_name,
            "period": self.period_code,
            "period_label": self.period_label,
            "columns": [c.label for c in cols],
            "rows": [{c.label: r[c.id] for c in cols} for r in self.rows],
            "total": {c.label: v for c, v in zip(cols, self.total_row().values()) if v != ""},
        }


def case_row(case: dict, seq: int, unit_name: str, *, mask_personal_ids: bool = False) -> dict:
    id_no = case.get("party_id_no") or ""
    if mask_personal_ids and is_valid_id_number(id_no):
        id_no = mask_id_number(id_no)
    penalty = (case.get("fine_fen") or 0) + (case.get("confiscated_fen") or 0)
    return {
        "seq": seq,
        "unit_name": unit_name,
        "name": case.get("name") or "",
        "case_no": case.get("case_no") or "",
        "category": case.get("category") or "",
        "party_name": case.get("party_name") or "",
        "party_id_no": id_no,
        "right_holder": case.get("right_holder") or "",
        "source": case.get("source") or "",
        "filed_date": case.get("filed_date") or "",
        "goods": case.get("goods") or "",
        "amount_wan": fen_to_wan(case.get("amount_involved_fen") or 0),
        "penalty_wan": fen_to_wan(penalty),
        "decision_no": case.get("decision_no") or "",
        "closed_date": case.get("closed_date") or "",
        "outcome": case.get("outcome") or "",
        "is_ecommerce": "是" if case.get("flag_ecommerce") else "否",
        "is_referred": "是" if case.get("outcome") == enums.OUTCOME_REFER_JUDICIAL else "否",
        "handler": case.get("handler") or "",
        "remarks": case.get("remarks") or "",
        "case_id": case.get("id"),
        "amount_fen": case.get("amount_involved_fen") or 0,
        "penalty_fen": penalty,
    }


def compute_annex2(db: Database, unit_code: str, unit_name: str, period: Period, *,
                   catalog: Catalog | None = None, mask_personal_ids: bool = False,
                   start: str | None = None, end: str | None = None) -> Annex2Table:
    """The detail table for a period, or for an explicit ISO date range when ``start``/``end`` are given."""
    catalog = catalog or get_catalog()
    first, last = start or period.start.isoformat(), end or period.end.isoformat()
    cases = records.cases_in_span(db, unit_code, first, last)
    rows = [case_row(c, n, unit_name, mask_personal_ids=mask_personal_ids) for n, c in enumerate(cases, 1)]
    label = period.label if not (start or end) else f"{first} 至 {last}"
    return Annex2Table(catalog, unit_code, unit_name, label, period.code, rows)
