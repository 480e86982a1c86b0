"""One editor per record field, chosen by the field's kind in ``ipdesk.domain.fields``.

Every editor offers ``value()`` (what ``Desk.save`` accepts), ``set_value(v)``, ``changed``
and ``focus_widget`` (where the keyboard goes), so forms are generated from the field list.
"""
from __future__ import annotations

import calendar
import unicodedata
import re

from PySide6.QtCore import QDate, QObject, QRegularExpression, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QKeyEvent, QPainter, QPixmap, QRegularExpressionValidator, QValidator
from PySide6.QtWidgets import (QCalendarWidget, QCheckBox, QComboBox, QCompleter, QHBoxLayout, QLineEdit,
                               QPlainTextEdit, QSpinBox, QWidget)

from ...domain import fields as F
from ...domain.money import MoneyError, fen_to_yuan_text, money_problem, parse_yuan

EMPTY_CHOICE = "（未选择）"


_DATE_SEPARATORS = "-/.年月"
_DATE_TYPED_RE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_DATE_ALLOWED = QRegularExpression(r"^[0-9\-/.年月日 ]{0,16}$")
DATE_HINT = "应为 年-月-日，如 2026-03-05"


def read_typed_date(text: str) -> tuple[str | None, str | None]:
    """What a date field's text means: ``(ISO date, None)``, ``(None, None)`` when empty, or
    ``(None, Chinese problem)``. Never fills in a part that was not typed, never moves a day that
    does not exist to another one."""
    text = (text or "").strip()
    if not text:
        return None, None
    digits = re.fullmatch(r"(\d{4})(\d{2})(\d{2})", text)
    match = digits or _DATE_TYPED_RE.match(text)
    if not match:
        return None, f"日期不完整或无法识别：{text}（{DATE_HINT}）"
    year, month, day = (int(g) for g in match.groups())
    if not 1900 < year <= 2100:
        return None, f"年份应在 1901～2100 之间：{text}"
    if not 1 <= month <= 12:
        return None, f"月份应为 1～12：{text}"
    if not 1 <= day <= calendar.monthrange(year, month)[1]:
        return None, f"{year}年{month}月没有{day}日：{text}"
    return f"{year:04d}-{month:02d}-{day:02d}", None


class _DateValidator(QRegularExpressionValidator):
    """Digits and date separators only; a refused keystroke or paste is reported through ``refused``."""

    def __init__(self, field: "DateField"):
        super().__init__(_DATE_ALLOWED, field)
        self.field = field

    def validate(self, text: str, pos: int):
        result = super().validate(text, pos)
        state = result[0] if isinstance(result, tuple) else result
        if state == QValidator.Invalid:
            self.field.refused.emit(date_refusal(text))
        return result


def date_refusal(text: str) -> str:
    """Why a date field did not take ``text``."""
    if len(text) > 16:
        return "日期太长，未输入"
    return f"日期只能输入数字和 - / . 年 月 日，未输入：{text.strip()[:20]}"


class DateField(QLineEdit):
    """A date typed as text, which may be empty: 2026-03-05, 2026-3-5, 2026/3/5, 2026.3.5,
    2026年3月5日 and 20260305 all read as 2026-03-05 and are shown that way on leaving the field.

    Text that is not a whole, real date stays exactly as typed: ``problem()`` says what is wrong
    (the form refuses to save with it under the field) and ``value()`` gives the text unchanged,
    so nothing downstream can mistake it for a date. A separator typed after a one-digit month
    finishes it (``2026-1`` + ``-`` shows ``2026-01-``). Delete empties the field; the button
    at the right (or Alt+Down / F4) opens a calendar.
    """

    dateChanged = Signal()  # the text changed (typed, pasted, picked or set)
    refused = Signal(str)  # why a keystroke or paste was not taken

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setValidator(_DateValidator(self))
        self.setPlaceholderText("年-月-日")
        self.setToolTip("输入日期，如 2026-03-05、2026-3-5、2026年3月5日；Delete 键清空；Alt+↓ 打开日历")
        self._popup: QCalendarWidget | None = None
        self.calendar_action = self.addAction(_calendar_icon(), QLineEdit.TrailingPosition)
        self.calendar_action.setToolTip("选择日期（Alt+↓）")
        self.calendar_action.triggered.connect(self.show_calendar)
        self.textChanged.connect(self.dateChanged)
        self.editingFinished.connect(self.tidy)

    # ---- the value ------------------------------------------------------------------------------
    def is_empty(self) -> bool:
        return not self.text().strip()

    def value(self) -> str | None:
        """The ISO date, None when empty, or the text as typed when it is not a date."""
        iso, problem = read_typed_date(self.text())
        return self.text().strip() if problem else iso

    def problem(self) -> str | None:
        """Why the text is not a date (Chinese), or None when it is one or the field is empty."""
        return read_typed_date(self.text())[1]

    def set_value(self, iso: str | None) -> None:
        self.setText(read_typed_date(iso or "")[0] or (iso or ""))

    def clear_date(self) -> None:
        self.clear()

    def tidy(self) -> None:
        """Show a date that was read in its one form (2026-3-5 → 2026-03-05); leave anything else."""
        iso = read_typed_date(self.text())[0]
        if iso and iso != self.text():
            self.setText(iso)

    # ---- keys -----------------------------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:
        key, text, mods = event.key(), event.text(), event.modifiers()
        if key == Qt.Key_Delete and not (mods & Qt.ControlModifier):
            self.clear()
            return
        if key == Qt.Key_F4 or (key == Qt.Key_Down and mods & Qt.AltModifier):
            self.show_calendar()
            return
        if text and text in _DATE_SEPARATORS and not self.hasSelectedText() and self.cursorPosition() == len(self.text()):
            # A separator after a one-digit month finishes it as 0M.
            typed = self.text()
            one = re.fullmatch(r"(\d{4}\s*[-/.年]\s*)(\d)\s*", typed)
            if one:
                self.setText(one.group(1) + "0" + one.group(2))
        super().keyPressEvent(event)

    def focusOutEvent(self, event) -> None:
        super().focusOutEvent(event)
        self.tidy()

    # ---- the calendar ---------------------------------------------------------------------------
    def show_calendar(self) -> None:
        if self._popup is None:
            self._popup = QCalendarWidget(self)
            self._popup.setWindowFlags(Qt.Popup)
            self._popup.setMinimumDate(QDate(1901, 1, 1))
            self._popup.setMaximumDate(QDate(2100, 12, 31))
            self._popup.clicked.connect(self._picked)
            self._popup.activated.connect(self._picked)
        iso = read_typed_date(self.text())[0]
        if iso:
            self._popup.setSelectedDate(QDate.fromString(iso, "yyyy-MM-dd"))
        else:
            # Only the page shown; nothing is filled in until a day is picked.
            today = QDate.currentDate()
            self._popup.setCurrentPage(today.year(), today.month())
        self._popup.move(self.mapToGlobal(self.rect().bottomLeft()))
        self._popup.show()
        self._popup.setFocus()

    def _picked(self, day: QDate) -> None:
        self.setText(day.toString("yyyy-MM-dd"))
        if self._popup is not None:
            self._popup.hide()
        self.setFocus()


def _calendar_icon() -> QIcon:
    pixmap = QPixmap(16, 16)
    pixmap.fill(Qt.transparent)
    painter = QPainter(pixmap)
    painter.setPen(QColor("#555555"))
    painter.drawRect(1, 2, 13, 12)
    painter.fillRect(1, 2, 14, 4, QColor("#555555"))
    for x in (4, 8, 12):
        for y in (8, 11):
            painter.drawPoint(x, y)
    painter.end()
    return QIcon(pixmap)


class _MoneyValidator(QValidator):
    """Plain 元 with at most two decimals; what ``parse_yuan`` also reads (1,234.50 / 200 / 1234.5元 / 2万 /
    １０００．５) is turned into that plain form when pasted. A comma typed stays as typed (it may become a
    thousands separator, 1,234); what cannot be an amount is refused and the field says why."""

    STRICT = re.compile(r"^\d{0,13}([.]\d{0,2})?$")
    TYPING_THOUSANDS = re.compile(r"^\d{1,3}(,\d{0,3})+([.]\d{0,2})?$")

    def __init__(self, field: "MoneyField"):
        super().__init__(field)
        self.field = field

    def validate(self, text: str, pos: int):
        if self.STRICT.match(text):
            return QValidator.Acceptable, text, pos
        typed_one = len(text) - len(self.field.shown) == 1  # a key, not a paste
        wide = unicodedata.normalize("NFKC", text)
        if typed_one and "," in wide and self.TYPING_THOUSANDS.match(wide):
            if wide != text:
                return QValidator.Intermediate, wide, pos
            return QValidator.Intermediate, text, pos  # 1,2… on its way to 1,234; problem() says if it stays wrong
        plain = normalize_money_text(text)
        if plain is None:
            self.field.refuse(money_problem(text) or f"无法识别的金额：{text}", text)
            return QValidator.Invalid, text, pos
        pos = max(0, min(len(plain), len(plain) - (len(text) - pos)))
        return QValidator.Acceptable, plain, pos


def normalize_money_text(text: str) -> str | None:
    """The plain 元 form of an amount ``parse_yuan`` reads, or None when it is not one."""
    try:
        fen = parse_yuan(text)
    except MoneyError:
        return None
    plain = fen_to_yuan_text(fen)
    kept = unicodedata.normalize("NFKC", text).strip()
    # Keep the decimals the user wrote (1234.5 stays 1234.5); only a 万 amount is rewritten in 元.
    if "万" not in kept:
        bare = re.sub(r"[^0-9.]", "", kept.removesuffix("元"))
        if bare and _MoneyValidator.STRICT.match(bare) and parse_yuan(bare) == fen:
            return bare
    plain = plain[:-3] if plain.endswith(".00") else plain
    return plain if _MoneyValidator.STRICT.match(plain) else None


class MoneyField(QLineEdit):
    """An amount in 元 with at most two decimals; empty means 0. What ``parse_yuan`` reads is accepted when
    pasted (1,234.50 / 1234.5元 / 2万 / １０００．５); anything else — letters, a minus sign, a third decimal,
    a comma that is not a thousands separator (1,00) — is refused and ``refused`` says why, on the field."""

    refused = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setValidator(_MoneyValidator(self))
        self.setAlignment(Qt.AlignRight | Qt.AlignVCenter)
        self.setPlaceholderText("0.00")
        self.refusal: str | None = None  # the last refused input's reason
        self.shown = ""  # the text before the edit being validated
        self.textChanged.connect(self._changed)

    def refuse(self, message: str, text: str) -> None:
        self.refusal = f"未接受“{text.strip()[:30]}”：{message}"
        self.setToolTip(self.refusal)
        self.refused.emit(self.refusal)

    def _changed(self, text: str) -> None:
        self.shown = text
        if self.refusal:
            self.refusal = None
            self.setToolTip("")

    def problem(self) -> str | None:
        """Why the text as it stands cannot be saved (1,0 left half typed), or None."""
        text = self.text().strip()
        return None if not text or _MoneyValidator.STRICT.match(text) else money_problem(text)

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
    refused = Signal(str)  # a keystroke or paste the editor did not take, and why

    def __init__(self, field: F.Field, completions: list[str] | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.field = field
        kind = field.kind
        if kind == F.DATE:
            self.widget = DateField(parent)
            self.widget.textChanged.connect(self.changed)
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
        if hasattr(self.widget, "refused"):
            self.widget.refused.connect(self.refused)

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

    def problem(self) -> str | None:
        """What is wrong with the text as typed before any save (a date that is not one), or None."""
        return self.widget.problem() if self.field.kind in (F.DATE, F.MONEY) else None

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
