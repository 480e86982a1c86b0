"""附件1 and 附件2 laid out as the official forms, read entirely from the catalogue.

Part A/C (list parts): 项目 | 计量单位 | 本月 | 本年累计, grouped indicators merged under their group.
Part B (grid): each category row as two lines (本月, 本年累计) under two header rows (column ``group``
spanning its columns), all 19 columns in one table on its own A4 landscape page (see ``annex1_report``).
"""
from __future__ import annotations

from datetime import date
from typing import Any

from ..catalog import get_catalog
from ..catalog.model import RATIO, SPAN_LABELS, Catalog, Column, Part, cell_id, column_runs, span_label
from ..domain.periods import MONTH, Period
from ..stats.annex1 import Annex1Table
from ..domain.money import ROUNDING_NOTE, wan_text
from ..stats.annex2 import Annex2Table
from .layout import Block, Cell, Report, spread

PDF_MAX_COLUMNS = None  # part B prints as one table (7.5 pt) on its own page
LIST_WIDTHS = [2.2, 3.4, 1.6, 2.0, 2.0]  # 项目 group, 项目, 计量单位, 本期, 本年累计
MONEY_FORMAT = "0.0000"
COUNT_FORMAT = "0"
ANNEX1_LABEL, ANNEX2_LABEL = "附件1", "附件2"


def current_label(period: Period) -> str:
    return span_label("current", month=period.kind == MONTH)


def period_line(period_label: str) -> str:
    return f"统计期间：{period_label}"


def signature(unit: dict, today: date | None, *, filled_by: str | None = None,
              approval: dict | None = None) -> list[tuple[str, str]]:
    """填报单位（盖章）, 填报人, 审核人, 单位负责人, 联系电话, 填报日期. For an approved period ``approval``
    ({entered_by, approved_by, approved_at}) fills who entered, who approved and the date; else the
    reviewer and the head of unit sign by hand."""
    approval = approval or {}
    when = approval.get("approved_at") or None
    if when:
        day_of = date.fromisoformat(str(when)[:10])
        day = f"{day_of.year}年{day_of.month}月{day_of.day}日"
    else:
        day = f"{today.year}年{today.month}月{today.day}日" if today else "    年  月  日"
    entered = approval.get("entered_by") or filled_by
    return [
        ("填报单位（盖章）", unit.get("name") or ""),
        ("填报人", entered if entered is not None else (unit.get("contact_person") or "")),
        ("审核人", approval.get("approved_by") or ""),
        ("单位负责人", ""),
        ("联系电话", unit.get("phone") or ""),
        ("填报日期", day),
    ]  # printed three to a line (reports.pdf.SIGNATURE_PER_LINE)


def consolidated_title(title: str, scope: dict | None) -> str:
    """A consolidation's form is marked 汇总 in its title."""
    return f"{title}（汇总）" if scope else title


def scope_notes(scope: dict | None) -> list[str]:
    """The line saying which units a consolidation includes and which have not sent (first in the 说明)."""
    if not scope:
        return []
    return [scope["coverage"] + "。", scope["ytd_basis"]]


def coverage_line(table: Annex1Table | None) -> str:
    """A unit's 本期/本年累计 counted from its 启用月份 (stats/annex1.coverage_note), under the subtitle; a
    consolidation's coverage line (first in the 说明) names such units instead."""
    if table is None or table.scope or not table.coverage_note:
        return ""
    return f"统计范围：{table.coverage_note}。"


# ---- 附件1 -----------------------------------------------------------------------------------------

def _value_cell(table: Annex1Table | None, catalog: Catalog, cell: str, which: str, *, bold=False) -> Cell:
    cdef = catalog.cell(cell)
    fmt = MONEY_FORMAT if cdef.is_money else ("0.0" if cdef.unit == "%" else COUNT_FORMAT)
    if table is None:  # a blank form to fill in by hand: derived cells are formulas, the rest input
        terms = catalog.derived_terms(cell)
        formula: Any = [(sign, (cid, which)) for sign, cid in terms] if terms else None
        if cdef.ytd == RATIO:
            num, den = (cell_id(cdef.part.id, x) for x in cdef.indicator.ratio_of)
            formula = ("ratio", (num, which), (den, which))
        return Cell("", bold=bold, number_format=fmt, key=(cell, which), align="right",
                    input=formula is None, formula=formula)
    return Cell(table.display(cell, which), bold=bold, value=table.printed_number(cell, which),
                number_format=fmt, key=(cell, which), align="right")


def _list_block(part: Part, catalog: Catalog, table: Annex1Table | None, cur: str, spans: list[int],
                widths: list[float] | None = None) -> Block:
    """A list part over columns [group, label, unit, current, ytd]; ``spans`` says how many sheet
    columns each of the five takes (1 each on paper, more when it shares a sheet with part B)."""
    g, lab, u, c, y = spans
    header = [[Cell("项目", colspan=g + lab), Cell("计量单位", colspan=u), Cell(cur, colspan=c),
               Cell(SPAN_LABELS["ytd"], colspan=y)]]
    body: list[list[Cell]] = []
    previous = None
    for run in column_runs(part.indicators):
        # A lone 其中 row under the indicator it belongs to (上级转办, then 其中电商 grouped as 上级转办) is printed as
        # that row's 其中, indented: a group cell of its own printed 上级转办 twice, one under the other.
        lone = len(run) == 1 and run[0].group is not None and previous is not None and previous.label == run[0].group
        for k, one in enumerate(run):
            cid = cell_id(part.id, one.id)
            row = []
            previous = one
            if lone:
                row.append(Cell("　" + one.label, colspan=g + lab, align="left"))
            elif one.group:
                if k == 0:
                    row.append(Cell(one.group, rowspan=len(run), colspan=g))
                row.append(Cell(one.label, colspan=lab, align="left"))
            else:
                row.append(Cell(one.label, colspan=g + lab, align="left"))
            row += [Cell(one.unit, colspan=u), _span(_value_cell(table, catalog, cid, "current"), c),
                    _span(_value_cell(table, catalog, cid, "ytd"), y)]
            body.append(row)
    return Block(header, body, widths or LIST_WIDTHS, caption=part.title, font_size=10.5)


def _span(cell: Cell, n: int) -> Cell:
    cell.colspan = n
    return cell


def _chunks(columns: tuple[Column, ...], limit: int | None) -> list[list[Column]]:
    """Split columns at group boundaries into blocks of at most ``limit`` (a longer group stays whole)."""
    if not limit:
        return [list(columns)]
    out: list[list[Column]] = [[]]
    for run in column_runs(columns):
        if out[-1] and len(out[-1]) + len(run) > limit:
            out.append([])
        out[-1] += run
    return out


def _grid_header(cols: list[Column]) -> list[list[Cell]]:
    top: list[Cell] = [Cell("案件类别", rowspan=2), Cell("统计期间", rowspan=2)]
    second: list[Cell] = []
    for run in column_runs(cols):
        group = run[0].group
        units = {c.unit for c in run}
        if group:
            shared = units.pop() if len(units) == 1 else None
            top.append(Cell(f"{group}（{shared}）" if shared and "（" not in group else group, colspan=len(run)))
            for col in run:
                second.append(Cell(col.label if shared else f"{col.label}（{col.unit}）"))
        else:
            top.append(Cell(f"{run[0].label}（{run[0].unit}）", rowspan=2))
    return [top, second]


def _grid_block(part: Part, catalog: Catalog, table: Annex1Table | None, cur: str, cols: list[Column],
                caption: str, font_size: float = 8.5) -> Block:
    body: list[list[Cell]] = []
    for row in part.rows:
        bold = row.level > 0
        for which, label in (("current", cur), ("ytd", SPAN_LABELS["ytd"])):
            line = [Cell(row.label, rowspan=2, bold=bold, align="left" if row.level == 0 else "center")] \
                if which == "current" else []
            line.append(Cell(label, bold=bold))
            line += [_value_cell(table, catalog, cell_id(part.id, row.id, col.id), which, bold=bold) for col in cols]
            body.append(line)
    block = Block(_grid_header(cols), body, _grid_widths(cols), caption=caption, font_size=font_size)
    # On a sheet: counts need ~6 characters, 万元 ~10 (1234.5678), so 19 columns print at ≥ 70 % on A4.
    block.sheet_widths = [14.0, 7.0] + [6.0 if col.unit == "件" else 9.5 for col in cols]
    block.sheet_font_size = 9  # part 二 with its 说明 and signatures on one page, as on paper
    return block


def _grid_widths(cols) -> list[float]:
    return [3.0, 1.5] + [1.15 if col.unit != "件" else 1.0 for col in cols]


# Paper layout of 附件1 (PDF and Excel alike): two A4 landscape pages. Page 1: the title, 一、执法行动 and
# 三、其他工作 (the list parts); page 2: 二、案件查办 (all its columns in one table) with the 说明 and the
# signature block, so the signatures never stand alone on a page.
LIST_FONT, GRID_FONT = 8.5, 7.5


def annex1_report(table: Annex1Table | None, *, unit: dict, period: Period, catalog: Catalog | None = None,
                  today: date | None = None, max_columns: int | None = PDF_MAX_COLUMNS,
                  approval: dict | None = None) -> Report:
    """附件1 as a form; ``table=None`` gives the blank form a unit without the app fills in.
    ``max_columns`` splits part B into blocks of at most that many columns (None: one block, as printed).
    ``approval`` (entered_by, approved_by, approved_at) fills the signature block of an approved period."""
    catalog = catalog or (table.catalog if table else get_catalog())
    cur = current_label(period)
    grid_parts = [p for p in catalog.parts if p.is_grid]
    grid_widths = _grid_widths(grid_parts[0].columns) if grid_parts and not max_columns else None
    lists: list[Block] = []
    grids: list[Block] = []
    for part in catalog.parts:
        if part.is_grid:
            chunks = _chunks(part.columns, max_columns)
            for n, cols in enumerate(chunks):
                caption = part.title if n == 0 else f"{part.title}（续）"
                block = _grid_block(part, catalog, table, cur, cols, caption, GRID_FONT)
                block.new_page = True
                grids.append(block)
        else:
            if grid_widths:  # one sheet: the list spreads over part B's columns
                block = _list_block(part, catalog, table, cur, spread(LIST_WIDTHS, len(grid_widths)), grid_widths)
            else:
                block = _list_block(part, catalog, table, cur, [1] * 5)
            block.font_size = LIST_FONT
            lists.append(block)
    blocks = lists + grids
    if blocks:
        blocks[0].new_page = False
    unit_name = table.unit_name if table else unit.get("name", "")
    unit_code = table.unit_code if table else unit.get("code", "")
    scope = table.scope if table else None
    return Report(
        title=consolidated_title(catalog.title, scope), blocks=blocks, annex_label=ANNEX1_LABEL,
        subtitle_left=f"填报单位：{unit_name}", subtitle_right=period_line(period.label),
        coverage=coverage_line(table), notes=scope_notes(scope) + list(catalog.notes),
        signature=signature({**unit, "name": unit_name}, today, approval=approval),
        meta={"table": "annex1", "unit_code": unit_code, "unit_name": unit_name, "period": period.code,
              "period_label": period.label, "catalog_version": catalog.version, "blank": table is None},
        sheet_name=ANNEX1_LABEL)


# ---- 附件2 -----------------------------------------------------------------------------------------

def _money_cell(value, *, bold: bool = False) -> Cell:
    """A 万元 figure, or — when the case has none in this period's 附件1 (not 0.0000)."""
    if value is None:
        return Cell("—", bold=bold, align="center")
    return Cell(wan_text(value), value=float(value), number_format=MONEY_FORMAT, align="right", bold=bold)


def annex2_report(table: Annex2Table, *, unit: dict, today: date | None = None, signature_of=None) -> Report:
    catalog = table.catalog
    cols = catalog.annex2_columns
    header = [[Cell(c.label) for c in cols]]
    body: list[list[Cell]] = []
    for row in table.rows:
        line = []
        for c in cols:
            v = row.get(c.id, "")
            if c.is_money:
                line.append(_money_cell(v))
            elif c.id == "seq":
                line.append(Cell(str(v), value=v, number_format=COUNT_FORMAT))
            else:
                line.append(Cell("" if v is None else str(v), align=c.align, keep_words=c.keep_words))
        body.append(line)
    first_money = cols_until_money(cols)
    footer = []
    for label, values, count in ((catalog.annex2_listed_label, table.total_row(), f"共 {len(table.rows)} 件"),
                                 (catalog.annex2_annex1_label, table.annex1_row(), "按处罚决定日期，同附件1合计行")):
        if values is None:
            continue
        line = [Cell(label, colspan=3, bold=True), Cell(count, colspan=first_money - 3, bold=True, align="left")]
        for c in cols[first_money:]:
            line.append(_money_cell(values[c.id], bold=True) if c.is_money else Cell(""))
        footer.append(line)
    notes = [*catalog.annex2_notes, ROUNDING_NOTE]
    if table.annex1_row() is None:  # only the listed total is printed: its note alone
        notes[2] = f"“{catalog.annex2_listed_label}”为本表各行显示金额之和。"
    block = Block(header, body, [c.width for c in cols], font_size=7.5, footer=footer)
    block.sheet_widths = [_annex2_sheet_width(c) for c in cols]
    return Report(
        title=consolidated_title(catalog.annex2_title, table.scope),
        blocks=[block],
        annex_label=ANNEX2_LABEL, subtitle_left=f"填报单位：{table.unit_name}",
        subtitle_right=period_line(table.period_label),
        notes=scope_notes(table.scope)[:1] + notes,
        signature=signature({**unit, "name": table.unit_name}, today, approval=signature_of),
        meta={"table": "annex2", "unit_code": table.unit_code, "unit_name": table.unit_name,
              "period": table.period_code, "period_label": table.period_label,
              "catalog_version": catalog.version, "rows": len(table.rows)},
        sheet_name=ANNEX2_LABEL)


def _annex2_sheet_width(col) -> float:
    """Characters of an Excel column: amounts and dates whole, text wrapping (the sheet prints at ≥ 70 %)."""
    if col.is_money:
        return 10.0
    if col.id == "seq":
        return 4.5
    if col.id.endswith("_date"):
        return 10.5
    # 是/否 columns stay narrow; others hold a four-character word (商标侵权, 投诉举报) on one line
    return max(4.5 if col.width < 0.8 else 8.0, col.width * 6.5)


def cols_until_money(cols) -> int:
    """Index of the first money column (the total row's label spans what comes before it)."""
    return next(i for i, c in enumerate(cols) if c.is_money)
