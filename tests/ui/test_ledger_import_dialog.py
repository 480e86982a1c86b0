"""导入原有台账 dialog on a real database: preview, editable mapping re-run, bad rows, confirm, import."""
from __future__ import annotations

import json

from ipdesk.ui.ledger_import import LedgerImportDialog
from ipdesk.ui.pages.cases import CasesPage

from tests.exchange.ledger_books import ledger_one, ledger_three
from .records_support import ctx  # noqa: F401  (fixture)


def cases(desk):
    return desk.db.execute("SELECT COUNT(*) FROM cases").fetchone()[0]


def test_preview_shows_mapping_and_bad_rows(ctx, qtbot, tmp_path):
    dialog = LedgerImportDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.load(ledger_one(tmp_path / "台账.xlsx"))
    assert dialog.sheet.header_row == 4
    assert dialog.mapping_table.rowCount() == 14
    combo_i = dialog.combos[8]
    assert combo_i.currentText() == "涉案金额" and dialog.mapping_table.item(8, 1).text() == "案值"
    assert dialog.combos[0].currentData() is None  # 序号 is not imported
    items = [dialog.unreadable_list.item(i).text() for i in range(dialog.unreadable_list.count())]
    assert items == ["第8行：不是知识产权案件（案件类别：食品安全）", "第10行：立案日期不存在：2022.13.45",
                     "第11行：案件编号“鄂东市监立字〔2022〕1号”与第5行重复", "第12行：无案件名称和案件编号",
                     "第14行：涉案金额无法识别：约两万"]
    assert dialog.readable_table.rowCount() == 4
    assert dialog.readable_table.item(1, 6).text() == "处罚决定书文号、处罚决定日期、程序"
    assert dialog.tabs.tabText(1) == "无法读取（5）"
    assert dialog.import_button.isEnabled() and dialog.import_button.isDefault()
    assert cases(ctx.desk) == 0


def test_changing_the_mapping_reruns_the_preview(ctx, qtbot, tmp_path):
    dialog = LedgerImportDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.load(ledger_one(tmp_path / "l1.xlsx"))
    assert len(dialog.preview.unreadable) == 5
    # Column I (案值) is not imported any more: row 14's unreadable amount no longer matters.
    dialog.combos[8].setCurrentIndex(0)
    assert dialog.preview.mapping[8] is None
    assert 14 in [r.row for r in dialog.preview.readable]
    assert dialog.tabs.tabText(1) == "无法读取（4）"
    # 案由 mapped to 备注 instead: rows keep their numbers, names come from party and category.
    dialog.set_mapping(2, "remarks")
    names = [dialog.readable_table.item(r, 1).text() for r in range(dialog.readable_table.rowCount())]
    assert "东胜区某商贸有限公司商标侵权案（鄂东市监立字〔2022〕1号）" in names


def test_import_after_confirmation_then_reimport_adds_nothing(ctx, qtbot, tmp_path):
    page = CasesPage(ctx)
    qtbot.addWidget(page)
    asked = []
    dialog = page.import_ledger(ledger_three(tmp_path / "l3.xlsx"))
    dialog.ask = lambda text: asked.append(text) or False  # the user says no: nothing happens
    dialog.import_button.click()
    assert asked and "将导入 4 件案件" in asked[0] and cases(ctx.desk) == 0
    seen = []
    ctx.ops.changed.connect(seen.append)
    dialog.ask = lambda text: True
    dialog.import_button.click()
    assert cases(ctx.desk) == 4
    assert seen and "cases" in seen[0].tables
    assert "已导入 4 件案件" in dialog.result_label.text()
    assert page.model.total == 4  # the ledger page refreshed itself
    # The preview re-ran: everything is now already in the database.
    assert dialog.tabs.tabText(2) == "已在数据库中（4）" and not dialog.import_button.isEnabled()
    dialog.load(ledger_three(tmp_path / "l3.xlsx"))
    assert dialog.preview.readable == [] and cases(ctx.desk) == 4


def test_incomplete_rows_are_marked(ctx, qtbot, tmp_path):
    dialog = LedgerImportDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.load(ledger_one(tmp_path / "l1.xlsx"))
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
