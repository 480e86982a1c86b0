"""``python -m ipdesk`` that quits once its main window is shown and usable — what bench/start.py times
and what tests start to see a real launch end cleanly.

    python -m bench.shown --db FILE

It has painted, and the loads its pages queued on the single op worker have been delivered (the no-op below
runs after them), so any action the user takes starts at once. The 工作台's figures are not waited for: they
come from their own reader thread and the page says 正在计算… until they arrive.
"""
from __future__ import annotations

import sys

from ipdesk.cli import main  # the same imports as ``python -m ipdesk``


def quit_when_usable(window, ops) -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    ops.when_painted(lambda: ops.run(lambda: None, lambda _: QTimer.singleShot(0, QApplication.instance().quit),
                                     emit_changes=False))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:], gui_ready=quit_when_usable))
