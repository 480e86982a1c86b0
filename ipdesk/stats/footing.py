"""Printed money of a 附件1: every money cell as printed, totals formed from printed parts so the form foots.

A leaf cell (a category row, a plain column) prints its exact value rounded by the one policy
(:func:`ipdesk.domain.money.wan`). A total prints the sum of its printed parts (:func:`~ipdesk.domain.money.footed`):
a 小计/合计 row sums the rows of its ``Row.sum_of``, a total column (罚没款合计) the columns of its
``Column.sum_of``. Both ways give the same figure for 合计·罚没款合计 (a sum is a sum), so the printed
table adds up along every row and column a reviewer checks.

A consolidation may pass ``leaf`` values (each leaf's printed value as the sum of the units' printed
values), so that its printed figures also equal the sum of what the units printed.
"""
from __future__ import annotations

from decimal import Decimal

from ..catalog.model import Catalog, cell_id
from ..domain.money import footed, wan

WHICH = ("current", "ytd", "prev_current", "prev_ytd")


def printed_money(catalog: Catalog, value_of, which: str,
                  leaf: dict[str, Decimal | None] | None = None) -> dict[str, Decimal | None]:
    """``{cell id: printed 万元}`` for every money cell; ``value_of(cell_id, which)`` gives the exact 分."""
    out: dict[str, Decimal | None] = {}
    for part in catalog.parts:
        if not part.is_grid:
            for ind in part.indicators:
                cid = cell_id(part.id, ind.id)
                if catalog.cell(cid).is_money:
                    out[cid] = leaf[cid] if leaf and cid in leaf else wan(value_of(cid, which))
            continue
        rows = {r.id: r for r in part.rows}
        cols = {c.id: c for c in part.columns}

        def cell(row_id: str, col_id: str) -> Decimal | None:
            cid = cell_id(part.id, row_id, col_id)  # noqa: B023 - called only within this iteration
            if cid in out:
                return out[cid]
            row, col = rows[row_id], cols[col_id]  # noqa: B023 - as above
            if row.sum_of:
                v = footed(cell(r, col_id) for r in row.sum_of)
            elif col.sum_of:
                v = footed(cell(row_id, c) if c[0] != "-" else _negate(cell(row_id, c[1:])) for c in col.sum_of)
            elif leaf and cid in leaf:
                v = leaf[cid]
            else:
                v = wan(value_of(cid, which))
            out[cid] = v
            return v

        for row in part.rows:
            for col in part.columns:
                if catalog.cell(cell_id(part.id, row.id, col.id)).is_money:
                    cell(row.id, col.id)
    return out


def _negate(value: Decimal | None) -> Decimal | None:
    return None if value is None else -value


def leaf_money_cells(catalog: Catalog) -> list[str]:
    """The money cells printed by rounding their own value (not totals of other printed cells): what a
    consolidation adds up unit by unit."""
    out = []
    for part in catalog.parts:
        if part.is_grid:
            out += [cell_id(part.id, r.id, c.id) for r in part.rows for c in part.columns
                    if not r.sum_of and not c.sum_of and catalog.cell(cell_id(part.id, r.id, c.id)).is_money]
        else:
            out += [cell_id(part.id, i.id) for i in part.indicators if catalog.cell(cell_id(part.id, i.id)).is_money]
    return out
