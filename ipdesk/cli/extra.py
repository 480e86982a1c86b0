"""Subcommands of the later areas (reports, exchange, safety) are imported here."""
from . import exchange  # noqa: F401
