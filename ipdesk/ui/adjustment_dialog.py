"""中止 / 延期 of a case, with its reason (moves the case's time limit).

中止 records time that does not count, with what it was (听证, 公告, 检验鉴定 …); 延期 is the approved extension,
or — once extended — a further extension decided collectively, with the date it sets (第六十四条).
"""
from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout

from ..errors import IpdeskError
from ..domain.time_limits import EXTEND, PAUSE_CAUSES, SUSPEND
from .context import AppContext
from .ops import show_error
from .record_form import ERROR_STYLE
from .widgets.field_editors import DateField


class AdjustmentDialog(QDialog):
    def __init__(self, ctx: AppContext, case_id: int, kind: str = SUSPEND, parent=None):
        super().__init__(parent)
        self.ctx, self.case_id, self.changes = ctx, case_id, None
        self.setWindowTitle("中止或延期")
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.kind = QComboBox(self)
        self.kind.addItems([SUSPEND, EXTEND])
        self.kind.setCurrentText(kind)
        self.start = DateField(self)
        self.start.set_value(ctx.desk.today().isoformat())
        self.end = DateField(self)
        self.cause = QComboBox(self)
        self.cause.addItems(PAUSE_CAUSES)
        self.due = DateField(self)
        self.due.setToolTip("已延期三十日后继续延期的，填写集体讨论确定的办案期限；首次延期不填")
        self.reason = QLineEdit(self)
        self.reason.setPlaceholderText("如：需要进行检验鉴定 / 经负责人批准延长办案期限")
        self.messages = {}
        for name, label, widget in (("kind", "类型", self.kind), ("cause", "不计入期限的事由", self.cause),
                                    ("start_date", "开始日期", self.start),
                                    ("end_date", "结束日期（中止结束时填）", self.end),
                                    ("due_date", "继续延期至（集体讨论）", self.due), ("reason", "原因＊", self.reason)):
            message = QLabel(self)
            message.setStyleSheet(ERROR_STYLE)
            message.hide()
            self.messages[name] = message
            form.addRow(label, widget)
            form.addRow("", message)
        layout.addLayout(form)
        buttons = QDialogButtonBox(self)
        self.ok = buttons.addButton("保存", QDialogButtonBox.AcceptRole)
        buttons.addButton("取消", QDialogButtonBox.RejectRole)
        self.ok.setDefault(True)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.kind.currentTextChanged.connect(self._kind_changed)
        self._kind_changed(self.kind.currentText())
        self.reason.setFocus()

    def _kind_changed(self, kind: str) -> None:
        for widget in (self.end, self.cause):
            widget.setEnabled(kind == SUSPEND)
        self.due.setEnabled(kind == EXTEND)

    def save(self) -> None:
        for label in self.messages.values():
            label.hide()
        typed = {name: problem for name, widget in (("start_date", self.start), ("end_date", self.end),
                                                    ("due_date", self.due))
                 if widget.isEnabled() and (problem := widget.problem())}
        if typed and not self.reason.text().strip():
            typed["reason"] = "请填写原因"  # said with the date's problem, not one save later
        for name, problem in typed.items():
            self.messages[name].setText(problem)
            self.messages[name].show()
        if typed:
            return
        kind, start, end, reason = (self.kind.currentText(), self.start.value(), self.end.value(),
                                    self.reason.text())
        end = end if kind == SUSPEND else None
        cause = self.cause.currentText() if kind == SUSPEND else None
        due = self.due.value() if kind == EXTEND else None
        self.ctx.ops.run(lambda: self.ctx.desk.limits.add_adjustment(self.case_id, kind, start or "", reason, end,
                                                              cause=cause, due_date=due),
                         self._saved, self._failed, parent=self)

    def _saved(self, changes) -> None:
        self.changes = changes
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        if not isinstance(exc, IpdeskError):
            show_error(exc, self)
            return
        for name, text in (exc.field_errors or {"reason": exc.zh}).items():
            label = self.messages.get(name, self.messages["reason"])
            label.setText(text)
            label.show()
