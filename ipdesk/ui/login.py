"""Login: who is working (every change is logged with the user's name)."""
from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout

from ..desk import Desk


class LoginDialog(QDialog):
    """Accepted when the name and password match; ``desk.user`` is then set."""

    def __init__(self, desk: Desk, parent=None):
        super().__init__(parent)
        self.desk = desk
        self.setWindowTitle("登录")
        self.setMinimumWidth(360)
        try:
            unit = desk.unit["name"]
        except Exception:  # noqa: BLE001 - a heading only
            unit = ""
        heading = QLabel(f"<b>{unit}</b><br>知识产权行政保护工作台")
        self.user = QComboBox()
        for u in desk.office.users():
            if u["active"]:
                self.user.addItem(f"{u['name']}（{u['role']}）", u["name"])
        last = desk.setting("last_user")
        if last and self.user.findData(last) >= 0:
            self.user.setCurrentIndex(self.user.findData(last))
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.Password)
        self.error = QLabel()
        self.error.setStyleSheet("color: #c0392b;")
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.button(QDialogButtonBox.Ok).setText("登录")
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("用户", self.user)
        form.addRow("密码", self.password)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.password.setFocus()

    def submit(self) -> None:
        name = self.user.currentData()
        if name and self.desk.office.login(name, self.password.text()):
            try:
                self.desk.set_setting("last_user", name)
            except Exception:  # noqa: BLE001 - remembering the name is a convenience
                pass
            self.accept()
            return
        self.error.setText("用户名或密码不正确")
        self.password.selectAll()
        self.password.setFocus()
