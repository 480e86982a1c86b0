"""The command line: the same services as the GUI, for automation and tests (README: 命令行).

Each area registers its subcommands in its own module with :func:`.registry.command`;
``ipdesk`` with no subcommand starts the GUI.
"""
from __future__ import annotations

import argparse
import sqlite3
import sys
from typing import Callable

from .. import log
from ..db.backup import default_backup_dir
from ..db.connection import default_db_path, plain_write_error
from ..errors import IpdeskError
from .registry import COMMANDS

# Options a harness adds for itself (the tests' --today, which fixes the calendar day): none in the program
# as shipped, where a sender could otherwise backdate what it approves and sends.
_EXTRA_GLOBAL_OPTIONS: list[Callable[[argparse.ArgumentParser], None]] = []


def add_global_option(add: Callable[[argparse.ArgumentParser], None]) -> None:
    """Let a harness add an option to every parser built from now on (tests only)."""
    _EXTRA_GLOBAL_OPTIONS.append(add)


def _add_global_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", help="数据库文件（默认在用户数据目录）")
    parser.add_argument("--password-file", help="密码文件（第一行为密码）：以设有密码的用户身份操作时使用")
    parser.add_argument("--self-test", action="store_true", help="安装包自检：数据库、统计表、PDF、Excel")
    for add in _EXTRA_GLOBAL_OPTIONS:
        add(parser)


def build_parser() -> argparse.ArgumentParser:
    # Imported here: building the parser for a subcommand loads them all; the GUI's start needs none.
    from . import core  # noqa: F401  (registers commands)
    from . import extra  # noqa: F401

    parser = argparse.ArgumentParser(prog="ipdesk", description="知识产权行政保护工作台 ipdesk")
    _add_global_options(parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    seen = set()
    for name, help_text, configure in COMMANDS:
        if name in seen:
            continue
        seen.add(name)
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.set_defaults(run=configure(p))
    return parser


def _gui_args(argv: list[str] | None) -> argparse.Namespace | None:
    """The arguments when they name no subcommand (the GUI, --self-test), else None. Starting the GUI
    this way skips importing every subcommand's module just to build their parsers."""
    parser = argparse.ArgumentParser(prog="ipdesk", add_help=False, exit_on_error=False)
    _add_global_options(parser)
    try:
        args, rest = parser.parse_known_args(sys.argv[1:] if argv is None else argv)
    except argparse.ArgumentError:  # e.g. --db without a value: the full parser says so
        return None
    if rest:
        return None
    args.command = None
    return args


def main(argv: list[str] | None = None, *, gui_ready=None) -> int:
    """Run a subcommand, or the GUI without one (``gui_ready``: see :func:`ipdesk.ui.app.run_gui`)."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(encoding="utf-8")  # type: ignore[union-attr]  # a TextIOWrapper
        except (AttributeError, ValueError):
            pass
    args = _gui_args(argv)
    if args is None:
        args = build_parser().parse_args(argv)
    try:
        if args.self_test:
            # Imported here: only the bundle's self-test needs it (it loads Qt).
            from ..selftest import run_self_test

            return run_self_test()
        if not args.command:
            # Imported here: the command line never loads Qt.
            from ..ui.app import run_gui

            return run_gui(args.db, ready=gui_ready)
        return int(args.run(args) or 0)
    except IpdeskError as exc:
        print(f"错误：{exc.zh}", file=sys.stderr)
        if exc.en and exc.en != exc.zh:
            print(f"error: {exc.en}", file=sys.stderr)
        for field, message in list(exc.field_errors.items())[:50]:
            print(f"  {field}: {message}", file=sys.stderr)
        return 2
    except (OSError, MemoryError, sqlite3.Error) as exc:  # the disk, the file system: said plainly, no traceback
        plain = plain_write_error(exc)
        if plain is not None:  # a full disk, a read-only file: what to do about it, not the system's words
            _log_failure(args, exc)
            print(f"错误：{plain.zh}", file=sys.stderr)
            print(f"error: {plain.en}", file=sys.stderr)
            return 3
        if isinstance(exc, sqlite3.Error):
            return _internal_error(args, exc)
        _log_failure(args, exc)
        print(f"错误：无法完成（{exc.strerror or exc if isinstance(exc, OSError) else '内存不足'}），未写入任何内容",
              file=sys.stderr)
        print(f"error: {exc}", file=sys.stderr)
        return 3
    except Exception as exc:  # a bug: every write is one transaction, so nothing is half-written
        return _internal_error(args, exc)


def _internal_error(args, exc: BaseException) -> int:
    _log_failure(args, exc)
    print(f"错误：程序内部错误（{type(exc).__name__}: {str(exc)[:200]}），本次操作未完成，数据未改动。"
          "请把日志文件发给技术支持", file=sys.stderr)
    return 4


def _log_failure(args, exc: BaseException) -> None:
    """Into the log file beside the database's backups (the GUI's log), with its traceback."""
    try:
        if log.current_file() is None:
            log.start(default_backup_dir(args.db or default_db_path()))
        log.failure(f"ipdesk {args.command}", exc)
    except Exception:  # noqa: BLE001  never let logging hide the message the user needs
        pass
