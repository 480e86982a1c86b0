"""Checks on a 附件1 table (§4): the catalogue's rules, year-to-date continuity and outliers.

Hard errors block approval; warnings need a short explanation that travels with the
submission. The same functions run on a table derived here, read from a package or
consolidated from many units.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from statistics import median

from ..catalog.model import FLOW, SPAN_LABELS
from .annex1 import Annex1Table, format_value

ERROR, WARNING = "error", "warning"
OUTLIER_FACTOR = 3
COUNT_MEDIAN_FLOOR = 2
MONEY_MEDIAN_FLOOR_FEN = 1_000_000  # 1 万元


@dataclass
class Finding:
    severity: str
    key: str  # stable id, used to attach an explanation
    message: str
    cell_id: str | None = None
    which: str | None = None
    case_ids: list[int] = field(default_factory=list)

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def to_json(self) -> dict:
        return {"severity": self.severity, "key": self.key, "message": self.message,
                "cell": self.cell_id, "which": self.which, "cases": self.case_ids}


def _where(table: Annex1Table, cid: str, which: str) -> str:
    cell = table.catalog.cell(cid)
    place = cell.place
    return f"{place}（{SPAN_LABELS[which]}）"


def _tolerance(table: Annex1Table, cell_id: str, terms: int) -> float:
    """Exact for derived tables; for money read from print, the rounding of each term and the result."""
    if table.money_precision_fen and table.catalog.cell(cell_id).is_money:
        return table.money_precision_fen / 2 * (terms + 1)
    return 1e-9


def check_rules(table: Annex1Table) -> list[Finding]:
    out = []
    values = table.values
    for rule, left, plus, minus in table.catalog.rule_places():
        for which in ("current", "ytd"):
            lv = getattr(values[left], which)
            if lv is None:
                continue
            added = [getattr(values[cid], which) for cid in plus]
            taken = [getattr(values[cid], which) for cid in minus]
            if None in added or None in taken:
                continue
            total = sum(added) - sum(taken)
            tol = _tolerance(table, left, len(added) + len(taken))
            if rule.kind == "rowsum":
                if abs(lv - total) > tol:
                    cell = table.catalog.cell(left)
                    out.append(Finding(ERROR, f"rowsum:{left}:{which}",
                                       f"{_where(table, left, which)} {rule.message}：现为 {format_value(cell, lv)}，"
                                       f"各行之和为 {format_value(cell, total)}", left, which))
                continue
            bad = ((rule.kind == "eq" and abs(lv - total) > tol)
                   or (rule.kind == "le" and lv > total + tol)
                   or (rule.kind == "nonneg" and lv < 0))
            if bad:
                cell = table.catalog.cell(left)
                detail = "" if rule.kind == "nonneg" else \
                    f"：现为 {format_value(cell, lv)}，应{'≤' if rule.kind == 'le' else '='} {format_value(cell, total)}"
                out.append(Finding(ERROR, f"rule:{left}:{which}", f"{_where(table, left, which)} {rule.message}{detail}",
                                   left, which))
    return out


def check_ytd_not_below_period(table: Annex1Table) -> list[Finding]:
    """本年累计 can never be less than 本期 for a flow cell (a table typed in by hand may say so)."""
    out = []
    for cid, cell in table.catalog.cells().items():
        now, ytd = table.value(cid, "current"), table.value(cid, "ytd")
        if cell.ytd == FLOW and None not in (now, ytd) and ytd < now - _tolerance(table, cid, 1):
            out.append(Finding(ERROR, f"ytd_below:{cid}", f"{_where(table, cid, 'ytd')} 为 {format_value(cell, ytd)}，"
                               f"不能小于本期 {format_value(cell, now)}", cid, "ytd"))
    return out


def check_continuity(table: Annex1Table, previous_month: Annex1Table) -> list[Finding]:
    """本年累计 = last month's 本年累计 + 本月, for every flow cell (month periods after January)."""
    out = []
    for cid, cell in table.catalog.cells().items():
        if cell.ytd != FLOW:
            continue
        ytd, now, before = table.value(cid, "ytd"), table.value(cid, "current"), previous_month.value(cid, "ytd")
        if None in (ytd, now, before):
            continue
        if abs(ytd - (before + now)) > 1e-9:
            out.append(Finding(ERROR, f"ytd:{cid}", f"{_where(table, cid, 'ytd')} 应等于上月累计 "
                               f"{format_value(cell, before)} ＋ 本月 {format_value(cell, now)}", cid, "ytd"))
    return out


def check_outliers(table: Annex1Table) -> list[Finding]:
    """A month's cell at least 3× its 12-month median: a warning that asks for an explanation."""
    out = []
    flagged_columns: set[tuple[str, str]] = set()  # a subtotal repeating its row's outlier is not asked again
    cells = table.catalog.cells()
    for cid in sorted(table.monthly, key=lambda c: cells[c].row.level if cells[c].row else 0):
        series = table.monthly[cid]
        cell = cells[cid]
        column = (cell.part.id, cell.column.id) if cell.column else None
        if column and cell.row.level > 0 and column in flagged_columns:
            continue
        history = [v for v in series.values() if v is not None]
        now = table.value(cid, "current")
        if len(history) < 12 or now is None:
            continue
        mid = median(history)
        # Small numbers jump by chance (1 → 3 cases); only a material median is compared.
        floor = MONEY_MEDIAN_FLOOR_FEN if cell.is_money else COUNT_MEDIAN_FLOOR
        if mid >= floor and now >= OUTLIER_FACTOR * mid:
            out.append(Finding(WARNING, f"outlier:{cid}",
                               f"{_where(table, cid, 'current')} 为 {format_value(cell, now)}，"
                               f"达到近12个月中位数 {format_value(cell, mid)} 的{now / mid:.1f}倍，请说明原因",
                               cid, "current"))
            if column:
                flagged_columns.add(column)
    return out


def check_table(table: Annex1Table, previous_month: Annex1Table | None = None) -> list[Finding]:
    found = check_rules(table) + check_ytd_not_below_period(table)
    if previous_month is not None:
        found += check_continuity(table, previous_month)
    found += check_outliers(table)
    return found
