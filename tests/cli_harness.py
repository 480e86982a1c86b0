"""The command line as the tests run it: the shipped one plus ``--today DATE`` (fixes the calendar day).

In-process tests get the option from ``tests/conftest.py``; a child process runs ``python -m tests.cli_harness``
with the same arguments as ``python -m ipdesk``.
"""
import argparse
import sys

from ipdesk.cli import add_global_option, main

_REGISTERED = []


def register() -> None:
    if not _REGISTERED:
        add_global_option(lambda parser: parser.add_argument("--today", help=argparse.SUPPRESS))
        _REGISTERED.append(True)


if __name__ == "__main__":
    register()
    sys.exit(main())
