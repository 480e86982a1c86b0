"""The 附件1 page of a banner in its first year (启用月份 2026-03): 上年同期 and 同比 show a grey —, a real 0
of a banner that has used ipdesk for years shows 0."""
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QLabel

from ipdesk.ui.context import AppContext
from ipdesk.ui.pages.annex1 import GREY, Annex1Page

from tests.core.test_prev_year_no_data import first_year_records


def _page(desk, ops, qtbot):
    page = Annex1Page(AppContext(desk, ops))
    qtbot.addWidget(page)
    page.resize(1366, 768)
    page.show()
    page.set_period("2026-03")
    page.reload()
    return page


def _show(page, which):
    page.which.setCurrentIndex(page.which.findData(which))


def test_first_year_shows_dashes(desk, ops, qtbot):
    desk.set_first_month("2026-03")
    first_year_records(desk)
    page = _page(desk, ops, qtbot)
    assert page.item_for("B.total.filed").text() == "1"
    for which in ("prev_current", "prev_ytd", "yoy_current", "yoy_ytd"):
        _show(page, which)
        for cid in ("B.total.filed", "B.total.fine", "A.actions", "C.abnormal_rate"):
            item = page.item_for(cid, which)
            assert item.text() == "—", (cid, which)
            assert item.foreground().color() == QColor(GREY), (cid, which)


def test_a_real_zero_shows_zero(desk, ops, qtbot):
    desk.set_first_month("2024-01")
    first_year_records(desk)
    page = _page(desk, ops, qtbot)
    _show(page, "prev_current")
    item = page.item_for("B.total.filed", "prev_current")
    assert item.text() == "0" and item.foreground().color() != QColor(GREY)
    assert page.item_for("A.actions", "prev_current").text() == "0"
    _show(page, "yoy_current")
    assert page.item_for("B.total.filed", "yoy_current").text() == "—"  # nothing to compare with


def test_first_year_says_what_the_ytd_covers(desk, ops, qtbot):
    desk.set_first_month("2026-03")
    first_year_records(desk)
    page = _page(desk, ops, qtbot)
    line = page.findChild(QLabel, "annex1_coverage")
    assert line.isVisible() and line.text() == "本年累计自启用月份2026年3月起统计（2026年1—2月未在本系统登记）"
    page.set_period("2027-01")
    page.reload()
    assert not line.isVisible()
