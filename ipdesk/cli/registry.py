"""The subcommands, as their modules register them with :func:`command` (its own module: the command modules
import it, and :mod:`ipdesk.cli` imports them)."""
from __future__ import annotations

import argparse
from typing import Callable

COMMANDS: list[tuple[str, str, Callable]] = []


def command(name: str, help: str):
    """Register ``configure(parser) -> run``: it adds the subcommand's arguments and returns ``run(args) -> int``."""
    def wrap(configure: Callable[[argparse.ArgumentParser], Callable]) -> Callable:
        COMMANDS.append((name, help, configure))
        return configure
    return wrap
