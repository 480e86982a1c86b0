"""附件1 统计表: the table laid out like the paper form, generated from the catalogue; manual cells edited
in place; a derived cell opens the records behind it; the check list with explanations of warnings."""
from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QGroupBox, QHBoxLayout, QHeaderView, QLabel,
                               QPushButton, QSplitter, QTableWidget, QTableWidgetItem, QTabWidget,
                               QVBoxLayout, QWidget)

from ...catalog.model import MANUAL, SPAN_LABELS, CellDef, Part, cell_id, column_runs, span_label
from ...desk import Desk
from ...domain.periods import MONTH, Period
from ...errors import IpdeskError
from ...stats.annex1 import Annex1Table
from ...stats.checks import Finding
from ..context import AppContext
from ..drilldown import DrillDownDialog
from ..widgets.frozen_table import FrozenColumnTable
from ..widgets.period_picker import PeriodPicker, default_period
from ...exchange.approval import findings_for
from ...exchange.consolidate import consolidation
from ...catalog import get_catalog
from ...reports.export import write_table
from ...reports.summary import summary_period, write_summary
from ..ops import show_error
from ..units_behind import UnitsBehindDialog

WHICH = (*SPAN_LABELS.items(), ("yoy_current", "同比％（本期）"), ("yoy_ytd", "同比％（累计）"))
WHICH_LABEL = dict(WHICH)
RED, AMBER, GREY = "#c0392b", "#b9770e", "#95a5a6"
MANUAL_BG, HEADER_BG, SUBTOTAL_BG, TOTAL_BG = "#fff8dc", "#e8eef5", "#f4f6f7", "#e5e8e8"
CELL_ROLE = Qt.UserRole  # (cell id, which) of a value item
EMPTY = "—"


@dataclass
class Annex1Data:
    period: Period
    table: Annex1Table
    findings: list[Finding]
    explanations: dict[str, str]
    locked: bool
    manual_entries: dict[str, dict | None]  # who entered each manual cell of a month, and when
    units: list = field(default_factory=list)  # 汇总: each subordinate unit's figures (exchange.consolidate.UnitSpan)
    consolidated: bool = False
    consolidation: object = None  # 汇总: the exchange.consolidate.Consolidation shown (drill-down reads it)


def load_annex1(desk: Desk, period: Period, consolidated: bool = False) -> Annex1Data:
    """Everything the screen shows, read on the worker thread. ``consolidated``: the city's 汇总 of what its
    units sent (with its findings: rules, units that have not sent), not the office's own records."""
    if consolidated:
        c = consolidation(desk, period)
        return Annex1Data(period, c.annex1, findings_for(desk, period), desk.explanations.for_period(period.code),
                          period.code in desk.records.locked_periods(), {}, c.units, True, c)
    table = desk.figures.annex1(period)
    entries = {c.id: desk.records.manual_cell(c.id, period.code) for c in table.catalog.manual_cells()} \
        if period.kind == MONTH else {}
    return Annex1Data(period, table, desk.figures.check_period(period, table), desk.explanations.for_period(period.code),
                      period.code in desk.records.locked_periods(), entries)


def cell_text(table: Annex1Table, cell_id: str, which: str) -> str:
    """As printed; 同比 as a signed percentage; '—' for no data or nothing to compare with."""
    if which.startswith("yoy"):
        v = table.yoy(cell_id, base_which(which))
        return EMPTY if v is None else f"{v:+.1f}%"
    return table.display(cell_id, which)


def cell_text_value(value) -> str:
    return str(int(value)) if isinstance(value, (int, float)) and float(value).is_integer() else f"{value:g}"


def base_which(which: str) -> str:
    """The span whose records a displayed value comes from (同比 drills into 本期/累计)."""
    return {"yoy_current": "current", "yoy_ytd": "ytd"}.get(which, which)


def _header(text: str, bold: bool = True) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(Qt.ItemIsEnabled)
    item.setTextAlignment(Qt.AlignCenter)
    item.setBackground(QBrush(QColor(HEADER_BG)))
    if bold:
        f = item.font()
        f.setBold(True)
        item.setFont(f)
    return item


def _label(text: str, level: int = 0) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(Qt.ItemIsEnabled | Qt.ItemIsSelectable)
    if level:
        f = item.font()
        f.setBold(True)
        item.setFont(f)
        item.setBackground(QBrush(QColor(TOTAL_BG if level > 1 else SUBTOTAL_BG)))
    return item


class Annex1Page(QWidget):
    def __init__(self, ctx: AppContext):
        super().__init__()
        self.ctx = ctx
        self.data: Annex1Data | None = None
        self.last_drilldown: DrillDownDialog | None = None
        self.last_preview = None
        self._filling = False
        self._cells: dict[tuple[str, str], tuple[QTableWidget, int, int]] = {}  # (cell id, which) → place

        # A unit with subordinates may consolidate any run of whole months (自选月份).
        self.picker = PeriodPicker(default_period(ctx.desk.today()),
                                   allow_months=bool(ctx.desk.office.subordinate_units()))
        self.picker.changed.connect(lambda _p: self.reload())
        self.which = QComboBox()
        for key, label in WHICH:
            self.which.addItem(label, key)
        self.which.currentIndexChanged.connect(lambda _i: self.render())
        # A unit with subordinates sees the 汇总 of what they sent by default, or its own records (本单位).
        self.scope = QComboBox()
        self.scope.setObjectName("annex1_scope")
        self.scope.addItem("汇总（下级单位报送＋本级）", True)
        self.scope.addItem("本单位", False)
        self.scope.currentIndexChanged.connect(lambda _i: self.reload())
        self.scope.setVisible(bool(ctx.desk.office.subordinate_units()))
        self.last_units = None
        bar = QHBoxLayout()
        bar.addWidget(self.picker)
        bar.addWidget(self.scope)
        bar.addSpacing(20)
        bar.addWidget(QLabel("案件表显示"))
        bar.addWidget(self.which)
        self.submit_button = QPushButton("审核报送…")
        self.submit_button.setToolTip("转到“报送”页审核本月（有错误时不能审核，警告须先填写说明）")
        self.submit_button.clicked.connect(self.go_submit)
        bar.addWidget(self.submit_button)
        self.preview_button = QPushButton("预览/打印(&V)…")
        self.preview_button.setToolTip("按正式表样预览本期附件1，可打印、另存为 PDF 或 Excel")
        self.preview_button.clicked.connect(self.preview)
        bar.addWidget(self.preview_button)
        self.summary_button = QPushButton("生成总结材料(&G)…")
        self.summary_button.setToolTip("阶段性总结（1-6月）或全年总结：主要数据、同比和图表")
        self.summary_button.clicked.connect(self.summary_pack)
        bar.addWidget(self.summary_button)
        bar.addStretch(1)
        # On the title's line, which has room for it: beside the buttons it was cut off at 1280 pixels.
        legend = QLabel(f"<span style='color:{GREY}'>— 未填报/无数据</span>　0 为零　"
                        f"<span style='background:{MANUAL_BG}'>　手工填报（双击修改）　</span>　"
                        "双击其他单元格查看明细")

        self.title = QLabel()
        self.title.setStyleSheet("font-size: 13pt; font-weight: bold;")
        title_line = QHBoxLayout()
        title_line.addWidget(self.title)
        title_line.addStretch(1)
        title_line.addWidget(legend)
        # 汇总: which units it includes and which have not sent, as the printed form says it.
        self.coverage = QLabel()
        self.coverage.setObjectName("annex1_coverage")
        self.coverage.setWordWrap(True)
        self.coverage.hide()
        self.message = QLabel()
        self.message.setStyleSheet(f"color: {RED};")
        self.message.setWordWrap(True)
        self.message.hide()

        self.tabs = QTabWidget()
        self.part_tables: dict[str, QTableWidget] = {}
        for part in self._catalog().parts:
            t = self._make_table(frozen=part.is_grid)
            self.part_tables[part.id] = t
            self.tabs.addTab(t, part.title)

        self.checks = QTableWidget(0, 3)
        self.checks.setHorizontalHeaderLabels(["级别", "检查结果", "说明（警告须填写说明）"])
        self.checks.verticalHeader().setVisible(False)
        self.checks.setWordWrap(True)
        self.checks.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.checks.setEditTriggers(QAbstractItemView.DoubleClicked | QAbstractItemView.EditKeyPressed
                                    | QAbstractItemView.AnyKeyPressed)
        h = self.checks.horizontalHeader()
        h.setSectionResizeMode(0, QHeaderView.ResizeToContents)
        h.setSectionResizeMode(1, QHeaderView.Stretch)
        h.setSectionResizeMode(2, QHeaderView.Stretch)
        self.checks.itemChanged.connect(self._explanation_edited)
        self.checks.cellClicked.connect(self._finding_clicked)
        self.checks_summary = QLabel()
        checks_box = QGroupBox("检查")
        lay = QVBoxLayout(checks_box)
        lay.addWidget(self.checks_summary)
        lay.addWidget(self.checks)

        split = QSplitter(Qt.Vertical)
        split.addWidget(self.tabs)
        split.addWidget(checks_box)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addLayout(title_line)
        layout.addWidget(self.coverage)
        layout.addWidget(self.message)
        layout.addWidget(split, 1)

    @staticmethod
    def _catalog():
        return get_catalog()

    def _make_table(self, frozen: bool = False) -> QTableWidget:
        t = FrozenColumnTable() if frozen else QTableWidget()
        t.verticalHeader().setVisible(False)
        t.horizontalHeader().setVisible(False)
        t.setWordWrap(True)
        t.setEditTriggers(QAbstractItemView.DoubleClicked | QAbstractItemView.EditKeyPressed)
        t.itemActivated.connect(self._activated)
        t.itemChanged.connect(self._manual_edited)
        return t

    # ---- loading -------------------------------------------------------------------------------
    def period(self) -> Period:
        return self.picker.period()

    def set_period(self, period: Period | str) -> None:
        self.picker.set_period(period if isinstance(period, Period) else Period.parse(period))

    def refresh(self, changes) -> None:
        if changes is not None and not (changes.statistics or changes.tables & {"explanations", "submissions"}):
            return
        self.reload()

    def reload(self) -> None:
        period, consolidated = self.period(), bool(self.ctx.desk.office.subordinate_units()) and self.scope.currentData()
        self.ctx.ops.run(lambda: load_annex1(self.ctx.desk, period, bool(consolidated)), self.show_data, parent=self,
                         progress="正在计算统计表…", emit_changes=False)

    def show_data(self, data: Annex1Data) -> None:
        if data.period != self.period():
            return  # an older computation arrived after the period changed
        self.data = data
        lock = "　（已审核报送，已锁定）" if data.locked else ""
        mark = "（汇总）" if data.consolidated else ""
        self.title.setText(f"{data.table.catalog.title}{mark}　{data.table.unit_name}　{data.period.label}{lock}")
        scope = data.table.scope if data.consolidated else None
        # A unit's own table says what its 本期/本年累计 cover when they start before its 启用月份.
        line = scope["coverage"] if scope else data.table.coverage_note
        self.coverage.setText(line)
        self.coverage.setVisible(bool(line))
        self.render()
        self._fill_checks()

    def go_submit(self):
        """The 报送 page for this month (approval lives there)."""
        if not self.ctx.navigate:
            return None
        page = self.ctx.navigate("submissions")
        if self.period().kind == MONTH and hasattr(page, "set_period"):
            page.set_period(self.period())
        return page

    def consolidated(self) -> bool:
        """Whether the 汇总 of the subordinate units is shown (not the unit's own records)."""
        return self.data is not None and bool(self.data.consolidated)

    def preview(self) -> None:
        """The printed form of this period in the preview window (built on the worker)."""
        # Imported here: QtPdf loads only when needed (heavy).
        from ..preview import show_report_preview

        desk, period = self.ctx.desk, self.period()
        if self.data is not None and self.data.consolidated:
            source = lambda: consolidation(desk, period).annex1  # noqa: E731
        else:
            source = lambda: desk.figures.annex1(period)  # noqa: E731
        show_report_preview(self.ctx, lambda path, progress=None: write_table(desk, source(), "pdf", path, progress),
                            lambda path: write_table(desk, source(), "xlsx", path), parent=self,
                            title=f"附件1 预览　{period.label}", file_stem=f"{desk.unit['name']}-附件1-{period.code}",
                            on_open=self._preview_opened)

    def summary_pack(self) -> None:
        """阶段性总结 (1-6月) before July, else 全年总结, of the shown period's year."""
        # Imported here: QtPdf loads only when needed (heavy).
        from ..preview import show_report_preview

        desk, period = self.ctx.desk, summary_period(self.period())
        show_report_preview(self.ctx, lambda path, progress=None: write_summary(desk, period, "pdf", path, progress),
                            lambda path: write_summary(desk, period, "xlsx", path), parent=self,
                            title=f"总结材料　{period.label}", file_stem=f"{desk.unit['name']}-总结材料-{period.code}",
                            on_open=self._preview_opened)

    def _preview_opened(self, dialog) -> None:
        self.last_preview = dialog

    def which_key(self) -> str:
        return self.which.currentData()

    # ---- the table -----------------------------------------------------------------------------
    def render(self) -> None:
        if self.data is None:
            return
        self._filling = True
        self._cells.clear()
        try:
            for part in self.data.table.catalog.parts:
                t = self.part_tables[part.id]
                if part.is_grid:
                    self._fill_grid(t, part)
                else:
                    self._fill_list(t, part)
        finally:
            self._filling = False

    def _value_item(self, cell: CellDef, which: str, *, editable: bool = False) -> QTableWidgetItem:
        text = cell_text(self.data.table, cell.id, which)
        item = QTableWidgetItem(text)
        item.setTextAlignment(Qt.AlignRight | Qt.AlignVCenter)
        item.setData(CELL_ROLE, (cell.id, which))
        flags = Qt.ItemIsEnabled | Qt.ItemIsSelectable
        is_manual = cell.measure is not None and cell.measure.agg == MANUAL
        if self.data.consolidated:  # the units' figures, manual ones too: nothing is edited here
            item.setToolTip(f"{cell.place}（{cell.unit}）：双击查看各单位报送的数字")
        elif is_manual:
            item.setBackground(QBrush(QColor(MANUAL_BG)))
            if editable:
                flags |= Qt.ItemIsEditable
                entry = self.data.manual_entries.get(cell.id)
                who = f"；{entry['entered_by']} 于 {entry['entered_at']} 填报" if entry else "；尚未填报"
                item.setToolTip(f"手工填报：双击修改，清空表示未填报{who}")
            else:
                item.setToolTip("手工填报的指标按月填写：请选择月份后修改")
        else:
            item.setToolTip(f"{cell.row_label} {cell.column_label}（{cell.unit}）：双击查看明细")
        if text == EMPTY:
            item.setForeground(QBrush(QColor(GREY)))
            f = item.font()
            f.setItalic(True)
            item.setFont(f)
        item.setFlags(flags)
        return item

    def _fill_list(self, t: QTableWidget, part: Part) -> None:
        cols = ["项目", "计量单位"] + [WHICH_LABEL[w] if w != "current" else self._current_label() for w, _ in WHICH]
        t.clear()
        t.setColumnCount(len(cols))
        t.setRowCount(1 + len(part.indicators))
        for c, text in enumerate(cols):
            t.setItem(0, c, _header(text))
        editable = self.data.period.kind == MONTH and not self.data.locked
        for r, ind in enumerate(part.indicators, 1):
            cell = self.data.table.catalog.cell(cell_id(part.id, ind.id))
            t.setItem(r, 0, _label(f"{ind.group}——{ind.label}" if ind.group else ind.label))
            unit = QTableWidgetItem(ind.unit)
            unit.setFlags(Qt.ItemIsEnabled)
            unit.setTextAlignment(Qt.AlignCenter)
            t.setItem(r, 1, unit)
            for c, (which, _) in enumerate(WHICH, 2):
                t.setItem(r, c, self._value_item(cell, which, editable=editable and which == "current"
                                                 and not self.data.consolidated))
                self._cells[(cell.id, which)] = (t, r, c)
        h = t.horizontalHeader()
        h.setSectionResizeMode(0, QHeaderView.Stretch)
        for c in range(1, len(cols)):
            h.setSectionResizeMode(c, QHeaderView.Fixed)
            t.setColumnWidth(c, 110 if c > 1 else 90)
        for r in range(t.rowCount()):
            t.setRowHeight(r, 28)

    def _current_label(self) -> str:
        return span_label("current", month=self.data.period.kind == MONTH)

    def _fill_grid(self, t: QTableWidget, part: Part) -> None:
        which = self.which_key()
        t.clear()
        t.clearSpans()
        cols = part.columns
        t.setColumnCount(1 + len(cols))
        t.setRowCount(2 + len(part.rows))
        t.setItem(0, 0, _header(f"案件类别\n（{WHICH_LABEL[which] if which != 'current' else self._current_label()}）"))
        t.setSpan(0, 0, 2, 1)
        c = 0
        for run in column_runs(cols):
            group = run[0].group
            if group:
                t.setItem(0, 1 + c, _header(group))
                if len(run) > 1:
                    t.setSpan(0, 1 + c, 1, len(run))
                for k, col in enumerate(run, c):
                    t.setItem(1, 1 + k, _header(f"{col.label}\n（{col.unit}）", bold=False))
            else:
                t.setItem(0, 1 + c, _header(f"{run[0].label}\n（{run[0].unit}）"))
                t.setSpan(0, 1 + c, 2, 1)
            c += len(run)
        for r, row in enumerate(part.rows, 2):
            t.setItem(r, 0, _label(row.label, row.level))
            for k, col in enumerate(cols, 1):
                cell = self.data.table.catalog.cell(cell_id(part.id, row.id, col.id))
                item = self._value_item(cell, which)
                if row.level:
                    f = item.font()
                    f.setBold(True)
                    item.setFont(f)
                    item.setBackground(QBrush(QColor(TOTAL_BG if row.level > 1 else SUBTOTAL_BG)))
                t.setItem(r, k, item)
                self._cells[(cell.id, which)] = (t, r, k)
        t.horizontalHeader().setSectionResizeMode(QHeaderView.Fixed)
        t.setColumnWidth(0, 210)
        for k in range(1, len(cols) + 1):
            t.setColumnWidth(k, 82)
        t.resizeRowsToContents()
        t.setRowHeight(1, max(t.rowHeight(1), 58))
        t.sync_frozen()

    # ---- drill-down and manual cells -----------------------------------------------------------
    def _activated(self, item: QTableWidgetItem) -> None:
        key = item.data(CELL_ROLE)
        if not key or self.data is None:
            return
        cell_id, which = key
        cell = self.data.table.catalog.cell(cell_id)
        if cell.measure is not None and cell.measure.agg == MANUAL and not self.data.consolidated:
            return  # edited in place (or explained by its tooltip); a 汇总 one shows the units' figures
        self.drill_down(cell_id, which)

    def drill_down(self, cell_id: str, which: str = "current") -> None:
        if self.data.consolidated:
            self.units_behind(cell_id, which)
            return
        period, span = self.data.period, base_which(which)
        cell = self.data.table.catalog.cell(cell_id)
        place = cell.place
        title = f"{period.label} {place}（{WHICH_LABEL[span]}）= {cell_text(self.data.table, cell_id, span)}"

        def show(result):
            table, rows = result
            dialog = DrillDownDialog(self.ctx, title, table, rows, self)
            self.last_drilldown = dialog
            dialog.open()
        self.ctx.ops.run(lambda: self.ctx.desk.figures.records_behind(period, cell_id, span), show, parent=self,
                         emit_changes=False)

    def units_behind(self, cell_id: str, which: str = "current"):
        """A 汇总 cell: each unit's figure as it sent it (summing to the cell), and from a unit the 附件2 rows
        behind it."""
        span = base_which(which)
        dialog = UnitsBehindDialog(self.ctx, self.data.consolidation, cell_id, span,
                                   cell_text(self.data.table, cell_id, span), self)
        self.last_units = dialog
        dialog.open()
        return dialog

    def _manual_edited(self, item: QTableWidgetItem) -> None:
        if self._filling or self.data is None or not item.data(CELL_ROLE):
            return
        cell_id, which = item.data(CELL_ROLE)
        text = item.text().strip().replace(",", "")
        try:
            value = None if text in ("", EMPTY) else float(text)
        except ValueError:
            self._show_message(f"“{text}”不是数字；清空表示未填报")
            self.render()
            return
        if value is not None and value.is_integer():
            value = int(value)
        period = self.data.period.code
        self.ctx.ops.run(lambda: self.ctx.desk.records.set_manual_cell(cell_id, period, value), lambda _c: self._show_message(""),
                         self._write_failed, parent=self)

    def _write_failed(self, exc: BaseException) -> None:
        if isinstance(exc, IpdeskError):
            self._show_message(exc.zh)
            self.reload()
        else:
            show_error(exc, self)

    def _show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    # ---- checks --------------------------------------------------------------------------------
    def _fill_checks(self) -> None:
        data = self.data
        self._filling = True
        try:
            t = self.checks
            t.setRowCount(len(data.findings))
            for r, f in enumerate(data.findings):
                level = QTableWidgetItem("错误" if f.is_error else "警告")
                level.setFlags(Qt.ItemIsEnabled | Qt.ItemIsSelectable)
                level.setForeground(QBrush(QColor(RED if f.is_error else AMBER)))
                bold = QFont(level.font())
                bold.setBold(True)
                level.setFont(bold)
                level.setData(Qt.UserRole, f.key)
                msg = QTableWidgetItem(f.message)
                msg.setFlags(Qt.ItemIsEnabled | Qt.ItemIsSelectable)
                msg.setForeground(QBrush(QColor(RED if f.is_error else AMBER)))
                if f.cell_id:
                    msg.setToolTip("单击定位到该单元格")
                note = QTableWidgetItem(data.explanations.get(f.key, ""))
                if f.is_error:
                    note.setFlags(Qt.ItemIsEnabled)
                    note.setText("须更正记录后才能审核")
                    note.setForeground(QBrush(QColor(GREY)))
                else:
                    note.setFlags(Qt.ItemIsEnabled | Qt.ItemIsSelectable | Qt.ItemIsEditable)
                    if not note.text():
                        note.setToolTip("双击填写说明，随报送一起上报")
                        note.setBackground(QBrush(QColor("#fdebd0")))
                note.setData(Qt.UserRole, f.key)
                t.setItem(r, 0, level)
                t.setItem(r, 1, msg)
                t.setItem(r, 2, note)
            t.resizeRowsToContents()
        finally:
            self._filling = False
        errors = sum(f.is_error for f in data.findings)
        warnings = [f for f in data.findings if not f.is_error]
        unexplained = sum(1 for f in warnings if not data.explanations.get(f.key))
        if not data.findings:
            self.checks_summary.setText("<span style='color:#1e8449'>检查通过：没有错误和警告。</span>")
        else:
            self.checks_summary.setText(
                f"<span style='color:{RED}'>{errors} 个错误</span>（须更正后才能审核）　"
                f"<span style='color:{AMBER}'>{len(warnings)} 个警告</span>（{unexplained} 个尚未说明）")

    def _explanation_edited(self, item: QTableWidgetItem) -> None:
        if self._filling or item.column() != 2 or self.data is None:
            return
        key, text, period = item.data(Qt.UserRole), item.text(), self.data.period.code
        self.ctx.ops.run(lambda: self.ctx.desk.explanations.explain(period, key, text), None, self._write_failed, parent=self)

    def _finding_clicked(self, row: int, col: int) -> None:
        if col == 2 or self.data is None or row >= len(self.data.findings):
            return
        f = self.data.findings[row]
        if f.cell_id:
            self.locate(f.cell_id, f.which or "current")

    def locate(self, cell_id: str, which: str = "current") -> None:
        """Show a cell: its part's tab, the right values (for part B) and the cell selected."""
        if self.data is None:
            return
        cell = self.data.table.catalog.cell(cell_id)
        if cell.part.is_grid and self.which_key() != which and self.which.findData(which) >= 0:
            self.which.setCurrentIndex(self.which.findData(which))
        place = self._cells.get((cell_id, which)) or self._cells.get((cell_id, "current"))
        if place is None:
            return
        t, r, c = place
        self.tabs.setCurrentWidget(t)
        t.setCurrentCell(r, c)
        t.scrollToItem(t.item(r, c))

    def item_for(self, cell_id: str, which: str = "current") -> QTableWidgetItem | None:
        place = self._cells.get((cell_id, which))
        return place[0].item(place[1], place[2]) if place else None
