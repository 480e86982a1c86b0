"""Login: who is working (every change is logged with the user's name). The same dialog starts the program
and, from 文件 → 切换用户 (Ctrl+L), hands the open window to another person."""
from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout

from ..desk import Desk
from ..errors import IpdeskError


class LoginDialog(QDialog):
    """Accepted when the name and password match; ``desk.user`` is then set. With ``ops`` the password is
    checked on the worker (scrypt takes ~50 ms, and a switch must not write while an operation runs on the
    desk's connection); without, at once."""

    def __init__(self, desk: Desk, parent=None, *, ops=None, switching: bool = False):
        super().__init__(parent)
        self.desk, self.ops = desk, ops
        self.setWindowTitle("切换用户" if switching else "登录")
        self.setMinimumWidth(360)
        try:
            unit = desk.unit["name"]
        except Exception:  # noqa: BLE001 - a heading only
            unit = ""
        heading = QLabel(f"<b>{unit}</b><br>知识产权行政保护工作台"
                         + (f"<br>当前用户：{desk.user}。请选择要切换到的用户并输入其密码。" if switching else ""))
        heading.setWordWrap(True)
        self.user = QComboBox()
        for u in desk.office.users():
            if u["active"]:
                self.user.addItem(f"{u['name']}（{u['role']}）", u["name"])
        last = desk.setting("last_user")
        if last and self.user.findData(last) >= 0:
            self.user.setCurrentIndex(self.user.findData(last))
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.Password)
        # A user left without a password once others were added sets one here before getting in.
        self.password2 = QLineEdit()
        self.password2.setEchoMode(QLineEdit.Password)
        self.first_note = QLabel()
        self.first_note.setWordWrap(True)
        self.error = QLabel()
        self.error.setStyleSheet("color: #c0392b;")
        self.error.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        self.buttons.button(QDialogButtonBox.Ok).setText("登录")
        self.buttons.button(QDialogButtonBox.Ok).setDefault(True)  # Enter logs in, Esc cancels (QDialog)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        self.form = QFormLayout()
        self.form.addRow("用户", self.user)
        self.form.addRow("密码", self.password)
        self.form.addRow("再次输入密码", self.password2)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(self.form)
        layout.addWidget(self.first_note)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.user.currentIndexChanged.connect(lambda _i: self._mode())
        self._mode()
        self._gave_up = False
        self.password.setFocus()

    def setting_first_password(self) -> bool:
        return bool(self.user.currentData()) and self.desk.office.password_missing(self.user.currentData())

    def _mode(self) -> None:
        first = self.setting_first_password()
        self.form.setRowVisible(self.password2, first)
        self.form.labelForField(self.password).setText("设置密码" if first else "密码")
        self.first_note.setVisible(first)
        self.first_note.setText(f"“{self.user.currentData()}”尚未设置密码。已有多个用户，每个用户都须有密码："
                                "请设置密码（输入两次）后登录，以后凭此密码登录。" if first else "")
        self.error.clear()

    def submit(self) -> None:
        name, password = self.user.currentData(), self.password.text()
        if not name:
            self._refused()
            return
        desk = self.desk
        first = self.setting_first_password()
        if first and password != self.password2.text():
            self.error.setText("两次输入的密码不一致")
            return
        if first and not password:
            self.error.setText("请设置密码")
            return

        self._gave_up = False

        def task() -> bool | None:
            if first:
                if self._gave_up:
                    return None
                desk.office.set_first_password(name, password)
            else:
                if not desk.office.check_password(name, password):
                    return False
                if self._gave_up:  # 取消 (Esc) while the password was being checked: nobody is switched
                    return None
                desk.user = name
            try:
                desk.set_setting("last_user", name)
            except Exception:  # noqa: BLE001 - remembering the name is a convenience
                pass
            return True
        if self.ops is None:
            self._checked(task())
            return
        self.buttons.setEnabled(False)  # one check at a time
        self.ops.run(task, self._checked, self._failed, emit_changes=False)

    def reject(self) -> None:
        self._gave_up = True
        super().reject()

    def _checked(self, ok: bool | None) -> None:
        self.buttons.setEnabled(True)
        if ok is None:
            return
        if ok:
            self.accept()
        else:
            self._refused()

    def _failed(self, exc: BaseException) -> None:
        self.buttons.setEnabled(True)

        self.error.setText(exc.zh if isinstance(exc, IpdeskError) else f"无法登录：{exc}")

    def _refused(self) -> None:
        self.error.setText("用户名或密码不正确")
        self.password.selectAll()
        self.password.setFocus()
