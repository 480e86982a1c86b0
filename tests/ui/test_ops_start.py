"""An operation starts once the window has answered: what the asking slot changed is laid out and painted
before the worker begins (beside a computing worker, that paint waits for the interpreter lock)."""
from __future__ import annotations

import threading
import time

from PySide6.QtWidgets import QLabel

from ipdesk.ui.ops import OpRunner


class PaintLog(QLabel):
    def __init__(self, events: list[str]):
        super().__init__("等待")
        self.events = events

    def paintEvent(self, event):
        self.events.append("paint")
        super().paintEvent(event)


def test_an_operation_starts_after_the_paint_its_slot_asked_for(app, qtbot):
    events: list[str] = []
    label = PaintLog(events)
    qtbot.addWidget(label)
    label.show()
    qtbot.waitExposed(label)
    qtbot.waitUntil(lambda: "paint" in events)
    ops = OpRunner(app)
    started, done = threading.Event(), []
    try:
        events.clear()
        label.setText("正在导入…")  # what a slot does before it starts the long job
        ops.run(lambda: (events.append("task"), started.set()), done.append, emit_changes=False)
        until = time.perf_counter() + 0.05
        while time.perf_counter() < until:  # the rest of the slot: a worker started now would run meanwhile
            pass
        qtbot.waitUntil(lambda: bool(done), timeout=5000)
    finally:
        ops.shutdown()
    assert events[:2] == ["paint", "task"]


def test_operations_start_in_the_order_asked_and_shutdown_runs_those_not_yet_started(app):
    ops = OpRunner(app)
    order: list[int] = []
    for n in range(5):
        ops.run(lambda n=n: order.append(n), emit_changes=False)
    ops.shutdown()  # before any event-loop turn: the operations asked for still run, in order
    assert order == [0, 1, 2, 3, 4]


def test_an_operation_asked_for_from_another_thread_still_runs_and_the_runner_keeps_working(app, qtbot):
    """A QTimer cannot be made or started off the GUI thread: asked from a worker, the start must still happen
    (on the GUI thread), and operations asked afterwards must not be stranded behind a dead timer."""
    ops = OpRunner(app)
    done: list[str] = []
    try:
        asker = threading.Thread(target=lambda: ops.run(lambda: "from a thread", done.append, emit_changes=False))
        asker.start()
        asker.join()
        qtbot.waitUntil(lambda: "from a thread" in done, timeout=3000)
        ops.run(lambda: "from the GUI", done.append, emit_changes=False)
        qtbot.waitUntil(lambda: "from the GUI" in done, timeout=3000)
    finally:
        ops.shutdown()
