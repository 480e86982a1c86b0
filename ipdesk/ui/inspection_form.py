"""The inspection form; 「立案」 turns an inspection into a new case, pre-filled and linked both ways."""
from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from ..domain import fields as F
from .case_form import CaseForm
from .context import AppContext
from .screen_fit import fit_size
from .record_form import RecordForm

CASE_LINK = "case_id"
SOURCE_INSPECTION = "检查发现"


def case_prefill(inspection: dict) -> dict:
    """What a case filed from an inspection starts with: the date, the subject, the source."""
    place = inspection.get("place_kind")
    return {
        "lead_date": inspection.get("date"),
        "party_name": inspection.get("subject_name") or "",
        "party_id_no": inspection.get("subject_id_no") or "",
        "party_address": inspection.get("subject_address") or "",
        "source": SOURCE_INSPECTION,
        "facts": inspection.get("findings") or "",
        "flag_ecommerce": 1 if place == "电商平台" else 0,
        "flag_rural": 1 if place == "农村市场" else 0,
    }


def open_case_from_inspection(ctx: AppContext, inspection_id: int, parent: QWidget | None = None) -> CaseForm:
    form = CaseForm(ctx, prefill=case_prefill(ctx.desk.records.get_record("inspections", inspection_id)),
                    inspection_id=inspection_id, parent=parent)
    form.open()
    return form


class InspectionForm(RecordForm):
    TABLE = "inspections"
    FIELDS = F.INSPECTION_FIELDS
    WHAT = "检查记录"
    ID_FIELDS = ("subject_id_no",)

    def __init__(self, ctx: AppContext, record_id: int | None = None, prefill: dict | None = None,
                 parent: QWidget | None = None):
        self.case_form: CaseForm | None = None
        super().__init__(ctx, record_id, prefill, parent)
        if not record_id:
            self.editors["date"].set_value(self.desk.today().isoformat())
        fit_size(self, 820, 520)
        self.show_case_link()

    def editor_fields(self):
        return tuple(f for f in self.FIELDS if f.name != CASE_LINK)

    def build_header(self) -> QWidget:
        header = QWidget(self)
        row = QHBoxLayout(header)
        row.setContentsMargins(0, 0, 0, 0)
        self.case_label = QLabel(header)
        self.file_button = QPushButton("立案…", header)
        self.file_button.setAutoDefault(False)
        self.file_button.setToolTip("由此检查记录立案：新案件带入检查日期、检查对象，案源为“检查发现”")
        self.file_button.clicked.connect(self.file_case)
        row.addWidget(self.case_label, 1)
        row.addWidget(self.file_button)
        return header

    def show_case_link(self) -> None:
        case_id = self.record.get(CASE_LINK)
        if case_id:
            try:
                case = self.desk.records.get_case(case_id)
                self.case_label.setText(f"引发案件：{case['name']}（{case.get('case_no') or '无编号'}）")
            except Exception:  # the case was deleted since
                self.case_label.setText("引发案件：（已删除）")
            self.file_button.setEnabled(False)
        else:
            self.case_label.setText("引发案件：无" if self.record_id else "引发案件：无（保存后可立案）")
            self.file_button.setEnabled(bool(self.record_id))

    def file_case(self) -> CaseForm | None:
        if not self.record_id:
            return None
        self.case_form = open_case_from_inspection(self.ctx, self.record_id, self)
        self.case_form.saved.connect(self._case_filed)
        return self.case_form

    def _case_filed(self, changes) -> None:
        self.record = self.desk.records.get_record(self.TABLE, self.record_id)
        self.show_case_link()
        self.saved.emit(changes)
