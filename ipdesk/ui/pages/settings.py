"""设置: a tab widget; each tab is registered in SETTINGS_TABS (title, module, class) so other areas
(backup, audit log, …) add a tab with one line. A tab is a QWidget taking ``(ctx)`` with ``refresh(changes)``."""
from __future__ import annotations

import importlib
from pathlib import Path

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QDateEdit, QDialog, QDialogButtonBox, QFileDialog,
                               QFormLayout, QHBoxLayout, QHeaderView, QInputDialog, QLabel, QLineEdit, QPushButton,
                               QSpinBox, QTableWidget, QTableWidgetItem, QTabWidget, QVBoxLayout, QWidget)

from ...desk import FIRST_MONTH, Changes
from ...domain.fields import setting_label
from ...domain import enums
from ...errors import IpdeskError
from ..context import AppContext
from ..ops import show_error
from ..first_start import combo_code, division_combo

SETTINGS_TABS: list[tuple[str, str, str]] = [
    ("单位与联系人", "ipdesk.ui.pages.settings", "UnitTab"),
    ("用户与角色", "ipdesk.ui.pages.settings", "UsersTab"),
    (setting_label("print_font"), "ipdesk.ui.pages.settings", "FontTab"),
    (setting_label("backup_dir"), "ipdesk.ui.pages.settings", "BackupFolderTab"),
    ("节假日", "ipdesk.ui.pages.settings", "HolidaysTab"),
    ("备份与恢复", "ipdesk.ui.backup_panel", "BackupPanel"),
    ("操作日志", "ipdesk.ui.audit_view", "AuditView"),
]
RED, GREEN = "#c0392b", "#1e8449"
HOLIDAY_KINDS = (("holiday", "放假"), ("workday", "调休上班"))


class SettingsPage(QWidget):
    def __init__(self, ctx: AppContext):
        super().__init__()
        self.ctx = ctx
        self.tabs = QTabWidget()
        self.tab_widgets: dict[str, QWidget] = {}
        for title, module, cls in SETTINGS_TABS:
            widget = getattr(importlib.import_module(module), cls)(ctx)
            self.tab_widgets[title] = widget
            self.tabs.addTab(widget, title)
        QVBoxLayout(self).addWidget(self.tabs)

    def tab(self, title: str) -> QWidget:
        return self.tab_widgets[title]

    def refresh(self, changes) -> None:
        for widget in self.tab_widgets.values():
            widget.refresh(changes)

    def unsaved_edits(self) -> list[str]:
        """Titles of the tabs holding typed-in values not yet saved (asked about before they are lost)."""
        return [title for title, w in self.tab_widgets.items() if getattr(w, "unsaved", lambda: False)()]

    def save_edits(self) -> None:
        for title in self.unsaved_edits():
            self.tab_widgets[title].save_edits()

    def discard_edits(self) -> None:
        for title in self.unsaved_edits():
            self.tab_widgets[title].load()


class _Tab(QWidget):
    def __init__(self, ctx: AppContext):
        super().__init__()
        self.ctx = ctx
        self.message = QLabel()
        self.message.setWordWrap(True)

    def say(self, text: str, ok: bool = True) -> None:
        self.message.setStyleSheet(f"color: {GREEN if ok else RED};")
        self.message.setText(text)

    def failed(self, exc: BaseException) -> None:
        if isinstance(exc, IpdeskError):
            self.say(exc.zh, ok=False)
        else:
            show_error(exc, self)

    def refresh(self, changes) -> None:
        pass


# ---- unit and contacts -------------------------------------------------------------------------
class UnitTab(_Tab):
    def __init__(self, ctx: AppContext):
        super().__init__(ctx)

        self.code = QLabel()
        self.name = QLineEdit()
        self.parent_unit = division_combo(self, levels=("region", "league"), allow_empty=True)
        self.contact = QLineEdit()
        self.phone = QLineEdit()
        self.email = QLineEdit()
        self.subordinates = QLabel()
        self.subordinates.setWordWrap(True)
        self.first_month = QLineEdit()
        self.first_month.setPlaceholderText("如 2026-03")
        self.first_month.setToolTip("开始用本程序报送的第一个月：此后各月须按顺序审核，之前的月份不算逾期（管理员设置）")
        save = QPushButton("保存")
        save.setDefault(True)
        save.clicked.connect(self.save)
        form = QFormLayout()
        form.addRow("单位代码", self.code)
        form.addRow("单位名称", self.name)
        form.addRow("上级单位", self.parent_unit)
        form.addRow("联系人", self.contact)
        form.addRow("电话", self.phone)
        form.addRow("邮箱", self.email)
        form.addRow("下级单位", self.subordinates)
        form.addRow(setting_label(FIRST_MONTH), self.first_month)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(save, 0, Qt.AlignLeft)
        layout.addWidget(self.message)
        layout.addStretch(1)
        for edit in (self.name, self.contact, self.phone, self.email, self.first_month):
            edit.returnPressed.connect(self.save)
        self.load()

    def load(self) -> None:
        unit = self.ctx.desk.unit
        self.code.setText(unit["code"])
        self.name.setText(unit["name"])
        index = self.parent_unit.findData(unit["parent_code"] or "")
        self.parent_unit.setCurrentIndex(max(index, 0))
        self.contact.setText(unit["contact_person"] or "")
        self.phone.setText(unit["phone"] or "")
        self.email.setText(unit["email"] or "")
        self.first_month.setText(self.ctx.desk.setting(FIRST_MONTH) or "")
        subs = self.ctx.desk.office.subordinate_units()
        self.subordinates.setText("、".join(s["name"] for s in subs) if subs else "（无；本单位为基层单位）")

    def refresh(self, changes) -> None:
        if changes is None or "units" in changes.tables:
            self.load()

    def values(self) -> dict:
        parent = combo_code(self.parent_unit) if self.parent_unit.currentIndex() != 0 else ""
        return dict(name=self.name.text().strip(), parent_code=parent or None,
                    contact_person=self.contact.text().strip(), phone=self.phone.text().strip(),
                    email=self.email.text().strip())

    def unsaved(self) -> bool:
        unit = self.ctx.desk.unit
        return (any((unit[k] or None) != (v or None) for k, v in self.values().items())
                or self._first_month_changed())

    def _first_month_changed(self) -> bool:
        return (self.ctx.desk.setting(FIRST_MONTH) or "") != self.first_month.text().strip()

    def save_edits(self) -> None:
        self.save()

    def save(self) -> None:
        values = self.values()
        first = self.first_month.text().strip() if self._first_month_changed() else None

        def task():
            changes = self.ctx.desk.office.update_unit(**values)
            if first is not None:
                self.ctx.desk.set_first_month(first or None)
                changes.tables.add("settings")
            return changes

        def done(_changes) -> None:
            self.first_month.setText(self.ctx.desk.setting(FIRST_MONTH) or "")
            self.say("已保存单位信息")
        self.ctx.ops.run(task, done, self.failed, parent=self)


# ---- users and roles ---------------------------------------------------------------------------
class UserDialog(QDialog):
    """Name, role and password (twice) of a new user. Once it is not the first user, the password is required
    — and the acting user without a password sets theirs here too (``own_name``): see OfficeManager.add_user."""

    def __init__(self, parent=None, *, password_required: bool = False, own_name: str | None = None):
        super().__init__(parent)
        self.setWindowTitle("添加用户")
        self.setMinimumWidth(360)  # as wide as the login: the fields were ~110 pixels, a name barely fitted
        self.password_required, self.own_name = password_required, own_name
        self.name = QLineEdit()
        self.role = QComboBox()
        self.role.addItems(enums.ROLES)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.Password)
        self.password2 = QLineEdit()
        self.password2.setEchoMode(QLineEdit.Password)
        self.own_password = QLineEdit()
        self.own_password.setEchoMode(QLineEdit.Password)
        self.own_password2 = QLineEdit()
        self.own_password2.setEchoMode(QLineEdit.Password)
        self.error = QLabel()
        self.error.setStyleSheet(f"color: {RED};")
        self.error.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.accepted.connect(self.check)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("姓名", self.name)
        form.addRow("角色", self.role)
        form.addRow("密码" + ("（必填）" if password_required else ""), self.password)
        form.addRow("再次输入密码", self.password2)
        if own_name:
            note = QLabel(f"多人使用时每个用户都须有密码：请同时为您本人（{own_name}）设置密码。")
            note.setWordWrap(True)
            form.addRow(note)
            form.addRow("您本人的新密码", self.own_password)
            form.addRow("再次输入", self.own_password2)
        form.addRow(self.error)
        form.addRow(buttons)

    def check(self) -> None:
        errors = []
        if not self.name.text().strip():
            errors.append("请填写姓名")
        if self.password_required and not self.password.text():
            errors.append("已有其他用户：新用户必须设置密码")
        elif self.password.text() != self.password2.text():
            errors.append("两次输入的密码不一致")
        if self.own_name:
            if not self.own_password.text():
                errors.append(f"请为您本人（{self.own_name}）设置密码")
            elif self.own_password.text() != self.own_password2.text():
                errors.append("您本人的密码两次输入不一致")
        if errors:
            self.error.setText("；".join(errors))
        else:
            self.accept()


class UsersTab(_Tab):
    def __init__(self, ctx: AppContext):
        super().__init__(ctx)
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(["姓名", "角色", "密码", "状态"])
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.Stretch)
        self.add_button = QPushButton("添加用户…")
        self.add_button.clicked.connect(lambda: self.add_user())
        self.password_button = QPushButton("修改密码…")
        self.password_button.clicked.connect(lambda: self.change_password())
        self.note = QLabel()
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.password_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        self.load()

    def is_admin(self) -> bool:
        return self.ctx.desk.office.user_role() == enums.ROLE_ADMIN

    def load(self) -> None:
        users = self.ctx.desk.office.users()
        self.table.setRowCount(len(users))
        for r, u in enumerate(users):
            for c, text in enumerate((u["name"], u["role"], "已设置" if u["has_password"] else "未设置",
                                      "启用" if u["active"] else "停用")):
                self.table.setItem(r, c, QTableWidgetItem(text))
        admin = self.is_admin()
        self.add_button.setEnabled(admin)
        self.note.setText(f"当前用户：{self.ctx.desk.user or '—'}（{self.ctx.desk.office.user_role() or '—'}）。"
                          + ("管理员可以添加用户、修改任何用户的密码。" if admin
                             else "只有管理员可以管理用户；您可以修改自己的密码。"))

    def refresh(self, changes) -> None:
        if changes is None or "users" in changes.tables:
            self.load()

    def selected_user(self) -> str | None:
        row = self.table.currentRow()
        return self.table.item(row, 0).text() if row >= 0 and self.table.item(row, 0) else None

    def add_user(self, dialog: UserDialog | None = None) -> None:
        if not self.is_admin():
            self.say("只有管理员可以添加用户", ok=False)
            return
        office = self.ctx.desk.office
        dialog = dialog or UserDialog(self, password_required=bool(office.users()),
                                      own_name=self.ctx.desk.user if self._own_password_missing() else None)
        if dialog.result() != QDialog.Accepted and dialog.exec() != QDialog.Accepted:
            return
        name, role, password = dialog.name.text().strip(), dialog.role.currentText(), dialog.password.text()
        own = dialog.own_password.text() or None
        self.ctx.ops.run(lambda: office.add_user(name, role, password, own_password=own),
                         lambda _c: self.say(f"已添加用户“{name}”（{role}）"), self.failed, parent=self)

    def _own_password_missing(self) -> bool:
        me = next((u for u in self.ctx.desk.office.users() if u["name"] == self.ctx.desk.user), None)
        return me is not None and not me["has_password"]

    def change_password(self, new_password: str | None = None) -> None:
        name = self.selected_user() or self.ctx.desk.user
        if name != self.ctx.desk.user and not self.is_admin():
            self.say("只有管理员可以修改其他用户的密码", ok=False)
            return
        if new_password is None:
            hint = "" if self.ctx.desk.office.passwords_required() else "（留空表示不设密码）"
            first, ok = QInputDialog.getText(self, "修改密码", f"“{name}”的新密码{hint}：", QLineEdit.Password)
            if not ok:
                return
            second, ok = QInputDialog.getText(self, "修改密码", "再次输入新密码：", QLineEdit.Password)
            if not ok:
                return
            if first != second:
                self.say("两次输入的密码不一致，密码未修改", ok=False)
                return
            new_password = first
        self.ctx.ops.run(lambda: self.ctx.desk.office.set_password(name, new_password),
                         lambda _c: self.say(f"已修改“{name}”的密码"), self.failed, parent=self)


# ---- print font and backup folder (plain settings) ---------------------------------------------
class _PathSettingTab(_Tab):
    KEY = ""
    INTRO = ""
    EMPTY = ""
    PICK_FOLDER = False
    FILTER = ""

    def __init__(self, ctx: AppContext):
        super().__init__(ctx)
        intro = QLabel(self.INTRO)
        intro.setWordWrap(True)
        self.path = QLineEdit()
        self.path.setPlaceholderText(self.EMPTY)
        browse = QPushButton("浏览…")
        browse.clicked.connect(self.browse)
        clear = QPushButton("恢复默认")
        clear.clicked.connect(lambda: self.store(""))
        save = QPushButton("保存")
        save.clicked.connect(lambda: self.store(self.path.text().strip()))
        self.path.returnPressed.connect(lambda: self.store(self.path.text().strip()))
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        for b in (browse, save, clear):
            row.addWidget(b)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(row)
        layout.addWidget(self.message)
        layout.addStretch(1)
        self.load()

    def load(self) -> None:
        self.path.setText(self.ctx.desk.setting(self.KEY, "") or "")

    def unsaved(self) -> bool:
        return self.path.text().strip() != (self.ctx.desk.setting(self.KEY, "") or "")

    def save_edits(self) -> None:
        self.store(self.path.text().strip())

    def refresh(self, changes) -> None:
        if changes is None or "settings" in changes.tables:
            self.load()

    def browse(self) -> None:
        if self.PICK_FOLDER:
            chosen = QFileDialog.getExistingDirectory(self, "选择文件夹", self.path.text())
        else:
            chosen, _ = QFileDialog.getOpenFileName(self, "选择字体文件", self.path.text(), self.FILTER)
        if chosen:
            self.store(chosen)

    def problem(self, path: Path) -> str | None:
        return None

    def store(self, text: str) -> None:
        if text:
            trouble = self.problem(Path(text))
            if trouble:
                self.say(trouble, ok=False)
                return
        value = text or None

        def task():
            self.ctx.desk.set_setting(self.KEY, value)
            return Changes({"settings"}, label=f"设置 {setting_label(self.KEY)}")
        self.ctx.ops.run(task, lambda _c: self.say("已保存" if value else "已恢复默认"), self.failed, parent=self)


class FontTab(_PathSettingTab):
    KEY = "print_font"
    INTRO = ("打印和PDF使用的中文字体文件（TrueType：.ttf/.ttc，如 simfang.ttf 仿宋、simsun.ttc 宋体）。"
             "留空则自动在系统中查找。")
    EMPTY = "自动（在系统字体中查找）"
    FILTER = "TrueType 字体 (*.ttf *.ttc *.TTF *.TTC)"

    def problem(self, path: Path) -> str | None:
        if not path.is_file():
            return f"找不到字体文件：{path}"
        if path.suffix.lower() not in (".ttf", ".ttc"):
            return "请选择 TrueType 字体文件（.ttf 或 .ttc）；.otf 字体无法嵌入PDF"
        return None


class BackupFolderTab(_PathSettingTab):
    KEY = "backup_dir"
    INTRO = "自动备份保存的文件夹。建议选择另一块硬盘或U盘上的文件夹；留空则保存在数据库旁的 backups 文件夹。"
    EMPTY = "默认（数据库旁的 backups 文件夹）"
    PICK_FOLDER = True

    def problem(self, path: Path) -> str | None:
        if path.exists() and not path.is_dir():
            return f"不是文件夹：{path}"
        return None


# ---- working-day calendar ----------------------------------------------------------------------
class HolidaysTab(_Tab):
    def __init__(self, ctx: AppContext):
        super().__init__(ctx)
        intro = QLabel("办案时限（线索15个工作日）按工作日计算。这里是法定节假日和调休上班日，可按国务院办公厅每年的通知补充。")
        intro.setWordWrap(True)
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(ctx.desk.today().year)
        self.year.setSuffix(" 年")
        self.year.valueChanged.connect(lambda _v: self.load())
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels(["日期", "类型", "名称"])
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.Stretch)
        self.day = QDateEdit()
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("yyyy-MM-dd")
        today = ctx.desk.today()
        self.day.setDate(QDate(today.year, today.month, today.day))
        self.kind = QComboBox()
        for key, label in HOLIDAY_KINDS:
            self.kind.addItem(label, key)
        self.name = QLineEdit()
        self.name.setPlaceholderText("如 国庆节")
        add = QPushButton("添加/修改")
        add.clicked.connect(self.add)
        remove = QPushButton("删除所选")
        remove.clicked.connect(self.remove)
        self.import_button = QPushButton("导入节假日表（CSV）…")
        self.import_button.setToolTip("表头 date,kind,name；kind 为 holiday（放假）或 workday（调休上班），"
                                      "与随程序提供的节假日表格式相同")
        self.import_button.clicked.connect(self.choose_file)
        self.edit_buttons = {b: b.toolTip() for b in (add, remove, self.import_button)}
        top = QHBoxLayout()
        top.addWidget(QLabel("年份"))
        top.addWidget(self.year)
        top.addStretch(1)
        top.addWidget(self.import_button)
        edit = QHBoxLayout()
        for w in (self.day, self.kind, self.name, add, remove):
            edit.addWidget(w)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(top)
        layout.addWidget(self.table)
        layout.addLayout(edit)
        layout.addWidget(self.message)
        self.load()

    def load(self) -> None:
        admin = self.ctx.desk.office.user_role() == enums.ROLE_ADMIN
        for button, tip in self.edit_buttons.items():
            button.setEnabled(admin)
            button.setToolTip(tip if admin else "只有管理员可以修改或导入节假日")
        rows = self.ctx.desk.limits.holidays(self.year.value())
        labels = dict(HOLIDAY_KINDS)
        self.table.setRowCount(len(rows))
        for r, h in enumerate(rows):
            for c, text in enumerate((h["date"], labels.get(h["kind"], h["kind"]), h["name"] or "")):
                self.table.setItem(r, c, QTableWidgetItem(text))
        if not rows:
            self.say(f"{self.year.value()}年尚无节假日数据：请按当年通知添加，否则只按周末计算。", ok=False)
        else:
            self.say("")

    def refresh(self, changes) -> None:
        if changes is None or "holidays" in changes.tables:
            self.load()

    def _set(self, day: str, kind: str | None, name: str = "") -> None:
        def task():
            self.ctx.desk.limits.set_holiday(day, kind, name)
            return Changes({"holidays"}, label=f"修改节假日 {day}")
        self.ctx.ops.run(task, None, self.failed, parent=self)

    def choose_file(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(self, "选择节假日表", "", "CSV 文件 (*.csv)")
        if chosen:
            self.import_file(chosen)

    def import_file(self, path: str) -> None:
        def done(changes) -> None:
            self.load()
            self.say(f"已{changes.label}")
        self.ctx.ops.run(lambda: self.ctx.desk.limits.import_holidays(path), done, self.failed, parent=self)

    def add(self) -> None:
        day = self.day.date().toString("yyyy-MM-dd")
        if self.day.date().year() != self.year.value():
            self.year.setValue(self.day.date().year())
        self._set(day, self.kind.currentData(), self.name.text().strip())

    def remove(self) -> None:
        row = self.table.currentRow()
        if row < 0:
            self.say("请先选择要删除的日期", ok=False)
            return
        self._set(self.table.item(row, 0).text(), None)
