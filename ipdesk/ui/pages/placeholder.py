"""A page still to be built: says so in Chinese instead of showing nothing."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from ..context import AppContext


class PlaceholderPage(QWidget):
    TITLE = ""
    TEXT = "此功能正在建设中。"

    def __init__(self, ctx: AppContext):
        super().__init__()
        self.ctx = ctx
        label = QLabel(f"<h2>{self.TITLE}</h2><p>{self.TEXT}</p>")
        label.setAlignment(Qt.AlignCenter)
        label.setWordWrap(True)
        QVBoxLayout(self).addWidget(label)

    def refresh(self, changes) -> None:
        pass
