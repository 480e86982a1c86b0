"""Subcommands of the later areas (reports, exchange, safety) are imported here."""
from . import exchange  # noqa: F401
from . import ledger  # noqa: F401  (import-ledger)
from . import safety  # noqa: F401
from . import reports  # noqa: F401  (summary)
from . import deadlines  # noqa: F401  (deadlines, holidays)
