"""Backups: verified copies, where they go, when they are made, how they are thinned."""
import sqlite3
from datetime import datetime, timedelta

import pytest

from ipdesk.db import backup as B
from ipdesk.db import migrations
from ipdesk.desk import Desk
from ipdesk.errors import IpdeskError

CASE = {"name": "某店销售侵犯注册商标专用权商品案", "category": "商标侵权", "lead_date": "2026-03-02"}


def add_work(desk, n=1):
    for i in range(n):
        desk.records.save("work_items", {"date": "2026-03-05", "kind": "宣传活动", "title": f"宣传{i}", "count_a": 1})


def test_backup_now_is_verified_copy_in_default_folder(desk):
    add_work(desk, 3)
    path = B.backup_now(desk, "manual")
    assert path.parent == desk.path.parent / "backups"
    info = B.parse_name(path)
    assert info.unit_code == "150602" and info.reason == "manual" and info.size == path.stat().st_size
    assert B.verify(path) == []
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT count(*) FROM work_items").fetchone()[0] == 3
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # one self-contained file
    conn.close()
    assert not list(path.parent.glob(".tmp-*"))


def test_backup_folder_with_chinese_and_spaces(desk, tmp_path):
    folder = tmp_path / "U盘 备份" / "东胜 区"
    desk.set_setting("backup_dir", str(folder))
    path = B.backup_now(desk)
    assert path.parent == folder and B.verify(path) == []
    assert [i.path for i in B.list_backups(folder)] == [path]


def test_maybe_backup_only_when_changed_and_interval_passed(desk):
    t0 = datetime(2026, 11, 22, 9, 0)
    assert B.maybe_backup(desk, now=t0) is not None          # nothing yet: make the first
    assert B.maybe_backup(desk, now=t0 + timedelta(hours=2)) is None  # nothing changed
    add_work(desk)
    assert B.maybe_backup(desk, now=t0 + timedelta(minutes=10)) is None  # changed, too soon
    made = B.maybe_backup(desk, now=t0 + timedelta(minutes=31))
    assert made is not None
    assert B.maybe_backup(desk, now=t0 + timedelta(minutes=90)) is None  # no change since
    desk.set_setting("backup_interval_minutes", 5)
    assert B.maybe_backup(desk, now=t0 + timedelta(minutes=97)) is not None  # the setting change counts


def test_backup_on_close_only_after_change(make_desk):
    desk = make_desk()
    path = desk.path
    add_work(desk)
    desk.close(backup=True)
    assert len(B.list_backups(path.parent / "backups")) == 1
    B._STATE.clear()  # a new session: knows the last backup only from the folder
    again = Desk.open(path)
    again.close(backup=True)
    assert len(B.list_backups(path.parent / "backups")) == 1
    again = Desk.open(path)
    add_work(again)
    again.close(backup=True)
    assert len(B.list_backups(path.parent / "backups")) == 2


def test_close_knows_from_the_file_whether_its_newest_backup_is_current(make_desk, monkeypatch):
    """The file keeps the change marker of its newest backup, so closing an unchanged file reads two values
    instead of listing the backup folder; a change made by a session that did not back up (the CLI) is still
    backed up at the next close."""
    from ipdesk.db import audit

    desk = make_desk()
    path, folder = desk.path, desk.path.parent / "backups"
    assert not audit.unchanged_since_backup(desk.db)  # never backed up
    add_work(desk)
    desk.close(backup=True)
    B._STATE.clear()
    again = Desk.open(path)
    assert audit.unchanged_since_backup(again.db)
    monkeypatch.setattr(B, "list_backups", lambda folder: pytest.fail("listed the backup folder"))
    again.close(backup=True)
    monkeypatch.undo()
    cli = Desk.open(path)
    add_work(cli)
    cli.close()  # as the CLI closes: no backup
    B._STATE.clear()
    gui = Desk.open(path)
    assert not audit.unchanged_since_backup(gui.db)
    gui.close(backup=True)
    assert len(B.list_backups(folder)) == 2
    last = Desk.open(path)
    assert audit.unchanged_since_backup(last.db)
    last.db.execute("DELETE FROM settings WHERE key = ?", [audit.BACKED_UP_MARKER])  # as an older version left it
    last.close(backup=True)  # finds the newest backup current in the folder, and notes it
    assert len(B.list_backups(folder)) == 2
    last = Desk.open(path)
    assert audit.unchanged_since_backup(last.db)
    last.close()


def test_thinning_keeps_recent_daily_weekly_monthly(tmp_path):
    now = datetime(2026, 11, 22, 12, 0)
    folder = tmp_path / "b"
    folder.mkdir()
    when = now - timedelta(days=400)
    while when <= now:  # one backup every 3 hours for 400 days
        (folder / f"ipdesk-150602-{when:%Y%m%d-%H%M%S}-auto.db").write_bytes(b"x")
        when += timedelta(hours=3)
    (folder / "unrelated.txt").write_text("keep me")
    B.thin(folder, now=now)
    kept = B.list_backups(folder)
    ages = [now - i.made_at for i in kept]
    assert sum(a < timedelta(hours=24) for a in ages) == 8  # every one of the last 24 hours
    days = {i.made_at.date() for i in kept if now - i.made_at < timedelta(days=8)}
    assert len(days) >= 7
    older = [i for i in kept if timedelta(days=8) <= now - i.made_at < timedelta(days=36)]
    assert 3 <= len(older) <= 5  # one per week
    months = {(i.made_at.year, i.made_at.month) for i in kept}
    assert len(months) == 14  # every month of the 400 days still has one
    assert len(kept) < 60
    assert (folder / "unrelated.txt").exists()
    # thinning is idempotent
    assert B.thin(folder, now=now) == []


def test_before_migration_backup_and_newer_file_refused(tmp_path, monkeypatch, make_desk):
    desk = make_desk()
    add_work(desk, 2)
    path = desk.path
    desk.close()
    old_version = migrations.SCHEMA_VERSION
    monkeypatch.setattr(migrations, "STEPS", [*migrations.STEPS, ["CREATE TABLE extra_test (x)"]])
    monkeypatch.setattr(migrations, "SCHEMA_VERSION", len(migrations.STEPS))
    again = Desk.open(path)  # the GUI's way in: no hook passed, the default backs up
    again.close()
    made = B.list_backups(path.parent / "backups")
    assert [i.reason for i in made] == [f"migration-v{old_version}"]
    conn = sqlite3.connect(made[0].path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == old_version
    assert conn.execute("SELECT count(*) FROM work_items").fetchone()[0] == 2
    conn.close()
    monkeypatch.undo()
    with pytest.raises(IpdeskError, match="更新版本"):
        Desk.open(path)


def test_cli_backup_list_and_out(tmp_path, capsys):
    from ipdesk.cli import main

    db = tmp_path / "数据 库" / "东胜 区.db"
    assert main(["--db", str(db), "init", "--unit-code", "150602", "--unit-name", "东胜区市场监督管理局"]) == 0
    assert main(["--db", str(db), "backup"]) == 0
    out = tmp_path / "另存 为" / "copy.db"
    assert main(["--db", str(db), "backup", "--out", str(out)]) == 0
    assert B.verify(out) == []
    assert main(["--db", str(db), "backup", "--out", str(out)]) == 2  # never overwrites
    capsys.readouterr()
    assert main(["--db", str(db), "backup", "--list"]) == 0
    assert "手动备份" in capsys.readouterr().out


def test_an_import_makes_a_restore_point_only_when_the_newest_backup_is_stale(tmp_path):
    from ipdesk.db import backup as B
    from ipdesk.desk import Desk
    from ipdesk.exchange.load_json import load_records

    desk = Desk.open(tmp_path / "office.db", create=True)
    try:
        desk.initialize("150602", "东胜区市场监督管理局", "150600")
        one = {"cases": [{"name": "甲", "category": "商标侵权", "lead_date": "2026-10-08"}]}
        load_records(desk, one)  # changed since any backup: a restore point first
        assert [b.reason for b in desk.backups()] == ["import"]
        B.backup_now(desk, "close")  # as the program leaves it at close
        load_records(desk, {"cases": [{**one["cases"][0], "name": "乙"}]})
        assert sorted(b.reason for b in desk.backups()) == ["close", "import"]  # no second identical copy
        load_records(desk, {"cases": [{**one["cases"][0], "name": "丙"}]})
        assert sorted(b.reason for b in desk.backups()) == ["close", "import", "import"]  # 乙 came in since
    finally:
        desk.close()


def test_thinning_caps_count_and_size_dropping_old_import_backups_first(tmp_path, monkeypatch):
    from datetime import datetime, timedelta

    from ipdesk.db import backup as B

    now = datetime(2026, 11, 22, 18, 0)
    infos = [B.BackupInfo(tmp_path / f"b{n}.db", "150602", now - timedelta(minutes=10 * n),
                          "import" if n % 2 else "auto", 500 * 1024 ** 2, "abcd1234") for n in range(12)]
    monkeypatch.setattr(B, "MAX_BACKUP_BYTES", 3 * 1024 ** 3)  # room for six of these 0.5 GB copies
    keep = B.backups_to_keep(infos, now)  # all within 24 hours: kept by age, cut by size
    assert len(keep) == 6
    assert infos[0].path in keep  # the newest always stays
    kept = [i for i in infos if i.path in keep]
    assert sum(i.reason == "import" for i in kept) < sum(i.reason == "auto" for i in kept)
    monkeypatch.setattr(B, "MAX_BACKUPS", 3)
    assert len(B.backups_to_keep(infos, now)) == 3
