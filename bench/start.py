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

FLOOR_SCRIPT = """
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication([])
window = QMainWindow()
window.resize(1280, 800)
window.show()
QTimer.singleShot(0, app.quit)
app.exec()
"""


def child_env(home: str) -> dict:
    """Offscreen, this checkout's code, and a fresh user profile (no saved window state or settings)."""
    env = dict(os.environ)
    env.update(QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(REPO), HOME=home, XDG_CONFIG_HOME=f"{home}/.config",
               XDG_DATA_HOME=f"{home}/.local/share", XDG_CACHE_HOME=os.environ.get("XDG_CACHE_HOME",
                                                                                   f"{Path.home()}/.cache"))
    return env


def run_child(args: list[str], env: dict) -> tuple[float, int]:
    """Wall seconds and peak resident memory (bytes) of one child process."""
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, *args], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode("utf-8", "replace")
    proc.stderr.close()
    if proc.returncode != 0:
        raise RuntimeError(f"{args} failed ({proc.returncode}): {err[-2000:]}")
    return seconds, usage.ru_maxrss * 1024


def compile_app() -> None:
    """Bytecode for this checkout's ipdesk, as an installed copy has it (pip and PyInstaller compile it).
    This machine sets PYTHONDONTWRITEBYTECODE, so without this every timed start compiled the whole app
    from source (~30–40 ms) while the floor's PySide6 loads from bytecode. The files go to __pycache__
    (git-ignored); Python still checks each against its source."""
    import compileall

    compileall.compile_dir(REPO / "ipdesk", quiet=1)


def run(db: Path, repeat: int) -> list[Result]:
    compile_app()
    with tempfile.TemporaryDirectory(prefix="ipdesk-bench-home ") as home:
        env = child_env(home)
        app_env = {**env, "IPDESK_EXIT_WHEN_SHOWN": "1"}
        run_child(["-c", FLOOR_SCRIPT], env)  # warm the file cache for both
        run_child(["-m", "ipdesk", "--db", str(db)], app_env)
        app_times, floor_times = [], []
        for _ in range(repeat):  # interleaved, so load on the machine hits both alike
            floor_times.append(run_child(["-c", FLOOR_SCRIPT], env)[0])
            app_times.append(run_child(["-m", "ipdesk", "--db", str(db)], app_env)[0])
        _, peak = run_child(["-m", "bench.gui_child", str(db)], env)
    return [
        Result("start", "冷启动到可用主窗口", statistics.median(app_times), "s", floor=statistics.median(floor_times),
               goal="≤ 1.5× floor", max_ratio=1.5,
               note="floor: bare PySide6 QMainWindow shown; app from bytecode, as installed"),
        Result("memory", "峰值内存（城市库，打开各页）", peak / 2**20, "MB", goal="< 300 MB", max_value=300.0,
               note="max RSS of the GUI after home, 案件台账, 附件1, 附件2 pages"),
    ]
