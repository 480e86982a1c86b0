"""The desktop GUI (PySide6). Importing this package applies the None-refcount guard below."""
from __future__ import annotations

import sys


def _immortalize_none() -> None:
    """PySide6 6.12 on CPython < 3.12 returns ``None`` from every void method (``setText``, ``setItem``, …)
    without taking a reference (it assumes PEP 683's immortal None of 3.12+). Each call drops None's
    refcount by one; after a few tens of thousands of calls the process aborts with
    "none_dealloc: deallocating None". Giving None a refcount no session can exhaust makes it immortal,
    exactly what 3.12 does. Measured: 300 ``QTableWidgetItem.setToolTip`` calls → refcount −300."""
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return
    import ctypes

    ctypes.c_ssize_t.from_address(id(None)).value = 1 << 60


_immortalize_none()
