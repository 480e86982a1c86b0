"""A period picker: kind (月/双月/季度/半年/年), year and which one; emits the chosen Period."""
from __future__ import annotations

from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QSpinBox, QWidget

from ...domain.periods import BIMONTH, HALF, MONTH, QUARTER, YEAR, Period

KINDS = ((MONTH, "月报"), (BIMONTH, "双月"), (QUARTER, "季度"), (HALF, "半年"), (YEAR, "全年"))


def _choices(kind: str) -> list[tuple[str, int]]:
    """(label, first month) of each period of a kind within a year."""
    if kind == MONTH:
        return [(f"{m}月", m) for m in range(1, 13)]
    if kind == BIMONTH:
        return [(f"{m}—{m + 1}月", m) for m in range(1, 13, 2)]
    if kind == QUARTER:
        return [(f"第{'一二三四'[q]}季度", 3 * q + 1) for q in range(4)]
    if kind == HALF:
        return [("上半年", 1), ("下半年", 7)]
    return [("全年", 1)]


def default_period(today: date) -> Period:
    """The month a clerk is most likely reporting: the previous one."""
    return Period(today.year, today.month, MONTH).previous()


class PeriodPicker(QWidget):
    changed = Signal(object)  # Period

    def __init__(self, period: Period, parent=None):
        super().__init__(parent)
        self.kind = QComboBox()
        for kind, label in KINDS:
            self.kind.addItem(label, kind)
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setSuffix(" 年")
        self.which = QComboBox()
        self.which.setMinimumContentsLength(8)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel("统计期间"))
        layout.addWidget(self.kind)
        layout.addWidget(self.year)
        layout.addWidget(self.which)
        self._quiet = False
        self.set_period(period)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.year.valueChanged.connect(self._emit)
        self.which.currentIndexChanged.connect(self._emit)

    def period(self) -> Period:
        return Period(self.year.value(), self.which.currentData() or 1, self.kind.currentData())

    def set_period(self, p: Period) -> None:
        self._quiet = True
        self.kind.setCurrentIndex(self.kind.findData(p.kind))
        self._fill_which(p.kind)
        self.year.setValue(p.year)
        self.which.setCurrentIndex(max(self.which.findData(p.first_month), 0))
        self._quiet = False
        self._emit()

    def _fill_which(self, kind: str) -> None:
        self.which.clear()
        for label, first in _choices(kind):
            self.which.addItem(label, first)
        self.which.setEnabled(kind != YEAR)

    def _kind_changed(self) -> None:
        old = self.which.currentData() or 1
        self._quiet = True
        kind = self.kind.currentData()
        self._fill_which(kind)
        # Keep the period that contains the month shown before.
        best = max((first for _, first in _choices(kind) if first <= old), default=1)
        self.which.setCurrentIndex(self.which.findData(best))
        self._quiet = False
        self._emit()

    def _emit(self) -> None:
        if not self._quiet:
            self.changed.emit(self.period())
