"""报送: approve a month (with its checks and explanations), export / re-send the package, see what was
sent, reopen for a correction; in city mode also receive packages (file picker or drag and drop),
confirm corrections after seeing their difference, watch completeness, consolidate and write the
bimonthly bulletin.

Every core call goes through ``ctx.ops.run``; refusals are shown in the page's message line (no
modal box), so the page works by keyboard and in tests.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QFileDialog, QGroupBox, QHBoxLayout,
                               QInputDialog, QLabel, QListWidget, QMessageBox, QPushButton, QTableWidgetItem,
                               QTabWidget, QVBoxLayout, QWidget)

from ...domain import enums
from ...domain.periods import BIMONTH, MONTH, Period
from ...errors import IpdeskError
from ...exchange import approval
from ...exchange.receive import NEW, REFUSED, REPLACE, STATUS_LABEL, Verdict, import_packages, inspect_package
from ...exchange.status import MISSING_LATE, SENT_LATE, completeness, completeness_summary
from ..context import AppContext
from ..ops import OperationCancelled, show_error
from ..screen_fit import fit_size
from ..widgets.tables import item_table, table_item
from ...exchange.package import export_package
from ...exchange.receive import import_changes
from ...exchange.consolidate import consolidate
from ...reports.consolidated import write_consolidated
from ...reports.export import write_table
from ...exchange.bulletin import build_bulletin, last_complete_bimonth, write_bulletin

RED, AMBER, GREEN, GREY = "#c62828", "#b26a00", "#2e7d32", "#7f8c8d"
LATE_BACKGROUND = "#fde0dc"


@dataclass
class SubmissionData:
    period: Period
    city: bool
    findings: list
    explanations: dict
    active: dict | None
    history: list[dict]
    completeness: list[dict]
    can_approve: bool


def load(desk, period: Period) -> SubmissionData:
    city = approval.is_city(desk)
    active = approval.active_submission(desk, period)
    ended = period.end < desk.today()
    findings = approval.period_findings(desk, period) if ended and active is None else []
    return SubmissionData(period, city, findings, desk.explanations.for_period(period.code), active,
                          approval.submission_history(desk), completeness(desk, period) if city else [],
                          desk.office.user_role() in enums.APPROVER_ROLES)


class CorrectionDialog(QDialog):
    """What a correction changes against the version it replaces; accept to replace it."""

    def __init__(self, verdict: Verdict, parent=None):
        super().__init__(parent)
        self.setWindowTitle("确认更正")
        old = verdict.replaces
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"<b>{verdict.label}</b> 将替换已接收的第{old['revision']}版"
                                f"（{(old['received_at'] or '').replace('T', ' ')} 接收）。<br>"
                                f"附件1 变化 {len(verdict.diff)} 处；{verdict.annex2_change}。"
                                + (f"<br><span style='color:{AMBER}'>{verdict.reason}</span>" if verdict.reason else "")))
        self.table = item_table(["项目", "原值", "新值"])
        for change in verdict.diff:
            r = self.table.rowCount()
            self.table.insertRow(r)
            self.table.setItem(r, 0, table_item(change.where))
            self.table.setItem(r, 1, table_item(change.old))
            self.table.setItem(r, 2, table_item(change.new, color=RED))
        layout.addWidget(self.table)
        buttons = QDialogButtonBox()
        buttons.addButton("接受更正", QDialogButtonBox.AcceptRole)
        buttons.addButton("不接受", QDialogButtonBox.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        fit_size(self, 720, 480)


class SubmissionsPage(QWidget):
    def __init__(self, ctx: AppContext):
        super().__init__()
        self.ctx = ctx
        self.data: SubmissionData | None = None
        self.last_import: list[Verdict] = []
        # (prompt) → the password typed, or None when cancelled; a password box, replaced by tests.
        self.ask_password = self._ask_password
        self.setAcceptDrops(True)

        self.month = QComboBox()
        start = Period(ctx.desk.today().year, ctx.desk.today().month, MONTH)
        p = start
        for _ in range(24):
            p = p.previous()
            self.month.addItem(p.label, p.code)
        self.month.currentIndexChanged.connect(lambda _i: self.reload())
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextSelectableByMouse)
        top = QHBoxLayout()
        top.addWidget(QLabel("报送月份"))
        top.addWidget(self.month)
        top.addStretch(1)

        self.tabs = QTabWidget()
        self.tabs.addTab(self._own_tab(), "本单位报送")
        self.city_tab = self._city_tab()
        self.tabs.addTab(self.city_tab, "接收与汇总（下级单位）")

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.message)
        layout.addWidget(self.tabs, 1)
        self.reload()

    # ---- layout ------------------------------------------------------------------------------
    def _own_tab(self) -> QWidget:
        w = QWidget()
        self.state = QLabel()
        self.state.setStyleSheet("font-size: 12pt; font-weight: bold;")
        self.checks = item_table(["类别", "问题", "说明（警告须填写）"], editable=True)
        self.checks.itemChanged.connect(self._explanation_edited)
        self.approve_button = QPushButton("审核并锁定(&A)")
        self.export_button = QPushButton("导出报送包(&E)…")
        self.reopen_button = QPushButton("发起更正(&R)…")
        self.approve_button.clicked.connect(self.approve)
        self.export_button.clicked.connect(self._export_clicked)
        self.reopen_button.clicked.connect(self._reopen_clicked)
        buttons = QHBoxLayout()
        for b in (self.approve_button, self.export_button, self.reopen_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        self.history = item_table(["月份", "版次", "审核人", "审核时间", "报送包导出时间", "报送包编号", "状态"])
        self.history.cellDoubleClicked.connect(self._history_activated)
        layout = QVBoxLayout(w)
        layout.addWidget(self.state)
        box = QGroupBox("审核前校验（错误须改正，警告须说明）")
        QVBoxLayout(box).addWidget(self.checks)
        layout.addWidget(box, 2)
        layout.addLayout(buttons)
        hist = QGroupBox("已报送记录（双击某行可重新发送该月的报送包）")
        QVBoxLayout(hist).addWidget(self.history)
        layout.addWidget(hist, 1)
        return w

    def _city_tab(self) -> QWidget:
        w = QWidget()
        self.import_button = QPushButton("导入报送包(&I)…")
        self.import_button.clicked.connect(self._import_clicked)
        self.consolidate_button = QPushButton("输出汇总表(&C)…")
        self.consolidate_button.clicked.connect(self._consolidate_clicked)
        self.bulletin_button = QPushButton("双月通报(&B)…")
        self.bulletin_button.clicked.connect(self._bulletin_clicked)
        self.preview_consolidated_button = QPushButton("预览汇总表…")
        self.preview_consolidated_button.setToolTip("预览、打印本月汇总的附件1（另存为 PDF 或 Excel）")
        self.preview_consolidated_button.clicked.connect(self.preview_consolidated)
        self.preview_bulletin_button = QPushButton("预览通报…")
        self.preview_bulletin_button.clicked.connect(self.preview_bulletin)
        self.last_preview = None
        bar = QHBoxLayout()
        for b in (self.import_button, self.consolidate_button, self.preview_consolidated_button, self.bulletin_button,
                  self.preview_bulletin_button):
            bar.addWidget(b)
        bar.addStretch(1)
        hint = QLabel("可将多个 .ipdx 报送包或下级单位填写的附件1 Excel 表（.xlsx）直接拖放到本页面导入。")
        self.summary = QLabel()
        self.units = item_table(["单位代码", "单位", "报送情况", "报送时间", "版次", "更正"])
        self.results = QListWidget()
        layout = QVBoxLayout(w)
        layout.addLayout(bar)
        layout.addWidget(hint)
        layout.addWidget(self.summary)
        layout.addWidget(self.units, 3)
        layout.addWidget(QLabel("最近一次导入结果"))
        layout.addWidget(self.results, 1)
        return w

    # ---- data --------------------------------------------------------------------------------
    def period(self) -> Period:
        return Period.parse(self.month.currentData())

    def set_period(self, period: str | Period) -> None:
        p = period if isinstance(period, Period) else Period.parse(period)
        index = self.month.findData(p.code)
        if index < 0:  # a month the list does not offer (still running, or older than two years): add it in order
            codes = [self.month.itemData(i) for i in range(self.month.count())]
            index = next((i for i, c in enumerate(codes) if Period.parse(c) < p), len(codes))
            self.month.insertItem(index, p.label, p.code)
        self.month.setCurrentIndex(index)

    def refresh(self, changes) -> None:
        if changes is None or changes.tables & {"submissions", "received_packages", "explanations", "cases",
                                                "inspections", "work_items", "manual_cells", "units", "users"}:
            self.reload()

    def reload(self) -> None:
        period = self.period()
        self.ctx.ops.run(lambda: load(self.ctx.desk, period), self.show_data, self._failed, emit_changes=False)

    def show_data(self, data: SubmissionData) -> None:
        self.data = data
        p = data.period
        errors = [f for f in data.findings if f.is_error]
        warnings = [f for f in data.findings if not f.is_error]
        unexplained = [f for f in warnings if not data.explanations.get(f.key, "").strip()]
        if data.active:
            sent = f"，报送包已于 {data.active['exported_at'].replace('T', ' ')} 导出" if data.active["exported_at"] \
                else "，尚未导出报送包"
            self.state.setText(f"<span style='color:{GREEN}'>{p.label}已审核（第{data.active['revision']}版，"
                               f"{data.active['approved_by']} {data.active['approved_at'].replace('T', ' ')}）{sent}</span>")
        elif p.end >= self.ctx.desk.today():
            self.state.setText(f"{p.label}尚未结束，不能审核")
        elif errors or unexplained:
            self.state.setText(f"<span style='color:{RED}'>{p.label}未审核：{len(errors)} 个错误，"
                               f"{len(unexplained)} 个警告尚未说明</span>")
        else:
            self.state.setText(f"{p.label}未审核：校验通过，可以审核")
        self._fill_checks(data)
        self.approve_button.setEnabled(data.active is None and data.can_approve and not errors and not unexplained
                                       and p.end < self.ctx.desk.today())
        self.approve_button.setToolTip("" if data.can_approve else "只有审核人或管理员可以审核")
        self.export_button.setEnabled(data.active is not None)
        self.export_button.setText("重新发送报送包(&E)…" if data.active and data.active["exported_at"]
                                   else "导出报送包(&E)…")
        self.reopen_button.setEnabled(data.active is not None and data.can_approve)
        self._fill_history(data)
        self.tabs.setTabEnabled(1, data.city)
        if data.city:
            self._fill_units(data)

    def _fill_checks(self, data: SubmissionData) -> None:
        t = self.checks
        t.blockSignals(True)
        t.setRowCount(0)
        for f in data.findings:
            r = t.rowCount()
            t.insertRow(r)
            t.setItem(r, 0, table_item("错误" if f.is_error else "警告", color=RED if f.is_error else AMBER))
            t.setItem(r, 1, table_item(f.message, data=f.key))
            t.setItem(r, 2, table_item(data.explanations.get(f.key, ""), editable=not f.is_error, data=f.key))
        t.blockSignals(False)

    def _fill_history(self, data: SubmissionData) -> None:
        t = self.history
        t.clearSpans()
        t.setRowCount(0)
        for h in data.history:
            r = t.rowCount()
            t.insertRow(r)
            state = ("已被更正版替代" if h["superseded_at"] else
                     f"已发起更正（{h['reopen_reason']}）" if h["reopened_at"] else "有效")
            values = [Period.parse(h["period"]).label, f"第{h['revision']}版", h["approved_by"],
                      (h["approved_at"] or "").replace("T", " "), (h["exported_at"] or "未导出").replace("T", " "),
                      h["package_uuid"] or "", state]
            for c, v in enumerate(values):
                t.setItem(r, c, table_item(v, data=h["period"]))
        if not data.history:  # said, not an empty box
            t.setRowCount(1)
            t.setItem(0, 0, table_item("还没有审核报送记录：审核并锁定一个月后在这里列出，双击可重新导出报送包", color=GREY))
            t.setSpan(0, 0, 1, t.columnCount())

    def _fill_units(self, data: SubmissionData) -> None:
        t = self.units
        t.setRowCount(0)
        for u in data.completeness:
            r = t.rowCount()
            t.insertRow(r)
            late = u["status"] in (SENT_LATE, MISSING_LATE)
            values = [u["code"], u["name"], u["status"], (u["sent_at"] or "").replace("T", " "),
                      f"第{u['revision']}版" if u["revision"] else "",
                      f"已更正 {(u['corrected_at'] or '').replace('T', ' ')}" if u["corrected"] else ""]
            for c, v in enumerate(values):
                item = table_item(v, color=RED if late and c == 2 else None)
                if late:
                    item.setBackground(QBrush(QColor(LATE_BACKGROUND)))
                t.setItem(r, c, item)
        s = completeness_summary(data.completeness)
        self.summary.setText(f"{data.period.label}（截止 {data.period.deadline().isoformat()}）：共 {s['units']} 个单位，"
                             f"已报 {s['sent']}（按时 {s['on_time']}，逾期 {s['late']}），未报 {s['missing']}，"
                             f"更正 {s['corrected']}")

    # ---- own submission ----------------------------------------------------------------------
    def _say(self, text: str, color: str = GREEN) -> None:
        self.message.setText(f"<span style='color:{color}'>{text}</span>")

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, IpdeskError):
            self._say(exc.zh, RED)
        else:
            show_error(exc, self)

    def _explanation_edited(self, item: QTableWidgetItem) -> None:
        if item.column() != 2:
            return
        key, text, period = item.data(Qt.UserRole), item.text(), self.period().code
        self.ctx.ops.run(lambda: self.ctx.desk.explanations.explain(period, key, text), None, self._failed)

    def approve(self) -> None:
        """审核并锁定, confirmed with the approver's password: at a shared PC, whoever finds the window open
        must not approve in another's name (the command line asks it as well). A user who may not approve is
        refused by the core without being asked; one with no password (working alone) is not asked."""
        period, desk = self.period(), self.ctx.desk
        user = desk.user
        password = None
        me = next((u for u in desk.office.users() if u["name"] == user), None)
        if me is not None and me["has_password"] and desk.office.user_role() in enums.APPROVER_ROLES:
            password = self.ask_password(f"审核并锁定{period.label}后，该月记录不能再修改。\n"
                                         f"请输入“{user}”的密码确认：")
            if password is None:
                return

        def task():
            if password is not None and not desk.office.check_password(user, password):
                raise IpdeskError(f"“{user}”的密码不正确，未审核", "wrong password; nothing approved")
            return approval.approve(desk, period, user)
        self.ctx.ops.run(task, lambda ch: self._say(f"已{ch.label}，该月记录已锁定"), self._failed,
                         parent=self, progress="正在审核…")

    def _ask_password(self, prompt: str) -> str | None:
        from PySide6.QtWidgets import QInputDialog, QLineEdit

        text, ok = QInputDialog.getText(self, "审核确认", prompt, QLineEdit.Password)
        return text if ok else None

    def export_package_to(self, path: str | Path, period: Period | None = None, mask: bool = True) -> None:
        period, desk = period or self.period(), self.ctx.desk

        def done(manifest):
            self._say(f"已导出报送包：{path}（第{manifest['revision']}版）")
            self.reload()
        self.ctx.ops.run(lambda: export_package(desk, period, path, mask=mask), done, self._failed, parent=self,
                         progress="正在生成报送包…")

    def _export_clicked(self) -> None:
        unit = self.ctx.desk.unit
        default = f"{unit['code']}-{unit['name']}-{self.period().code}.ipdx"
        path, _ = QFileDialog.getSaveFileName(self, "保存报送包", default, "报送包 (*.ipdx)")
        if path:
            self.export_package_to(path)

    def _history_activated(self, row: int, _col: int) -> None:
        period = self.history.item(row, 0).data(Qt.UserRole)
        if not period:  # the line saying there is none yet
            return
        self.set_period(period)
        if self.data and self.data.active:
            self._export_clicked()

    def reopen_with_reason(self, reason: str) -> None:
        period, desk = self.period(), self.ctx.desk
        self.ctx.ops.run(lambda: approval.reopen(desk, period, desk.user, reason),
                         lambda ch: self._say(f"已{ch.label}：记录可以修改，改好后请重新审核并导出报送包", AMBER),
                         self._failed)

    def _reopen_clicked(self) -> None:
        reason, ok = QInputDialog.getText(self, "发起更正", f"更正{self.period().label}的原因：")
        if ok:
            self.reopen_with_reason(reason)

    # ---- city mode ---------------------------------------------------------------------------
    def _import_clicked(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self, "导入报送包", "", "报送包或附件1 Excel 表 (*.ipdx *.xlsx);;所有文件 (*)")
        if paths:
            self.import_files(paths)

    def dragEnterEvent(self, event) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        paths = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.import_files(paths)

    def import_files(self, paths: list[str]) -> None:
        """Verify all files in the background; confirm each correction with its difference; then import."""
        desk = self.ctx.desk
        def verify(report):
            out = []
            for n, p in enumerate(paths):
                report(n, len(paths))  # 取消 stops here: verifying writes nothing
                out.append(inspect_package(desk, p).settled())
            return out
        self.ctx.ops.run(verify, lambda vs: self._confirm_then_import(paths, vs), self._failed, parent=self,
                         progress=f"正在校验 {len(paths)} 个报送包…", emit_changes=False, cancellable=True)

    def _confirm_then_import(self, paths: list[str], verdicts: list[Verdict]) -> None:
        confirmed, after_approval = set(), set()
        for v in verdicts:
            if v.status == REPLACE and CorrectionDialog(v, self).exec() == QDialog.Accepted:
                confirmed.add(v.uuid)
            if v.status in (NEW, REPLACE) and v.after_approval and self.ask_after_approval(v):
                after_approval.add(v.uuid)
        desk = self.ctx.desk

        def work(report):
            # Each package is accepted whole; 取消 stops before the next one (those accepted stay, as listed).
            done = import_packages(desk, paths, confirm=lambda v: v.uuid in confirmed,
                                   accept_after_approval=lambda v: v.uuid in after_approval,
                                   progress=lambda n, total, _v: report(n, total))
            self.last_import = done
            return import_changes(done)

        def failed(exc: BaseException) -> None:
            if isinstance(exc, OperationCancelled):
                self._say("已取消导入：取消前已接收的报送包保留，其余未导入", RED)
                self.reload()
            else:
                self._failed(exc)
        self.ctx.ops.run(work, lambda _ch: self._show_import(), failed, parent=self,
                         progress=f"正在导入 {len(paths)} 个报送包…", cancellable=True)

    def ask_after_approval(self, v: Verdict) -> bool:
        """This office already approved the month: accepting changes what it sent upward."""
        sub = v.after_approval
        text = (f"本单位已于 {sub['approved_at'].replace('T', ' ')} 审核并锁定该月的汇总（第{sub['revision']}版）。\n\n"
                f"接收“{v.label}”会改变已审核的汇总数。接收后，本单位该月须发起更正、重新审核并重新上报。\n\n"
                "是否仍然接收？")
        return QMessageBox.question(self, "接收已审核月份的报送包", text) == QMessageBox.Yes

    def _show_import(self) -> None:
        self.results.clear()
        for v in self.last_import:
            self.results.addItem(f"{Path(v.path).name}：{v.summary()}")
            if v.status == REFUSED:
                self.results.item(self.results.count() - 1).setForeground(QBrush(QColor(RED)))
        refused = sum(v.status == REFUSED for v in self.last_import)
        counts = {}
        for v in self.last_import:
            counts[STATUS_LABEL[v.status]] = counts.get(STATUS_LABEL[v.status], 0) + 1
        self._say("导入完成：" + "，".join(f"{k} {n} 个" for k, n in counts.items()), RED if refused else GREEN)
        self.reload()

    def write_consolidated(self, fmt: str, path: str | Path) -> None:
        """附件1 to ``path`` and 附件2 next to it (…-附件2); json holds both. 取消 leaves neither file."""
        period, desk, path = self.period(), self.ctx.desk, Path(path)
        self.ctx.ops.run(lambda report: write_consolidated(desk, period, fmt, path, report),
                         lambda files: self._say("已输出汇总表：" + "、".join(str(f) for f in files)),
                         self._failed_or_cancelled("已取消输出汇总表，未写入任何文件"), parent=self,
                         progress="正在汇总…", emit_changes=False, cancellable=True)

    def _failed_or_cancelled(self, cancelled_text: str):
        def failed(exc: BaseException) -> None:
            if isinstance(exc, OperationCancelled):
                self._say(cancelled_text, RED)
            else:
                self._failed(exc)
        return failed

    def preview_consolidated(self) -> None:
        """The consolidated 附件1 of the month in the preview window (print, save as PDF/Excel)."""
        # Imported here: QtPdf loads only when needed (heavy).
        from ..preview import show_report_preview

        period, desk = self.period(), self.ctx.desk

        def build(fmt):
            return lambda path, progress=None: write_table(desk, consolidate(desk, period)[0], fmt, path, progress)
        show_report_preview(self.ctx, build("pdf"), build("xlsx"), parent=self, title=f"汇总表预览　{period.label}",
                            file_stem=f"{desk.unit['name']}-汇总-{period.code}",
                            on_open=lambda d: setattr(self, "last_preview", d))

    def preview_bulletin(self) -> None:
        # Imported here: QtPdf loads only when needed (heavy).
        from ..preview import show_report_preview

        period, desk = self.bulletin_period(), self.ctx.desk
        if period is None:
            return

        def build(fmt):
            return lambda path, progress=None: write_bulletin(desk, build_bulletin(desk, period), fmt, path, progress)
        show_report_preview(self.ctx, build("pdf"), build("xlsx"), parent=self, title=f"{period.label}通报预览",
                            file_stem=f"{desk.unit['name']}-通报-{period.code}",
                            on_open=lambda d: setattr(self, "last_preview", d))

    def _consolidate_clicked(self) -> None:
        unit = self.ctx.desk.unit
        path, chosen = QFileDialog.getSaveFileName(self, "输出汇总表", f"{unit['name']}-汇总-{self.period().code}.pdf",
                                                   "PDF (*.pdf);;Excel (*.xlsx);;JSON (*.json)")
        if path:
            self.write_consolidated(Path(path).suffix.lstrip(".").lower() or "pdf", path)

    def bulletin_period(self) -> Period | None:
        """The bimonth of the selected month; one that has not ended is not bulletined without asking (its
        figures would be partial, every unit 未报送): the last complete bimonth is offered instead."""
        p = self.period()
        chosen = Period(p.year, p.first_month - (p.first_month - 1) % 2, BIMONTH)
        if chosen.end < self.ctx.desk.today():
            return chosen
        done = last_complete_bimonth(self.ctx.desk.today())
        if self.ask(f"{chosen.label}尚未结束，现在编制的通报数据不完整，各单位也都还未报送。\n\n"
                    f"改为编制最近一个已结束的双月（{done.label}）的通报吗？"):
            return done
        return None

    def ask(self, question: str) -> bool:
        """A yes/no question (tests answer it without a dialog)."""
        answer = QMessageBox.question(self, "双月通报", question, QMessageBox.Yes | QMessageBox.No, QMessageBox.Yes)
        return answer == QMessageBox.Yes

    def write_bulletin(self, fmt: str, path: str | Path, period: Period | None = None) -> None:
        period, desk = period or self.bulletin_period(), self.ctx.desk
        if period is None:
            return
        def work(report):
            bulletin = build_bulletin(desk, period)
            report("正在输出通报…")
            return write_bulletin(desk, bulletin, fmt, path, report)  # under a temporary name until it is done
        self.ctx.ops.run(work, lambda out: self._say(f"已输出{period.label}通报：{out}"),
                         self._failed_or_cancelled("已取消编制通报，未写入任何文件"), parent=self,
                         progress="正在编制通报…", emit_changes=False, cancellable=True)

    def _bulletin_clicked(self) -> None:
        p = self.bulletin_period()
        if p is None:
            return
        path, _ = QFileDialog.getSaveFileName(self, f"{p.label}通报", f"{self.ctx.desk.unit['name']}-通报-{p.code}.pdf",
                                              "PDF (*.pdf);;Excel (*.xlsx);;JSON (*.json)")
        if path:
            self.write_bulletin(Path(path).suffix.lstrip(".").lower() or "pdf", path, p)
