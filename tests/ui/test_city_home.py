"""A city's 工作台 on real widgets: each subordinate unit's submission of the month now due, the figures
consolidated from what they sent, no bulletin duty on a banner's; the bulletin question for a bimonth
that has not ended."""
from __future__ import annotations

from ipdesk.exchange import approval
from ipdesk.exchange.consolidate import consolidation
from ipdesk.exchange.package import export_package
from ipdesk.exchange.receive import import_packages
from ipdesk.ui.context import AppContext
from ipdesk.ui.pages.home import HomePage

from .test_submissions_page import _office, _page


def _home(desk, ops, qtbot):
    page = HomePage(AppContext(desk, ops))
    qtbot.addWidget(page)
    page.resize(1366, 768)
    page.show()
    page.refresh(None)
    qtbot.waitUntil(lambda: page.data is not None, timeout=20000)
    return page


def test_city_home_shows_each_unit_and_consolidated_figures(tmp_path, ops, qtbot):
    east = _office(tmp_path, "150602", "东胜区市场监督管理局", "150600")
    approval.approve(east, "2026-10")
    export_package(east, "2026-10", tmp_path / "east.ipdx")
    city = _office(tmp_path, "150600", "鄂尔多斯市市场监督管理局", "150000", months=0, subordinates=True)
    assert import_packages(city, [tmp_path / "east.ipdx"])[0].status == "new"
    page = _home(city, ops, qtbot)
    assert page.status_box.isVisible() and "2026年10月" in page.status_box.title()
    assert "已报 1/9" in page.status_box.title()
    t = page.status_table
    rows = {t.item(r, 0).text(): t.item(r, 1).text() for r in range(t.rowCount())}
    assert len(rows) == 9 and rows["东胜区"] in ("按时", "逾期报送") and rows["伊金霍洛旗"] == "逾期未报"
    # The figures are the city's consolidation of October: what 东胜区 sent.
    filed = consolidation(city, "2026-10").annex1.display("B.total.filed")
    assert filed == east.figures.annex1("2026-10").display("B.total.filed")
    from PySide6.QtWidgets import QLabel

    labels = [w.text() for w in (page.figures_grid.itemAt(i).widget() for i in range(page.figures_grid.count()))
              if isinstance(w, QLabel)]
    assert any("2026年10月汇总" in text for text in labels) and filed in labels
    titles = [page.duties.item(r, 0).text() for r in range(page.duties.rowCount())]
    assert any(text.startswith("双月通报") for text in titles)  # the city's own duty
    page.grab().save(str(tmp_path / "city-home.png"))
    banner_page = _home(east, ops, qtbot)
    assert not banner_page.status_box.isVisible()
    assert not any("通报" in banner_page.duties.item(r, 0).text() for r in range(banner_page.duties.rowCount()))


def test_bulletin_of_a_running_bimonth_asks_first(tmp_path, ops, qtbot):
    city = _office(tmp_path, "150600", "鄂尔多斯市市场监督管理局", "150000", months=0, subordinates=True)
    page = _page(city, ops, qtbot)
    page.set_period("2026-11")  # today is 2026-11-22: November–December has not ended
    asked = []
    page.ask = lambda question: asked.append(question) or False
    assert page.bulletin_period() is None and "尚未结束" in asked[0] and "2026年9—10月" in asked[0]
    page.ask = lambda question: True
    assert page.bulletin_period().code == "2026-B5"
    page.set_period("2026-10")
    assert page.bulletin_period().code == "2026-B5"


def test_city_annex1_switches_between_consolidated_and_own(tmp_path, ops, qtbot):
    from ipdesk.ui.pages.annex1 import Annex1Page

    east = _office(tmp_path, "150602", "东胜区市场监督管理局", "150600")
    approval.approve(east, "2026-10")
    export_package(east, "2026-10", tmp_path / "east.ipdx")
    city = _office(tmp_path, "150600", "鄂尔多斯市市场监督管理局", "150000", months=0, subordinates=True)
    import_packages(city, [tmp_path / "east.ipdx"])
    page = Annex1Page(AppContext(city, ops))
    qtbot.addWidget(page)
    page.resize(1366, 768)
    page.show()
    page.set_period("2026-10")
    page.reload()
    assert page.scope.isVisible() and page.scope.currentData() is True  # 汇总 by default in a city
    assert page.data.consolidated and "（汇总）" in page.title.text()
    filed = east.figures.annex1("2026-10").display("B.total.filed")
    assert page.item_for("B.total.filed").text() == filed
    assert any(f.key == "missing:150627" for f in page.data.findings)
    box = page.units_behind("B.total.filed")
    assert box.values()["东胜区市场监督管理局"] == filed and box.values()["合计（汇总表数字）"] == filed
    box.close()
    page.scope.setCurrentIndex(1)  # 本单位: the city office's own (empty) records
    assert not page.data.consolidated and "（汇总）" not in page.title.text()
    assert page.item_for("B.total.filed").text() == "0"
    banner_page = Annex1Page(AppContext(east, ops))
    qtbot.addWidget(banner_page)
    assert not banner_page.scope.isVisibleTo(banner_page)


def _maximised(desk, ops, qtbot, tmp_path):
    """The main window as maximised on a 1366×768 laptop: 1366×728 usable, less Windows' title bar."""
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from ipdesk.ui.main_window import MainWindow
    from ipdesk.ui.screen_fit import TITLE_BAR

    w = MainWindow(AppContext(desk, ops), settings=QSettings(str(tmp_path / f"{desk.unit['code']}.ini"),
                                                           QSettings.IniFormat))
    w.ask_unsaved = lambda _text: "discard"
    qtbot.addWidget(w)
    w.resize(1366, 728 - TITLE_BAR)
    w.show()
    page = w.navigate("home")
    qtbot.waitUntil(lambda: page.data is not None, timeout=20000)
    QApplication.processEvents()
    return w, page


def _rows_in_view(table, window) -> list[int]:
    """The rows drawn whole: inside the table's viewport, the viewport inside the window's central area."""
    view = table.viewport()
    top_left = view.mapTo(window, view.rect().topLeft())
    central = window.centralWidget().geometry()
    if not table.isVisible() or not central.contains(top_left) or view.mapTo(
            window, view.rect().bottomRight()).y() > central.bottom():
        return []
    return [r for r in range(table.rowCount()) if view.rect().contains(table.visualRect(table.model().index(r, 0)))]


def _city(tmp_path, code, name, senders=()):
    city = _office(tmp_path, code, name, "150000", months=0, subordinates=True)
    for unit_code, unit_name in senders:
        banner = _office(tmp_path, unit_code, unit_name, code)
        for f in approval.period_findings(banner, "2026-10"):
            banner.explanations.explain("2026-10", f.key, "说明")
        approval.approve(banner, "2026-10")
        export_package(banner, "2026-10", tmp_path / f"{unit_code}.ipdx")
        banner.close()
    import_packages(city, [tmp_path / f"{c}.ipdx" for c, _ in senders])
    return city


def test_city_home_at_1366x728_shows_every_unit_and_every_duty(tmp_path, ops, qtbot):
    """A clerk of a city of 9 banners sees at a glance who has sent the month: every unit's row whole on screen
    (the box showed 1½ of them), beside the duties (all whole: the fourth was cut in half), the figures and the
    charts."""
    city = _city(tmp_path, "150600", "鄂尔多斯市市场监督管理局", [("150602", "东胜区市场监督管理局")])
    window, page = _maximised(city, ops, qtbot, tmp_path)
    assert page.status_table.rowCount() == 9 and "已报 1/9" in page.status_box.title()
    assert _rows_in_view(page.status_table, window) == list(range(9))
    assert page.status_table.verticalScrollBar().maximum() == 0
    assert _rows_in_view(page.duties, window) == list(range(page.duties.rowCount()))
    for chart in (page.month_chart, page.category_chart):  # still on the screen, not pushed below it
        assert chart.isVisible() and chart.height() >= 200
        bottom = chart.mapTo(window, chart.rect().bottomLeft()).y()
        assert bottom <= window.centralWidget().geometry().bottom()
    # The months before October had no package: said so, not drawn as nought.
    title = page.month_chart.chart().title()
    assert "2025年11—12月、2026年1—9月未收到报送" in title
    page.grab().save(str(tmp_path / "city-home-1366.png"))
    city.close()


def test_region_of_14_units_scrolls_inside_its_box(tmp_path, ops, qtbot):
    city = _city(tmp_path, "150700", "呼伦贝尔市市场监督管理局")
    window, page = _maximised(city, ops, qtbot, tmp_path)
    t = page.status_table
    assert t.rowCount() == 14 and t.verticalScrollBar().maximum() > 0
    shown = _rows_in_view(t, window)
    assert len(shown) >= 9 and shown == list(range(len(shown)))  # a clear majority, then the scroll bar
    assert page.month_chart.isVisible() and page.month_chart.height() >= 200
    # Nothing received in the year: both charts say so instead of standing empty.
    assert "尚未收到下级单位的报送" in page.month_chart.chart().title()
    assert "尚未收到报送" in page.category_chart.chart().title()
    city.close()


def test_banner_home_at_1366x728_keeps_its_layout(tmp_path, ops, qtbot):
    """No subordinates: no status box, the time limits and charts across the page, every duty whole, the
    overdue note by month names."""
    banner = _office(tmp_path, "150602", "东胜区市场监督管理局", "150600", months=12)
    window, page = _maximised(banner, ops, qtbot, tmp_path)
    assert not page.status_box.isVisible()
    assert _rows_in_view(page.duties, window) == list(range(page.duties.rowCount()))
    assert page.unsent_note.isVisible() and "2026年" in page.unsent_note.text()
    assert "2026-0" not in page.unsent_note.text()
    assert page.month_chart.width() > 500 and page.month_chart.height() >= 200
    assert page.no_warnings.isVisible() or page.warnings.isVisible()
    banner.close()


def test_empty_boxes_say_why(tmp_path, ops, qtbot):
    """A banner without records: the charts say there is nothing to draw, the time limits say none is near."""
    banner = _office(tmp_path, "150622", "准格尔旗市场监督管理局", "150600", months=0)
    window, page = _maximised(banner, ops, qtbot, tmp_path)
    assert "近12个月没有立案或结案的案件" in page.month_chart.chart().title()
    assert page.category_chart.chart().title().endswith("：本年尚无立案")
    assert page.no_warnings.isVisible() and not page.warnings.isVisible()
    # The figures are the office's own records: 0 is the truth here, not "no data".
    assert page.figures_box.findChild(type(page.busy), "figure_1_1").text() == "0"
    banner.close()


def test_cases_near_their_limit_show_whole_above_the_charts(tmp_path, ops, qtbot):
    """Five cases near their time limit: three whole rows, the rest a scroll away; the duties stay whole (they
    were squeezed under their notes when the charts kept 240 px)."""
    banner = _office(tmp_path, "150621", "达拉特旗市场监督管理局", "150600", months=2)
    for i, filed in enumerate(["2026-08-29", "2026-08-25", "2026-08-20", "2026-09-01", "2026-08-27"]):
        banner.records.save("cases", {"name": f"临近时限案{i}", "case_no": f"达市监立字〔2026〕9{i:02d}号",
                                      "category": "商标侵权", "procedure": "一般程序", "source": "检查发现",
                                      "filed_date": filed})
    window, page = _maximised(banner, ops, qtbot, tmp_path)
    assert page.warnings.rowCount() == 5 and page.warnings.verticalScrollBar().maximum() > 0
    assert _rows_in_view(page.warnings, window) == [0, 1, 2]
    assert _rows_in_view(page.duties, window) == list(range(page.duties.rowCount()))
    assert page.category_chart.isVisible() and page.category_chart.height() >= 180
    banner.close()
