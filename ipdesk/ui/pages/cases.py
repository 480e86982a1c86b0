"""案件台账: the lazy case table with filters, search, column chooser; opens the case form."""
from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QComboBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit,
                               QMenu, QMessageBox, QPushButton, QTableView, QToolButton, QVBoxLayout, QWidget)

from ...db.records import CaseFilter
from ...domain import enums, fields as F
from ..case_form import CaseForm
from ..context import AppContext
from ..models.case_table import COLUMNS, DEFAULT_VISIBLE, CaseTableModel

SETTINGS_KEY = "case_ledger/columns"
DEADLINE_WIDEST = "超期888天（估算）"  # the longest 办案时限 text a row shows
ALL = "全部"


def _combo(parent, first: str, items, tip: str) -> QComboBox:
    combo = QComboBox(parent)
    combo.addItem(first, None)
    for item in items:
        combo.addItem(str(item), item)
    combo.setToolTip(tip)
    return combo


class CasesPage(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx, self.desk = ctx, ctx.desk
        self.form: CaseForm | None = None
        layout = QVBoxLayout(self)

        bar = QHBoxLayout()
        self.search = QLineEdit(self)
        self.search.setPlaceholderText("搜索：案件名称、当事人、案件编号、权利人")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(240)
        field = F.CASE_FIELD_MAP
        self.year = _combo(self, "全部年份", [], "按年份（立案、线索登记或结案在该年）")
        self.category = _combo(self, "全部类别", field["category"].choices, field["category"].label)
        self.status = _combo(self, "全部状态", enums.CASE_STATUSES, "状态")
        self.source = _combo(self, "全部案源", field["source"].choices, field["source"].label)
        self.ecommerce = QComboBox(self)
        self.ecommerce.addItem("电商：全部", None)
        self.ecommerce.addItem("仅电商领域", True)
        self.ecommerce.addItem("非电商", False)
        self.handler = _combo(self, "全部承办人", [], field["handler"].label)
        self.pending = QCheckBox("仅待补正", self)
        for w in (self.search, self.year, self.category, self.status, self.source, self.ecommerce, self.handler,
                  self.pending):
            bar.addWidget(w)
        bar.addStretch(1)
        layout.addLayout(bar)

        actions = QHBoxLayout()
        self.add_button = QPushButton("新增案件", self)
        self.add_button.setToolTip("新增案件（Ctrl+N）")
        self.open_button = QPushButton("打开", self)
        self.delete_button = QPushButton("删除", self)
        self.import_button = QPushButton("导入台账…", self)
        self.import_button.setToolTip("导入原有的 Excel 案件台账（先预览，确认后才写入）")
        self.columns_button = QToolButton(self)
        self.columns_button.setText("显示列…")
        self.columns_button.setPopupMode(QToolButton.InstantPopup)
        self.count_label = QLabel(self)
        self.legend = QLabel("<span style='background:#f8d7da'>　超期　</span>　"
                             "<span style='background:#fff3cd'>　临近期限（10天内）　</span>", self)
        for w in (self.add_button, self.open_button, self.delete_button, self.import_button, self.columns_button):
            actions.addWidget(w)
        actions.addSpacing(16)
        actions.addWidget(self.count_label)
        actions.addStretch(1)
        actions.addWidget(self.legend)
        layout.addLayout(actions)

        self.model = CaseTableModel(self.desk, self, ops=ctx.ops)
        self.model.loading.connect(self._loading)
        self.model.reloaded.connect(self._reloaded)
        # After a reload: (case to select, scroll position to keep, or None to scroll to that case)
        self._restore: tuple[int | None, int | None] | None = None
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setDefaultSectionSize(26)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.Interactive)
        header.setStretchLastSection(True)
        header.setContextMenuPolicy(Qt.CustomContextMenu)
        header.customContextMenuRequested.connect(lambda pos: self.columns_menu.exec(header.mapToGlobal(pos)))
        # No column chosen: newest first by 立案日期, or 线索登记日期 for leads (so open leads are not last).
        header.setSortIndicator(-1, Qt.DescendingOrder)
        layout.addWidget(self.table, 1)

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(250)
        self._search_timer.timeout.connect(self.apply_filter)
        self.search.textChanged.connect(self._search_timer.start)
        self.search.returnPressed.connect(self.apply_filter)
        for combo in (self.year, self.category, self.status, self.source, self.ecommerce, self.handler):
            combo.currentIndexChanged.connect(self.apply_filter)
        self.pending.toggled.connect(self.apply_filter)
        self.table.doubleClicked.connect(lambda index: self.open_case(self.model.case_id(index.row())))
        self.add_button.clicked.connect(self.new_case)
        self.open_button.clicked.connect(self.open_selected)
        self.delete_button.clicked.connect(self.delete_selected)
        self.import_button.clicked.connect(self.import_ledger)
        QShortcut(QKeySequence("Ctrl+N"), self, activated=self.new_case)
        for key, slot in ((Qt.Key_Return, self.open_selected), (Qt.Key_Enter, self.open_selected),
                          (Qt.Key_Delete, self.delete_selected)):
            QShortcut(QKeySequence(key), self.table, activated=slot, context=Qt.WidgetShortcut)
        QShortcut(QKeySequence("Ctrl+F"), self, activated=self.search.setFocus)

        self.visible = self.load_columns()
        self.columns_menu = self.column_menu()  # one menu for the button and the header's context menu
        self.columns_button.setMenu(self.columns_menu)
        self.apply_columns()
        self.refill_choices()
        self.model.filter = self.current_filter()
        self.table.setSortingEnabled(True)  # sorts by the indicator: the one first read of the ledger

    # ---- filters -------------------------------------------------------------------------------
    def current_filter(self) -> CaseFilter:
        return CaseFilter(year=self.year.currentData(), category=self.category.currentData(),
                          status=self.status.currentData(), source=self.source.currentData(),
                          ecommerce=self.ecommerce.currentData(), handler=self.handler.currentData(),
                          text=self.search.text(), needs_completion=True if self.pending.isChecked() else None)

    def apply_filter(self) -> None:
        self._search_timer.stop()
        self._restore = (self.selected_id(), 0)  # a new filter starts at the top, keeping the case if it is there
        self.model.set_filter(self.current_filter())

    def _loading(self, busy: bool) -> None:
        if busy:
            self.count_label.setText("正在读取…")
            self.table.viewport().setCursor(Qt.BusyCursor)
        else:
            self.table.viewport().unsetCursor()

    def _reloaded(self) -> None:
        self.update_count()
        if self._restore is None:
            return
        selected, scroll = self._restore
        self._restore = None
        if selected is not None:
            self.select_case(selected, scroll=scroll is None)
        if scroll is not None:
            self.table.verticalScrollBar().setValue(scroll)

    def refill_choices(self) -> None:
        """Years and handlers come from the records (read on the op worker: the handlers of 100k cases take
        ~0.1–0.3 s); keep what the user had chosen."""
        desk = self.desk
        self.ctx.ops.run(lambda: (desk.records.case_years(), desk.records.case_handlers()), self._fill_choices,
                         emit_changes=False)

    def _fill_choices(self, choices: tuple[list, list]) -> None:
        for combo, values in zip((self.year, self.handler), choices):
            chosen = combo.currentData()
            combo.blockSignals(True)
            while combo.count() > 1:
                combo.removeItem(1)
            for value in values:
                combo.addItem(str(value), value)
            index = combo.findData(chosen) if chosen is not None else 0
            combo.setCurrentIndex(max(index, 0))
            combo.blockSignals(False)
        if self.current_filter() != self.model.filter:  # the chosen year or handler no longer exists
            self.apply_filter()

    def update_count(self) -> None:
        text = f"共 {self.model.total} 件"
        if not self.model.total:
            filtered = self.current_filter() != CaseFilter()
            text += "——没有符合条件的案件，可放宽筛选条件" if filtered else "——还没有案件，点击“新增案件”登记第一件"
        self.count_label.setText(text)

    # ---- columns -------------------------------------------------------------------------------
    def load_columns(self) -> list[str]:
        stored = QSettings().value(SETTINGS_KEY)
        if isinstance(stored, str):
            stored = [stored]
        keys = [k for k in (stored or []) if k in {c.key for c in COLUMNS}]
        return keys or list(DEFAULT_VISIBLE)

    def column_menu(self) -> QMenu:
        menu = QMenu("显示列", self)
        self.column_actions = {}
        for col in COLUMNS:
            action = QAction(col.label, menu)
            action.setCheckable(True)
            action.toggled.connect(lambda on, key=col.key: self.set_column_visible(key, on))
            menu.addAction(action)
            self.column_actions[col.key] = action
        menu.addSeparator()
        menu.addAction("恢复默认列", self.reset_columns)
        menu.aboutToShow.connect(self.sync_column_menu)
        self.sync_column_menu()
        return menu

    def sync_column_menu(self) -> None:
        for key, action in self.column_actions.items():
            action.blockSignals(True)
            action.setChecked(key in self.visible)
            action.blockSignals(False)

    def set_column_visible(self, key: str, visible: bool) -> None:
        if visible and key not in self.visible:
            self.visible.append(key)
        elif not visible and key in self.visible and len(self.visible) > 1:
            self.visible.remove(key)
        QSettings().setValue(SETTINGS_KEY, self.visible)
        self.apply_columns()

    def reset_columns(self) -> None:
        self.visible = list(DEFAULT_VISIBLE)
        QSettings().setValue(SETTINGS_KEY, self.visible)
        self.sync_column_menu()
        self.apply_columns()

    def apply_columns(self) -> None:
        widths = {"name": 260, "case_no": 190, "category": 150, "party_name": 200, "status": 110}
        # 办案时限 whole: at 80 pixels “剩88天（估算）” lost the 估算 the 工作台 tells the user to look for.
        widths["deadline"] = self.table.fontMetrics().horizontalAdvance(DEADLINE_WIDEST) + 16
        for i, col in enumerate(COLUMNS):
            self.table.setColumnHidden(i, col.key not in self.visible)
            self.table.setColumnWidth(i, widths.get(col.key, 100))

    # ---- records -------------------------------------------------------------------------------
    def selected_id(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.case_id(rows[0].row()) if rows else None

    def open_selected(self) -> None:
        case_id = self.selected_id()
        if case_id is not None:
            self.open_case(case_id)

    def new_case(self) -> CaseForm:
        return self._show_form(CaseForm(self.ctx, parent=self))

    def open_case(self, case_id: int) -> CaseForm:
        return self._show_form(CaseForm(self.ctx, case_id, parent=self))

    def import_ledger(self, path=None):
        # Imported here: openpyxl loads only when needed (heavy).
        from ..ledger_import import open_ledger_import

        dialog = open_ledger_import(self.ctx, self, path)
        dialog.imported.connect(lambda result: self.refresh(result.changes))
        return dialog

    def _show_form(self, form: CaseForm) -> CaseForm:
        self.form = form
        form.saved.connect(self._after_save)
        form.open()
        return form

    def _after_save(self, changes) -> None:
        self.refresh(changes, show=changes.record_id if changes is not None else None)

    def select_case(self, case_id: int, *, scroll: bool = True) -> None:
        row = self.model.row_of(case_id)
        if row is not None:
            if scroll:
                self.table.selectRow(row)
            else:
                self.table.selectionModel().select(self.model.index(row, 0),
                                                   QItemSelectionModel.ClearAndSelect | QItemSelectionModel.Rows)

    def delete_selected(self) -> None:
        case_id = self.selected_id()
        if case_id is None:
            return
        case = self.model.rows[self.model.row_of(case_id)]
        answer = QMessageBox.question(
            self, "删除案件", f"确定删除案件“{case['name']}”（{case.get('case_no') or '无编号'}）吗？\n"
            "删除后可用“撤销”恢复。", QMessageBox.Yes | QMessageBox.No, QMessageBox.No)
        if answer != QMessageBox.Yes:
            return
        self.ctx.ops.run(lambda: self.desk.records.delete("cases", case_id), self.refresh, parent=self)

    def refresh(self, changes=None, *, show: int | None = None) -> None:
        """Redraw after an operation; only case changes (or a full refresh) matter here. The selected case and
        the scroll position stay, or the view scrolls to case ``show`` (one just saved)."""
        if changes is not None and not (changes.tables & {"cases", "case_adjustments", "holidays"}):
            return
        self._restore = (show, None) if show is not None else (self.selected_id(),
                                                                 self.table.verticalScrollBar().value())
        self.refill_choices()
        self.model.reload(keep_rows=True)
