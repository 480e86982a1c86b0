"""Shared pieces of the record-page tests: a context with a synchronous op runner, Chinese typing,
valid identifiers and case records."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication

from ipdesk.domain.identifiers import uscc_check_char
from ipdesk.ui.context import AppContext
from ipdesk.ui.ops import OpRunner


@pytest.fixture
def ctx(desk, app, tmp_path):
    """The real desk behind a synchronous runner; the pages' QSettings() kept inside tmp_path."""
    QSettings.setDefaultFormat(QSettings.IniFormat)
    QSettings.setPath(QSettings.IniFormat, QSettings.UserScope, str(tmp_path / "settings"))
    QSettings().clear()
    return AppContext(desk, OpRunner(synchronous=True))


def type_text(widget, text: str) -> None:
    """Type Chinese as an input method commits it (qtbot.keyClicks aborts on non-ASCII)."""
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def focused():
    return QApplication.focusWidget()


def show_active(qtbot, widget) -> None:
    widget.show()
    widget.activateWindow()
    qtbot.waitUntil(widget.isActiveWindow, timeout=2000)


def new_form(ctx, qtbot, case_id=None):
    """A case form (new, or ``case_id``'s) shown and active, as a user would have it."""
    from ipdesk.ui.case_form import CaseForm

    form = CaseForm(ctx, case_id)
    qtbot.addWidget(form)
    show_active(qtbot, form)
    return form


def uscc(n: int) -> str:
    body = "91150602MA" + f"{n:07d}"
    return body + uscc_check_char(body)


def case_raw(i: int = 0, **changes) -> dict:
    raw = {"name": f"东胜区测试商行{i}号涉嫌商标侵权案", "case_no": f"东市监立字〔2026〕{1000 + i}号",
           "category": "商标侵权", "source": "投诉举报", "procedure": "简易程序", "handler": "张瑞",
           "party_name": f"东胜区测试商行{i}号", "filed_date": "2026-03-05", "lead_date": "2026-03-01"}
    raw.update(changes)
    return raw
