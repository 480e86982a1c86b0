"""First start: choose the unit from the division list (or type it), its parent, contacts and the first user."""
from __future__ import annotations

from PySide6.QtCore import QRegularExpression, Qt
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (QComboBox, QCompleter, QDialog, QDialogButtonBox, QFormLayout, QGroupBox, QLabel,
                               QLineEdit, QVBoxLayout)

from ..desk import Desk
from ..divisions import Division, division, divisions, register_known_subordinates
from ..errors import IpdeskError
from .ops import OpRunner, show_error


def division_combo(parent=None, *, levels: tuple[str, ...] | None = None, allow_empty: bool = False) -> QComboBox:
    """An editable combo of divisions shown as '150602 东胜区', searchable by any part of code or name."""
    combo = QComboBox(parent)
    combo.setEditable(True)
    combo.setInsertPolicy(QComboBox.NoInsert)
    if allow_empty:
        combo.addItem("（无）", "")
    for d in divisions():
        if levels is None or d.level in levels:
            combo.addItem(f"{d.code} {d.name}", d.code)
    completer = QCompleter(combo.model(), combo)
    completer.setFilterMode(Qt.MatchContains)
    completer.setCaseSensitivity(Qt.CaseInsensitive)
    completer.setCompletionMode(QCompleter.PopupCompletion)
    combo.setCompleter(completer)
    combo.setCurrentIndex(-1)
    combo.lineEdit().setPlaceholderText("输入代码或名称查找，如 150602 或 东胜")
    return combo


def combo_code(combo: QComboBox) -> str:
    """The 6-digit code picked or typed at the start of the combo's text."""
    text = combo.currentText().strip()
    index = combo.findText(text)
    if index >= 0:
        return combo.itemData(index) or ""
    return text.split(" ")[0] if text[:6].isdigit() else text


class FirstStartDialog(QDialog):
    """Sets up the office with ``desk.initialize``; accepted once the unit and first user exist."""

    def __init__(self, desk: Desk, ops: OpRunner, parent=None):
        super().__init__(parent)
        self.desk, self.ops = desk, ops
        self.setWindowTitle("首次使用：建立本单位")
        self.setMinimumWidth(520)

        intro = QLabel("欢迎使用知识产权行政保护工作台。请先选择本单位，并建立第一个用户（管理员）。")
        intro.setWordWrap(True)

        self.division = division_combo(self)
        self.division.currentIndexChanged.connect(self._division_picked)
        self.code = QLineEdit()
        self.code.setValidator(QRegularExpressionValidator(QRegularExpression(r"\d{0,6}"), self.code))
        self.code.setPlaceholderText("6位行政区划代码")
        self.name = QLineEdit()
        self.name.setPlaceholderText("如 东胜区市场监督管理局")
        self.parent_unit = division_combo(self, levels=("region", "league"), allow_empty=True)
        self.parent_unit.setCurrentIndex(0)

        unit_box = QGroupBox("单位")
        form = QFormLayout(unit_box)
        form.addRow("选择行政区划", self.division)
        form.addRow("单位代码 *", self.code)
        form.addRow("单位名称 *", self.name)
        form.addRow("上级单位", self.parent_unit)

        self.contact = QLineEdit()
        self.phone = QLineEdit()
        self.email = QLineEdit()
        contact_box = QGroupBox("联系人（印在报表上）")
        form = QFormLayout(contact_box)
        form.addRow("联系人", self.contact)
        form.addRow("电话", self.phone)
        form.addRow("邮箱", self.email)

        self.user = QLineEdit()
        self.user.setPlaceholderText("您的姓名")
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.Password)
        self.password.setPlaceholderText("可留空；多人共用电脑时建议设置")
        self.password2 = QLineEdit()
        self.password2.setEchoMode(QLineEdit.Password)
        user_box = QGroupBox("第一个用户（角色：管理员）")
        form = QFormLayout(user_box)
        form.addRow("姓名 *", self.user)
        form.addRow("密码", self.password)
        form.addRow("再次输入密码", self.password2)

        self.error = QLabel()
        self.error.setStyleSheet("color: #c0392b;")
        self.error.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        self.buttons.button(QDialogButtonBox.Ok).setText("建立并开始使用")
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        for w in (intro, unit_box, contact_box, user_box, self.error, self.buttons):
            layout.addWidget(w)

    def _division_picked(self, index: int) -> None:
        d: Division | None = division(self.division.itemData(index) or "") if index >= 0 else None
        if d is None:
            return
        self.code.setText(d.code)
        self.name.setText(d.unit_name)
        parent_index = self.parent_unit.findData(d.parent_code or "")
        self.parent_unit.setCurrentIndex(max(parent_index, 0))

    def values(self) -> dict:
        parent = combo_code(self.parent_unit) if self.parent_unit.currentIndex() != 0 else ""
        return {"unit_code": self.code.text().strip(), "unit_name": self.name.text().strip(),
                "parent_code": parent or None, "admin": self.user.text().strip(),
                "password": self.password.text(), "contact_person": self.contact.text().strip(),
                "phone": self.phone.text().strip(), "email": self.email.text().strip()}

    def submit(self) -> None:
        v = self.values()
        if self.password.text() != self.password2.text():
            self._show_errors({"password": "两次输入的密码不一致"})
            self.password2.setFocus()
            return

        def task():
            changes = self.desk.initialize(v["unit_code"], v["unit_name"], v["parent_code"], admin=v["admin"],
                                           password=v["password"], contact_person=v["contact_person"],
                                           phone=v["phone"], email=v["email"])
            register_known_subordinates(self.desk)
            return changes

        self.ops.run(task, lambda _changes: self.accept(), self._failed, parent=self, progress="正在建立单位…")

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, IpdeskError) and exc.field_errors:
            self._show_errors(exc.field_errors)
        elif isinstance(exc, IpdeskError):
            self._show_errors({"": exc.zh})
        else:
            show_error(exc, self)

    def _show_errors(self, errors: dict[str, str]) -> None:
        self.error.setText("\n".join(errors.values()))
        widget = {"unit_code": self.code, "unit_name": self.name, "parent_code": self.parent_unit,
                  "admin": self.user}.get(next(iter(errors), ""))
        if widget is not None:
            widget.setFocus()
