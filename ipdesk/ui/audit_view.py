"""设置 → 操作日志: who changed what and when (old → new), filtered by dates, user, table and text, and
exported to Excel or CSV. Readable by 管理员 and 审核人 only (the desk refuses the others)."""
from __future__ import annotations

from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QFileDialog, QHBoxLayout, QHeaderView, QLabel,
                               QLineEdit, QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from ..db.audit_query import COLUMNS, TABLE_LABELS, export
from .context import AppContext

LIMIT = 2000


class AuditView(QWidget):
    def __init__(self, ctx: AppContext):
        super().__init__()
        self.ctx = ctx
        self.entries: list = []
        self.start = QLineEdit()
        self.start.setPlaceholderText("起始日期 2026-01-01")
        self.end = QLineEdit()
        self.end.setPlaceholderText("截止日期")
        self.user = QComboBox()
        self.table_filter = QComboBox()
        self.text = QLineEdit()
        self.text.setPlaceholderText("包含文字（案件名称、编号、操作…）")
        self.search_button = QPushButton("查询")
        self.export_button = QPushButton("导出…")
        for edit in (self.start, self.end, self.text):
            edit.returnPressed.connect(self.search)
        self.search_button.clicked.connect(self.search)
        self.export_button.clicked.connect(lambda: self.export_to())
        filters = QHBoxLayout()
        for label, w in (("从", self.start), ("至", self.end), ("用户", self.user), ("表", self.table_filter)):
            filters.addWidget(QLabel(label))
            filters.addWidget(w)
        filters.addWidget(self.text, 1)
        filters.addWidget(self.search_button)
        filters.addWidget(self.export_button)
        self.grid = QTableWidget(0, len(COLUMNS))
        self.grid.setHorizontalHeaderLabels(list(COLUMNS))
        self.grid.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.grid.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.grid.verticalHeader().setVisible(False)
        header = self.grid.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.Interactive)
        header.setStretchLastSection(True)
        for col, width in enumerate((150, 70, 220, 50, 80, 96, 260)):  # 记录: a setting by name (上次登录用户)
            self.grid.setColumnWidth(col, width)
        for edit in (self.start, self.end):
            edit.setMinimumWidth(100)
        self.text.setMinimumWidth(160)
        self.status = QLabel()
        self.status.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.grid, 1)
        layout.addWidget(self.status)
        self.permitted = False
        self.load_choices()

    def load_choices(self) -> None:
        desk = self.ctx.desk

        def task():
            if not desk.office.can_view_audit():
                return None
            return desk.office.audit_filter_choices()
        self.ctx.ops.run(task, self._choices, emit_changes=False)

    def _choices(self, choices) -> None:
        self.permitted = choices is not None
        for w in (self.start, self.end, self.user, self.table_filter, self.text, self.search_button,
                  self.export_button, self.grid):
            w.setEnabled(self.permitted)
        if not self.permitted:
            self.status.setText("只有管理员和审核人可以查看操作日志。")
            self.grid.setRowCount(0)
            return
        users, tables = choices
        for combo, values, labels in ((self.user, users, {}), (self.table_filter, tables, TABLE_LABELS)):
            current = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem("全部", None)
            for v in values:
                combo.addItem(labels.get(v, v), v)
            index = combo.findData(current)
            combo.setCurrentIndex(max(index, 0))
            combo.blockSignals(False)
        self.search()

    def filters(self) -> dict:
        return {"start": self.start.text().strip() or None, "end": self.end.text().strip() or None,
                "user": self.user.currentData(), "table": self.table_filter.currentData(),
                "text": self.text.text().strip() or None, "limit": LIMIT}

    def search(self) -> None:
        if not self.permitted:
            return
        desk, filters = self.ctx.desk, self.filters()
        self.ctx.ops.run(lambda: desk.office.audit_entries(**filters), self._show, self._failed, emit_changes=False)

    def _show(self, entries) -> None:
        self.entries = entries
        self.grid.setRowCount(len(entries))
        for r, entry in enumerate(entries):
            for c, text in enumerate(entry.row()):
                item = QTableWidgetItem(text)
                item.setToolTip(text if len(text) > 40 else "")
                self.grid.setItem(r, c, item)
        more = f"（只显示最新的 {LIMIT} 条，请缩小范围）" if len(entries) >= LIMIT else ""
        self.status.setStyleSheet("")
        self.status.setText(f"共 {len(entries)} 条{more}")

    def refresh(self, changes) -> None:
        if self.isVisible() or changes is None:
            self.load_choices()

    def export_to(self, path: str | None = None) -> None:
        if path is None:
            path, _ = QFileDialog.getSaveFileName(self, "导出操作日志", "操作日志.xlsx",
                                                  "Excel 工作簿 (*.xlsx);;CSV 文件 (*.csv)")
        if not path:
            return
        entries = self.entries
        self.ctx.ops.run(lambda: export(entries, path), lambda p: self.status.setText(f"已导出：{p}"),
                         self._failed, emit_changes=False)

    def _failed(self, exc: BaseException) -> None:
        self.status.setStyleSheet("color: #c0392b;")
        self.status.setText(getattr(exc, "zh", None) or str(exc))
