"""What an operation changed, so screens redraw only what depends on it (returned by every write)."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Changes:
    """What an operation changed; screens redraw what depends on it."""

    tables: set[str] = field(default_factory=set)
    record_id: int | None = None
    label: str = ""

    @property
    def cases(self) -> bool:
        return bool(self.tables & {"cases", "case_adjustments"})

    @property
    def statistics(self) -> bool:
        return bool(self.tables & {"cases", "inspections", "work_items", "manual_cells"})
