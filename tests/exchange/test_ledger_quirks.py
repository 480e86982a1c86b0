"""Ledgers laid out the way county offices keep them in Excel/WPS: every imported value, every row not
imported and its reason, and that a refused import changes nothing."""
from __future__ import annotations

import hashlib
import json
import subprocess
import sys

import openpyxl
import pytest

from ipdesk.errors import IpdeskError
from ipdesk.exchange.ledger import case_no_key, import_ledger, preview_ledger, read_ledger

from tests.conftest import data_tables, subprocess_env

from .ledger_books import (ledger_county, ledger_merged, ledger_stale, ledger_template, ledger_values, ledger_years,
                           save, valid_id, valid_uscc)

COLUMNS = ("case_no", "name", "category", "party_name", "party_id_no", "filed_date", "decision_date", "closed_date",
           "amount_involved_fen", "fine_fen", "confiscated_fen", "decision_no", "outcome", "procedure",
           "flag_ecommerce", "referral_date", "referral_body", "handler", "remarks", "needs_completion")


def cases(desk) -> dict[str, dict]:
    cur = desk.db.execute(f"SELECT {', '.join(COLUMNS)} FROM cases ORDER BY id")
    out = {}
    for row in cur.fetchall():
        record = dict(zip(COLUMNS, row))
        record["needs_completion"] = json.loads(record["needs_completion"])
        out[record["case_no"]] = record
    return out


def notes(items):
    return [(n.row, n.reason) for n in items]


def test_county_ledger_unit_beside_the_office_hidden_column_and_row_total_column(desk, tmp_path):
    book = read_ledger(ledger_county(tmp_path / "元宝山.xlsx"))
    (sheet,) = book.sheets
    # 填报单位：元宝山区… does not make the amounts 元: the 金额单位 on the same row does.
    assert (sheet.header_row, sheet.default_unit, sheet.unit_line) == (3, "万元", "第2行“金额单位：万元”")
    preview = preview_ledger(desk, book)
    assert preview.mapping_lines() == [
        "A列 编号 → （不导入）（隐藏列，表头对应“立案号/案件编号”）",
        "B列 立案号 → 立案号/案件编号", "C列 案件名称 → 案件名称", "D列 案件类别 → 案件类别", "E列 当事人 → 当事人",
        "F列 立案日期 → 立案日期", "G列 罚没金额 → 罚没款合计（仅用于核对）［万元］", "H列 罚款 → 罚款［万元］",
        "I列 没收违法所得 → 没收违法所得［万元］", "J列 涉案金额（元） → 涉案金额［元］",
        "K列 处罚决定书文号 → 处罚决定书文号", "L列 处罚决定日期 → 处罚决定日期", "M列 处理结果 → 处理结果",
        "N列 程序 → 程序"]
    assert "隐藏列未导入：A列（编号）" in preview.notes
    assert notes(preview.hidden) == [(6, "隐藏行：YB-002、赤元市监立字〔2023〕2号")]
    assert notes(preview.doubtful) == [(7, "罚没款合计 20000元 ≠ 罚款 10000元 + 没收违法所得 5000元")]
    assert notes(preview.skipped) == [(8, "合计行"), (10, "合计行")]
    assert preview.unreadable == [] and preview.present == []
    assert preview.totals == {"案件": 3, "涉案金额": 1_015_050, "罚款": 1_700_000, "没收违法所得": 300_000,
                                "挽回经济损失": 0}
    import_ledger(desk, preview)
    common = dict(category=None, party_id_no=None, closed_date=None, flag_ecommerce=0, referral_date=None,
                  referral_body=None, handler=None, remarks=None, needs_completion=[], procedure="一般程序")
    assert cases(desk) == {
        "赤元市监立字〔2023〕1号": {**common, "case_no": "赤元市监立字〔2023〕1号",
                                 "name": "某烟酒店销售侵犯注册商标专用权白酒案",
                                 "category": "商标侵权", "party_name": "某烟酒店", "filed_date": "2023-02-03",
                                 "decision_date": "2023-04-01", "amount_involved_fen": 800_000, "fine_fen": 1_200_000,
                                 "confiscated_fen": 300_000, "decision_no": "赤元市监罚字〔2023〕5号",
                                 "outcome": "作出行政处罚"},
        # Not the hidden, voided copy of row 6; 罚款 in 处理结果 is 作出行政处罚; 2000.5 in a column headed （元）.
        "赤元市监立字〔2023〕2号": {**common, "case_no": "赤元市监立字〔2023〕2号", "name": "某超市销售假冒专利产品案",
                                 "category": "假冒专利", "party_name": "某超市", "filed_date": "2023-03-04",
                                 "decision_date": "2023-05-06", "amount_involved_fen": 200_050, "fine_fen": 500_000,
                                 "confiscated_fen": 0, "decision_no": "赤元市监罚字〔2023〕9号",
                                 "outcome": "作出行政处罚"},
        "赤元市监立字〔2023〕4号": {**common, "case_no": "赤元市监立字〔2023〕4号",
                                 "name": "某药房销售侵犯注册商标专用权商品案",
                                 "category": "商标侵权", "party_name": "某药房", "filed_date": "2023-05-06",
                                 "decision_date": None, "amount_involved_fen": 15_000, "fine_fen": 0,
                                 "confiscated_fen": 0, "decision_no": None, "outcome": "不予行政处罚"},
    }


def test_county_ledger_with_hidden_rows_and_columns_included(desk, tmp_path):
    book = read_ledger(ledger_county(tmp_path / "元宝山.xlsx"))
    preview = preview_ledger(desk, book, include_hidden=True)
    # The hidden 编号 column still loses to the visible 立案号; the hidden row is read, and is a duplicate.
    assert preview.mapping[("台账", 0)] is None and preview.mapping[("台账", 1)] == "case_no"
    assert preview.hidden == []
    assert notes(preview.unreadable) == [(6, "案件编号“赤元市监立字〔2023〕2号”与第5行重复")]
    # Shown and chosen by the user, the 编号 column would be the key: the user decides, not the position.
    mapping = book.proposed_mapping(include_hidden=True)
    assert book.columns[0].outscored_by == "B"
    mapping[("台账", 0)], mapping[("台账", 1)] = "case_no", None
    again = preview_ledger(desk, book, mapping, include_hidden=True)
    assert [r.record["case_no"] for r in again.readable] == ["YB-001", "YB-002", "YB-004"]


def test_merged_cells_fill_every_row_they_span(desk, tmp_path):
    book = read_ledger(ledger_merged(tmp_path / "登记簿.xlsx"))
    (sheet,) = book.sheets
    assert sheet.header_row == 3 and sheet.merged_cells_filled == 6
    preview = preview_ledger(desk, book)
    assert [(c.letter, c.header, preview.mapping[c.key]) for c in sheet.columns][4:9] == [
        ("E", "立案日期", "filed_date"), ("F", "金额（元）/涉案金额", "amount_involved_fen"),
        ("G", "金额（元）/罚款", "fine_fen"), ("H", "金额（元）/没收违法所得", "confiscated_fen"),
        ("I", "结案日期", "closed_date")]
    assert notes(preview.skipped) == [(4, "栏次行"), (5, "分段标题行"), (8, "重复的表头行"), (9, "重复的表头行")]
    assert preview.unreadable == [] and preview.doubtful == []
    import_ledger(desk, preview)
    got = cases(desk)
    shared = ("2023-03-01", "作出行政处罚", "刘海军、赵丽娜")
    for number, amounts in (("东市监立字〔2023〕11号", (300_000, 100_000, 20_000)),
                            ("东市监立字〔2023〕12号", (500_000, 150_000, 30_000))):
        case = got[number]
        assert (case["closed_date"], case["outcome"], case["handler"]) == shared
        assert (case["amount_involved_fen"], case["fine_fen"], case["confiscated_fen"]) == amounts
        assert case["needs_completion"] == ["处罚决定书文号", "处罚决定日期", "程序"]
    for number in ("东市监立字〔2023〕13号", "东市监立字〔2023〕14号"):
        case = got[number]
        assert (case["closed_date"], case["outcome"], case["handler"]) == ("2023-04-01", "不予行政处罚", "王强")
        assert case["needs_completion"] == ["程序"]


def test_every_sheet_with_a_case_table_is_read(desk, tmp_path):
    book = read_ledger(ledger_years(tmp_path / "分年.xlsx"))
    assert [(s.name, s.hidden) for s in book.sheets] == [("2022", False), ("2023", False), ("作废", True)]
    assert book.other_sheets == [("说明", "找不到台账表头")]
    preview = preview_ledger(desk, book)
    assert [s.name for s in preview.sheets] == ["2022", "2023"]
    assert preview.notes[:2] == ["工作表“说明”未读取：找不到台账表头",
                                 "工作表“作废”是隐藏的工作表，未导入（1 行；选择“导入隐藏的行、列和工作表”可导入）"]
    # [2022] on one sheet and 〔2022〕 on the other are one case number.
    assert [preview.line(n) for n in preview.unreadable] == [
        "“2023”第3行：案件编号“东市监立字〔2022〕1号”与“2022”第2行重复"]
    assert [(r.sheet, r.row) for r in preview.readable] == [("2022", 2), ("2022", 3), ("2023", 2)]
    assert preview.mapping_lines()[0] == "“2022”A列 立案号 → 立案号/案件编号"
    import_ledger(desk, preview)
    got = cases(desk)
    assert list(got) == ["东市监立字[2022]1号", "东市监立字[2022]2号", "东市监立字〔2023〕1号"]  # as typed
    assert (got["东市监立字[2022]1号"]["fine_fen"], got["东市监立字[2022]1号"]["closed_date"]) == (200_000,
                                                                                                "2022-06-10")
    assert got["东市监立字〔2023〕1号"]["procedure"] == "简易程序"
    # Read again with the hidden sheet: only its case is new.
    again = preview_ledger(desk, read_ledger(tmp_path / "分年.xlsx"), include_hidden=True)
    assert [(r.sheet, r.row) for r in again.readable] == [("作废", 2)]
    assert notes(again.present) == [(2, "东市监立字[2022]1号"), (3, "东市监立字[2022]2号"),
                                    (2, "东市监立字〔2023〕1号"), (3, "东市监立字〔2022〕1号")]


def test_values_as_clerks_type_them(desk, tmp_path):
    preview = preview_ledger(desk, read_ledger(ledger_values(tmp_path / "values.xlsx")))
    lost = "身份证号/统一社会信用代码被 Excel 存成了数字，末几位已丢失（{}）：请把该列设为“文本”格式，按原件重新录入"
    assert notes(preview.unreadable) == [
        (5, lost.format("1.50602199001011E+17")),
        (6, lost.format("1.50602198806061E+17")),
        (7, "统一社会信用代码校验位不正确（第18位应为 R）"),
    ]
    assert notes(preview.doubtful) == [
        (8, "G列（涉案金额）是公式，文件中没有计算结果（请在 Excel/WPS 中打开、保存后再导入）"),
        (9, "G列（涉案金额）是错误值 #REF!"),
    ]
    assert {r.row: r.missing for r in preview.readable} == {2: [], 3: ["统一社会信用代码"], 4: []}
    import_ledger(desk, preview)
    common = dict(category="商标侵权", decision_date=None, fine_fen=0, confiscated_fen=0, decision_no=None,
                  procedure="一般程序", referral_date=None, referral_body=None, handler=None, remarks=None,
                  needs_completion=[])
    got = cases(desk)
    assert got == {
        # Full-width brackets and quotes kept as typed; ２０２４．３．５ and １２，３４５．５ read; 免予 → 不予.
        "东市监立字（2024）1号": {**common, "case_no": "东市监立字（2024）1号", "name": "张某（个体）销售“茅台”酒案",
                               "party_name": "张某", "party_id_no": valid_id(), "filed_date": "2024-03-05",
                               "closed_date": "2024-04-01", "amount_involved_fen": 1_234_550,
                               "outcome": "不予行政处罚", "flag_ecommerce": 1},
        # A 15-digit 注册号 comes in 待补正; 2024年3月6号; 2万元 in a 元 column; 拼多多 → 电商.
        "东市监立字（2024）2号": {**common, "case_no": "东市监立字（2024）2号", "name": "某网店销售侵权童装案",
                               "party_name": "某网店", "party_id_no": "150602000012345", "filed_date": "2024-03-06",
                               "decision_date": "2024-04-02", "closed_date": "2024-04-10",
                               "amount_involved_fen": 2_000_000, "fine_fen": 500_000,
                               "decision_no": "东市监罚字（2024）3号", "outcome": "作出行政处罚", "flag_ecommerce": 1,
                               "needs_completion": ["统一社会信用代码"]},
        # 移送公安 → 移送司法机关; 否（线下）.
        "东市监立字（2024）3号": {**common, "case_no": "东市监立字（2024）3号", "name": "李某销售假冒注册商标的白酒案",
                               "party_name": "李某", "party_id_no": None, "filed_date": "2024-03-07",
                               "closed_date": "2024-05-01", "amount_involved_fen": 60_000_000,
                               "outcome": "移送司法机关", "flag_ecommerce": 0, "referral_date": "2024-04-20",
                               "referral_body": "赤峰市公安局"},
    }
    # The 注册号 case is in the period's checks until its code is completed, then it is not.
    assert any(f.key.startswith("complete:") for f in desk.figures.check_period("2024-03"))
    case_id = desk.db.execute("SELECT id FROM cases WHERE case_no = ?", ["东市监立字（2024）2号"]).fetchone()[0]
    with pytest.raises(IpdeskError, match="校验位"):  # still no wrong code accepted on a 待补正 case
        desk.records.save("cases", {"party_id_no": "91150602MA0N00001Y"}, case_id)
    desk.records.save("cases", {"party_id_no": valid_uscc(7)}, case_id)
    assert cases(desk)["东市监立字（2024）2号"]["needs_completion"] == []


@pytest.mark.filterwarnings("ignore:Workbook contains no default style")
def test_stale_dimension_and_excel_written_cells(desk, tmp_path):
    path = ledger_stale(tmp_path / "stale.xlsx")
    # openpyxl's read-only mode trusts the stale <dimension> and loses columns and rows.
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    assert max(len(r) for r in wb.active.iter_rows(values_only=True)) == 3
    wb.close()
    book = read_ledger(path)
    assert [c.header for c in book.sheets[0].columns] == ["案件名称", "立案号", "案件类别", "立案日期", "结案日期",
                                                         "涉案金额", "程序", "处理结果"]
    preview = preview_ledger(desk, book)
    assert preview.unreadable == [] and preview.doubtful == []
    import_ledger(desk, preview)
    got = cases(desk)
    assert [(c["name"], c["filed_date"], c["amount_involved_fen"]) for c in got.values()] == [
        ("甲案", "2021-03-01", 150_000), ("乙案", "2021-03-02", 80_000), ("丙案", "2021-03-03", 10_000),
        ("丁案", "2021-03-04", 20_000), ("戊案", "2021-03-05", 30_000)]
    first = got["东市监立字〔2021〕1号"]
    assert (first["closed_date"], first["outcome"]) == ("2021-04-14", "作出行政处罚")  # 年月日 style, cached formula


def test_case_number_keys():
    assert case_no_key("东市监立字[2022]1号") == case_no_key("东市监立字〔2022〕1号")
    assert case_no_key("东市监立字【2022】１号") == case_no_key("东市监立字（2022）第01号")
    assert case_no_key("东市监立字〔2022〕1号") != case_no_key("东市监立字〔2022〕11号")


def test_refused_import_leaves_the_file_unchanged(tmp_path):
    db, ledger = tmp_path / "office.db", ledger_values(tmp_path / "台账.xlsx")

    def run(*args):
        return subprocess.run([sys.executable, "-m", "tests.cli_harness", "--db", str(db), "--today", "2026-11-22", *args],
                              capture_output=True, text=True, encoding="utf-8", env=subprocess_env(), timeout=120)

    assert run("init", "--unit-code", "150602", "--unit-name", "东胜区市场监督管理局",
               "--parent-code", "150600").returncode == 0
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    strict = run("import-ledger", str(ledger), "--strict")
    assert strict.returncode != 0 and "有 5 行无法读取或存疑，严格模式下未导入任何记录" in strict.stderr
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before


def test_failed_write_leaves_every_table_unchanged(desk, tmp_path):
    preview = preview_ledger(desk, read_ledger(ledger_merged(tmp_path / "m.xlsx")))
    before, audit = data_tables(desk), desk.db.execute("SELECT COUNT(*) FROM audit_log").fetchone()
    desk.db.execute("CREATE TRIGGER fail_last BEFORE INSERT ON cases WHEN NEW.case_no = '东市监立字〔2023〕14号' "
                    "BEGIN SELECT RAISE(ABORT, 'injected failure'); END")
    with pytest.raises(Exception, match="injected failure"):
        import_ledger(desk, preview)
    assert data_tables(desk) == before
    assert desk.db.execute("SELECT COUNT(*) FROM audit_log").fetchone() == audit


def test_total_rows_anywhere_and_the_outcome_by_meaning(desk, tmp_path):
    path = save([["案件名称", "立案号", "案件类别", "立案日期", "程序", "处理结果", "结案日期"],
                 ["甲案", "A-1", "商标侵权", "2024-01-02", "一般程序", "免予行政处罚", "2024-02-01"],
                 ["乙案", "A-2", "商标侵权", "2024-01-03", "一般程序", "不予处罚（首违不罚）", "2024-02-01"],
                 ["丙案", "A-3", "商标侵权", "2024-01-04", "一般程序", "移送公安机关", "2024-02-01"],
                 ["丁案", "A-4", "商标侵权", "2024-01-05", "一般程序", "责令改正", "2024-02-01"],
                 [None, "本页合计", None, None, None, None, None],
                 ["合 计：4件"]], tmp_path / "o.xlsx")
    preview = preview_ledger(desk, read_ledger(path))
    assert notes(preview.skipped) == [(6, "合计行"), (7, "合计行")]
    outcome = {r.record["case_no"]: (r.record.get("outcome"), r.missing, r.record.get("remarks"))
               for r in preview.readable}
    assert outcome == {"A-1": ("不予行政处罚", [], None), "A-2": ("不予行政处罚", [], None),
                       "A-3": ("移送司法机关", ["移送日期", "接收机关"], None),
                       "A-4": (None, ["处理结果"], "原台账处理结果“责令改正”")}


def test_a_template_s_unused_rows_are_not_cases(desk, tmp_path):
    preview = preview_ledger(desk, read_ledger(ledger_template(tmp_path / "模板.xlsx")))
    assert [c.header for c in preview.sheets[0].columns][:5] == ["序号", "案件名称", "立案号", "案件类别", "立案日期"]
    # Rows 6–30 hold only their 序号 and the drop-down's 否: not cases, not refusals.
    assert notes(preview.unreadable) == [(5, "无案件名称和案件编号")]
    assert notes(preview.skipped) == [(31, "说明行")]
    assert [(r.row, r.record["name"], r.record["flag_ecommerce"], r.record["handler"]) for r in preview.readable] == [
        (3, "甲店商标侵权案", 1, "张三"), (4, "乙店假冒专利案", 0, "李四")]


def _with_sheet_xml(source, target, xml: bytes):
    import zipfile

    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w") as dst:
        for info in src.infolist():
            dst.writestr(info, xml if info.filename == "xl/worksheets/sheet1.xml" else src.read(info))
    return target


def test_odd_sheet_xml_is_read_or_refused_never_a_crash(tmp_path):
    good = save([["案件名称", "立案号", "案件类别", "立案日期"], ["甲案", "A-1", "商标侵权", "2024-01-02"]],
                tmp_path / "good.xlsx")
    ns = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    odd = (b'<worksheet ' + ns + b'><sheetData>'
           b'<row r="x"><c r="1A" t="inlineStr"><is><t>\xe6\xa1\x88\xe4\xbb\xb6\xe5\x90\x8d\xe7\xa7\xb0</t></is></c>'
           b'<c t="inlineStr"><is><t>\xe7\xab\x8b\xe6\xa1\x88\xe5\x8f\xb7</t></is></c></row>'
           b'<row r="2"><c r="A2" s="zz" t="inlineStr"><is><t>\xe7\x94\xb2\xe6\xa1\x88</t></is></c>'
           b'<c r="B2" t="s"><v>99</v></c><c r="C2" t="n"><v>abc</v></c></row>'
           b'<row r="900000" ht="20" customHeight="1" hidden="1"/>'
           b'</sheetData><mergeCells><mergeCell ref="A:B"/></mergeCells></worksheet>')
    book = read_ledger(_with_sheet_xml(good, tmp_path / "odd.xlsx", odd))
    assert [c.header for c in book.sheets[0].columns] == ["案件名称", "立案号"]
    assert book.sheets[0].rows == [(2, ("甲案", None))]  # a shared string out of range is no value
    for broken in (b"<worksheet", b"not xml at all", b'<worksheet ' + ns + b'><sheetData><row><c r="A1">'):
        with pytest.raises(IpdeskError, match="无法读取 Excel 文件"):
            read_ledger(_with_sheet_xml(good, tmp_path / "broken.xlsx", broken))
    many = b'<worksheet ' + ns + b'><sheetData><row r="60000"><c r="A60000"><v>1</v></c></row></sheetData></worksheet>'
    with pytest.raises(IpdeskError, match="行数过多"):
        read_ledger(_with_sheet_xml(good, tmp_path / "many.xlsx", many))


def test_merges_beyond_the_sheet_are_cut_to_its_limits(desk, tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["案件名称", "立案号", "案件类别", "立案日期", "程序", "承办人"])
    ws.append(["甲案", "A-1", "商标侵权", "2024-01-02", "一般程序", "张三"])
    ws.append(["乙案", "A-2", "商标侵权", "2024-01-03", "一般程序"])
    path = tmp_path / "huge-merge.xlsx"
    wb.save(path)
    # A merge from 承办人 of row 2 down to the sheet's last row and across every column Excel has.
    xml = _read_member(path, "xl/worksheets/sheet1.xml").replace(
        b"</sheetData>", b'</sheetData><mergeCells count="1"><mergeCell ref="F2:XFD1048576"/></mergeCells>')
    book = read_ledger(_with_sheet_xml(path, tmp_path / "huge.xlsx", xml))
    assert book.sheets[0].rows[1][1][5] == "张三"  # filled down into the rows that exist, nothing more
    assert [r.record["handler"] for r in preview_ledger(desk, book).readable] == ["张三", "张三"]


def _read_member(path, name: str) -> bytes:
    import zipfile

    with zipfile.ZipFile(path) as zf:
        return zf.read(name)


@pytest.mark.parametrize("row, numbers", [([1, 2, 3, 4, 5], True), (["甲", "乙", 1, 2, 3], True),
                                          (["甲", "乙", "丙", "丁"], True), ([2, 3, 4, 5], False),
                                          ([1, 2, 4, 5], False), ([1, "东市监立字1号", 3, 4], False)])
def test_column_number_rows(row, numbers):
    from ipdesk.exchange.ledger import _is_column_numbers

    assert _is_column_numbers(row) is numbers
