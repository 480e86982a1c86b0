"""The money field: a refused paste or key is explained on the field; 1,00 is never read as 100."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog

from ipdesk.ui.widgets.field_editors import MoneyField

from .records_support import case_raw, ctx, new_form, show_active  # noqa: F401


@pytest.fixture
def field(app, qtbot):
    f = MoneyField()
    qtbot.addWidget(f)
    show_active(qtbot, f)
    return f


def paste(qtbot, field, text):
    QApplication.clipboard().setText(text)
    qtbot.keyClick(field, Qt.Key_V, Qt.ControlModifier)


@pytest.mark.parametrize("pasted, reason", [("1,00", "逗号只能用作千位分隔符"), ("abc", "无法识别的金额"),
                                            ("-5", "不能为负数"), ("12.345", "最多保留到分")])
def test_a_refused_paste_says_why(field, qtbot, pasted, reason):
    with qtbot.waitSignal(field.refused, timeout=1000) as said:
        paste(qtbot, field, pasted)
    assert field.text() == "" and reason in said.args[0] and pasted in said.args[0]
    assert reason in field.toolTip()
    paste(qtbot, field, "１０００．５")  # full-width digits and point are read as digits
    assert field.text() == "1000.5" and field.refusal is None


def test_typing_a_comma_keeps_it_and_says_when_it_is_not_a_thousands_separator(field, qtbot):
    qtbot.keyClicks(field, "1,00")
    assert field.text() == "1,00" and "逗号只能用作千位分隔符" in field.problem()
    field.clear()
    qtbot.keyClicks(field, "1,234.5")
    assert field.text() == "1,234.5" and field.problem() is None
    refusals = []
    field.refused.connect(refusals.append)
    qtbot.keyClicks(field, "x")
    assert field.text() == "1,234.5" and "无法识别的金额" in refusals[0]


def test_the_case_form_shows_the_refusal_and_never_saves_1_00_as_100(ctx, qtbot):  # noqa: F811
    case_id = ctx.desk.records.save("cases", case_raw(1)).record_id
    form = new_form(ctx, qtbot, case_id)
    fine = form.editors["recovered_fen"].widget
    fine.setFocus()
    paste(qtbot, fine, "1,00")
    message = form.messages["recovered_fen"]
    assert message.isVisibleTo(form) and "逗号只能用作千位分隔符" in message.text()
    qtbot.keyClicks(fine, "1,00")
    form.save()
    assert form.result() != QDialog.Accepted and "逗号只能用作千位分隔符" in message.text()
    assert ctx.desk.records.get_case(case_id)["recovered_fen"] == 0
