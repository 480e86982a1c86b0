"""检查记录 (placeholder until its page lands)."""
from __future__ import annotations

from .placeholder import PlaceholderPage


class InspectionsPage(PlaceholderPage):
    TITLE = "检查记录"
