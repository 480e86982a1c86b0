"""案件台账 on a real database: lazy fetch, SQL filters and sort, 2-character Chinese search,
column chooser remembered, time-limit colours, delete with confirmation and undo."""
import time

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from ipdesk.db.records import CaseFilter
from ipdesk.ui.models.case_table import COLUMNS, NEAR_BG, OVERDUE_BG, PAGE
from ipdesk.ui.pages.cases import CasesPage

from .records_support import case_raw, ctx, type_text  # noqa: F401  (ctx is a fixture)


def column(key):
    return next(i for i, c in enumerate(COLUMNS) if c.key == key)


def test_lazy_fetch_over_thousands_of_rows(ctx, qtbot):
    n = 3000
    ctx.desk.records.save_many("cases", [case_raw(i, filed_date=f"2026-{1 + i % 10:02d}-{1 + i % 28:02d}",
                                          lead_date=f"2026-{1 + i % 10:02d}-01") for i in range(n)],
                       label="批量导入")
    started = time.perf_counter()
    page = CasesPage(ctx)
    qtbot.addWidget(page)
    opened = time.perf_counter() - started
    assert page.model.total == n
    assert page.model.rowCount() == PAGE  # only the first page is read
    assert "共 3000 件" in page.count_label.text()
    page.resize(1200, 600)
    page.show()
    page.table.scrollToBottom()  # the view asks for more as it reaches the end
    qtbot.waitUntil(lambda: page.model.rowCount() > PAGE)
    assert page.model.fetches >= 2
    while page.model.canFetchMore():
        page.model.fetchMore()
    assert page.model.rowCount() == n
    assert len({r["id"] for r in page.model.rows}) == n  # pages neither overlap nor skip
    dates = [r["filed_date"] for r in page.model.rows]
    assert dates == sorted(dates, reverse=True)  # 立案日期, newest first, across pages
    assert opened < 2.0


def test_filters_are_applied_in_sql(ctx, qtbot):
    desk = ctx.desk
    desk.records.save("cases", case_raw(1, category="假冒专利", flag_ecommerce=1, handler="李斌"))
    desk.records.save("cases", case_raw(2, source="检查发现", filed_date="2025-06-01", lead_date="2025-05-30",
                                handler="王伟明、李斌"))
    desk.records.save("cases", case_raw(3, filed_date=None, procedure=None, lead_date="2026-11-20",  # a lead
                                handler="李斌 张强"))
    page = CasesPage(ctx)
    qtbot.addWidget(page)
    assert page.model.total == 3

    def pick(combo, value):
        combo.setCurrentIndex(combo.findData(value))

    pick(page.category, "假冒专利")
    assert [r["name"] for r in page.model.rows] == [case_raw(1)["name"]]
    pick(page.category, None)
    pick(page.ecommerce, True)
    assert page.model.total == 1
    pick(page.ecommerce, False)
    assert page.model.total == 2
    pick(page.ecommerce, None)
    pick(page.year, 2025)
    assert [r["case_no"] for r in page.model.rows] == [case_raw(2)["case_no"]]
    pick(page.year, None)
    pick(page.status, "线索")
    assert [r["case_no"] for r in page.model.rows] == [case_raw(3)["case_no"]]
    pick(page.status, None)
    # 承办人 offers people, not the pairs cases list them in, most cases first; one person finds each case
    # naming them, whatever the separator, and no one whose name merely contains theirs.
    assert [page.handler.itemData(i) for i in range(1, page.handler.count())] == ["李斌", "张强", "王伟明"]
    pick(page.handler, "李斌")
    assert page.model.total == 3
    pick(page.handler, "张强")
    assert [r["case_no"] for r in page.model.rows] == [case_raw(3)["case_no"]]
    desk.records.save("cases", case_raw(4, handler="王伟"))
    assert [r["handler"] for r in desk.records.list_cases(CaseFilter(handler="王伟"))] == ["王伟"]  # not 王伟明
    pick(page.handler, None)
    pick(page.source, "检查发现")
    assert page.model.total == 1 and "共 1 件" in page.count_label.text()


def test_two_character_chinese_search_typed(ctx, qtbot):
    desk = ctx.desk
    desk.records.save("cases", case_raw(1, party_name="朝阳商行", name="朝阳商行涉嫌商标侵权案"))
    desk.records.save("cases", case_raw(2, right_holder="内蒙古伊利实业集团股份有限公司"))
    desk.records.save("cases", case_raw(3))
    page = CasesPage(ctx)
    qtbot.addWidget(page)
    type_text(page.search, "朝阳")  # 2 CJK characters: the FTS trigram pitfall
    qtbot.waitUntil(lambda: page.model.filter.text == "朝阳")  # applied after a short pause in typing
    assert page.model.total == 1
    assert page.model.rows[0]["party_name"] == "朝阳商行"
    page.search.clear()
    type_text(page.search, "伊利")  # right holder
    qtbot.waitUntil(lambda: page.model.filter.text == "伊利")
    assert page.model.total == 1
    assert page.model.rows[0]["right_holder"].startswith("内蒙古伊利")
    page.search.setText("1003")  # case number
    page.apply_filter()
    assert page.model.total == 1 and page.model.rows[0]["case_no"] == case_raw(3)["case_no"]


def test_sort_by_header_is_done_in_sql(ctx, qtbot):
    names = ["丙案", "甲案", "乙案"]
    for i, name in enumerate(names):
        ctx.desk.records.save("cases", case_raw(i, name=name))
    page = CasesPage(ctx)
    qtbot.addWidget(page)
    page.table.sortByColumn(column("name"), Qt.AscendingOrder)
    assert [r["name"] for r in page.model.rows] == sorted(names)
    page.table.sortByColumn(column("name"), Qt.DescendingOrder)
    assert [r["name"] for r in page.model.rows] == sorted(names, reverse=True)


def test_column_choice_is_remembered(ctx, qtbot):
    page = CasesPage(ctx)
    qtbot.addWidget(page)
    assert not page.table.isColumnHidden(column("handler"))
    assert page.table.isColumnHidden(column("right_holder"))
    page.set_column_visible("handler", False)
    page.set_column_visible("right_holder", True)
    again = CasesPage(ctx)
    qtbot.addWidget(again)
    assert again.table.isColumnHidden(column("handler"))
    assert not again.table.isColumnHidden(column("right_holder"))
    # The 显示列 menu (shared with the header's context menu) shows the same choice and changes it.
    assert not again.column_actions["handler"].isChecked() and again.column_actions["right_holder"].isChecked()
    again.column_actions["handler"].setChecked(True)
    assert not again.table.isColumnHidden(column("handler"))


def test_time_limit_warning_per_row(ctx, qtbot):
    desk = ctx.desk  # today is 2026-11-22
    desk.records.save("cases", case_raw(1, name="超期线索", filed_date=None, procedure=None, lead_date="2026-09-01"))
    desk.records.save("cases", case_raw(2, name="临近期限", procedure="一般程序", filed_date="2026-08-29",
                                lead_date="2026-08-28"))
    desk.records.save("cases", case_raw(3, name="正常", procedure="一般程序", filed_date="2026-11-01",
                                lead_date="2026-11-01"))
    page = CasesPage(ctx)
    qtbot.addWidget(page)
    by_name = {r["name"]: i for i, r in enumerate(page.model.rows)}

    def cell(name, key, role):
        return page.model.data(page.model.index(by_name[name], column(key)), role)

    assert cell("超期线索", "name", Qt.BackgroundRole).color() == OVERDUE_BG
    assert cell("超期线索", "deadline", Qt.DisplayRole).startswith("超期")
    assert "15个工作日" in cell("超期线索", "name", Qt.ToolTipRole)
    assert cell("临近期限", "name", Qt.BackgroundRole).color() == NEAR_BG  # due 2026-11-27
    assert cell("临近期限", "deadline", Qt.DisplayRole) == "剩5天"
    assert cell("正常", "name", Qt.BackgroundRole) is None


def test_delete_asks_first_and_undo_brings_it_back(ctx, qtbot, monkeypatch):
    desk = ctx.desk
    desk.records.save("cases", case_raw(1))
    page = CasesPage(ctx)
    qtbot.addWidget(page)
    page.table.selectRow(0)
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a[2]) or QMessageBox.No)
    page.delete_selected()
    assert desk.records.count_cases() == 1 and "确定删除" in asked[0]
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.Yes)
    page.delete_selected()
    assert desk.records.count_cases() == 0 and page.model.total == 0
    assert desk.records.undo_label() == f"撤销 删除案件 {case_raw(1)['name']}"
    ctx.ops.run(desk.records.undo_last, page.refresh)
    assert page.model.total == 1


def test_double_click_opens_the_case(ctx, qtbot):
    ctx.desk.records.save("cases", case_raw(7))
    page = CasesPage(ctx)
    qtbot.addWidget(page)
    page.resize(1200, 500)
    page.show()
    qtbot.waitExposed(page)
    rect = page.table.visualRect(page.model.index(0, column("name")))
    qtbot.mouseClick(page.table.viewport(), Qt.LeftButton, pos=rect.center())
    qtbot.mouseDClick(page.table.viewport(), Qt.LeftButton, pos=rect.center())
    assert page.form is not None and page.form.isVisible()
    assert page.form.editors["name"].value() == case_raw(7)["name"]
    page.form.reject()


def test_default_order_places_open_leads_by_their_lead_date(ctx, qtbot):
    desk = ctx.desk
    desk.records.save("cases", case_raw(1, name="三月立案", filed_date="2026-03-05", lead_date="2026-03-01"))
    desk.records.save("cases", case_raw(2, name="十月线索", filed_date=None, procedure=None, lead_date="2026-10-10"))
    desk.records.save("cases", case_raw(3, name="十一月立案", filed_date="2026-11-05", lead_date="2026-11-01"))
    page = CasesPage(ctx)
    qtbot.addWidget(page)
    assert [r["name"] for r in page.model.rows] == ["十一月立案", "十月线索", "三月立案"]
    page.table.sortByColumn(column("filed_date"), Qt.AscendingOrder)  # a chosen column: empty values last
    assert [r["name"] for r in page.model.rows] == ["三月立案", "十一月立案", "十月线索"]


def test_reloads_read_on_the_worker_and_keep_the_place(ctx, qtbot):
    """With the app's real background runner: the ledger's reads never run on the GUI thread, a reload overtaken
    by a newer filter is dropped, and a refresh after a write keeps the selected case and the scroll position."""
    import threading

    from ipdesk.desk import Changes
    from ipdesk.ui.context import AppContext
    from ipdesk.ui.ops import OpRunner

    desk = ctx.desk
    n = 1200
    desk.records.save_many("cases", [case_raw(i, category="假冒专利" if i % 3 == 0 else "商标侵权",
                                      filed_date=f"2026-{1 + i % 10:02d}-{1 + i % 28:02d}",
                                      lead_date=f"2026-{1 + i % 10:02d}-01") for i in range(n)],
                   label="批量导入")
    reads, on_gui_thread = [], []
    for manager, name in ((desk.records, "case_ids"), (desk.records, "cases_by_ids"), (desk.limits, "deadlines_of"),
                          (desk.records, "case_years"), (desk.records, "case_handlers")):
        def spy(*args, _real=getattr(manager, name), _name=name, **kwargs):
            reads.append(_name)
            if threading.current_thread() is threading.main_thread():
                on_gui_thread.append(_name)
            return _real(*args, **kwargs)
        setattr(manager, name, spy)
    ops = OpRunner()
    try:
        page = CasesPage(AppContext(desk, ops))
        qtbot.addWidget(page)
        assert page.model.total == 0 and page.count_label.text() == "正在读取…"  # shown before the rows arrive
        qtbot.waitUntil(lambda: page.model.total == n)
        assert "共 1200 件" in page.count_label.text()

        def settled():  # every queued read done and delivered (the runner is first in, first out)
            done = []
            ops.run(lambda: None, done.append, emit_changes=False)
            qtbot.waitUntil(lambda: bool(done))

        shown = []
        page.model.reloaded.connect(lambda: shown.append(page.model.filter.category))
        page.category.setCurrentIndex(page.category.findData("商标侵权"))
        page.category.setCurrentIndex(page.category.findData("假冒专利"))  # before the first result is in
        settled()
        assert shown == ["假冒专利"]
        assert page.model.total == n // 3 and {r["category"] for r in page.model.rows} == {"假冒专利"}

        page.category.setCurrentIndex(0)
        settled()
        page.resize(1000, 500)
        page.show()
        assert on_gui_thread == [] and {"case_ids", "case_handlers"} <= set(reads)
        while page.model.rowCount() < 3 * PAGE:
            page.model.fetchMore()  # one page as the view scrolls: by primary key, on the GUI thread
        page.table.selectRow(2 * PAGE + 50)
        chosen = page.selected_id()
        scroll = page.table.verticalScrollBar().value()
        assert scroll > 0
        # sorts below the rows on screen
        desk.records.save("cases", case_raw(n + 1, filed_date="2026-01-01", lead_date="2026-01-01"))
        page.refresh(Changes({"cases"}))
        settled()
        assert page.model.total == n + 1 and page.model.rowCount() >= 3 * PAGE
        assert page.selected_id() == chosen
        assert page.table.verticalScrollBar().value() == scroll
        # the costly reads (all ordered ids, the choices) never; only pages the view fetched as it scrolled
        assert set(on_gui_thread) <= {"cases_by_ids", "deadlines_of"}
    finally:
        ops.shutdown()


def test_time_limit_column_shows_its_estimate_mark(ctx, qtbot):
    """At 80 pixels the column showed “剩88天（…”: the 估算 mark the 工作台 points to was cut off."""
    page = CasesPage(ctx)
    qtbot.addWidget(page)
    metrics = page.table.fontMetrics()
    assert page.table.columnWidth(column("deadline")) >= metrics.horizontalAdvance("超期100天（估算）") + 8
