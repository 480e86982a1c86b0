"""附件2 明细表: one row per case filed or closed in the period (or a date range), sortable, with the total row.
A unit with subordinates switches between 汇总 (the rows its units sent, each with its 办案单位; the default)
and 本单位 (its own records), on screen and in print."""
from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QDate, QModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QComboBox, QDateEdit, QHBoxLayout, QHeaderView, QLabel,
                               QPushButton, QTableView, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from ...desk import Desk
from ...errors import IpdeskError
from ...stats.annex2 import Annex2Table
from ..context import AppContext
from ..widgets.period_picker import PeriodPicker, default_period
from ..ops import show_error
from ...reports.export import write_table
from ...exchange.consolidate import consolidate

SORT_ROLE = Qt.UserRole + 1
CASE_ROLE = Qt.UserRole


_DISPLAY, _TOOLTIP, _ALIGNMENT = Qt.DisplayRole.value, Qt.ToolTipRole.value, Qt.TextAlignmentRole.value
_SORT, _CASE = int(SORT_ROLE), int(CASE_ROLE)
_ROLES_ANSWERED = frozenset((_DISPLAY, _TOOLTIP, _ALIGNMENT, _SORT, _CASE))
_RIGHT = (Qt.AlignRight | Qt.AlignVCenter).value


class Annex2Model(QAbstractTableModel):
    """附件2's rows as a table model: the view asks only for the cells it shows, so a year of a city (thousands
    of rows) is set in one step instead of an item per cell on the GUI thread (~0.3 s there: bench
    gui_max_stall). ``SORT_ROLE`` keeps numbers numeric for the sort proxy; ``CASE_ROLE`` is the case's id."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.columns: list = []
        self.rows: list[dict] = []
        self._texts: dict[tuple[int, int], str] = {}

    def set_rows(self, columns: list, rows: list[dict]) -> None:
        self.beginResetModel()
        self.columns, self.rows, self._texts = list(columns), list(rows), {}
        self.endResetModel()

    def clear(self) -> None:
        self.set_rows([], [])

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section, orientation, role=Qt.DisplayRole):
        if role == Qt.DisplayRole and orientation == Qt.Horizontal and section < len(self.columns):
            return self.columns[section].label
        return None

    def text(self, r: int, c: int) -> str:
        key = (r, c)
        if key not in self._texts:
            col, value = self.columns[c], self.rows[r].get(self.columns[c].id)
            self._texts[key] = money_text(value) if col.is_money else str(value if value is not None else "")
        return self._texts[key]

    def data(self, index, role=0):
        # Roles compared as plain ints: comparing with a PySide6 enum member costs ~5 µs, and sizing a column asks
        # every row for eight roles (~0.1 s for a city's 附件2 when compared with ``Qt.DisplayRole`` and the like).
        if role not in _ROLES_ANSWERED or not index.isValid():
            return None
        r, c = index.row(), index.column()
        col = self.columns[c]
        if role == _DISPLAY:
            return self.text(r, c)
        if role == _TOOLTIP:
            text = self.text(r, c)
            return text if len(text) > 8 else None
        if role == _SORT:
            return float(self.rows[r].get(col.id) or 0) if col.is_money or col.id == "seq" else self.text(r, c)
        if role == _CASE:
            return self.rows[r].get("case_id")
        if col.is_money or col.id == "seq":  # the alignment role
            return _RIGHT
        return None


COLUMN_UNIT_PX = 95  # screen width of 1.0 of a catalogue column's relative print width
# Shown whole rather than cut: which unit, and numbers that differ only in their last digits.
WHOLE_TEXT_COLUMNS = frozenset({"unit_name", "case_no", "decision_no"})


def _longest(texts, keep: int = 8) -> set[str]:
    """The few longest texts by character count: the widest among them is the column's width, measured for
    these only (a city's year has thousands of rows)."""
    return set(sorted({str(t) for t in texts if t}, key=len)[-keep:])


def load_annex2(desk: Desk, period, start: str | None = None, end: str | None = None,
                consolidated: bool = False) -> Annex2Table:
    """The table the page shows (on the worker thread): the office's own, or the 汇总 of the rows its
    units sent for the period's months (received packages are monthly: no date range)."""
    if consolidated:
        return consolidate(desk, period)[1]
    return desk.figures.annex2(period, start=start, end=end)


def money_text(value) -> str:
    """万元 with 4 decimals; — for a case with no amount in this period's 附件1 (as printed)."""
    if value is None:
        return "—"
    return "" if value == "" else f"{float(value):.4f}"


class Annex2Page(QWidget):
    def __init__(self, ctx: AppContext):
        super().__init__()
        self.ctx = ctx
        self.data: Annex2Table | None = None
        # A unit with subordinates may consolidate any run of whole months (自选月份).
        self.picker = PeriodPicker(default_period(ctx.desk.today()),
                                   allow_months=bool(ctx.desk.office.subordinate_units()))
        self.picker.changed.connect(lambda _p: self.reload())
        self.use_range = QCheckBox("按日期范围")
        self.start = QDateEdit()
        self.end = QDateEdit()
        for w in (self.start, self.end):
            w.setCalendarPopup(True)
            w.setDisplayFormat("yyyy-MM-dd")
            w.setEnabled(False)
            w.dateChanged.connect(lambda _d: self.use_range.isChecked() and self.reload())
        today = ctx.desk.today()
        self.start.setDate(QDate(today.year, 1, 1))
        self.end.setDate(QDate(today.year, today.month, today.day))
        self.use_range.toggled.connect(self._range_toggled)
        # A unit with subordinates sees the 汇总 of what they sent by default, or its own records (本单位).
        self.scope = QComboBox()
        self.scope.setObjectName("annex2_scope")
        self.scope.addItem("汇总（下级单位报送＋本级）", True)
        self.scope.addItem("本单位", False)
        self.scope.currentIndexChanged.connect(self._scope_changed)
        self.has_subordinates = bool(ctx.desk.office.subordinate_units())
        self.scope.setVisible(self.has_subordinates)

        bar = QHBoxLayout()
        bar.addWidget(self.picker)
        bar.addWidget(self.scope)
        bar.addSpacing(20)
        bar.addWidget(self.use_range)
        bar.addWidget(self.start)
        bar.addWidget(QLabel("至"))
        bar.addWidget(self.end)
        bar.addSpacing(20)
        self.preview_button = QPushButton("预览/打印(&V)…")
        self.preview_button.setToolTip("按正式表样预览明细表，可打印、另存为 PDF 或 Excel")
        self.preview_button.clicked.connect(self.preview)
        bar.addWidget(self.preview_button)
        bar.addStretch(1)
        self.last_preview = None
        self.title = QLabel()
        self.title.setStyleSheet("font-size: 13pt; font-weight: bold;")
        self.summary = QLabel()

        # A model + sort proxy (sorting by SORT_ROLE keeps numbers numeric; no item subclass, which
        # PySide cannot safely delete from C++).
        self.model = Annex2Model(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
        self.table.doubleClicked.connect(self._open_case)
        self.footer = QTableWidget(1, 0)
        self.footer.horizontalHeader().setVisible(False)
        self.footer.verticalHeader().setVisible(False)
        self.footer.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.footer.setVerticalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.footer.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.footer.setFixedHeight(32)
        self.table.horizontalHeader().sectionResized.connect(lambda i, _o, n: self.footer.setColumnWidth(i, n))
        self.table.horizontalScrollBar().valueChanged.connect(self.footer.horizontalScrollBar().setValue)

        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.title)
        layout.addWidget(self.summary)
        self.coverage = QLabel()  # 汇总: the units it includes and those that have not sent
        self.coverage.setObjectName("annex2_coverage")
        self.coverage.setWordWrap(True)
        self.coverage.hide()
        layout.addWidget(self.coverage)
        layout.addWidget(self.table, 1)
        self._scope_changed(reload=False)
        layout.addWidget(self.footer)

    def _range_toggled(self, on: bool) -> None:
        self.start.setEnabled(on)
        self.end.setEnabled(on)
        self.picker.setEnabled(not on)
        self.reload()

    def consolidated(self) -> bool:
        """Whether the 汇总 is shown (a unit with subordinates, 汇总 chosen)."""
        return self.has_subordinates and bool(self.scope.currentData())

    def _scope_changed(self, _index: int = 0, reload: bool = True) -> None:
        # Received packages are monthly: the 汇总 is of the chosen period's months, never a date range.
        consolidated = self.consolidated()
        if consolidated and self.use_range.isChecked():
            self.use_range.blockSignals(True)
            self.use_range.setChecked(False)
            self.use_range.blockSignals(False)
            self.start.setEnabled(False)
            self.end.setEnabled(False)
            self.picker.setEnabled(True)
        self.use_range.setEnabled(not consolidated)
        self.use_range.setToolTip("汇总按所选期间的月份汇总下级单位报送的明细，不按日期范围" if consolidated else "")
        if reload:
            self.reload()

    def refresh(self, changes) -> None:
        if changes is not None and not (changes.cases or changes.tables & {"units", "received_packages"}):
            return
        self.reload()

    def _source(self):
        """What the page shows now: ``(period, start, end, consolidated)``."""
        start = end = None
        if self.use_range.isChecked() and not self.consolidated():
            start = self.start.date().toString("yyyy-MM-dd")
            end = self.end.date().toString("yyyy-MM-dd")
        return self.picker.period(), start, end, self.consolidated()

    def reload(self) -> None:
        period, start, end, consolidated = self._source()
        desk: Desk = self.ctx.desk
        self.ctx.ops.run(lambda: load_annex2(desk, period, start, end, consolidated), self.show_data, self._refused,
                         parent=self, progress="正在生成明细表…", emit_changes=False)

    def _refused(self, exc: BaseException) -> None:
        """A range the table cannot be made for (start after end) is said where the count would be."""
        if not isinstance(exc, IpdeskError):
            show_error(exc, self)
            return
        self.data = None
        self.coverage.hide()
        self.model.clear()
        self.title.setText(self.title.text().rsplit("　", 1)[0])  # no table is shown: drop its period or range
        self.summary.setText(exc.zh)
        self.summary.setStyleSheet("color: #c0392b;")

    def show_data(self, data: Annex2Table) -> None:
        self.data = data
        cols = data.catalog.annex2_columns
        mark = "（汇总）" if data.scope else ""
        self.title.setText(f"{data.catalog.annex2_title}{mark}　{data.unit_name}　{data.period_label}")
        self.summary.setStyleSheet("")
        if data.scope:
            self.summary.setText(f"共 {len(data.rows)} 件（下级单位报送的期内立案或结案的案件，按办案单位、立案日期排列；"
                                 "单击列标题排序，双击本级案件打开）")
            self.coverage.setText(data.scope["coverage"])
        else:
            self.summary.setText(f"共 {len(data.rows)} 件（期内立案或结案的案件，按立案日期排列；"
                                 "单击列标题排序，双击一行打开案件）")
        self.coverage.setVisible(bool(data.scope))
        self.model.set_rows(cols, data.rows)
        t = self.table
        self.proxy.sort(-1)  # the table's own order (by 立案日期) until a header is clicked
        t.horizontalHeader().setSortIndicator(-1, Qt.AscendingOrder)
        self.footer.setColumnCount(len(cols))
        total = data.total_row()
        for c, col in enumerate(cols):
            value = total.get(col.id, "")
            item = QTableWidgetItem(money_text(value) if col.is_money else str(value))
            item.setBackground(QBrush(QColor("#e5e8e8")))
            f = item.font()
            f.setBold(True)
            item.setFont(f)
            if col.is_money:
                item.setTextAlignment(Qt.AlignRight | Qt.AlignVCenter)
            self.footer.setItem(0, c, item)
        header = t.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.Interactive)
        head = t.horizontalHeader().fontMetrics()
        for c, col in enumerate(cols):
            # Never narrower than the header: a clipped header (…代码/身份证号) reads as a different column.
            width = max(48, int(col.width * COLUMN_UNIT_PX), head.horizontalAdvance(col.label) + 28)
            if col.id in WHOLE_TEXT_COLUMNS:  # read first, and a cut number (〔2026〕1…) is another case's
                width = max(width, self._fitting_width(col.label, _longest(row.get(col.id) for row in data.rows)))
            t.setColumnWidth(c, width)
            self.footer.setColumnWidth(c, t.columnWidth(c))

    def _fitting_width(self, label: str, texts: set[str]) -> int:
        """The width that shows each of ``texts`` and the header whole: measured once per distinct text (a city's
        70-odd unit names) instead of ``resizeColumnToContents`` asking the model for up to 1,000 rows on the GUI
        thread (~12 ms, twice that while the worker runs: bench gui_max_stall)."""
        cell = self.table.fontMetrics()
        head = self.table.horizontalHeader().fontMetrics()
        widest = max([cell.horizontalAdvance(text) for text in texts] + [head.horizontalAdvance(label) + 12])
        return widest + 16  # the cell's margins and grid line

    def preview(self) -> None:
        """The printed 附件2 of the shown period or date range (built on the worker, with progress)."""
        # Imported here: QtPdf loads only when needed (heavy).
        from ..preview import show_report_preview

        desk = self.ctx.desk
        period, start, end, consolidated = self._source()
        code = f"{start}至{end}" if start else period.code
        kind = "附件2汇总" if consolidated else "附件2"

        def build(fmt):
            return lambda path, progress=None: write_table(desk, load_annex2(desk, period, start, end, consolidated),
                                                           fmt, path, progress)
        show_report_preview(self.ctx, build("pdf"), build("xlsx"), parent=self, title=f"{kind} 预览　{code}",
                            file_stem=f"{desk.unit['name']}-{kind}-{code}",
                            on_open=lambda d: setattr(self, "last_preview", d))

    def column_values(self, column_id: str) -> list[str]:
        """The shown text of a column, top to bottom (as sorted)."""
        cols = [c.id for c in self.data.catalog.annex2_columns]
        c = cols.index(column_id)
        return [self.proxy.index(r, c).data() for r in range(self.proxy.rowCount())]

    def _open_case(self, index) -> None:
        case_id = index.data(CASE_ROLE)
        if case_id is None or not self.ctx.navigate:
            return
        page = self.ctx.navigate("cases")
        if hasattr(page, "open_case"):
            page.open_case(case_id)
