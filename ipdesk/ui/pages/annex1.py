"""附件1 (being built)."""
from __future__ import annotations

from .placeholder import PlaceholderPage


class Annex1Page(PlaceholderPage):
    TITLE = "附件1"
