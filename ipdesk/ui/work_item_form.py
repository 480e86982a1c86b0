"""The form of one other-work record; the two counts are labelled by the chosen kind."""
from __future__ import annotations

from PySide6.QtWidgets import QWidget

from ..domain import enums, fields as F
from .context import AppContext
from .screen_fit import fit_size
from .record_form import RecordForm


def count_labels(kind: str | None) -> tuple[str, str | None]:
    """Labels of count_a and count_b for a kind (the generic field labels when none is chosen)."""
    found = enums.WORK_ITEM_BY_LABEL.get(kind or "")
    if found is None:
        fields = F.field_map(F.WORK_ITEM_FIELDS)
        return fields["count_a"].label, fields["count_b"].label
    return found.count_a, found.count_b


class WorkItemForm(RecordForm):
    TABLE = "work_items"
    FIELDS = F.WORK_ITEM_FIELDS
    WHAT = "工作事项"
    WIDE_FIELDS = ("title",)  # so the two counts share a row

    def __init__(self, ctx: AppContext, record_id: int | None = None, prefill: dict | None = None,
                 parent: QWidget | None = None):
        super().__init__(ctx, record_id, prefill, parent)
        if not record_id:
            self.editors["date"].set_value(self.desk.today().isoformat())
        self.editors["kind"].changed.connect(self.relabel_counts)
        self.relabel_counts()
        fit_size(self, 720, 320)

    def relabel_counts(self) -> None:
        label_a, label_b = count_labels(self.editors["kind"].value())
        self.labels["count_a"].setText(label_a)
        has_b = label_b is not None
        self.labels["count_b"].setText(label_b or "")
        self.labels["count_b"].setVisible(has_b)
        self.cells["count_b"].setVisible(has_b)
        if not has_b:
            self.editors["count_b"].set_value(0)
