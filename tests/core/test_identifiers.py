"""统一社会信用代码 and 身份证号 as the party's kind needs them: normalised input, impossible birth dates, digits in
the USCC's region code, a message for each refusal, masking by kind — and the same verdicts as python-stdnum."""
import csv
import random
from datetime import date

import pytest

from ipdesk.desk import resource_path
from ipdesk.domain.identifiers import (USCC_CHARS, id_check_char, identifier_message, infer_party_kind,
                                       is_valid_id_number, is_valid_uscc, mask_id_number, masked_for_upward,
                                       normalize_identifier, uscc_check_char)
from ipdesk.errors import IpdeskError
from ipdesk.exchange.package import mask_annex2_json

TODAY = date(2026, 11, 22)


def person(first17: str) -> str:
    return first17 + id_check_char(first17)


def uscc(first17: str) -> str:
    return first17 + uscc_check_char(first17)


ID = person("15060219900307123")  # 东胜区, born 1990-03-07
COMPANY = uscc("91150602MA0Q12345")
SOLE = uscc("92150602MA0Q54321")  # 个体工商户: 工商 (9), 机构类别 2


def test_input_is_normalised_before_checking():
    wide = ID.translate(str.maketrans("0123456789X", "０１２３４５６７８９Ｘ"))
    assert normalize_identifier(f" {wide[:6]} {wide[6:14]}－{wide[14:]} ") == ID
    assert normalize_identifier(COMPANY.lower()) == COMPANY
    assert normalize_identifier(f"{COMPANY[:4]}-{COMPANY[4:10]} {COMPANY[10:]}") == COMPANY
    assert identifier_message(wide, "个人", TODAY) is None
    assert identifier_message(COMPANY.lower(), "单位", TODAY) is None


@pytest.mark.parametrize("text", ["①50602199003071234", "①" * 18, "\x00" * 18, "𝟏" * 18, "١٥٠٦٠٢١٩٩٠٠٣٠٧١٢٣٤",
                                  "ⅠⅡⅢ", "🙂" * 18, "９" * 40, ""])
def test_odd_text_never_raises(text):
    for kind in (None, "个人", "单位", "个体工商户"):
        message = identifier_message(text, kind, TODAY)
        assert message is None or isinstance(message, str)
    masked_for_upward(text, None)
    infer_party_kind(text)


def test_each_refusal_says_what_is_wrong():
    born_feb_31 = person("15060219990231123")
    assert "出生日期“19990231”不存在" in identifier_message(born_feb_31, "个人", TODAY)
    assert "出生日期“20270101”不可能" in identifier_message(person("15060220270101123"), "个人", TODAY)
    assert "前两位“99”不是省级" in identifier_message(person("99060219900307123"), "个人", TODAY)
    assert identifier_message(ID[:17] + ("1" if ID[17] != "1" else "2"), "个人", TODAY).startswith("身份证号校验位不正确")
    assert "应为18位，现为17位" in identifier_message(ID[:17], "个人", TODAY)
    letters_in_region = uscc("9115A602MA0Q12345")
    assert "第3—8位" in identifier_message(letters_in_region, "单位", TODAY)
    assert "不允许的字符：I、O" in identifier_message("91150602MA0I1234O5", "单位", TODAY)
    assert "校验位不正确（第18位应为" in identifier_message(COMPANY[:17] + "0", "单位", TODAY) or COMPANY[17] == "0"
    assert "15位注册号已停用" in identifier_message("150602000012345", "单位", TODAY)


def test_a_code_is_checked_as_the_kind_the_party_is():
    assert identifier_message(ID, "个人", TODAY) is None
    assert identifier_message(COMPANY, "单位", TODAY) is None and identifier_message(SOLE, "个体工商户", TODAY) is None
    assert "当事人类型为个人，应填写居民身份证号" in identifier_message(COMPANY, "个人", TODAY)
    assert "当事人类型为单位，应填写统一社会信用代码" in identifier_message(ID, "单位", TODAY)
    assert identifier_message(ID, None, TODAY) is None and identifier_message(COMPANY, None, TODAY) is None
    assert [infer_party_kind(c) for c in (ID, COMPANY, SOLE, "x")] == ["个人", "单位", "个体工商户", None]


def test_masking_depends_on_the_kind():
    assert masked_for_upward(COMPANY, "单位") == COMPANY and masked_for_upward(SOLE, "个体工商户") == SOLE
    assert masked_for_upward(ID, "个人") == ID[:6] + "********" + ID[14:]
    assert masked_for_upward("15060219", "个人") == "1******9"  # a short legacy number too
    assert mask_id_number("123") == "***"
    from ipdesk.catalog import CURRENT

    label = next(c.label for c in CURRENT.annex2_columns if c.id == "party_id_no")
    data = {"catalog_version": CURRENT.version, "rows": [{label: COMPANY}, {label: ID}, {label: "旧号码1234567"}]}
    rows = mask_annex2_json(data)["rows"]  # a frozen table: no kind, so anything but a company's code is hidden
    assert [r[label] for r in rows] == [COMPANY, mask_id_number(ID), "旧********7"]


def test_cases_store_the_normalised_code_and_refuse_a_wrong_kind(desk):
    base = {"name": "案", "category": "商标侵权", "lead_date": "2026-11-02"}
    rid = desk.records.save("cases", {**base, "party_kind": "个人", "party_id_no": ID.translate(
        str.maketrans("0123456789", "０１２３４５６７８９"))}).record_id
    assert desk.records.get_case(rid)["party_id_no"] == ID and desk.records.get_case(rid)["party_kind"] == "个人"
    with pytest.raises(IpdeskError) as refused:
        desk.records.save("cases", {**base, "party_kind": "单位", "party_id_no": ID})
    assert "应填写统一社会信用代码" in refused.value.field_errors["party_id_no"]
    # ① is NFKC 1: the number typed with a circled digit is this person's ID, stored plainly.
    rid = desk.records.save("cases", {**base, "party_id_no": "①50602 19900307 1234"}).record_id
    assert desk.records.get_case(rid)["party_id_no"] == ID == "150602199003071234"
    with pytest.raises(IpdeskError) as refused:
        desk.records.save("cases", {**base, "party_id_no": "①50602199002301234"})
    assert refused.value.field_errors["party_id_no"] == "身份证号中的出生日期“19900230”不存在"
    a2 = desk.figures.annex2("2026-11", mask_personal_ids=True)  # leads are not listed; file a company's and a person's case
    assert a2.rows == []
    for kind, code, name in (("单位", COMPANY, "公司案"), ("个人", ID, "个人案")):
        desk.records.save("cases", {**base, "name": name, "party_kind": kind, "party_id_no": code, "filed_date": "2026-11-03",
                            "procedure": "一般程序"})
    shown = {r["name"]: r["party_id_no"] for r in desk.figures.annex2("2026-11", mask_personal_ids=True).rows}
    assert shown == {"公司案": COMPANY, "个人案": mask_id_number(ID)}


# ---- the same verdicts as an independent implementation ----------------------------------------------------
def _regions() -> list[str]:
    with open(resource_path("data", "divisions-inner-mongolia.csv"), encoding="utf-8") as fh:
        return [r["code"] for r in csv.DictReader(fh) if r["code"][4:6] not in ("00",) and r["code"][4] != "7"]


def test_id_numbers_agree_with_python_stdnum():
    ric = pytest.importorskip("stdnum.cn.ric")
    rng = random.Random(18)
    regions, agreed, valid = _regions(), 0, 0
    for _ in range(3000):
        first = (rng.choice(regions) + f"{rng.randint(1930, 2010)}{rng.randint(1, 13):02d}{rng.randint(1, 31):02d}"
                 + f"{rng.randint(0, 999):03d}")
        code = first + (id_check_char(first) if rng.random() < 0.7 else rng.choice("0123456789X"))
        try:
            ric.get_birth_place(code)
        except Exception:  # noqa: BLE001 - a region code stdnum's table lacks: not a comparison
            continue
        assert is_valid_id_number(code, TODAY) == ric.is_valid(code), code
        agreed += 1
        valid += ric.is_valid(code)
    assert agreed > 800 and 200 < valid < agreed - 200  # both verdicts well represented


def test_usccs_agree_with_python_stdnum():
    stdnum_uscc = pytest.importorskip("stdnum.cn.uscc")
    rng = random.Random(32100)
    regions, valid = _regions(), 0
    for n in range(3000):
        first = (rng.choice("159") + rng.choice("123") + rng.choice(regions)
                 + "".join(rng.choice(USCC_CHARS) for _ in range(9)))
        if n % 10 == 0:  # a letter in the region code
            first = first[:4] + rng.choice("ABCDEFGH") + first[5:]
        code = first + (uscc_check_char(first) if rng.random() < 0.7 else rng.choice(USCC_CHARS))
        assert is_valid_uscc(code) == stdnum_uscc.is_valid(code), code
        valid += is_valid_uscc(code)
    assert 1000 < valid < 2500
