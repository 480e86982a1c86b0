"""Damage is detected (check, open) and restore brings back a sound file; restore refuses what it should."""
import shutil
import sqlite3
import subprocess
import sys

import pytest

from ipdesk.cli import main
from ipdesk.db import backup as B
from ipdesk.db.connection import integrity_problems
from ipdesk.db.restore import in_use, latest_good_backup, restore
from ipdesk.desk import Desk
from ipdesk.errors import DatabaseDamaged, DatabaseInUse, IpdeskError

from tests.conftest import subprocess_env


def run(db, *args):
    return main(["--db", str(db), "--today", "2026-11-22", *args])


def office(tmp_path, name="东胜 区.db", code="150602", months="6"):
    db = tmp_path / "数据 目录" / name
    assert run(db, "init", "--unit-code", code, "--unit-name", "东胜区市场监督管理局", "--parent-code", "150600") == 0
    assert run(db, "demo", "--months", months) == 0
    return db


def overwrite(path, offset, size=4096):
    with open(path, "r+b") as fh:
        fh.seek(offset)
        fh.write(b"\xa5" * size)


def count_cases(path):
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT count(*) FROM cases").fetchone()[0]
    finally:
        conn.close()


@pytest.mark.parametrize("where", ["middle", "header", "not-sqlite"])
def test_damage_detected_by_check_and_open_then_restore_latest(tmp_path, capsys, where):
    db = office(tmp_path)
    assert run(db, "backup") == 0
    cases = count_cases(db)
    size = db.stat().st_size
    if where == "middle":
        overwrite(db, (size // 2) // 4096 * 4096, 8192)
    elif where == "header":
        overwrite(db, 0, 100)
    else:
        db.write_bytes("这不是数据库 not a database\n".encode() * 500)
    capsys.readouterr()
    assert run(db, "check") != 0
    assert "损坏" in capsys.readouterr().out
    with pytest.raises(DatabaseDamaged) as exc:
        Desk.open(db)
    assert "数据库文件已损坏" in exc.value.zh
    damaged_bytes = db.read_bytes()
    assert run(db, "annex1", "--period", "2026-03") == 2
    assert db.read_bytes() == damaged_bytes  # never opened for writing
    assert run(db, "restore", "--latest") == 0
    assert integrity_problems(db) == []
    assert run(db, "check") == 0
    assert count_cases(db) == cases
    aside = list((db.parent / "backups" / "aside").iterdir())
    assert len(aside) == 1 and (aside[0] / db.name).read_bytes() == damaged_bytes
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM audit_log WHERE action = 'restore'").fetchone()[0] == 1
    conn.close()


def test_check_detects_damage_in_a_subprocess(tmp_path):
    db = office(tmp_path)
    overwrite(db, db.stat().st_size // 2 // 4096 * 4096, 8192)
    res = subprocess.run([sys.executable, "-m", "ipdesk", "--db", str(db), "check"], capture_output=True,
                         env=subprocess_env(), timeout=60)
    assert res.returncode == 1 and "损坏" in res.stdout.decode("utf-8")


def test_restore_backs_up_a_sound_current_file_first(tmp_path):
    db = office(tmp_path)
    conn = sqlite3.connect(db)
    first = B.copy_database(conn, db.parent / "backups", "manual")
    conn.close()
    desk = Desk.open(db)
    desk.records.save("cases", {"name": "恢复前新增的案件", "category": "商标侵权", "lead_date": "2026-03-02"})
    desk.close()
    cases = count_cases(db)
    result = restore(db, first)
    assert result.previous_copy and not result.previous_was_damaged
    assert B.parse_name(result.previous_copy).reason == "restore"
    assert count_cases(result.previous_copy) == cases  # the state before the restore is kept
    assert count_cases(db) < cases


def test_restore_refuses_other_unit_damaged_backup_and_busy_file(tmp_path):
    db = office(tmp_path)
    other = office(tmp_path, "别的.db", code="150603", months="2")
    conn = sqlite3.connect(other)
    foreign = B.copy_database(conn, tmp_path / "foreign", "manual")
    conn.close()
    before = db.read_bytes()
    with pytest.raises(IpdeskError, match="另一个单位"):
        restore(db, foreign)
    assert run(db, "restore", str(foreign)) == 2
    assert db.read_bytes() == before
    # a damaged backup is refused before anything happens
    bad = tmp_path / "bad.db"
    shutil.copy(foreign, bad)
    overwrite(bad, bad.stat().st_size // 2 // 4096 * 4096, 8192)
    with pytest.raises(IpdeskError, match="备份文件无法使用"):
        restore(db, bad, force=True)
    # another program has the file open
    desk = Desk.open(db)
    try:
        assert in_use(db)
        with pytest.raises(DatabaseInUse):
            restore(db, foreign, force=True)
    finally:
        desk.close()
    assert not in_use(db)
    assert db.read_bytes() == before
    restore(db, foreign, force=True)
    assert Desk.open(db).unit["code"] == "150603"


def test_latest_skips_damaged_backups(tmp_path):
    db = office(tmp_path)
    conn = sqlite3.connect(db)
    good = B.copy_database(conn, db.parent / "backups", "manual")
    newer = B.copy_database(conn, db.parent / "backups", "auto")
    conn.close()
    overwrite(newer, newer.stat().st_size // 2 // 4096 * 4096, 8192)
    assert latest_good_backup(db).path == good
    (db.parent / "backups" / good.name).unlink()
    newer.unlink()
    with pytest.raises(IpdeskError, match="没有找到可用的备份"):
        restore(db)
