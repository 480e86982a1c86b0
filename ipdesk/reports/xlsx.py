"""Draw laid-out reports as an Excel workbook shaped like the paper form (XlsxWriter): merged title and
grouped headers, borders, 万元 as ``0.0000``, A4 landscape fitted to one page wide, title rows repeated,
page-number footer, fonts of Chinese Windows (宋体, 仿宋, 黑体). Every row of wrapped text is set tall
enough for its tallest cell (:mod:`.rowheight`): neither Excel nor LibreOffice re-fits rows on opening.

XlsxWriter, not openpyxl, writes: it streams cells with shared formats, ~4× faster than openpyxl's
normal mode on a 10,000-row 附件2 (openpyxl's write-only mode cannot merge cells). Reading Excel stays
openpyxl.

Text never becomes a formula: every text cell is written with ``write_string``, and text starting with
= + - @ also gets Excel's quote prefix (it stays text when a clerk edits the cell).

A hidden sheet ``_ipdesk`` lets a program read a filled-in form back (see :func:`ipdesk.exchange.excel_form.read_ipdesk_map`):
column A/B hold ``key, value`` pairs (format, table, unit_code, unit_name, period, catalog_version …)
until a row whose A is ``cell_id``; below it each row is ``cell_id, which, sheet, coordinate``
(``which`` is ``current`` = 本期 or ``ytd`` = 本年累计).
"""
from __future__ import annotations

import os
from pathlib import Path

import xlsxwriter
import xlsxwriter.exceptions
from xlsxwriter.utility import xl_rowcol_to_cell

from .layout import Block, Report, place, spread
from .rowheight import DEFAULT_ROW_HEIGHT, MAX_ROW_HEIGHT, line_capacity, line_count, row_height, text_height
from ..db.identity import refuse_protected_output
from ..outputs import replace_output

MAP_SHEET = "_ipdesk"
MAP_FORMAT = "ipdesk-xlsx-map"
MAP_VERSION = 1
FORMULA_STARTS = ("=", "+", "-", "@")
TITLE_FONT, HEADER_FONT, BODY_FONT, NOTE_FONT = "黑体", "黑体", "宋体", "仿宋"
FONT_SIZE = 10  # table cells, header and body
A4 = 9  # Excel's paper size code


class _Formats:
    """One XlsxWriter format per distinct look, made on first use (a format per cell would bloat the file)."""

    def __init__(self, wb):
        self.wb = wb
        self._cache: dict[tuple, object] = {}

    def get(self, font: str, size: float, *, align: str | None = None, valign: str | None = "vcenter",
            wrap: bool = False, border: bool = False, number_format: str | None = None, quote: bool = False,
            fill: str | None = None, unlocked: bool = False):
        key = (font, size, align, valign, wrap, border, number_format, quote, fill, unlocked)
        fmt = self._cache.get(key)
        if fmt is None:
            props = {"font_name": font, "font_size": size}
            if align:
                props["align"] = align
            if valign:
                props["valign"] = valign
            if wrap:
                props["text_wrap"] = True
            if border:
                props["border"] = 1
            if number_format:
                props["num_format"] = number_format
            if quote:
                props["quote_prefix"] = True
            if fill:
                props["bg_color"] = fill
            if unlocked:
                props["locked"] = False
            fmt = self._cache[key] = self.wb.add_format(props)
        return fmt


def _text(ws, row: int, col: int, text: str, formats: _Formats, font: str, size: float, **style) -> None:
    """Write ``text`` as a string (never a formula), quote-prefixed when it looks like one."""
    quote = text.startswith(FORMULA_STARTS)
    ws.write_string(row, col, text, formats.get(font, size, quote=quote, **style))


def _merged_text(ws, r0: int, c0: int, r1: int, c1: int, text: str, formats: _Formats, font: str, size: float,
                 **style) -> None:
    fmt = formats.get(font, size, quote=text.startswith(FORMULA_STARTS), **style)
    if (r0, c0) != (r1, c1):
        ws.merge_range(r0, c0, r1, c1, "", fmt)  # merge_range's own write would take '=…' as a formula
    ws.write_string(r0, c0, text, fmt)


TITLE_SIZES = (18, 16, 14)  # points: the form's 18 pt title, smaller on a sheet too narrow for it


def _title_size(title: str, width: float) -> tuple[float, bool]:
    """``(points, wrapped)`` for a title centred over columns ``width`` characters wide: the largest of
    :data:`TITLE_SIZES` that fits on one line, else the smallest, wrapped (a narrow sheet, such as the
    summaries' month table, cut an 18 pt title off at both sides)."""
    for size in TITLE_SIZES:
        if line_count(title, line_capacity(width, size)) == 1:
            return size, False
    return TITLE_SIZES[-1], True


def _sheet_columns(report: Report) -> list[float]:
    """Column widths in characters, from the block with the most columns."""
    widest = max(report.blocks, key=lambda b: (len(b.widths), b.sheet_widths is not None))
    if widest.sheet_widths:
        return list(widest.sheet_widths)
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
    out, start = [], 0
    sheet_cum = [sum(sheet_widths[:i + 1]) for i in range(n)]
    for k, b in enumerate(bounds):
        left = len(block.widths) - k - 1  # columns still to place need one sheet column each
        end = min(range(start, n - left), key=lambda i: abs(sheet_cum[i] - b)) if k < len(bounds) - 1 else n - 1
        out.append(end - start + 1)
        start = end + 1
    return out


INPUT_FILL, FORMULA_FILL = "#FFF2CC", "#EDEDED"  # fill-in form: cells to type in, cells worked out


def _write_block(ws, block: Block, top: int, sheet_widths: list[float], keys: dict, formats: _Formats,
                 formulas: list | None = None) -> int:
    """Write one table with its header at row ``top`` (0-based); returns the next free row.
    Each row is made tall enough for its wrapped text (see :mod:`.rowheight`)."""
    spans = _mapping(block, sheet_widths)
    starts = [sum(spans[:i]) for i in range(len(spans))]
    ends = [starts[i] + spans[i] - 1 for i in range(len(spans))]
    ncols = len(spans)
    nhead = len(block.header)
    edges = [0.0]  # left edge of each sheet column, in characters (a cell's width is a difference)
    for w in sheet_widths:
        edges.append(edges[-1] + w)
    grid, _ = place(block.header + block.body + block.footer, len(block.widths))
    size = block.sheet_font_size or FONT_SIZE
    base = row_height(1, size, minimum=0) if size < FONT_SIZE else DEFAULT_ROW_HEIGHT  # a one-line row
    heights = [(36.0 if nhead == 1 else 28.0) if r < nhead else base for r in range(len(grid))]
    tall: list[tuple[int, int, str, int]] = []  # row-spanning texts: (row0, row1, text, line capacity)
    # Half-width units a line holds in each block column (a merged cell's are worked out where met).
    caps = [line_capacity(edges[c1 + 1] - edges[c0], size) for c0, c1 in zip(starts, ends)]
    looks: dict[tuple, object] = {}
    write_string, write_number, write_blank = ws.write_string, ws.write_number, ws.write_blank
    for r, row in enumerate(grid):
        excel_row = top + r
        head = r < nhead
        most = 1  # lines of the row's tallest text
        for c, item in enumerate(row):
            if item is None:
                continue
            number = item.value is not None and not isinstance(item.value, str)
            text = item.text
            quote = not number and text.startswith(FORMULA_STARTS)
            # a number without a format shows as General; a blank form cell keeps its format so typed
            # numbers show right
            number_format = (item.number_format or "General") if number else item.number_format
            role = "input" if item.input else ("formula" if item.formula else "")
            look = (head or item.bold, "center" if head else item.align, number_format, quote, role)
            fmt = looks.get(look)
            if fmt is None:
                fmt = looks[look] = formats.get(
                    HEADER_FONT if look[0] else BODY_FONT, size, align=look[1], wrap=True, border=True,
                    number_format=number_format, quote=quote, unlocked=item.input,
                    fill=INPUT_FILL if item.input else (FORMULA_FILL if item.formula else None))
            c0 = starts[c]
            if item.colspan > 1 or item.rowspan > 1:
                c1 = ends[min(c + item.colspan, ncols) - 1]
                ws.merge_range(excel_row, c0, excel_row + item.rowspan - 1, c1, "", fmt)
                cap = line_capacity(edges[c1 + 1] - edges[c0], size)
            else:
                if spans[c] > 1:
                    ws.merge_range(excel_row, c0, excel_row, ends[c], "", fmt)
                cap = caps[c]
            if item.formula and formulas is not None:
                formulas.append((excel_row, c0, item.formula, fmt))  # written once every cell has its place
                write_blank(excel_row, c0, None, fmt)
            elif number:
                write_number(excel_row, c0, item.value, fmt)  # numbers do not wrap (Excel shows ###)
            elif text:
                write_string(excel_row, c0, text, fmt)
                if item.rowspan > 1:
                    tall.append((r, min(r + item.rowspan, len(grid)) - 1, text, cap))
                elif len(text) * 2 > cap or "\n" in text:  # else one line, whatever its characters
                    lines = line_count(text, cap)
                    if lines > most:
                        most = lines
            else:
                write_blank(excel_row, c0, None, fmt)
            if item.key is not None:
                keys[item.key] = (ws.name, xl_rowcol_to_cell(excel_row, c0))
        if most > 1:
            heights[r] = max(heights[r], row_height(most, size, minimum=base))
    for r0, r1, text, cap in tall:  # a row-spanning cell shares out what its rows lack
        lack = row_height(line_count(text, cap), size) - sum(heights[r0:r1 + 1])
        if lack > 0:
            for r in range(r0, r1 + 1):
                heights[r] = min(MAX_ROW_HEIGHT, heights[r] + lack / (r1 - r0 + 1))
    for r, height in enumerate(heights):
        if r < nhead or height != DEFAULT_ROW_HEIGHT:  # other rows keep the default (nothing written)
            ws.set_row(top + r, height)
    return top + len(grid)


def _write_sheet(ws, report: Report, keys: dict, formats: _Formats) -> None:
    widths = _sheet_columns(report)
    n = len(widths)
    for i, w in enumerate(widths):
        ws.set_column(i, i, w)
    row = 0
    if report.annex_label:
        _text(ws, row, 0, report.annex_label, formats, TITLE_FONT, 12, valign=None)
        row += 1
    size, wrap = _title_size(report.title, sum(widths))
    _merged_text(ws, row, 0, row, n - 1, report.title, formats, TITLE_FONT, size, align="center", wrap=wrap)
    ws.set_row(row, text_height(report.title, sum(widths), size, minimum=32) if wrap else 32)
    row += 1
    if report.subtitle_left or report.subtitle_right:
        half = max(1, n // 2)
        _merged_text(ws, row, 0, row, half - 1, report.subtitle_left, formats, BODY_FONT, 11, valign=None)
        _merged_text(ws, row, half, row, max(half, n - 1), report.subtitle_right, formats, BODY_FONT, 11,
                     align="right", valign=None)
        ws.set_row(row, 20)
        row += 1
    if report.coverage:
        _merged_text(ws, row, 0, row, n - 1, report.coverage, formats, BODY_FONT, 11, valign="top", wrap=True)
        ws.set_row(row, max(20, text_height(report.coverage, sum(widths), 11)))
        row += 1
    first_header = None
    breaks = []
    formulas: list = []
    for i, block in enumerate(report.blocks):
        if block.new_page and i:
            breaks.append(row)  # as on paper: this part starts a page
        if block.caption:  # a long one (the bulletin's summary text) wraps over the sheet's width
            _merged_text(ws, row, 0, row, n - 1, block.caption, formats, HEADER_FONT, 11, valign="top", wrap=True)
            ws.set_row(row, max(20, text_height(block.caption, sum(widths), 11)))
            row += 1
        if first_header is None:
            first_header = (row, row + len(block.header) - 1)
        row = _write_block(ws, block, row, widths, keys, formats, formulas)
        row += 1
    if report.notes:
        _text(ws, row, 0, "说明：", formats, HEADER_FONT, 10, valign=None)
        row += 1
        for k, text in enumerate(report.notes, 1):
            line = f"{k}. {text}"
            _merged_text(ws, row, 0, row, n - 1, line, formats, NOTE_FONT, 10, valign="top", wrap=True)
            ws.set_row(row, text_height(line, sum(widths), 10))
            row += 1
        row += 1
    if report.signature:
        spans = spread([len(label) + max(len(value), 6) for label, value in report.signature], n) \
            if n >= len(report.signature) else [1] * len(report.signature)
        col, height = 0, 30.0
        for (label, value), span in zip(report.signature, spans):
            text = f"{label}：{value}"
            _merged_text(ws, row, col, row, col + span - 1, text, formats, NOTE_FONT, 11, wrap=True)
            height = max(height, text_height(text, sum(widths[col:col + span]), 11))
            col += span
        ws.set_row(row, height)
    if formulas:
        _write_formulas(ws, formulas, keys)
    _print_setup(ws, report, first_header, widths, breaks)


def _write_formulas(ws, formulas: list, keys: dict) -> None:
    """Derived cells of the fill-in form as formulas over the cells they add up; the sheet is then protected
    so only the shaded input cells can be typed in (no password: it guards against slips, not people)."""
    def ref(key) -> str:
        return keys[key][1]

    for row, col, formula, fmt in formulas:
        if formula[0] == "ratio":
            num, den = ref(formula[1]), ref(formula[2])
            text = f'=IF(N({den})=0,"",ROUND({num}/{den}*100,1))'
        else:
            text = "=" + "".join(f"{'-' if sign < 0 else '+'}{ref(key)}" for sign, key in formula).lstrip("+")
        ws.write_formula(row, col, text, fmt, "")
    ws.protect("", {"format_columns": True, "format_rows": True, "select_locked_cells": True,
                    "select_unlocked_cells": True})


# A4 landscape less the 0.4-inch side margins, in points; a pixel is ¾ point.
PRINTABLE_WIDTH_PT = 842 - 0.8 * 72
MIN_PRINT_SCALE = 70  # below this a printed form is not readable


def print_scale(widths: list[float]) -> int:
    """The % at which columns of these widths (characters) fit one A4 landscape page wide (at most 100).
    A column is stored as w + 5/7 characters; Excel draws a character 7 px wide, LibreOffice 7.44 px (the
    11-pt default font's digit, unrounded): 7.5 px leaves both within the page."""
    points = sum((w + 5 / 7) * 7.5 for w in widths) * 0.75
    return min(100, int(PRINTABLE_WIDTH_PT / points * 100))


def _print_setup(ws, report: Report, first_header, widths: list[float], breaks: list[int]) -> None:
    ws.set_landscape()
    ws.set_paper(A4)
    scale = print_scale(widths)
    if breaks:  # fit-to-page would override the page breaks: the scale is set instead
        ws.set_print_scale(scale)
        ws.set_h_pagebreaks(breaks)
    else:
        ws.fit_to_pages(1, 0)
    ws.center_horizontally()
    ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.6)
    ws.set_footer(f'&C&"{NOTE_FONT}"第 &P 页，共 &N 页')  # as openpyxl wrote it: the font without a style name
    if first_header:
        # A long single table repeats its header on every page; a multi-part form repeats title lines.
        if len(report.blocks) == 1:
            ws.repeat_rows(first_header[0], first_header[1])
            ws.freeze_panes(first_header[1] + 1, 0)
        elif breaks:
            pass  # a form whose parts start their own pages (附件1): page 2 needs no title over part 二
        else:
            last = first_header[0] - 2 if report.blocks[0].caption else first_header[0] - 1
            ws.repeat_rows(0, last)


def _write_map(wb, reports: list[Report], keys: dict) -> None:
    ws = wb.add_worksheet(MAP_SHEET)
    ws.hide()
    meta = dict(reports[0].meta)
    rows = [("format", MAP_FORMAT), ("format_version", MAP_VERSION)]
    for k, v in meta.items():
        if isinstance(v, bool) or v is None:
            v = {True: "true", False: "false", None: ""}[v]
        rows.append((k, v if isinstance(v, (int, float)) else str(v)))
    for r, (k, v) in enumerate(rows):
        ws.write_string(r, 0, k)
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            ws.write_number(r, 1, v)
        else:
            ws.write_string(r, 1, str(v))
    r = len(rows) + 1
    for i, head in enumerate(("cell_id", "which", "sheet", "cell")):
        ws.write_string(r, i, head)
    for (cell_id, which), (sheet, coord) in keys.items():
        r += 1
        for i, v in enumerate((cell_id, which, sheet, coord)):
            ws.write_string(r, i, str(v))


def _close_left_open(tb) -> None:
    """Close the zip file XlsxWriter leaves open when writing it fails (a full disk): else the temporary cannot
    be removed on Windows, and its close at garbage collection fails again, printed as 'Exception ignored'."""
    import zipfile

    while tb is not None:
        for value in list(tb.tb_frame.f_locals.values()):
            if isinstance(value, zipfile.ZipFile):
                try:
                    value.close()
                except OSError:
                    pass
        tb = tb.tb_next


def write_workbook(reports: list[Report], path: str | Path) -> Path:
    """One sheet per report (plus ``_ipdesk`` when cells carry keys), written atomically."""
    refuse_protected_output(path)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    # Nothing is ever guessed from text: strings stay strings (write_string is used anyway).
    wb = xlsxwriter.Workbook(str(tmp), {"strings_to_formulas": False, "strings_to_numbers": False,
                                        "strings_to_urls": False})
    try:
        formats = _Formats(wb)
        keys: dict = {}
        used = set()
        for report in reports:
            name = report.sheet_name[:31]
            n = 2
            while name in used:
                name = f"{report.sheet_name[:28]}({n})"
                n += 1
            used.add(name)
            _write_sheet(wb.add_worksheet(name), report, keys, formats)
        if keys:
            _write_map(wb, reports, keys)
        wb.set_properties({"author": "ipdesk 知识产权行政保护工作台",
                           "title": reports[0].title if reports else ""})
        try:
            wb.close()
        except xlsxwriter.exceptions.FileCreateError as exc:  # the disk's own error (full, read-only) underneath
            cause = exc.args[0] if exc.args and isinstance(exc.args[0], OSError) else OSError(str(exc))
            _close_left_open(cause.__traceback__)
            raise cause from None
        replace_output(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
    return path
