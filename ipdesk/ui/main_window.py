"""The main window: navigation on the left, lazily created pages on the right, undo, status bar."""
from __future__ import annotations

import importlib
from typing import Callable

from PySide6.QtCore import QSettings, QSize, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (QApplication, QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QMainWindow,
                               QStackedWidget, QWidget)

from ..desk import Changes
from .context import AppContext
from .pages import PAGES, PageSpec
from .qt_values import TEXT_SELECTABLE_BY_MOUSE
from .screen_fit import fit_size
from ..domain.periods import Period

UNDO_NOTHING = "撤销（无可撤销的操作）"
WARM_UP_DELAY_MS = 2000  # see warmup.py


def merge_changes(a: Changes | None, b: Changes) -> Changes:
    if a is None:
        return Changes(set(b.tables), b.record_id, b.label)
    return Changes(a.tables | b.tables, None, b.label)


class MainWindow(QMainWindow):
    """``ctx.navigate(key)`` shows a page; every ``ops.changed`` refreshes the visible page and marks
    the hidden ones stale (they refresh when next shown)."""

    def __init__(self, ctx: AppContext, settings: QSettings | None = None):
        super().__init__()
        self.ctx = ctx
        ctx.navigate = self.navigate
        ctx.ops.hold()  # pages' background reads start once the window is on screen (paintEvent)
        self._painted = False
        self.settings = settings if settings is not None else QSettings()
        self.pages: dict[str, QWidget] = {}
        self._stale: dict[str, Changes | None] = {}
        self._shown_key: str | None = None
        # (question) → "save" | "discard" | "cancel"; a message box, replaced by tests.
        self.ask_unsaved: Callable[[str], str] = self._ask_unsaved
        # (question) → True to undo an older step when newer ones cannot be undone; a message box, replaced by tests.
        self.ask_undo_older: Callable[[str], bool] = self._ask_undo_older
        self._undo_state = None  # what 撤销 offered when last asked
        self.setWindowTitle(f"知识产权行政保护工作台 — {ctx.desk.unit['name']}")
        self.setMinimumSize(QSize(900, 600))

        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setFixedWidth(150)
        self.nav.setStyleSheet("QListWidget#navigation { font-size: 11pt; }"
                               "QListWidget#navigation::item { padding: 8px 10px; }")
        for spec in PAGES:  # row n is PAGES[n]
            self.nav.addItem(QListWidgetItem(spec.title))
        self.stack = QStackedWidget()
        central = QWidget()
        row = QHBoxLayout(central)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        row.addWidget(self.nav)
        row.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self._build_actions()
        self._build_status_bar()
        ctx.ops.changed.connect(self.on_changed)
        self.nav.currentRowChanged.connect(self._row_changed)

        geometry = self.settings.value("main/geometry")
        # First start: maximised (show_initial), the normal size being what fits the screen; afterwards the
        # window comes back as the user left it (restoreGeometry keeps it on a smaller screen than before).
        self.first_start = geometry is None or not self.restoreGeometry(geometry)
        if self.first_start:
            fit_size(self, 1280, 800)
        state = self.settings.value("main/state")
        if state is not None:
            self.restoreState(state)
        last = self.settings.value("main/page", "home")
        self.navigate(last if any(p.key == last for p in PAGES) else "home")
        self.update_undo()
        # Quitting without closing the window (log-off, app.quit) still keeps the window state.
        QApplication.instance().aboutToQuit.connect(self.save_state)

    def _warm_up(self) -> None:
        # Imported here: not loaded before the main window shows (cold start).
        from .warmup import warm_up

        desk = self.ctx.desk
        # The print fonts the 设置 name are read on the worker (the desk's connection is its own).
        self.ctx.ops.run(lambda: (desk.setting("print_font") or None, desk.setting("print_title_font") or None),
                         lambda fonts: warm_up(fonts), lambda _exc: warm_up(), emit_changes=False)

    def show_initial(self) -> None:
        """Show maximised on the first start, else as the window was left."""
        if self.first_start:
            self.showMaximized()
        else:
            self.show()

    def paintEvent(self, event) -> None:
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            QTimer.singleShot(0, self.ctx.ops.release)  # once this whole first paint is done
            if not self.ctx.ops.synchronous:  # the modules the long jobs need, loaded in the background
                QTimer.singleShot(WARM_UP_DELAY_MS, self._warm_up)

    # ---- pages ---------------------------------------------------------------------------------
    def page(self, key: str) -> QWidget:
        """The page widget, created (and filled) on first use."""
        if key not in self.pages:
            spec = next(p for p in PAGES if p.key == key)
            widget = self._create(spec)
            self.pages[key] = widget
            self.stack.addWidget(widget)
            self._stale[key] = None
            self._refresh_page(key)
        return self.pages[key]

    def _create(self, spec: PageSpec) -> QWidget:
        cls = getattr(importlib.import_module(spec.module), spec.class_name)
        widget = cls(self.ctx)
        widget.setObjectName(f"page_{spec.key}")
        return widget

    def navigate(self, key: str) -> QWidget:
        row = next(i for i, p in enumerate(PAGES) if p.key == key)
        if self.nav.currentRow() != row:
            self.nav.setCurrentRow(row)  # → _row_changed
        return self.pages.get(key) or self.page(key)

    def current_key(self) -> str:
        row = self.nav.currentRow()
        return PAGES[row].key if row >= 0 else "home"

    def _row_changed(self, row: int) -> None:
        if row < 0:
            return
        key = PAGES[row].key
        left = self._shown_key
        if left is not None and left != key and not self.settle_edits(left):
            self.nav.blockSignals(True)  # stay: the user chose to keep editing
            self.nav.setCurrentRow(next(i for i, p in enumerate(PAGES) if p.key == left))
            self.nav.blockSignals(False)
            return
        self._shown_key = key
        widget = self.page(key)
        self.stack.setCurrentWidget(widget)
        if key in self._stale:
            self._refresh_page(key)
        self.remember("main/page", key)

    def settle_edits(self, key: str) -> bool:
        """Before page ``key`` is left (or the program quits): if it holds unsaved edits, ask to save them,
        drop them or stay. False when the user stays."""
        widget = self.pages.get(key)
        pending = widget.unsaved_edits() if widget is not None and hasattr(widget, "unsaved_edits") else []
        if not pending:
            return True
        answer = self.ask_unsaved(f"“{PAGES[[p.key for p in PAGES].index(key)].title}”中"
                                  f"{'、'.join(f'“{t}”' for t in pending)}有尚未保存的修改。")
        if answer == "save":
            widget.save_edits()
        elif answer == "discard":
            widget.discard_edits()
        return answer != "cancel"

    def _ask_unsaved(self, text: str) -> str:
        from PySide6.QtWidgets import QMessageBox

        box = QMessageBox(QMessageBox.Question, "尚未保存", text + "\n是否保存？", parent=self)
        save = box.addButton("保存", QMessageBox.AcceptRole)
        discard = box.addButton("不保存", QMessageBox.DestructiveRole)
        box.addButton("取消", QMessageBox.RejectRole)
        box.setDefaultButton(save)
        box.exec()
        clicked = box.clickedButton()
        return "save" if clicked is save else "discard" if clicked is discard else "cancel"

    def _refresh_page(self, key: str) -> None:
        changes = self._stale.pop(key, None)
        self.pages[key].refresh(changes)

    def on_changed(self, changes: Changes) -> None:
        current = self.current_key()
        for key in self.pages:
            if key == current:
                self.pages[key].refresh(changes)
            elif key in self._stale:
                self._stale[key] = None if self._stale[key] is None else merge_changes(self._stale[key], changes)
            else:
                self._stale[key] = Changes(set(changes.tables), changes.record_id, changes.label)
        self.update_undo()
        self._update_status()

    # ---- actions -------------------------------------------------------------------------------
    def _build_actions(self) -> None:
        # setShortcuts, not setShortcut: it takes every key the platform binds to a standard action (Windows:
        # Ctrl+Z and Alt+Backspace for 撤销), and its overloads do not name Qt.Key (see qt_values).
        self.undo_action = QAction("撤销", self)
        self.undo_action.setShortcuts(QKeySequence.Undo)
        self.undo_action.triggered.connect(self.undo)
        quit_action = QAction("退出", self)
        quit_action.setShortcuts(QKeySequence.Quit)
        quit_action.triggered.connect(self.close)
        refresh_action = QAction("刷新", self)
        refresh_action.setShortcuts(QKeySequence.Refresh)
        refresh_action.triggered.connect(lambda: self.pages[self.current_key()].refresh(None))

        self.print_action = QAction("打印报表(&P)…", self)
        self.print_action.setShortcuts(QKeySequence.Print)
        self.print_action.setToolTip("附件1、附件2 和审核说明一并预览、打印，另存为一个 PDF 或 Excel（Ctrl+P）")
        self.print_action.triggered.connect(lambda: self.print_reports())

        self.switch_user_action = QAction("切换用户(&L)…", self)
        self.switch_user_action.setShortcuts([QKeySequence("Ctrl+L")])
        self.switch_user_action.setToolTip("换另一位用户登录（Ctrl+L）：此后的操作都记在该用户名下")
        self.switch_user_action.triggered.connect(lambda: self.switch_user())

        menu = self.menuBar()
        file_menu = menu.addMenu("文件(&F)")
        file_menu.addAction(self.print_action)
        file_menu.addSeparator()
        file_menu.addAction(self.switch_user_action)
        file_menu.addSeparator()
        file_menu.addAction(quit_action)
        edit_menu = menu.addMenu("编辑(&E)")
        edit_menu.addAction(self.undo_action)
        edit_menu.addAction(refresh_action)
        go_menu = menu.addMenu("转到(&G)")
        for n, spec in enumerate(PAGES, 1):
            action = QAction(spec.title, self)
            action.setShortcuts([QKeySequence(f"Ctrl+{n}")])
            action.triggered.connect(lambda _=False, k=spec.key: self.navigate(k))
            go_menu.addAction(action)
        help_menu = menu.addMenu("帮助(&H)")
        about = QAction("关于", self)
        about.triggered.connect(self.about)
        help_menu.addAction(about)

        toolbar = self.addToolBar("常用")
        toolbar.setObjectName("main_toolbar")
        toolbar.setMovable(False)
        toolbar.addAction(self.undo_action)
        toolbar.addAction(refresh_action)
        toolbar.addAction(self.print_action)

    def print_reports(self, period=None, on_open=None) -> None:
        """打印报表: 附件1 + 附件2 (+ 审核说明) of ``period`` — the one the 附件 page shows, else last month — in one
        preview, printed and saved together."""
        # Imported here: the printing modules (QtPdf among them) load only when needed (heavy).
        from ..reports.pack import write_pack
        from .preview import show_report_preview
        from .widgets.period_picker import default_period

        desk = self.ctx.desk
        if period is None:
            page = self.pages.get(self.current_key())
            if callable(getattr(page, "consolidated", None)) and page.consolidated():
                # A city's 汇总 on screen: print that (the unit's own tables were printed, all zeros for a city).
                page.preview()
                return
            picker = getattr(page, "picker", None)
            period = picker.period() if picker is not None else default_period(desk.today())
        p = period if isinstance(period, Period) else Period.parse(period)
        show_report_preview(self.ctx, lambda path, progress=None: write_pack(desk, p, "pdf", path, progress),
                            lambda path: write_pack(desk, p, "xlsx", path), parent=self,
                            title=f"打印报表　{p.label}（附件1、附件2）",
                            file_stem=f"{desk.unit['name']}-统计报表-{p.code}", on_open=on_open)

    # ---- switching user ------------------------------------------------------------------------
    def switch_user(self) -> None:
        """文件 → 切换用户: the login dialog (window-modal); once another user has logged in, every page is built
        again for them (what a page offers depends on the role) and every later change is logged as theirs.
        Unsaved edits are settled first: they belong to the user who typed them."""
        # Imported here: not loaded before the main window shows (cold start).
        from .login import LoginDialog

        if not self.settle_edits(self.current_key()):
            return
        self.login_dialog = LoginDialog(self.ctx.desk, self, ops=self.ctx.ops, switching=True)
        self.login_dialog.accepted.connect(self.user_switched)
        self.login_dialog.open()

    def user_switched(self) -> None:
        key = self.current_key()
        old = list(self.pages.values())
        for widget in old:
            self.stack.removeWidget(widget)
            widget.hide()

        def delete_old(_result=None) -> None:
            for widget in old:
                widget.deleteLater()
        # Deleted once the work queued so far has delivered: a read or write the old pages started still calls
        # back into them (hidden, harmlessly) instead of into deleted widgets.
        self.ctx.ops.run(lambda: None, lambda _r: self.ctx.ops.after_reads(delete_old), emit_changes=False)
        self.pages.clear()
        self._stale.clear()
        self.stack.setCurrentWidget(self.page(key))
        self._shown_key = key
        self.update_undo()  # 撤销 offers the new user's own last step
        self._update_status()
        self.statusBar().showMessage(f"已切换到用户：{self.ctx.desk.user}", 6000)

    def update_undo(self) -> None:
        """What 撤销 would undo, and whether it can: asked on the worker (after a 5,000-case import in a locked
        year, checking the step reads every row it would restore)."""
        self.ctx.ops.run(self.ctx.desk.records.undo_state, self._show_undo, lambda _exc: None, emit_changes=False)

    def _show_undo(self, state) -> None:
        """撤销 offers the user's newest step that can be undone (newer stuck ones passed over, named in the
        tooltip); disabled, saying why, when none can."""
        self._undo_state = state
        label, refused = state.label, state.refused
        self.undo_action.setEnabled(bool(label) and refused is None)
        self.undo_action.setText(label or "撤销")
        if refused:
            self.undo_action.setToolTip(f"不能{label}：{refused}")
        elif label:
            note = state.skipped_note
            self.undo_action.setToolTip(f"{label}（Ctrl+Z）" + (f"\n{note}" if note else ""))
        else:
            self.undo_action.setToolTip(UNDO_NOTHING)

    def undo(self) -> None:
        desk = self.ctx.desk
        shown, agreed = self._undo_state, None
        if shown is not None and shown.op_id is not None and shown.skipped:
            # Not the step the user just did: Ctrl+Z must not quietly undo an older one.
            if not self.ask_undo_older(f"{shown.skipped_note}。\n是否{shown.label}？"):
                return
            agreed = shown.op_id

        def task():  # on the worker: checking a large step reads its rows
            state = desk.records.undo_state()
            if not state.label or state.refused:
                return f"不能{state.label}：{state.refused}" if state.refused else "没有可撤销的操作"
            if state.skipped and state.op_id != agreed:
                return "可撤销的操作已有变化，请查看“撤销”后再试"
            return desk.records.undo_last(state)
        self.ctx.ops.run(task, self._undone, parent=self, progress="正在撤销…")

    def _ask_undo_older(self, text: str) -> bool:
        from PySide6.QtWidgets import QMessageBox

        return QMessageBox.question(self, "撤销", text) == QMessageBox.Yes

    def _undone(self, result: Changes | str | None) -> None:
        if isinstance(result, str):  # refused: said, nothing changed
            self.statusBar().showMessage(result, 8000)
        elif result is not None:
            self.statusBar().showMessage(f"已{result.label}", 6000)
        self.update_undo()

    def about(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        # Imported here: not loaded before the main window shows (cold start).
        from ..catalog import CURRENT

        catalog_version = CURRENT.version
        QMessageBox.about(self, "关于", f"<b>知识产权行政保护工作台 ipdesk</b><br>统计表目录版本 {catalog_version}"
                                       f"<br>数据库：{self.ctx.desk.path}")

    # ---- status bar ----------------------------------------------------------------------------
    def _build_status_bar(self) -> None:
        self.unit_label = QLabel()
        self.user_label = QLabel()
        self.path_label = QLabel()
        self.path_label.setProperty("textInteractionFlags", TEXT_SELECTABLE_BY_MOUSE)  # see qt_values
        bar = self.statusBar()
        for w in (self.unit_label, self.user_label):
            bar.addWidget(w)
        bar.addPermanentWidget(self.path_label)
        self._update_status()

    def _update_status(self) -> None:
        desk = self.ctx.desk
        unit = desk.unit
        self.unit_label.setText(f"单位：{unit['name']}（{unit['code']}）")
        self.user_label.setText(f"用户：{desk.user or '—'}（{desk.office.user_role() or '—'}）")
        self.path_label.setText(f"数据库：{desk.path}")

    def remember(self, key: str, value) -> None:
        """A setting kept for the next start, written only when it changed: each write replaces the settings
        file with two fsyncs (2–5 ms), and a start that leaves the window as it found it wrote it three times."""
        if self.settings.value(key) != value:
            self.settings.setValue(key, value)

    def save_state(self) -> None:
        """At close and at quit (Qt 6's quit closes the window first, so usually both)."""
        self.remember("main/geometry", self.saveGeometry())
        self.remember("main/state", self.saveState())
        self.settings.sync()

    def closeEvent(self, event) -> None:
        if not self.settle_edits(self.current_key()):
            event.ignore()
            return
        self.save_state()
        super().closeEvent(event)
