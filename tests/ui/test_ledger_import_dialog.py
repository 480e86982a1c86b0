"""导入原有台账 dialog on a real database: preview, editable mapping re-run, bad rows, confirm, import."""
from __future__ import annotations

import json

from ipdesk.ui.ledger_import import LedgerImportDialog
from ipdesk.ui.pages.cases import CasesPage

from tests.exchange.ledger_books import ledger_county, ledger_one, ledger_three, ledger_years
from .records_support import ctx  # noqa: F401  (fixture)


def cases(desk):
    return desk.db.execute("SELECT COUNT(*) FROM cases").fetchone()[0]


def items(widget):
    return [widget.item(i).text() for i in range(widget.count())]


def test_preview_shows_mapping_and_bad_rows(ctx, qtbot, tmp_path):
    dialog = LedgerImportDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.load(ledger_one(tmp_path / "台账.xlsx"))
    assert dialog.book.sheets[0].header_row == 4
    assert "表头未注明单位的金额按“万元”（第2行“金额单位：万元”）" in dialog.info_label.text()
    assert dialog.mapping_table.rowCount() == 14
    assert dialog.combo("I").currentText() == "涉案金额" and dialog.mapping_table.item(8, 1).text() == "案值"
    assert dialog.mapping_table.item(8, 3).text() == "万元"
    assert dialog.combo("J").currentText() == "罚没款合计（仅用于核对）"
    assert dialog.combo("A").currentData() is None  # 序号 is not imported
    assert items(dialog.unreadable_list) == [
        "第8行：不是知识产权案件（案件类别：食品安全）", "第10行：立案日期不存在：2022.13.45",
        "第11行：案件编号“鄂东市监立字〔2022〕1号”与第5行重复", "第12行：无案件名称和案件编号",
        "第14行：涉案金额无法识别：约两万"]
    assert [t.split("，")[0] for t in items(dialog.doubtful_list)] == ["第5行：只有罚没款合计（3000元）",
                                                                     "第6行：只有罚没款合计（2000元）"]
    assert dialog.readable_table.rowCount() == 2
    assert dialog.tabs.tabText(2) == "无法读取（5）" and dialog.tabs.tabText(3) == "存疑（2）"
    assert dialog.import_button.isEnabled() and dialog.import_button.isDefault()
    # The user says the column is 罚款: the two rows come in, and the totals say so before anything is written.
    dialog.set_mapping("J", "fine_fen")
    assert dialog.readable_table.rowCount() == 4
    assert dialog.readable_table.item(1, 6).text() == "处罚决定书文号、处罚决定日期、程序"
    assert items(dialog.pending_list)[0] == "第5行：某商贸公司销售侵犯注册商标专用权商品案　缺：处罚决定日期、程序"
    assert dialog.totals_label.text() == ("将导入：案件 4 件　涉案金额 24200.00 元　罚款 5000.00 元　"
                                          "没收违法所得 0.00 元　挽回经济损失 0.00 元")
    assert cases(ctx.desk) == 0


def test_hidden_rows_columns_and_sheets(ctx, qtbot, tmp_path):
    dialog = LedgerImportDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.load(ledger_county(tmp_path / "元宝山.xlsx"))
    assert dialog.mapping_table.item(0, 1).text() == "编号（隐藏列）" and dialog.combo("A").currentData() is None
    assert dialog.combo("A").toolTip() == "隐藏列：表头对应“立案号/案件编号”，默认不导入"
    assert items(dialog.hidden_list) == ["第6行：隐藏行：YB-002、赤元市监立字〔2023〕2号"]
    assert items(dialog.doubtful_list) == ["第7行：罚没款合计 20000元 ≠ 罚款 10000元 + 没收违法所得 5000元"]
    assert items(dialog.skipped_list) == ["第8行：合计行", "第10行：合计行"]
    assert "隐藏列未导入：A列（编号）" in dialog.error_label.text()
    dialog.hidden_check.setChecked(True)
    assert dialog.combo("A").toolTip() == "“立案号/案件编号”取B列（表头更确切或该列未隐藏）"
    assert items(dialog.hidden_list) == []
    assert items(dialog.unreadable_list) == ["第6行：案件编号“赤元市监立字〔2023〕2号”与第5行重复"]

    dialog.load(ledger_years(tmp_path / "分年.xlsx"))
    assert dialog.mapping_table.item(0, 0).text() == "2022 · A"
    text = dialog.info_label.text()
    assert "工作表“2022”：表头在第1行" in text and "工作表“作废”（隐藏的工作表）" in text
    assert "工作表“说明”未读取：找不到台账表头" in text
    assert dialog.readable_table.rowCount() == 4  # the hidden sheet is included while the box is ticked
    dialog.hidden_check.setChecked(False)
    assert [dialog.readable_table.item(r, 0).text() for r in range(3)] == ["2022 2", "2022 3", "2023 2"]


def test_changing_the_mapping_reruns_the_preview(ctx, qtbot, tmp_path):
    dialog = LedgerImportDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.load(ledger_one(tmp_path / "l1.xlsx"))
    dialog.set_mapping("J", "fine_fen")
    assert len(dialog.preview.unreadable) == 5
    # Column I (案值) is not imported any more: row 14's unreadable amount no longer matters.
    dialog.combo("I").setCurrentIndex(0)
    assert dialog.preview.mapping[("台账", 8)] is None
    assert 14 in [r.row for r in dialog.preview.readable]
    assert dialog.tabs.tabText(2) == "无法读取（4）"
    # 案由 mapped to 备注 instead: rows keep their numbers, names come from party and category.
    dialog.set_mapping("C", "remarks")
    names = [dialog.readable_table.item(r, 1).text() for r in range(dialog.readable_table.rowCount())]
    assert "东胜区某商贸有限公司商标侵权案（鄂东市监立字〔2022〕1号）" in names


def test_import_after_confirmation_then_reimport_adds_nothing(ctx, qtbot, tmp_path):
    page = CasesPage(ctx)
    qtbot.addWidget(page)
    asked = []
    dialog = page.import_ledger(ledger_three(tmp_path / "l3.xlsx"))
    dialog.set_mapping("G", "fine_fen")  # its 罚没款 column holds only 罚款
    dialog.ask = lambda text: asked.append(text) or False  # the user says no: nothing happens
    dialog.import_button.click()
    assert asked and "将导入 4 件案件（涉案金额 12500.00 元，罚款 3000.00 元，没收违法所得 0.00 元，挽回经济损失 0.00 元）" \
        in asked[0] and cases(ctx.desk) == 0
    seen = []
    ctx.ops.changed.connect(seen.append)
    dialog.ask = lambda text: True
    dialog.import_button.click()
    assert cases(ctx.desk) == 4
    assert seen and "cases" in seen[0].tables
    assert "已导入 4 件案件" in dialog.result_label.text()
    assert page.model.total == 4  # the ledger page refreshed itself
    # The preview re-ran: everything is now already in the database.
    assert dialog.tabs.tabText(5) == "已在数据库中（4）" and not dialog.import_button.isEnabled()
    dialog.load(ledger_three(tmp_path / "l3.xlsx"))
    assert dialog.preview.readable == [] and cases(ctx.desk) == 4


def test_incomplete_rows_are_marked(ctx, qtbot, tmp_path):
    dialog = LedgerImportDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.load(ledger_one(tmp_path / "l1.xlsx"))
    dialog.set_mapping("J", "fine_fen")
    dialog.ask = lambda text: "其中 3 件标记为“待补正”" in text
    dialog.import_button.click()
    marked = [json.loads(r[0]) for r in ctx.desk.db.execute("SELECT needs_completion FROM cases ORDER BY id")]
    assert marked == [["处罚决定日期", "程序"], ["处罚决定书文号", "处罚决定日期", "程序"], ["程序"], []]


def test_bad_file_is_refused_in_the_dialog(ctx, qtbot, tmp_path):
    bad = tmp_path / "bad.xlsx"
    bad.write_text("not a workbook", encoding="utf-8")
    dialog = LedgerImportDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.load(bad)
    assert "不是 Excel 工作簿" in dialog.error_label.text()
    assert not dialog.import_button.isEnabled() and dialog.choose_button.isEnabled()


def test_screenshot(ctx, qtbot, tmp_path):
    dialog = LedgerImportDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.load(ledger_one(tmp_path / "l1.xlsx"))
    dialog.show()
    image = dialog.grab()
    assert 600 < image.width() <= dialog.screen().availableGeometry().width()  # as wide as the screen allows
    image.save(str(tmp_path / "ledger_import.png"))
