"""其他工作 (placeholder until its page lands)."""
from __future__ import annotations

from .placeholder import PlaceholderPage


class WorkItemsPage(PlaceholderPage):
    TITLE = "其他工作"
