"""What the first screen is built with: Qt enum values as plain ints (ipdesk.ui.qt_values), checked against Qt,
and a real start that paints its main window without building PySide6's ``Qt`` namespace (~15 ms of enums)."""
from __future__ import annotations

import subprocess
import sys
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QKeySequence

from ipdesk.desk import Desk
from ipdesk.ui import qt_values
from tests.conftest import subprocess_env

# Runs ``ipdesk --db FILE`` as the app does, noting at the first paint whether ``Qt`` was built (then names it, to
# show that the note can say yes) and whether start-up's objects were set aside from the garbage collector.
CHILD = """
import gc
import sys
from PySide6 import QtCore
from ipdesk.ui import app, ops

original = ops.OpRunner.when_painted
notes = []

def when_painted(self, callback):
    def note_then_call():
        if not notes:
            notes.append("built" if "Qt" in vars(QtCore) else "unbuilt")
            print("at first paint:", notes[0], flush=True)
            print("start-up frozen:", gc.get_freeze_count() > 10_000, flush=True)
        callback()
    original(self, note_then_call)

ops.OpRunner.when_painted = when_painted
from bench.shown import quit_when_usable
code = app.run_gui(sys.argv[1], ready=quit_when_usable)
QtCore.Qt.AlignCenter
print("after naming it:", "built" if "Qt" in vars(QtCore) else "unbuilt", flush=True)
sys.exit(code)
"""


def test_each_value_is_the_one_qt_names():
    assert qt_values.ALIGN_CENTER == Qt.AlignmentFlag.AlignCenter.value
    assert qt_values.FOREGROUND_ROLE == Qt.ItemDataRole.ForegroundRole.value
    assert qt_values.QUEUED_CONNECTION == Qt.ConnectionType.QueuedConnection.value
    assert qt_values.TEXT_SELECTABLE_BY_MOUSE == Qt.TextInteractionFlag.TextSelectableByMouse.value


def test_a_start_paints_the_main_window_before_building_qts_enums(tmp_path):
    db = tmp_path / "office.db"
    desk = Desk.open(db, create=True, today=lambda: date(2026, 11, 22))
    desk.initialize("150602", "东胜区市场监督管理局", "150600")
    desk.close()
    env = subprocess_env(HOME=str(tmp_path), XDG_CONFIG_HOME=str(tmp_path / "cfg"))
    proc = subprocess.run([sys.executable, "-c", CHILD, str(db)], env=env, capture_output=True, text=True,
                          encoding="utf-8", timeout=60, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == ["at first paint: unbuilt", "start-up frozen: True", "after naming it: built"], \
        proc.stderr


def test_the_first_screen_keeps_what_its_plain_values_stand_for(demo_desk, settings, qtbot):
    """The values reach Qt as the enums would: the status bar's path can be selected, the 工作台's placeholders are
    centred and grey, 撤销 has the platform's keys, and the page list still names its pages."""
    from PySide6.QtGui import QColor
    from PySide6.QtWidgets import QLabel

    from ipdesk.ui.context import AppContext
    from ipdesk.ui.main_window import MainWindow
    from ipdesk.ui.ops import OpRunner
    from ipdesk.ui.pages import PAGES

    ops = OpRunner()  # the GUI's own: the figures come later, so the placeholders can be seen
    window = MainWindow(AppContext(demo_desk, ops), settings=settings)
    qtbot.addWidget(window)
    window.show()
    try:
        assert window.path_label.textInteractionFlags() == Qt.TextSelectableByMouse
        home = window.pages["home"]
        placeholders = [w for w in home.findChildren(QLabel) if w.text() == "正在计算…" and w is not home.busy]
        assert len(placeholders) == 3 and all(w.alignment() == Qt.AlignCenter for w in placeholders)
        cell = home.warnings.item(0, 0)
        assert cell.text() == "正在计算…" and cell.foreground().color() == QColor("#7f8c8d")
        assert QKeySequence("Ctrl+Z") in window.undo_action.shortcuts()
        assert window.current_key() == "home"
        window.nav.setCurrentRow(2)
        assert window.current_key() == PAGES[2].key and window.stack.currentWidget() is window.pages[PAGES[2].key]
    finally:
        ops.shutdown()


def test_fractional_scaling_is_passed_through_without_setting_it(qapp):
    """make_app no longer sets the rounding policy: Qt 6's default is the one wanted (150 % stays sharp)."""
    from ipdesk.ui.app import make_app

    make_app()
    assert QGuiApplication.highDpiScaleFactorRoundingPolicy() == Qt.HighDpiScaleFactorRoundingPolicy.PassThrough


def test_warm_up_reads_the_print_fonts_in_the_background():
    """The first PDF (a preview on the worker) no longer parses the CJK font files while the window waits."""
    from ipdesk.reports import fonts
    from ipdesk.ui.warmup import warm_up

    fonts._CACHE.clear()
    warm_up((None, None)).join(120)
    assert fonts._CACHE[("", "", None)] == fonts.fonts_for(None)


def test_warm_up_sets_the_loaded_modules_aside_from_the_garbage_collector():
    """What stays loaded for the whole session is frozen once loaded: a full collection on the worker (it holds
    the interpreter lock, the window waits) no longer walks those ~120,000 objects."""
    import gc

    from ipdesk.ui.warmup import warm_up

    gc.unfreeze()
    try:
        warm_up().join(120)
        assert gc.get_freeze_count() > 10_000
    finally:
        gc.unfreeze()
