"""Draw laid-out reports as an Excel workbook shaped like the paper form (openpyxl): merged title and
grouped headers, borders, 万元 as ``0.0000``, A4 landscape fitted to one page wide, title rows repeated,
page-number footer, fonts of Chinese Windows (宋体, 仿宋, 黑体).

Text never becomes a formula: every text cell is written as a string, and text starting with
= + - @ also gets Excel's quote prefix (it stays text when a clerk edits the cell).

A hidden sheet ``_ipdesk`` lets a program read a filled-in form back (see :func:`read_ipdesk_map`):
column A/B hold ``key, value`` pairs (format, table, unit_code, unit_name, period, catalog_version …)
until a row whose A is ``cell_id``; below it each row is ``cell_id, which, sheet, coordinate``
(``which`` is ``current`` = 本期 or ``ytd`` = 本年累计).
"""
from __future__ import annotations

import os
from copy import copy
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from .layout import Block, Report, place, spread

MAP_SHEET = "_ipdesk"
MAP_FORMAT = "ipdesk-xlsx-map"
MAP_VERSION = 1
FORMULA_STARTS = ("=", "+", "-", "@")
TITLE_FONT, HEADER_FONT, BODY_FONT, NOTE_FONT = "黑体", "黑体", "宋体", "仿宋"
_THIN = Side(style="thin", color="000000")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_H = {"left": "left", "center": "center", "right": "right"}


def set_text(ws: Worksheet, row: int, col: int, text: str):
    """Write ``text`` as a string, never a formula (openpyxl would make '=…' a formula)."""
    c = ws.cell(row=row, column=col)
    c.value = text
    c.data_type = "s"
    if text.startswith(FORMULA_STARTS):
        c.quotePrefix = True
    return c


def _sheet_columns(report: Report) -> list[float]:
    """Column widths in characters, from the block with the most columns."""
    widest = max(report.blocks, key=lambda b: len(b.widths))
    unit = 9.0 / min(1.0, min(widest.widths))  # the narrowest column holds ~9 characters (0.0000 amounts)
    unit = min(unit, 11.0)
    return [max(4.5, w * unit) for w in widest.widths]


def _mapping(block: Block, sheet_widths: list[float]) -> list[int]:
    """How many sheet columns each block column spans (a narrower block spreads over the sheet)."""
    n = len(sheet_widths)
    if len(block.widths) == n:
        return [1] * n
    total = sum(block.widths)
    bounds, acc = [], 0.0
    for w in block.widths:
        acc += w
        bounds.append(acc / total * sum(sheet_widths))
    out, start, cum = [], 0, 0.0
    sheet_cum = [sum(sheet_widths[:i + 1]) for i in range(n)]
    for k, b in enumerate(bounds):
        left = len(block.widths) - k - 1  # columns still to place need one sheet column each
        end = min(range(start, n - left), key=lambda i: abs(sheet_cum[i] - b)) if k < len(bounds) - 1 else n - 1
        out.append(end - start + 1)
        start = end + 1
    return out


def _merge(ws: Worksheet, r0: int, c0: int, r1: int, c1: int, border: bool) -> None:
    if (r0, c0) != (r1, c1):
        ws.merge_cells(start_row=r0, start_column=c0, end_row=r1, end_column=c1)
    if border:
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                ws.cell(row=r, column=c).border = _BORDER


def _write_block(ws: Worksheet, block: Block, top: int, sheet_widths: list[float], keys: dict) -> int:
    """Write one table with its header at row ``top``; returns the next free row."""
    spans = _mapping(block, sheet_widths)
    starts = [1 + sum(spans[:i]) for i in range(len(spans))]
    nhead = len(block.header)
    grid, _ = place(block.header + block.body + block.footer, len(block.widths))
    header_font, body_font = Font(name=HEADER_FONT, size=10), Font(name=BODY_FONT, size=10)
    styles: dict[tuple, object] = {}
    for r, row in enumerate(grid):
        excel_row = top + r
        for c, item in enumerate(row):
            if item is None:
                continue
            c0 = starts[c]
            c1 = starts[min(c + item.colspan, len(spans)) - 1] + spans[min(c + item.colspan, len(spans)) - 1] - 1
            r1 = excel_row + item.rowspan - 1
            if item.value is not None and not isinstance(item.value, str):
                xc = ws.cell(row=excel_row, column=c0, value=item.value)
                number_format = item.number_format or "General"
            else:
                xc = set_text(ws, excel_row, c0, item.text)
                number_format = item.number_format  # a blank form cell: typed numbers show right
            head = r < nhead
            style_key = (head or item.bold, "center" if head else _H[item.align], number_format,
                         bool(xc.quotePrefix))
            style = styles.get(style_key)
            if style is None:
                # openpyxl hashes every style object it is given; 10,000 rows × 20 cells took a minute.
                # Style one cell, then give the others a copy of its style indexes.
                if number_format:
                    xc.number_format = number_format
                xc.font = header_font if style_key[0] else body_font
                xc.alignment = Alignment(horizontal=style_key[1], vertical="center", wrap_text=True)
                xc.border = _BORDER
                style = styles[style_key] = copy(xc._style)
            else:
                xc._style = copy(style)
            _merge(ws, excel_row, c0, r1, c1, border=(r1, c1) != (excel_row, c0))
            if item.key is not None:
                keys[item.key] = (ws.title, f"{get_column_letter(c0)}{excel_row}")
        if r < nhead:
            ws.row_dimensions[excel_row].height = 36 if nhead == 1 else 28
    return top + len(grid)


def _write_sheet(ws: Worksheet, report: Report, keys: dict) -> None:
    widths = _sheet_columns(report)
    n = len(widths)
    for i, w in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(i)].width = w
    row = 1
    if report.annex_label:
        set_text(ws, row, 1, report.annex_label).font = Font(name=TITLE_FONT, size=12)
        row += 1
    t = set_text(ws, row, 1, report.title)
    t.font = Font(name=TITLE_FONT, size=18)
    t.alignment = Alignment(horizontal="center", vertical="center")
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=n)
    ws.row_dimensions[row].height = 32
    row += 1
    if report.subtitle_left or report.subtitle_right:
        half = max(1, n // 2)
        left = set_text(ws, row, 1, report.subtitle_left)
        left.font = Font(name=BODY_FONT, size=11)
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=half)
        right = set_text(ws, row, half + 1, report.subtitle_right)
        right.font = Font(name=BODY_FONT, size=11)
        right.alignment = Alignment(horizontal="right")
        if half + 1 < n:
            ws.merge_cells(start_row=row, start_column=half + 1, end_row=row, end_column=n)
        ws.row_dimensions[row].height = 20
        row += 1
    first_header = None
    for i, block in enumerate(report.blocks):
        if block.caption:
            cap = set_text(ws, row, 1, block.caption)
            cap.font = Font(name=HEADER_FONT, size=11)
            ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=n)
            ws.row_dimensions[row].height = 20
            row += 1
        if first_header is None:
            first_header = (row, row + len(block.header) - 1)
        row = _write_block(ws, block, row, widths, keys)
        row += 1
    if report.notes:
        set_text(ws, row, 1, "说明：").font = Font(name=HEADER_FONT, size=10)
        row += 1
        for k, text in enumerate(report.notes, 1):
            c = set_text(ws, row, 1, f"{k}. {text}")
            c.font = Font(name=NOTE_FONT, size=10)
            c.alignment = Alignment(wrap_text=True, vertical="top")
            ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=n)
            ws.row_dimensions[row].height = 15 if len(text) < 2.0 * sum(widths) / 2 else 28
            row += 1
        row += 1
    if report.signature:
        spans = spread([len(label) + max(len(value), 6) for label, value in report.signature], n) \
            if n >= len(report.signature) else [1] * len(report.signature)
        col = 1
        for (label, value), span in zip(report.signature, spans):
            c = set_text(ws, row, col, f"{label}：{value}")
            c.font = Font(name=NOTE_FONT, size=11)
            c.alignment = Alignment(vertical="center", wrap_text=True)
            if span > 1:
                ws.merge_cells(start_row=row, start_column=col, end_row=row, end_column=col + span - 1)
            col += span
        ws.row_dimensions[row].height = 30
    _print_setup(ws, report, first_header)


def _print_setup(ws: Worksheet, report: Report, first_header) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top, ws.page_margins.bottom = 0.5, 0.6
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    ws.oddFooter.center.font = NOTE_FONT
    if first_header:
        # A long single table repeats its header on every page; a multi-part form repeats title lines.
        if len(report.blocks) == 1:
            ws.print_title_rows = f"{first_header[0]}:{first_header[1]}"
            ws.freeze_panes = ws.cell(row=first_header[1] + 1, column=1)
        else:
            ws.print_title_rows = f"1:{first_header[0] - 2 if report.blocks[0].caption else first_header[0] - 1}"


def _write_map(wb: Workbook, reports: list[Report], keys: dict) -> None:
    ws = wb.create_sheet(MAP_SHEET)
    ws.sheet_state = "hidden"
    meta = dict(reports[0].meta)
    rows = [("format", MAP_FORMAT), ("format_version", MAP_VERSION)]
    for k, v in meta.items():
        if isinstance(v, bool) or v is None:
            v = {True: "true", False: "false", None: ""}[v]
        rows.append((k, v if isinstance(v, (int, float)) else str(v)))
    for r, (k, v) in enumerate(rows, 1):
        set_text(ws, r, 1, k)
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            ws.cell(row=r, column=2, value=v)
        else:
            set_text(ws, r, 2, str(v))
    r = len(rows) + 2
    for i, head in enumerate(("cell_id", "which", "sheet", "cell"), 1):
        set_text(ws, r, i, head)
    for (cell_id, which), (sheet, coord) in keys.items():
        r += 1
        for i, v in enumerate((cell_id, which, sheet, coord), 1):
            set_text(ws, r, i, v)


def write_workbook(reports: list[Report], path: str | Path) -> Path:
    """One sheet per report (plus ``_ipdesk`` when cells carry keys), written atomically."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb = Workbook()
    wb.remove(wb.active)
    keys: dict = {}
    used = set()
    for report in reports:
        name = report.sheet_name[:31]
        n = 2
        while name in used:
            name = f"{report.sheet_name[:28]}({n})"
            n += 1
        used.add(name)
        _write_sheet(wb.create_sheet(name), report, keys)
    if keys:
        _write_map(wb, reports, keys)
    wb.properties.creator = "ipdesk 知识产权行政保护工作台"
    wb.properties.title = reports[0].title if reports else ""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        wb.save(tmp)
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
    return path


def read_ipdesk_map(wb) -> tuple[dict, dict[tuple[str, str], tuple[str, str]]]:
    """``(meta, {(cell_id, which): (sheet, coordinate)})`` from a workbook's ``_ipdesk`` sheet;
    ``({}, {})`` when the workbook has none."""
    if MAP_SHEET not in wb.sheetnames:
        return {}, {}
    ws = wb[MAP_SHEET]
    meta: dict = {}
    cells: dict = {}
    in_cells = False
    for row in ws.iter_rows(values_only=True):
        if not row or row[0] is None:
            continue
        if in_cells:
            cells[(str(row[0]), str(row[1]))] = (str(row[2]), str(row[3]))
        elif row[0] == "cell_id":
            in_cells = True
        else:
            meta[str(row[0])] = row[1]
    return meta, cells
