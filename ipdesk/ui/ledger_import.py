"""导入原有台账: choose an Excel ledger, check how its columns map to case fields (editable), see the
sheets read, hidden rows and columns, every row not imported and why, the rows 待补正 and the totals
that will be imported — then import the readable rows in one go. Nothing is written before 导入."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFileDialog,
                               QHBoxLayout, QHeaderView, QLabel, QListWidget, QMessageBox, QProgressBar, QPushButton,
                               QSplitter, QTableWidget, QTableWidgetItem, QTabWidget, QVBoxLayout, QWidget)

from ..errors import Cancelled, IpdeskError
from ..exchange import ledger_fields as LF
from ..domain.money import fen_to_yuan_text
from ..exchange.ledger import ColumnKey, LedgerBook, LedgerPreview, import_ledger, preview_ledger, read_ledger
from .context import AppContext
from .screen_fit import fit_size
from .ops import show_error

NOT_IMPORTED = "（不导入）"
PREVIEW_ROWS = 500  # rows shown in the preview table; every row is still checked and imported
READABLE_COLUMNS = (("行", None), ("案件名称", "name"), ("立案号", "case_no"), ("案件类别", "category"),
                    ("立案日期", "filed_date"), ("结案日期", "closed_date"), ("待补正", None))
HIDDEN_BRUSH = QColor("#e0e0e0")
PENDING_BRUSH = QColor("#fff3cd")

# The lists under the preview: (title, the preview's list of row notes; None: the 待补正 rows).
LISTS = (("待补正", None), ("无法读取", "unreadable"), ("存疑", "doubtful"), ("隐藏行", "hidden"),
         ("已在数据库中", "present"), ("合计/说明行", "skipped"))


@dataclass
class PreviewTexts:
    """A preview with every text the dialog shows of it, made on the worker with the preview: the GUI thread only
    sets them. Formatting 5,000 rows' lines and sums there kept the window from answering for ~60 ms, twice that
    while the worker runs (bench gui_max_stall)."""

    preview: LedgerPreview
    units: list[str]  # per mapping row: the unit a money column is read in
    rows: list[tuple[list[str], bool]]  # the first PREVIEW_ROWS readable rows: their cells, and whether 待补正
    lists: list[list[str]]  # per LISTS entry
    summary: str
    totals: str

    @classmethod
    def of(cls, preview: LedgerPreview) -> PreviewTexts:
        units = [preview.unit_of(col) if preview.mapping.get(col.key) in LF.MONEY_FIELDS else ""
                 for col in preview.book.columns]
        many = len(preview.sheets) > 1
        rows = []
        for row in preview.readable[:PREVIEW_ROWS]:
            cells = []
            for c, (_, key) in enumerate(READABLE_COLUMNS):
                if c == 0:
                    cells.append(f"{row.sheet} {row.row}" if many else str(row.row))
                elif key:
                    cells.append(str(row.record.get(key) or ""))
                else:
                    cells.append("、".join(row.missing))
            rows.append((cells, bool(row.missing)))
        lists = [[f"{preview.where(r.sheet, r.row)}：{r.record.get('name')}　缺：{'、'.join(r.missing)}"
                  for r in preview.incomplete] if attr is None else [preview.line(note) for note in getattr(preview, attr)]
                 for _, attr in LISTS]
        more = f"（表中显示前 {PREVIEW_ROWS} 行）" if len(preview.readable) > PREVIEW_ROWS else ""
        summary = "　".join(f"{k} {v}" for k, v in preview.counts().items()) + more
        return cls(preview, units, rows, lists, summary, totals_text(preview))


def totals_text(preview: LedgerPreview) -> str:
    parts = [f"{k} {v} 件" if k == "案件" else f"{k} {fen_to_yuan_text(v)} 元" for k, v in preview.totals.items()]
    return "将导入：" + "　".join(parts)


class LedgerImportDialog(QDialog):
    """One ledger file at a time; nothing is written before 导入 is confirmed."""

    imported = Signal(object)  # the LedgerImport result
    _progress = Signal(int, int)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx, self.desk = ctx, ctx.desk
        self.book: LedgerBook | None = None
        self.preview: LedgerPreview | None = None
        self.combos: dict[ColumnKey, QComboBox] = {}
        self.field_choices = self._field_choices()
        self.setWindowTitle("导入原有案件台账")
        fit_size(self, 1100, 720)
        layout = QVBoxLayout(self)

        top = QHBoxLayout()
        self.choose_button = QPushButton("选择台账文件…", self)
        self.file_label = QLabel("尚未选择文件（Excel .xlsx）", self)
        top.addWidget(self.choose_button)
        top.addWidget(self.file_label, 1)
        layout.addLayout(top)
        self.info_label = QLabel(self)
        self.info_label.setWordWrap(True)
        layout.addWidget(self.info_label)
        self.hidden_check = QCheckBox("导入隐藏的行、列和工作表（默认只列出，不导入）", self)
        layout.addWidget(self.hidden_check)

        splitter = QSplitter(Qt.Vertical, self)
        mapping_box = QWidget(splitter)
        mapping_layout = QVBoxLayout(mapping_box)
        mapping_layout.setContentsMargins(0, 0, 0, 0)
        mapping_layout.addWidget(QLabel("列对应（可修改：选择每一列对应的案件字段，修改后自动重新检查）", mapping_box))
        self.mapping_table = QTableWidget(0, 5, mapping_box)
        self.mapping_table.setHorizontalHeaderLabels(["列", "台账表头", "对应字段", "金额单位", "示例"])
        self.mapping_table.verticalHeader().setVisible(False)
        self.mapping_table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.mapping_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
        self.mapping_table.horizontalHeader().setStretchLastSection(True)
        mapping_layout.addWidget(self.mapping_table)

        self.tabs = QTabWidget(splitter)
        self.readable_table = QTableWidget(0, len(READABLE_COLUMNS), self.tabs)
        self.readable_table.setHorizontalHeaderLabels([c[0] for c in READABLE_COLUMNS])
        self.readable_table.verticalHeader().setVisible(False)
        self.readable_table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.readable_table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.readable_table.horizontalHeader().setStretchLastSection(True)
        for column, width in enumerate((50, 300, 220, 170, 90, 90)):
            self.readable_table.setColumnWidth(column, width)
        self.pending_list = QListWidget(self.tabs)
        self.unreadable_list = QListWidget(self.tabs)
        self.doubtful_list = QListWidget(self.tabs)
        self.hidden_list = QListWidget(self.tabs)
        self.present_list = QListWidget(self.tabs)
        self.skipped_list = QListWidget(self.tabs)
        # (widget, title, preview attribute) — the tab titles carry the counts.
        widgets = (self.pending_list, self.unreadable_list, self.doubtful_list, self.hidden_list, self.present_list,
                   self.skipped_list)
        self.lists = tuple((widget, title, attr) for widget, (title, attr) in zip(widgets, LISTS))
        self.tabs.addTab(self.readable_table, "可导入")
        for widget, title, _ in self.lists:
            self.tabs.addTab(widget, title)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        layout.addWidget(splitter, 1)

        self.summary_label = QLabel(self)
        self.totals_label = QLabel(self)
        self.totals_label.setStyleSheet("font-weight:bold")
        self.totals_label.setWordWrap(True)
        self.result_label = QLabel(self)
        self.result_label.setStyleSheet("color:#1b5e20")
        self.error_label = QLabel(self)
        self.error_label.setStyleSheet("color:#b00020")
        self.error_label.setWordWrap(True)
        self.progress = QProgressBar(self)
        self.progress.setVisible(False)
        layout.addWidget(self.totals_label)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.result_label)
        layout.addWidget(self.error_label)
        layout.addWidget(self.progress)

        self.buttons = QDialogButtonBox(self)
        self.import_button = self.buttons.addButton("导入", QDialogButtonBox.AcceptRole)
        self.import_button.setDefault(True)
        self.import_button.setEnabled(False)
        self.buttons.addButton("关闭", QDialogButtonBox.RejectRole)
        layout.addWidget(self.buttons)

        self.choose_button.clicked.connect(self.choose_file)
        self.import_button.clicked.connect(self.confirm_import)
        self.buttons.rejected.connect(self.reject)
        self.hidden_check.toggled.connect(self._hidden_toggled)
        self._progress.connect(self._show_progress, Qt.QueuedConnection)

    # ---- loading -------------------------------------------------------------------------------
    def choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "选择原有案件台账", "", "Excel 工作簿 (*.xlsx *.xlsm);;所有文件 (*)")
        if path:
            self.load(path)

    def load(self, path: str | Path) -> None:
        """Read the workbook in the background, then preview it with the proposed mapping."""
        self.file_label.setText(str(path))
        self.result_label.setText("")
        self._busy("正在读取台账…")
        self.ctx.ops.run(lambda: read_ledger(path), self._sheet_read, self._failed, parent=self,
                         progress="正在读取台账…", emit_changes=False)

    def _sheet_read(self, book: LedgerBook) -> None:
        self.book = book
        self.info_label.setText(self.book_text(book))
        self._fill_mapping(book)
        self.run_preview()

    @staticmethod
    def book_text(book: LedgerBook) -> str:
        parts = []
        for sheet in book.sheets:
            unit = f"按“{sheet.default_unit}”（{sheet.unit_line}）" if sheet.unit_line else \
                f"按“{sheet.default_unit}”（表上未注明）"
            hidden = "（隐藏的工作表）" if sheet.hidden else ""
            merged = f"，合并单元格已填入 {sheet.merged_cells_filled} 格" if sheet.merged_cells_filled else ""
            parts.append(f"工作表“{sheet.name}”{hidden}：表头在第{sheet.header_row}行，{len(sheet.rows)} 行数据，"
                         f"表头未注明单位的金额{unit}{merged}")
        parts += [f"工作表“{name}”未读取：{why}" for name, why in book.other_sheets]
        return "\n".join(parts)

    def _field_choices(self) -> QStandardItemModel:
        """The fields a column can be imported as, one list every column's pick-list shows: filling each of a
        ledger's 14–30 pick-lists with its own 30 entries took most of the mapping table's build."""
        model = QStandardItemModel(self)
        for label, name in [(NOT_IMPORTED, None)] + [(lf.label, lf.name) for lf in LF.LEDGER_FIELDS
                                                      if lf.name != LF.SEQUENCE]:
            item = QStandardItem(label)
            item.setData(name, Qt.UserRole)
            model.appendRow(item)
        return model

    def _fill_mapping(self, book: LedgerBook) -> None:
        self.combos.clear()
        table = self.mapping_table
        mapping = book.proposed_mapping(self.hidden_check.isChecked())
        columns = book.columns
        many = len(book.sheets) > 1
        table.setRowCount(len(columns))
        for r, col in enumerate(columns):
            where = f"{col.sheet} · {col.letter}" if many else col.letter
            header = (col.header or "（无标题）") + ("（隐藏列）" if col.hidden else "")
            table.setItem(r, 0, QTableWidgetItem(where))
            table.setItem(r, 1, QTableWidgetItem(header))
            combo = QComboBox(table)
            combo.setModel(self.field_choices)
            target = mapping.get(col.key)
            combo.setCurrentIndex(max(0, combo.findData(target)) if target and target != LF.SEQUENCE else 0)
            combo.setAccessibleName(f"{col.letter}列对应字段")
            combo.currentIndexChanged.connect(self.run_preview)
            table.setCellWidget(r, 2, combo)
            table.setItem(r, 3, QTableWidgetItem(""))
            table.setItem(r, 4, QTableWidgetItem(self._sample(book, col)))
            if col.hidden:
                for c in (0, 1, 3, 4):
                    table.item(r, c).setBackground(QBrush(HIDDEN_BRUSH))
            if col.named and not target:  # why a column that names a field is not proposed for it
                named = LF.LEDGER_FIELD_BY_NAME[col.named].label
                why = (f"隐藏列：表头对应“{named}”，默认不导入" if col.hidden and not self.hidden_check.isChecked() else
                       f"“{named}”取{col.outscored_by}列（表头更确切或该列未隐藏）" if col.outscored_by else "")
                table.item(r, 1).setToolTip(why)
                combo.setToolTip(why)
            self.combos[col.key] = combo

    @staticmethod
    def _sample(book: LedgerBook, col) -> str:
        for _, values in book.sheet(col.sheet).rows[:30]:
            if col.index < len(values) and values[col.index] not in (None, ""):
                return str(values[col.index])[:40]
        return ""

    def _hidden_toggled(self) -> None:
        if self.book is not None:
            self._fill_mapping(self.book)
            self.run_preview()

    def mapping(self) -> dict[ColumnKey, str | None]:
        return {key: combo.currentData() for key, combo in self.combos.items()}

    def combo(self, letter: str, sheet: str | None = None) -> QComboBox:
        """The field chooser of column ``letter`` (of ``sheet`` when several are read)."""
        col = next(c for c in self.book.columns if c.letter == letter and sheet in (None, c.sheet))
        return self.combos[col.key]

    def set_mapping(self, letter: str, field: str | None, sheet: str | None = None) -> None:
        """Point a column at a field (what choosing in its combo box does); re-runs the preview."""
        combo = self.combo(letter, sheet)
        combo.setCurrentIndex(combo.findData(field) if field else 0)

    # ---- preview -------------------------------------------------------------------------------
    def run_preview(self) -> None:
        if self.book is None:
            return
        book, mapping, hidden = self.book, self.mapping(), self.hidden_check.isChecked()
        self._busy("正在检查各行…")
        def check(report):
            def progress(done: int, total: int) -> None:
                report(done, total)  # raises once 取消 is pressed: nothing has been written yet
                self._progress.emit(done, total)
            return PreviewTexts.of(preview_ledger(self.desk, book, mapping, progress=progress, include_hidden=hidden))
        self.ctx.ops.run(check, self._show_preview, self._failed, parent=self, progress="正在检查各行…",
                         emit_changes=False, cancellable=True)

    def _show_preview(self, shown: PreviewTexts) -> None:
        preview = self.preview = shown.preview
        self.progress.setVisible(False)
        self.error_label.setText("；".join(preview.notes))
        for r, unit in enumerate(shown.units):
            self.mapping_table.item(r, 3).setText(unit)
        table = self.readable_table
        table.setRowCount(len(shown.rows))
        for r, (texts, pending) in enumerate(shown.rows):
            for c, text in enumerate(texts):
                item = QTableWidgetItem(text)
                if pending:
                    item.setBackground(QBrush(PENDING_BRUSH))
                table.setItem(r, c, item)
        self.tabs.setTabText(0, f"可导入（{len(preview.readable)}）")
        for i, ((widget, title, _), lines) in enumerate(zip(self.lists, shown.lists), start=1):
            widget.clear()
            widget.addItems(lines)
            self.tabs.setTabText(i, f"{title}（{len(lines)}）")
        self.summary_label.setText(shown.summary)
        self.totals_label.setText(shown.totals)
        self.import_button.setEnabled(bool(preview.readable))
        self.choose_button.setEnabled(True)

    # ---- import --------------------------------------------------------------------------------
    def confirm_text(self) -> str:
        p = self.preview
        text = f"将导入 {len(p.readable)} 件案件"
        if p.incomplete:
            text += f"，其中 {len(p.incomplete)} 件标记为“待补正”（导入后须补全）"
        money = [f"{k} {fen_to_yuan_text(v)} 元" for k, v in p.totals.items() if k != "案件"]
        text += f"（{'，'.join(money)}）"
        if p.unreadable:
            text += f"。\n另有 {len(p.unreadable)} 行无法读取，不会导入"
        if p.doubtful:
            text += f"。\n{len(p.doubtful)} 行存疑，不会导入"
        if p.hidden:
            text += f"。\n{len(p.hidden)} 个隐藏行不会导入"
        if p.present:
            text += f"。\n{len(p.present)} 行已在数据库中，将跳过"
        return text + "。\n\n确定导入吗？"

    def ask(self, text: str) -> bool:
        return QMessageBox.question(self, "确认导入", text, QMessageBox.Yes | QMessageBox.No,
                                    QMessageBox.No) == QMessageBox.Yes

    def confirm_import(self) -> None:
        if not self.preview or not self.preview.readable or not self.ask(self.confirm_text()):
            return
        preview = self.preview
        self._busy("正在导入…")
        # 取消 stops it before anything is written (one transaction after checking every row).
        def failed(exc: BaseException) -> None:
            self._failed(exc)
            if isinstance(exc, Cancelled):
                self.error_label.setText("已取消导入，未写入任何案件")
        self.ctx.ops.run(lambda report: import_ledger(self.desk, preview, progress=report), self._imported,
                         failed, parent=self, progress=f"正在导入 {len(preview.readable)} 件案件…",
                         emit_changes=False, cancellable=True)

    def _imported(self, result) -> None:
        self.progress.setVisible(False)
        self.ctx.ops.changed.emit(result.changes)
        self.imported.emit(result)
        self.result_label.setText(f"已导入 {result.imported} 件案件（其中待补正 {result.incomplete} 件）。"
                                   "可用“撤销”整体撤回本次导入。")
        self.import_button.setEnabled(False)
        self.choose_button.setEnabled(True)
        self.run_preview()  # now every imported row shows as 已在数据库中

    # ---- state ---------------------------------------------------------------------------------
    def _busy(self, text: str) -> None:
        self.import_button.setEnabled(False)
        self.choose_button.setEnabled(False)
        self.error_label.setText("")
        self.progress.setFormat(text + " %p%")
        self.progress.setRange(0, 0)

    def _show_progress(self, done: int, total: int) -> None:
        self.progress.setVisible(total > 500)
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def _failed(self, exc: BaseException) -> None:
        self.progress.setVisible(False)
        self.choose_button.setEnabled(True)
        self.import_button.setEnabled(bool(self.preview and self.preview.readable))
        if isinstance(exc, IpdeskError):
            self.error_label.setText(exc.zh)
        else:
            show_error(exc, self)


def open_ledger_import(ctx: AppContext, parent: QWidget | None = None, path: str | Path | None = None
                       ) -> LedgerImportDialog:
    """Show the import dialog (window-modal); asks for a file unless ``path`` is given."""
    dialog = LedgerImportDialog(ctx, parent)
    dialog.setAttribute(Qt.WA_DeleteOnClose)
    dialog.open()
    if path:
        dialog.load(path)
    else:
        dialog.choose_file()
    return dialog
