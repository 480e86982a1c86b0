"""工作台 on the demo office (today 2026-11-22): deadlines with days left and what is sent, key figures."""
from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt

from ipdesk.domain.duties import upcoming_duties
from ipdesk.exchange.approval import approve, period_findings


def _duty_rows(page):
    t = page.duties
    return {t.item(r, 0).text(): (t.item(r, 1).text(), t.item(r, 2).text(), t.item(r, 3).text())
            for r in range(t.rowCount())}


def test_home_shows_deadlines_days_left_and_sent(window, demo_desk):
    page = window.navigate("home")
    rows = _duty_rows(page)
    assert rows["2026年10月统计表（附件1、附件2）"] == ("2026-11-20", "-2", "已逾期2天")
    assert rows["2026年11月统计表（附件1、附件2）"] == ("2026-12-20", "28", "未报送")
    assert rows["2026年全年总结"][:2] == ("2026-11-28", "6")
    assert rows["2027年阶段性总结"][:2] == ("2027-06-20", "210")
    assert rows["2027年专项行动方案及责任人、联络员名单"][:2] == ("2027-03-26", "124")
    # The bulletin is the city's duty, not a banner's.
    assert not any("通报" in title for title in rows)
    # Approving October (every warning explained) marks it sent once the page refreshes.
    for f in period_findings(demo_desk, "2026-10"):
        assert not f.is_error, f.message
        demo_desk.explanations.explain("2026-10", f.key, "演示说明")
    window.ctx.ops.run(lambda: approve(demo_desk, "2026-10", "管理员"))
    rows = _duty_rows(page)
    assert "2026年10月统计表（附件1、附件2）" not in rows  # sent and past: done with
    # The months before October, overdue, by name as everywhere else: one run, not nine codes.
    assert page.unsent_note.text() == "本年另有 9 个月的统计表逾期未报送：2026年1—9月"


def test_overdue_note_names_months_and_stops_after_a_few_runs():
    from ipdesk.ui.pages.home import unsent_text

    assert unsent_text([]) == ""
    assert unsent_text(["2026-02"]) == "本年另有 1 个月的统计表逾期未报送：2026年2月"
    assert unsent_text(["2026-01", "2026-02", "2026-03", "2026-05"]) == \
        "本年另有 4 个月的统计表逾期未报送：2026年1—3月、2026年5月"
    many = unsent_text(["2026-01", "2026-03", "2026-05", "2026-07", "2026-08"])
    assert many == "本年另有 5 个月的统计表逾期未报送：2026年1月、2026年3月、2026年5月等"


def test_home_marks_a_yearly_duty_done_by_hand(window, demo_desk):
    page = window.navigate("home")
    row = next(r for r in range(page.duties.rowCount()) if page.duties.item(r, 0).text() == "2026年全年总结")
    page._duty_double_clicked(row, 0)
    rows = _duty_rows(page)
    assert rows["2026年全年总结"][2] == "已完成"
    assert "annual:2026" in demo_desk.setting("duties_done")


def test_home_key_figures_match_the_table(window, demo_desk):
    page = window.navigate("home")
    table = demo_desk.figures.annex1("2026-11")
    figures = {label: (month, year) for label, _unit, month, year in page.data.figures}
    assert figures["立案"] == (table.display("B.total.filed"), table.display("B.total.filed", "ytd"))
    assert figures["罚没款合计"] == (table.display("B.total.penalty_total"),
                                 table.display("B.total.penalty_total", "ytd"))
    assert figures["开展执法行动"][1] == table.display("A.actions", "ytd")
    # Independent count of this year's filed cases.
    n = demo_desk.db.execute("SELECT COUNT(*) FROM cases WHERE filed_date BETWEEN '2026-01-01' AND '2026-11-30'"
                             ).fetchone()[0]
    assert figures["立案"][1] == str(n)
    # Charts: 12 months, the last being November; categories add up to the year's filings.
    assert len(page.data.months) == 12 and page.data.months[-1][0] == "11月"
    assert sum(n for _, n in page.data.categories) == int(figures["立案"][1])
    assert page.month_chart.chart().series()[0].barSets()[0].count() == 12


def test_home_lists_cases_near_their_time_limit(window, demo_desk):
    # A 一般程序 case filed 85 days ago and still open: 5 days left of 90.
    changes = demo_desk.records.save("cases", {"name": "测试临近时限案", "case_no": "东市监立字〔2026〕901号",
                                       "category": "商标侵权", "procedure": "一般程序", "source": "检查发现",
                                       "filed_date": "2026-08-29"})
    page = window.navigate("home")
    page.refresh(None)
    t = page.warnings
    names = [t.item(r, 0).text() for r in range(t.rowCount())]
    assert "测试临近时限案" in names
    r = names.index("测试临近时限案")
    assert t.item(r, 4).text() == "5天" and t.item(r, 0).data(Qt.UserRole) == changes.record_id


def test_duties_order_and_sent_state():
    duties = upcoming_duties(date(2026, 3, 10), {"2026-02"})
    keys = [d.key for d in duties]
    assert keys[0] == "monthly:2026-02" and duties[0].sent and duties[0].days_left == 10
    assert "plan:2026" in keys and keys.index("plan:2026") < keys.index("midyear:2026")
    assert all(a.due <= b.due for a, b in zip(duties, duties[1:]))


def test_home_monthly_duty_opens_submissions_for_that_month(window):
    page = window.navigate("home")
    row = next(r for r in range(page.duties.rowCount())
               if page.duties.item(r, 0).text() == "2026年10月统计表（附件1、附件2）")
    page._duty_double_clicked(row, 0)
    assert window.current_key() == "submissions"
    assert window.pages["submissions"].period().code == "2026-10"


def _async_window(demo_desk, settings, qtbot):
    """The main window with a real background runner (the GUI's own, not the tests' synchronous one)."""
    from ipdesk.ui.context import AppContext
    from ipdesk.ui.main_window import MainWindow
    from ipdesk.ui.ops import OpRunner

    ops = OpRunner()
    w = MainWindow(AppContext(demo_desk, ops), settings=settings)
    qtbot.addWidget(w)
    w.show()
    return w, ops


def test_home_shows_its_frame_computing_then_the_figures(demo_desk, settings, qtbot):
    window, ops = _async_window(demo_desk, settings, qtbot)
    try:
        page = window.pages["home"]
        # At once: the frame, the unit, 正在计算… where the figures, deadlines and charts will be.
        assert page.computing and page.busy.isVisible() and page.busy.text() == "正在计算…"
        assert page.data is None and page.month_chart is None
        assert page.warnings.item(0, 0).text() == "正在计算…"
        assert "东胜区市场监督管理局" in page.title.text()
        qtbot.waitUntil(lambda: page.data is not None and not page.computing, timeout=10_000)  # shown part by part
        assert not page.busy.isVisible()
        table = demo_desk.figures.annex1("2026-11")
        figures = {label: (month, year) for label, _unit, month, year in page.data.figures}
        assert figures["立案"] == (table.display("B.total.filed"), table.display("B.total.filed", "ytd"))
        grid_values = {page.figures_box.findChild(type(page.busy), "figure_1_2").text()}
        assert grid_values == {figures[page.data.figures[0][0]][1]}
        assert page.month_chart.chart().series()[0].barSets()[0].count() == 12
        assert page.duties.rowCount() == len(page.data.duties) > 1
    finally:
        ops.shutdown()


def test_home_after_a_change_shows_the_newest_figures_only(demo_desk, settings, qtbot):
    window, ops = _async_window(demo_desk, settings, qtbot)
    try:
        page = window.pages["home"]
        qtbot.waitUntil(lambda: page.data is not None, timeout=10_000)
        stale = page.data
        first_asked = page._asked
        computing_after_refresh = []
        real_refresh = page.refresh

        def refresh(changes):
            real_refresh(changes)
            computing_after_refresh.append(page.computing)  # seen here: the read may finish before a poll
        page.refresh = refresh
        # A change through the op runner refreshes the visible home page: computing again, then the new case.
        ops.run(lambda: demo_desk.records.save("cases", {"name": "新近时限案", "case_no": "东市监立字〔2026〕902号",
                                                 "category": "商标侵权", "procedure": "一般程序",
                                                 "source": "检查发现", "filed_date": "2026-08-29"}))
        qtbot.waitUntil(lambda: page._asked > first_asked, timeout=10_000)
        assert computing_after_refresh == [True]
        qtbot.waitUntil(lambda: not page.computing, timeout=10_000)
        assert page.data is not stale
        names = [case.get("name") for case, _ in page.data.warnings]
        assert "新近时限案" in names
        # A result computed before the change arriving late is dropped, not shown over the newer one.
        fresh = page.data
        page._loaded(first_asked, stale)
        assert page.data is fresh
        assert "新近时限案" in [page.warnings.item(r, 0).text() for r in range(page.warnings.rowCount())]
    finally:
        ops.shutdown()


def test_home_reads_on_its_own_connection_while_the_op_worker_is_free(demo_desk, settings, qtbot, monkeypatch):
    """The figures' read does not queue on the op worker: an operation asked for meanwhile runs at once."""
    import threading

    from ipdesk.ui.pages import home

    release, reading = threading.Event(), {}
    real = home.load_home

    def slow_load(reader):
        reading["thread"] = threading.current_thread().name
        reading["own connection"] = reader.db.conn is not demo_desk.db.conn
        release.wait(10)
        return real(reader)
    monkeypatch.setattr(home, "load_home", slow_load)
    window, ops = _async_window(demo_desk, settings, qtbot)
    try:
        page = window.pages["home"]
        qtbot.waitUntil(lambda: "thread" in reading, timeout=10_000)
        done = []
        ops.run(lambda: demo_desk.set_setting("backup_interval_minutes", 7), done.append)
        qtbot.waitUntil(lambda: bool(done), timeout=5_000)  # while the figures are still being read
        assert page.computing and reading == {"thread": reading["thread"], "own connection": True}
        assert reading["thread"].startswith("ipdesk-read")
        release.set()
        qtbot.waitUntil(lambda: page.data is not None, timeout=10_000)
    finally:
        release.set()
        ops.shutdown()


def test_home_reads_once_the_window_has_painted(demo_desk, settings, qtbot, monkeypatch):
    """Nothing competes with the window appearing: the figures are asked for after its first paint."""
    from ipdesk.ui.ops import OpRunner

    monkeypatch.setattr(OpRunner, "FIRST_PAINT_LATEST_MS", 600_000)  # only the paint can release it
    window, ops = _async_window(demo_desk, settings, qtbot)
    try:
        page = window.pages["home"]
        assert ops._held is not None and len(ops._held) == 1  # the home page's read, waiting
        assert ops._reader._thread.ident is None  # no read started yet
        qtbot.waitUntil(lambda: page.data is not None, timeout=10_000)
        assert ops._held is None
    finally:
        ops.shutdown()


def test_home_month_not_yet_due_opens_its_draft_figures(window):
    """This month (2026-11 on 2026-11-22) has not ended: its row opens 附件1 for the month, not the 报送 page
    (which only lists ended months) — it used to raise 无法识别的期间：None."""
    page = window.navigate("home")
    row = next(r for r in range(page.duties.rowCount())
               if page.duties.item(r, 0).text() == "2026年11月统计表（附件1、附件2）")
    page._duty_double_clicked(row, 0)
    assert window.current_key() == "annex1"
    assert window.pages["annex1"].period().code == "2026-11"
    assert "2026年11月" in window.pages["annex1"].title.text()


def test_submissions_page_accepts_a_month_it_does_not_list(window):
    page = window.navigate("submissions")
    page.set_period("2026-11")  # still running: added to the list, said to be not yet approvable
    assert page.period().code == "2026-11"
    assert "尚未结束" in page.state.text()
    page.set_period("2023-05")  # older than the two years listed
    assert page.period().code == "2023-05"
    codes = [page.month.itemData(i) for i in range(page.month.count())]
    assert codes == sorted(codes, reverse=True)


def test_chart_axes_count_in_whole_numbers(window):
    from ipdesk.ui.pages.home import integer_axis

    assert integer_axis(0) == (1, 1) and integer_axis(1) == (1, 1) and integer_axis(4) == (4, 1)
    assert integer_axis(7) == (8, 2) and integer_axis(13) == (15, 5) and integer_axis(101) == (120, 20)
    for top in range(1, 500):
        high, step = integer_axis(top)
        assert high >= top and high % step == 0 and high // step <= 6
    page = window.navigate("home")
    axis = page.month_chart.chart().axes()[1]
    assert axis.labelFormat() == "%d" and axis.tickInterval() == int(axis.tickInterval()) >= 1


def test_category_chart_labels_sit_beside_the_bars(window):
    """Inside the bar, a category's white label (1, 2) ran over a short bar's end onto the white chart."""
    from PySide6.QtCharts import QAbstractBarSeries

    page = window.navigate("home")
    series = page.category_chart.chart().series()[0]
    assert series.isLabelsVisible() and series.labelsPosition() == QAbstractBarSeries.LabelsOutsideEnd
    top = max(n for _, n in page.data.categories)
    axis = page.category_chart.chart().axes(Qt.Horizontal)[0]
    assert axis.max() > top  # room for the longest bar's label


def test_a_banners_month_chart_says_which_months_came_before_its_first_month(desk):
    """A banner on the program since March 2026: its 12-month chart's December–February were never recorded,
    so they are no data (named in the title), not 0; a legacy case dated January makes 2026's months data."""
    from ipdesk.domain import enums
    from ipdesk.ui.pages.home import load_home, no_data_note

    desk.set_first_month("2026-03")
    desk.records.save("cases", {"name": "甲店商标侵权案", "category": "商标侵权",
                                "procedure": enums.PROCEDURE_GENERAL, "filed_date": "2026-03-05"})
    data = load_home(desk)
    assert data.no_data == ["2025-12", "2026-01", "2026-02"]
    note = no_data_note(data.no_data, len(data.months), data.consolidated)
    assert "2025年12月" in note and "2026年1—2月" in note and "在启用月份之前" in note and "未收到报送" not in note
    desk.records.save("cases", {"name": "乙店商标侵权案", "category": "商标侵权",
                                "procedure": enums.PROCEDURE_GENERAL, "filed_date": "2026-01-10"})
    assert load_home(desk).no_data == ["2025-12"]
    desk.set_first_month("2025-01")
    assert load_home(desk).no_data == []
