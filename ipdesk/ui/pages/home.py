"""工作台 (being built)."""
from __future__ import annotations

from .placeholder import PlaceholderPage


class HomePage(PlaceholderPage):
    TITLE = "工作台"
