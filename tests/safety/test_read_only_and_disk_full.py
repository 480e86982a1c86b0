"""A read-only file or folder is said to be read-only (never 'damaged'), and a full disk is said to be full
with the file intact — on real read-only and real full file systems: a tmpfs mounted for the test
(remounted read-only, or a few hundred KB in size) and a file made immutable (``chattr +i``), since the
tests run as root, whom ``chmod`` does not stop. Where mounting is not permitted they skip, saying why."""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys

import pytest

from ipdesk.db.connection import Database, integrity_problems, transaction
from ipdesk.desk import Desk
from ipdesk.errors import DatabaseDamaged, DiskFull, ReadOnlyDatabase

from tests.conftest import TODAY, subprocess_env

CASE = {"name": "某商行销售侵犯注册商标专用权商品案", "category": "商标侵权", "lead_date": "2026-11-02"}


def _run(*cmd) -> subprocess.CompletedProcess:
    return subprocess.run(list(cmd), capture_output=True, text=True)


@pytest.fixture
def mount_tmpfs(tmp_path):
    """``mount_tmpfs(size)`` → a fresh tmpfs of that size (e.g. "400k"); unmounted after the test."""
    if not sys.platform.startswith("linux") or os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("mounting a file system needs Linux and root")
    mounted = []

    def mount(size: str = "4m"):
        target = tmp_path / f"mnt{len(mounted)}"
        target.mkdir()
        done = _run("mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(target))
        if done.returncode:
            pytest.skip(f"mounting a tmpfs is not permitted here: {done.stderr.strip()}")
        mounted.append(target)
        return target

    yield mount
    for target in mounted:
        _run("umount", "-l", str(target))


def _read_only(target):
    done = _run("mount", "-o", "remount,ro", str(target))
    if done.returncode:
        pytest.skip(f"remounting read-only is not permitted here: {done.stderr.strip()}")


def _office(path, months=0) -> None:
    from ipdesk.demo import generate_demo

    desk = Desk.open(path, create=True, today=lambda: TODAY)
    desk.initialize("150602", "东胜区市场监督管理局", "150600")
    if months:
        generate_demo(desk, months, 7)
    desk.close()


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _cli(db, *args):
    return subprocess.run([sys.executable, "-m", "ipdesk", "--db", str(db), *args], capture_output=True, text=True,
                          env=subprocess_env(), encoding="utf-8")


def test_a_database_on_a_read_only_disk_is_read_only_not_damaged(mount_tmpfs):
    folder = mount_tmpfs()
    db = folder / "office.db"
    _office(db, months=2)
    before = _digest(db)
    _read_only(folder)
    with pytest.raises(ReadOnlyDatabase, match="数据库文件只读，没有写入权限") as refused:
        Desk.open(db, today=lambda: TODAY)
    assert not isinstance(refused.value, DatabaseDamaged) and "所在文件夹没有写入权限或位于只读磁盘" in refused.value.zh
    assert integrity_problems(db) == []  # read where it lies (it failed: 'unable to open database file')
    check = _cli(db, "check")
    assert check.returncode == 1 and "数据库完整性：正常" in check.stdout and "数据库文件只读" in check.stdout
    assert "损坏" not in check.stdout
    for args in (("annex1", "--period", "2026-10"), ("backup",), ("user", "list")):
        done = _cli(db, *args)
        assert done.returncode == 2 and "数据库文件只读，没有写入权限" in done.stderr, (args, done.stderr)
        assert "Traceback" not in done.stderr
    with pytest.raises(ReadOnlyDatabase, match="不能在此建立数据库文件"):
        Desk.open(folder / "new.db", create=True, today=lambda: TODAY)
    assert _digest(db) == before and sorted(p.name for p in folder.iterdir()) == ["office.db"]


def test_a_read_only_database_file_is_said_to_be_read_only(tmp_path):
    db = tmp_path / "office.db"
    _office(db)
    if _run("chattr", "+i", str(db)).returncode if shutil.which("chattr") else True:
        pytest.skip("chattr +i (an immutable file, read-only even for root) is not available here")
    try:
        with pytest.raises(ReadOnlyDatabase, match=r"数据库文件只读，没有写入权限：.*（文件只读）"):
            Desk.open(db, today=lambda: TODAY)
        done = _cli(db, "check")
        assert done.returncode == 1 and "数据库文件只读" in done.stdout and "损坏" not in done.stdout
    finally:
        _run("chattr", "-i", str(db))


def test_a_write_sqlite_refuses_as_read_only_says_so(tmp_path):
    """A file the checks let through but SQLite will not write (a share turned read-only while open): the write
    is refused as read-only, rolled back, and nothing else (no 'cannot rollback')."""
    path = tmp_path / "office.db"
    _office(path)
    db = Database(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None))
    try:
        with pytest.raises(ReadOnlyDatabase, match="只读"):
            with transaction(db):
                db.execute("INSERT INTO settings (key, value) VALUES ('x', 'y')")
        assert not db.conn.in_transaction
    finally:
        db.conn.close()


def test_a_full_disk_refuses_the_write_and_keeps_the_file_intact(mount_tmpfs):
    folder = mount_tmpfs("1200k")
    path = folder / "office.db"
    _office(path)
    desk = Desk.open(path, today=lambda: TODAY)
    saved = []
    with pytest.raises(DiskFull, match="磁盘空间不足") as full:
        for n in range(100_000):
            saved.append(desk.records.save("cases", {**CASE, "name": f"案{n}", "remarks": "案情" * 900}).record_id)
    assert "文件完好" in full.value.zh and len(saved) > 10
    assert not desk.db.conn.in_transaction
    # every save acknowledged is there, the refused one is not
    assert [r[0] for r in desk.db.execute("SELECT id FROM cases ORDER BY id")] == saved
    desk.close()
    assert integrity_problems(path) == []
    reopened = Desk.open(path, today=lambda: TODAY)
    assert reopened.records.count_cases() == len(saved)
    reopened.close()


def test_the_command_line_says_disk_full_with_no_traceback(mount_tmpfs, tmp_path):
    folder = mount_tmpfs("1200k")
    db = folder / "office.db"
    _office(db)
    data = tmp_path / "cases.json"
    data.write_text(json.dumps({"cases": [{**CASE, "name": f"案{n}", "remarks": "案情" * 900} for n in range(400)]},
                               ensure_ascii=False), encoding="utf-8")
    done = _cli(db, "load", str(data))
    assert done.returncode == 2, done.stderr
    assert "磁盘空间不足" in done.stderr and "Traceback" not in done.stderr and "Logging error" not in done.stderr
    assert "cannot rollback" not in done.stderr
    assert integrity_problems(db) == []
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT COUNT(*) FROM cases").fetchone()[0] == 0  # one transaction: all or nothing
    conn.close()
    fd = os.open(folder / "filler", os.O_WRONLY | os.O_CREAT)  # what is left of the disk, taken by another file
    try:
        while os.write(fd, b"\0" * 4096):
            pass
    except OSError:
        pass
    finally:
        os.close(fd)
    made = _cli(folder / "second.db", "init", "--unit-code", "150603", "--unit-name", "康巴什区市场监督管理局",
                "--parent", "150600")
    assert made.returncode != 0 and "磁盘空间不足" in made.stderr, made.stderr
    assert not [p for p in folder.iterdir() if p.name.startswith(".new-")]  # no half-made file left behind


def _fill(folder) -> None:
    """Take what is left of the disk with another file."""
    fd = os.open(folder / "filler", os.O_WRONLY | os.O_CREAT)
    try:
        while os.write(fd, b"\0" * 4096):
            pass
    except OSError:
        pass
    finally:
        os.close(fd)


def test_exports_to_a_full_disk_fail_and_leave_no_temporary_file(mount_tmpfs, tmp_path):
    """Every export writes a temporary beside its target and moves it into place: on a disk that fills up
    half-way the target is not made and the temporary (.part, .tmp) is gone. (Backups and restores leave theirs
    beside the database or its backups, removed at the next open: test_safety_identity.)"""
    from ipdesk.exchange import approval
    from ipdesk.exchange.package import export_package
    from ipdesk.reports.export import write_table

    db = tmp_path / "office.db"
    _office(db, months=3)
    desk = Desk.open(db, user="管理员", today=lambda: TODAY)
    for finding in approval.period_findings(desk, "2026-10"):
        desk.explanations.explain("2026-10", finding.key, "已核实")
    approval.approve(desk, "2026-10")
    folder = mount_tmpfs("256k")
    (folder / "已有.txt").write_text("别人的文件", encoding="utf-8")
    _fill(folder)
    with pytest.raises(OSError):
        export_package(desk, "2026-10", folder / "东胜区10月.ipdx")
    for fmt in ("pdf", "xlsx"):
        with pytest.raises(OSError):
            write_table(desk, desk.figures.annex1("2026-10"), fmt, folder / f"附件1.{fmt}")
    desk.close()
    done = _cli(db, "annex1", "--period", "2026-10", "--format", "json", "--out", str(folder / "附件1.json"))
    assert done.returncode != 0 and "磁盘空间不足" in done.stderr and "Traceback" not in done.stderr, done.stderr
    assert sorted(p.name for p in folder.iterdir()) == ["filler", "已有.txt"]
    assert (folder / "已有.txt").read_text(encoding="utf-8") == "别人的文件"
