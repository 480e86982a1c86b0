"""工作台: what is due, this month's and this year's key figures, cases near their time limit, charts.

The page shows its frame at once with 正在计算…; :func:`load_home` (附件1 for the month, every open case's
time limit — ~0.3 s at 100k cases) runs on the op runner's reader thread on its own read-only connection,
and the newest result fills the page (an older one still in flight is dropped).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from PySide6 import QtCore  # ``QtCore.Qt`` is named once the figures arrive (see qt_values)
from PySide6.QtCore import QMargins, QTimer
from PySide6.QtWidgets import (QFrame, QGridLayout, QGroupBox, QHBoxLayout, QLabel, QTableWidget, QVBoxLayout,
                               QWidget)

from ...desk import FIRST_MONTH, Desk
from ...domain.periods import MONTH, YEAR, Period, month_runs, months_back
from ..context import AppContext
from ..qt_values import ALIGN_CENTER
from ..widgets.tables import item_table, placeholder_item, table_item

if TYPE_CHECKING:  # the rest is loaded by load_home on the reader thread, not while the window is built
    from ...domain.duties import Duty
    from ...domain.time_limits import Deadline

RED, AMBER, GREEN, GREY = "#c0392b", "#b9770e", "#1e8449", "#7f8c8d"
DUTY_ROWS = 6  # the duties shown without scrolling: a year's usual five, a city's bulletin with them
# The least a chart is given: with every duty and three time limits whole, 240 did not fit at 1366×728 and Qt
# squeezed the duties under their notes. Fewer value ticks and smaller category labels keep 180 readable (_axes).
CHART_HEIGHT = 180
WARNING_ROWS = 3  # cases near their time limit shown whole, the rest a scroll away (the charts need the room)
UNSENT_RUNS = 3  # overdue months named in the note, as runs (2026年1—3月); more end in 等
DONE_SETTING = "duties_done"
COMPUTING = "正在计算…"


@dataclass
class HomeData:
    """What the 工作台 shows, computed on the reader thread (:func:`load_home`) and set on the page at once."""

    today: object
    duties: list[Duty]
    unsent: list[str]
    figures: list[tuple[str, str, str, str]]  # label, unit, this month, this year
    warnings: list[tuple[dict, Deadline]]
    months: list[tuple[str, int, int]]  # month label, filed, closed
    categories: list[tuple[str, int | None]] = field(default_factory=list)  # category, filed this year
    month_label: str = ""
    year_label: str = ""
    unit_name: str = ""
    calendar_note: str = ""  # the holiday schedule of this or (from November) next year is missing
    # A unit with subordinates: each one's submission of the month now due (exchange.status rows), and the
    # figures above are the consolidation of the last ended month.
    subordinates: list[dict] = field(default_factory=list)
    status_month: str = ""
    consolidated: bool = False
    status_code: str = ""
    # The chart's months (codes) without any figures: a city's without a package, a banner's before its 启用月份.
    no_data: list[str] = field(default_factory=list)


def load_home(desk: Desk) -> HomeData:
    """Everything the home screen shows, computed on the reader thread."""
    # Imported here: not loaded before the main window shows (cold start).
    from ...catalog import get_catalog
    from ...catalog.model import cell_id
    from ...domain.duties import unsent_months, upcoming_duties
    from ...domain.workdays import missing_schedule_warning

    today = desk.today()
    catalog = get_catalog()
    submitted = {code for code, s in desk.records.submitted_periods().items() if not s["reopened_at"]}
    done = set(desk.setting(DONE_SETTING, []) or [])
    first = desk.setting(FIRST_MONTH)  # 启用月份: earlier months are never overdue
    month = Period(today.year, today.month, MONTH)
    city = bool(desk.office.subordinate_units())
    if city:
        # Imported here: not loaded before the main window shows (cold start).
        from ...exchange.consolidate import consolidation
        from ...exchange.status import completeness

        month = month.previous()  # what the units have sent: the last ended month, consolidated
        table = consolidation(desk, month).annex1
        source = lambda p: consolidation(desk, p).annex1  # noqa: E731
    else:
        table = desk.figures.annex1(month)
    figures = []
    heads = catalog.headlines  # the key figures, by catalogue cell (labels and units come from the cells)
    for cid in heads.home:
        cell = catalog.cells().get(cid)
        if cell is None:
            continue
        label = cell.column_label if cell.column else cell.row_label
        label = label.split("·")[-1]
        figures.append((label, cell.unit, table.display(cid, "current"), table.display(cid, "ytd")))
    filed_id, closed_id = catalog.total_cell(heads.filed), catalog.total_cell(heads.closed)
    if city:
        earlier = [source(p) for p in months_back(month, 11)]
        months = [(_month_label(t.period), t.value(filed_id) or 0, t.value(closed_id) or 0) for t in earlier]
        # A month without a package (nor records of the city's own) has no figures, not 0: the chart says which.
        no_data = [t.period.code for t in earlier + [table] if t.value(filed_id) is None]
    else:
        filed, closed = table.monthly.get(filed_id, {}), table.monthly.get(closed_id, {})
        months = [(_month_label(p), filed.get(p.code, 0), closed.get(p.code, 0)) for p in months_back(month, 11)]
        # Months before the 启用月份 that no case was ever recorded in: no data, not 0 (a legacy ledger's are data).
        no_data = desk.figures.unrecorded_months([p.code for p in months_back(month, 11)] + [month.code],
                                                 catalog.cells()[filed_id].measure.table)
    months.append((_month_label(month), table.value(filed_id) or 0, table.value(closed_id) or 0))
    grid = catalog.grid()
    # A city's year without any package has no figures (None); a banner's own records count 0.
    categories = [(row.label, table.value(cell_id(grid.id, row.id, heads.filed), "ytd")) for row in grid.rows
                  if row.level == 0]
    if not city:
        categories = [(label, n or 0) for label, n in categories]
    return HomeData(today, upcoming_duties(today, submitted, done, first, bulletin=city),
                    unsent_months(today, submitted, first), figures,
                    desk.limits.deadlines(only_warnings=True), months, categories, month.label + ("汇总" if city else ""),
                    Period(month.year, 1, YEAR).label, desk.unit["name"],
                    missing_schedule_warning(today, desk.limits.calendar.years()) or "",
                    completeness(desk, month) if city else [], month.label if city else "", city,
                    month.code if city else "", no_data)


def duty_state(d: Duty) -> tuple[str, str]:
    """(text, colour) of a duty's state."""
    if d.sent:
        return "已报送" if d.kind != "yearly" else "已完成", GREEN
    if d.days_left < 0:
        return f"已逾期{-d.days_left}天", RED
    if d.sent is None:
        return "待完成（双击标记）", GREY
    return ("未报送", AMBER if d.days_left <= 5 else GREY)


class HomePage(QWidget):
    def __init__(self, ctx: AppContext):
        super().__init__()
        self.ctx = ctx
        self.data: HomeData | None = None
        self._filling: HomeData | None = None  # the result being shown part by part (show_data)
        self._asked = 0  # number of the newest load asked for; older results are dropped

        self.title = QLabel()
        self.title.setStyleSheet("font-size: 15pt; font-weight: bold;")
        self.busy = QLabel(COMPUTING)
        self.busy.setObjectName("home_busy")
        self.busy.setStyleSheet(f"color: {GREY}; font-size: 11pt;")

        self.duties = _compact(item_table(["待办事项", "截止日期", "剩余天数", "状态"], stretch=0))
        self.duties.cellDoubleClicked.connect(self._duty_double_clicked)
        self.unsent_note = QLabel()
        self.unsent_note.setObjectName("home_unsent_note")
        self.unsent_note.setWordWrap(True)
        self.unsent_note.setStyleSheet(f"color: {RED};")
        duties_box = QGroupBox("报送期限")
        lay = QVBoxLayout(duties_box)
        lay.addWidget(self.duties)
        lay.addWidget(self.unsent_note)
        self.calendar_note = QLabel()
        self.calendar_note.setObjectName("home_calendar_note")
        self.calendar_note.setWordWrap(True)
        self.calendar_note.setStyleSheet(f"color: {AMBER};")
        self.calendar_note.hide()
        lay.addWidget(self.calendar_note)
        lay.addStretch(1)

        self.status_box = QGroupBox("下级单位报送情况")
        self.status_table = _compact(item_table(["单位", "状态", "报送时间", "更正"], stretch=0))
        self.status_table.setObjectName("home_subordinates")
        self.status_table.cellDoubleClicked.connect(self._status_double_clicked)
        QVBoxLayout(self.status_box).addWidget(self.status_table)
        self.status_box.setVisible(False)

        self.figures_box = QGroupBox("主要数据")
        self.figures_grid = QGridLayout(self.figures_box)
        self.figures_grid.setVerticalSpacing(2)  # nine lines of figures as tall as the duties beside them

        self.warnings = _compact(item_table(["案件", "立案号", "时限", "期限", "剩余天数"], stretch=0))
        self.warnings.cellDoubleClicked.connect(self._open_case)
        self.no_warnings = QLabel("没有临近或超过时限的案件")
        self.no_warnings.setObjectName("home_no_warnings")
        self.no_warnings.setStyleSheet(f"color: {GREEN};")
        self.no_warnings.hide()
        self.warn_box = QGroupBox("临近或超过办案时限的案件（双击打开）")
        lay = QVBoxLayout(self.warn_box)
        lay.addWidget(self.warnings)
        lay.addWidget(self.no_warnings)

        # QtCharts is loaded with the first figures; until then the charts' places say 正在计算….
        self.month_chart = self.category_chart = None
        self.charts_area = QWidget()
        self.charts = QHBoxLayout(self.charts_area)
        self.charts.setContentsMargins(0, 0, 0, 0)
        for _ in range(2):
            self.charts.addWidget(_placeholder(), 1)

        head = QHBoxLayout()
        head.addWidget(self.title)
        head.addStretch(1)
        head.addWidget(self.busy)
        # Rows: what is due beside the key figures (as tall as these need), the time limits, the charts. A city's
        # subordinates take the right-hand column below the figures (see _arrange): at 1366×728 the clerk sees
        # every unit of the month at once, a region of 12+ scrolls inside its box.
        self.body = QGridLayout()
        self.body.addWidget(duties_box, 0, 0)
        self.body.addWidget(self.figures_box, 0, 1)
        self.body.setColumnStretch(0, 3)
        self.body.setColumnStretch(1, 2)
        self.body.setRowStretch(2, 1)  # the charts take what is left; no time limits near is one line
        self._city_layout: bool | None = None
        self._arrange(False)
        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addLayout(self.body, 1)
        self.title.setText(ctx.desk.unit["name"])
        self.figures_grid.addWidget(_placeholder(minimum_height=0), 0, 0)
        self._placeholder_rows()

    def _arrange(self, city: bool) -> None:
        """A banner: time limits and charts across the page. A city: both in the left column, its subordinates'
        submissions in the right one from below the figures to the bottom."""
        if city == self._city_layout:
            return
        self._city_layout = city
        for w in (self.warn_box, self.charts_area, self.status_box):
            self.body.removeWidget(w)
        columns = 1 if city else 2
        self.body.addWidget(self.warn_box, 1, 0, 1, columns)
        self.body.addWidget(self.charts_area, 2, 0, 1, columns)
        if city:
            self.body.addWidget(self.status_box, 1, 1, 2, 1)
        self.status_box.setVisible(city)

    # ---- data ----------------------------------------------------------------------------------
    def refresh(self, changes) -> None:
        if changes is not None and not (changes.tables & {"cases", "case_adjustments", "inspections", "work_items",
                                                         "manual_cells", "submissions", "settings", "units",
                                                         "holidays"}):
            return
        self._asked += 1
        self._filling = None  # what an older result has still to show is left for the newer one to show
        asked = self._asked
        self.busy.setText(COMPUTING)
        self.busy.setStyleSheet(f"color: {GREY}; font-size: 11pt;")
        self.busy.show()
        self.ctx.ops.read(self.ctx.desk, load_home, lambda data: self._loaded(asked, data),
                          lambda exc: self._failed(asked, exc))

    @property
    def computing(self) -> bool:
        return self.busy.isVisible() and self.busy.text() == COMPUTING

    def _loaded(self, asked: int, data: HomeData) -> None:
        if asked != self._asked:
            return  # a newer load is on its way: never let an older result overwrite it
        self.show_data(data)  # 正在计算… goes once every part is shown

    def _failed(self, asked: int, exc: BaseException) -> None:
        if asked != self._asked:
            return
        self.busy.setText(f"无法计算：{exc}")
        self.busy.setStyleSheet(f"color: {RED}; font-size: 11pt;")

    def _placeholder_rows(self) -> None:
        for table in (self.duties, self.warnings):
            table.setRowCount(1)
            table.setItem(0, 0, placeholder_item(COMPUTING, GREY))

    def show_data(self, data: HomeData) -> None:
        self.data = data
        self.title.setText(f"{data.unit_name}　今天是 {data.today.year}年{data.today.month}月{data.today.day}日")
        steps = [self._fill_duties, self._fill_status, self._fill_figures, self._fill_warnings, self._fill_charts]
        if self.ctx.ops.synchronous:
            for step in steps:
                step(data)
            self.busy.hide()
            return
        # One part at a time, the event loop turning in between: all at once held the GUI thread ~150 ms at city
        # scale (bench gui_max_stall) — the window would not answer meanwhile. 正在计算… stays until the last.
        self._filling = data

        def next_step() -> None:
            if self._filling is not data:  # a newer result replaces this one: its own steps run instead
                return
            steps.pop(0)(data)
            if steps:
                QTimer.singleShot(0, next_step)
            else:
                self.busy.hide()
        next_step()

    def _fill_duties(self, data: HomeData) -> None:
        t = self.duties
        t.setRowCount(len(data.duties))
        for r, d in enumerate(data.duties):
            text, color = duty_state(d)
            t.setItem(r, 0, table_item(d.title, data=d.key))
            t.setItem(r, 1, table_item(d.due.isoformat(), align="center"))
            t.setItem(r, 2, table_item(d.days_left, color=RED if d.overdue else None, align="right"))
            t.setItem(r, 3, table_item(text, color=color))
        _fit_rows(t, DUTY_ROWS)
        earlier = [m for m in data.unsent if not any(d.key.endswith(m) for d in data.duties)]
        self.unsent_note.setText(unsent_text(earlier))
        self.unsent_note.setVisible(bool(earlier))
        self.calendar_note.setText(data.calendar_note)
        self.calendar_note.setVisible(bool(data.calendar_note))

    def _fill_status(self, data: HomeData) -> None:
        """Each subordinate unit's submission of the month now due: 按时 / 逾期报送 / 未报送 / 逾期未报, corrected."""
        self._arrange(bool(data.subordinates))
        if not data.subordinates:
            return
        sent = sum(r["sent"] for r in data.subordinates)
        self.status_box.setTitle(f"下级单位报送情况（{data.status_month}，已报 {sent}/{len(data.subordinates)}，"
                                 "双击查看）")
        t = self.status_table
        t.setRowCount(len(data.subordinates))
        colors = {"按时": GREEN, "逾期报送": AMBER, "未报送": GREY, "逾期未报": RED}
        for r, row in enumerate(data.subordinates):
            t.setItem(r, 0, table_item(row["name"].replace("市场监督管理局", ""), data=row["code"]))
            t.setItem(r, 1, table_item(row["status"], color=colors.get(row["status"])))
            when = (row["received_at"] or "").replace("T", " ")[:16]
            t.setItem(r, 2, table_item(when, align="center"))
            t.setItem(r, 3, table_item(f"已更正（第{row['revision']}版）" if row["corrected"] else ""))

    def _status_double_clicked(self, _row: int, _col: int):
        """The 报送 page of that month: the unit's package, its difference, completeness."""
        if not self.ctx.navigate or not self.data:
            return None
        page = self.ctx.navigate("submissions")
        if hasattr(page, "set_period"):
            page.set_period(Period.parse(self.data.status_code))
        return page

    def _duty_double_clicked(self, row: int, _col: int) -> None:
        """A month's table opens where it can be worked on: a month that has ended on the 报送 page (its checks
        and approval), a month still running on 附件1 (its draft figures: nothing to approve yet). Yearly duties
        (summaries, plan) are marked done by hand; the app cannot see them being sent."""
        duty = self.data.duties[row] if self.data and 0 <= row < len(self.data.duties) else None
        if duty is None:
            return
        if duty.kind == "monthly":
            self.open_duty(duty)
            return
        done = set(self.ctx.desk.setting(DONE_SETTING, []) or [])
        done.symmetric_difference_update({duty.key})
        self.ctx.desk.set_setting(DONE_SETTING, sorted(done))
        self.refresh(None)

    def open_duty(self, duty: Duty):
        """The page for a monthly table; returns the page shown."""
        if not self.ctx.navigate:
            return None
        period = Period.parse(duty.key.split(":", 1)[1])
        page = self.ctx.navigate("annex1" if period.end >= self.ctx.desk.today() else "submissions")
        if hasattr(page, "set_period"):
            page.set_period(period)
        return page

    def _fill_figures(self, data: HomeData) -> None:
        grid = self.figures_grid
        while grid.count():
            w = grid.takeAt(0).widget()
            if w is not None:
                w.hide()  # at once: deleteLater waits for the event loop, meanwhile it showed under the new grid
                w.deleteLater()
        for c, text in enumerate(("", data.month_label, f"{data.year_label}累计")):
            head = QLabel(f"<b>{text}</b>")
            head.setAlignment(QtCore.Qt.AlignRight)
            grid.addWidget(head, 0, c)
        for r, (label, unit, month, year) in enumerate(data.figures, 1):
            grid.addWidget(QLabel(f"{label}（{unit}）"), r, 0)
            for c, value in enumerate((month, year), 1):
                v = QLabel(value)
                v.setAlignment(QtCore.Qt.AlignRight)
                v.setStyleSheet("font-size: 12pt; font-weight: bold;" + (f"color: {GREY};" if value == "—" else ""))
                v.setObjectName(f"figure_{r}_{c}")
                grid.addWidget(v, r, c)
        line = QFrame()
        line.setFrameShape(QFrame.HLine)
        grid.addWidget(line, len(data.figures) + 1, 0, 1, 3)

    def _fill_warnings(self, data: HomeData) -> None:
        t = self.warnings
        t.setRowCount(len(data.warnings))
        for r, (case, dl) in enumerate(data.warnings):
            color = RED if dl.overdue else AMBER
            t.setItem(r, 0, table_item(case.get("name") or "", data=case.get("id")))
            t.setItem(r, 1, table_item(case.get("case_no") or "（线索）"))
            t.setItem(r, 2, table_item(dl.kind))
            t.setItem(r, 3, table_item(dl.due.isoformat() + ("（估算）" if dl.estimated else ""), align="center"))
            t.setItem(r, 4, table_item(f"超期{-dl.days_left}天" if dl.overdue else f"{dl.days_left}天",
                                       color=color, align="right"))
        _fit_rows(t, WARNING_ROWS, grow=False)
        # None: one green line in place of an empty table (the charts below take the room).
        t.setVisible(bool(data.warnings))
        self.no_warnings.setVisible(not data.warnings)

    def _open_case(self, row: int, _col: int) -> None:
        item = self.warnings.item(row, 0)
        case_id = item.data(QtCore.Qt.UserRole) if item else None
        if case_id is None or not self.ctx.navigate:
            return
        page = self.ctx.navigate("cases")
        if hasattr(page, "open_case"):
            page.open_case(case_id)

    def _chart_views(self) -> None:
        """Put the two chart views in place of their placeholders (first figures only)."""
        from PySide6.QtCharts import QChartView
        from PySide6.QtGui import QPainter

        if self.month_chart is not None:
            return
        views = []
        for n in range(2):
            view = QChartView()
            view.setRenderHint(QPainter.Antialiasing)
            view.setMinimumHeight(CHART_HEIGHT)
            old = self.charts.itemAt(n).widget()
            self.charts.replaceWidget(old, view)
            old.deleteLater()
            views.append(view)
        self.month_chart, self.category_chart = views

    def _fill_charts(self, data: HomeData) -> None:
        from PySide6.QtCharts import QBarSeries, QBarSet, QChart, QHorizontalBarSeries
        from PySide6.QtGui import QColor

        self._chart_views()
        chart = QChart()
        note = no_data_note(data.no_data, len(data.months), data.consolidated)
        if not note and not any(f or c for _, f, c in data.months):  # an empty chart says why it is empty
            note = f"<br><span style='color: {GREY};'>近12个月没有立案或结案的案件</span>"
        chart.setTitle("近12个月案件数" + note)
        filed, closed = QBarSet("立案"), QBarSet("结案")
        for _, f, c in data.months:
            filed.append(f)
            closed.append(c)
        series = QBarSeries()
        series.append(filed)
        series.append(closed)
        chart.addSeries(series)
        # A city's charts share the narrower left column: "11月" twelve times did not fit (Qt dropped the first and
        # last labels), the months' numbers do.
        labels = [m.removesuffix("月") if data.status_month else m for m, _, _ in data.months]
        self._axes(chart, series, labels, max([f for _, f, _ in data.months]
                                                                       + [c for _, _, c in data.months] + [1]))
        self.month_chart.setChart(chart)

        chart = QChart()
        counts = [n for _, n in data.categories]
        why = ""  # an empty chart says why it is empty
        if all(n is None for n in counts):
            why = "：尚未收到报送"
        elif not any(counts):
            why = "：本年尚无立案"
        chart.setTitle(f"{data.year_label}立案数（按案件类别）{why}")
        # Top category first: a horizontal axis lists bottom-up.
        rows = list(reversed(data.categories))
        bar = QBarSet("立案")
        for _, n in rows:
            bar.append(n or 0)
        series = QHorizontalBarSeries()
        series.append(bar)
        series.setLabelsVisible(True)
        # Beside the bar, dark: inside, a short bar's white label (1, 2) ran over its end onto the white chart.
        series.setLabelsPosition(QHorizontalBarSeries.LabelsOutsideEnd)
        bar.setLabelColor(QColor("#333333"))
        chart.addSeries(series)
        chart.legend().setVisible(False)
        top = max([n or 0 for _, n in rows] + [1])
        self._axes(chart, series, [_short(c) for c, _ in rows], top + max(1, top // 8), horizontal=True)  # label room
        self.category_chart.setChart(chart)

    @staticmethod
    def _axes(chart, series, labels: list[str], top: int, horizontal: bool = False) -> None:
        from PySide6.QtCharts import QBarCategoryAxis, QValueAxis

        x = QBarCategoryAxis()
        x.append(labels)
        x.setTruncateLabels(False)
        if horizontal:  # nine categories one above the other: at the window's font Qt dropped some below 240 px
            font = x.labelsFont()
            font.setPointSizeF(font.pointSizeF() * 0.85)
            x.setLabelsFont(font)
        y = QValueAxis()
        # Counts: whole-number ticks only. Qt's applyNiceNumbers() splits 0–1 into quarters, which "%d" prints
        # as "0,0,0,0,1"; a dynamic tick interval from integer_axis() never lands between two counts.
        # At most four steps: under ~240 px high, six crowded Qt's value labels into "…" (the charts may get 180 px
        # on a 1366×768 screen).
        high, step = integer_axis(top, most_ticks=4)
        y.setRange(0, high)
        y.setTickType(QValueAxis.TicksDynamic)
        y.setTickAnchor(0)
        y.setTickInterval(step)
        y.setLabelFormat("%d")
        Qt = QtCore.Qt
        chart.addAxis(x, Qt.AlignLeft if horizontal else Qt.AlignBottom)
        chart.addAxis(y, Qt.AlignBottom if horizontal else Qt.AlignLeft)
        series.attachAxis(x)
        series.attachAxis(y)
        chart.setMargins(QMargins(4, 4, 4, 4))
        chart.layout().setContentsMargins(0, 0, 0, 0)  # the room goes to the axis labels: Qt drops those it cannot fit
        chart.legend().setAlignment(Qt.AlignBottom)


def no_data_note(codes: list[str], of: int, city: bool = True) -> str:
    """A chart's second title line naming its months without any figures: a city's, nothing received; a
    banner's, before its 启用月份 (never recorded in the program)."""
    if not codes:
        return ""
    if city and len(codes) >= of:
        return f"<br><span style='color: {GREY};'>尚未收到下级单位的报送</span>"
    # Short: the city's month chart is a third of the page wide.
    named = "、".join(p.label for p in month_runs(codes))
    return f"<br><span style='color: {GREY};'>{named}{'未收到报送' if city else '在启用月份之前，未登记'}</span>"


def unsent_text(codes: list[str]) -> str:
    """本年另有 9 个月的统计表逾期未报送：2026年1—9月 — months as runs, the first few of many followed by 等."""
    if not codes:
        return ""
    runs = [p.label for p in month_runs(codes)]
    named = "、".join(runs[:UNSENT_RUNS]) + ("等" if len(runs) > UNSENT_RUNS else "")
    return f"本年另有 {len(codes)} 个月的统计表逾期未报送：{named}"


QWIDGETSIZE_MAX = (1 << 24) - 1  # Qt's "no maximum"


def _fit_rows(table: QTableWidget, most: int, *, grow: bool = True) -> None:
    """At least as tall as its header and its first ``most`` rows, whole: a row cut in half reads as a mistake.
    Beyond ``most`` rows it scrolls, and grows with the room there is unless not ``grow``."""
    rows = min(table.rowCount(), most)
    height = table.horizontalHeader().sizeHint().height() + 2 * table.frameWidth()
    height += sum(table.rowHeight(r) for r in range(rows))
    table.setMinimumHeight(height)
    table.setMaximumHeight(QWIDGETSIZE_MAX if grow and table.rowCount() > most else height)


def _compact(table: QTableWidget) -> QTableWidget:
    """Rows as tall as a line of text: the style's default (~30 px) showed 3½ of the 5 duties at 1366×728."""
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 8)
    return table


def _placeholder(minimum_height: int = CHART_HEIGHT) -> QLabel:
    label = QLabel(COMPUTING)
    label.setProperty("alignment", ALIGN_CENTER)  # made before the first paint: see qt_values
    label.setMinimumHeight(minimum_height)
    label.setStyleSheet(f"color: {GREY};")
    return label


def integer_axis(top: int, most_ticks: int = 6) -> tuple[int, int]:
    """(axis maximum, tick step) for counts up to ``top``: a step of 1, 2 or 5 × 10ⁿ, at most ``most_ticks``
    intervals, the maximum a multiple of the step and at least ``top`` (at least 1)."""
    top = max(int(top), 1)
    magnitude = 1
    while True:
        for factor in (1, 2, 5):
            step = factor * magnitude
            if -(-top // step) <= most_ticks:
                return -(-top // step) * step, step
        magnitude *= 10


def _month_label(p: Period) -> str:
    return f"{p.first_month}月"


def _short(category: str) -> str:
    """Axis labels: the category without its parenthesised note, first alternative of a/b/c."""
    return category.split("（")[0].replace("/特殊标志/", "/")
