"""What changed between two versions of a unit's 附件1, cell by cell, as printed: a received package against the
one it replaces, or an approved month's sealed figures against the same month computed now."""
from __future__ import annotations

from dataclasses import dataclass

from ..catalog.model import SPAN_LABELS
from ..stats.annex1 import Annex1Table


@dataclass
class CellChange:
    cell_id: str
    where: str  # printed row·column and 本期/本年累计
    old: str
    new: str


def table_diff(old: Annex1Table, new: Annex1Table) -> list[CellChange]:
    """Every 附件1 cell whose 本期 or 本年累计 differs, printed old → new."""
    out = []
    for cid, cell in new.catalog.cells().items():
        for which in ("current", "ytd"):
            # As printed: a workbook holds the printed 万元, a package also the exact 分 behind them.
            a, b = old.display(cid, which), new.display(cid, which)
            if a != b:
                out.append(CellChange(cid, f"{cell.part.title} {cell.place}（{SPAN_LABELS[which]}）", a, b))
    return out
