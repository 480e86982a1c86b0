"""Child process of bench/stall.py: the app's own dialog, page and preview do the long jobs on the real
background runner while a 10 ms timer on the GUI thread records how late it fires.

    python -m bench.stall_child DB LEDGER.xlsx PACKAGES.json YEAR
"""
from __future__ import annotations

import json
import sys
import time


class StallMeter:
    """A 10 ms timer on the GUI thread; ``worst`` is the longest it fired late (ms) since ``reset``."""

    def __init__(self, interval_ms: int = 10):
        from PySide6.QtCore import Qt, QTimer

        self.interval = interval_ms / 1000
        self.timer = QTimer()
        self.timer.setTimerType(Qt.PreciseTimer)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self._tick)
        self.reset()
        self.timer.start()

    def reset(self) -> None:
        self.last = time.perf_counter()
        self.worst = 0.0

    def _tick(self) -> None:
        now = time.perf_counter()
        self.worst = max(self.worst, (now - self.last - self.interval) * 1000)
        self.last = now


def spin_until(done, timeout: float = 600) -> None:
    """Run the event loop (timers, paints, delivered results) until ``done()``."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    poll = QTimer()
    poll.setInterval(5)
    poll.timeout.connect(lambda: done() and loop.quit())
    poll.start()
    deadline = QTimer()
    deadline.setSingleShot(True)
    deadline.timeout.connect(loop.quit)
    deadline.start(int(timeout * 1000))
    if not done():
        loop.exec()
    poll.stop()
    if not done():
        raise TimeoutError("step did not finish")


def main(db: str, ledger: str, listing: str, year: str = "2025") -> int:
    from ipdesk.desk import Desk
    from ipdesk.ui.app import make_app
    from ipdesk.ui.context import AppContext
    from ipdesk.ui.main_window import MainWindow
    from ipdesk.ui.ops import OpRunner

    from .generate import TODAY

    app = make_app()
    desk = Desk.open(db, today=lambda: TODAY)
    desk.user = desk.office.users()[0]["name"]
    ops = OpRunner(app)
    from PySide6.QtCore import QSettings

    settings = QSettings(db + ".window.ini", QSettings.IniFormat)  # not the user's own window settings
    window = MainWindow(AppContext(desk, ops), settings=settings)
    window.ask_unsaved = lambda _t: "discard"
    window.resize(1366, 728)
    window.show()
    meter = StallMeter()
    home = window.navigate("home")
    spin_until(lambda: home.data is not None)  # the start's own work done
    settled = time.perf_counter() + 5  # a clerk looks at the 工作台 for a few seconds before starting a job
    spin_until(lambda: time.perf_counter() > settled)
    steps = {}

    def measure(name, start, done) -> None:
        app.processEvents()
        meter.reset()
        started = time.perf_counter()
        start()
        spin_until(done)
        steps[name] = {"max_ms": round(meter.worst, 1), "seconds": round(time.perf_counter() - started, 2)}

    # 1. 导入原有台账: read, check every row, import (the dialog's own steps, confirmed as a user would).
    from ipdesk.ui.ledger_import import LedgerImportDialog

    dialog = LedgerImportDialog(window.ctx, window)
    dialog.ask = lambda _text: True
    dialog.show()
    imported = []
    dialog.imported.connect(imported.append)

    def ledger_start():
        dialog.load(ledger)

    def ledger_done():
        if dialog.preview is not None and not dialog.preview.readable:
            return True  # nothing to import: reported below
        if dialog.preview is not None and not imported and not getattr(dialog, "_asked", False):
            dialog._asked = True
            dialog.confirm_import()
        return bool(imported)
    measure("ledger", ledger_start, ledger_done)
    if not imported:
        raise RuntimeError(f"ledger not imported: {dialog.error_label.text()}")
    dialog.close()

    # 2. 报送: import 144 packages by the page's own path (verify all, then import).
    paths = json.loads(open(listing, encoding="utf-8").read())
    page = window.navigate("submissions")
    page.last_import = []
    measure("packages", lambda: page.import_files(paths), lambda: len(page.last_import) == len(paths))

    # 3. 附件2 of the year: the page shows it, then 预览 builds the PDF and opens it.
    annex2 = window.navigate("annex2")
    from ipdesk.domain.periods import YEAR, Period

    opened = []

    def export_start():
        annex2.picker.set_period(Period(int(year), 1, YEAR))
        from ipdesk.reports.export import write_table
        from ipdesk.ui.preview import show_report_preview

        show_report_preview(window.ctx,
                            lambda p, progress=None: write_table(desk, desk.figures.annex2(year), "pdf", p, progress),
                            parent=annex2,
                            title="附件2 预览", on_open=opened.append)

    def export_done():
        if opened and not getattr(opened[0], "_painted", False):
            opened[0]._painted = True
            return False  # one more turn: its first pages are drawn
        return bool(opened)
    measure("annex2_year_pdf", export_start, export_done)
    pages = opened[0].page_count()
    opened[0].close()

    ops.shutdown()
    desk.close()
    worst = max(s["max_ms"] for s in steps.values())
    print(json.dumps({"max_ms": worst, "steps": steps, "cases": imported[0].imported, "packages": len(paths),
                      "pdf_pages": pages}))
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:5]))
