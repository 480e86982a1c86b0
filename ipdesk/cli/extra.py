"""Subcommands of the later areas (reports, exchange, safety) are imported here."""
