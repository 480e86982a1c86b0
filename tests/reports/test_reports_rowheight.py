"""Excel rows tall enough for their wrapped text: the estimate itself, and real workbooks reopened with
openpyxl where every wrapped cell's row (or merged rows) must hold the lines a character-by-character
wrap of its text needs — worked out here independently of ``ipdesk.reports.rowheight``."""
from openpyxl import load_workbook

from ipdesk.reports.export import write_table
from ipdesk.reports.layout import Block, Cell, Report
from ipdesk.reports.rowheight import (DEFAULT_ROW_HEIGHT, MAX_ROW_HEIGHT, line_capacity, line_count, row_height,
                                      text_height, text_width)
from ipdesk.reports.xlsx import write_workbook

from .report_helpers import add_cases, assert_rows_fit, column_px, lines_needed, row_height_of

LONG_REMARK = ("当事人在电商平台销售侵犯注册商标专用权的商品，经权利人鉴定为假冒，已责令停止销售并没收侵权商品，"
               "案件移送情况另行书面报告")  # 60 characters


# ---- the estimate ----------------------------------------------------------------------------------

def test_text_width_counts_cjk_as_two_ascii_as_one():
    assert text_width("abc123") == 6
    assert text_width("知识产权") == 8
    assert text_width("东市监立字〔2026〕1号") == 5 * 2 + 2 + 4 + 2 + 1 + 2  # full-width brackets are wide


def test_line_count_wraps_cjk_whole_characters_and_keeps_newlines():
    assert line_count("", 10) == 1
    assert line_count("知识产权", 8) == 1
    assert line_count("知识产权", 7) == 2  # 3 characters a line: 7 units hold no fourth
    assert line_count("知" * 12, 12) == 2 and line_count("知" * 12, 11) == 3
    assert line_count("2026-01-08", 10) == 1 and line_count("2026-01-08", 9) == 2
    assert line_count("甲\n乙\n\n丙", 40) == 4  # explicit lines, an empty one included
    assert line_count("甲\r\n乙", 40) == 2
    assert len(LONG_REMARK) == 60 and line_count(LONG_REMARK, 12) == 10


def test_line_capacity_scales_with_column_width_and_font_size():
    assert line_capacity(10, 10) == 10 * 10.5 // 10
    assert line_capacity(20, 10) > line_capacity(10, 10) > line_capacity(10, 12)
    assert line_capacity(0.5, 18) == 2  # a wide character always "fits"


def test_row_height_default_minimum_and_excel_cap():
    assert row_height(1, 10) == DEFAULT_ROW_HEIGHT  # one line keeps the default row
    assert row_height(2, 10) > 2 * 10 * 1.2 and row_height(3, 10) > row_height(2, 10)
    assert row_height(1, 10, minimum=36) == 36
    assert row_height(500, 10) == MAX_ROW_HEIGHT
    assert text_height("短", 10, 10) == DEFAULT_ROW_HEIGHT
    assert text_height(LONG_REMARK, 11.0, 10) == row_height(line_count(LONG_REMARK, line_capacity(11.0, 10)), 10)


def _row_of(ws, text: str) -> int:
    return next(c.row for row in ws.iter_rows() for c in row if c.value == text)


# ---- real workbooks --------------------------------------------------------------------------------

def _add_case(desk, name: str, remarks: str, filed: str, case_no: str) -> None:
    desk.records.save("cases", {"name": name, "category": "商标侵权", "source": "投诉举报", "procedure": "一般程序",
                        "case_no": case_no, "handler": "张瑞", "filed_date": filed, "remarks": remarks})


def test_annex2_long_remark_row_is_tall_enough_short_row_keeps_default(make_desk, tmp_path):
    desk = make_desk(unit_name="东胜区局")  # short enough for one line in 办案单位
    _add_case(desk, "甲案", LONG_REMARK, "2026-03-02", "1号")
    _add_case(desk, "乙案", "无", "2026-03-05", "2号")
    out = write_table(desk, desk.figures.annex2("2026-03"), "xlsx", tmp_path / "附件2.xlsx")
    ws = load_workbook(out).worksheets[0]
    long_row, short_row = _row_of(ws, LONG_REMARK), _row_of(ws, "无")
    remark = ws.cell(long_row, next(c.column for c in ws[long_row] if c.value == LONG_REMARK))
    lines = lines_needed(LONG_REMARK, column_px(ws, remark.column), remark.font.sz)
    assert lines >= 5  # 备注 is narrow: 60 characters take many lines
    assert ws.row_dimensions[long_row].height >= lines * 1.2 * remark.font.sz
    assert ws.row_dimensions[long_row].height <= row_height(lines + 1, remark.font.sz)  # not wasteful
    assert row_height_of(ws, short_row) == DEFAULT_ROW_HEIGHT
    assert ws.row_dimensions[short_row].height in (None, DEFAULT_ROW_HEIGHT)
    assert_rows_fit(ws)


def test_annex2_every_wrapped_cell_fits(desk, tmp_path):
    add_cases(desk, 30)
    case_id = desk.db.execute("SELECT id FROM cases ORDER BY id LIMIT 1").fetchone()[0]
    case = {k: v for k, v in desk.records.get_case(case_id).items() if k != "id"}
    desk.records.save("cases", {**case, "remarks": LONG_REMARK + "\n另：当事人已整改。",
                        "party_name": "鄂尔多斯市东胜区某某某某商贸有限责任公司第二分公司（个体工商户转企业）"},
              record_id=case_id)
    out = write_table(desk, desk.figures.annex2("2026"), "xlsx", tmp_path / "附件2.xlsx")
    ws = load_workbook(out).worksheets[0]
    assert assert_rows_fit(ws) > 30  # names, units, case numbers wrap in the narrow columns


def test_annex1_merged_and_row_spanning_cells_fit(demo_desk, tmp_path):
    out = write_table(demo_desk, demo_desk.figures.annex1("2026-03"), "xlsx", tmp_path / "附件1.xlsx")
    ws = load_workbook(out).worksheets[0]
    assert len(ws.merged_cells.ranges) > 10
    assert_rows_fit(ws)


def test_merged_cell_uses_the_sum_of_its_columns_and_row_span_shares_its_height(tmp_path):
    text = "知" * 30
    body = [[Cell(text, colspan=2), Cell("短")],  # 30 wide characters over two columns
            [Cell(text), Cell("短"), Cell("短")],  # the same text in one column
            [Cell(text, rowspan=2), Cell("短"), Cell("短")],  # over two rows
            [Cell("短"), Cell("短")]]
    block = Block([[Cell("甲"), Cell("乙"), Cell("丙")]], body, [1.0, 1.0, 1.0])
    out = write_workbook([Report("表", [block], sheet_name="表")], tmp_path / "merged.xlsx")
    ws = load_workbook(out).worksheets[0]
    first = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == text)
    merged_h, single_h = row_height_of(ws, first), row_height_of(ws, first + 1)
    assert DEFAULT_ROW_HEIGHT < merged_h < single_h  # two columns' width: fewer lines
    span_h = row_height_of(ws, first + 2) + row_height_of(ws, first + 3)
    assert span_h >= single_h - 1  # the two rows together hold what one row of it needs (pixel rounding)
    assert row_height_of(ws, first + 2) > DEFAULT_ROW_HEIGHT and row_height_of(ws, first + 3) > DEFAULT_ROW_HEIGHT
    assert_rows_fit(ws)


def test_a_title_too_wide_for_its_sheet_is_set_smaller_then_wrapped(tmp_path):
    """The summaries' month table is three columns wide: an 18 pt title was cut off at both sides."""
    body = [[Cell("2026年1月"), Cell("3"), Cell("2")]]
    block = Block([[Cell("月份"), Cell("立案"), Cell("结案")]], body, [1.0, 1.0, 1.0])
    titles = {"wide": "立案结案", "narrow": "2026年知识产权行政保护工作全年总结数据　按月立案、结案情况"}
    out = write_workbook([Report(text, [block], sheet_name=key) for key, text in titles.items()],
                         tmp_path / "titles.xlsx")
    wb = load_workbook(out)
    short, long = wb["wide"].cell(1, 1), wb["narrow"].cell(1, 1)
    assert short.value == titles["wide"] and short.font.sz == 18 and not short.alignment.wrap_text
    assert long.value == titles["narrow"] and long.font.sz == 14 and long.alignment.wrap_text
    width = sum(wb["narrow"].column_dimensions[c].width for c in "ABC")
    lines = line_count(titles["narrow"], line_capacity(width, 14))
    assert lines >= 2 and row_height_of(wb["narrow"], 1) >= row_height(lines, 14)
    assert abs(row_height_of(wb["wide"], 1) - 32) < 1  # Excel keeps heights in whole pixels
