"""A period picker: kind (月/双月/季度/半年/年, and where asked 自选月份: a run of whole months of a year), year and
which one; emits the chosen Period."""
from __future__ import annotations

from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QSpinBox, QWidget

from ...domain.periods import BIMONTH, HALF, MONTH, MONTHS, QUARTER, YEAR, Period

KINDS = ((MONTH, "月报"), (BIMONTH, "双月"), (QUARTER, "季度"), (HALF, "半年"), (YEAR, "全年"))


def _choices(kind: str) -> list[tuple[str, int]]:
    """(label, first month) of each period of a kind within a year."""
    if kind in (MONTH, MONTHS):
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

    def __init__(self, period: Period, parent=None, *, allow_months: bool = False):
        super().__init__(parent)
        self.kind = QComboBox()
        for kind, label in KINDS + (((MONTHS, "自选月份"),) if allow_months else ()):
            self.kind.addItem(label, kind)
        # 自选月份: ``which`` is the first month, ``to`` the last (of the same year).
        self.to_label = QLabel("至")
        self.to = QComboBox()
        self.to.setObjectName("period_to")
        for label, month in _choices(MONTH):
            self.to.addItem(label, month)
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
        layout.addWidget(self.to_label)
        layout.addWidget(self.to)
        self._quiet = False
        self.set_period(period)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.year.valueChanged.connect(self._emit)
        self.which.currentIndexChanged.connect(self._which_changed)
        self.to.currentIndexChanged.connect(self._which_changed)

    def period(self) -> Period:
        first = self.which.currentData() or 1
        if self.kind.currentData() == MONTHS:  # the months it makes: a quarter chosen this way is the quarter
            return Period.months_of(self.year.value(), first, max(first, self.to.currentData() or first))
        return Period(self.year.value(), first, self.kind.currentData())

    def set_period(self, p: Period) -> None:
        self._quiet = True
        self.kind.setCurrentIndex(self.kind.findData(p.kind))
        self._fill_which(p.kind)
        self.year.setValue(p.year)
        self.which.setCurrentIndex(max(self.which.findData(p.first_month), 0))
        self.to.setCurrentIndex(max(self.to.findData(p.last_month), 0))
        self._quiet = False
        self._emit()

    def _fill_which(self, kind: str) -> None:
        self.which.clear()
        for label, first in _choices(kind):
            self.which.addItem(label, first)
        self.which.setEnabled(kind != YEAR)
        self.to_label.setVisible(kind == MONTHS)
        self.to.setVisible(kind == MONTHS)

    def _kind_changed(self) -> None:
        before = self.period() if self.which.currentData() else None
        old = self.which.currentData() or 1
        self._quiet = True
        kind = self.kind.currentData()
        self._fill_which(kind)
        if kind == MONTHS and before is not None:  # the months shown before, now to be changed at either end
            self.which.setCurrentIndex(self.which.findData(before.first_month))
            self.to.setCurrentIndex(self.to.findData(before.last_month))
        else:  # keep the period that contains the month shown before
            best = max((first for _, first in _choices(kind) if first <= old), default=1)
            self.which.setCurrentIndex(self.which.findData(best))
        self._quiet = False
        self._emit()

    def _which_changed(self) -> None:
        # 自选月份 never ends before it starts: the other end follows.
        if self.kind.currentData() == MONTHS and not self._quiet:
            first, last = self.which.currentData() or 1, self.to.currentData() or 1
            if last < first:
                self._quiet = True
                if self.sender() is self.to:
                    self.which.setCurrentIndex(self.which.findData(last))
                else:
                    self.to.setCurrentIndex(self.to.findData(first))
                self._quiet = False
        self._emit()

    def _emit(self) -> None:
        if not self._quiet:
            self.changed.emit(self.period())
