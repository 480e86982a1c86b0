"""The shape of an indicator catalogue: parts, rows, columns, measures and rules, all plain data.

A *measure* says which records a cell counts and by which date; the statistics
engine turns measures into SQL, the screens, files and checks read labels and
units from here. Adding an indicator is adding one entry.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple, Sequence, TypeVar

# How a cell's 本年累计 is formed from the year's records.
FLOW = "flow"          # sum from 1 January to the period's end
OPENING = "opening"    # the value at 1 January (上期未结 of the year)
CLOSING = "closing"    # the value at the period's end (期末未结)
STOCK = "stock"        # manual stock: the latest value entered up to the period's end
RATIO = "ratio"        # recomputed from its numerator and denominator

# Measure aggregations.
COUNT, SUM, OPEN_AT_START, OPEN_AT_END, MANUAL = "count", "sum", "open_at_start", "open_at_end", "manual"

# The spans every figure is given for, and their one label on screens, files, checks and messages. A month's
# 本期 is printed 本月 (span_label).
SPAN_LABELS = {"current": "本期", "ytd": "本年累计", "prev_current": "上年同期", "prev_ytd": "上年同期累计"}


# Each span of this year and the same span a year earlier, which 同比 compares it with.
PREVIOUS_YEAR = {"current": "prev_current", "ytd": "prev_ytd"}


def span_label(which: str, *, month: bool = False) -> str:
    return "本月" if month and which == "current" else SPAN_LABELS[which]


def cell_id(part_id: str, row_id: str, col_id: str | None = None) -> str:
    """A cell's id: ``part.row.col`` in a grid part (B.trademark.filed), ``part.indicator`` in a list part."""
    return f"{part_id}.{row_id}" if col_id is None else f"{part_id}.{row_id}.{col_id}"


MONEY_UNIT = "万元"  # stored as 分, printed as 万元 with 4 decimals (domain.money: the rounding policy)

# The immutable records below are NamedTuples rather than frozen dataclasses: the same fields, defaults and
# methods, built ~7× faster at import (a frozen dataclass costs ~0.6 ms to define; the catalogue is imported
# by the 工作台's first figures, right after the window shows, and by every CLI command).


class Measure(NamedTuple):
    """Which records make a cell: ``agg`` of ``value`` over ``table`` rows whose ``date``
    falls in the span and that satisfy every ``where`` condition ``(field, op, value)``
    with op one of ``=``, ``in``, ``>=``."""

    table: str = "cases"
    agg: str = COUNT
    date: str | None = None
    value: tuple[str, ...] = ()  # fields summed (added together) for SUM
    where: tuple[tuple[str, str, object], ...] = ()


class Indicator(NamedTuple):
    """One row of a list part (parts A and C)."""

    id: str
    label: str
    unit: str
    measure: Measure | None = None
    ytd: str = FLOW
    ratio_of: tuple[str, str] | None = None  # (numerator id, denominator id) for RATIO
    group: str = ""  # a grouping label printed before the label (e.g. 行政调解)
    date_note: str = ""  # the date it counts by, for the 说明


class Column(NamedTuple):
    """One column of a grid part (part B): a measure applied to every row's categories."""

    id: str
    label: str
    unit: str
    measure: Measure
    ytd: str = FLOW
    group: str = ""  # grouped header above the label (e.g. 立案 over 一般程序/简易程序)
    is_flag: bool = False  # flag columns overlap: never added into a total
    date_note: str = ""
    # A derived column: the signed sum of these columns of the same row ('-' subtracts). 罚没款合计 =
    # 罚款 + 没收 is printed as the sum of their printed values; the fill-in form writes each as a formula.
    sum_of: tuple[str, ...] = ()


class Row(NamedTuple):
    id: str
    label: str
    categories: tuple[str, ...]
    sum_of: tuple[str, ...] = ()  # rows this one must equal the sum of (checked)
    level: int = 0  # 0 category, 1 subtotal, 2 total


class Rule(NamedTuple):
    """A check over cells. ``kind``: ``eq`` (left = Σ signed right), ``le`` (left ≤ right),
    ``nonneg``. In a grid part the ids are column ids and the rule runs on every row."""

    kind: str
    left: str
    right: tuple[str, ...] = ()  # terms, each optionally prefixed with '-'
    message: str = ""
    part: str = ""


class Part(NamedTuple):
    id: str
    title: str
    indicators: tuple[Indicator, ...] = ()
    rows: tuple[Row, ...] = ()
    columns: tuple[Column, ...] = ()
    row_field: str = "category"

    @property
    def is_grid(self) -> bool:
        return bool(self.columns)


class CellDef(NamedTuple):
    """A cell of the table, flattened: what every consumer iterates over."""

    id: str
    part: Part
    row_label: str
    column_label: str
    unit: str
    measure: Measure | None
    ytd: str
    row: Row | None = None
    column: Column | None = None
    indicator: Indicator | None = None

    @property
    def is_money(self) -> bool:
        return self.unit == MONEY_UNIT

    @property
    def place(self) -> str:
        """Where it is printed: 行·列 (a grid cell) or the indicator's label."""
        return f"{self.row_label}·{self.column_label}" if self.column_label else self.row_label


_Grouped = TypeVar("_Grouped", Column, Indicator)


def column_runs(items: Sequence[_Grouped]) -> list[list[_Grouped]]:
    """Consecutive columns (or indicators) under the same ``group`` label, in order: one run per grouped
    header cell, a single item for an ungrouped one. The screen's table and the printed form both head
    their columns by these runs."""
    runs: list[list[_Grouped]] = []
    for item in items:
        if runs and item.group and runs[-1][0].group == item.group:
            runs[-1].append(item)
        else:
            runs.append([item])
    return runs


class Annex2Column(NamedTuple):
    id: str
    label: str
    width: float = 1.0  # relative print width
    is_money: bool = False
    # The 附件1 column (part B) this money column reconciles with: the case's amount is shown only when
    # it counts in that column this period (same measure, same date), and the total row repeats 附件1's.
    annex1_column: str = ""
    source: str = ""  # the case field printed as it is ("" for a column computed by stats.annex2.case_row)
    align: str = "center"  # "left" for names and free text
    keep_words: bool = False  # on paper, wrapped between words only (at 、 and spaces): names and numbers


class Headlines(NamedTuple):
    """The figures shown outside the forms, as cell ids (labels and units are read from the cells): the
    工作台's key figures, the bulletin's (and its ranking), and the columns the summaries and charts
    follow per category and per month."""

    home: tuple[str, ...]
    bulletin: tuple[str, ...]
    bulletin_ytd: tuple[str, ...]  # the bulletin text's 本年累计 sentence
    rank_by: tuple[str, ...]  # the bulletin's ranking: by the first, then the next
    filed: str  # grid column ids: cases filed and closed (the monthly charts, the category chart)
    closed: str
    by_category: tuple[str, ...]  # grid columns the summaries show per category


@dataclass
class Catalog:
    version: str
    title: str
    parts: tuple[Part, ...]
    rules: tuple[Rule, ...]
    annex2_title: str
    annex2_columns: tuple[Annex2Column, ...]
    headlines: Headlines
    notes: tuple[str, ...] = ()
    # 附件2's 说明 and its two total rows' labels (the printed rows' sum; 附件1's figure for the span).
    annex2_notes: tuple[str, ...] = ()
    annex2_listed_label: str = ""
    annex2_annex1_label: str = ""
    effective_from: str = "2000-01"  # first month reported on this version
    _cells: dict[str, CellDef] = field(default_factory=dict, init=False, repr=False, compare=False)
    _dates: dict[str, tuple[str, ...]] = field(default_factory=dict, init=False, repr=False, compare=False)
    _rule_places: list = field(default_factory=list, init=False, repr=False, compare=False)

    def cells(self) -> dict[str, CellDef]:
        """Every cell by id, in print order."""
        if not self._cells:
            for part in self.parts:
                if part.is_grid:
                    for row in part.rows:
                        for col in part.columns:
                            cid = cell_id(part.id, row.id, col.id)
                            label = f"{col.group}·{col.label}" if col.group else col.label
                            self._cells[cid] = CellDef(cid, part, row.label, label, col.unit, col.measure,
                                                       col.ytd, row=row, column=col)
                else:
                    for ind in part.indicators:
                        cid = cell_id(part.id, ind.id)
                        label = f"{ind.group}·{ind.label}" if ind.group else ind.label
                        self._cells[cid] = CellDef(cid, part, label, "", ind.unit, ind.measure, ind.ytd,
                                                   indicator=ind)
        return self._cells

    def cell(self, cell_id: str) -> CellDef:
        return self.cells()[cell_id]

    def part(self, part_id: str) -> Part:
        return next(p for p in self.parts if p.id == part_id)

    def rule_places(self) -> list[tuple[Rule, str, tuple[str, ...], tuple[str, ...]]]:
        """Each rule at every place it applies, in rule order: ``(rule, left cell id, cell ids added, cell ids
        subtracted)``. A grid part's rule runs on every row; a ``rowsum`` rule on every cell of a row with
        ``sum_of``, adding the cells of the rows summed. Worked out once (a region checks 1,236 received tables
        a year)."""
        if not self._rule_places:
            for rule in self.rules:
                part = self.part(rule.part)
                if rule.kind == "rowsum":
                    self._rule_places += [(rule, cell_id(part.id, row.id, col.id),
                                           tuple(cell_id(part.id, r, col.id) for r in row.sum_of), ())
                                          for row in part.rows if row.sum_of for col in part.columns]
                    continue
                for pref in ([f"{part.id}.{row.id}." for row in part.rows] if part.is_grid else [f"{part.id}."]):
                    self._rule_places.append((rule, pref + rule.left,
                                              tuple(pref + t for t in rule.right if not t.startswith("-")),
                                              tuple(pref + t[1:] for t in rule.right if t.startswith("-"))))
        return self._rule_places

    def derived_terms(self, cid: str) -> list[tuple[int, str]] | None:
        """A cell that is a sum of others on the form — a 小计/合计 row, or a column with ``sum_of``
        (罚没款合计, 期末未结) — as ``[(+1 or -1, cell id)]``; None for a cell that is entered."""
        cell = self.cell(cid)
        if cell.row is None:
            return None
        part = cell.part.id
        if cell.row.sum_of:
            return [(1, cell_id(part, r, cell.column.id)) for r in cell.row.sum_of]
        if cell.column.sum_of:
            return [(-1 if t.startswith("-") else 1, cell_id(part, cell.row.id, t.lstrip("-")))
                    for t in cell.column.sum_of]
        return None

    def grid(self) -> Part:
        """The grid part (part B): categories × columns."""
        return next(p for p in self.parts if p.is_grid)

    def total_cell(self, col_id: str) -> str:
        """The grid's 合计 row cell of a column (B.total.filed)."""
        grid = self.grid()
        return cell_id(grid.id, next(r.id for r in grid.rows if r.level == max(x.level for x in grid.rows)), col_id)

    def count_dates(self) -> dict[str, tuple[str, ...]]:
        """table → the date fields its measures count by: a record with any of these dates in an approved
        month counts in that month's figures (the locks follow from this)."""
        if not self._dates:
            out: dict[str, list[str]] = {}
            for cell in self.cells().values():
                m = cell.measure
                if m is None:
                    continue
                dates = out.setdefault(m.table, [])
                if m.date and m.date not in dates:
                    dates.append(m.date)
            self._dates.update((t, tuple(d)) for t, d in out.items())
        return self._dates

    def manual_cells(self) -> list[CellDef]:
        return [c for c in self.cells().values() if c.measure is not None and c.measure.agg == MANUAL]
