"""The program's log: ``ipdesk.log`` in the folder of the database's backups, rotated at 1 MB (three old
files kept). The Windows build has no console, so what would go to stderr — an automatic backup that
failed, an unexpected error, a damaged file found by the deferred check — is written here for support.

Modules log through ``logging.getLogger(__name__)`` as usual; :func:`start` attaches the file once the
database is open. The file is opened at the first record, not at start-up: ``logging.handlers`` costs
~10 ms to import (sockets, pickle, queue), a start that logs nothing need not pay it.
"""
from __future__ import annotations

import logging
from pathlib import Path

from .errors import IpdeskError

LOG_NAME = "ipdesk.log"
MAX_BYTES = 1_000_000
KEEP = 3
FORMAT = "%(asctime)s %(levelname)s %(threadName)s %(name)s: %(message)s"

logger = logging.getLogger("ipdesk")


class _FileOnFirstRecord(logging.Handler):
    """A RotatingFileHandler on ``path``, made (folder included) when the first record arrives; in ``fallback``
    when that folder cannot be made (the backup folder on a USB stick that is not plugged in)."""

    def __init__(self, path: Path, fallback: Path | None = None):
        super().__init__(logging.INFO)
        self.path, self.fallback = path, fallback
        self._file: logging.Handler | None = None

    def emit(self, record: logging.LogRecord) -> None:
        if self._file is None:
            from logging.handlers import RotatingFileHandler

            for path in (self.path, self.fallback):
                try:
                    path.parent.mkdir(parents=True, exist_ok=True)
                    self._file = RotatingFileHandler(path, maxBytes=MAX_BYTES, backupCount=KEEP, encoding="utf-8")
                    self.path = path
                    break
                except (OSError, AttributeError):  # AttributeError: no fallback
                    continue
            else:
                self.handleError(record)
                return
            self._file.setFormatter(logging.Formatter(FORMAT))
            # A log line that cannot be written (the disk is full) is lost quietly: never a traceback on the
            # user's screen in place of the message that says what happened.
            self._file.handleError = lambda _record: None  # type: ignore[method-assign,assignment]
        self._file.handle(record)

    def flush(self) -> None:
        if self._file is not None:
            self._file.flush()

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
        super().close()


def start(folder: str | Path, fallback: str | Path | None = None) -> Path:
    """Log to ``folder``/ipdesk.log from now on (replacing an earlier file), or ``fallback``/ipdesk.log if that
    folder cannot be made; returns the first choice."""
    stop()
    path = Path(folder) / LOG_NAME
    logger.addHandler(_FileOnFirstRecord(path, Path(fallback) / LOG_NAME if fallback else None))
    logger.setLevel(logging.INFO)
    return path


def stop() -> None:
    for handler in [h for h in logger.handlers if isinstance(h, _FileOnFirstRecord)]:
        logger.removeHandler(handler)
        handler.close()


def current_file() -> Path | None:
    """Where records go now (None before :func:`start`)."""
    return next((h.path for h in logger.handlers if isinstance(h, _FileOnFirstRecord)), None)


def failure(what: str, exc: BaseException, *, name: str = "ipdesk", refusal: int = logging.INFO) -> None:
    """Log ``what`` failed with ``exc``: a refusal (IpdeskError: bad input, a lock, a folder that cannot be
    made) as one line at level ``refusal``, anything else as an error with its traceback. Each exception is
    written once, however many hands it passes through."""
    if getattr(exc, "_ipdesk_logged", False):
        return
    try:
        setattr(exc, "_ipdesk_logged", True)  # noqa: B010  (logged once, however often re-raised)
    except AttributeError:  # an exception type without a __dict__
        pass
    log = logging.getLogger(name)
    if isinstance(exc, IpdeskError):
        log.log(refusal, "%s: %s", what, exc.en or exc.zh)
    else:
        log.error("%s: %s", what, exc, exc_info=(type(exc), exc, exc.__traceback__))


def catch_uncaught() -> None:
    """Uncaught exceptions — in a Qt slot on the GUI thread, or ending a thread — go to the log too (the
    default hooks print to a stderr the windowed build does not have), then to the previous hook."""
    import sys
    import threading

    previous, previous_thread = sys.excepthook, threading.excepthook
    if getattr(previous, "_ipdesk", False):
        return

    def hook(kind, exc, tb) -> None:
        if not issubclass(kind, KeyboardInterrupt):
            logger.error("uncaught: %s", exc, exc_info=(kind, exc, tb))
        previous(kind, exc, tb)

    def thread_hook(args) -> None:
        if args.exc_type is not SystemExit:
            name = args.thread.name if args.thread else "?"
            logger.error("uncaught in thread %s: %s", name, args.exc_value,
                         exc_info=(args.exc_type, args.exc_value, args.exc_traceback))
        previous_thread(args)

    setattr(hook, "_ipdesk", True)  # noqa: B010  (installed once)
    sys.excepthook, threading.excepthook = hook, thread_hook
