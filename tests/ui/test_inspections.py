"""检查记录 and 其他工作 pages on a real database: entry through the form, search, 立案 from an inspection
(pre-filled, linked both ways, one undoable step), work-item count labels following the kind."""
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from ipdesk.ui.inspection_form import InspectionForm
from ipdesk.ui.pages.inspections import InspectionsPage
from ipdesk.ui.pages.work_items import WorkItemsPage
from ipdesk.ui.work_item_form import WorkItemForm

from .records_support import ctx, focused, show_active, type_text, uscc  # noqa: F401


def inspection_raw(**changes):
    raw = {"date": "2026-11-18", "kind": "专项检查", "campaign": "铁拳", "place_kind": "农村市场",
           "subject_name": "东胜区朝阳商行", "subject_id_no": uscc(3), "subject_address": "东胜区罕台镇",
           "subject_count": 1, "officers": 4, "findings": "发现涉嫌侵犯“伊利”注册商标专用权的乳制品12箱"}
    raw.update(changes)
    return raw


def test_add_inspection_through_the_form(ctx, qtbot):
    page = InspectionsPage(ctx)
    qtbot.addWidget(page)
    form = page.new_record()
    qtbot.addWidget(form)
    show_active(qtbot, form)
    e = form.editors
    assert focused() is e["date"].widget and e["date"].value() == "2026-11-22"  # starts at today
    e["date"].set_value("2026-11-19")
    e["kind"].set_value("日常巡查")
    e["place_kind"].set_value("商场超市")
    e["subject_name"].widget.setFocus()
    type_text(focused(), "东胜区万家超市")
    e["subject_id_no"].widget.setFocus()
    qtbot.keyClicks(focused(), "91150602MA0N1234X5")
    assert "校验位不正确" in form.messages["subject_id_no"].text()
    qtbot.keyClick(focused(), Qt.Key_Return)
    assert form.result() != QDialog.Accepted and ctx.desk.records.count_records("inspections") == 0
    assert focused() is e["subject_id_no"].widget
    e["subject_id_no"].widget.setText(uscc(9))
    e["officers"].widget.setFocus(Qt.TabFocusReason)  # as Tab gives it: the 0 is selected
    qtbot.keyClicks(focused(), "3")
    qtbot.keyClick(focused(), Qt.Key_Return)
    assert form.result() == QDialog.Accepted
    row = ctx.desk.records.list_records("inspections")[0]
    assert (row["date"], row["kind"], row["place_kind"], row["subject_name"], row["officers"]) == (
        "2026-11-19", "日常巡查", "商场超市", "东胜区万家超市", 3)
    assert page.model.total == 1 and page.selected_id() == row["id"]
    assert ctx.desk.records.undo_label() == "撤销 新增检查记录 东胜区万家超市"


def test_inspection_search_and_filters(ctx, qtbot):
    desk = ctx.desk
    desk.records.save("inspections", inspection_raw())
    desk.records.save("inspections", inspection_raw(subject_name="东胜区万家超市", kind="日常巡查", date="2025-05-05"))
    page = InspectionsPage(ctx)
    qtbot.addWidget(page)
    assert page.model.total == 2
    type_text(page.search, "朝阳")
    qtbot.waitUntil(lambda: page.model.text == "朝阳")
    assert [r["subject_name"] for r in page.model.rows] == ["东胜区朝阳商行"]
    page.search.clear()
    page.apply_filter()
    page.year.setCurrentIndex(page.year.findData(2025))
    assert [r["subject_name"] for r in page.model.rows] == ["东胜区万家超市"]
    page.year.setCurrentIndex(0)
    page.kind.setCurrentIndex(page.kind.findData("专项检查"))
    assert page.model.total == 1 and "共 1 条" in page.count_label.text()


def test_file_a_case_from_an_inspection(ctx, qtbot):
    desk = ctx.desk
    inspection_id = desk.records.save("inspections", inspection_raw()).record_id
    page = InspectionsPage(ctx)
    qtbot.addWidget(page)
    page.table.selectRow(0)
    form = page.file_case()
    qtbot.addWidget(form)
    e = form.editors
    assert e["lead_date"].value() == "2026-11-18"
    assert e["party_name"].value() == "东胜区朝阳商行" and e["party_id_no"].value() == uscc(3)
    assert e["party_address"].value() == "东胜区罕台镇" and e["source"].value() == "检查发现"
    assert e["flag_rural"].value() == 1 and "伊利" in e["facts"].value()
    assert "由检查记录立案" in form.windowTitle()
    e["name"].set_value("东胜区朝阳商行涉嫌销售侵犯注册商标专用权商品案")
    e["category"].set_value("商标侵权")
    form.save()
    assert form.result() == QDialog.Accepted
    inspection = desk.records.get_record("inspections", inspection_id)
    case = desk.records.get_case(inspection["case_id"])
    assert case["inspection_id"] == inspection_id and case["source"] == "检查发现"
    row = page.model.row_of(inspection_id)
    assert page.model.data(page.model.index(row, len(page.model.columns) - 1)) == "已立案"
    # Opening the inspection shows the case and no second 立案.
    again = InspectionForm(ctx, inspection_id)
    qtbot.addWidget(again)
    assert case["name"] in again.case_label.text() and not again.file_button.isEnabled()
    # One step undoes both the case and the link.
    assert desk.records.undo_label() == f"撤销 新增案件 {case['name']}"
    ctx.ops.run(desk.records.undo_last)
    assert desk.records.count_cases() == 0 and desk.records.get_record("inspections", inspection_id)["case_id"] is None


def test_work_item_count_labels_follow_the_kind(ctx, qtbot):
    form = WorkItemForm(ctx)
    qtbot.addWidget(form)
    show_active(qtbot, form)
    kind = form.editors["kind"]
    kind.set_value("宣传活动")
    assert form.labels["count_a"].text() == "场次" and form.labels["count_b"].text() == "参与人次"
    assert form.cells["count_b"].isVisibleTo(form)
    form.editors["count_b"].set_value(5)
    kind.set_value("司法确认")
    assert form.labels["count_a"].text() == "确认（件）"
    assert not form.cells["count_b"].isVisibleTo(form) and form.editors["count_b"].value() == 0
    kind.set_value("非正常专利申请核查")
    assert (form.labels["count_a"].text(), form.labels["count_b"].text()) == ("核查（件）", "撤回（件）")


def test_work_item_refused_on_the_right_count_then_saved(ctx, qtbot):
    page = WorkItemsPage(ctx)
    qtbot.addWidget(page)
    form = page.new_record()
    qtbot.addWidget(form)
    show_active(qtbot, form)
    form.editors["kind"].set_value("行政调解")
    form.editors["count_a"].set_value(2)
    form.editors["count_b"].set_value(3)
    form.editors["title"].widget.setFocus()
    type_text(focused(), "商标纠纷调解")
    qtbot.keyClick(focused(), Qt.Key_Return)
    assert form.messages["count_b"].text() == "调解成功（件）不能大于受理（件）"
    assert focused() is form.editors["count_b"].widget and ctx.desk.records.count_records("work_items") == 0
    form.editors["count_b"].set_value(1)
    form.save()
    assert form.result() == QDialog.Accepted
    row = page.model.rows[0]
    assert (row["kind"], row["title"], row["count_a"], row["count_b"]) == ("行政调解", "商标纠纷调解", 2, 1)
    assert page.model.data(page.model.index(0, 3)) == "受理（件）：2"


def test_deleting_its_case_and_undo_show_on_the_inspection(window, demo_desk, ops, monkeypatch):
    """Through the shell: deleting a case filed from an inspection unlinks it on the 检查记录 page, and 撤销
    links it again (the delete's foreign-key changes are part of the undoable step)."""
    from PySide6.QtWidgets import QMessageBox

    iid = demo_desk.records.save("inspections", inspection_raw(date="2026-11-21")).record_id
    cid = demo_desk.records.file_case_from_inspection(iid, {"name": "东胜区朝阳商行涉嫌商标侵权案", "category": "商标侵权",
                                                    "procedure": "一般程序", "filed_date": "2026-11-21"}).record_id
    inspections = window.navigate("inspections")
    inspections.refresh()

    def link():
        model = inspections.model
        return model.data(model.index(model.row_of(iid), len(model.columns) - 1))
    assert link() == "已立案"
    cases = window.navigate("cases")
    cases.refresh()
    cases.select_case(cid)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.Yes)
    cases.delete_selected()
    assert demo_desk.records.get_record("inspections", iid)["case_id"] is None
    window.navigate("inspections")  # refreshed on show with the changes it missed
    assert link() == ""
    assert window.undo_action.text() == "撤销 删除案件 东胜区朝阳商行涉嫌商标侵权案"
    window.undo_action.trigger()
    assert link() == "已立案" and demo_desk.records.get_case(cid)["inspection_id"] == iid


def test_a_list_page_must_say_what_it_lists():
    from ipdesk.ui.pages.record_list import RecordListPage

    with pytest.raises(TypeError, match="must define TABLE and columns"):
        class Nameless(RecordListPage):
            WHAT = "事项"
    with pytest.raises(TypeError, match="must define columns"):
        class NoColumns(RecordListPage):
            TABLE = "work_items"


@pytest.mark.parametrize("page_class", [InspectionsPage, WorkItemsPage])
def test_list_headers_are_not_clipped(ctx, qtbot, page_class):
    """“检查主体（户次）/监测店铺链接数” showed as “（户次）/监测店” in a 90-pixel column."""
    page = page_class(ctx)
    qtbot.addWidget(page)
    page.resize(1366, 700)
    page.show()
    metrics = page.table.horizontalHeader().fontMetrics()
    for i, (_, header, _) in enumerate(page.model.columns):
        assert page.table.columnWidth(i) >= metrics.horizontalAdvance(header) + 12, header
