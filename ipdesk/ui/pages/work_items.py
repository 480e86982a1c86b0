"""其他工作: mediation, publicity, training … each a dated record with its counts."""
from __future__ import annotations

from ...domain import enums, fields as F
from ..models.record_table import field_column
from ..work_item_form import WorkItemForm, count_labels
from .record_list import RecordListPage


def _count(which: str):
    def show(row: dict) -> str:
        label_a, label_b = count_labels(row.get("kind"))
        label = label_a if which == "count_a" else label_b
        if label is None:
            return ""
        return f"{label}：{row.get(which) or 0}"
    return show


class WorkItemsPage(RecordListPage):
    TABLE = "work_items"
    FORM = WorkItemForm
    WHAT = "工作事项"
    KINDS = tuple(k.label for k in enums.WORK_ITEM_KINDS)
    SEARCH_HINT = "搜索：事项、备注"

    def columns(self) -> list:
        cols = []
        for f in F.WORK_ITEM_FIELDS:
            if f.name in ("count_a", "count_b"):
                cols.append((f.name, f.label, _count(f.name)))
            else:
                cols.append(field_column(f))
        return cols

    def size_columns(self) -> None:
        widths = {"date": 100, "kind": 140, "title": 280, "count_a": 150, "count_b": 150}
        for i, (key, _, _) in enumerate(self.model.columns):
            self.table.setColumnWidth(i, widths.get(key, 120))

    def describe(self, row: dict) -> str:
        return f"{row.get('date')} {row.get('kind')} {row.get('title') or ''}".strip()
