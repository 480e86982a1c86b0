"""导入原有台账: choose an Excel ledger, check how its columns map to case fields (editable),
see every row that cannot be read and why, then import the readable rows in one go."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QDialog, QDialogButtonBox, QFileDialog, QHBoxLayout,
                               QHeaderView, QLabel, QListWidget, QMessageBox, QProgressBar, QPushButton, QSplitter,
                               QTableWidget, QTableWidgetItem, QTabWidget, QVBoxLayout, QWidget)

from ..errors import IpdeskError
from ..exchange import ledger_fields as LF
from ..exchange.ledger import LedgerPreview, LedgerSheet, import_ledger, preview_ledger, read_ledger
from .context import AppContext
from .screen_fit import fit_size

NOT_IMPORTED = "（不导入）"
PREVIEW_ROWS = 500  # rows shown in the preview table; every row is still checked and imported
READABLE_COLUMNS = (("行", None), ("案件名称", "name"), ("立案号", "case_no"), ("案件类别", "category"),
                    ("立案日期", "filed_date"), ("结案日期", "closed_date"), ("待补正", None))


class LedgerImportDialog(QDialog):
    """One ledger file at a time; nothing is written before 导入 is confirmed."""

    imported = Signal(object)  # the LedgerImport result
    _progress = Signal(int, int)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx, self.desk = ctx, ctx.desk
        self.sheet: LedgerSheet | None = None
        self.preview: LedgerPreview | None = None
        self.combos: dict[int, QComboBox] = {}
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

        splitter = QSplitter(Qt.Vertical, self)
        mapping_box = QWidget(splitter)
        mapping_layout = QVBoxLayout(mapping_box)
        mapping_layout.setContentsMargins(0, 0, 0, 0)
        mapping_layout.addWidget(QLabel("列对应（可修改：选择每一列对应的案件字段，修改后自动重新检查）", mapping_box))
        self.mapping_table = QTableWidget(0, 4, mapping_box)
        self.mapping_table.setHorizontalHeaderLabels(["列", "台账表头", "对应字段", "示例"])
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
        self.unreadable_list = QListWidget(self.tabs)
        self.present_list = QListWidget(self.tabs)
        self.tabs.addTab(self.readable_table, "可导入")
        self.tabs.addTab(self.unreadable_list, "无法读取")
        self.tabs.addTab(self.present_list, "已在数据库中")
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        layout.addWidget(splitter, 1)

        self.summary_label = QLabel(self)
        self.result_label = QLabel(self)
        self.result_label.setStyleSheet("color:#1b5e20")
        self.error_label = QLabel(self)
        self.error_label.setStyleSheet("color:#b00020")
        self.error_label.setWordWrap(True)
        self.progress = QProgressBar(self)
        self.progress.setVisible(False)
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

    def _sheet_read(self, sheet: LedgerSheet) -> None:
        self.sheet = sheet
        self.info_label.setText(f"工作表“{sheet.sheet_name}”，表头在第{sheet.header_row}行，共 {len(sheet.rows)} 行数据；"
                                f"表头未注明单位的金额按“{sheet.default_unit}”读取。")
        self._fill_mapping(sheet)
        self.run_preview()

    def _fill_mapping(self, sheet: LedgerSheet) -> None:
        self.combos.clear()
        table = self.mapping_table
        table.setRowCount(len(sheet.columns))
        for r, col in enumerate(sheet.columns):
            table.setItem(r, 0, QTableWidgetItem(col.letter))
            table.setItem(r, 1, QTableWidgetItem(col.header or "（无标题）"))
            combo = QComboBox(table)
            combo.addItem(NOT_IMPORTED, None)
            for lf in LF.LEDGER_FIELDS:
                if lf.name != LF.SEQUENCE:
                    combo.addItem(lf.label, lf.name)
            combo.setCurrentIndex(max(0, combo.findData(col.guess)) if col.guess != LF.SEQUENCE else 0)
            combo.setAccessibleName(f"{col.letter}列对应字段")
            combo.currentIndexChanged.connect(self.run_preview)
            table.setCellWidget(r, 2, combo)
            table.setItem(r, 3, QTableWidgetItem(self._sample(sheet, col.index)))
            self.combos[col.index] = combo

    @staticmethod
    def _sample(sheet: LedgerSheet, index: int) -> str:
        for _, values in sheet.rows[:30]:
            if index < len(values) and values[index] not in (None, ""):
                return str(values[index])[:40]
        return ""

    def mapping(self) -> dict[int, str | None]:
        return {index: combo.currentData() for index, combo in self.combos.items()}

    def set_mapping(self, index: int, field: str | None) -> None:
        """Point a column at a field (what choosing in its combo box does); re-runs the preview."""
        combo = self.combos[index]
        combo.setCurrentIndex(combo.findData(field) if field else 0)

    # ---- preview -------------------------------------------------------------------------------
    def run_preview(self) -> None:
        if self.sheet is None:
            return
        sheet, mapping = self.sheet, self.mapping()
        self._busy("正在检查各行…")
        self.ctx.ops.run(lambda: preview_ledger(self.desk, sheet, mapping, progress=self._progress.emit),
                         self._show_preview, self._failed, parent=self, progress="正在检查各行…",
                         emit_changes=False)

    def _show_preview(self, preview: LedgerPreview) -> None:
        self.preview = preview
        self.progress.setVisible(False)
        self.error_label.setText("；".join(preview.notes))
        table = self.readable_table
        shown = preview.readable[:PREVIEW_ROWS]
        table.setRowCount(len(shown))
        for r, row in enumerate(shown):
            for c, (_, key) in enumerate(READABLE_COLUMNS):
                if c == 0:
                    text = str(row.row)
                elif key:
                    text = str(row.record.get(key) or "")
                else:
                    text = "、".join(row.missing)
                item = QTableWidgetItem(text)
                if row.missing:
                    item.setBackground(QBrush(QColor("#fff3cd")))
                table.setItem(r, c, item)
        self.unreadable_list.clear()
        self.unreadable_list.addItems([f"第{row}行：{reason}" for row, reason in preview.unreadable])
        self.present_list.clear()
        self.present_list.addItems([f"第{row}行：{key}" for row, key in preview.present])
        self.tabs.setTabText(0, f"可导入（{len(preview.readable)}）")
        self.tabs.setTabText(1, f"无法读取（{len(preview.unreadable)}）")
        self.tabs.setTabText(2, f"已在数据库中（{len(preview.present)}）")
        more = f"（表中显示前 {PREVIEW_ROWS} 行）" if len(preview.readable) > PREVIEW_ROWS else ""
        self.summary_label.setText("　".join(f"{k} {v}" for k, v in preview.counts().items()) + more)
        self.import_button.setEnabled(bool(preview.readable))
        self.choose_button.setEnabled(True)

    # ---- import --------------------------------------------------------------------------------
    def confirm_text(self) -> str:
        p = self.preview
        text = f"将导入 {len(p.readable)} 件案件"
        if p.incomplete:
            text += f"，其中 {len(p.incomplete)} 件标记为“待补正”（导入后须补全）"
        if p.unreadable:
            text += f"。\n另有 {len(p.unreadable)} 行无法读取，不会导入"
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
        self.ctx.ops.run(lambda: import_ledger(self.desk, preview), self._imported, self._failed, parent=self,
                         progress=f"正在导入 {len(preview.readable)} 件案件…", emit_changes=False)

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
            from .ops import show_error

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
