"""The record pages inside the main window: the shell's 撤销 undoes a form's save and the ledger follows."""
from PySide6.QtWidgets import QDialog

from ipdesk.ui.models.case_table import COLUMNS


def test_shell_undo_reverts_a_case_edit_and_the_ledger_follows(window, qtbot):
    desk = window.ctx.desk
    page = window.navigate("cases")
    page.search.setText("")
    page.apply_filter()
    case = page.model.rows[0]
    form = page.open_case(case["id"])
    qtbot.addWidget(form)
    form.editors["party_name"].set_value("改过的当事人")
    form.save()
    assert form.result() == QDialog.Accepted
    name_col = next(i for i, c in enumerate(COLUMNS) if c.key == "party_name")
    row = page.model.row_of(case["id"])
    assert page.model.data(page.model.index(row, name_col)) == "改过的当事人"
    assert window.undo_action.isEnabled() and window.undo_action.text() == f"撤销 修改案件 {case['name']}"
    window.undo_action.trigger()
    assert desk.records.get_case(case["id"])["party_name"] == case["party_name"]
    row = page.model.row_of(case["id"])
    assert page.model.data(page.model.index(row, name_col)) == case["party_name"]


def test_inspection_filed_as_case_shows_in_the_ledger(window, qtbot):
    insp = window.navigate("inspections")
    free = next(r for r in insp.model.rows if not r.get("case_id"))
    insp.select_record(free["id"])
    form = insp.file_case()
    qtbot.addWidget(form)
    form.editors["name"].set_value("由检查发现的测试案")
    form.editors["category"].set_value("商标侵权")
    form.save()
    assert form.result() == QDialog.Accepted
    cases = window.navigate("cases")
    cases.search.setText("由检查发现的测试案")
    cases.apply_filter()
    assert cases.model.total == 1 and cases.model.rows[0]["inspection_id"] == free["id"]
    assert window.undo_action.text() == "撤销 新增案件 由检查发现的测试案"
