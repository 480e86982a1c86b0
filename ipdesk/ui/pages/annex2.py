"""附件2 (being built)."""
from __future__ import annotations

from .placeholder import PlaceholderPage


class Annex2Page(PlaceholderPage):
    TITLE = "附件2"
