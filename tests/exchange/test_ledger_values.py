"""The ledger's value readers: every common form read, anything else refused cleanly (never a crash)."""
from __future__ import annotations

from datetime import date, datetime

import pytest
from hypothesis import given, settings, strategies as st

from ipdesk.exchange.ledger_values import (LedgerValueError, parse_flag, parse_ledger_amount, parse_ledger_date,
                                           money_unit_of)


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
