"""设置 → 备份与恢复: the backups with time and size, 立即备份, 恢复 (the current file is backed up first),
the backup folder. Every call goes through the desk on the background worker."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QAbstractItemView, QFileDialog, QHBoxLayout, QHeaderView, QLabel, QMessageBox,
                               QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from ..desk import Changes
from ..domain import enums
from ..errors import Cancelled
from .context import AppContext

ALL_TABLES = {"cases", "case_adjustments", "inspections", "work_items", "manual_cells", "explanations", "users",
              "units", "settings", "holidays", "submissions", "received_packages"}


class BackupPanel(QWidget):
    def __init__(self, ctx: AppContext):
        super().__init__()
        self.ctx = ctx
        self.backups: list = []
        intro = QLabel("数据库每次关闭时、工作中每隔一段时间、升级和导入之前都会自动备份，并保留最近的、"
                       "每天、每周和每月的备份。建议把备份文件夹设在另一块硬盘或U盘上。")
        intro.setWordWrap(True)
        self.folder = QLabel()
        self.folder.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(["备份时间", "大小", "类型", "文件"])
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.Stretch)
        self.backup_button = QPushButton("立即备份")
        self.restore_button = QPushButton("恢复所选备份…")
        self.folder_button = QPushButton("选择备份文件夹…")
        self.backup_button.clicked.connect(self.backup_now)
        self.restore_button.clicked.connect(self.restore_selected)
        self.folder_button.clicked.connect(self.choose_folder)
        self.message = QLabel()
        self.message.setWordWrap(True)
        buttons = QHBoxLayout()
        for b in (self.backup_button, self.restore_button, self.folder_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.folder)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        self.load()

    # ---- reading ----------------------------------------------------------------------------------
    def load(self) -> None:
        desk = self.ctx.desk
        self.ctx.ops.run(lambda: (desk.backup_folder(), desk.backups(), desk.office.user_role()), self._show,
                         emit_changes=False)

    def _show(self, result) -> None:
        folder, backups, role = result
        self.backups = backups
        # An empty list says why it is empty (a new file has none until it is closed or 立即备份 is pressed).
        self.folder.setText(f"备份文件夹：{folder}" + ("" if backups else "　（还没有备份：关闭程序时或点击“立即备份”后生成）"))
        self.table.setRowCount(len(backups))
        for row, info in enumerate(backups):
            for col, text in enumerate((info.made_at.strftime("%Y-%m-%d %H:%M:%S"), _size(info.size),
                                        info.reason_label, info.path.name)):
                item = QTableWidgetItem(text)
                if col == 1:
                    item.setTextAlignment(Qt.AlignRight | Qt.AlignVCenter)
                self.table.setItem(row, col, item)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.Stretch)
        if backups:
            self.table.selectRow(0)
        admin = role == enums.ROLE_ADMIN
        self.restore_button.setEnabled(admin and bool(backups))
        self.folder_button.setEnabled(admin)
        self.restore_button.setToolTip("" if admin else "只有管理员可以恢复备份")

    def refresh(self, changes) -> None:
        if changes is None or "settings" in changes.tables or "backups" in changes.tables:
            self.load()

    def say(self, text: str, ok: bool = True) -> None:
        self.message.setStyleSheet(f"color: {'#1e8449' if ok else '#c0392b'};")
        self.message.setText(text)

    # ---- acting -----------------------------------------------------------------------------------
    def backup_now(self) -> None:
        desk = self.ctx.desk
        def failed(exc: BaseException) -> None:
            if isinstance(exc, Cancelled):  # the copy was under a temporary name: nothing is left of it
                self.say("已取消备份，未留下任何文件", ok=False)
            else:
                self._failed(exc)
        self.ctx.ops.run(lambda report: desk.backup_now("manual", progress=report), self._backed_up, failed,
                         parent=self, progress="正在备份并校验…", emit_changes=False, cancellable=True)

    def _backed_up(self, path) -> None:
        self.say(f"已备份并校验：{path}")
        self.load()

    def selected(self):
        rows = self.table.selectionModel().selectedRows()
        return self.backups[rows[0].row()] if rows else None

    def restore_selected(self, *, confirm: bool = True) -> None:
        info = self.selected()
        if info is None:
            self.say("请先选择一份备份", ok=False)
            return
        if confirm and QMessageBox.question(
                self, "恢复备份",
                f"用 {info.made_at:%Y-%m-%d %H:%M:%S} 的备份替换当前数据库？\n\n"
                "恢复前会先把当前数据库另行备份，恢复后也可以再恢复回来。") != QMessageBox.Yes:
            return
        desk = self.ctx.desk

        def task():
            result = desk.restore_backup(info.path)
            return result
        self.ctx.ops.run(task, self._restored, self._failed, parent=self, progress="正在恢复…")

    def _restored(self, result) -> None:
        kept = f"；恢复前的数据库已备份为 {result.previous_copy.name}" if result.previous_copy else ""
        self.say(f"已从 {result.restored_from.name} 恢复{kept}")
        self.ctx.ops.changed.emit(Changes(set(ALL_TABLES), label="从备份恢复"))  # every page reloads
        self.load()

    def choose_folder(self, folder: str | None = None) -> None:
        if folder is None:
            folder = QFileDialog.getExistingDirectory(self, "选择备份文件夹", str(self.ctx.desk.backup_folder()))
        if not folder:
            return
        desk = self.ctx.desk

        def task():
            desk.set_setting("backup_dir", folder)
            return Changes({"settings"}, label="设置 备份文件夹")
        def done(_changes) -> None:
            self.say(f"备份文件夹已改为 {folder}")
            self.load()
        self.ctx.ops.run(task, done, self._failed, parent=self)

    def _failed(self, exc: BaseException) -> None:
        self.say(getattr(exc, "zh", None) or str(exc), ok=False)


def _size(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{max(1, round(n / 1024))} KB"
