"""Drill-down from a consolidated (汇总) 附件1 cell: each unit's figure as it sent it, summing to the cell;
double-clicking a unit lists the 附件2 rows it sent behind the cell (a case cell of 本期)."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QAbstractItemView, QDialog, QHeaderView, QTableWidget, QTableWidgetItem

from ..catalog.model import RATIO, SPAN_LABELS
from .context import AppContext
from .screen_fit import fit_size
from .widgets.list_dialog import lay_out_list_dialog
from ..exchange.consolidate import annex2_rows_behind, consolidated_annex2

CODE_ROLE = Qt.UserRole
TOTAL_BG = "#e5e8e8"


def unit_value_text(cell, value) -> str:
    """A unit's figure as it printed it (money: 分 of its printed 万元)."""
    if value is None:
        return "—"
    if cell.is_money:
        return f"{value / 1_000_000:.4f}"
    return str(int(value)) if isinstance(value, (int, float)) and float(value).is_integer() else f"{value:g}"


def _item(text: str, *, right: bool = False, bold: bool = False) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(Qt.ItemIsEnabled | Qt.ItemIsSelectable)
    if right:
        item.setTextAlignment(Qt.AlignRight | Qt.AlignVCenter)
    if bold:
        f = item.font()
        f.setBold(True)
        item.setFont(f)
        item.setBackground(QBrush(QColor(TOTAL_BG)))
    return item


class UnitsBehindDialog(QDialog):
    """The units behind one cell of a :class:`~ipdesk.exchange.consolidate.Consolidation`."""

    def __init__(self, ctx: AppContext, consolidation, cell_id: str, which: str, shown: str, parent=None):
        super().__init__(parent)
        self.ctx, self.c, self.cell_id, self.which = ctx, consolidation, cell_id, which
        self.last_rows: CaseRowsDialog | None = None
        self._annex2 = None
        cell = consolidation.catalog.cell(cell_id)
        self.cell = cell
        self.setWindowTitle("汇总数据的来源")
        self.setObjectName("annex1_units_behind")
        fit_size(self, 640, 480)
        self.place = f"{consolidation.period.label} {cell.place}（{SPAN_LABELS[which]}）"
        self.heading = f"{self.place} = {shown}"
        rows = []  # (code, name, value text, months text)
        if consolidation.own is not None:
            me = consolidation.unit
            rows.append((me["code"], f"{me['name']}（本级）", consolidation.own.display(cell_id, which), "本级记录"))
        for unit in consolidation.units:
            months = "、".join(str(int(m[5:])) for m in unit.sent) + "月" if unit.sent else "未报送"
            rows.append((unit.code, unit.name, unit_value_text(cell, unit.printed_value(cell_id, which)), months))
        self.table = QTableWidget(len(rows) + 1, 3)
        self.table.setHorizontalHeaderLabels(["单位", "数值", "报送月份"])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        for r, (code, name, value, months) in enumerate(rows):
            first = _item(name)
            first.setData(CODE_ROLE, code)
            self.table.setItem(r, 0, first)
            self.table.setItem(r, 1, _item(value, right=True))
            self.table.setItem(r, 2, _item(months))
        self.table.setItem(len(rows), 0, _item("合计（汇总表数字）", bold=True))
        self.table.setItem(len(rows), 1, _item(shown, right=True, bold=True))
        self.table.setItem(len(rows), 2, _item("", bold=True))
        h = self.table.horizontalHeader()
        h.setSectionResizeMode(0, QHeaderView.Stretch)
        h.setSectionResizeMode(1, QHeaderView.ResizeToContents)
        h.setSectionResizeMode(2, QHeaderView.ResizeToContents)
        self.table.cellDoubleClicked.connect(lambda r, _c: self.open_unit(r))
        if cell.ytd == RATIO:
            hint = "比率按汇总后的分子、分母重新计算，不是各单位比率之和。"
        elif cell.part.is_grid and which == "current":
            hint = "各单位数字之和即汇总表数字。双击一个单位查看其报送的附件2中对应的案件。"
        else:
            hint = "各单位数字之和即汇总表数字。"
        self.summary = lay_out_list_dialog(self, f"<b>{self.heading}</b><br>{hint}", self.table)

    def values(self) -> dict[str, str]:
        """Unit name → shown figure (the 合计 row included)."""
        return {self.table.item(r, 0).text(): self.table.item(r, 1).text() for r in range(self.table.rowCount())}

    def row_of(self, unit_code: str) -> int:
        return next(r for r in range(self.table.rowCount()) if self.table.item(r, 0).data(CODE_ROLE) == unit_code)

    def open_unit(self, row: int) -> None:
        """The 附件2 rows the unit on ``row`` sent behind this cell (built on the worker)."""
        code = self.table.item(row, 0).data(CODE_ROLE)
        if code is None:
            return  # the 合计 row
        name = self.table.item(row, 0).text()

        desk, c, cell_id, which = self.ctx.desk, self.c, self.cell_id, self.which

        def load():
            if self._annex2 is None:
                self._annex2 = consolidated_annex2(desk, c)
            return annex2_rows_behind(c.period, c.catalog, cell_id, self._annex2.rows, code, which)

        def show(result):
            rows, note = result
            title = f"{name}　{self.place} = {self.table.item(row, 1).text()}"
            dialog = CaseRowsDialog(c.catalog, title, rows, note, self)
            self.last_rows = dialog
            dialog.open()
        self.ctx.ops.run(load, show, parent=self, progress="正在读取附件2明细…", emit_changes=False)


class CaseRowsDialog(QDialog):
    """附件2 rows a unit sent, as printed (read-only: they are the unit's, not this office's records)."""

    def __init__(self, catalog, title: str, rows: list[dict], note: str, parent=None):
        super().__init__(parent)
        self.rows = rows
        self.setWindowTitle(f"附件2明细：{title}")
        fit_size(self, 1100, 480)
        cols = [c for c in catalog.annex2_columns if c.id != "seq"]
        self.table = QTableWidget(len(rows), len(cols))
        self.table.setHorizontalHeaderLabels([c.label for c in cols])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setAlternatingRowColors(True)
        for r, row in enumerate(rows):
            for k, col in enumerate(cols):
                value = row.get(col.id)
                if col.is_money:
                    text = "—" if value is None else f"{float(value):.4f}"
                else:
                    text = "" if value is None else str(value)
                item = _item(text, right=col.is_money)
                if len(text) > 10:
                    item.setToolTip(text)
                self.table.setItem(r, k, item)
        self.table.resizeColumnsToContents()
        for k in range(len(cols)):
            self.table.setColumnWidth(k, min(self.table.columnWidth(k), 220))
        text = f"<b>{title}</b><br>共 {len(rows)} 件。"
        if note:
            text += f"<br><span style='color:#b9770e'>{note}</span>"
        self.summary = lay_out_list_dialog(self, text, self.table)
