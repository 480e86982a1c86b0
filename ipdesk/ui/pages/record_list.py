"""A list page over inspections or work items: year, kind and text filters, the form on double-click."""
from __future__ import annotations

from typing import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit,
                               QMessageBox, QPushButton, QTableView, QVBoxLayout, QWidget)

from ..context import AppContext
from ..models.record_table import RecordTableModel
from ..record_form import RecordForm


class RecordListPage(QWidget):
    """Subclasses set ``TABLE``, ``FORM``, ``WHAT``, ``KINDS`` and ``columns()``."""

    TABLE = ""
    FORM: type[RecordForm] = RecordForm
    WHAT = "记录"
    KINDS: tuple[str, ...] = ()
    SEARCH_HINT = "搜索"

    def __init_subclass__(cls, **kwargs) -> None:
        # Abstract without abc: PySide's metaclass skips abc's check when instantiating, so a page that does
        # not say which table it lists and with which columns is refused here, when its class is defined.
        super().__init_subclass__(**kwargs)
        missing = [name for name in ("TABLE", "columns") if getattr(cls, name) is getattr(RecordListPage, name)]
        if missing:
            raise TypeError(f"{cls.__name__} must define {' and '.join(missing)}")

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx, self.desk = ctx, ctx.desk
        self.form: RecordForm | None = None
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.search = QLineEdit(self)
        self.search.setPlaceholderText(self.SEARCH_HINT)
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(240)
        self.year = QComboBox(self)
        self.year.addItem("全部年份", None)
        self.kind = QComboBox(self)
        self.kind.addItem("全部类别", None)
        for kind in self.KINDS:
            self.kind.addItem(kind, kind)
        self.add_button = QPushButton(f"新增{self.WHAT}", self)
        self.add_button.setToolTip(f"新增{self.WHAT}（Ctrl+N）")
        self.open_button = QPushButton("打开", self)
        self.delete_button = QPushButton("删除", self)
        self.count_label = QLabel(self)
        for w in (self.search, self.year, self.kind, self.add_button, self.open_button, self.delete_button):
            bar.addWidget(w)
        for w in self.extra_buttons():
            bar.addWidget(w)
        bar.addSpacing(16)
        bar.addWidget(self.count_label)
        bar.addStretch(1)
        layout.addLayout(bar)

        self.model = RecordTableModel(self.desk, self.TABLE, self.columns(), self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setDefaultSectionSize(26)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.table, 1)

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(250)
        self._search_timer.timeout.connect(self.apply_filter)
        self.search.textChanged.connect(self._search_timer.start)
        self.search.returnPressed.connect(self.apply_filter)
        self.year.currentIndexChanged.connect(self.apply_filter)
        self.kind.currentIndexChanged.connect(self.apply_filter)
        self.table.doubleClicked.connect(lambda index: self.open_record(self.model.record_id(index.row())))
        self.add_button.clicked.connect(self.new_record)
        self.open_button.clicked.connect(self.open_selected)
        self.delete_button.clicked.connect(self.delete_selected)
        QShortcut(QKeySequence("Ctrl+N"), self, activated=self.new_record)
        QShortcut(QKeySequence("Ctrl+F"), self, activated=self.search.setFocus)
        for key, slot in ((Qt.Key_Return, self.open_selected), (Qt.Key_Enter, self.open_selected),
                          (Qt.Key_Delete, self.delete_selected)):
            QShortcut(QKeySequence(key), self.table, activated=slot, context=Qt.WidgetShortcut)
        self.refresh()
        self.size_columns()
        self.fit_headers()

    def columns(self) -> list[tuple[str, str, Callable[[dict], str]]]:
        """(key, header, display(row)) for each column; every page defines its own."""
        return []

    def fit_headers(self) -> None:
        """Widen a column narrower than its header: a clipped header (“（户次）/监测店”) hides what is counted."""
        metrics = self.table.horizontalHeader().fontMetrics()
        for i, (_, header, _) in enumerate(self.model.columns):
            self.table.setColumnWidth(i, max(self.table.columnWidth(i), metrics.horizontalAdvance(header) + 24))

    def extra_buttons(self) -> list[QWidget]:
        return []

    def size_columns(self) -> None:
        for i in range(self.model.columnCount()):
            self.table.setColumnWidth(i, 120)

    # ---- filters -------------------------------------------------------------------------------
    def apply_filter(self) -> None:
        self._search_timer.stop()
        self.model.year, self.model.kind = self.year.currentData(), self.kind.currentData()
        self.model.text = self.search.text()
        self.model.reload()
        text = f"共 {self.model.total} 条"
        if not self.model.total:
            filtered = bool(self.model.year or self.model.kind or self.model.text.strip())
            text += "——没有符合条件的记录" if filtered else f"——还没有{self.WHAT}，点击“新增{self.WHAT}”开始"
        self.count_label.setText(text)

    def refill_years(self) -> None:
        chosen = self.year.currentData()
        self.year.blockSignals(True)
        while self.year.count() > 1:
            self.year.removeItem(1)
        for y in self.desk.records.record_years(self.TABLE):
            self.year.addItem(str(y), y)
        self.year.setCurrentIndex(max(self.year.findData(chosen) if chosen else 0, 0))
        self.year.blockSignals(False)

    # ---- records -------------------------------------------------------------------------------
    def selected_id(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.record_id(rows[0].row()) if rows else None

    def select_record(self, record_id: int) -> None:
        row = self.model.row_of(record_id)
        if row is not None:
            self.table.selectRow(row)

    def open_selected(self) -> None:
        rid = self.selected_id()
        if rid is not None:
            self.open_record(rid)

    def new_record(self) -> RecordForm:
        return self._show_form(self.FORM(self.ctx, parent=self))

    def open_record(self, record_id: int) -> RecordForm:
        return self._show_form(self.FORM(self.ctx, record_id, parent=self))

    def _show_form(self, form: RecordForm) -> RecordForm:
        self.form = form
        form.saved.connect(self._after_save)
        form.open()
        return form

    def _after_save(self, changes) -> None:
        self.refresh(changes)
        if changes is not None and changes.record_id is not None and self.TABLE in changes.tables:
            self.select_record(changes.record_id)

    def describe(self, row: dict) -> str:
        return f"{row.get('date')} {row.get('kind')}"

    def delete_selected(self) -> None:
        rid = self.selected_id()
        if rid is None:
            return
        row = self.model.rows[self.model.row_of(rid)]
        answer = QMessageBox.question(self, f"删除{self.WHAT}", f"确定删除{self.WHAT}“{self.describe(row)}”吗？\n"
                                      "删除后可用“撤销”恢复。", QMessageBox.Yes | QMessageBox.No, QMessageBox.No)
        if answer == QMessageBox.Yes:
            self.ctx.ops.run(lambda: self.desk.records.delete(self.TABLE, rid), self.refresh, parent=self)

    def refresh(self, changes=None) -> None:
        if changes is not None and self.TABLE not in changes.tables:
            return
        selected = self.selected_id()
        self.refill_years()
        self.apply_filter()
        if selected is not None:
            self.select_record(selected)
