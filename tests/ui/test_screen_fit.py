"""Every window fits the screen a clerk has: 1366×768 with Windows' taskbar leaves 1366×728, and each window's
title bar and border come out of that. The windows ask ``screen_fit.available_geometry`` for the usable area;
here it answers 1366×728 (the offscreen screen itself is 800×800), as Windows would on that laptop."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QRect
from PySide6.QtWidgets import QApplication, QScrollArea

from ipdesk.ui import screen_fit

USABLE = QRect(0, 0, 1366, 728)


@pytest.fixture
def small_screen(monkeypatch):
    monkeypatch.setattr(screen_fit, "available_geometry", lambda widget=None: QRect(USABLE))
    return USABLE


def _fits(widget) -> None:
    """Shown, laid out, and no larger (with the frame Windows adds) than the usable screen — neither as it
    is nor as small as its layout allows it to become."""
    widget.show()
    QApplication.processEvents()
    assert screen_fit.fits(widget, USABLE), (type(widget).__name__, widget.size())
    least = widget.minimumSizeHint().expandedTo(widget.minimumSize())
    assert least.width() + screen_fit.BORDER * 2 <= USABLE.width(), (type(widget).__name__, least)
    assert least.height() + screen_fit.TITLE_BAR + screen_fit.BORDER <= USABLE.height(), (type(widget).__name__, least)


def test_main_window_opens_maximised_first_then_as_left(small_screen, demo_ctx, settings, qtbot):
    from ipdesk.ui.main_window import MainWindow

    w = MainWindow(demo_ctx, settings=settings)
    w.ask_unsaved = lambda _t: "discard"
    qtbot.addWidget(w)
    assert w.first_start
    w.show_initial()
    assert w.isMaximized()
    normal = w.normalGeometry()
    assert normal.width() + 16 <= 1366 and normal.height() + 39 <= 728  # 1280×800 asked, the screen given
    for page in ("home", "cases", "inspections", "work_items", "annex1", "annex2", "submissions", "settings"):
        w.navigate(page)
        least = w.minimumSizeHint().expandedTo(w.minimumSize())
        assert least.width() <= 1366 - 16 and least.height() <= 728 - 39, (page, least)
    w.showNormal()
    w.resize(1000, 650)
    w.close()
    again = MainWindow(demo_ctx, settings=settings)
    again.ask_unsaved = lambda _t: "discard"
    qtbot.addWidget(again)
    assert not again.first_start
    again.show_initial()
    assert not again.isMaximized()  # left in its normal size: not maximised again (Qt keeps it on the screen)


def test_record_forms_fit_and_scroll_with_buttons_in_view(small_screen, demo_ctx, qtbot):
    from ipdesk.ui.case_form import CaseForm
    from ipdesk.ui.inspection_form import InspectionForm
    from ipdesk.ui.work_item_form import WorkItemForm

    case_id = demo_ctx.desk.db.execute("SELECT id FROM cases ORDER BY id LIMIT 1").fetchone()[0]
    for form in (CaseForm(demo_ctx), CaseForm(demo_ctx, case_id), InspectionForm(demo_ctx), WorkItemForm(demo_ctx)):
        qtbot.addWidget(form)
        _fits(form)
        scroll = form.findChild(QScrollArea)
        assert scroll is not None and scroll.widgetResizable()
        for button in (form.save_button, form.cancel_button):  # inside the window, below the scrolling body
            assert button.isVisible()
            corner = button.mapTo(form, button.rect().bottomRight())
            assert form.rect().contains(corner), (type(form).__name__, corner, form.size())
        form.close()


def test_case_form_scrolls_on_the_small_screen(small_screen, demo_ctx, qtbot):
    from ipdesk.ui.case_form import CaseForm

    form = CaseForm(demo_ctx)
    qtbot.addWidget(form)
    form.show()
    QApplication.processEvents()
    scroll = form.findChild(QScrollArea)
    assert form.height() < 760 and scroll.verticalScrollBar().maximum() > 0  # its fields scroll, not the window


def test_dialogs_fit(small_screen, demo_ctx, ops, qtbot):
    from ipdesk.ui.adjustment_dialog import AdjustmentDialog
    from ipdesk.ui.drilldown import DrillDownDialog
    from ipdesk.ui.first_start import FirstStartDialog
    from ipdesk.ui.ledger_import import LedgerImportDialog
    from ipdesk.ui.login import LoginDialog
    from ipdesk.ui.pages.settings import UserDialog

    desk = demo_ctx.desk
    case_id = desk.db.execute("SELECT id FROM cases ORDER BY id LIMIT 1").fetchone()[0]
    rows = [desk.records.get_case(i) for (i,) in desk.db.execute("SELECT id FROM cases LIMIT 300").fetchall()]
    for dialog in (AdjustmentDialog(demo_ctx, case_id), DrillDownDialog(demo_ctx, "立案数", "cases", rows),
                   FirstStartDialog(desk, ops), LedgerImportDialog(demo_ctx), LoginDialog(desk), UserDialog()):
        qtbot.addWidget(dialog)
        _fits(dialog)
        dialog.reject()


def test_preview_fits_and_zooms(small_screen, demo_ctx, qtbot):
    from PySide6.QtPdfWidgets import QPdfView

    from ipdesk.reports.export import write_table
    from ipdesk.ui.preview import show_report_preview

    desk = demo_ctx.desk
    opened = []
    show_report_preview(demo_ctx,
                        lambda p, progress=None: write_table(desk, desk.figures.annex2("2026"), "pdf", p, progress),
                        title="附件2 预览",
                        on_open=opened.append)
    dialog = opened[0]
    _fits(dialog)
    assert dialog.view.zoomMode() == QPdfView.ZoomMode.FitToWidth and dialog.fit_width_button.isChecked()
    width_zoom = dialog.effective_zoom()
    dialog.fit_page_button.click()
    assert dialog.view.zoomMode() == QPdfView.ZoomMode.FitInView and not dialog.fit_width_button.isChecked()
    page_zoom = dialog.effective_zoom()
    assert 0 < page_zoom <= width_zoom  # a landscape page: the whole page is no larger than its width
    dialog.zoom_in_button.click()
    assert dialog.view.zoomMode() == QPdfView.ZoomMode.Custom and dialog.view.zoomFactor() > page_zoom
    bigger = dialog.view.zoomFactor()
    dialog.zoom_out_button.click()
    assert dialog.view.zoomFactor() < bigger and dialog.zoom_label.text() == f"{round(dialog.view.zoomFactor() * 100)}%"
    dialog.close()
