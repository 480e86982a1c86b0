"""Putting a backup back: verified first, the current file kept aside, the swap atomic.

Order matters for a crash half-way: the current file (and its -wal/-shm) is copied aside before anything
is removed; the backup is copied to a temporary file beside the database and fsynced; the stale -wal/-shm
are removed (a stale WAL replayed onto another file would corrupt it); then one ``os.replace``.
"""
from __future__ import annotations

import os
import shutil
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from ..errors import DatabaseInUse, IpdeskError
from . import audit, backup as B, migrations
from .connection import connect
from .identity import read_identity, short_id


@dataclass
class RestoreResult:
    restored_from: Path
    previous_copy: Path | None  # the verified backup (or raw copy, if damaged) of the file that was replaced
    previous_was_damaged: bool


def in_use(path: str | Path) -> bool:
    """True when another connection holds the file open (an idle WAL connection counts too)."""
    path = Path(path)
    if not path.exists():
        return False
    try:
        conn = sqlite3.connect(str(path), isolation_level=None, timeout=0.2)
    except sqlite3.Error:
        return False
    try:
        conn.execute("PRAGMA locking_mode = EXCLUSIVE")
        conn.execute("BEGIN EXCLUSIVE")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        conn.execute("ROLLBACK")
        return False
    except sqlite3.OperationalError as exc:
        return "locked" in str(exc) or "busy" in str(exc)
    except sqlite3.DatabaseError:
        return False  # damaged: nobody can be using it meaningfully
    finally:
        conn.close()


def _read_ro(path: Path, sql: str):
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            row = conn.execute(sql).fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        return None
    return row[0] if row else None


def unit_of(path: str | Path) -> str | None:
    """The office a database (or backup) belongs to; None when unreadable."""
    return _read_ro(Path(path), "SELECT code FROM units WHERE is_self = 1")


def latest_good_backup(db_path: str | Path, folder: str | Path | None = None) -> B.BackupInfo | None:
    """The newest sound backup of this database file, matched by its identity (ipdesk.db.identity).

    When the file no longer says who it is (emptied, or too damaged to read), the folder must hold the
    backups of one file only; if it holds several files' backups, guessing could put another file's data
    (a training copy's) in its place, so this refuses and asks for the backup to be named.
    A backup of a file with no unit yet (never set up) is never "good": restoring it would empty the office.
    """
    folder = Path(folder) if folder else B.backup_dir_for_path(db_path)
    exists = Path(db_path).exists()
    file_id = short_id(read_identity(db_path)) if exists else ""
    unit = unit_of(db_path) if exists else None
    candidates = [i for i in B.list_backups(folder) if unit_of(i.path)]
    if file_id or unit:
        candidates = [i for i in candidates if i.belongs_to(file_id, unit)]
    else:
        sources = {(i.unit_code, i.file_id) for i in candidates}
        if len(sources) > 1:
            names = "、".join(sorted(f"{u}（{f or '旧备份'}）" for u, f in sources))
            raise IpdeskError(f"无法识别当前文件属于哪个数据库，而备份文件夹 {folder} 中有多个数据库的备份（{names}）。"
                              "请指定要恢复的备份文件（ipdesk restore 备份文件路径）",
                              f"the file's identity is unreadable and {folder} holds backups of several databases; "
                              "name the backup to restore")
    for info in candidates:
        if not B.verify(info.path):
            return info
    return None


def restore(db_path: str | Path, backup_file: str | Path | None = None, *, folder: str | Path | None = None,
            force: bool = False, user: str | None = None, now: datetime | None = None) -> RestoreResult:
    """Replace ``db_path`` by ``backup_file`` (None: the latest good backup)."""
    db_path = Path(db_path)
    folder = Path(folder) if folder else B.backup_dir_for_path(db_path)
    if backup_file is None:
        info = latest_good_backup(db_path, folder)
        if info is None:
            raise IpdeskError(f"在 {folder} 中没有找到可用的备份", f"no usable backup in {folder}")
        source = info.path
    else:
        source = Path(backup_file)
    problems = B.verify(source)
    if problems:
        raise IpdeskError(f"备份文件无法使用：{source}（{problems[0]}），未做任何更改",
                          f"backup is not usable: {source} ({problems[0]}); nothing changed")
    version = _read_ro(source, "PRAGMA user_version") or 0
    if version > migrations.SCHEMA_VERSION:
        raise IpdeskError(f"此备份由更新版本的 ipdesk 创建（结构版本 {version}），请升级程序后再恢复",
                          f"backup schema {version} is newer than this program ({migrations.SCHEMA_VERSION})")
    current_unit, backup_unit = (unit_of(db_path) if db_path.exists() else None), unit_of(source)
    if current_unit and backup_unit != current_unit and not force:
        raise IpdeskError(f"此备份属于另一个单位（{backup_unit}），当前数据库属于 {current_unit}；"
                          "确需恢复请使用 --force",
                          f"backup belongs to unit {backup_unit}, database to {current_unit}; use --force")

    current_id, backup_id = (read_identity(db_path) if db_path.exists() else None), read_identity(source)
    if current_id and backup_id and current_id != backup_id and not force:
        raise IpdeskError("此备份来自另一个数据库文件（例如培训用的副本），不是当前文件的备份；确需恢复请使用 --force",
                          "backup was made from another database file; use --force")
    if in_use(db_path):
        raise DatabaseInUse(db_path)

    previous, damaged = _keep_current(db_path, folder, now)
    _swap_in(source, db_path)
    _log_restore(db_path, source, previous, user)
    return RestoreResult(source, previous, damaged)


def _keep_current(db_path: Path, folder: Path, now: datetime | None) -> tuple[Path | None, bool]:
    """A verified backup of a sound current file, or a raw copy (with -wal/-shm) of a damaged one."""
    if not db_path.exists():
        return None, False
    if not B.verify(db_path):
        conn = sqlite3.connect(f"{db_path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            return B.copy_database(conn, folder, "restore", now=now), False
        finally:
            conn.close()
    try:
        return B.copy_aside(db_path, folder, now=now), True
    except OSError as exc:
        raise IpdeskError(f"无法保存当前文件的副本，未做任何更改：{exc}",
                          f"cannot keep a copy of the current file; nothing changed: {exc}") from exc


def _swap_in(source: Path, db_path: Path) -> None:
    tmp = db_path.with_name(f".restore-{os.getpid()}-{db_path.name}")
    try:
        shutil.copyfile(source, tmp)
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        for suffix in ("-wal", "-shm", "-journal"):
            try:
                os.remove(str(db_path) + suffix)
            except FileNotFoundError:
                pass
        os.replace(tmp, db_path)
        B._fsync_dir(db_path.parent)
    except OSError as exc:
        raise IpdeskError(f"恢复失败：{exc}", f"restore failed: {exc}") from exc
    finally:
        try:
            tmp.unlink()
        except OSError:
            pass


def _log_restore(db_path: Path, source: Path, previous: Path | None, user: str | None) -> None:
    db = connect(db_path)
    try:
        with audit.operation(db, user, f"从备份恢复 {source.name}") as op:
            op.log("restore", None, None, None, {"from": str(source), "previous_copy": str(previous or "")})
    finally:
        db.conn.close()
