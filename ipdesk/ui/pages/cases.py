"""案件台账 (placeholder until its page lands)."""
from __future__ import annotations

from .placeholder import PlaceholderPage


class CasesPage(PlaceholderPage):
    TITLE = "案件台账"
