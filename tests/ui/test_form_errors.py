"""A form reports every error at once, each on its field, and takes each away as it is fixed; a keystroke or
paste a field does not take says why."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog

from ipdesk.ui.widgets.field_editors import MoneyField

from .records_support import case_raw, ctx, new_form, show_active, type_text  # noqa: F401


def _visible(form) -> dict[str, str]:
    return {n: label.text() for n, label in form.messages.items() if label.isVisibleTo(form) and label.text()}


def test_three_bad_fields_show_three_messages_and_each_clears_when_fixed(ctx, qtbot):
    form = new_form(ctx, qtbot)
    # 案件名称 missing (a rule), a date that is not one (typed), 立案 before 线索 (a rule across two fields).
    form.editors["category"].set_value("商标侵权")
    form.editors["procedure"].set_value("简易程序")
    form.editors["lead_date"].widget.setText("2026-02-30")
    form.editors["decision_date"].set_value("2026-03-01")
    form.editors["filed_date"].set_value("2026-03-10")
    form.save()
    shown = _visible(form)
    assert set(shown) == {"name", "lead_date", "decision_date"}, shown
    assert "2026年2月没有30日" in shown["lead_date"]
    assert "标红的 3 项" in form.banner.text()
    assert ctx.desk.records.count_cases() == 0 and form.isVisible()

    type_text(form.editors["name"].widget, "东胜区某商行涉嫌商标侵权案")  # fixed: its message goes at once
    assert set(_visible(form)) == {"lead_date", "decision_date"} and "标红的 2 项" in form.banner.text()
    form.editors["lead_date"].widget.setText("2026-02-01")
    assert set(_visible(form)) == {"decision_date"}
    form.editors["filed_date"].set_value("2026-02-20")  # fixing the other date of the pair clears it too
    assert _visible(form) == {} and not form.banner.isVisibleTo(form)
    form.save()
    assert form.result() == QDialog.Accepted and ctx.desk.records.count_cases() == 1, (_visible(form), form.banner.text())


def test_a_fixed_date_does_not_keep_its_old_error(ctx, qtbot):
    form = new_form(ctx, qtbot)
    form.editors["name"].set_value("日期案")
    form.editors["category"].set_value("商标侵权")
    form.editors["lead_date"].widget.setText("2026-13-01")
    form.save()
    assert "月份应为" in form.messages["lead_date"].text()
    form.editors["lead_date"].widget.setText("2026-12-")  # still wrong: the message follows what is typed
    assert "日期不完整" in form.messages["lead_date"].text()
    form.editors["lead_date"].widget.setText("2026-01-05")
    assert not form.messages["lead_date"].isVisibleTo(form)


@pytest.mark.parametrize("pasted, why", (("5000.125", "最多保留到分"), ("-200", "不能为负数"),
                                         ("abc", "只能填数字"), ("12345678901234", "金额过大")))
def test_a_refused_paste_says_why(ctx, qtbot, pasted, why):
    case_id = ctx.desk.records.save("cases", case_raw(1)).record_id
    form = new_form(ctx, qtbot, case_id)
    fine = form.editors["fine_fen"].widget
    fine.setFocus()
    QApplication.clipboard().setText(pasted)
    qtbot.keyClick(fine, Qt.Key_V, Qt.ControlModifier)
    assert fine.text() == ""
    assert why in form.messages["fine_fen"].text() and form.messages["fine_fen"].isVisibleTo(form)
    qtbot.keyClicks(fine, "5")  # the next change takes the note away
    assert not form.messages["fine_fen"].isVisibleTo(form)


def test_a_refused_keystroke_says_why(app, qtbot):
    field = MoneyField()
    qtbot.addWidget(field)
    show_active(qtbot, field)
    said = []
    field.refused.connect(said.append)
    qtbot.keyClicks(field, "12.345")
    assert field.text() == "12.34" and len(said) == 1 and "最多保留到分" in said[0]


def test_a_date_field_says_why_it_refused_a_letter(ctx, qtbot):
    form = new_form(ctx, qtbot)
    lead = form.editors["lead_date"].widget
    lead.setFocus()
    qtbot.keyClicks(lead, "2026x")
    assert lead.text() == "2026" and "只能输入数字" in form.messages["lead_date"].text()


def test_the_form_reads_its_editors_on_the_gui_thread_only(desk, app, qtbot):
    """Saving with a date that is not one checks the rest on the worker (it reads the database); the editors'
    own problems are read before, on the GUI thread: a widget touched from the worker can crash Qt."""
    import threading

    from ipdesk.ui.context import AppContext
    from ipdesk.ui.ops import OpRunner

    ops = OpRunner(app)
    try:
        form = new_form(AppContext(desk, ops), qtbot)
        readers: list[str] = []
        for editor in form.editors.values():
            problem = editor.problem
            editor.problem = lambda problem=problem: (readers.append(threading.current_thread().name), problem())[1]
        form.editors["category"].set_value("商标侵权")
        form.editors["lead_date"].widget.setText("2026-02-30")
        form.save()
        qtbot.waitUntil(lambda: "lead_date" in _visible(form), timeout=5000)
        assert "name" in _visible(form)  # the worker's check of the rest came back with it
        form.editors["name"].widget.setText("东胜区某商行涉嫌商标侵权案")  # a shown error is checked again
        qtbot.waitUntil(lambda: "name" not in _visible(form), timeout=5000)
    finally:
        ops.shutdown()
    assert readers and set(readers) == {threading.main_thread().name}, set(readers)
