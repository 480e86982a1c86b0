"""Inspections or work items as a lazy table model (pages of ~200, newest first, filtered in SQL)."""
from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt

from ...desk import Desk
from ...domain import fields as F

PAGE = 200


class RecordTableModel(QAbstractTableModel):
    """``columns`` are (key, header, display(row) -> str) triples chosen by the page."""

    def __init__(self, desk: Desk, table: str, columns: list[tuple[str, str, Callable[[dict], str]]], parent=None):
        super().__init__(parent)
        self.desk, self.table, self.columns = desk, table, columns
        self.year: int | None = None
        self.kind: str | None = None
        self.text = ""
        self.rows: list[dict] = []
        self.total = 0

    def _query(self) -> dict:
        return {"year": self.year, "kind": self.kind, "text": self.text}

    def reload(self) -> None:
        self.beginResetModel()
        self.total = self.desk.records.count_records(self.table, **self._query())
        self.rows = self.desk.records.list_records(self.table, **self._query(), limit=PAGE, offset=0)
        self.endResetModel()

    def canFetchMore(self, parent=QModelIndex()) -> bool:
        return not parent.isValid() and len(self.rows) < self.total

    def fetchMore(self, parent=QModelIndex()) -> None:
        if parent.isValid():
            return
        page = self.desk.records.list_records(self.table, **self._query(), limit=PAGE, offset=len(self.rows))
        if not page:
            self.total = len(self.rows)
            return
        self.beginInsertRows(QModelIndex(), len(self.rows), len(self.rows) + len(page) - 1)
        self.rows.extend(page)
        self.endInsertRows()

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section, orientation, role=Qt.DisplayRole):
        if role != Qt.DisplayRole:
            return None
        return self.columns[section][1] if orientation == Qt.Horizontal else section + 1

    def record_id(self, row: int) -> int:
        return self.rows[row]["id"]

    def row_of(self, record_id: int) -> int | None:
        return next((i for i, r in enumerate(self.rows) if r["id"] == record_id), None)

    def data(self, index: QModelIndex, role=Qt.DisplayRole):
        if not index.isValid():
            return None
        key, _, display = self.columns[index.column()]
        row = self.rows[index.row()]
        if role == Qt.DisplayRole:
            return display(row)
        if role == Qt.ToolTipRole and key in ("findings", "remarks", "title", "subject_name"):
            return row.get(key) or None
        return None


def field_column(field: F.Field) -> tuple[str, str, Callable[[dict], str]]:
    """A column showing one field as stored (empty for None)."""
    def show(row: dict, name=field.name) -> str:
        value = row.get(name)
        return "" if value is None else str(value)
    return field.name, field.label, show
