"""A long operation runs off the GUI thread with a progress dialog whose 取消 stops it at its next report."""
from __future__ import annotations

import time

from ipdesk.ui.ops import OperationCancelled, OpRunner


def test_cancel_stops_a_running_operation(app, qtbot):
    ops = OpRunner(app)
    steps, outcome = [], []

    def task(report):
        for n in range(2000):
            report(n, 2000)
            steps.append(n)
            time.sleep(0.001)
        return "finished"
    try:
        ops.run(task, outcome.append, outcome.append, progress="正在测试…", cancellable=True)
        qtbot.waitUntil(lambda: len(steps) > 20, timeout=5000)  # running, and the GUI thread is free meanwhile
        ops.last_progress.cancel()
        qtbot.waitUntil(lambda: bool(outcome), timeout=5000)
    finally:
        ops.shutdown()
    assert isinstance(outcome[0], OperationCancelled) and outcome[0].zh == "已取消"
    assert len(steps) < 2000


def test_a_cancellable_task_without_cancel_finishes(ops):
    out = []
    ops.run(lambda report: (report(1, 2), report("第二步"), "done")[-1], out.append, cancellable=True)
    assert out == ["done"]
