"""报送 (placeholder until its page lands)."""
from __future__ import annotations

from .placeholder import PlaceholderPage


class SubmissionsPage(PlaceholderPage):
    TITLE = "报送"
