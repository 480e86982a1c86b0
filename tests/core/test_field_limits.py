"""Field lengths and counts are enforced at entry, with the same limits a package is held to upward; broken
text is refused with a reason, never a traceback."""
import pytest

from ipdesk.cli import main
from ipdesk.domain import fields as F
from ipdesk.errors import IpdeskError
from ipdesk.exchange import approval
from ipdesk.exchange.package import export_package, read_package

CASE = {"name": "某商行销售侵犯注册商标专用权商品案", "category": "商标侵权", "lead_date": "2026-10-08"}


def test_a_remark_over_the_limit_is_refused_on_its_field(make_desk):
    desk = make_desk()
    with pytest.raises(IpdeskError) as caught:
        desk.records.save("cases", {**CASE, "remarks": "备" * 2001})
    assert "不能超过 2000 字" in caught.value.field_errors["remarks"]
    with pytest.raises(IpdeskError) as caught:
        desk.records.save("cases", {**CASE, "name": "案" * 201})
    assert "不能超过 200 字" in caught.value.field_errors["name"]
    assert desk.db.execute("SELECT COUNT(*) FROM cases").fetchone()[0] == 0


def test_the_longest_accepted_remark_still_goes_upward(make_desk, tmp_path):
    desk = make_desk()
    desk.records.save("cases", {**CASE, "filed_date": "2026-10-09", "procedure": "一般程序", "remarks": "备" * 2000})
    approval.approve(desk, "2026-10")
    export_package(desk, "2026-10", tmp_path / "p.ipdx")  # refused before: 备注 over 2,000 characters
    assert read_package(tmp_path / "p.ipdx").annex2_json["rows"]


@pytest.mark.parametrize("value", ["\ud800", "甲\udfff乙"])
def test_broken_characters_are_refused_with_a_reason(make_desk, value):
    desk = make_desk()
    with pytest.raises(IpdeskError) as caught:
        desk.records.save("cases", {**CASE, "party_name": value})
    assert "无法识别的字符" in caught.value.field_errors["party_name"]


def test_a_count_of_2_to_the_70_is_refused(make_desk):
    desk = make_desk()
    with pytest.raises(IpdeskError) as caught:
        desk.records.save("work_items", {"date": "2026-10-12", "kind": "维权援助", "count_a": 2 ** 70})
    assert "整数" in caught.value.field_errors["count_a"]


def test_load_reports_a_lone_surrogate_without_a_traceback(tmp_path, capsys):
    db = tmp_path / "office.db"
    assert main(["--db", str(db), "init", "--unit-code", "150602", "--unit-name", "东胜区市场监督管理局"]) == 0
    data = tmp_path / "bad.json"
    data.write_text('{"cases": [{"name": "\\ud800", "category": "商标侵权", "lead_date": "2026-10-08"}]}',
                    encoding="utf-8")
    assert main(["--db", str(db), "load", str(data)]) != 0
    assert "无法识别的字符" in capsys.readouterr().err


def test_every_text_field_has_a_limit():
    for field in F.CASE_FIELDS + F.INSPECTION_FIELDS + F.WORK_ITEM_FIELDS:
        if field.kind in (F.TEXT, F.LONGTEXT):
            assert field.max_length in (200, 2000)


def _id_number(body="15060219850312301"):
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, weights)) % 11]


def test_id_numbers_typed_into_free_text_are_masked_upward(make_desk, tmp_path):
    import json
    import zipfile

    import pdfplumber

    person = _id_number()
    desk = make_desk()
    desk.records.save("cases", {**CASE, "filed_date": "2026-10-09", "procedure": "一般程序",
                        "party_name": f"张某（身份证号{person}）", "remarks": f"当事人身份证{person}，已核实",
                        "right_holder": "某公司（91150602MA0N1234XY）"})
    approval.approve(desk, "2026-10")
    out = tmp_path / "p.ipdx"
    export_package(desk, "2026-10", out)
    with zipfile.ZipFile(out) as zf:
        text = zf.read("annex2.json").decode("utf-8")
        with zf.open("annex2.pdf") as fh, pdfplumber.open(fh) as pdf:
            printed = "".join(page.extract_text() or "" for page in pdf.pages)
    assert person not in text and person not in printed.replace("\n", "")
    assert person[:6] + "********" + person[14:] in json.loads(text)["rows"][0]["当事人"]
    assert "91150602MA0N1234XY" in text  # a company's code is not an ID number: kept


def test_a_date_in_year_one_is_refused(make_desk):
    desk = make_desk()
    with pytest.raises(IpdeskError) as caught:
        desk.records.save("cases", {**CASE, "lead_date": "0001-01-01"})
    assert "早于 1980 年" in caught.value.field_errors["lead_date"]
