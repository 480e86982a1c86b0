"""Each field rule of ipdesk/domain/rules.py with a passing and a failing case."""
from datetime import date

import pytest

from ipdesk.domain import enums
from ipdesk.domain.fields import CASE_FIELDS
from ipdesk.domain.identifiers import (identifier_message, is_valid_id_number, is_valid_uscc, mask_id_number,
                                       uscc_check_char)
from ipdesk.domain.rules import case_status, coerce, missing_for_form, validate_case, validate_work_item

TODAY = date(2026, 11, 22)
GOOD_USCC = "91350100M000100Y43"  # a published example code with a valid check digit


def base_case(**over):
    case = {"name": "某商行销售侵权商品案", "category": "商标侵权", "procedure": enums.PROCEDURE_GENERAL,
            "lead_date": "2026-03-01", "filed_date": "2026-03-05"}
    case.update(over)
    return case


def test_uscc_check_digit():
    assert is_valid_uscc(GOOD_USCC)
    assert not is_valid_uscc(GOOD_USCC[:-1] + "2")
    assert not is_valid_uscc("91350100M000100Y4")  # 17 characters
    assert not is_valid_uscc("91350100M000100I43")  # I is not in the code alphabet
    assert uscc_check_char(GOOD_USCC[:17]) == GOOD_USCC[17]


def test_id_number_check_digit_and_mask():
    number = "11010519491231002X"  # GB 11643 example
    assert is_valid_id_number(number)
    assert not is_valid_id_number("110105194912310021")
    assert mask_id_number(number) == "110105********002X"


def test_identifier_messages_are_chinese_and_specific():
    assert identifier_message("") is None
    assert identifier_message(GOOD_USCC) is None
    assert "18位" in identifier_message("123")
    assert "校验位" in identifier_message(GOOD_USCC[:-1] + "2")


def test_valid_case_passes():
    assert validate_case(base_case(), today=TODAY) == {}


@pytest.mark.parametrize("over, field, words", [
    ({"name": ""}, "name", "案件名称"),
    ({"category": "食品安全"}, "category", "案件类别"),
    ({"filed_date": "2026-02-01"}, "filed_date", "不能早于线索登记日期"),
    ({"closed_date": "2026-03-04"}, "closed_date", "不能早于立案日期"),
    ({"filed_date": "2026-12-01", "lead_date": "2026-11-01"}, "filed_date", "不能晚于今天"),
    ({"closed_date": "2026-04-01"}, "outcome", "须选择处理结果"),
    ({"fine_fen": 100, "decision_date": "2026-03-10"}, "decision_no", "处罚决定书文号"),
    ({"fine_fen": 100, "decision_no": "X罚〔2026〕1号"}, "decision_date", "处罚决定日期"),
    ({"outcome": "不予行政处罚", "closed_date": "2026-04-01", "confiscated_fen": 5, "decision_no": "x",
      "decision_date": "2026-03-20"}, "outcome", "不能有罚没款"),
    ({"outcome": enums.OUTCOME_REFER_JUDICIAL, "closed_date": "2026-04-01"}, "referral_date", "移送日期"),
    ({"outcome": enums.OUTCOME_REFER_JUDICIAL, "closed_date": "2026-04-01", "referral_date": "2026-04-01"},
     "referral_body", "接收机关"),
    ({"party_id_no": GOOD_USCC[:-1] + "2"}, "party_id_no", "校验位"),
    ({"procedure": enums.PROCEDURE_RULING}, "procedure", "专利侵权纠纷"),
    ({"category": enums.DISPUTE_CATEGORY}, "procedure", "行政裁决"),
    ({"category": enums.DISPUTE_CATEGORY, "procedure": enums.PROCEDURE_RULING, "closed_date": "2026-04-01",
      "outcome": enums.OUTCOME_PENALTY}, "outcome", "不适用"),
    ({"filed_date": None, "lead_date": None}, "lead_date", "线索登记日期或立案日期"),
    ({"declined_date": "2026-03-06"}, "declined_date", "不予立案"),
])
def test_each_rule_fails_with_message_on_its_field(over, field, words):
    errors = validate_case(base_case(**over), today=TODAY)
    assert field in errors, errors
    assert words in errors[field]


def test_closed_penalty_case_passes():
    case = base_case(decision_date="2026-03-20", closed_date="2026-03-25", outcome=enums.OUTCOME_PENALTY,
                     fine_fen=1_500_000, decision_no="东市监处罚〔2026〕3号", party_id_no=GOOD_USCC)
    assert validate_case(case, today=TODAY) == {}
    referral = base_case(closed_date="2026-04-01", outcome=enums.OUTCOME_REFER_JUDICIAL, referral_date="2026-04-01",
                         referral_body="东胜区公安分局")
    assert validate_case(referral, today=TODAY) == {}


def test_coerce_reads_user_input_and_reports_bad_values():
    record, errors = coerce(CASE_FIELDS, {"fine": "1,234.50", "flag_ecommerce": "是", "filed_date": "2026-03-05",
                                          "penalty_kinds": "罚款、责令停止侵权/改正", "category": "商标侵权"})
    assert errors == {}
    assert record["fine_fen"] == 123450 and record["flag_ecommerce"] == 1
    assert record["penalty_kinds"] == ["罚款", "责令停止侵权/改正"]
    _, errors = coerce(CASE_FIELDS, {"fine": "1.234", "filed_date": "2026/3/5", "category": "食品",
                                     "amount_involved": "-5", "penalty_kinds": "拘留"})
    assert set(errors) == {"fine_fen", "filed_date", "category", "amount_involved_fen", "penalty_kinds"}
    assert "分" in errors["fine_fen"] and "负数" in errors["amount_involved_fen"]


def test_status_follows_dates():
    assert case_status({"lead_date": "2026-01-01"}) == enums.STATUS_LEAD
    assert case_status({"declined_date": "2026-01-05"}) == enums.STATUS_DECLINED
    assert case_status({"filed_date": "2026-01-05"}) == enums.STATUS_FILED
    assert case_status({"filed_date": "2026-01-05", "closed_date": "2026-02-01"}) == enums.STATUS_CLOSED
    assert case_status({"closed_date": "2026-02-01", "outcome": enums.OUTCOME_REFER_JUDICIAL}) == enums.STATUS_REFERRED


def test_missing_for_form_lists_completion_items():
    case = base_case(closed_date="2026-04-01", fine_fen=100, decision_date="2026-03-30")
    assert missing_for_form(case) == ["处理结果", "处罚决定书文号"]
    assert missing_for_form(base_case()) == []


def test_work_item_rules():
    assert validate_work_item({"date": "2026-03-01", "kind": "行政调解", "count_a": 2, "count_b": 1}, today=TODAY) == {}
    errors = validate_work_item({"date": "2026-03-01", "kind": "行政调解", "count_a": 1, "count_b": 2}, today=TODAY)
    assert "不能大于" in errors["count_b"]
    errors = validate_work_item({"date": "2026-03-01", "kind": "司法确认", "count_a": 1, "count_b": 2}, today=TODAY)
    assert "只有一个数量" in errors["count_b"]
    assert "kind" in validate_work_item({"date": "2026-03-01", "kind": "打扫卫生", "count_a": 1}, today=TODAY)
