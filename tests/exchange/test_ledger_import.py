"""Legacy ledger import on messy ledgers built here: the bad-row report, 待补正, all-or-nothing, idempotence."""
from __future__ import annotations

import json
import zipfile

import pytest

from ipdesk.errors import IpdeskError
from ipdesk.exchange import ledger as L
from ipdesk.exchange.ledger import import_ledger, preview_ledger, read_ledger

from .ledger_books import ledger_one, ledger_three, ledger_two, save, valid_uscc


def rows_of(notes):
    """(row, reason) of a preview's RowNotes (one sheet)."""
    return [(n.row, n.reason) for n in notes]


def fine_mapping(book, letter):
    """The proposed mapping with the column ``letter`` (a 罚没款 total) taken as 罚款, as a user chooses."""
    mapping = book.proposed_mapping()
    col = next(c for c in book.columns if c.letter == letter)
    mapping[col.key] = "fine_fen"
    return mapping


def case_rows(desk):
    cur = desk.db.execute("SELECT case_no, name, category, filed_date, closed_date, amount_involved_fen, fine_fen, "
                          "confiscated_fen, outcome, procedure, flag_ecommerce, needs_completion FROM cases "
                          "ORDER BY id")
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r)) for r in cur.fetchall()]


def counts(desk):
    return (desk.db.execute("SELECT COUNT(*) FROM cases").fetchone()[0],
            desk.db.execute("SELECT COUNT(*) FROM audit_log").fetchone()[0])


def test_ledger_one_mapping_and_bad_row_report(desk, tmp_path):
    book = read_ledger(ledger_one(tmp_path / "台账一.xlsx"))
    (sheet,) = book.sheets
    assert (sheet.name, sheet.header_row, sheet.default_unit) == ("台账", 4, "万元")
    assert sheet.unit_line == "第2行“金额单位：万元”"
    preview = preview_ledger(desk, book)
    mapping = {c.header: preview.mapping[c.key] for c in sheet.columns}
    assert mapping == {"序号": "_sequence", "立案号": "case_no", "案由": "name", "案件类别": "category",
                       "当事人名称": "party_name", "统一社会信用代码": "party_id_no", "立案时间": "filed_date",
                       "结案时间": "closed_date", "案值": "amount_involved_fen", "罚没金额": "_penalty_total",
                       "处罚文书号": "decision_no", "处理结果": "outcome", "是否电商": "flag_ecommerce",
                       "办案人": "handler"}
    assert rows_of(preview.unreadable) == [
        (8, "不是知识产权案件（案件类别：食品安全）"),
        (10, "立案日期不存在：2022.13.45"),
        (11, "案件编号“鄂东市监立字〔2022〕1号”与第5行重复"),
        (12, "无案件名称和案件编号"),
        (14, "涉案金额无法识别：约两万"),
    ]
    # 罚没金额 is a total (罚款 + 没收违法所得): never read as 罚款, so rows with a penalty are doubtful.
    split = "分不出罚款与没收违法所得：请在列对应中把该列指定为“罚款”或“没收违法所得”"
    assert rows_of(preview.doubtful) == [(5, f"只有罚没款合计（3000元），{split}"),
                                         (6, f"只有罚没款合计（2000元），{split}")]
    assert "罚没款合计列只用于核对罚款与没收违法所得，不作为罚款导入；若该列就是罚款，请在列对应中改为“罚款”" in preview.notes
    assert rows_of(preview.skipped) == [(15, "合计行"), (16, "说明行")]
    assert [r.row for r in preview.readable] == [9, 13]
    # The user says the column is 罚款: the two rows read.
    preview = preview_ledger(desk, book, fine_mapping(book, "J"))
    assert preview.doubtful == []
    assert [r.row for r in preview.readable] == [5, 6, 9, 13]
    assert {r.row: r.missing for r in preview.readable} == {
        5: ["处罚决定日期", "程序"], 6: ["处罚决定书文号", "处罚决定日期", "程序"], 9: ["程序"], 13: []}
    assert preview.totals == {"案件": 4, "涉案金额": 2_420_000, "罚款": 500_000, "没收违法所得": 0,
                                "挽回经济损失": 0}
    assert "J列 罚没金额 → 罚款［万元］" in preview.mapping_lines()


def test_ledger_one_imports_readable_rows_marked_for_completion(desk, tmp_path):
    book = read_ledger(ledger_one(tmp_path / "l1.xlsx"))
    preview = preview_ledger(desk, book, fine_mapping(book, "J"))
    assert counts(desk)[0] == 0  # the preview wrote nothing
    result = import_ledger(desk, preview)
    assert (result.imported, result.incomplete, result.present) == (4, 3, 0)
    rows = {r["case_no"]: r for r in case_rows(desk)}
    first = rows["鄂东市监立字〔2022〕1号"]
    assert first["category"] == "商标侵权" and first["filed_date"] == "2022-03-05"
    assert first["closed_date"] == "2022-06-01"
    assert first["amount_involved_fen"] == 1_500_000 and first["fine_fen"] == 300_000  # 1.5 / 0.3 万元
    assert first["outcome"] == "作出行政处罚" and first["flag_ecommerce"] == 1
    assert json.loads(first["needs_completion"]) == ["处罚决定日期", "程序"]
    olympic = rows["鄂东市监立字〔2022〕4号"]
    assert olympic["category"] == "官方标志/特殊标志/奥林匹克标志"
    assert olympic["filed_date"] == "2022-04-09"  # Excel serial 44660
    assert olympic["amount_involved_fen"] == 120_000  # "1,200元" says its own unit in a 万元 column
    dispute = rows["鄂东市监立字〔2022〕8号"]
    assert (dispute["category"], dispute["procedure"], dispute["outcome"]) == (
        "专利侵权纠纷（行政裁决）", "行政裁决", "调解结案")
    assert dispute["closed_date"] == "2022-10-10" and json.loads(dispute["needs_completion"]) == []
    # The 待补正 cases block the period's checks until completed.
    keys = [f.key for f in desk.figures.check_period("2022-03") if f.key.startswith("complete:")]
    assert len(keys) == 3  # two filed in March, one still open
    # One named operation: undo takes the whole import back.
    assert desk.records.undo_label() == "撤销 导入台账 l1.xlsx（4件）"
    desk.records.undo_last()
    assert counts(desk)[0] == 0


def test_reimport_adds_nothing(desk, tmp_path):
    path = ledger_three(tmp_path / "l3.xlsx")
    book = read_ledger(path)
    import_ledger(desk, preview_ledger(desk, book, fine_mapping(book, "G")))
    before = counts(desk)
    assert before[0] == 4
    again = preview_ledger(desk, read_ledger(path))
    assert again.readable == []
    assert rows_of(again.present) == [(2, "D-2023-01"), (3, "D-2023-02"), (4, "丙店地理标志案"), (6, "D-2023-03")]
    assert rows_of(again.unreadable) == [(7, "无法识别的案件类别：不知道什么案"), (8, "涉案金额不能为负数：-5")]
    result = import_ledger(desk, again)
    assert result.imported == 0 and result.present == 4
    assert counts(desk) == before


def test_ledger_two_two_row_header_and_inferred_category(desk, tmp_path):
    book = read_ledger(ledger_two(tmp_path / "l2.xlsx"))
    (sheet,) = book.sheets
    assert (sheet.name, sheet.header_row, sheet.default_unit, sheet.unit_line) == ("2021", 3, "元", "")
    preview = preview_ledger(desk, book)
    by_letter = {c.letter: (preview.mapping[c.key], preview.unit_of(c), c.header) for c in sheet.columns}
    assert by_letter["F"] == ("amount_involved_fen", "元", "金额（元）/涉案金额")
    assert by_letter["G"] == ("fine_fen", "元", "金额（元）/罚款金额")
    assert by_letter["H"] == ("confiscated_fen", "元", "金额（元）/没收违法所得")
    assert by_letter["K"][0] == "_referred_judicial"
    assert "没有列对应“案件类别”：按案件名称判断类别" in preview.notes
    assert rows_of(preview.unreadable) == [(7, "身份证号校验位不正确（第18位应为 3）"),
                                           (9, "无案件类别，且无法从案件名称判断")]
    # "=1+1" has no cached result in the file: reported, never read as 0.
    assert rows_of(preview.doubtful) == [
        (8, "F列（涉案金额）是公式，文件中没有计算结果（请在 Excel/WPS 中打开、保存后再导入）")]
    assert [r.row for r in preview.readable] == [4, 5, 6]
    missing = {r.row: r.missing for r in preview.readable}
    assert missing == {4: ["处理结果", "处罚决定日期", "程序"], 5: ["处理结果", "程序"],
                       6: ["移送日期", "接收机关", "程序"]}
    import_ledger(desk, preview)
    rows = {r["name"]: r for r in case_rows(desk)}
    assert set(rows) == {"张某销售假冒注册商标的白酒案", "某药店假冒专利案", "刘某销售侵犯商标专用权的服装案"}
    zhang = rows["张某销售假冒注册商标的白酒案"]
    assert zhang["category"] == "商标侵权" and zhang["filed_date"] == "2021-03-05"
    assert zhang["amount_involved_fen"] == 1_234_550 and zhang["fine_fen"] == 500_000
    assert zhang["confiscated_fen"] == 100_000 and zhang["closed_date"] == "2021-06-10"
    pharmacy = rows["某药店假冒专利案"]
    assert pharmacy["filed_date"] == "2021-03-05" and pharmacy["closed_date"] == "2021-06-11"
    assert pharmacy["flag_ecommerce"] == 1 and pharmacy["category"] == "假冒专利"
    assert rows["刘某销售侵犯商标专用权的服装案"]["outcome"] == "移送司法机关"


def test_ledger_three_totals_names_and_amounts(desk, tmp_path):
    book = read_ledger(ledger_three(tmp_path / "l3.xlsx"))
    preview = preview_ledger(desk, book, fine_mapping(book, "G"))
    assert rows_of(preview.skipped) == [(5, "合计行"), (9, "合计行")]
    assert [r.row for r in preview.readable] == [2, 3, 4, 6]
    assert all(r.missing == [] for r in preview.readable)
    import_ledger(desk, preview)
    rows = {r["case_no"]: r for r in case_rows(desk)}
    assert rows["D-2023-01"]["amount_involved_fen"] == 1_200_000  # "1.2万元" in a 元 column
    assert rows["D-2023-01"]["fine_fen"] == 300_000
    assert rows["D-2023-03"]["name"] == "丁店商标侵权案（D-2023-03）"
    assert rows["D-2023-02"]["procedure"] == "行政裁决"
    assert rows[None]["name"] == "丙店地理标志案"


def test_edited_mapping_reruns_the_preview(desk, tmp_path):
    book = read_ledger(ledger_three(tmp_path / "l3.xlsx"))
    mapping = fine_mapping(book, "G")
    mapping[("Sheet1", 11)] = None  # 案件名称 not imported: names come from party and category
    preview = preview_ledger(desk, book, mapping)
    names = {r.row: r.record["name"] for r in preview.readable}
    assert names[2] == "甲公司商标侵权案（D-2023-01）"
    assert 4 not in names and (4, "无案件名称和案件编号") in rows_of(preview.unreadable)
    with pytest.raises(IpdeskError):
        preview_ledger(desk, book, {("Sheet1", 0): "no_such_field"})


def test_duplicate_against_database_is_reported_present(desk, tmp_path):
    desk.records.save("cases", {"name": "已有案件", "case_no": "鄂东市监立字[2022]2号", "category": "假冒专利",
                        "filed_date": "2022-03-07", "procedure": "一般程序"})
    preview = preview_ledger(desk, read_ledger(ledger_one(tmp_path / "l1.xlsx")))
    # Bracket forms 〔〕 and [] name the same case number.
    assert (6, "鄂东市监立字〔2022〕2号") in rows_of(preview.present)
    assert 6 not in [r.row for r in preview.readable]


def test_failure_in_the_middle_leaves_the_database_unchanged(desk, tmp_path):
    book = read_ledger(ledger_one(tmp_path / "l1.xlsx"))
    preview = preview_ledger(desk, book, fine_mapping(book, "J"))
    before = counts(desk)
    # A real SQLite failure on the third insert, not a mock.
    desk.db.execute("CREATE TRIGGER fail_third BEFORE INSERT ON cases WHEN NEW.case_no = '鄂东市监立字〔2022〕4号' "
                    "BEGIN SELECT RAISE(ABORT, 'injected failure'); END")
    with pytest.raises(Exception, match="injected failure"):
        import_ledger(desk, preview)
    assert counts(desk) == before
    desk.db.execute("DROP TRIGGER fail_third")
    assert import_ledger(desk, preview).imported == 4


def test_strict_refuses_the_whole_file(desk, tmp_path):
    preview = preview_ledger(desk, read_ledger(ledger_one(tmp_path / "l1.xlsx")))
    with pytest.raises(IpdeskError, match="严格模式"):
        import_ledger(desk, preview, strict=True)
    assert counts(desk)[0] == 0


def test_row_refused_at_write_time_names_its_excel_row(desk, tmp_path):
    book = read_ledger(ledger_three(tmp_path / "l3.xlsx"))
    preview = preview_ledger(desk, book, fine_mapping(book, "G"))
    # Someone saves the same case number between preview and confirmation.
    desk.records.save("cases", {"name": "抢先录入", "case_no": "D-2023-02", "category": "商标侵权",
                        "filed_date": "2023-01-06", "procedure": "一般程序"})
    before = counts(desk)
    with pytest.raises(IpdeskError, match="第3行"):
        import_ledger(desk, preview)
    assert counts(desk) == before


def test_row_changed_after_the_preview_is_checked_again(desk, tmp_path):
    """The import does not run the field rules again for a row as the preview checked it; a row edited since
    is checked again, and refused like any other."""
    book = read_ledger(ledger_three(tmp_path / "l3.xlsx"))
    preview = preview_ledger(desk, book, fine_mapping(book, "G"))
    row = next(r for r in preview.readable if r.row == 3)
    filed = row.record["filed_date"]
    row.record["closed_date"] = "2020-01-01"  # before it was filed
    before = counts(desk)
    with pytest.raises(IpdeskError, match=f"第3行：结案日期（2020-01-01）不能早于立案日期（{filed}）"):
        import_ledger(desk, preview)
    assert counts(desk) == before
    # An edit the rules accept is imported as edited.
    del row.record["closed_date"]
    row.record["handler"] = "改后的承办人"
    assert import_ledger(desk, preview).imported == 4
    assert desk.db.execute("SELECT handler FROM cases WHERE case_no = 'D-2023-02'").fetchone() == ("改后的承办人",)


def test_untrusted_files_are_refused_clearly(desk, tmp_path, monkeypatch):
    text = tmp_path / "notes.xlsx"
    text.write_text("案件名称,立案日期\n", encoding="utf-8")
    with pytest.raises(IpdeskError, match="不是 Excel 工作簿"):
        read_ledger(text)
    old = tmp_path / "old.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    with pytest.raises(IpdeskError, match="另存为"):
        read_ledger(old)
    other_zip = tmp_path / "other.xlsx"
    with zipfile.ZipFile(other_zip, "w") as zf:
        zf.writestr("readme.txt", "hello")
    with pytest.raises(IpdeskError, match="不是 Excel 工作簿"):
        read_ledger(other_zip)
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "x")
        zf.writestr("xl/worksheets/sheet1.xml", b"\0" * (L.MAX_UNCOMPRESSED_BYTES + 1))
    with pytest.raises(IpdeskError, match="解压后过大"):
        read_ledger(bomb)
    big = ledger_one(tmp_path / "big.xlsx")
    monkeypatch.setattr(L, "MAX_FILE_BYTES", 1000)
    with pytest.raises(IpdeskError, match="文件过大"):
        read_ledger(big)
    with pytest.raises(IpdeskError, match="文件不存在"):
        read_ledger(tmp_path / "missing.xlsx")


def test_workbook_without_header_and_sheet_choice(tmp_path):
    path = save([["随便写的"], ["一些", "数字", 1, 2]], tmp_path / "noheader.xlsx")
    with pytest.raises(IpdeskError, match="找不到台账的表头行"):
        read_ledger(path)
    header = ["案件名称", "立案号", "案件类别", "立案日期"]
    path = save([["说明页"]], tmp_path / "two.xlsx", sheet="说明",
                extra_sheets={"2022": [header, ["甲案", "A-1", "商标侵权", "2022-1-2"]],
                              "2023": [header, ["乙案", "B-1", "假冒专利", "2023-1-2"]]})
    book = read_ledger(path)
    assert [s.name for s in book.sheets] == ["2022", "2023"] and book.other_sheets == [("说明", "找不到台账表头")]
    assert [s.name for s in read_ledger(path, "2023").sheets] == ["2023"]
    assert read_ledger(path, "2023").sheets[0].rows[0][1][0] == "乙案"
    with pytest.raises(IpdeskError, match="没有名为“2024”的工作表（有：说明、2022、2023）"):
        read_ledger(path, "2024")


def test_many_rows_preview_reports_progress(desk, tmp_path):
    header = ["序号", "案件名称", "立案号", "案件类别", "立案日期", "程序"]
    rows = [header] + [[i, f"第{i}号案", f"N-{i}", "商标侵权", f"2024.{i % 12 + 1}.{i % 28 + 1}", "一般程序"]
                       for i in range(1, 1201)]
    book = read_ledger(save(rows, tmp_path / "big.xlsx"))
    seen = []
    preview = preview_ledger(desk, book, progress=lambda done, total: seen.append((done, total)))
    assert len(preview.readable) == 1200 and seen[-1] == (1200, 1200) and len(seen) > 3
    assert import_ledger(desk, preview).imported == 1200
    assert counts(desk)[0] == 1200


def test_uscc_helper_is_valid():
    from ipdesk.domain.identifiers import is_valid_uscc

    assert is_valid_uscc(valid_uscc(1))
