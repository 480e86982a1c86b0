"""附件1/附件2 Excel reopened: merged grouped headers, print setup, 万元 number format, the hidden
_ipdesk map, and formula-looking text that stays text."""
from openpyxl import load_workbook

from ipdesk.catalog import CURRENT
from ipdesk.reports.export import write_table
from ipdesk.exchange.excel_form import read_ipdesk_map
from ipdesk.reports.xlsx import MAP_SHEET

from .report_helpers import add_cases


def _print_setup_ok(ws, *, breaks: bool = False):
    assert ws.page_setup.orientation == "landscape"
    if breaks:  # 附件1: two pages as on paper, at a readable scale (fit-to-page would drop the break)
        assert ws.page_setup.scale >= 70 and [b.id for b in ws.row_breaks.brk]
    else:
        assert ws.sheet_properties.pageSetUpPr.fitToPage is True
        # fitToWidth's default in the file format is 1: XlsxWriter leaves it out, openpyxl reads None.
        assert (ws.page_setup.fitToWidth or 1) == 1 and ws.page_setup.fitToHeight == 0
    assert "&P" in ws.oddFooter.center.text
    assert breaks or ws.print_title_rows  # 附件1's second page (part 二) repeats no title


def test_annex1_workbook_reopened(demo_desk, tmp_path):
    table = demo_desk.figures.annex1("2026-03")
    out = write_table(demo_desk, table, "xlsx", tmp_path / "附件1.xlsx")
    wb = load_workbook(out)
    ws = wb[wb.sheetnames[0]]
    _print_setup_ok(ws, breaks=True)
    merged = [str(r) for r in ws.merged_cells.ranges]
    assert len(merged) > 10
    texts = {c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
    assert any(CURRENT.title in t for t in texts) and "立案其中（件）" in texts  # grouped header
    # The group header cell 立案其中 is merged over its three columns.
    cell = next(c for row in ws.iter_rows() for c in row if c.value == "立案其中（件）")
    rng = next(r for r in ws.merged_cells.ranges if cell.coordinate in r)
    assert rng.max_col - rng.min_col + 1 >= 3
    # The hidden map points at the money cell, which holds a number formatted in 万元 with 4 decimals.
    assert MAP_SHEET in wb.sheetnames and wb[MAP_SHEET].sheet_state == "hidden"
    meta, cells = read_ipdesk_map(wb)
    assert meta["period"] == "2026-03" and meta["unit_code"] == "150602"
    sheet, coord = cells[("B.total.penalty_total", "ytd")]
    money = wb[sheet][coord]
    assert money.number_format == "0.0000"
    assert abs(money.value - float(table.display("B.total.penalty_total", "ytd"))) < 1e-9
    sheet, coord = cells[("B.total.filed", "ytd")]
    assert wb[sheet][coord].value == int(table.display("B.total.filed", "ytd"))


def test_annex2_workbook_formula_text_stays_text(desk, tmp_path):
    add_cases(desk, 5)
    case = desk.records.get_case(desk.db.execute("SELECT id FROM cases ORDER BY id LIMIT 1").fetchone()[0])
    raw = {k: v for k, v in case.items() if k not in ("id",)}
    desk.records.save("cases", {**raw, "name": '=HYPERLINK("x")', "remarks": "+86 0477"}, record_id=case["id"])
    out = write_table(desk, desk.figures.annex2("2026"), "xlsx", tmp_path / "附件2.xlsx")
    wb = load_workbook(out)
    ws = wb[wb.sheetnames[0]]
    _print_setup_ok(ws)
    cells = [c for row in ws.iter_rows() for c in row]
    hyper = [c for c in cells if c.value == '=HYPERLINK("x")']
    assert len(hyper) == 1 and hyper[0].data_type == "s" and hyper[0].quotePrefix
    assert any(c.value == "+86 0477" and c.data_type == "s" for c in cells)
    assert not any(c.data_type == "f" for c in cells)
    money = [c for c in cells if c.number_format == "0.0000" and isinstance(c.value, (int, float))]
    assert len(money) >= 5
