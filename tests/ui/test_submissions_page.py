"""报送 page: approve with checks and explanations, export / re-send, reopen; city mode: import by
drag and drop, correction confirmation with its difference, completeness with late units, consolidation."""
from __future__ import annotations

import json
from datetime import date

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QTimer, QUrl
from PySide6.QtGui import QColor, QDropEvent
from PySide6.QtWidgets import QApplication

from ipdesk.demo import generate_demo
from ipdesk.desk import Desk
from ipdesk.domain import enums
from ipdesk.exchange import approval
from ipdesk.exchange.package import export_package, read_package
from ipdesk.ui.context import AppContext
from ipdesk.ui.pages.submissions import LATE_BACKGROUND, CorrectionDialog, SubmissionsPage

TODAY = date(2026, 11, 22)


def _office(tmp_path, code, name, parent, months=3, subordinates=False):
    desk = Desk.open(tmp_path / f"{code}.db", create=True, today=lambda: TODAY)
    desk.initialize(code, name, parent)
    if subordinates:
        from ipdesk.cli.core import _register_known_subordinates
        _register_known_subordinates(desk)
    if months:
        generate_demo(desk, months, int(code) % 13)
    return desk


@pytest.fixture
def offices(tmp_path):
    made = []

    def make(*a, **kw):
        made.append(_office(tmp_path, *a, **kw))
        return made[-1]
    yield make
    for d in made:
        d.close()


def _page(desk, ops, qtbot):
    page = SubmissionsPage(AppContext(desk, ops))
    ops.changed.connect(page.refresh)
    qtbot.addWidget(page)
    page.resize(1100, 750)
    page.show()
    page.set_period("2026-10")
    return page


def test_banner_approve_export_resend_reopen(offices, ops, qtbot, tmp_path):
    desk = offices("150602", "东胜区市场监督管理局", "150600")
    page = _page(desk, ops, qtbot)
    assert not page.tabs.isTabEnabled(1)  # no subordinate units: no city tab
    assert "可以审核" in page.state.text() and page.approve_button.isEnabled()
    # Nothing approved yet: the history says so (it was an empty box), and double-clicking that line does nothing.
    assert page.history.rowCount() == 1 and page.history.item(0, 0).text().startswith("还没有审核报送记录")
    page._history_activated(0, 0)
    assert page.period().code == "2026-10"
    qtbot.mouseClick(page.approve_button, Qt.LeftButton)
    assert desk.records.locked_periods() == ["2026-10"]
    assert page.history.rowSpan(0, 0) == 1 and page.history.item(0, 1).text() == "第1版"
    assert "已审核（第1版" in page.state.text() and page.export_button.isEnabled()
    page.export_package_to(tmp_path / "out.ipdx")
    assert read_package(tmp_path / "out.ipdx").manifest["period"] == "2026-10"
    assert page.export_button.text().startswith("重新发送")
    assert page.history.item(0, 4).text() != "未导出" and page.history.item(0, 6).text() == "有效"
    page.export_package_to(tmp_path / "again.ipdx")
    assert (tmp_path / "again.ipdx").read_bytes() == (tmp_path / "out.ipdx").read_bytes()
    page.reopen_with_reason("补录案件")
    assert desk.records.locked_periods() == [] and "已发起更正（补录案件）" in page.history.item(0, 6).text()
    assert page.approve_button.isEnabled()
    page.grab().save(str(tmp_path / "banner.png"))


def test_clerk_sees_approval_refused(offices, ops, qtbot):
    desk = offices("150602", "东胜区市场监督管理局", "150600")
    desk.office.add_user("李填报", enums.ROLE_CLERK, "pw-李填报", own_password="pw-admin")
    desk.user = "李填报"
    page = _page(desk, ops, qtbot)
    assert not page.approve_button.isEnabled() and "审核人" in page.approve_button.toolTip()
    page.approve()  # even if called, the core refuses
    assert "只有审核人或管理员" in page.message.text() and desk.records.locked_periods() == []


def test_approval_asks_the_approvers_password(offices, ops, qtbot):
    """At a shared PC whoever finds the window open cannot approve in the reviewer's name."""
    desk = offices("150602", "东胜区市场监督管理局", "150600")
    desk.office.add_user("王审核", enums.ROLE_REVIEWER, "pw-wang", own_password="pw-admin")
    assert desk.office.login("王审核", "pw-wang")
    page = _page(desk, ops, qtbot)
    asked = []
    answers = iter([None, "guess", "pw-wang"])

    def ask(prompt):
        asked.append(prompt)
        return next(answers)
    page.ask_password = ask
    assert page.approve_button.isEnabled()
    qtbot.mouseClick(page.approve_button, Qt.LeftButton)  # 取消 in the password box: nothing happens
    assert "“王审核”的密码" in asked[0] and "2026年10月" in asked[0]
    assert desk.records.locked_periods() == [] and page.message.text() == ""
    qtbot.mouseClick(page.approve_button, Qt.LeftButton)  # a wrong password: refused, said, nothing locked
    assert "密码不正确" in page.message.text() and desk.records.locked_periods() == []
    assert approval.active_submission(desk, "2026-10") is None
    qtbot.mouseClick(page.approve_button, Qt.LeftButton)
    assert desk.records.locked_periods() == ["2026-10"] and len(asked) == 3
    assert approval.active_submission(desk, "2026-10")["approved_by"] == "王审核"


def _drop(page, paths):
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    event = QDropEvent(QPointF(10, 10), Qt.CopyAction, mime, Qt.LeftButton, Qt.NoModifier)
    page.dropEvent(event)


def test_city_import_correction_completeness_and_approval(offices, ops, qtbot, tmp_path):
    east = offices("150602", "东胜区市场监督管理局", "150600")
    approval.approve(east, "2026-10")
    export_package(east, "2026-10", tmp_path / "r1.ipdx")
    junk = tmp_path / "junk.ipdx"
    junk.write_bytes(b"garbage")
    city = offices("150600", "鄂尔多斯市市场监督管理局", "150000", months=0, subordinates=True)
    page = _page(city, ops, qtbot)
    assert page.tabs.isTabEnabled(1)
    _drop(page, [tmp_path / "r1.ipdx", junk])
    assert [page.results.item(i).text().split("：")[1] for i in range(2)] == ["接收", "拒收"]
    assert page.results.item(1).foreground().color() == QColor("#c62828")
    assert page.units.rowCount() == 9
    row = {page.units.item(r, 0).text(): r for r in range(9)}
    assert page.units.item(row["150602"], 2).text() == "逾期报送"  # exported 11-22, after the 20th
    assert page.units.item(row["150627"], 2).text() == "逾期未报"
    assert page.units.item(row["150627"], 1).background().color() == QColor(LATE_BACKGROUND)
    assert "已报 1" in page.summary.text()

    # A correction: the difference is shown and must be accepted.
    approval.reopen(east, "2026-10", "管理员", "补录")
    east.records.save("work_items", {"date": "2026-10-12", "kind": "维权援助", "count_a": 3})
    approval.approve(east, "2026-10")
    export_package(east, "2026-10", tmp_path / "r2.ipdx")
    seen = {}

    def accept_dialog():
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, CorrectionDialog)
        seen["rows"] = [dialog.table.item(r, 0).text() for r in range(dialog.table.rowCount())]
        dialog.accept()
    QTimer.singleShot(0, accept_dialog)
    page.import_files([str(tmp_path / "r2.ipdx")])
    assert any("维权援助" in r for r in seen["rows"])
    assert "更正替换" in page.results.item(0).text()
    assert page.units.item(row["150602"], 5).text().startswith("已更正")

    # The city approves its consolidated month after explaining each missing unit.
    assert not page.approve_button.isEnabled()
    warnings = [r for r in range(page.checks.rowCount()) if page.checks.item(r, 0).text() == "警告"]
    assert len(warnings) == 8
    for r in warnings:
        page.checks.item(r, 2).setText("延期报送，已电话催报")
    assert len(city.explanations.for_period("2026-10")) == 8
    assert page.approve_button.isEnabled()
    page.approve()
    assert approval.active_submission(city, "2026-10") is not None
    page.write_consolidated("json", tmp_path / "cons.json")
    cons = json.loads((tmp_path / "cons.json").read_text(encoding="utf-8"))
    assert next(c for c in cons["annex1"]["cells"] if c["id"] == "C.assistance")["current"] == \
        east.figures.annex1("2026-10").value("C.assistance")
    page.write_bulletin("json", tmp_path / "bulletin.json")
    assert json.loads((tmp_path / "bulletin.json").read_text(encoding="utf-8"))["period"] == "2026-B5"
    page.tabs.setCurrentIndex(1)
    page.grab().save(str(tmp_path / "city.png"))


def test_city_imports_a_filled_excel_form_by_drag_and_drop(offices, ops, qtbot, tmp_path):
    from ipdesk.reports.export import write_table

    banner = offices("150626", "乌审旗市场监督管理局", "150600")
    write_table(banner, banner.figures.annex1("2026-10"), "xlsx", tmp_path / "乌审旗10月.xlsx")
    city = offices("150600", "鄂尔多斯市市场监督管理局", "150000", months=0, subordinates=True)
    page = _page(city, ops, qtbot)
    _drop(page, [tmp_path / "乌审旗10月.xlsx"])
    assert page.results.item(0).text().split("：")[1] == "接收"
    row = {page.units.item(r, 0).text(): r for r in range(page.units.rowCount())}
    assert page.units.item(row["150626"], 2).text() != "逾期未报"


def test_city_refuses_a_blank_excel_form_dropped_on_the_page(offices, ops, qtbot, tmp_path):
    """The GUI's import of a form nobody filled in: refused with the reason in red, the unit still 未报."""
    from ipdesk.reports.export import write_annex1_form

    city = offices("150600", "鄂尔多斯市市场监督管理局", "150000", months=0, subordinates=True)
    write_annex1_form(tmp_path / "乌审旗空表.xlsx", {"code": "150626", "name": "乌审旗市场监督管理局"}, "2026-10")
    page = _page(city, ops, qtbot)
    _drop(page, [tmp_path / "乌审旗空表.xlsx"])
    item = page.results.item(0)
    assert item.text().split("：")[1].startswith("拒收") and "表格中没有填写任何数字" in item.text()
    assert item.foreground().color() == QColor("#c62828")
    from ipdesk.exchange.receive import received_rows
    assert received_rows(city, "2026-10") == []


def test_city_previews_consolidated_table_and_bulletin(offices, ops, qtbot):
    city = offices("150600", "鄂尔多斯市市场监督管理局", "150000", months=2, subordinates=True)
    page = _page(city, ops, qtbot)
    page.preview_consolidated_button.click()
    dialog = page.last_preview
    assert dialog is not None and dialog.page_count() >= 2 and "汇总表预览" in dialog.windowTitle()
    dialog.close()
    page.preview_bulletin_button.click()
    assert page.last_preview is not dialog and page.last_preview.page_count() >= 1
    assert "通报预览" in page.last_preview.windowTitle()
    page.last_preview.close()
