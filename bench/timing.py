"""Timing helpers: medians of several runs, and one result row of the report."""
from __future__ import annotations

import statistics
import time
from dataclasses import dataclass
from typing import Callable


def median_seconds(fn: Callable[[], object], repeat: int, *, warmup: int = 1,
                   setup: Callable[[], object] | None = None) -> float:
    """Median wall time of ``fn()`` over ``repeat`` runs after ``warmup`` unmeasured ones;
    ``setup()`` runs, unmeasured, before each."""
    for _ in range(warmup):
        if setup:
            setup()
        fn()
    times = []
    for _ in range(repeat):
        if setup:
            setup()
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


@dataclass
class Result:
    """One measurement: ``value`` against a ``floor`` (same work done the plainest way) or an absolute goal."""

    name: str
    label: str
    value: float | None
    unit: str
    floor: float | None = None
    goal: str = ""
    max_ratio: float | None = None  # goal as a ratio to the floor
    max_value: float | None = None  # goal as an absolute limit
    note: str = ""

    @property
    def ratio(self) -> float | None:
        if self.value is None or not self.floor:
            return None
        return round(self.value / self.floor, 2)

    @property
    def ok(self) -> bool | None:
        if self.value is None:
            return None
        checks = []
        if self.max_ratio is not None:
            checks.append(self.ratio is not None and self.ratio <= self.max_ratio)
        if self.max_value is not None:
            checks.append(self.value < self.max_value if self.goal.lstrip().startswith("<")
                          else self.value <= self.max_value)
        return all(checks) if checks else None

    def to_json(self) -> dict:
        return {"value": None if self.value is None else round(self.value, 3), "unit": self.unit,
                "floor": None if self.floor is None else round(self.floor, 3), "ratio": self.ratio,
                "goal": self.goal, "ok": self.ok}


def ms(seconds: float) -> float:
    return seconds * 1000
