"""中止/延期 in the case form: what did not count (听证 …) and, once extended, the date a collective decision sets."""
from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QDialog

from .records_support import case_raw, ctx, new_form, type_text  # noqa: F401


def test_pause_cause_and_collective_extension_through_the_dialog(ctx, qtbot):  # noqa: F811
    desk = ctx.desk  # today 2026-11-22
    case_id = desk.records.save("cases", case_raw(7, procedure="一般程序", filed_date="2026-07-04",
                                          lead_date="2026-07-01")).record_id
    form = new_form(ctx, qtbot, case_id)
    assert "2026-10-08" in form.deadline_label.text()  # 7-4 + 90 = 10-2 (国庆) → 10-8
    dialog = form.add_adjustment("中止")
    qtbot.addWidget(dialog)
    assert dialog.cause.isEnabled() and not dialog.due.isEnabled()
    dialog.cause.setCurrentText("听证")
    dialog.start.set_value("2026-08-01")
    dialog.end.set_value("2026-08-11")
    type_text(dialog.reason, "当事人申请听证")
    dialog.save()
    assert dialog.result() == QDialog.Accepted
    assert "中止（听证）" in form.adjustment_list.item(0).text()
    assert "2026-10-12" in form.deadline_label.text()  # +10 days: 10-12
    first = form.add_adjustment("延期")
    qtbot.addWidget(first)
    assert first.due.isEnabled() and not first.cause.isEnabled()
    first.start.set_value("2026-10-01")
    type_text(first.reason, "案情复杂，经负责人批准")
    first.save()
    assert first.result() == QDialog.Accepted and "2026-11-11" in form.deadline_label.text()  # +30
    again = form.add_adjustment("延期")
    qtbot.addWidget(again)
    again.start.set_value("2026-11-05")
    type_text(again.reason, "集体讨论决定继续延期")
    again.save()  # no date: refused on the field
    assert "集体讨论" in again.messages["due_date"].text() and again.result() != QDialog.Accepted
    again.due.set_value("2026-12-20")
    again.save()
    assert again.result() == QDialog.Accepted
    assert desk.limits.deadline_for(case_id).due == date(2026, 12, 21)  # 12-20 is a Sunday
    assert "继续延期至 2026-12-20" in form.adjustment_list.item(2).text()
