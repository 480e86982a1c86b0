"""A printed form as plain data: title, header rows with spans, body rows, notes, signature line.

Every report (附件1, 附件2, consolidated tables, bulletins, summary packs) is first laid out as a
:class:`Report`; ``pdf.render_report`` and ``xlsx.write_report`` draw any of them, so the PDF and
the Excel file of a table cannot disagree. Cells are placed like HTML table cells: a cell with a
``colspan``/``rowspan`` covers the positions to its right/below, and later cells skip them.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Cell:
    text: str = ""
    colspan: int = 1
    rowspan: int = 1
    bold: bool = False
    align: str = "center"  # left | center | right
    value: float | int | None = None  # the number behind ``text`` (Excel writes numbers, not text)
    number_format: str | None = None  # Excel format of ``value`` (e.g. 0.0000 for 万元)
    key: tuple | None = None  # an id for machines (e.g. (cell_id, 'current')) mapped to its sheet position
    # PDF: wrap only between words (at 、，; and spaces), never inside a name or a bracketed number
    # (〔2026〕12号) unless the word alone is wider than the cell.
    keep_words: bool = False
    # Excel fill-in form: a cell a person types in (shaded, unlocked), or one worked out by a formula
    # ``[(+1/-1, key)]`` over other keyed cells (``("ratio", num key, den key)`` for a percentage).
    input: bool = False
    formula: list | tuple | None = None


@dataclass
class Block:
    """One table: header rows and body rows over ``widths`` (relative column widths)."""

    header: list[list[Cell]]
    body: list[list[Cell]]
    widths: list[float]
    caption: str = ""  # printed above the table (e.g. 二、案件查办（续）)
    font_size: float = 9.0
    new_page: bool = False  # start this block on a new page
    footer: list[list[Cell]] = field(default_factory=list)  # rows after the body (totals), may span
    # PDF only: callables ``(fonts, width) -> Flowable`` (charts) drawn right below the table.
    figures: list = field(default_factory=list)
    # Excel only: column widths in characters (else worked out from ``widths``), and the cells' font size
    # (else the sheet's 10 pt).
    sheet_widths: list[float] | None = None
    sheet_font_size: float | None = None


@dataclass
class Report:
    title: str
    blocks: list[Block]
    annex_label: str = ""  # 附件1 printed at the top left, as on the official form
    subtitle_left: str = ""  # 填报单位：…
    subtitle_right: str = ""  # 统计期间：…
    # What the figures cover when it is less than the form's spans (a unit's 本年累计 from its 启用月份): on the
    # subtitle's line in the PDF (a line more, there or in the 说明, made the paper form three pages), the row
    # under it in Excel.
    coverage: str = ""
    notes: list[str] = field(default_factory=list)  # 说明
    signature: list[tuple[str, str]] = field(default_factory=list)  # (label, filled-in value)
    meta: dict = field(default_factory=dict)  # what a machine needs to read the file back (Excel _ipdesk)
    sheet_name: str = "Sheet1"


def cell(text="", **kw) -> Cell:
    return text if isinstance(text, Cell) else Cell("" if text is None else str(text), **kw)


def place(rows: list[list[Cell]], ncols: int) -> tuple[list[list[Cell | None]], list[tuple[int, int, int, int]]]:
    """Lay rows out on a dense grid: ``(grid, spans)`` where covered positions are ``None`` and each
    span is ``(row0, col0, row1, col1)`` inclusive."""
    nrows = len(rows)
    grid: list[list[Cell | None]] = [[None] * ncols for _ in rows]
    below: list[set[int]] = [set() for _ in rows]  # columns of each row covered by a row span from above
    spans = []
    for r, row in enumerate(rows):
        covered, out = below[r], grid[r]
        c = 0
        for item in row:
            if not isinstance(item, Cell):
                item = cell(item)
            while c in covered:
                c += 1
            if c >= ncols:
                raise ValueError(f"row {r} has more cells than {ncols} columns")
            out[c] = item
            if item.colspan == 1 and item.rowspan == 1:  # most cells: nothing to mark
                c += 1
                continue
            r1, c1 = min(r + item.rowspan, nrows) - 1, min(c + item.colspan, ncols) - 1
            for rr in range(r + 1, r1 + 1):
                below[rr].update(range(c, c1 + 1))
            if (r1, c1) != (r, c):
                spans.append((r, c, r1, c1))
            c = c1 + 1
    return grid, spans


def spread(weights: list[float], total: int) -> list[int]:
    """Share ``total`` sheet columns among columns of these weights, at least one each."""
    raw = [w / sum(weights) * total for w in weights]
    out = [max(1, int(round(x))) for x in raw]
    while sum(out) > total:
        out[out.index(max(out))] -= 1
    while sum(out) < total:
        out[max(range(len(raw)), key=lambda i: raw[i] - out[i])] += 1
    return out
