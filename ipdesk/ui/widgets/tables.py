"""Small item tables (the 工作台's duties and time limits, 报送's checks, history and units): one look for all."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem

RIGHT = Qt.AlignRight | Qt.AlignVCenter


def item_table(headers: list[str], *, stretch: int = -1, editable: bool = False) -> QTableWidget:
    """Whole rows selected, no row numbers; each column fits its content, column ``stretch`` (-1: the last) takes
    the rest of the width. Unless ``editable``, no cell can be edited whatever its item allows."""
    t = QTableWidget(0, len(headers))
    t.setHorizontalHeaderLabels(headers)
    t.verticalHeader().setVisible(False)
    t.setSelectionBehavior(QAbstractItemView.SelectRows)
    t.setAlternatingRowColors(True)
    if not editable:
        t.setEditTriggers(QAbstractItemView.NoEditTriggers)
    header = t.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeToContents)
    header.setSectionResizeMode(stretch % len(headers), QHeaderView.Stretch)
    return t


def table_item(text, *, color: str | None = None, align=None, data=None, editable: bool = False) -> QTableWidgetItem:
    """A cell showing ``text`` (empty for None); ``data`` is kept under ``Qt.UserRole`` (a key or record id)."""
    item = QTableWidgetItem("" if text is None else str(text))
    flags = Qt.ItemIsEnabled | Qt.ItemIsSelectable
    item.setFlags(flags | Qt.ItemIsEditable if editable else flags)
    if color:
        item.setForeground(QColor(color))  # converted by Qt: a QBrush here would load its Python type (~2 ms)
    if align is not None:
        item.setTextAlignment(align)
    if data is not None:
        item.setData(Qt.UserRole, data)
    return item
