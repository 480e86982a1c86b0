"""设置 (being built)."""
from __future__ import annotations

from .placeholder import PlaceholderPage


class SettingsPage(PlaceholderPage):
    TITLE = "设置"
