"""A file never changes its identity silently: an empty, truncated or foreign file is refused as damaged (never
initialised), every database carries a file identity, and backups and ``restore --latest`` match on it."""
import shutil
import sqlite3

import pytest

from ipdesk.cli import main
from ipdesk.db import backup as B
from ipdesk.db.identity import read_identity, short_id
from ipdesk.db.restore import latest_good_backup
from ipdesk.desk import Desk
from ipdesk.errors import DatabaseDamaged, IpdeskError

from tests.safety.test_safety_restore import count_cases


def run(db, *args):
    return main(["--db", str(db), "--today", "2026-11-22", *args])


def office(folder, name="office.db", code="150602"):
    db = folder / name
    assert run(db, "init", "--unit-code", code, "--unit-name", "东胜区市场监督管理局", "--parent-code", "150600") == 0
    assert run(db, "demo", "--months", "6") == 0
    return db


def test_an_emptied_file_is_refused_everywhere_and_never_initialised(tmp_path, capsys):
    db = office(tmp_path)
    cases = count_cases(db)
    assert run(db, "backup") == 0
    db.write_bytes(b"")  # what a failed copy or a sync tool leaves
    assert run(db, "check") != 0
    assert db.stat().st_size == 0
    with pytest.raises(DatabaseDamaged, match="文件为空"):
        Desk.open(db, create=True)  # the GUI's way of opening: still refused, still empty
    assert db.stat().st_size == 0
    assert run(db, "load", str(tmp_path / "missing.json")) != 0
    assert db.stat().st_size == 0
    # restore --latest brings the office's own backup back, not an empty file's.
    assert run(db, "restore", "--latest") == 0
    assert count_cases(db) == cases
    assert run(db, "check") == 0


def test_check_says_why_an_empty_file_is_refused(tmp_path, capsys):
    db = tmp_path / "empty.db"
    db.write_bytes(b"")
    assert run(db, "check") != 0
    out = capsys.readouterr()
    assert "文件为空" in out.out + out.err
    assert db.stat().st_size == 0


def test_a_truncated_file_is_refused(tmp_path):
    db = office(tmp_path)
    data = db.read_bytes()
    db.write_bytes(data[: len(data) // 2])
    with pytest.raises(DatabaseDamaged, match="不完整|malformed|损坏"):
        Desk.open(db)


def test_a_foreign_sqlite_file_is_refused_not_initialised(tmp_path):
    db = tmp_path / "other.db"
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE notes (text TEXT)")
    conn.execute("INSERT INTO notes VALUES ('someone else''s data')")
    conn.commit()
    conn.close()
    before = db.read_bytes()
    with pytest.raises(DatabaseDamaged, match="不是 ipdesk 数据库"):
        Desk.open(db, create=True)
    assert db.read_bytes() == before


def test_a_new_file_is_built_whole_and_carries_an_identity(tmp_path):
    desk = Desk.open(tmp_path / "新 单位.db", create=True)
    try:
        assert len(desk.setting("file_uuid")) == 32
        assert desk.setting("file_path") == str((tmp_path / "新 单位.db").resolve())
    finally:
        desk.close()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".new-")]


def test_a_copy_gets_its_own_identity_and_a_moved_file_keeps_it(tmp_path):
    db = office(tmp_path)
    original = read_identity(db)
    copy = tmp_path / "培训副本.db"
    shutil.copyfile(db, copy)
    Desk.open(copy).close()
    assert read_identity(copy) not in (None, original)
    moved = tmp_path / "elsewhere" / "office.db"
    moved.parent.mkdir()
    shutil.move(db, moved)
    Desk.open(moved).close()
    assert read_identity(moved) == original


def test_a_training_copy_sharing_the_backup_folder_never_restores_into_the_real_file(tmp_path, capsys):
    real = office(tmp_path)
    real_cases = count_cases(real)
    assert run(real, "backup") == 0
    training = tmp_path / "培训.db"
    shutil.copyfile(real, training)
    assert run(training, "load", str(_one_case_json(tmp_path))) == 0
    assert run(training, "backup") == 0  # newer, same unit, same folder
    training_id = short_id(read_identity(training))
    real_id = short_id(read_identity(real))
    assert training_id != real_id
    with _opened(real) as desk:
        assert {b.file_id for b in desk.backups()} == {real_id}
    # Damaged but still saying who it is: its own backup comes back.
    _damage_pages(real)
    assert run(real, "restore", "--latest") == 0
    assert count_cases(real) == real_cases
    assert read_identity(real) != read_identity(training)
    # Emptied, so it cannot say who it is: two files' backups in the folder, so restore refuses to guess.
    real.write_bytes(b"")
    assert run(real, "restore", "--latest") != 0
    assert "多个数据库的备份" in capsys.readouterr().err
    assert real.stat().st_size == 0
    with pytest.raises(IpdeskError, match="多个数据库的备份"):
        latest_good_backup(real)


def test_an_uninitialised_backup_is_never_the_latest_good_one(tmp_path):
    db = office(tmp_path)
    cases = count_cases(db)
    assert run(db, "backup") == 0
    folder = B.backup_dir_for_path(db)
    blank = Desk.open(tmp_path / "blank.db", create=True)  # never set up: no unit
    try:
        B.copy_database(blank.db.conn, folder, "manual")
    finally:
        blank.close()
    db.write_bytes(b"")
    info = latest_good_backup(db)
    assert info is not None and count_cases(info.path) == cases


def _one_case_json(folder):
    path = folder / "one.json"
    path.write_text('{"cases": [{"name": "培训案件", "category": "商标侵权", "lead_date": "2026-10-08"}]}', encoding="utf-8")
    return path


def _damage_pages(path):
    size = path.stat().st_size
    with open(path, "r+b") as fh:
        fh.seek(size - 8192)
        fh.write(b"\xa5" * 8192)


class _opened:
    def __init__(self, path):
        self.desk = Desk.open(path)

    def __enter__(self):
        return self.desk

    def __exit__(self, *exc):
        self.desk.close()


def test_the_gui_offers_a_backup_for_an_emptied_file_not_a_first_start(tmp_path):
    from ipdesk.ui.app import open_for_gui

    db = tmp_path / "ipdesk.db"
    db.write_bytes(b"")
    with pytest.raises(DatabaseDamaged):
        open_for_gui(db)  # run_gui turns this into offer_restore
    assert db.stat().st_size == 0


@pytest.mark.parametrize("command", [
    ["annex1", "--period", "2026-10", "--format", "pdf"],
    ["annex1", "--period", "2026-10", "--format", "json"],
    ["annex2", "--period", "2026-10", "--format", "xlsx"],
    ["export-package", "--period", "2026-10"],
])
@pytest.mark.parametrize("suffix", ["", "-wal"])
def test_no_output_is_written_over_the_open_database(tmp_path, capsys, command, suffix):
    db = office(tmp_path)
    assert run(db, "approve", "--period", "2026-10", "--user", "管理员") == 0
    target = tmp_path / f"{db.name}{suffix}"
    before = count_cases(db)
    assert run(db, *command, "--out", str(target)) != 0
    assert "正在使用的数据库文件" in capsys.readouterr().err
    assert count_cases(db) == before and run(db, "check") == 0


def test_no_output_is_written_over_a_backup(tmp_path, capsys):
    db = office(tmp_path)
    assert run(db, "backup") == 0
    [backup] = [p for p in (tmp_path / "backups").iterdir() if p.suffix == ".db"]
    size = backup.stat().st_size
    assert run(db, "annex1", "--period", "2026-10", "--format", "xlsx", "--out", str(backup)) != 0
    assert "备份" in capsys.readouterr().err
    assert backup.stat().st_size == size and not B.verify(backup)


def test_an_interrupted_runs_temporary_files_are_removed_at_the_next_open(tmp_path):
    import os
    import time

    db = office(tmp_path)
    folder = tmp_path / "backups"
    old = [tmp_path / f".new-123-{db.name}", tmp_path / f".restore-456-{db.name}", folder / ".tmp-789-x.db"]
    fresh = folder / ".tmp-999-y.db"  # another program's backup in progress
    for leftover in old + [fresh]:
        leftover.parent.mkdir(exist_ok=True)
        leftover.write_bytes(b"partial")
    hours_ago = time.time() - 3 * 3600
    for leftover in old:
        os.utime(leftover, (hours_ago, hours_ago))
    Desk.open(db).close()
    assert not any(p.exists() for p in old)
    assert fresh.exists()
