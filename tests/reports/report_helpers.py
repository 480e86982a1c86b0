"""Helpers shared by the report tests."""
import subprocess
from datetime import date, timedelta


def add_cases(desk, count: int, year: int = 2026, seed: int = 5) -> int:
    """Save ``count`` filed cases spread over ``year`` (demo generator's realistic records)."""
    from ipdesk.demo import _Maker

    maker = _Maker(desk, seed)
    rows = []
    day = date(year, 1, 1)
    while len(rows) < count:
        case = maker.case(day)
        if case.get("filed_date", "").startswith(str(year)):
            rows.append(case)
        day = date(year, 1, 1) + timedelta(days=(len(rows) * 7 + maker.rng.randrange(0, 3)) % 300)
    rows.sort(key=lambda c: c["filed_date"])
    desk.records.save_many("cases", rows, label="测试案件")
    return count


def render_png(pdf, out_prefix, first=1, last=1, dpi=40):
    """Render pages with poppler; returns the PNG paths."""
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", "-f", str(first), "-l", str(last), str(pdf),
                    str(out_prefix)], check=True, timeout=60)
    return sorted(out_prefix.parent.glob(out_prefix.name + "*.png"))


def ink_fraction(png) -> float:
    """Share of non-white pixels: a blank page is ~0."""
    from PySide6.QtGui import QImage

    img = QImage(str(png))
    assert not img.isNull()
    dark = total = 0
    for y in range(0, img.height(), 2):
        for x in range(0, img.width(), 2):
            total += 1
            if img.pixelColor(x, y).lightness() < 200:
                dark += 1
    return dark / total




# Excel row heights, checked independently of ipdesk.reports.rowheight: a character-by-character wrap.

EXCEL_DEFAULT_ROW = 15.0  # points: a row whose height the file does not set


def column_px(ws, col: int) -> int:
    from openpyxl.utils import get_column_letter

    width = ws.column_dimensions[get_column_letter(col)].width  # as stored: Excel's 7·w + 5 px over 7
    for dim in ws.column_dimensions.values():  # equal neighbours are stored once, as a range <col min max>
        if dim.min and dim.max and dim.min <= col <= dim.max:
            width = dim.width
    return int(width * 7 + 0.5)


def lines_needed(text: str, px: int, size: float) -> int:
    """Wrap ``text`` character by character into ``px`` (less 5 px of margins and grid line): a CJK
    character is ``size`` points wide, others half that (宋体), at 96 dpi."""
    usable, full = px - 5, size * 4 / 3
    lines = 0
    for part in text.split("\n"):
        lines += 1
        x = 0.0
        for ch in part:
            w = full / 2 if ord(ch) < 128 else full
            if x + w > usable and x > 0:
                lines += 1
                x = 0.0
            x += w
    return lines


def wrapped_cells(ws):
    """``(text, font size, rows, px)`` of every wrapped text cell; merged cells span rows and columns."""
    spans = {}
    for rng in ws.merged_cells.ranges:
        spans[(rng.min_row, rng.min_col)] = (range(rng.min_row, rng.max_row + 1), range(rng.min_col, rng.max_col + 1))
    out = []
    for row in ws.iter_rows():
        for cell in row:
            if not isinstance(cell.value, str) or not cell.value or not cell.alignment.wrap_text:
                continue
            rows, cols = spans.get((cell.row, cell.column), (range(cell.row, cell.row + 1),
                                                             range(cell.column, cell.column + 1)))
            out.append((cell.value, cell.font.sz, rows, sum(column_px(ws, c) for c in cols)))
    return out


def row_height_of(ws, r: int) -> float:
    return ws.row_dimensions[r].height or EXCEL_DEFAULT_ROW


def assert_rows_fit(ws) -> int:
    """Every wrapped cell's rows hold its lines (a line of ``s``-point text needs at least 1.2·s points);
    returns how many cells needed more than one line."""
    multi = 0
    for text, size, rows, px in wrapped_cells(ws):
        lines = lines_needed(text, px, size)
        multi += lines > 1
        have = sum(row_height_of(ws, r) for r in rows)
        assert have >= lines * 1.2 * size, (text, lines, have)
    return multi
