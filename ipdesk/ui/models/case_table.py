"""The case ledger as a lazy table model: pages of ~200 rows fetched from SQL as the view scrolls,
sorting and filtering done by the database, so 100k cases stay fast."""
from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor

from ...db.records import RECENT, CaseFilter
from ...domain import fields as F
from ...domain.money import fen_to_yuan_text
from ...domain.time_limits import Deadline, needs_warning
from ...desk import Desk
from ..ops import show_error

PAGE = 200
OVERDUE_BG, NEAR_BG, PENDING_BG = QColor("#f8d7da"), QColor("#fff3cd"), QColor("#fdebd0")
OVERDUE_FG = QColor("#a94442")


class Column:
    def __init__(self, key: str, label: str, kind: str = F.TEXT, sort_key: str | None = None):
        self.key, self.label, self.kind = key, label, kind
        self.sort_key = sort_key if sort_key is not None else key


def _columns() -> list[Column]:
    """Every column the ledger can show: the derived ones, then the case fields in form order."""
    cols = [Column("status", "状态"), Column("deadline", "办案时限", sort_key="")]
    for f in F.CASE_FIELDS:
        if f.kind == F.LONGTEXT:
            continue
        cols.append(Column(f.name, f.label, f.kind))
    return cols


COLUMNS = _columns()
COLUMN_KEYS = [c.key for c in COLUMNS]
DEFAULT_VISIBLE = ("case_no", "name", "category", "status", "deadline", "party_name", "filed_date", "closed_date",
                   "handler", "fine_fen")
# The ledger opens with these first, then the rest (hidden) in form order.
_FIRST = ("status", "deadline", "case_no", "name", "category", "party_name", "filed_date", "closed_date", "handler")
COLUMNS.sort(key=lambda c: (_FIRST.index(c.key) if c.key in _FIRST else len(_FIRST)))


@dataclass
class Snapshot:
    """What one reload read (off the GUI thread): every matching id in order, the first rows, their limits."""
    ids: list[int]
    rows: list[dict]
    deadlines: dict[int, Deadline]


class CaseTableModel(QAbstractTableModel):
    """Rows come from ``Desk.list_cases``; ``deadlines`` maps case id → its running time limit.

    With ``ops`` (the app's :class:`~ipdesk.ui.ops.OpRunner`) a reload reads on the op worker: at 100k cases the
    ordered ids alone take 0.15–0.3 s and a search after a write rebuilds the text index (~1.5 s), too long for
    the GUI thread. ``loading(True)`` is emitted when a reload starts and ``reloaded`` once its rows are shown;
    a reload overtaken by a newer one is dropped. Without ``ops`` (scripts, bench) it reads at once.
    """

    loading = Signal(bool)
    reloaded = Signal()

    def __init__(self, desk: Desk, parent=None, ops=None):
        super().__init__(parent)
        self.desk, self.ops = desk, ops
        self.filter = CaseFilter()
        self.order, self.descending = RECENT, True
        self.ids: list[int] = []
        self.rows: list[dict] = []
        self.total = 0
        self.deadlines: dict[int, Deadline] = {}
        self.fetches = 0  # pages read from the database (a test measures laziness with it)
        self._generation = 0  # of the newest reload asked for

    # ---- loading -------------------------------------------------------------------------------
    def reload(self, *, keep_rows: bool = False) -> None:
        """Read the ordered ids and the first page again (after a change, a new filter or order).

        ``keep_rows`` (after a write) reads as many rows as are shown now, so the view keeps its scroll position.
        """
        self._generation += 1
        generation = self._generation
        query = (self.filter, self.order, self.descending, max(PAGE, len(self.rows)) if keep_rows else PAGE)

        def read() -> Snapshot | None:
            if generation != self._generation:
                return None  # overtaken while queued (fast typing): not worth reading
            return self.read(*query)
        if self.ops is None:
            self._show(generation, read())
            return
        self.loading.emit(True)
        self.ops.run(read, lambda snapshot: self._show(generation, snapshot), self._failed, emit_changes=False)

    def read(self, flt: CaseFilter, order: str, descending: bool, count: int) -> Snapshot:
        """The ids and the first ``count`` rows; touches no Qt object (runs on the op worker)."""
        ids = self.desk.records.case_ids(flt, order, descending)
        rows = []
        for first in range(0, min(count, len(ids)), PAGE):
            rows += self.desk.records.cases_by_ids(ids[first:first + PAGE])
        if len(rows) < min(count, len(ids)):  # deleted meanwhile by another program
            ids = [r["id"] for r in rows] + ids[min(count, len(ids)):]
        return Snapshot(ids, rows, self.desk.limits.deadlines_of(rows))

    def _show(self, generation: int, snapshot: Snapshot | None) -> None:
        if generation != self._generation or snapshot is None:
            return  # a newer reload is on its way
        self.beginResetModel()
        self.ids, self.rows, self.deadlines = snapshot.ids, snapshot.rows, snapshot.deadlines
        self.total, self.fetches = len(self.ids), 1
        self.endResetModel()
        self.loading.emit(False)
        self.reloaded.emit()

    def _failed(self, exc: BaseException) -> None:
        self.loading.emit(False)

        show_error(exc)

    def _read_page(self, first: int) -> list[dict]:
        """Rows for the next ids; ids deleted meanwhile (by another program) drop out of the list."""
        chunk = self.ids[first:first + PAGE]
        page = self.desk.records.cases_by_ids(chunk)
        if len(page) < len(chunk):
            self.ids[first:first + len(chunk)] = [r["id"] for r in page]
            self.total = len(self.ids)
        self.deadlines.update(self.desk.limits.deadlines_of(page))
        self.fetches += 1
        return page

    def set_filter(self, flt: CaseFilter) -> None:
        self.filter = flt
        self.reload()

    def canFetchMore(self, parent=QModelIndex()) -> bool:
        return not parent.isValid() and len(self.rows) < self.total

    def fetchMore(self, parent=QModelIndex()) -> None:
        if parent.isValid() or len(self.rows) >= self.total:
            return
        first = len(self.rows)
        page = self._read_page(first)
        if not page:
            return
        self.beginInsertRows(QModelIndex(), first, first + len(page) - 1)
        self.rows.extend(page)
        self.endInsertRows()

    def sort(self, column: int, order=Qt.AscendingOrder) -> None:
        """Sort by a column in SQL; column -1 (no header chosen) is the default, newest first."""
        if column < 0:
            self.order, self.descending = RECENT, True
        elif COLUMNS[column].sort_key:
            self.order, self.descending = COLUMNS[column].sort_key, order == Qt.DescendingOrder
        else:
            return  # 办案时限 is computed, not a column of the table
        self.reload()

    # ---- reading -------------------------------------------------------------------------------
    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.DisplayRole):
        if orientation == Qt.Horizontal and role == Qt.DisplayRole:
            return COLUMNS[section].label
        if orientation == Qt.Vertical and role == Qt.DisplayRole:
            return section + 1
        return None

    def case_id(self, row: int) -> int:
        return self.rows[row]["id"]

    def row_of(self, case_id: int) -> int | None:
        return next((i for i, r in enumerate(self.rows) if r["id"] == case_id), None)

    def data(self, index: QModelIndex, role=Qt.DisplayRole):
        if not index.isValid():
            return None
        case, col = self.rows[index.row()], COLUMNS[index.column()]
        deadline = self.deadlines.get(case["id"])
        if role == Qt.DisplayRole:
            return self.display(case, col, deadline)
        if role == Qt.BackgroundRole:
            if deadline is not None and deadline.overdue:
                return QBrush(OVERDUE_BG)
            if needs_warning(deadline):
                return QBrush(NEAR_BG)
            if case.get("needs_completion") and col.key == "status":
                return QBrush(PENDING_BG)
            return None
        if role == Qt.ForegroundRole and col.key == "deadline" and deadline is not None and deadline.overdue:
            return QBrush(OVERDUE_FG)
        if role == Qt.ToolTipRole:
            tips = []
            if deadline is not None:
                tips.append(deadline.message)
            if case.get("needs_completion"):
                tips.append("待补正：" + "、".join(case["needs_completion"]))
            return "\n".join(tips) or None
        if role == Qt.TextAlignmentRole and col.kind == F.MONEY:
            return int(Qt.AlignRight | Qt.AlignVCenter)
        return None

    @staticmethod
    def display(case: dict, col: Column, deadline: Deadline | None) -> str:
        if col.key == "deadline":
            if deadline is None:
                return ""
            text = f"超期{-deadline.days_left}天" if deadline.overdue else f"剩{deadline.days_left}天"
            return text + ("（估算）" if deadline.estimated else "")
        if col.key == "status":
            return case["status"] + ("（待补正）" if case.get("needs_completion") else "")
        value = case.get(col.key)
        if col.kind == F.MONEY:
            return fen_to_yuan_text(value) if value else ""
        if col.kind == F.FLAG:
            return "是" if value else ""
        if col.kind == F.MULTI:
            return "、".join(value or [])
        return "" if value is None else str(value)
