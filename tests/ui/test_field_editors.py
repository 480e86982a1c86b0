"""The date and money editors on real widgets: the spellings people type or paste are read as
they mean, and a date that is not one is shown as typed and refused on save, never turned into
another date (2026-02-30 used to become 2026-02-03, 2026-1-5 became 2026-01-01)."""
import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QApplication, QDialog

from ipdesk.ui.widgets.field_editors import DateField, MoneyField

from .records_support import case_raw, ctx, focused, new_form, show_active, type_text  # noqa: F401

SPELLINGS = ("2026-1-5", "2026/1/5", "2026.1.5", "2026年1月5日", "2026-01-05", "20260105")
# typed -> a piece of the message under the field
NOT_DATES = (("2026-02-30", "2026年2月没有30日"), ("20260230", "2026年2月没有30日"),
             ("2026-13-01", "月份应为 1～12"), ("2026", "日期不完整"), ("2026-3", "日期不完整"),
             ("2026-01-", "日期不完整"))


def type_keys(qtbot, widget, text: str) -> None:
    """Key by key; a Chinese character as an input method commits it."""
    for ch in text:
        if ch.isascii():
            qtbot.keyClicks(widget, ch)
        else:
            type_text(widget, ch)


def shown_field(qtbot):
    field = DateField()
    qtbot.addWidget(field)
    show_active(qtbot, field)
    field.setFocus()
    return field


@pytest.mark.parametrize("typed", SPELLINGS)
def test_date_spellings_are_read_as_meant(app, qtbot, typed):
    field = shown_field(qtbot)
    type_keys(qtbot, field, typed)
    assert field.value() == "2026-01-05" and field.problem() is None
    field.tidy()  # what leaving the field does
    assert field.text() == "2026-01-05"


def test_separator_after_a_one_digit_month_finishes_it(app, qtbot):
    field = shown_field(qtbot)
    qtbot.keyClicks(field, "2026-1-")
    assert field.text() == "2026-01-"
    qtbot.keyClicks(field, "5")
    assert field.value() == "2026-01-05"


@pytest.mark.parametrize("typed, message", NOT_DATES)
def test_a_date_that_is_not_one_stays_as_typed(app, qtbot, typed, message):
    field = shown_field(qtbot)
    qtbot.keyClicks(field, typed)
    field.tidy()
    assert field.text() == typed  # nothing filled in from today, nothing moved to another day
    assert field.value() == typed and message in field.problem()


def test_delete_empties_and_the_calendar_picks(app, qtbot):
    field = shown_field(qtbot)
    field.set_value("2026-03-05")
    assert field.value() == "2026-03-05" and not field.is_empty()
    qtbot.keyClick(field, Qt.Key_Delete)
    assert field.is_empty() and field.value() is None and field.problem() is None
    qtbot.keyClick(field, Qt.Key_Down, Qt.AltModifier)
    popup = field._popup
    assert popup is not None and popup.isVisible()
    popup.clicked.emit(QDate(2026, 4, 7))
    assert field.value() == "2026-04-07" and not popup.isVisible()


@pytest.mark.parametrize("typed", SPELLINGS)
def test_case_form_saves_each_spelling(ctx, qtbot, typed):
    form = new_form(ctx, qtbot)
    form.editors["name"].set_value("日期测试案")
    form.editors["category"].set_value("商标侵权")
    lead = form.editors["lead_date"].widget
    lead.setFocus()
    type_keys(qtbot, lead, typed)
    qtbot.keyClick(lead, Qt.Key_Tab)
    assert lead.text() == "2026-01-05"
    lead.setFocus()
    qtbot.keyClick(lead, Qt.Key_Return)  # Enter saves
    assert form.result() == QDialog.Accepted
    rows = ctx.desk.db.execute("SELECT name, lead_date FROM cases").fetchall()
    assert [tuple(r) for r in rows] == [("日期测试案", "2026-01-05")]


@pytest.mark.parametrize("typed, message", NOT_DATES)
def test_case_form_refuses_a_date_that_is_not_one(ctx, qtbot, typed, message):
    form = new_form(ctx, qtbot)
    form.editors["name"].set_value("日期测试案")
    form.editors["category"].set_value("商标侵权")
    lead = form.editors["lead_date"].widget
    lead.setFocus()
    qtbot.keyClicks(lead, typed)
    qtbot.keyClick(lead, Qt.Key_Tab)
    assert lead.text() == typed
    form.editors["name"].widget.setFocus()
    qtbot.keyClick(form.editors["name"].widget, Qt.Key_Return)
    assert form.isVisible() and form.result() != QDialog.Accepted
    assert form.messages["lead_date"].isVisibleTo(form)
    assert form.messages["lead_date"].text().startswith("线索登记日期：") and message in form.messages["lead_date"].text()
    assert focused() is lead and lead.text() == typed
    assert ctx.desk.db.execute("SELECT COUNT(*) FROM cases").fetchone()[0] == 0
    # Corrected, it saves.
    qtbot.keyClick(lead, Qt.Key_Delete)
    qtbot.keyClicks(lead, "2026-3-5")
    qtbot.keyClick(lead, Qt.Key_Return)
    assert form.result() == QDialog.Accepted
    assert ctx.desk.db.execute("SELECT lead_date FROM cases").fetchone()[0] == "2026-03-05"


def test_adjustment_refuses_a_start_that_is_not_a_date(ctx, qtbot):
    desk = ctx.desk
    case_id = desk.records.save("cases", case_raw(4, procedure="一般程序")).record_id
    form = new_form(ctx, qtbot, case_id)
    dialog = form.add_adjustment("延期")
    qtbot.addWidget(dialog)
    type_text(dialog.reason, "案情复杂")
    dialog.start.clear_date()
    qtbot.keyClicks(dialog.start, "2026-02-30")
    dialog.save()
    assert "2026年2月没有30日" in dialog.messages["start_date"].text() and desk.limits.adjustments(case_id) == []
    dialog.start.clear_date()
    qtbot.keyClicks(dialog.start, "2026/3/6")
    dialog.save()
    assert dialog.result() == QDialog.Accepted and desk.limits.adjustments(case_id)[0]["start_date"] == "2026-03-06"


PASTES = (("1,234.50", "1234.50"), (" 200 ", "200"), ("1234.5元", "1234.5"), ("2万", "20000"))


@pytest.mark.parametrize("pasted, shown", PASTES)
def test_money_paste_is_read_as_parse_yuan_reads_it(app, qtbot, pasted, shown):
    field = MoneyField()
    qtbot.addWidget(field)
    show_active(qtbot, field)
    QApplication.clipboard().setText(pasted)
    qtbot.keyClick(field, Qt.Key_V, Qt.ControlModifier)
    assert field.text() == shown
    field.clear()
    field.paste()
    assert field.text() == shown


@pytest.mark.parametrize("pasted", ("abc", "12.345", "-5", "1,234.5x"))
def test_money_paste_still_refuses_what_is_not_an_amount(app, qtbot, pasted):
    field = MoneyField()
    qtbot.addWidget(field)
    show_active(qtbot, field)
    QApplication.clipboard().setText(pasted)
    qtbot.keyClick(field, Qt.Key_V, Qt.ControlModifier)
    assert field.text() == ""
    qtbot.keyClicks(field, "12a-.345")  # typing: letters, minus and a third decimal refused
    assert field.text() == "12.34"


def test_pasted_amount_is_saved_by_the_case_form(ctx, qtbot):
    case_id = ctx.desk.records.save("cases", case_raw(1)).record_id
    form = new_form(ctx, qtbot, case_id)
    recovered = form.editors["recovered_fen"].widget
    recovered.setFocus()
    QApplication.clipboard().setText("1,234.50元")
    qtbot.keyClick(recovered, Qt.Key_V, Qt.ControlModifier)
    assert recovered.text() == "1234.50"
    qtbot.keyClick(recovered, Qt.Key_Return)
    assert form.result() == QDialog.Accepted
    assert ctx.desk.db.execute("SELECT recovered_fen FROM cases WHERE id = ?", (case_id,)).fetchone()[0] == 123450
