"""附件1 and 附件2 screens on the demo office: values, grey '—', drill-down, manual cells, explanations."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from ipdesk.domain.money import wan
from ipdesk.domain.periods import Period
from ipdesk.exchange.approval import approve
from ipdesk.ui.pages.annex1 import GREY


def _sql_ids(desk, sql, params=()):
    return [r[0] for r in desk.db.execute(sql, params).fetchall()]


def test_annex1_shows_the_right_value_for_a_cell(window, demo_desk):
    page = window.navigate("annex1")
    assert page.period().code == "2026-10"  # the month being reported on 2026-11-22
    oct_filed = _sql_ids(demo_desk, "SELECT id FROM cases WHERE filed_date BETWEEN '2026-10-01' AND '2026-10-31'")
    ytd_filed = _sql_ids(demo_desk, "SELECT id FROM cases WHERE filed_date BETWEEN '2026-01-01' AND '2026-10-31'")
    assert page.item_for("B.total.filed").text() == str(len(oct_filed))
    # The parts A/C lists show every comparison; part B follows the chosen view.
    page.which.setCurrentIndex(page.which.findData("ytd"))
    assert page.item_for("B.total.filed", "ytd").text() == str(len(ytd_filed))
    fine = demo_desk.db.execute("SELECT COALESCE(SUM(fine_fen), 0) FROM cases WHERE decision_date BETWEEN "
                                "'2026-01-01' AND '2026-10-31'").fetchone()[0]
    assert page.item_for("B.total.fine", "ytd").text() == f"{fine / 1_000_000:.4f}"
    actions = demo_desk.db.execute("SELECT COUNT(*) FROM inspections WHERE date LIKE '2026-10-%'").fetchone()[0]
    assert page.item_for("A.actions").text() == str(actions)
    # Grouped headers come from the catalogue: 立案其中 spans its three columns.
    grid = page.part_tables["B"]
    col = next(c for c in range(grid.columnCount()) if grid.item(0, c) and grid.item(0, c).text() == "立案其中")
    assert grid.columnSpan(0, col) == 3 and grid.item(1, col).text().startswith("一般程序")
    # The row labels stay on screen when the wide part B scrolls right (a frozen first column).
    page.tabs.setCurrentWidget(grid)
    grid.horizontalScrollBar().setValue(grid.horizontalScrollBar().maximum())
    assert grid.frozen.isVisible() and grid.frozen.isColumnHidden(1) and not grid.frozen.isColumnHidden(0)
    assert grid.frozen.model().index(2, 0).data() == "商标侵权"
    assert grid.frozen.columnWidth(0) == grid.columnWidth(0) and grid.frozen.rowSpan(0, 0) == 2


def test_annex1_period_picker_and_yoy(window, demo_desk):
    page = window.navigate("annex1")
    page.set_period("2026-Q3")
    assert "第三季度" in page.title.text()
    n = len(_sql_ids(demo_desk, "SELECT id FROM cases WHERE filed_date BETWEEN '2026-07-01' AND '2026-09-30'"))
    prev = len(_sql_ids(demo_desk, "SELECT id FROM cases WHERE filed_date BETWEEN '2025-07-01' AND '2025-09-30'"))
    assert page.item_for("B.total.filed").text() == str(n)
    page.which.setCurrentIndex(page.which.findData("prev_current"))
    assert page.item_for("B.total.filed", "prev_current").text() == str(prev)
    page.which.setCurrentIndex(page.which.findData("yoy_current"))
    expected = "—" if prev == 0 else f"{round((n - prev) / prev * 100, 1):+.1f}%"
    assert page.item_for("B.total.filed", "yoy_current").text() == expected
    page.picker.kind.setCurrentIndex(page.picker.kind.findData("bimonth"))
    assert page.period().code == "2026-B4"  # the bimonth holding the quarter's first month (Jul–Aug)
    assert page.data.period.code == "2026-B4"


def test_annex1_no_data_dash_is_grey_and_zero_is_not(window, demo_desk):
    page = window.navigate("annex1")
    page.set_period("2026-10")
    zero = page.item_for("B.tm2.filed")  # 地理标志: no cases this month
    assert zero.text() == "0" and zero.foreground().color() != QColor(GREY)
    # A manual cell never entered shows '—' in grey.
    demo_desk.records.set_manual_cell("A.key_markets", "2026-10", None)
    page.refresh(None)
    none = page.item_for("A.key_markets")
    assert none.text() == "—" and none.foreground().color() == QColor(GREY)


def test_drill_down_lists_the_right_cases(window, demo_desk, qtbot):
    page = window.navigate("annex1")
    page.set_period("2026-10")
    item = page.item_for("B.total.closed")
    page.part_tables["B"].itemActivated.emit(item)  # double-click / Enter on a derived cell
    dialog = page.last_drilldown
    qtbot.addWidget(dialog)
    expected = _sql_ids(demo_desk, "SELECT id FROM cases WHERE closed_date BETWEEN '2026-10-01' AND '2026-10-31' "
                                   "ORDER BY closed_date, id")
    assert sorted(dialog.record_ids()) == sorted(expected) and len(expected) == int(item.text())
    assert f"共 {len(expected)} 条案件" in dialog.summary.text()
    # An inspection cell drills into inspections.
    page.drill_down("A.fairs", "ytd")
    fairs = _sql_ids(demo_desk, "SELECT id FROM inspections WHERE place_kind = '展会' AND date BETWEEN "
                                "'2026-01-01' AND '2026-10-31'")
    assert page.last_drilldown.table_name == "inspections"
    assert sorted(page.last_drilldown.record_ids()) == sorted(fairs)
    qtbot.addWidget(page.last_drilldown)


def test_manual_cell_edited_in_place(window, demo_desk):
    page = window.navigate("annex1")
    page.set_period("2026-10")
    item = page.item_for("A.key_markets")
    assert item.flags() & Qt.ItemIsEditable
    item.setText("12")
    assert demo_desk.records.manual_cell("A.key_markets", "2026-10")["value"] == 12
    assert page.item_for("A.key_markets").text() == "12"
    assert window.undo_action.text() == "撤销 填报 辖区重点实体市场数量（2026年10月）"
    page.item_for("A.key_markets").setText("十二")
    assert "不是数字" in page.message.text()
    assert demo_desk.records.manual_cell("A.key_markets", "2026-10")["value"] == 12
    # 1e400 is float('inf') (once stored it printed "inf" and broke the Excel export); a count is whole.
    for text, message in (("1e400", "请输入有效的数值"), ("inf", "请输入有效的数值"),
                          ("2.5", "“辖区重点实体市场数量”以“个”计，须为整数")):
        page.item_for("A.key_markets").setText(text)
        assert page.message.text() == message, text
        assert demo_desk.records.manual_cell("A.key_markets", "2026-10")["value"] == 12
        assert page.item_for("A.key_markets").text() == "12"
    page.item_for("A.key_markets").setText("")
    assert demo_desk.records.manual_cell("A.key_markets", "2026-10")["value"] is None
    assert page.item_for("A.key_markets").text() == "—"
    # Derived cells are not editable; a quarter cannot take manual entries.
    assert not page.item_for("A.actions").flags() & Qt.ItemIsEditable
    page.set_period("2026-Q3")
    assert not page.item_for("A.key_markets").flags() & Qt.ItemIsEditable


def test_warning_explained_in_the_check_list(window, demo_desk):
    page = window.navigate("annex1")
    page.set_period("2026-10")
    findings = page.data.findings
    warnings = [n for n, f in enumerate(findings) if not f.is_error]
    assert warnings, "the demo's October has outlier warnings"
    assert f"{len(warnings)} 个尚未说明" in page.checks_summary.text()
    row = warnings[0]
    assert page.checks.item(row, 0).text() == "警告"
    page.checks.item(row, 2).setText("本月查办一起大案")
    assert demo_desk.explanations.for_period("2026-10")[findings[row].key] == "本月查办一起大案"
    assert f"{len(warnings) - 1} 个尚未说明" in page.checks_summary.text()
    # Clicking a finding selects its cell.
    if findings[row].cell_id:
        page._finding_clicked(row, 1)
        t = page.tabs.currentWidget()
        assert t.currentItem().data(Qt.UserRole)[0] == findings[row].cell_id


def test_errors_show_red_and_locked_period_refuses_manual_edit(window, demo_desk):
    page = window.navigate("annex1")
    page.set_period("2026-09")
    for f in demo_desk.figures.check_period("2026-09"):
        demo_desk.explanations.explain("2026-09", f.key, "已核实")
    window.ctx.ops.run(lambda: approve(demo_desk, "2026-09", "管理员"))
    assert "已锁定" in page.title.text()
    assert not page.item_for("A.key_markets").flags() & Qt.ItemIsEditable


def test_annex2_detail_table_sortable_with_total(window, demo_desk):
    page = window.navigate("annex2")
    page.picker.set_period(Period.parse("2026-Q3"))
    ids = _sql_ids(demo_desk, "SELECT id FROM cases WHERE filed_date BETWEEN '2026-07-01' AND '2026-09-30' "
                              "OR closed_date BETWEEN '2026-07-01' AND '2026-09-30' ORDER BY filed_date, id")
    assert page.proxy.rowCount() == len(ids)
    case_nos = [demo_desk.records.get_case(i)["case_no"] or "" for i in ids]
    assert page.column_values("case_no") == case_nos
    # money counts by 处罚决定日期, as in 附件1: an undecided case shows —
    decided = [demo_desk.records.get_case(i) for i in ids]
    decided = [c for c in decided if c["decision_date"] and "2026-07-01" <= c["decision_date"] <= "2026-09-30"]
    total = sum(wan(c["amount_involved_fen"]) for c in decided)
    amount_col = [c.id for c in demo_desk.figures.annex2("2026-Q3").catalog.annex2_columns].index("amount_wan")
    assert page.footer.item(0, 0).text() == "合计"
    assert page.footer.item(0, amount_col).text() == f"{total:.4f}"
    assert page.column_values("amount_wan").count("—") == len(ids) - len(decided) > 0
    page.table.sortByColumn(amount_col, Qt.DescendingOrder)
    amounts = [float(v) if v != "—" else 0.0 for v in page.column_values("amount_wan")]
    assert amounts == sorted(amounts, reverse=True)
    # A date range instead of a period.
    page.use_range.setChecked(True)
    page.start.setDate(page.start.date().fromString("2026-10-01", "yyyy-MM-dd"))
    page.end.setDate(page.end.date().fromString("2026-10-31", "yyyy-MM-dd"))
    assert "2026-10-01 至 2026-10-31" in page.title.text()
    assert page.proxy.rowCount() == len(demo_desk.figures.annex2("2026-10").rows)
    # Start after end: said where the count goes, no table (it was an empty table and 共 0 件).
    page.start.setDate(page.start.date().fromString("2026-11-15", "yyyy-MM-dd"))
    page.end.setDate(page.end.date().fromString("2026-11-01", "yyyy-MM-dd"))
    assert page.summary.text() == "起始日期 2026-11-15 晚于截止日期 2026-11-01，请重新选择"
    assert page.proxy.rowCount() == 0 and page.data is None and " 至 " not in page.title.text()
    page.start.setDate(page.start.date().fromString("2026-10-01", "yyyy-MM-dd"))
    assert page.summary.text().startswith("共 ")


def test_drill_down_row_opens_the_case_in_the_ledger(window, demo_desk, qtbot):
    page = window.navigate("annex1")
    page.set_period("2026-10")
    page.drill_down("B.total.filed")
    dialog = page.last_drilldown
    qtbot.addWidget(dialog)
    case_id = dialog.record_ids()[0]
    dialog._open(0, 0)
    assert window.current_key() == "cases"
    form = window.pages["cases"].form
    qtbot.addWidget(form)
    assert form.record_id == case_id


def test_annex1_leads_to_approval_of_the_same_month(window):
    page = window.navigate("annex1")
    page.set_period("2026-09")
    submissions = page.go_submit()
    assert window.current_key() == "submissions"
    assert submissions.period().code == "2026-09"


def test_annex2_shows_case_numbers_units_and_headers_whole(window):
    """At 1366 pixels a 立案号 cut to “〔2026〕1…” could be 10, 11 or 12; every header reads whole too."""
    page = window.navigate("annex2")
    page.picker.set_period(Period.parse("2026"))
    ids = [c.id for c in page.data.catalog.annex2_columns]
    head = page.table.horizontalHeader().fontMetrics()
    for c, col in enumerate(page.data.catalog.annex2_columns):
        assert page.table.columnWidth(c) >= head.horizontalAdvance(col.label) + 12, col.label
    for column_id in ("unit_name", "case_no", "decision_no"):
        c = ids.index(column_id)
        shown = page.table.columnWidth(c)
        page.table.resizeColumnToContents(c)
        assert shown >= page.table.columnWidth(c) - 2, column_id


def test_annex1_list_headers_match_the_printed_form(window):
    """The screen said 单位 where the printed form says 计量单位 (and a city's screen also speaks of 填报单位)."""
    page = window.navigate("annex1")
    for part in ("A", "C"):
        t = page.part_tables[part]
        assert [t.item(0, c).text() for c in range(2)] == ["项目", "计量单位"]
