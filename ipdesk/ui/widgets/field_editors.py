"""One editor per record field, chosen by the field's kind in ``ipdesk.domain.fields``.

Every editor offers ``value()`` (what ``Desk.save`` accepts), ``set_value(v)``, ``changed``
and ``focus_widget`` (where the keyboard goes), so forms are generated from the field list.
"""
from __future__ import annotations

from PySide6.QtCore import QDate, QEvent, QObject, QRegularExpression, Qt, Signal
from PySide6.QtGui import QKeyEvent, QRegularExpressionValidator
from PySide6.QtWidgets import (QCheckBox, QComboBox, QCompleter, QDateEdit, QHBoxLayout, QLineEdit, QPlainTextEdit,
                               QSpinBox, QWidget)

from ...domain import fields as F
from ...domain.money import fen_to_yuan_text

EMPTY_CHOICE = "（未选择）"


class DateField(QDateEdit):
    """A date picker that may be empty: the minimum date stands for “no date” and shows blank.

    Typing digits into an empty field starts from today; Delete empties it; a separator typed
    right after a section filled itself is skipped, so “2026-11-20” and “20261120” both work.
    """

    EMPTY = QDate(1900, 1, 1)
    _SEPARATORS = ("-", "/", ".", "年", "月")

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setDisplayFormat("yyyy-MM-dd")
        self.setCalendarPopup(True)
        self.setMinimumDate(self.EMPTY)
        self.setMaximumDate(QDate(2100, 12, 31))
        self.setSpecialValueText(" ")
        self.setDate(self.EMPTY)
        self.setToolTip("输入日期，如 2026-03-05；Delete 键清空")
        self._advanced = False
        self.calendarWidget().installEventFilter(self)

    def is_empty(self) -> bool:
        return self.date() == self.EMPTY

    def value(self) -> str | None:
        return None if self.is_empty() else self.date().toString("yyyy-MM-dd")

    def set_value(self, iso: str | None) -> None:
        self.setDate(QDate.fromString(iso, "yyyy-MM-dd") if iso else self.EMPTY)

    def clear_date(self) -> None:
        self.setDate(self.EMPTY)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key, text = event.key(), event.text()
        if key == Qt.Key_Delete or (key == Qt.Key_Backspace and self.is_empty()):
            self.clear_date()
            return
        if text in self._SEPARATORS and self._advanced:
            self._advanced = False  # the section already moved on by itself
            return
        if text.isdigit() and self.is_empty():
            self.setDate(QDate.currentDate())
            self.setSelectedSection(QDateEdit.YearSection)
        section = self.currentSection()
        super().keyPressEvent(event)
        self._advanced = text.isdigit() and self.currentSection() != section

    def focusNextPrevChild(self, next: bool) -> bool:
        # Tab leaves the field (QDateTimeEdit would step through year/month/day first).
        return QWidget.focusNextPrevChild(self, next)

    def focusOutEvent(self, event) -> None:
        self._advanced = False
        super().focusOutEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # An empty field opens its calendar on this month, not on 1900.
        if event.type() == QEvent.Show and self.is_empty():
            today = QDate.currentDate()
            self.calendarWidget().setCurrentPage(today.year(), today.month())
        return False


class MoneyField(QLineEdit):
    """An amount in 元 with at most two decimals; empty means 0."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setValidator(QRegularExpressionValidator(QRegularExpression(r"^\d{0,13}([.]\d{0,2})?$"), self))
        self.setAlignment(Qt.AlignRight | Qt.AlignVCenter)
        self.setPlaceholderText("0.00")

    def value(self) -> str:
        return self.text().strip()

    def set_value(self, fen: int | None) -> None:
        self.setText(fen_to_yuan_text(fen) if fen else "")


class MultiChoice(QWidget):
    """Several of a fixed list (处罚种类): one check box each, Tab moves, Space ticks."""

    changed = Signal()

    def __init__(self, choices: tuple[str, ...], parent: QWidget | None = None):
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.boxes = []
        for choice in choices:
            box = QCheckBox(choice, self)
            box.toggled.connect(self.changed)
            layout.addWidget(box)
            self.boxes.append(box)
        layout.addStretch(1)
        self.setFocusProxy(self.boxes[0])

    def value(self) -> list[str]:
        return [b.text() for b in self.boxes if b.isChecked()]

    def set_value(self, values) -> None:
        chosen = set(values or [])
        for box in self.boxes:
            box.setChecked(box.text() in chosen)


class FieldEditor(QObject):
    """The editor of one field: the widget, its value in save form, and a change signal."""

    changed = Signal()

    def __init__(self, field: F.Field, completions: list[str] | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.field = field
        kind = field.kind
        if kind == F.DATE:
            self.widget = DateField(parent)
            self.widget.dateChanged.connect(self.changed)
        elif kind == F.MONEY:
            self.widget = MoneyField(parent)
            self.widget.textChanged.connect(self.changed)
        elif kind == F.FLAG:
            self.widget = QCheckBox(field.label, parent)
            self.widget.toggled.connect(self.changed)
        elif kind == F.ENUM:
            self.widget = QComboBox(parent)
            self.widget.addItem(EMPTY_CHOICE, None)
            for choice in field.choices:
                self.widget.addItem(choice, choice)
            self.widget.currentIndexChanged.connect(self.changed)
        elif kind == F.MULTI:
            self.widget = MultiChoice(field.choices, parent)
            self.widget.changed.connect(self.changed)
        elif kind == F.INT:
            self.widget = QSpinBox(parent)
            self.widget.setRange(0, 1_000_000)
            self.widget.setAlignment(Qt.AlignRight | Qt.AlignVCenter)
            self.widget.valueChanged.connect(self.changed)
        elif kind == F.LONGTEXT:
            self.widget = QPlainTextEdit(parent)
            self.widget.setTabChangesFocus(True)  # Tab keeps moving through the form
            self.widget.setFixedHeight(64)
            self.widget.textChanged.connect(self.changed)
        else:
            self.widget = QLineEdit(parent)
            self.widget.textChanged.connect(self.changed)
            if completions:
                completer = QCompleter(completions, self.widget)
                completer.setCaseSensitivity(Qt.CaseInsensitive)
                completer.setFilterMode(Qt.MatchContains)
                self.widget.setCompleter(completer)
        self.widget.setObjectName(field.name)
        self.widget.setAccessibleName(field.label)

    @property
    def focus_widget(self) -> QWidget:
        if isinstance(self.widget, MultiChoice):
            return self.widget.boxes[0]
        return self.widget

    def focus_chain(self) -> list[QWidget]:
        """The widgets Tab visits, in order."""
        if isinstance(self.widget, MultiChoice):
            return list(self.widget.boxes)
        return [self.widget]

    def value(self):
        w, kind = self.widget, self.field.kind
        if kind in (F.DATE, F.MONEY, F.MULTI):
            return w.value()
        if kind == F.FLAG:
            return 1 if w.isChecked() else 0
        if kind == F.ENUM:
            return w.currentData()
        if kind == F.INT:
            return w.value()
        if kind == F.LONGTEXT:
            return w.toPlainText().strip()
        return w.text().strip()

    def set_value(self, value) -> None:
        w, kind = self.widget, self.field.kind
        if kind in (F.DATE, F.MONEY, F.MULTI):
            w.set_value(value)
        elif kind == F.FLAG:
            w.setChecked(bool(value))
        elif kind == F.ENUM:
            index = w.findData(value) if value else 0
            w.setCurrentIndex(max(index, 0))
        elif kind == F.INT:
            w.setValue(int(value or 0))
        elif kind == F.LONGTEXT:
            w.setPlainText(value or "")
        else:
            w.setText("" if value is None else str(value))

    def set_enabled(self, enabled: bool) -> None:
        self.widget.setEnabled(enabled)
