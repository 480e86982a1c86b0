"""A QTableWidget whose first column stays in place while the others scroll (Qt's frozen-column pattern:
a second view over the same model laid over the left edge)."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QTableView, QTableWidget


class FrozenColumnTable(QTableWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.frozen = QTableView(self)
        self.frozen.setModel(self.model())
        self.frozen.setSelectionModel(self.selectionModel())
        self.frozen.setFocusPolicy(Qt.NoFocus)
        self.frozen.verticalHeader().hide()
        self.frozen.horizontalHeader().hide()
        self.frozen.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.frozen.setVerticalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.frozen.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.frozen.setWordWrap(True)
        self.frozen.setStyleSheet("QTableView { border: none; border-right: 2px solid #a0a8b0; }")
        self.viewport().stackUnder(self.frozen)
        self.verticalScrollBar().valueChanged.connect(self.frozen.verticalScrollBar().setValue)
        self.frozen.verticalScrollBar().valueChanged.connect(self.verticalScrollBar().setValue)
        self.horizontalHeader().sectionResized.connect(lambda i, _o, n: i == 0 and self.sync_frozen())
        self.verticalHeader().sectionResized.connect(lambda i, _o, n: self.frozen.setRowHeight(i, n))

    def sync_frozen(self) -> None:
        """Call after the table's rows, columns or spans change."""
        self.frozen.clearSpans()
        for c in range(1, self.columnCount()):
            self.frozen.setColumnHidden(c, True)
        self.frozen.setColumnHidden(0, False)
        self.frozen.setColumnWidth(0, self.columnWidth(0))
        covered = -1  # a cell inside a span reports the whole span: set each span once, at its top
        for r in range(self.rowCount()):
            self.frozen.setRowHeight(r, self.rowHeight(r))
            if r > covered and self.rowSpan(r, 0) > 1:
                self.frozen.setSpan(r, 0, self.rowSpan(r, 0), 1)
                covered = r + self.rowSpan(r, 0) - 1
        self._place()

    def _place(self) -> None:
        frame = self.frameWidth()
        left = frame + (self.verticalHeader().width() if self.verticalHeader().isVisible() else 0)
        top = frame + (self.horizontalHeader().height() if self.horizontalHeader().isVisible() else 0)
        self.frozen.setGeometry(left, top, self.columnWidth(0), self.viewport().height())

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._place()
