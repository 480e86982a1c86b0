"""Loading, in the background, the modules the long jobs need, once the main window is up.

The first 预览, 导入 or chart otherwise imports them on the GUI thread: QtPdf and QtPrintSupport, reportlab,
openpyxl — a few hundred milliseconds of frozen window (PySide6's import hook also reads the source of every
module imported after it). Imported here, on a daemon thread a few seconds after start-up, they cost the GUI
thread only short waits for the interpreter lock; a job started before it is done imports what it needs itself.
Then everything loaded is frozen out of the garbage collector's full collections.
"""
from __future__ import annotations

import gc
import importlib
import threading

# Heaviest first: what the first preview and the first import need.
MODULES = (
    "PySide6.QtPdf", "PySide6.QtPdfWidgets", "PySide6.QtPrintSupport", "ipdesk.ui.preview",
    "reportlab.platypus", "ipdesk.reports.pdf", "ipdesk.reports.xlsx", "ipdesk.reports.export",
    "openpyxl", "ipdesk.exchange.ledger", "ipdesk.ui.ledger_import", "ipdesk.exchange.receive",
    "ipdesk.exchange.consolidate", "PySide6.QtCharts",
)
DELAY_MS = 2000  # after the first paint: the start-up's own loads first


def warm_up(fonts: tuple[str | None, str | None] | None = None) -> threading.Thread:
    """Import :data:`MODULES` on a daemon thread (a failed import is left for the job that needs it); then, given
    ``fonts`` (the 设置's print fonts, None for the system's), read the print fonts: reportlab parses a CJK font
    file whole (~20 MB, ~1 s of Python holding the interpreter lock in short turns), which the first PDF — a
    preview on the worker — otherwise pays while the window waits behind it (bench gui_max_stall). Last, it freezes
    what is loaded (:func:`gc.freeze`)."""
    def run() -> None:
        for name in MODULES:
            try:
                importlib.import_module(name)
            except Exception:  # noqa: BLE001 - only a head start; the real import reports any problem
                pass
        if fonts is not None:
            try:
                from ..reports.fonts import find_fonts  # here: loaded with reportlab above, not at start-up

                find_fonts(*fonts)
            except Exception:  # noqa: BLE001 - the first PDF finds them itself and says what is wrong
                pass
        # What is loaded now stays for the session: set aside from the cyclic garbage collector, a full collection
        # (run by whichever thread allocates, holding the interpreter lock) no longer walks these ~120,000 objects
        # — 35–50 ms of frozen window each time a long job triggered one (bench gui_max_stall). Collected first,
        # so no garbage is kept; frozen objects are still freed when their last reference goes.
        gc.collect()
        gc.freeze()
    thread = threading.Thread(target=run, name="ipdesk-warm-up", daemon=True)
    thread.start()
    return thread
