"""The log file beside the backups: what the windowed build cannot print is written there."""
from __future__ import annotations

import threading

import pytest

from ipdesk import log
from ipdesk.errors import IpdeskError


@pytest.fixture
def log_file(tmp_path):
    path = log.start(tmp_path / "backups")
    yield path
    log.stop()


def read(path) -> str:
    for handler in log.logger.handlers:
        handler.flush()
    return path.read_text(encoding="utf-8") if path.exists() else ""


def test_nothing_is_written_until_something_happens(log_file):
    assert log.current_file() == log_file
    assert not log_file.exists()  # a start that logs nothing opens no file


def test_unexpected_error_with_traceback_refusal_as_one_line_each_once(log_file):
    try:
        {}["missing"]
    except KeyError as exc:
        log.failure("reading", exc)
        log.failure("shown again", exc)  # the same exception passed on: not written twice
    log.failure("saving", IpdeskError("日期不能晚于今天", "date after today"))
    text = read(log_file)
    assert "ERROR" in text and "reading: 'missing'" in text and "Traceback" in text
    assert "shown again" not in text
    assert "INFO" in text and "saving: date after today" in text
    assert text.count("Traceback") == 1


def test_worker_failure_is_logged_and_the_worker_keeps_working(log_file, qtbot):
    from ipdesk.ui.ops import OpRunner

    ops = OpRunner()  # the GUI's own, with its thread
    errors, results = [], []

    def broken():
        raise RuntimeError("磁盘已满")

    ops.run(broken, on_error=errors.append, emit_changes=False)
    ops.run(lambda: threading.current_thread().name, on_done=results.append, emit_changes=False)
    qtbot.waitUntil(lambda: bool(errors and results), timeout=5000)
    ops.shutdown()
    assert isinstance(errors[0], RuntimeError)
    assert results == ["ipdesk-op"]  # the thread survived the failure
    text = read(log_file)
    assert "ipdesk-op" in text and "broken failed: 磁盘已满" in text and "RuntimeError" in text


def test_worker_does_not_swallow_a_request_to_stop():
    from ipdesk.ui.ops import _Worker

    worker, seen = _Worker("test-stop", daemon=True), []
    hook, threading.excepthook = threading.excepthook, lambda args: seen.append(args.exc_type)
    try:
        worker.submit(lambda: (_ for _ in ()).throw(SystemExit(1)), lambda *a: seen.append("delivered"))
        worker._thread.join(5)
    finally:
        threading.excepthook = hook
    assert not worker._thread.is_alive() and "delivered" not in seen


def test_failed_automatic_backup_goes_to_the_log_beside_the_database(ctx, tmp_path):
    """The chosen folder and the default one beside the database are both files: no backup can be made, and the
    log, which lives with the backups, falls back to the database's folder."""
    from ipdesk.ui.app import watch_safety

    chosen = tmp_path / "不是文件夹"
    chosen.write_text("x")
    (tmp_path / "backups").write_text("x")
    ctx.desk.set_setting("backup_dir", str(chosen))
    log.start(ctx.desk.backup_folder(), tmp_path)
    try:
        watch_safety(ctx.desk, ctx.ops)
        ctx.ops.run(lambda: ctx.desk.records.save("work_items", {"date": "2026-03-05", "kind": "宣传活动", "title": "宣传",
                                                         "count_a": 1}))
        text = read(tmp_path / "ipdesk.log")
    finally:
        log.stop()
    assert "WARNING" in text and "automatic backup failed (自动备份失败): cannot create backup folder" in text
    assert ctx.desk.backups() == []


def test_show_error_logs_what_it_shows(log_file, app, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from ipdesk.ui.ops import show_error

    monkeypatch.setattr(QMessageBox, "exec", lambda self: 0)
    show_error(ValueError("坏的数值"))
    assert "shown to the user: 坏的数值" in read(log_file)
