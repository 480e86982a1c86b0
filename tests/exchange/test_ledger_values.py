"""The ledger's value readers: every common form read, anything else refused cleanly (never a crash)."""
from __future__ import annotations

from datetime import date, datetime

import pytest
from hypothesis import given, settings, strategies as st

from ipdesk.exchange.ledger_fields import outcome_of
from ipdesk.exchange.ledger_values import (LedgerValueError, money_unit_of, parse_flag, parse_ledger_amount,
                                           parse_ledger_date, read_party_id, typed_text, unit_line_of)


@pytest.mark.parametrize("value", ["2022.3.5", "2022-03-05", "2022/3/5", "2022年3月5日", "2022年03月05日", "20220305",
                                   20220305, 44625, 44625.0, "44625", datetime(2022, 3, 5, 14, 30), date(2022, 3, 5),
                                   "2022-03-05 00:00:00", "２０２２．３．５", "二〇二二年三月五日", " 2022 . 3 . 5 ",
                                   "2022-3-5T08:00"])
def test_dates_in_every_common_form(value):
    assert parse_ledger_date(value) == "2022-03-05"


def test_chinese_day_numbers():
    assert parse_ledger_date("二〇二一年十二月三十一日") == "2021-12-31"
    assert parse_ledger_date("二〇二一年十月二十日") == "2021-10-20"


@pytest.mark.parametrize("value", [None, "", "  ", "—", "/", "无"])
def test_blank_dates(value):
    assert parse_ledger_date(value) is None


@pytest.mark.parametrize("value, reason", [("2022.2.30", "日期不存在"), ("2022.13.1", "日期不存在"),
                                           ("1900-01-01", "日期超出合理范围"), ("三月五日", "日期无法识别"),
                                           ("2022.3", "日期无法识别"), (True, "日期无法识别"), (float("nan"), "日期无法识别"),
                                           (-5, "日期无法识别")])
def test_bad_dates_refused_with_reason(value, reason):
    with pytest.raises(LedgerValueError, match=reason):
        parse_ledger_date(value)


@pytest.mark.parametrize("value, unit, fen", [
    (1.5, "万元", 1_500_000), ("1.5", "万元", 1_500_000), ("12,345.50", "元", 1_234_550), (0.35, "万元", 350_000),
    ("1.2万元", "元", 1_200_000), ("3000元", "万元", 300_000), ("¥1,000", "元", 100_000), (None, "元", 0),
    ("—", "万元", 0), (1234, "元", 123_400), ("１，０００", "元", 100_000), (0.1 + 0.2, "元", 30),
])
def test_amounts(value, unit, fen):
    assert parse_ledger_amount(value, unit) == fen


@pytest.mark.parametrize("value, reason", [("-5", "不能为负数"), ("约两万", "无法识别"), ("1.001", "精度超过1分"),
                                           (float("inf"), "无法识别"), (True, "无法识别"), ("1e400", "金额过大")])
def test_bad_amounts(value, reason):
    with pytest.raises(LedgerValueError, match=reason):
        parse_ledger_amount(value, "元")


def test_money_unit_from_header():
    assert money_unit_of("涉案金额（万元）") == "万元"
    assert money_unit_of("罚没款(元)") == "元"
    assert money_unit_of("金额单位：万元") == "万元"
    assert money_unit_of("案值") is None


@pytest.mark.parametrize("value, flag", [("是", 1), ("√", 1), ("✓", 1), ("Y", 1), ("有", 1), (1, 1), (True, 1),
                                         ("否", 0), ("×", 0), ("", 0), (None, 0), ("无", 0), ("N", 0), (0, 0),
                                         ("是（淘宝）", 1)])
def test_flags(value, flag):
    assert parse_flag(value) == flag


def test_unknown_flag_refused():
    with pytest.raises(LedgerValueError, match="无法识别的是/否"):
        parse_flag("可能")


cells = st.one_of(st.none(), st.text(max_size=30), st.integers(min_value=-10**20, max_value=10**20),
                  st.floats(allow_nan=True, allow_infinity=True), st.booleans(), st.dates(),
                  st.datetimes(), st.from_regex(r"\d{2,5}[./\-年]\d{1,3}[./\-月]\d{1,3}日?", fullmatch=True),
                  st.from_regex(r"-?[\d,，]{0,12}(\.\d{0,8})?(万元|元|万)?", fullmatch=True))


@settings(max_examples=600, deadline=None)
@given(cells)
def test_date_parser_never_crashes(value):
    try:
        result = parse_ledger_date(value)
    except LedgerValueError as exc:
        assert str(exc)
        return
    assert result is None or date.fromisoformat(result).year >= 1980


@settings(max_examples=600, deadline=None)
@given(cells, st.sampled_from(["元", "万元"]))
def test_amount_parser_never_crashes(value, unit):
    try:
        fen = parse_ledger_amount(value, unit)
    except LedgerValueError as exc:
        assert str(exc)
        return
    assert isinstance(fen, int) and 0 <= fen <= 10**15


@settings(max_examples=300, deadline=None)
@given(cells)
def test_flag_parser_never_crashes(value):
    try:
        assert parse_flag(value) in (0, 1)
    except LedgerValueError as exc:
        assert str(exc)


# ---- what county ledgers add: unit lines, platforms, identifiers, text as typed ------------------
@pytest.mark.parametrize("text, unit", [("填报单位：元宝山区市场监督管理局", None), ("报送单位：元宝山区局", None),
                                        ("填报单位：元宝山区市场监督管理局　　金额单位：万元", "万元"),
                                        ("（单位：万元）", "万元"), ("单位：元", "元"), ("金额单位:元", "元"),
                                        ("注：金额单位为万元", "万元"), ("计量单位：件", None), (None, None), (3, None)])
def test_unit_lines(text, unit):
    assert unit_line_of(text) == unit


@pytest.mark.parametrize("value, flag", [("是（淘宝）", 1), ("拼多多", 1), ("抖音直播", 1), ("微信朋友圈", 1),
                                         ("否(线下)", 0), ("不是", 0), ("√（京东）", 1)])
def test_ecommerce_flags(value, flag):
    assert parse_flag(value, platforms=True) == flag


def test_platform_names_only_in_the_ecommerce_column():
    with pytest.raises(LedgerValueError):
        parse_flag("拼多多")


@pytest.mark.parametrize("value", [1.50602199001011e17, "1.50602199001011E+17", 150602199001011008,
                                   "150602197512251000"])
def test_identifier_digits_lost_by_excel(value):
    with pytest.raises(LedgerValueError, match="被 Excel 存成了数字，末几位已丢失"):
        read_party_id(value)


def test_identifiers_kept():
    assert read_party_id(150602000012345) == "150602000012345"  # a 注册号 fits in a number cell
    assert read_party_id(150602000012345.0) == "150602000012345"
    assert read_party_id(" 91150602MA0N00001X ") == "91150602MA0N00001X"
    assert read_party_id("15060219900101100X") == "15060219900101100X"


def test_text_kept_as_typed():
    assert typed_text("  张某（个体）销售“茅台”酒案\u3000") == "张某（个体）销售“茅台”酒案"
    assert typed_text("某某公司销售侵犯\n注册商标专用权商品案") == "某某公司销售侵犯注册商标专用权商品案"
    assert typed_text("Nike\nAir") == "Nike Air"
    assert typed_text("第一段\n第二段", multiline=True) == "第一段\n第二段"
    assert typed_text(12.0) == "12"


@pytest.mark.parametrize("text, outcome", [("免予行政处罚", "不予行政处罚"), ("不予处罚", "不予行政处罚"),
                                           ("首违不罚", "不予行政处罚"), ("移送公安", "移送司法机关"),
                                           ("移送公安机关", "移送司法机关"), ("涉嫌犯罪移送", "移送司法机关"),
                                           ("移送税务部门", "移送其他行政机关"), ("罚款", "作出行政处罚"),
                                           ("警告并罚款", "作出行政处罚"), ("撤销立案", "撤销立案"),
                                           ("违法事实不成立", "违法事实不成立"), ("不构成侵权", "处理决定—不构成侵权"),
                                           ("构成侵权", "处理决定—认定侵权"), ("调解", "调解结案"), ("结案", None),
                                           ("责令改正", None), ("不予立案", None)])
def test_outcomes_by_meaning(text, outcome):
    assert outcome_of(text) == outcome


@settings(max_examples=300, deadline=None)
@given(cells)
def test_identifier_reader_never_crashes(value):
    try:
        assert isinstance(read_party_id(value), str)
    except LedgerValueError as exc:
        assert str(exc)


@settings(max_examples=300, deadline=None)
@given(cells)
def test_ecommerce_flag_never_crashes(value):
    try:
        assert parse_flag(value, platforms=True) in (0, 1)
    except LedgerValueError as exc:
        assert str(exc)


_xlsx_values = st.one_of(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=20),
                         st.integers(min_value=-10**15, max_value=10**15),
                         st.floats(allow_nan=False, allow_infinity=False, width=64), st.booleans(),
                         st.dates(min_value=date(1950, 1, 1), max_value=date(2090, 12, 31)))


@settings(max_examples=40, deadline=None)
@given(st.lists(st.lists(st.one_of(st.none(), _xlsx_values), max_size=6), min_size=1, max_size=5))
def test_cell_reader_reads_what_openpyxl_wrote(tmp_path_factory, grid):
    """Whatever openpyxl writes, the ledger's XML reader reads back as openpyxl itself does."""
    import openpyxl

    from ipdesk.exchange.xlsx_cells import read_sheets

    path = tmp_path_factory.mktemp("cells") / "grid.xlsx"
    wb = openpyxl.Workbook()
    for row in grid:
        wb.active.append([v.strip() or "x" if isinstance(v, str) else v for v in row])
    wb.save(path)
    expected = {}
    for row in openpyxl.load_workbook(path, data_only=True).active.iter_rows():
        for cell in row:
            if cell.value is not None:
                expected[(cell.row, cell.column - 1)] = cell.value
    (sheet,) = read_sheets(path, max_rows=100, max_columns=100)
    got = {(r, c): v for r, values in sheet.rows for c, v in enumerate(values) if v is not None}
    got.update(sheet.errors)  # "#N/A" typed as text is an error value to openpyxl too
    assert got == expected
