"""Background operations (after Anki's CollectionOp/QueryOp): run a core call off the GUI thread,
then hand its result — usually a :class:`ipdesk.desk.Changes` — to the GUI thread.

One worker thread serializes every call on the desk's connection (SQLite connections are not
shared across concurrent threads). Long read-only queries (the 工作台's figures) go to a second
thread with their own read-only connection (:meth:`OpRunner.read`), so they never hold up the
worker. Tests install a synchronous runner so pytest-qt stays deterministic. A failed operation is
written to the log (:mod:`ipdesk.log`) on the thread it failed on, so it is kept even if the window
that would show it has gone.
"""
from __future__ import annotations

import sqlite3
import threading
import traceback
from collections import deque
from typing import Any, Callable

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication, QWidget

from .. import log
from ..errors import Cancelled, IpdeskError
from .qt_values import QUEUED_CONNECTION
from ..desk import Changes
from ..db.connection import plain_write_error


# How long the GUI thread waits for the interpreter lock a computing worker holds. Every first call of a Qt
# virtual on a fresh widget or item, every slot and every model read needs the lock, so laying out a new table
# while the worker computes waited this long dozens of times: a 14-row pick-list table laid out in 146 ms
# beside a busy thread at 1 ms, 51 ms at 0.2 ms (9 ms alone); bench gui_max_stall 81–119 ms at 1 ms,
# 59–76 ms at 0.2 ms, the jobs as fast. Python's default is 5 ms.
SWITCH_INTERVAL_S = 0.0002


class OperationCancelled(Cancelled):
    """Raised inside a cancellable task at its next progress report once the user pressed 取消; whatever the task
    was writing is rolled back with it (every write is one transaction)."""


class Progress:
    """What a cancellable task is handed: ``report(...)`` with ``(done, total)`` counts and/or a text (the
    progress callbacks of the core take it as it is) moves the dialog on, and raises
    :class:`OperationCancelled` once 取消 was pressed. Callable from the worker thread."""

    def __init__(self, post: Callable[[Callable[[Any], None], Any], None] | None = None, dialog=None):
        self.cancelled = False
        self._post, self._dialog = post, dialog
        self._last = 0.0

    def cancel(self) -> None:
        self.cancelled = True

    def check(self) -> None:
        if self.cancelled:
            raise OperationCancelled()

    def __call__(self, *args) -> None:
        self.check()
        if self._post is None or self._dialog is None:
            return
        import time

        now = time.monotonic()
        if now - self._last < 0.05:  # the GUI redraws the bar at most 20 times a second
            return
        self._last = now
        counts = [a for a in args if isinstance(a, int) and not isinstance(a, bool)]
        text = next((a for a in args if isinstance(a, str)), None)
        self._post(self._show, (counts[:2], text))

    def _show(self, value) -> None:
        counts, text = value
        dialog = self._dialog
        if dialog is None or self.cancelled:
            return
        try:
            if len(counts) == 2 and counts[1] > 0:
                dialog.setMaximum(counts[1])
                dialog.setValue(min(counts[0], counts[1]))
            if text:
                dialog.setLabelText(text)
        except RuntimeError:  # the dialog is gone: the result has been delivered meanwhile
            self._dialog = None


class _Worker:
    """One thread running submitted calls in order, started on the first one (a one-thread pool without
    importing concurrent.futures and logging at start-up). ``done(result, exc)`` runs on the thread."""

    def __init__(self, name: str, *, daemon: bool = False):
        self._items: deque = deque()  # append/popleft are atomic; the semaphore counts the items
        self._ready = threading.Semaphore(0)
        self._thread = threading.Thread(target=self._loop, name=name, daemon=daemon)

    def submit(self, task: Callable[[], Any], done: Callable[[Any, Exception | None], None]) -> None:
        if self._thread.ident is None:  # submit() is called from the GUI thread only
            self._thread.start()
        self._put((task, done))

    def _put(self, item) -> None:
        self._items.append(item)
        self._ready.release()

    def _loop(self) -> None:
        while self._ready.acquire() and (item := self._items.popleft()) is not None:
            task, done = item
            try:
                result, exc = task(), None
            except Exception as error:  # handed to the GUI thread; KeyboardInterrupt/SystemExit are not caught
                result, exc = None, error
            try:
                done(result, exc)
            except Exception as error:  # a broken callback must not end the thread every later call needs
                log.failure(f"{self._thread.name}: delivering a result", error, name=__name__)

    def shutdown(self, *, wait: bool) -> None:
        if self._thread.ident is not None:
            self._put(None)
            if wait:
                self._thread.join()


class OpRunner(QObject):
    """Runs ``task()`` on the single background worker; ``on_done(result)`` / ``on_error(exc)`` on the GUI thread.

    ``changed`` is emitted with every Changes value an operation returns, so each page can
    refresh what it shows.
    """

    changed = Signal(object)
    _finished = Signal(object, object, object, object)
    FIRST_PAINT_LATEST_MS = 1000  # held work starts by then even if the window never paints (minimized)

    def __init__(self, parent: QObject | None = None, synchronous: bool = False):
        super().__init__(parent)
        self.synchronous = synchronous
        if not synchronous:
            # The GUI thread's Python (every slot, every timer) needs the interpreter lock the worker holds while
            # it runs Python: asked for, it gets it within SWITCH_INTERVAL_S, so a window repaints and answers
            # while a worker computes.
            import sys

            sys.setswitchinterval(SWITCH_INTERVAL_S)
        self._worker = None if synchronous else _Worker("ipdesk-op")
        # Reads only feed screens: a daemon thread, never waited for when the program quits.
        self._reader = None if synchronous else _Worker("ipdesk-read", daemon=True)
        self._readers: set = set()  # open connections of reads, interrupted and waited for at shutdown
        self._stopping = False
        self._held: list[Callable[[], None]] | None = None  # background starts waiting for a first paint
        self._starting: list[Callable[[], None]] = []  # operations waiting for the window to have answered
        self._start_timer: QTimer | None = None
        self._thread_id = threading.get_ident()  # the GUI thread, where that timer can be made and started
        self._lock = threading.Lock()
        self._read_done = threading.Condition(self._lock)  # notified as each reader connection closes
        self._finished.connect(self._deliver, QUEUED_CONNECTION)  # see qt_values
        self.last_progress: Progress | None = None  # of the newest cancellable operation (tests cancel it)

    def run(self, task: Callable[[], Any], on_done: Callable[[Any], None] | None = None,
            on_error: Callable[[Exception], None] | None = None, *, parent: QWidget | None = None,
            progress: str | None = None, emit_changes: bool = True, cancellable: bool = False) -> None:
        """Start ``task``; with ``progress`` a modal progress dialog shows if it takes over 0.5 s.

        With ``cancellable`` the task is called as ``task(report)`` (a :class:`Progress`): the dialog has a
        取消 button, and the task stops at its next ``report(...)`` after it is pressed; ``on_error`` then gets
        :class:`OperationCancelled` (nothing is shown without ``on_error``)."""
        dialog = None
        if progress and not self.synchronous:
            from PySide6.QtCore import Qt  # here, not before the first paint (see qt_values)
            from PySide6.QtWidgets import QProgressDialog  # here: naming it loads its type and enums (~0.4 ms)

            dialog = QProgressDialog(progress, "取消" if cancellable else None, 0, 0, parent)
            dialog.setWindowTitle("请稍候")
            dialog.setMinimumDuration(500)
            dialog.setWindowModality(Qt.WindowModal)
            if not cancellable:
                dialog.setCancelButton(None)
        if cancellable:
            report = Progress(None if self.synchronous else self.post, dialog)
            self.last_progress = report
            if dialog is not None:
                dialog.setAutoClose(False)
                dialog.canceled.connect(report.cancel)
                dialog.canceled.connect(lambda: dialog.setLabelText("正在取消…"))
            plain = task
            task = lambda: plain(report)  # noqa: E731
        if self.synchronous:
            try:
                result = task()
            except Exception as exc:  # shown to the user
                log.failure(_task_name(task), exc, name=__name__)
                self._deliver((result := None), exc, (on_done, on_error, dialog), emit_changes)
                return None
            self._deliver(result, None, (on_done, on_error, dialog), emit_changes)
            return None

        def finished(result, exc) -> None:
            if exc is not None:
                log.failure(_task_name(task), exc, name=__name__)
            self._finished.emit(result, exc, (on_done, on_error, dialog), emit_changes)
        self._start_when_answered(lambda: self._worker.submit(task, finished))

    def _start_when_answered(self, start: Callable[[], None]) -> None:
        """``start()`` once the GUI thread has handled what is already pending — the layout and paint of what the
        asking slot changed (a new table, a progress bar) — in order of asking. Laid out beside a worker that
        holds the interpreter lock, a ledger's fresh 14-row mapping table took 81–124 ms instead of ~15 (bench
        gui_max_stall). A zero-interval QTimer fires once the event queue is empty (Qt's QTimer documentation),
        after pending paints; QTimer.singleShot(0) would come before them."""
        if threading.get_ident() != self._thread_id:  # a timer made or started here would never fire
            self.post(lambda _value: self._start_when_answered(start))
            return
        self._starting.append(start)
        if self._start_timer is None:
            self._start_timer = QTimer(self)
            self._start_timer.setSingleShot(True)
            self._start_timer.setInterval(0)
            self._start_timer.timeout.connect(self._start_waiting)
        self._start_timer.start()

    def _start_waiting(self) -> None:
        starting, self._starting = self._starting, []
        for start in starting:
            start()

    def read(self, desk, task: Callable[[Any], Any], on_done: Callable[[Any], None] | None = None,
             on_error: Callable[[Exception], None] | None = None) -> None:
        """``task(reader)`` on the reader thread, ``reader`` being a read-only Desk on its own connection to
        ``desk``'s file; ``on_done``/``on_error`` on the GUI thread. Reads queue one after another; the op
        worker stays free for writes and page loads meanwhile. A read asked for while the main window is
        being built starts once it has painted (:meth:`hold`)."""
        def opening(open_connection):
            with self._lock:  # never a reader connection opening after shutdown() has looked
                if self._stopping:
                    raise sqlite3.OperationalError("interrupted")
                conn = open_connection()
                self._readers.add(conn)
            # Aborts this read's queries (running or yet to start) once shutdown() begins.
            conn.set_progress_handler(lambda: self._stopping, 10_000)
            return conn

        def work():
            if self._stopping:
                return None
            reader = desk.reader(opening)
            try:
                return task(reader)
            finally:
                conn = reader.db.opened
                if conn is not None:
                    with self._lock:
                        conn.close()
                        self._readers.discard(conn)
                        self._read_done.notify_all()

        if self.synchronous:
            self.run(work, on_done, on_error, emit_changes=False)
            return

        def finished(result, exc) -> None:
            if not self._stopping:  # after shutdown nobody is left to show it (and its query was interrupted)
                if exc is not None:
                    log.failure(_task_name(task), exc, name=__name__)
                self._finished.emit(result, exc, (on_done, on_error, None), False)
        self.when_painted(lambda: self._reader.submit(work, finished))

    def after_reads(self, callback: Callable[[], None]) -> None:
        """``callback()`` on the GUI thread once every read asked for so far has finished (reads run one after
        another on the reader thread, so this waits behind them; held like them until the first paint)."""
        if self.synchronous:
            callback()
            return

        def finished(_result, _exc) -> None:
            if not self._stopping:
                self.post(lambda _value: callback())
        self.when_painted(lambda: self._reader.submit(lambda: None, finished))

    # ---- the first paint goes first --------------------------------------------------------------
    def hold(self) -> None:
        """Background work that can wait (reads, the deferred integrity check) waits for :meth:`release` — the
        main window calls it once it has painted, so nothing competes with the window appearing (on a busy
        2-core PC a thread computing figures takes the GIL and a core from it: measured ~50 ms later at 100k
        cases) — or starts after a second at the latest (a window that never paints: minimized)."""
        if self.synchronous or self._held is not None:
            return
        self._held = []
        QTimer.singleShot(self.FIRST_PAINT_LATEST_MS, self, self.release)

    def when_painted(self, callback: Callable[[], None]) -> None:
        """``callback()`` now, or once the held-for window has painted."""
        if self._held is None:
            callback()
        else:
            self._held.append(callback)

    def release(self) -> None:
        held, self._held = self._held or [], None
        for callback in held:
            callback()

    def _deliver(self, result, exc, callbacks, emit_changes) -> None:
        on_done, on_error, dialog = callbacks
        if dialog is not None:
            dialog.reset()
            dialog.deleteLater()
        if exc is not None:
            if on_error:
                on_error(exc)
            elif not isinstance(exc, OperationCancelled):
                show_error(exc)
            return

        if emit_changes and isinstance(result, Changes):
            self.changed.emit(result)
        if on_done:
            on_done(result)

    def post(self, callback: Callable[[Any], None], value: Any = None) -> None:
        """``callback(value)`` on the GUI thread; callable from any thread."""
        self._finished.emit(value, None, (callback, None, None), False)

    def shutdown(self) -> None:
        """Let pending operations finish; stop reads (only screens wait for them): their queries are
        interrupted, and only their connections' closing is waited for — the desk's own connection must
        close last, or SQLite leaves the -wal file behind and the next start takes it for a crash."""
        if self._reader is not None:
            with self._lock:
                self._stopping = True
                for conn in self._readers:
                    conn.interrupt()
                self._read_done.wait_for(lambda: not self._readers, timeout=5)
            self._reader.shutdown(wait=False)
        self._stopping = True
        if self._worker is not None:
            self._start_waiting()  # operations asked for are done, as before they waited for the window
            self._worker.shutdown(wait=True)


def show_error(exc: BaseException, parent: QWidget | None = None) -> None:
    """A refusal in plain Chinese; an unexpected error with its details for support (and in the log)."""
    from PySide6.QtWidgets import QMessageBox

    log.failure("shown to the user", exc, name=__name__)
    parent = parent or QApplication.activeWindow()
    plain = plain_write_error(exc)  # a full disk, a read-only folder: what to do, not a 程序错误
    if isinstance(exc, IpdeskError) or plain is not None:
        QMessageBox.warning(parent, "无法完成", (plain or exc).zh)
    else:
        box = QMessageBox(QMessageBox.Critical, "程序错误", f"发生了意外错误：{exc}", parent=parent)
        box.setDetailedText("".join(traceback.format_exception(exc)))
        box.exec()


def _task_name(task: Callable) -> str:
    return "operation " + (getattr(task, "__qualname__", None) or repr(task)) + " failed"


def later(callback: Callable[[], None], ms: int = 0) -> None:
    QTimer.singleShot(ms, callback)
