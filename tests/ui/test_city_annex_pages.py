"""A city's 附件2 page on real widgets: 汇总 (the rows its units sent, each with its 办案单位) by default,
本单位 on request, the same in print; a banner's page has no switch."""
from __future__ import annotations

import openpyxl
import pdfplumber
import pytest

from ipdesk.exchange import approval
from ipdesk.exchange.package import export_package
from ipdesk.exchange.receive import import_packages
from ipdesk.ui.context import AppContext

from .test_submissions_page import _office

EAST, WEST = "东胜区市场监督管理局", "达拉特旗市场监督管理局"


@pytest.fixture
def city(tmp_path):
    """东胜区 and 达拉特旗 sent October 2026 to the city, which keeps no records of its own."""
    made = []
    for code, name in (("150602", EAST), ("150621", WEST)):
        banner = _office(tmp_path, code, name, "150600")
        approval.approve(banner, "2026-10")
        export_package(banner, "2026-10", tmp_path / f"{code}.ipdx")
        made.append(banner)
    city = _office(tmp_path, "150600", "鄂尔多斯市市场监督管理局", "150000", months=0, subordinates=True)
    assert [v.status for v in import_packages(city, [tmp_path / "150602.ipdx", tmp_path / "150621.ipdx"])] == ["new"] * 2
    yield city, made
    for d in (city, *made):
        d.close()


def _annex2_page(desk, ops, qtbot):
    from ipdesk.ui.pages.annex2 import Annex2Page

    page = Annex2Page(AppContext(desk, ops))
    qtbot.addWidget(page)
    page.resize(1366, 768)
    page.show()
    page.picker.set_period(__import__("ipdesk.domain.periods", fromlist=["Period"]).Period.parse("2026-10"))
    page.reload()
    return page


def test_city_annex2_switches_between_consolidated_and_own(city, ops, qtbot, tmp_path):
    city, (east, west) = city
    page = _annex2_page(city, ops, qtbot)
    assert page.scope.isVisible() and page.scope.currentData() is True  # 汇总 by default in a city
    assert "（汇总）" in page.title.text() and page.data.scope is not None
    sent = {name: len(d.figures.annex2("2026-10").rows) for name, d in ((EAST, east), (WEST, west))}
    assert sum(sent.values()) > 0 and len(page.data.rows) == sum(sent.values())
    units = page.column_values("unit_name")
    assert {name: units.count(name) for name in sent} == sent  # each row says which unit sent it
    column = [c.id for c in page.data.catalog.annex2_columns].index("unit_name")
    page.table.resizeColumnToContents(column)  # what the page sizes it to without asking the model for every row
    fitted = page.table.columnWidth(column)
    page.show_data(page.data)
    assert fitted <= page.table.columnWidth(column) <= fitted + 24
    assert page.coverage.isVisible() and page.coverage.text().startswith("汇总单位：东胜区、达拉特旗；未报送：")
    assert not page.use_range.isEnabled()  # received packages are monthly
    page.grab().save(str(tmp_path / "city-annex2.png"))

    # Printed and exported: the same rows, marked 汇总, with the coverage line.
    page.preview()
    dialog = page.last_preview
    assert dialog is not None and "附件2汇总" in dialog.file_stem
    with pdfplumber.open(dialog.pdf_path) as pdf:
        text = "".join((p.extract_text() or "").replace("\n", "").replace(" ", "") for p in pdf.pages)
    assert "查办案件明细表（汇总）" in text and page.coverage.text() in text
    dialog.save_xlsx(tmp_path / "汇总附件2.xlsx")
    qtbot.waitUntil(lambda: (tmp_path / "汇总附件2.xlsx").exists(), timeout=20000)
    ws = openpyxl.load_workbook(tmp_path / "汇总附件2.xlsx").active
    cells = [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None]
    assert sum(v == EAST for v in cells) == sent[EAST] and sum(v == WEST for v in cells) == sent[WEST]
    assert any(page.coverage.text() in v for v in cells)
    dialog.close()

    page.scope.setCurrentIndex(1)  # 本单位: the city office's own (no) records
    assert page.data.scope is None and "（汇总）" not in page.title.text() and page.data.rows == []
    assert not page.coverage.isVisible() and page.use_range.isEnabled()
    page.use_range.setChecked(True)
    page.scope.setCurrentIndex(0)  # back to 汇总: the date range is given up
    assert not page.use_range.isChecked() and len(page.data.rows) == sum(sent.values())


def test_banner_annex2_has_no_switch(city, ops, qtbot):
    _city, (east, _west) = city
    page = _annex2_page(east, ops, qtbot)
    assert not page.scope.isVisible() and page.data.scope is None
    assert len(page.data.rows) == len(east.figures.annex2("2026-10").rows)
    assert not page.coverage.isVisible() and page.use_range.isEnabled()


def _annex1_page(desk, ops, qtbot):
    from ipdesk.ui.pages.annex1 import Annex1Page

    page = Annex1Page(AppContext(desk, ops))
    qtbot.addWidget(page)
    page.resize(1366, 768)
    page.show()
    page.set_period("2026-10")
    page.reload()
    return page


def _number(text):
    return 0 if text == "—" else float(text)


def test_drill_down_from_a_consolidated_cell_to_units_and_their_cases(city, ops, qtbot, tmp_path):
    city, (east, west) = city
    page = _annex1_page(city, ops, qtbot)
    assert page.data.consolidated
    for cell in ("B.total.filed", "B.total.closed", "B.tm_subtotal.penalty_total", "A.officers", "A.key_markets"):
        dialog = page.units_behind(cell)
        values = dialog.values()
        total = values.pop("合计（汇总表数字）")
        assert total == page.item_for(cell).text()
        assert values[EAST] == east.figures.annex1("2026-10").display(cell)
        assert values[WEST] == west.figures.annex1("2026-10").display(cell)
        assert values["伊金霍洛旗市场监督管理局"] == "—" and len(values) == 9  # every subordinate, sent or not
        assert abs(sum(_number(v) for v in values.values()) - _number(total)) < 1e-9  # the units add up to the cell
        dialog.close()

    # Double-clicking the item on screen opens the same dialog; a unit there opens its 附件2 rows.
    item = page.item_for("B.total.filed")
    page.part_tables["B"].itemActivated.emit(item)
    dialog = page.last_units
    assert dialog.isVisible() and dialog.values()[EAST] == east.figures.annex1("2026-10").display("B.total.filed")
    dialog.grab().save(str(tmp_path / "units-behind.png"))
    dialog.table.cellDoubleClicked.emit(dialog.row_of("150602"), 0)
    rows = dialog.last_rows
    assert rows is not None and rows.isVisible()
    own = [r for r in east.figures.annex2("2026-10").rows if r["filed_date"].startswith("2026-10")]
    assert len(rows.rows) == len(own) == int(dialog.values()[EAST])  # the cases filed in October, as sent
    assert {r["case_no"] for r in rows.rows} == {r["case_no"] for r in own}
    assert all(r["unit_name"] == EAST for r in rows.rows) and "共" in rows.summary.text()
    rows.grab().save(str(tmp_path / "units-behind-rows.png"))
    rows.close()
    dialog.close()


def test_rows_behind_other_cells_say_what_they_cannot_show(city):
    from ipdesk.domain.periods import Period
    from ipdesk.exchange.consolidate import annex2_rows_behind, consolidate

    city, (east, _west) = city
    annex1, annex2 = consolidate(city, "2026-10")
    p, catalog = Period.parse("2026-10"), annex1.catalog
    closed, note = annex2_rows_behind(p, catalog, "B.total.closed", annex2.rows, "150602")
    assert note == "" and len(closed) == int(east.figures.annex1("2026-10").display("B.total.closed"))
    assert annex2_rows_behind(p, catalog, "A.officers", annex2.rows)[0] == []  # not counted by cases
    rows, note = annex2_rows_behind(p, catalog, "B.total.filed", annex2.rows, which="ytd")
    assert rows == [] and "本年累计" in note
    rows, note = annex2_rows_behind(p, catalog, "B.total.filed_general", annex2.rows, "150602")
    assert "一般程序" in note and len(rows) >= int(east.figures.annex1("2026-10").display("B.total.filed_general"))


def test_consolidated_annex1_states_its_coverage_on_screen(city, ops, qtbot, tmp_path):
    from ipdesk.exchange.consolidate import consolidation

    city, (east, _west) = city
    page = _annex1_page(city, ops, qtbot)
    line = consolidation(city, "2026-10").scope()["coverage"]
    assert page.coverage.isVisible() and page.coverage.text() == line
    assert line.startswith("汇总单位：东胜区、达拉特旗；未报送：") and "伊金霍洛旗" in line
    page.grab().save(str(tmp_path / "city-annex1.png"))
    page.scope.setCurrentIndex(1)  # 本单位
    assert not page.coverage.isVisible()
    page.scope.setCurrentIndex(0)
    assert page.coverage.isVisible()
    banner = _annex1_page(east, ops, qtbot)
    assert not banner.coverage.isVisible() and not banner.data.consolidated


def test_city_chooses_a_run_of_months(city, ops, qtbot, tmp_path):
    """自选月份 on a city's pages: August–October consolidated (what was sent in them: October); the last
    month never falls before the first; a banner's picker has no such kind."""
    from ipdesk.domain.periods import MONTHS
    from ipdesk.exchange.consolidate import consolidate

    city, (east, _west) = city
    page = _annex1_page(city, ops, qtbot)
    picker = page.picker
    picker.kind.setCurrentIndex(picker.kind.findData(MONTHS))
    assert picker.to.isVisible() and page.data.period.code == "2026-10"  # the month shown before, as 10月至10月
    picker.which.setCurrentIndex(picker.which.findData(8))
    assert page.data.period.code == "2026-08~2026-10" and "2026年8—10月" in page.title.text()
    annex1, annex2 = consolidate(city, "2026-08~2026-10")
    assert page.item_for("B.total.filed").text() == annex1.display("B.total.filed")
    assert "东胜区" in page.coverage.text() and "8—10月" not in page.coverage.text()
    qtbot.wait(50)
    page.grab().save(str(tmp_path / "city-annex1-months.png"))
    picker.to.setCurrentIndex(picker.to.findData(7))  # before the first month: the first follows
    assert page.data.period.code == "2026-07"
    picker.to.setCurrentIndex(picker.to.findData(9))
    assert page.data.period.code == "2026-Q3"  # July–September is the third quarter
    a2 = _annex2_page(city, ops, qtbot)
    a2.picker.kind.setCurrentIndex(a2.picker.kind.findData(MONTHS))
    a2.picker.which.setCurrentIndex(a2.picker.which.findData(8))
    assert a2.data.period_code == "2026-08~2026-10" and len(a2.data.rows) == len(annex2.rows)
    banner = _annex1_page(east, ops, qtbot)
    assert banner.picker.kind.findData(MONTHS) == -1 and not banner.picker.to.isVisible()


def test_print_reports_prints_the_consolidation_a_city_is_looking_at(city, ops, qtbot, settings):
    """打印报表 (Ctrl+P) on a city's 附件1 汇总 printed the city's own, empty tables."""
    from ipdesk.ui.main_window import MainWindow

    city, _ = city
    window = MainWindow(AppContext(city, ops), settings=settings)
    window.ask_unsaved = lambda _text: "discard"
    qtbot.addWidget(window)
    window.show()
    page = window.navigate("annex1")
    page.set_period("2026-10")
    assert page.consolidated()
    window.print_reports()
    with pdfplumber.open(page.last_preview.pdf_path) as pdf:
        text = "".join((p.extract_text() or "").replace(" ", "") for p in pdf.pages)
    assert "（汇总）" in text
    page.scope.setCurrentIndex(1)  # 本单位: the unit's own 附件1 and 附件2, as before
    assert not page.consolidated()
    opened = []
    window.print_reports(on_open=opened.append)
    assert opened and "附件1、附件2" in opened[0].windowTitle()
