"""The case form: every field of ``CASE_FIELDS`` in its group, the running time limit,
中止/延期 with reasons, and the 待补正 items of an imported case highlighted."""
from __future__ import annotations

from PySide6.QtWidgets import (QHBoxLayout, QLabel, QListWidget, QPushButton, QVBoxLayout, QWidget)

from ..domain import fields as F, rules
from ..domain.time_limits import EXTEND, SUSPEND, case_deadline, case_limits, needs_warning
from .adjustment_dialog import AdjustmentDialog
from .context import AppContext
from .screen_fit import fit_size
from .record_form import PENDING_STYLE, RecordForm

OVERDUE_STYLE = "color: white; background: #c0392b; padding: 4px;"
NEAR_STYLE = "color: #5c3d00; background: #ffd966; padding: 4px;"
OK_STYLE = "color: #1e4620; background: #d4edda; padding: 4px;"
_DEADLINE_INPUTS = ("lead_date", "filed_date", "decision_date", "referral_date", "closed_date", "declined_date",
                    "procedure", "extension_approved")


class CaseForm(RecordForm):
    TABLE = "cases"
    FIELDS = F.CASE_FIELDS
    WHAT = "案件"
    ID_FIELDS = ("party_id_no",)

    def __init__(self, ctx: AppContext, case_id: int | None = None, prefill: dict | None = None,
                 inspection_id: int | None = None, parent: QWidget | None = None):
        self.inspection_id = inspection_id
        self._adjustments = ctx.desk.limits.adjustments(case_id) if case_id else []
        super().__init__(ctx, case_id, prefill, parent)
        fit_size(self, 980, 760)
        for name in _DEADLINE_INPUTS:
            self.editors[name].changed.connect(self.update_deadline)
        self.update_deadline()
        self.mark_pending()

    def window_title(self) -> str:
        if self.record_id:
            return f"案件：{self.record.get('name', '')}"
        return "新增案件（由检查记录立案）" if self.inspection_id else "新增案件"

    def build_header(self) -> QWidget:
        header = QWidget(self)
        layout = QVBoxLayout(header)
        layout.setContentsMargins(0, 0, 0, 0)
        self.status_label = QLabel(header)
        self.deadline_label = QLabel(header)
        self.deadline_label.setWordWrap(True)
        self.pending_label = QLabel(header)
        self.pending_label.setWordWrap(True)
        self.pending_label.setStyleSheet(NEAR_STYLE)
        self.pending_label.hide()
        row = QHBoxLayout()
        row.addWidget(self.status_label)
        row.addWidget(self.deadline_label, 1)
        layout.addLayout(row)
        layout.addWidget(self.pending_label)
        return header

    def after_group(self, title: str, box: QWidget) -> QWidget | None:
        if title != "时限":
            return None
        # 中止 / 延期 live with the time-limit group: they move the deadline shown above.
        panel = QWidget(box)
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(12, 0, 0, 0)
        layout.addWidget(QLabel("中止 / 延期记录：", panel))
        self.adjustment_list = QListWidget(panel)
        self.adjustment_list.setMaximumHeight(80)
        layout.addWidget(self.adjustment_list)
        row = QHBoxLayout()
        self.suspend_button = QPushButton("中止…", panel)
        self.extend_button = QPushButton("延期…", panel)
        for button, kind in ((self.suspend_button, SUSPEND), (self.extend_button, EXTEND)):
            button.setAutoDefault(False)
            button.clicked.connect(lambda _=False, k=kind: self.add_adjustment(k))
            button.setEnabled(bool(self.record_id))
            button.setToolTip("登记原因，办案期限随之调整" if self.record_id else "请先保存案件")
            row.addWidget(button)
        row.addStretch(1)
        layout.addLayout(row)
        self.fill_adjustments()
        return panel

    def fill_adjustments(self) -> None:
        self.adjustment_list.clear()
        for adj in self._adjustments:
            span = adj["start_date"] + (f" 至 {adj['end_date']}" if adj.get("end_date") else " 起")
            what = adj["kind"] + (f"（{adj['cause']}）" if adj.get("cause") and adj["cause"] != adj["kind"] else "")
            if adj.get("due_date"):
                span += f"，继续延期至 {adj['due_date']}"
            self.adjustment_list.addItem(f"{what}　{span}　原因：{adj['reason']}　（{adj.get('created_by') or ''}）")
        if not self._adjustments:
            self.adjustment_list.addItem("（无）")

    def add_adjustment(self, kind: str) -> AdjustmentDialog:
        self.adjustment_dialog = AdjustmentDialog(self.ctx, self.record_id, kind, self)
        self.adjustment_dialog.accepted.connect(self._adjusted)
        self.adjustment_dialog.open()
        return self.adjustment_dialog

    def _adjusted(self) -> None:
        self._adjustments = self.desk.limits.adjustments(self.record_id)
        self.fill_adjustments()
        self.update_deadline()

    # ---- the running time limit ------------------------------------------------------------------
    def update_deadline(self) -> None:
        typed = {**self.raw(), "id": self.record_id}
        self.status_label.setText(f"状态：{rules.case_status(typed)}")
        try:
            deadline = case_deadline(typed, self._adjustments, self.desk.limits.calendar, self.desk.today())
            limits = case_limits(typed, self._adjustments, self.desk.limits.calendar, self.desk.today())
        except ValueError:
            deadline, limits = None, []
        if deadline is None and limits and not typed.get("declined_date"):
            last = limits[-1]  # decided: whether it was within its limit
            self.deadline_label.setText("办案时限：" + last.message)
            self.deadline_label.setStyleSheet(OK_STYLE if last.met else OVERDUE_STYLE)
            return
        if deadline is None:
            self.deadline_label.setText("办案时限：无（未立案的线索或一般程序案件才计算时限）"
                                        if not (typed.get("closed_date") or typed.get("declined_date"))
                                        else "办案时限：已办结")
            self.deadline_label.setStyleSheet(OK_STYLE)
            return
        self.deadline_label.setText("办案时限：" + deadline.message)
        self.deadline_label.setStyleSheet(OVERDUE_STYLE if deadline.overdue else
                                          NEAR_STYLE if needs_warning(deadline) else OK_STYLE)

    # ---- 待补正 ---------------------------------------------------------------------------------
    def mark_pending(self) -> None:
        pending = self.record.get("needs_completion") or []
        if not pending:
            return
        self.pending_label.setText(f"此案件待补正：{'、'.join(pending)}（补齐后保存即可消除）")
        self.pending_label.show()
        by_label = {label: name for name, label in rules.COMPLETION_FIELDS.items()}
        for label in pending:
            name = by_label.get(label)
            if name in self.editors:
                self.editors[name].widget.setStyleSheet(PENDING_STYLE)
                self.labels[name].setText(self.labels[name].text() + "（待补正）")
                self.labels[name].setStyleSheet("color: #8a6d00; font-weight: bold;")

    # ---- saving ---------------------------------------------------------------------------------
    def filter_errors(self, errors: dict[str, str]) -> dict[str, str]:
        """An imported case may lack what the form requires; it stays marked 待补正 (as Desk.save allows)."""
        pending = self.record.get("needs_completion") or []
        return {k: v for k, v in errors.items() if rules.COMPLETION_FIELDS.get(k) not in pending}

    def perform_save(self, raw: dict):
        if self.inspection_id and not self.record_id:
            return self.desk.records.file_case_from_inspection(self.inspection_id, raw)
        return self.desk.records.save("cases", raw, self.record_id)
