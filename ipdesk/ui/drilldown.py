"""The records behind a 附件1 cell (drill-down): which cases, inspections or work items make it what it is."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QDialog, QHeaderView, QTableWidget, QTableWidgetItem

from ..domain import fields as F
from ..domain.money import fen_to_yuan_text
from .context import AppContext
from .screen_fit import fit_size
from .widgets.list_dialog import lay_out_list_dialog

# The fields worth seeing in a drill-down list, per record kind (labels come from domain/fields.py).
DRILL_FIELDS = {
    "cases": ("name", "case_no", "category", "procedure", "filed_date", "decision_date", "closed_date",
              "amount_involved_fen", "fine_fen", "confiscated_fen", "recovered_fen", "outcome", "handler"),
    "inspections": ("date", "kind", "campaign", "place_kind", "subject_name", "subject_count", "officers"),
    "work_items": ("date", "kind", "title", "count_a", "count_b", "remarks"),
}
TABLE_LABEL = {"cases": "案件", "inspections": "检查记录", "work_items": "工作事项"}


def cell_text(f: F.Field, value) -> str:
    if value is None or value == "":
        return ""
    if f.kind == F.MONEY:
        return fen_to_yuan_text(value)
    if f.kind == F.FLAG:
        return "是" if value else "否"
    if isinstance(value, list):
        return "、".join(map(str, value))
    return str(value)


class DrillDownDialog(QDialog):
    """Lists ``rows`` of ``table``; double-clicking a case opens it in the case ledger (when it can)."""

    def __init__(self, ctx: AppContext, title: str, table: str, rows: list[dict], parent=None):
        super().__init__(parent)
        self.ctx, self.table_name, self.rows = ctx, table, rows
        self.setWindowTitle(f"明细：{title}")
        fit_size(self, 1000, 480)
        fmap = F.field_map(F.FIELDS_BY_TABLE[table])
        names = [n for n in DRILL_FIELDS[table] if n in fmap]
        self.table = QTableWidget(len(rows), len(names))
        self.table.setHorizontalHeaderLabels([fmap[n].label for n in names])
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.setSortingEnabled(False)
        for r, row in enumerate(rows):
            for c, name in enumerate(names):
                f = fmap[name]
                item = QTableWidgetItem(cell_text(f, row.get(name)))
                if f.kind in (F.MONEY, F.INT):
                    item.setTextAlignment(Qt.AlignRight | Qt.AlignVCenter)
                item.setData(Qt.UserRole, row.get("id"))
                self.table.setItem(r, c, item)
        self.table.horizontalHeader().setSortIndicator(-1, Qt.AscendingOrder)  # keep the given order
        self.table.setSortingEnabled(True)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.cellDoubleClicked.connect(self._open)
        hint = "双击一行打开案件。" if table == "cases" else ""
        self.summary = lay_out_list_dialog(self, f"<b>{title}</b><br>共 {len(rows)} 条{TABLE_LABEL[table]}。{hint}",
                                           self.table)

    def record_ids(self) -> list[int]:
        return [self.table.item(r, 0).data(Qt.UserRole) for r in range(self.table.rowCount())]

    def _open(self, row: int, _col: int) -> None:
        if self.table_name != "cases" or not self.ctx.navigate:
            return
        page = self.ctx.navigate("cases")
        if hasattr(page, "open_case"):
            self.accept()
            page.open_case(self.table.item(row, 0).data(Qt.UserRole))
