"""检查记录: the inspection list; 「立案」 files a case from the selected inspection."""
from __future__ import annotations

from PySide6.QtWidgets import QPushButton

from ...domain import fields as F
from ..inspection_form import InspectionForm, open_case_from_inspection
from ..models.record_table import field_column
from .record_list import RecordListPage


class InspectionsPage(RecordListPage):
    TABLE = "inspections"
    FORM = InspectionForm
    WHAT = "检查记录"
    KINDS = F.field_map(F.INSPECTION_FIELDS)["kind"].choices
    SEARCH_HINT = "搜索：检查对象、地址、检查情况、专项行动"

    def columns(self) -> list:
        cols = [field_column(f) for f in F.INSPECTION_FIELDS if f.kind != F.LONGTEXT and f.name != "case_id"]
        cols.append(("case_id", "引发案件", lambda row: "已立案" if row.get("case_id") else ""))
        return cols

    def extra_buttons(self):
        self.file_button = QPushButton("立案…", self)
        self.file_button.setToolTip("由选中的检查记录立案（带入日期、检查对象，案源为“检查发现”）")
        self.file_button.clicked.connect(self.file_case)
        return [self.file_button]

    def size_columns(self) -> None:
        widths = {"date": 100, "kind": 100, "campaign": 110, "place_kind": 100, "subject_name": 220,
                  "subject_id_no": 170, "subject_address": 200, "subject_count": 90, "officers": 90}
        for i, (key, _, _) in enumerate(self.model.columns):
            self.table.setColumnWidth(i, widths.get(key, 100))

    def describe(self, row: dict) -> str:
        return f"{row.get('date')} {row.get('subject_name') or row.get('kind')}"

    def file_case(self):
        rid = self.selected_id()
        if rid is None:
            return None
        row = self.model.rows[self.model.row_of(rid)]
        if row.get("case_id"):
            from PySide6.QtWidgets import QMessageBox
            QMessageBox.information(self, "已立案", "该检查记录已经立案。")
            return None
        self.form = open_case_from_inspection(self.ctx, rid, self)
        self.form.saved.connect(self._after_save)
        return self.form
