"""What every page and dialog gets: the open desk and the background-operation runner."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from ..desk import Desk
from .ops import OpRunner


@dataclass
class AppContext:
    """The open desk and the runner of its background operations, handed to every page and dialog."""

    desk: Desk
    ops: OpRunner
    # Set by the main window: ``navigate("cases")`` shows that page and returns its widget
    # (a page may then offer e.g. ``open_case(case_id)``). None outside the main window.
    navigate: Callable[[str], Any] | None = None
