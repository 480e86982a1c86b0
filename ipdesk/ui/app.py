"""Starting the desktop application: Qt set-up (High-DPI, Chinese dialogs, CJK font, icon),
then first start or login, then the main window."""
from __future__ import annotations

import gc
import logging
import sys
from pathlib import Path
from typing import Callable

# The Qt-free core first: once PySide6 is imported, its __feature__ import hook reads the source of every
# module imported after it (inspect.getsource, to look for "from __feature__"), ~0.2 ms a module at start-up.
from .. import log
from ..desk import Desk, resource_path
from ..errors import DatabaseDamaged, IpdeskError

from PySide6.QtCore import QLocale, QObject, QTranslator, Signal  # noqa: E402
from PySide6.QtGui import QFont, QIcon  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from .context import AppContext
from .ops import OpRunner
from .main_window import MainWindow
from ..db import backup

APP_TITLE = "知识产权行政保护工作台"
ORGANIZATION = "ipdesk"
# Fonts that carry Chinese glyphs, best first: Windows UI font, then what Linux test machines have.
CJK_FONTS = ("Microsoft YaHei UI", "Microsoft YaHei", "微软雅黑", "SimSun", "宋体", "WenQuanYi Micro Hei",
             "文泉驿微米黑", "Noto Sans CJK SC", "Source Han Sans SC", "AR PL UMing CN")


def make_app(argv: list[str] | None = None) -> QApplication:
    """The QApplication, set up once: translator, font, icon."""
    # Fractional scaling (125 %, 150 %) stays sharp: Qt 6's default rounding policy is PassThrough (checked
    # by a test), so it is not set here — naming the policy would build Qt's enums before the first paint.
    app = QApplication.instance()
    if app is None:
        app = QApplication(argv if argv is not None else sys.argv[:1])
    if app.property("ipdesk_ready"):
        return app
    app.setApplicationName(ORGANIZATION)
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationDisplayName(APP_TITLE)
    QLocale.setDefault(QLocale(QLocale.Chinese, QLocale.China))
    install_translations(app)
    # The CJK families in order of preference; Qt takes the first installed one when it first lays text out,
    # so start-up does not list every installed family (3–4 ms here, more on a PC with many fonts).
    font = QFont(list(CJK_FONTS))
    font.setPointSizeF(max(app.font().pointSizeF(), 10.0))
    app.setFont(font)
    app.setWindowIcon(app_icon())
    app.setProperty("ipdesk_ready", True)
    return app


def translation_file() -> Path | None:
    """qtbase_zh_CN.qm: shipped with the app, else the one in the Qt installation (asked only then: naming
    QLibraryInfo loads its type and enums)."""
    shipped = resource_path("translations", "qtbase_zh_CN.qm")
    if shipped.exists():
        return shipped
    from PySide6.QtCore import QLibraryInfo

    installed = Path(QLibraryInfo.path(QLibraryInfo.TranslationsPath)) / "qtbase_zh_CN.qm"
    return installed if installed.exists() else None


def install_translations(app: QApplication) -> QTranslator | None:
    """Qt's own dialogs and buttons (确定/取消, file dialogs) in Chinese."""
    qm = translation_file()
    if qm is None:
        return None
    translator = QTranslator(app)  # parented: lives as long as the application
    if translator.load(str(qm)):
        app.installTranslator(translator)
        return translator
    return None


def cjk_font_family() -> str | None:
    """The preferred CJK family that is installed, if any (what the application font resolves to)."""
    from PySide6.QtGui import QFontDatabase  # here: naming the class loads its type and enums (start-up need not)

    available = set(QFontDatabase.families())
    return next((f for f in CJK_FONTS if f in available), None)


def app_icon() -> QIcon:
    """The window icon from its 256-pixel PNG (Qt scales it down smoothly); the SVG would load the SVG
    icon engine plug-in at every start for no visible gain at title-bar and taskbar sizes."""
    path = resource_path("icons", "ipdesk.png")
    return QIcon(str(path)) if path.exists() else QIcon()


def needs_login(desk: Desk) -> bool:
    """Ask who is working when several people share the file or the one user has a password."""
    users = [u for u in desk.office.users() if u["active"]]
    return len(users) > 1 or any(u["has_password"] for u in users)


class Launcher(QObject):
    """First start → login → main window, driven by signals so tests can walk it without blocking."""

    ready = Signal(object)  # the MainWindow

    def __init__(self, desk: Desk, ops: OpRunner, settings=None):
        super().__init__()
        self.desk, self.ops, self.settings = desk, ops, settings
        self.dialog = None
        self.window = None

    def start(self) -> None:
        if not self.desk.is_initialized:
            # Imported here: not loaded before the main window shows (cold start).
            from .first_start import FirstStartDialog

            self.dialog = FirstStartDialog(self.desk, self.ops)
            self.dialog.accepted.connect(self._show_main)  # the first user is now working
        elif needs_login(self.desk):
            # Imported here: not loaded before the main window shows (cold start).
            from .login import LoginDialog

            self.dialog = LoginDialog(self.desk, ops=self.ops)
            self.dialog.accepted.connect(self._show_main)
        else:
            users = [u for u in self.desk.office.users() if u["active"]]
            self.desk.user = users[0]["name"] if users else None
            self._show_main()
            return
        self.dialog.rejected.connect(QApplication.instance().quit)
        self.dialog.show()

    def _show_main(self) -> None:
        self.window = MainWindow(AppContext(self.desk, self.ops), settings=self.settings)
        self.window.show_initial()
        self.ready.emit(self.window)


def offer_restore(exc: DatabaseDamaged, ask=None) -> Desk | None:
    """The file is damaged: explain, offer the latest good backup, reopen. None when the user declines."""
    from PySide6.QtWidgets import QMessageBox

    # Imported here: not loaded before the main window shows (cold start).
    from ..db.restore import latest_good_backup, restore

    try:
        latest = latest_good_backup(exc.path)
    except IpdeskError as unsure:
        QMessageBox.critical(None, APP_TITLE, f"{exc.zh}\n\n{unsure.zh}")
        return None
    if latest is None:
        QMessageBox.critical(None, APP_TITLE, f"{exc.zh}\n\n没有找到可用的备份。请联系技术人员。")
        return None
    question = (f"数据库文件已损坏：\n{exc.path}\n\n是否从最近的完好备份（{latest.made_at:%Y-%m-%d %H:%M}）恢复？\n"
                "损坏的文件会另存一份，不会删除。")
    ask = ask or (lambda text: QMessageBox.question(None, APP_TITLE, text) == QMessageBox.Yes)
    if not ask(question):
        return None
    try:
        restore(exc.path, latest.path)
        return Desk.open(exc.path)
    except IpdeskError as again:
        QMessageBox.critical(None, APP_TITLE, again.zh)
        return None


def watch_safety(desk: Desk, ops: OpRunner, launcher=None) -> None:
    """Automatic backups after changes (at most every N minutes); for a large file, the integrity check
    deferred at open, run on its own thread once the main window has painted and its first figures are in,
    and its verdict (writes wait for it meanwhile, see :class:`ipdesk.db.connection.IntegrityGate`)."""
    def backup_if_due() -> None:
        try:
            backup.maybe_backup(desk)
        except Exception as exc:  # a background job: nobody waits for it, the log keeps why (no console on Windows)
            log.failure("automatic backup failed (自动备份失败)", exc, name=__name__, refusal=logging.WARNING)

    def after_change(_changes) -> None:
        ops.run(backup_if_due, emit_changes=False)
    ops.changed.connect(after_change)
    gate = desk.db.gate
    if gate is not None:
        if launcher is not None:
            # Once the main window has painted and the 工作台 has its figures: on a two-core PC the check
            # (reading the whole file, ~1 s at 470 MB) and the figures would otherwise share the second core
            # with the GUI thread. A write starts it at once if it has not started yet.
            launcher.ready.connect(lambda _window: ops.after_reads(gate.start))
        else:
            gate.start()

        def checked(problems) -> None:
            if problems:
                from PySide6.QtWidgets import QMessageBox

                log.logger.error("integrity check of %s found the file damaged: %s", desk.path, "; ".join(problems))

                QMessageBox.warning(launcher.window if launcher else None, APP_TITLE,
                                    "数据库文件已损坏：" + "；".join(problems[:3]) +
                                    "\n程序不会再写入此文件。请立即在“设置 → 备份与恢复”中恢复最近的备份。")
        gate.when_done(lambda problems: ops.post(checked, problems))


class UpgradeNotice:
    """Shown while an older database file is backed up and upgraded, before the main window (a city's file
    takes a few seconds, once); see :func:`open_for_gui`."""

    TEXT = "正在升级数据库文件，请稍候……\n升级前已自动备份原文件。"

    def __init__(self):
        self.dialog = None

    def before_migration(self, path: Path, version: int) -> Path:
        from PySide6.QtWidgets import QProgressDialog

        self.dialog = QProgressDialog(self.TEXT, None, 0, 0)
        self.dialog.setWindowTitle(APP_TITLE)
        self.dialog.setMinimumDuration(0)
        self.dialog.show()
        QApplication.processEvents()  # painted before the work starts: the upgrade itself holds this thread
        return backup.backup_before_migration(path, version)

    def close(self) -> None:
        if self.dialog is not None:
            self.dialog.close()
            self.dialog.deleteLater()
            self.dialog = None


def open_for_gui(db_path: str | Path | None) -> Desk:
    """Open (or create) the office database; an older file is upgraded behind an :class:`UpgradeNotice`."""
    notice = UpgradeNotice()
    try:
        return Desk.open(db_path, create=True, check_later=True, backup_before_migrate=notice.before_migration)
    finally:
        notice.close()


def run_gui(db_path: str | None, *, ready: Callable | None = None) -> int:
    """``ipdesk`` with no subcommand: open (or create) the office database and show the app until it is closed.
    ``ready(window, ops)`` runs once the main window is shown (bench/shown.py quits there to time a start)."""
    app = make_app()
    app.setQuitOnLastWindowClosed(True)
    try:
        desk = open_for_gui(db_path)
    except DatabaseDamaged as exc:
        desk = offer_restore(exc)
        if desk is None:
            return 2
    except IpdeskError as exc:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.critical(None, APP_TITLE, exc.zh)
        return 2
    log.start(desk.backup_folder(), Path(desk.path).parent)  # beside the backups: where support looks
    log.catch_uncaught()
    ops = OpRunner(app)
    launcher = Launcher(desk, ops)
    watch_safety(desk, ops, launcher)
    if ready is not None:
        launcher.ready.connect(lambda window: ready(window, ops))
    launcher.start()
    # What start-up made (the modules, their classes and tables, the window: ~25,000 objects) lives as long as the
    # program: set aside from the cyclic collector, whose full passes walked them all (~10 ms each here; those at
    # exit were most of the teardown). Not collected first, as the warm-up does later: that is a full pass too, for
    # the few cycles start-up leaves (0–200 objects), which stay. Frozen objects are still freed by their reference
    # counts.
    gc.freeze()
    try:
        code = app.exec()
    finally:
        ops.shutdown()
        desk.close(backup=True)  # only if something changed since the last backup
    return code
