"""Cold start to a usable main window on the city database, against a bare PySide6 window; peak memory."""
from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .timing import Result

REPO = Path(__file__).resolve().parent.parent

# Quits once its window has painted, as bench/shown.py waits for the app's first paint. (Until
# 2026-12-01 the floor quit at the first turn of the event loop, before its window had painted.)
FLOOR_SCRIPT = """
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow


class Window(QMainWindow):
    def paintEvent(self, event):
        super().paintEvent(event)
        QTimer.singleShot(0, app.quit)


app = QApplication([])
window = Window()
window.resize(1280, 800)
window.show()
app.exec()
"""


# A start is cheap (~0.3 s for the pair) but varies ±10 % from run to run on a shared two-core machine, far more
# than the exports or queries: five interleaved pairs per repeat (15 in --quick, 25 in the full run).
START_PAIRS_PER_REPEAT = 5


def child_env(home: str) -> dict:
    """Offscreen, this checkout's code, and a fresh user profile (no saved window state or settings)."""
    env = dict(os.environ)
    env.update(QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(REPO), HOME=home, XDG_CONFIG_HOME=f"{home}/.config",
               XDG_DATA_HOME=f"{home}/.local/share", XDG_CACHE_HOME=os.environ.get("XDG_CACHE_HOME",
                                                                                   f"{Path.home()}/.cache"))
    return env


def run_child(args: list[str], env: dict) -> tuple[float, str]:
    """Wall seconds and standard output of one child process."""
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = proc.communicate()
    seconds = time.perf_counter() - started
    if proc.returncode != 0:
        raise RuntimeError(f"{args} failed ({proc.returncode}): {err.decode('utf-8', 'replace')[-2000:]}")
    return seconds, out.decode("utf-8", "replace")


def compile_app() -> None:
    """Bytecode for this checkout's ipdesk, as an installed copy has it (pip and PyInstaller compile it).
    This machine sets PYTHONDONTWRITEBYTECODE, so without this every timed start compiled the whole app
    from source (~30–40 ms) while the floor's PySide6 loads from bytecode. The files go to __pycache__
    (git-ignored); Python still checks each against its source."""
    import compileall

    compileall.compile_dir(REPO / "ipdesk", quiet=1)


def settle(db: Path) -> None:
    """The file as a normal session leaves it: integrity checked, and its newest backup known to be current
    (noted in the file at close), as every office file is after its first day on this version."""
    from ipdesk.desk import Desk

    desk = Desk.open(db)
    if desk.db.gate is not None:
        desk.db.gate.wait()
    desk.close(backup=True)


def run(db: Path, repeat: int) -> list[Result]:
    compile_app()
    settle(db)
    with tempfile.TemporaryDirectory(prefix="ipdesk-bench-home ") as home:
        env = child_env(home)
        run_child(["-c", FLOOR_SCRIPT], env)  # warm the file cache for both
        run_child(["-m", "bench.shown", "--db", str(db)], env)
        app_times, floor_times = [], []
        for _ in range(repeat * START_PAIRS_PER_REPEAT):  # interleaved, so load on the machine hits both alike
            floor_times.append(run_child(["-c", FLOOR_SCRIPT], env)[0])
            app_times.append(run_child(["-m", "bench.shown", "--db", str(db)], env)[0])
        # The child reports its own peak: the ru_maxrss that wait4 gives a child includes the parent's
        # resident set at fork (1 GB right after the city database was generated).
        peak = int(run_child(["-m", "bench.gui_child", str(db)], env)[1].split()[-1])
    # The spread, for people reading the table: how far one pair's ratio strays from the median's.
    pairs = sorted(a / f for a, f in zip(app_times, floor_times))
    spread = f"{pairs[len(pairs) // 4]:.2f}–{pairs[3 * len(pairs) // 4]:.2f}" if len(pairs) >= 4 else "—"
    return [
        Result("start", "冷启动到可用主窗口", statistics.median(app_times), "s", floor=statistics.median(floor_times),
               goal="≤ 1.5× floor", max_ratio=1.5,
               note=f"floor: bare PySide6 QMainWindow shown and painted; app from bytecode, as installed; "
                    f"{len(pairs)} interleaved pairs, middle half of their ratios {spread}"),
        Result("memory", "峰值内存（城市库，打开各页）", peak / 2**20, "MB", goal="< 300 MB", max_value=300.0,
               note="max RSS of the GUI after home, 案件台账, 附件1, 附件2 pages"),
    ]
