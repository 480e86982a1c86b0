"""Summary pack for 阶段性总结 (1-1 to 6-30, ``YYYY-H1``) and 全年总结 (``YYYY``): the figures a clerk
pastes into the written summary.

Everything comes from 附件1 of the period (and of each month in it) as computed by the desk; labels
come from the catalogue. Three tables — 主要数据同比, 案件分类, 按月立案结案 — are laid out as
:class:`~ipdesk.reports.layout.Report` blocks so the existing PDF and Excel renderers draw them; the PDF
adds two bar charts (reportlab graphics in the embedded CJK font).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Callable

from ..catalog.model import SPAN_LABELS, cell_id
from ..domain.periods import HALF, YEAR, Period
from ..errors import IpdeskError
from ..domain.money import ROUNDING_NOTE, round_percent
from ..stats.annex1 import Annex1Table, CellValue
from .annex_layout import MONEY_FORMAT
from .layout import Block, Cell, Report
from ..exchange.consolidate import consolidation
from .export import write_report

PCT_FORMAT = "0.0"


def summary_period(period: Period | str) -> Period:
    """The summary a period belongs to: 上半年 (1-6月) for periods ending by June, else the whole year."""
    p = period if isinstance(period, Period) else Period.parse(period)
    if p.kind == YEAR or (p.kind == HALF and p.first_month == 1):
        return p
    return Period(p.year, 1, HALF) if p.last_month <= 6 else Period(p.year, 1, YEAR)


def check_summary_period(period: Period | str) -> Period:
    p = period if isinstance(period, Period) else Period.parse(period)
    if not (p.kind == YEAR or (p.kind == HALF and p.first_month == 1)):
        raise IpdeskError(f"总结材料只按上半年（如 {p.year}-H1）或全年（如 {p.year}）生成",
                          f"summary period must be YYYY-H1 or YYYY, not {p.code}")
    return p


def kind_label(period: Period) -> str:
    return "阶段性总结" if period.kind == HALF else "全年总结"


@dataclass
class SummaryData:
    period: Period
    unit: dict
    today: date | None
    table: Annex1Table  # the window (current) and the same window a year earlier (prev_current)
    months: list[tuple[Period, Annex1Table | None]] = field(default_factory=list)  # None: month not ended
    window_end: date | None = None  # the period has not ended: figures from 1 January to this day
    consolidated: dict | None = None  # a city/region: what the consolidation covers

    @property
    def partial(self) -> bool:
        return self.window_end is not None and self.window_end < self.period.end

    @property
    def catalog(self):
        return self.table.catalog

    def grid(self):
        return self.catalog.grid()

    def category_chart(self) -> tuple[list[str], list[int], list[int] | None]:
        """Filed cases per category (leaf rows of part B): labels, this period, a year earlier (None: no data
        for the previous year, or only some units', no bars rather than bars of 0 or of a part)."""
        part = self.grid()
        rows = [r for r in part.rows if not r.sum_of]
        filed = self.catalog.headlines.filed
        now = [int(self.table.value(cell_id(part.id, r.id, filed), "current") or 0) for r in rows]
        ids = [cell_id(part.id, r.id, filed) for r in rows]
        before = [self.table.value(cid, "prev_current") for cid in ids]
        # Nor bars of some units' 上年同期 beside all units' figures: the comparison its 同比 — withholds.
        partial = any((cid, "prev_current") in self.table.prev_partial for cid in ids)
        return [r.label for r in rows], now, None if None in before or partial else [int(v) for v in before]

    def month_chart(self) -> tuple[list[str], list[int], list[int]]:
        """Cases filed and closed per month (months not yet begun count 0)."""
        labels, filed, closed = [], [], []
        f_id, c_id = _totals(self)
        for month, table in self.months:
            labels.append(f"{month.first_month}月")
            filed.append(int(table.value(f_id) or 0) if table else 0)
            closed.append(int(table.value(c_id) or 0) if table else 0)
        return labels, filed, closed


def _totals(data: SummaryData) -> tuple[str, str]:
    """The 合计 cells of cases filed and of cases closed (the catalogue's headlines)."""
    heads = data.catalog.headlines
    return data.catalog.total_cell(heads.filed), data.catalog.total_cell(heads.closed)


def _window_table(source: Annex1Table, period: Period) -> Annex1Table:
    """1 January to the source's end, and the same window a year earlier: the source's 本年累计 and
    上年累计 (one basis with 附件1 and the consolidation), as this table's 本期 and 上年同期."""
    values = {cid: CellValue(v.ytd, v.ytd, v.prev_ytd, v.prev_ytd) for cid, v in source.values.items()}
    leaf = None
    if source.leaf_printed:
        as_ = {"current": "ytd", "ytd": "ytd", "prev_current": "prev_ytd", "prev_ytd": "prev_ytd"}
        leaf = {(cid, w): source.leaf_printed[(cid, as_[w])] for (cid, w) in source.leaf_printed}
    partial = {(cid, "prev_current") for cid, w in source.prev_partial if w == "prev_ytd"}
    return Annex1Table(source.catalog, source.unit_code, source.unit_name, period, values,
                       money_precision_fen=source.money_precision_fen, leaf_printed=leaf, scope=source.scope,
                       prev_partial=partial | {(cid, "prev_ytd") for cid, _ in partial},
                       coverage_note=source.coverage_note)


def build_summary(desk, period: Period | str, progress: Callable[[str], None] | None = None) -> SummaryData:
    """The figures of a summary. A unit with subordinates sums what they sent (the consolidation); a
    period not yet ended is counted to the end of its last ended month, against the same days a year
    earlier — never a part of this year against a whole last year."""
    p = check_summary_period(period)
    today = desk.today()
    if progress:
        progress("正在统计…")
    if desk.office.subordinate_units():
        def source(span: Period) -> Annex1Table:
            return consolidation(desk, span).annex1
    else:
        source = desk.figures.annex1
    ended = [m for m in p.month_periods() if m.end < today]
    window = p if p.end < today or not ended else ended[-1]
    table = _window_table(source(window), p)
    months = [(m, source(m) if m in ended else None) for m in p.month_periods()]
    return SummaryData(p, dict(desk.unit), today, table, months,
                       window_end=window.end if window != p else None, consolidated=table.scope)


# ---- tables ---------------------------------------------------------------------------------------

def _yoy_text(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{round_percent(value):+.1f}" if value else "0.0"


def _number_cell(table: Annex1Table, cid: str, which: str) -> Cell:
    """A figure as the table prints it (money totals footing, domain.money's rounding)."""
    cdef = table.catalog.cell(cid)
    fmt = MONEY_FORMAT if cdef.is_money else (PCT_FORMAT if cdef.unit == "%" else "0")
    return Cell(table.display(cid, which), value=table.printed_number(cid, which), number_format=fmt,
                align="right")


def _yoy_cell(value: float | None) -> Cell:
    return Cell(_yoy_text(value), value=value, number_format=PCT_FORMAT, align="right")


def key_figures_block(data: SummaryData) -> Block:
    """一、主要数据同比: every indicator of the list parts and part B's 合计 row, 本期/上年同期/同比.
    Each part starts with a full-width heading row (not a row-spanning cell: the table may then break
    between any two rows)."""
    cat, table = data.catalog, data.table
    header = [[Cell("项目"), Cell("计量单位"), Cell(SPAN_LABELS["current"]), Cell(SPAN_LABELS["prev_current"]),
               Cell("同比增减（%）")]]
    body = []
    for part in cat.parts:
        if part.is_grid:
            ids = [cat.total_cell(c.id) for c in part.columns]
            labels = [c.label if c.group in ("", "案件数") else f"{c.group}·{c.label}" for c in part.columns]
            units = [c.unit for c in part.columns]
        else:
            ids = [cell_id(part.id, i.id) for i in part.indicators]
            labels = [f"{i.group}·{i.label}" if i.group else i.label for i in part.indicators]
            units = [i.unit for i in part.indicators]
        body.append([Cell(part.title + ("（合计）" if part.is_grid else ""), colspan=5, bold=True, align="left")])
        for cid, label, unit in zip(ids, labels, units):
            body.append([Cell("　" + label, align="left"), Cell(unit), _number_cell(table, cid, "current"),
                         _number_cell(table, cid, "prev_current"), _yoy_cell(table.yoy(cid))])
    return Block(header, body, [4.6, 1.4, 1.4, 1.4, 1.4], caption="一、主要数据同比", font_size=8.5)


def category_block(data: SummaryData) -> Block:
    """二、案件查办分类: part B rows × a few columns, this period and a year earlier."""
    table, part = data.table, data.grid()
    cols = [c for cid in data.catalog.headlines.by_category for c in part.columns if c.id == cid]
    header = [[Cell("类别", rowspan=2)] + [Cell(f"{c.label}（{c.unit}）", colspan=3) for c in cols],
              [Cell(t) for _ in cols for t in (SPAN_LABELS["current"], SPAN_LABELS["prev_current"], "同比（%）")]]
    body = []
    for r in part.rows:
        bold = bool(r.sum_of)
        row = [Cell(r.label, align="left", bold=bold)]
        for c in cols:
            cid = cell_id(part.id, r.id, c.id)
            cells = [_number_cell(table, cid, "current"), _number_cell(table, cid, "prev_current"),
                     _yoy_cell(table.yoy(cid))]
            for cl in cells:
                cl.bold = bold
            row += cells
        body.append(row)
    widths = [3.2] + [1.25, 1.25, 1.1] * len(cols)
    return Block(header, body, widths, caption=f"二、{part.title.split('、', 1)[-1]}分类情况", font_size=8.5)


def month_block(data: SummaryData) -> Block:
    """三、按月立案结案: each month's filed/closed cases and the same month a year earlier."""
    cat = data.catalog
    f_id, c_id = _totals(data)
    f_def, c_def = cat.cell(f_id), cat.cell(c_id)
    header = [[Cell("月份", rowspan=2), Cell(f"{f_def.column.label}（{f_def.unit}）", colspan=3),
               Cell(f"{c_def.column.label}（{c_def.unit}）", colspan=3)],
              [Cell(t) for _ in range(2) for t in ("本月", "上年同月", "同比（%）")]]
    body = []
    for month, table in data.months:
        row = [Cell(month.label)]
        for cid in (f_id, c_id):
            if table is None:
                row += [Cell("—", align="right")] * 3
                continue
            row += [_number_cell(table, cid, "current"), _number_cell(table, cid, "prev_current"),
                    _yoy_cell(table.yoy(cid))]
        body.append(row)
    t = data.table
    total = [Cell("合计", bold=True)]
    for cid in (f_id, c_id):
        total += [_number_cell(t, cid, "current"), _number_cell(t, cid, "prev_current"), _yoy_cell(t.yoy(cid))]
    for cl in total:
        cl.bold = True
    body.append(total)
    return Block(header, body, [2.0] + [1.3, 1.3, 1.2] * 2, caption="三、按月立案、结案情况", font_size=9)


def _title(data: SummaryData) -> str:
    until = f"（截至{data.window_end.month}月{data.window_end.day}日）" if data.partial else ""
    mark = "（汇总）" if data.consolidated else ""
    return f"{data.period.label}{until}知识产权行政保护工作{kind_label(data.period)}数据{mark}"


def _notes(data: SummaryData) -> list[str]:
    p = data.period
    end = data.window_end if data.partial else p.end
    notes = [f"本期为{p.start:%Y年%-m月%-d日}至{end:%Y年%-m月%-d日}，上年同期为{p.year - 1}年同一区间；"
             "同比增减（%）=（本期－上年同期）÷上年同期×100，上年同期为0或无数据时记“—”；上年同期记“—”为无数据"
             "（启用月份之前未在本程序登记，也未导入当时的记录），不是0。",
             "金额单位为万元；各列统计口径与附件1相同（见附件1说明）。", ROUNDING_NOTE]
    if data.partial:
        notes.append(f"{p.label}尚未结束，本期与上年同期均统计至最近一个已结束月份的月末"
                     f"（数据截至{end:%Y年%-m月%-d日}）。")
    if data.consolidated:
        notes.insert(0, data.consolidated["coverage"] + "。" + data.consolidated["ytd_basis"])
    elif data.table.coverage_note:  # a unit's 本年累计 counted from its 启用月份 (stats/annex1.coverage_note)
        notes.insert(0, f"附件1统计范围：{data.table.coverage_note}（本表本期即附件1的本年累计）。")
    return notes


def _meta(data: SummaryData, table: str) -> dict:
    return {"table": table, "unit_code": data.unit.get("code", ""), "unit_name": data.unit.get("name", ""),
            "period": data.period.code, "period_label": data.period.label,
            "catalog_version": data.catalog.version}


def summary_report(data: SummaryData) -> Report:
    """The PDF form: three tables and two charts."""
    blocks = [key_figures_block(data), category_block(data), month_block(data)]
    blocks[1].new_page = blocks[2].new_page = True  # each with its chart on one page
    blocks[1].figures = [lambda fonts, width: category_chart(data, fonts, width)]
    blocks[2].figures = [lambda fonts, width: month_chart(data, fonts, width)]
    report = Report(_title(data), blocks, subtitle_left=f"单位：{data.unit.get('name', '')}",
                    subtitle_right=f"统计期间：{data.period.label}", notes=_notes(data),
                    meta=_meta(data, "summary"), sheet_name="总结材料")
    return report


def summary_sheets(data: SummaryData) -> list[Report]:
    """The same figures as Excel: one sheet per table (a clerk copies them into the summary)."""
    title, notes, meta = _title(data), _notes(data), _meta(data, "summary")
    out = []
    for block, name in ((key_figures_block(data), "主要数据同比"), (category_block(data), "案件分类"),
                        (month_block(data), "按月立案结案")):
        caption, block.caption = block.caption, ""
        out.append(Report(f"{title}　{caption.split('、', 1)[-1]}", [block],
                          subtitle_left=f"单位：{data.unit.get('name', '')}",
                          subtitle_right=f"统计期间：{data.period.label}", notes=notes, meta=meta, sheet_name=name))
    return out


# ---- charts (reportlab graphics; only imported when a PDF is drawn) --------------------------------

_NOW_COLOR, _BEFORE_COLOR = "#1f5f9e", "#a9c3de"


def _bar_chart(fonts, width: float, title: str, labels: list[str], series: list[list[int]],
               names: list[str], colors_: list[str], two_line_labels: bool = False):
    from reportlab.graphics.charts.barcharts import VerticalBarChart
    from reportlab.graphics.charts.legends import Legend
    from reportlab.graphics.shapes import Drawing, String
    from reportlab.lib import colors

    height = 185
    d = Drawing(width, height)
    # the renderer's starting font: else a Helvetica that is never used but not embedded lands in the PDF
    d.initialFontName, d.initialFontSize = fonts.body.name, 9
    font = fonts.body.name
    d.add(String(width / 2, height - 16, title, fontName=fonts.title.name, fontSize=12, textAnchor="middle"))
    chart = VerticalBarChart()
    chart.x, chart.y = 48, 44 if two_line_labels else 34
    chart.width, chart.height = width - 170, height - chart.y - 34
    chart.data = [tuple(s) for s in series]
    chart.categoryAxis.categoryNames = labels
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = 8
    chart.categoryAxis.labels.boxAnchor = "n"
    chart.categoryAxis.labels.dy = -3
    chart.valueAxis.labels.fontName = font
    chart.valueAxis.labels.fontSize = 8
    chart.valueAxis.valueMin = 0
    top = max([max(s) for s in series if s] + [1])
    step = max(1, -(-top // 5))
    chart.valueAxis.valueMax = step * 5 + (step if top >= step * 5 else 0)
    chart.valueAxis.valueStep = step
    chart.barLabels.fontName = font
    chart.barLabels.fontSize = 7
    chart.barLabels.nudge = 6
    chart.barLabelFormat = "%d"
    chart.groupSpacing = 6
    chart.barSpacing = 1
    for i, color in enumerate(colors_):
        chart.bars[i].fillColor = colors.HexColor(color)
        chart.bars[i].strokeColor = colors.HexColor(color)
    d.add(chart)
    legend = Legend()
    legend.fontName = font
    legend.fontSize = 9
    legend.x, legend.y = width - 108, height - 50
    legend.alignment = "right"
    legend.colorNamePairs = [(colors.HexColor(c), n) for c, n in zip(colors_, names)]
    d.add(legend)
    return d


def category_chart(data: SummaryData, fonts, width: float):
    labels, now, before = data.category_chart()
    series, names, colors_ = [now], [f"{data.period.label}"], [_NOW_COLOR]
    if before is not None:
        series, names, colors_ = [now, before], names + [f"{data.period.year - 1}年同期"], colors_ + [_BEFORE_COLOR]
    return _bar_chart(fonts, width, "图1　立案数量按案件类别（件）", [_two_lines(lab) for lab in labels], series,
                      names, colors_, two_line_labels=True)


def _two_lines(label: str, per_line: int = 6) -> str:
    """A category under its bars: at most two short lines (the table above has the full name)."""
    label = label.split("（")[0] if len(label) > per_line * 2 else label
    label = label.split("/")[0] + "等" if len(label) > per_line * 2 and "/" in label else label
    if len(label) <= per_line:
        return label
    rest = label[per_line:]
    return label[:per_line] + "\n" + (rest if len(rest) <= per_line else rest[:per_line - 1] + "…")


def month_chart(data: SummaryData, fonts, width: float):
    labels, filed, closed = data.month_chart()
    return _bar_chart(fonts, width, f"图2　{data.period.label}各月立案、结案数量（件）", labels, [filed, closed],
                      ["立案", "结案"], [_NOW_COLOR, "#e08a2c"])


# ---- files ----------------------------------------------------------------------------------------

def write_summary(desk, period: Period | str, fmt: str, path: str | Path,
                  progress: Callable[[str], None] | None = None, data: SummaryData | None = None) -> Path:
    """The summary pack as PDF (tables and charts) or Excel (one sheet per table)."""
    data = data or build_summary(desk, period, progress)
    if fmt == "pdf":
        return write_report(summary_report(data), "pdf", path, desk=desk, progress=progress)
    if fmt == "xlsx":
        # Imported here: XlsxWriter loads only when needed (heavy).
        from .xlsx import write_workbook

        return write_workbook(summary_sheets(data), path)
    raise IpdeskError(f"不支持的输出格式：{fmt}（应为 pdf 或 xlsx）", f"unsupported format: {fmt}")


def write_summary_pack(desk, period: Period | str, out_dir: str | Path,
                       progress: Callable[[str], None] | None = None) -> list[Path]:
    """Both files into ``out_dir``: ``<单位>-<阶段性总结|全年总结>-<期间>.pdf`` and ``.xlsx``."""
    data = build_summary(desk, period, progress)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = f"{data.unit.get('name', '')}-{kind_label(data.period)}-{data.period.code}"
    return [write_summary(desk, data.period, fmt, out_dir / f"{stem}.{fmt}", progress, data)
            for fmt in ("pdf", "xlsx")]
