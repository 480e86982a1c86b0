"""A large file opens without waiting for its integrity check (it runs on its own thread), yet nothing is
written to the file before a sound verdict: a damaged file fails at its first write, unchanged on disk."""
import sqlite3

import pytest

from ipdesk.db import connection
from ipdesk.desk import Desk
from ipdesk.errors import DatabaseDamaged, IpdeskError

WORK = {"date": "2026-03-05", "kind": "宣传活动", "title": "延后检查", "count_a": 1}


@pytest.fixture
def large(monkeypatch):
    """Every file counts as large: its quick_check is deferred."""
    monkeypatch.setattr(connection, "QUICK_CHECK_AT_OPEN_MAX_BYTES", 0)


def office(make_desk):
    desk = make_desk()
    desk.user = "管理员"
    desk.records.save("work_items", {**WORK, "title": "已有"})
    path = desk.path
    desk.close()
    return path


def damage_table_root(path, table):
    """Garbage over one table's root page: the schema still reads, quick_check does not pass."""
    conn = sqlite3.connect(path)
    try:
        root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", [table]).fetchone()[0]
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    finally:
        conn.close()
    with open(path, "r+b") as fh:
        fh.seek((root - 1) * page_size)
        fh.write(b"\xa5" * page_size)


def test_damaged_large_file_is_never_written(make_desk, large):
    path = office(make_desk)
    damage_table_root(path, "received_packages")  # a table saving a work item never reads
    damaged = path.read_bytes()
    desk = Desk.open(path)  # the header is sound: opens at once, the check runs behind
    desk.user = "管理员"
    assert desk.integrity_deferred and desk.db.gate is not None
    assert [r[0] for r in desk.db.execute("SELECT title FROM work_items")] == ["已有"]  # reading is fine
    with pytest.raises(DatabaseDamaged) as exc:
        desk.records.save("work_items", WORK)  # waits for the verdict, then refuses
    assert "数据库文件已损坏" in exc.value.zh
    assert desk.db.gate.sound is False and not desk.db.known_sound
    with pytest.raises(DatabaseDamaged):
        desk.set_setting("backup_interval_minutes", 5)
    desk.close()  # no PRAGMA optimize on a file not known to be sound
    assert path.read_bytes() == damaged


def test_sound_large_file_writes_after_its_verdict(make_desk, large):
    path = office(make_desk)
    desk = Desk.open(path)
    desk.user = "管理员"
    heard = []
    desk.db.gate.when_done(heard.append)
    desk.records.save("work_items", WORK)
    assert desk.db.gate.sound is True and desk.db.known_sound
    assert heard == [[]]  # told once, with no problems
    late = []
    desk.db.gate.when_done(late.append)  # after the verdict: told at once
    assert late == [[]]
    desk.close()
    desk = Desk.open(path)
    assert sorted(r[0] for r in desk.db.execute("SELECT title FROM work_items")) == ["已有", "延后检查"]
    desk.close()


def test_small_file_is_checked_at_open(make_desk):
    path = office(make_desk)
    damage_table_root(path, "received_packages")
    with pytest.raises(DatabaseDamaged):
        Desk.open(path)


def test_check_left_for_later_is_started_by_the_first_write(make_desk, large):
    """The GUI starts the check once its window has painted; a write before that starts it and waits."""
    path = office(make_desk)
    desk = Desk.open(path, check_later=True)
    desk.user = "管理员"
    assert desk.db.gate.sound is None and not desk.db.gate._started
    desk.records.save("work_items", WORK)  # no deadlock: require_sound() starts the check
    assert desk.db.gate.sound is True
    desk.close()


def test_closing_before_the_check_ran_writes_nothing(make_desk, large):
    path = office(make_desk)
    damage_table_root(path, "received_packages")
    damaged = path.read_bytes()
    desk = Desk.open(path, check_later=True)
    desk.user = "管理员"
    gate = desk.db.gate
    desk.close()  # never started: cancelled, no verdict, no PRAGMA optimize
    assert gate.sound is False and not gate._started
    assert path.read_bytes() == damaged
    with pytest.raises(IpdeskError, match="正在关闭"):
        gate.require_sound()  # a cancelled check never lets a write through
