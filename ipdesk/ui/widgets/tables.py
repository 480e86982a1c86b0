"""Small item tables (the 工作台's duties and time limits, 报送's checks, history and units): one look for all."""
from __future__ import annotations

from functools import cache

from PySide6 import QtCore
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem

from ..qt_values import FOREGROUND_ROLE


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


@cache  # built once: PySide6 makes a new enum member for each combination of flags (~0.1 ms each)
def _alignment(name: str):
    Qt = QtCore.Qt  # named when a table is filled, not when this module loads before the first paint
    return {"right": Qt.AlignRight | Qt.AlignVCenter, "center": Qt.AlignCenter}[name]


@cache
def _item_flags(editable: bool):
    Qt = QtCore.Qt
    flags = Qt.ItemIsEnabled | Qt.ItemIsSelectable
    return flags | Qt.ItemIsEditable if editable else flags


def table_item(text, *, color: str | None = None, align: str | None = None, data=None,
               editable: bool = False) -> QTableWidgetItem:
    """A cell showing ``text`` (empty for None), aligned ``"right"`` (figures) or ``"center"`` (dates); ``data`` is
    kept under ``Qt.UserRole`` (a key or record id)."""
    item = QTableWidgetItem("" if text is None else str(text))
    item.setFlags(_item_flags(editable))
    if color:
        item.setData(FOREGROUND_ROLE, QColor(color))  # as placeholder_item does
    if align is not None:
        item.setTextAlignment(_alignment(align))
    if data is not None:
        item.setData(QtCore.Qt.UserRole, data)
    return item


def placeholder_item(text: str, color: str) -> QTableWidgetItem:
    """A cell for a table's place-holding row, made before the first paint: no flags or alignment, so no ``Qt``
    named (see qt_values). The colour is item data: setForeground takes a QBrush, and converting the colour to one
    builds ``Qt``'s enums (checked) and loads QBrush's type (~2 ms)."""
    item = QTableWidgetItem(text)
    item.setData(FOREGROUND_ROLE, QColor(color))
    return item
