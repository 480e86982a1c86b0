"""Amounts as typed or pasted: commas only as thousands separators, full-width digits read as digits, every
refusal with its reason."""
import pytest

from ipdesk.domain.money import MoneyError, money_problem, parse_yuan
from ipdesk.errors import IpdeskError


@pytest.mark.parametrize("text, fen", [
    ("１０００．５", 100050), ("１，２３４", 123400), ("1,234,567.5", 123456750), ("¥1,200", 120000),
    ("￥８００元", 80000), ("1,000万", 10_000_000_00), (" 200 ", 20000), ("0.5", 50), (".5", 50), (12.5, 1250),
])
def test_amounts_read(text, fen):
    assert parse_yuan(text) == fen


@pytest.mark.parametrize("text, reason", [
    ("1,00", "逗号只能用作千位分隔符"), ("12,34", "逗号只能用作千位分隔符"), ("1,2345", "逗号只能用作千位分隔符"),
    (",100", "逗号只能用作千位分隔符"), ("1，00", "逗号只能用作千位分隔符"), ("-5", "不能为负数"),
    ("1_000", "无法识别的金额"), ("1e3", "无法识别的金额"), ("12.345", "最多保留到分"), ("abc", "无法识别的金额"),
    ("1 000", "无法识别的金额"), ("NaN", "无法识别的金额"),
])
def test_amounts_refused_with_a_reason(text, reason):
    with pytest.raises(MoneyError, match=reason):
        parse_yuan(text)
    assert reason in money_problem(text)


def test_a_case_with_a_decimal_comma_is_refused_on_its_field(desk):
    with pytest.raises(IpdeskError) as refused:
        desk.records.save("cases", {"name": "案", "category": "商标侵权", "lead_date": "2026-11-02", "fine": "1,00"})
    assert "逗号只能用作千位分隔符" in refused.value.field_errors["fine_fen"]
    rid = desk.records.save("cases", {"name": "案", "category": "商标侵权", "lead_date": "2026-11-02",
                              "amount_involved": "１２，０００．５"}).record_id
    assert desk.records.get_case(rid)["amount_involved_fen"] == 1_200_050
