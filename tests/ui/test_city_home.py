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
