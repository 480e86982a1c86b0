"""What every page and dialog gets: the open desk and the background-operation runner."""
from __future__ import annotations

from dataclasses import dataclass

from ..desk import Desk
from .ops import OpRunner


@dataclass
class AppContext:
    desk: Desk
    ops: OpRunner
