"""The layout every list dialog shares (the cases behind a figure, the units behind a consolidation). Apart from
the item tables: the 工作台 loads those before its first paint, and these dialog classes are not needed then."""
from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget


def lay_out_list_dialog(dialog: QDialog, summary_html: str, table: QWidget) -> QLabel:
    """A list dialog's layout: what the list is above it, 关闭 below (Esc closes too). Returns the summary."""
    summary = QLabel(summary_html)
    summary.setWordWrap(True)
    buttons = QDialogButtonBox(QDialogButtonBox.Close)
    buttons.rejected.connect(dialog.reject)
    layout = QVBoxLayout(dialog)
    layout.addWidget(summary)
    layout.addWidget(table)
    layout.addWidget(buttons)
    return summary
