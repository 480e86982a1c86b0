"""The case form on real widgets over a real database: keyboard entry, edits, refusals on the
right field with nothing written, 待补正, 中止/延期 and the time limit, completion, undo."""
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QMessageBox

from ipdesk.ui.pages.cases import CasesPage

from .records_support import case_raw, ctx, focused, new_form, show_active, type_text, uscc  # noqa: F401


def tab(qtbot):
    qtbot.keyClick(focused(), Qt.Key_Tab)


def test_add_a_case_entirely_by_keyboard(ctx, qtbot):
    page = CasesPage(ctx)
    qtbot.addWidget(page)
    form = page.new_case()
    qtbot.addWidget(form)
    show_active(qtbot, form)
    e = form.editors
    assert focused() is e["name"].widget
    type_text(focused(), "东胜区朝阳商行涉嫌销售侵犯注册商标专用权商品案")
    tab(qtbot)
    assert focused() is e["case_no"].widget
    type_text(focused(), "东市监立字〔2026〕88号")
    tab(qtbot)
    qtbot.keyClick(focused(), Qt.Key_Down)  # 案件类别: the first category
    tab(qtbot)
    qtbot.keyClick(focused(), Qt.Key_Down)  # 案源: 检查发现
    tab(qtbot)
    qtbot.keyClick(focused(), Qt.Key_Down)
    qtbot.keyClick(focused(), Qt.Key_Down)  # 程序: 一般程序
    tab(qtbot)
    type_text(focused(), "张瑞")
    tab(qtbot)
    type_text(focused(), "东胜区朝阳商行")
    tab(qtbot)
    assert focused() is e["party_kind"].widget
    qtbot.keyClick(focused(), Qt.Key_Down)  # 当事人类型: 单位 (its code is checked as a USCC)
    assert e["party_kind"].value() == "单位"
    tab(qtbot)
    assert focused() is e["party_id_no"].widget
    qtbot.keyClicks(focused(), uscc(42))
    assert "校验通过" in form.messages["party_id_no"].text()
    # Tab walks the rest of the form in field order up to 线索登记日期.
    visited = []
    while focused() is not e["lead_date"].widget and len(visited) < 20:
        tab(qtbot)
        visited.append(focused().objectName() or focused().text())
    assert visited == ["party_address", "right_holder", "ip_object", "goods", "facts", "violation_provision",
                       "flag_ecommerce", "flag_key_market", "flag_rural", "flag_foreign", "lead_date"]
    qtbot.keyClicks(focused(), "2026-11-02")
    tab(qtbot)
    tab(qtbot)
    assert focused() is e["filed_date"].widget
    qtbot.keyClicks(focused(), "20261105")
    qtbot.keyClick(focused(), Qt.Key_Return)  # Enter saves

    assert form.result() == QDialog.Accepted
    case = ctx.desk.records.list_cases()[0]
    assert (case["name"], case["case_no"], case["category"], case["source"], case["procedure"], case["handler"],
            case["party_name"], case["party_id_no"], case["lead_date"], case["filed_date"]) == (
        "东胜区朝阳商行涉嫌销售侵犯注册商标专用权商品案", "东市监立字〔2026〕88号", "商标侵权", "检查发现", "一般程序",
        "张瑞", "东胜区朝阳商行", uscc(42), "2026-11-02", "2026-11-05")
    assert page.model.total == 1 and page.selected_id() == case["id"]  # the ledger shows and selects it
    assert ctx.desk.records.undo_label() == "撤销 新增案件 东胜区朝阳商行涉嫌销售侵犯注册商标专用权商品案"


def test_edit_a_case_then_undo(ctx, qtbot):
    desk = ctx.desk
    case_id = desk.records.save("cases", case_raw(1)).record_id
    form = new_form(ctx, qtbot, case_id)
    assert form.editors["filed_date"].value() == "2026-03-05"
    address = form.editors["party_address"].widget
    address.setFocus()
    type_text(address, "东胜区天骄北路8号")
    recovered = form.editors["recovered_fen"].widget
    recovered.setFocus()
    qtbot.keyClicks(recovered, "1234.5")
    qtbot.keyClick(recovered, Qt.Key_Return)
    assert form.result() == QDialog.Accepted
    case = desk.records.get_case(case_id)
    assert case["party_address"] == "东胜区天骄北路8号" and case["recovered_fen"] == 123450
    assert desk.records.undo_label() == f"撤销 修改案件 {case_raw(1)['name']}"
    ctx.ops.run(desk.records.undo_last)
    case = desk.records.get_case(case_id)
    assert case["party_address"] is None and case["recovered_fen"] == 0


def test_bad_uscc_is_flagged_as_typed_and_refused_on_save(ctx, qtbot):
    form = new_form(ctx, qtbot)
    form.editors["name"].set_value("测试案")
    form.editors["category"].set_value("商标侵权")
    form.editors["lead_date"].set_value("2026-11-01")
    edit = form.editors["party_id_no"].widget
    edit.setFocus()
    good = uscc(7)
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    qtbot.keyClicks(edit, bad[:10])
    assert form.messages["party_id_no"].text() == "已输入10位，共18位"
    qtbot.keyClicks(edit, bad[10:])
    assert "校验位不正确" in form.messages["party_id_no"].text()
    form.editors["name"].widget.setFocus()
    qtbot.keyClick(form.editors["name"].widget, Qt.Key_Return)
    assert form.isVisible() and form.result() != QDialog.Accepted
    assert "校验位不正确" in form.messages["party_id_no"].text()
    assert focused() is edit  # the first wrong field
    assert ctx.desk.records.count_cases() == 0


def test_dates_out_of_order_message_on_the_later_date(ctx, qtbot):
    form = new_form(ctx, qtbot)
    for name, value in (("name", "日期颠倒案"), ("category", "假冒专利"), ("procedure", "简易程序"),
                        ("lead_date", "2026-11-10"), ("filed_date", "2026-11-01")):
        form.editors[name].set_value(value)
    form.save()
    assert form.messages["filed_date"].isVisibleTo(form)
    assert form.messages["filed_date"].text() == "立案日期（2026-11-01）不能早于线索登记日期（2026-11-10）"
    assert not form.messages["lead_date"].isVisibleTo(form)
    assert focused() is form.editors["filed_date"].widget
    assert "标红" in form.banner.text()
    assert ctx.desk.records.count_cases() == 0


def test_fine_without_decision_number_refused(ctx, qtbot):
    desk = ctx.desk
    case_id = desk.records.save("cases", case_raw(2)).record_id
    before = desk.records.get_case(case_id)
    form = new_form(ctx, qtbot, case_id)
    fine = form.editors["fine_fen"].widget
    fine.setFocus()
    qtbot.keyClicks(fine, "5000")
    qtbot.keyClick(fine, Qt.Key_Return)
    assert form.result() != QDialog.Accepted
    assert form.messages["decision_no"].text() == "有罚没款的案件须填写处罚决定书文号"
    assert form.messages["decision_date"].text() == "有罚没款的案件须填写处罚决定日期"
    assert focused() is form.editors["decision_date"].widget  # 日期 comes before 处理结果 on the form
    assert desk.records.get_case(case_id) == before  # nothing written
    # Completing both saves.
    form.editors["decision_no"].widget.setText("东市监处罚〔2026〕5号")
    form.editors["decision_date"].set_value("2026-03-20")
    form.save()
    assert form.result() == QDialog.Accepted and desk.records.get_case(case_id)["fine_fen"] == 500000


def test_escape_cancels_without_writing(ctx, qtbot, monkeypatch):
    untouched = new_form(ctx, qtbot)
    qtbot.keyClick(focused(), Qt.Key_Escape)  # nothing typed: closes at once
    assert not untouched.isVisible() and untouched.result() == QDialog.Rejected
    form = new_form(ctx, qtbot)
    type_text(focused(), "不要保存的案件")
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a[2]) or QMessageBox.No)
    qtbot.keyClick(focused(), Qt.Key_Escape)
    assert form.isVisible() and "尚未保存" in asked[0]  # typing is not thrown away without asking
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.Yes)
    qtbot.keyClick(focused(), Qt.Key_Escape)
    assert not form.isVisible() and form.result() == QDialog.Rejected
    assert ctx.desk.records.count_cases() == 0


def test_pending_items_highlighted_and_cleared_by_completing(ctx, qtbot):
    desk = ctx.desk
    raw = case_raw(3, closed_date="2026-04-01")  # closed without 处理结果: an imported case
    case_id = desk.records.save("cases", raw, needs_completion=["处理结果"]).record_id
    form = new_form(ctx, qtbot, case_id)
    assert form.pending_label.isVisibleTo(form) and "处理结果" in form.pending_label.text()
    assert "待补正" in form.labels["outcome"].text()
    assert "background" in form.editors["outcome"].widget.styleSheet()
    assert "待补正" not in form.labels["decision_no"].text()
    form.editors["outcome"].set_value("作出行政处罚")
    form.editors["penalty_kinds"].set_value(["警告"])
    form.save()
    case = desk.records.get_case(case_id)
    assert case["needs_completion"] == [] and case["penalty_kinds"] == ["警告"]


def test_time_limit_shown_and_moved_by_extension(ctx, qtbot):
    desk = ctx.desk  # today 2026-11-22; filed 2026-08-29 + 90 days = 2026-11-27
    case_id = desk.records.save("cases", case_raw(4, procedure="一般程序", filed_date="2026-08-29",
                                          lead_date="2026-08-28")).record_id
    form = new_form(ctx, qtbot, case_id)
    assert "剩余5天" in form.deadline_label.text() and "ffd966" in form.deadline_label.styleSheet()
    dialog = form.add_adjustment("延期")
    qtbot.addWidget(dialog)
    dialog.save()  # no reason
    assert dialog.messages["reason"].text() == "请填写原因" and desk.limits.adjustments(case_id) == []
    type_text(dialog.reason, "案情复杂，经负责人批准延长办案期限")
    dialog.save()
    assert dialog.result() == QDialog.Accepted
    # 120 days end on Sunday 2026-12-27: the limit ends on the next working day, 12-28.
    assert "剩余36天" in form.deadline_label.text() and "2026-12-28" in form.deadline_label.text()
    assert "延期" in form.adjustment_list.item(0).text() and "案情复杂" in form.adjustment_list.item(0).text()
    assert desk.records.undo_label() == f"撤销 延期案件 {case_raw(4)['name']}"


def test_live_time_limit_and_completion_from_earlier_entries(ctx, qtbot):
    ctx.desk.records.save("cases", case_raw(5, party_name="鄂尔多斯市朝阳商贸有限公司", right_holder="耐克创新有限合伙公司"))
    form = new_form(ctx, qtbot)
    completer = form.editors["party_name"].widget.completer()
    assert "鄂尔多斯市朝阳商贸有限公司" in completer.model().stringList()
    assert form.editors["right_holder"].widget.completer() is not None
    assert form.editors["name"].widget.completer() is None  # only fields marked complete=True
    form.editors["lead_date"].set_value("2026-11-20")
    assert "15个工作日" in form.deadline_label.text() and "线索" in form.status_label.text()
    form.editors["filed_date"].set_value("2026-11-21")
    form.editors["procedure"].set_value("一般程序")
    # 2027 has no holiday data here: the due date is marked 估算.
    assert "剩余89天" in form.deadline_label.text() and "估算" in form.deadline_label.text()
    assert "已立案" in form.status_label.text()


def test_money_and_enumerations_come_from_the_field_list(ctx, qtbot):
    from ipdesk.domain import fields as F

    form = new_form(ctx, qtbot)
    assert set(form.editors) == {f.name for f in F.CASE_FIELDS}
    for f in F.CASE_FIELDS:
        if f.kind == F.ENUM:
            combo = form.editors[f.name].widget
            assert [combo.itemText(i) for i in range(1, combo.count())] == list(f.choices)
        if f.kind != F.FLAG:
            assert form.labels[f.name].text().startswith(f.label)
    assert [b.text() for b in form.editors["penalty_kinds"].widget.boxes] == list(F.CASE_FIELD_MAP["penalty_kinds"].choices)
    fine = form.editors["fine_fen"].widget
    fine.setFocus()
    qtbot.keyClicks(fine, "12.345")  # a third decimal is not accepted
    assert fine.text() == "12.34"
