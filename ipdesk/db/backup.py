"""Backups of the office database: consistent copies made with SQLite's backup API, verified, thinned.

A backup is ``ipdesk-<unit>-<file id>-<YYYYmmdd-HHMMSS>-<reason>.db`` in the backup folder (setting
``backup_dir``, default ``backups`` next to the database); the file id (:mod:`ipdesk.db.identity`) keeps the
backups of two files of one unit that share a folder (a training copy beside the real one) apart. Each copy is
written under a temporary name, checked with ``PRAGMA integrity_check`` and only then renamed, so a file with a
backup name is always a sound one.

When: before every migration and import, on close and at most every ``backup_interval_minutes`` while
changes happen (only if something changed since the newest backup: the newest ``audit_log`` id differs).
Thinning (like Anki): every backup of the last 24 hours and the 10 newest, then the newest of each day for a
week, of each week for five weeks, of each month for ever.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
from datetime import datetime, timedelta
from pathlib import Path
from typing import Callable, NamedTuple

from ..errors import Cancelled, IpdeskError
from . import audit
from .identity import FILE_UUID, short_id
from .connection import transaction

DEFAULT_INTERVAL_MINUTES = 30
KEEP_RECENT = 10
# Caps on one file's backups after the time-based thinning: a city's 0.5 GB file backed up before every import
# and kept for 24 hours filled a disk. Past either cap the oldest go first, import backups before the others;
# the newest backup and the newest upgrade backup always stay.
MAX_BACKUPS = 40
MAX_BACKUP_BYTES = 8 * 1024 ** 3
# ipdesk-<unit>-<file id>-<stamp>[-n]-<reason>.db; backups made before file identities have no file id.
_NAME = re.compile(r"^ipdesk-(?P<unit>[0-9A-Za-z]*)-(?:(?P<fid>[0-9a-f]{8})-)?"
                   r"(?P<stamp>\d{8}-\d{6})(?:-(?P<n>\d+))?-(?P<reason>[a-z0-9-]+)\.db$")
_STAMP = "%Y%m%d-%H%M%S"
_REASON = re.compile(r"[^a-z0-9-]+")


class BackupInfo(NamedTuple):
    path: Path
    unit_code: str
    made_at: datetime
    reason: str
    size: int
    file_id: str = ""  # the first 8 characters of the source file's identity (ipdesk.db.identity)

    def belongs_to(self, file_id: str, unit: str | None) -> bool:
        """Made from the file with this identity (a backup older than identities: from this unit)."""
        if self.file_id:
            return self.file_id == file_id
        return bool(unit) and self.unit_code == unit

    @property
    def reason_label(self) -> str:
        return REASON_LABELS.get(self.reason.split("-v")[0], self.reason)


REASON_LABELS = {"manual": "手动备份", "auto": "自动备份", "close": "关闭时备份", "migration": "升级前备份",
                 "import": "导入前备份", "restore": "恢复前备份", "approve": "审核前备份"}


# ---- where ------------------------------------------------------------------------------------------
def default_backup_dir(db_path: str | Path) -> Path:
    return Path(db_path).resolve().parent / "backups"


def backup_dir(desk) -> Path:
    """The folder the user chose (setting ``backup_dir``) or ``backups`` next to the database."""
    chosen = desk.setting("backup_dir")
    return Path(chosen) if chosen else default_backup_dir(desk.path)


def backup_dir_for_path(db_path: str | Path) -> Path:
    """Like :func:`backup_dir` but read from a file that may not open cleanly (restore, migration)."""
    try:
        conn = sqlite3.connect(f"{Path(db_path).resolve().as_uri()}?mode=ro", uri=True)
        try:
            row = conn.execute("SELECT value FROM settings WHERE key = 'backup_dir'").fetchone()
        finally:
            conn.close()
        if row and row[0]:
            import json

            chosen = json.loads(row[0])
            if chosen:
                return Path(chosen)
    except (sqlite3.Error, ValueError):
        pass
    return default_backup_dir(db_path)


# ---- making one ----------------------------------------------------------------------------------
def _unit_code(conn: sqlite3.Connection) -> str:
    try:
        row = conn.execute("SELECT code FROM units WHERE is_self = 1").fetchone()
    except sqlite3.Error:
        return ""
    return row[0] if row else ""


def _file_id(conn: sqlite3.Connection) -> str:
    try:
        row = conn.execute("SELECT value FROM settings WHERE key = ?", [FILE_UUID]).fetchone()
        return short_id(json.loads(row[0])) if row else ""
    except (sqlite3.Error, ValueError, TypeError, AttributeError):
        return ""


def _target_name(folder: Path, unit: str, when: datetime, reason: str, file_id: str = "") -> Path:
    reason = _REASON.sub("-", reason.lower()).strip("-") or "manual"
    base = f"ipdesk-{unit}-{file_id + '-' if file_id else ''}{when.strftime(_STAMP)}"
    path, n = folder / f"{base}-{reason}.db", 1
    while path.exists():  # two backups in one second keep both
        path, n = folder / f"{base}-{n}-{reason}.db", n + 1
    return path


def verify(path: str | Path, *, quick: bool = False, progress: Callable[..., None] | None = None) -> list[str]:
    """SQLite's verdict on a copy (``integrity_check``), opened read-only; empty when sound. ``progress()`` is
    called now and then while it reads; what it raises (取消) stops the check and is raised here."""
    path = Path(path)
    if not path.is_file():
        return [f"文件不存在：{path}"]
    stopped: list[BaseException] = []

    def still_going() -> int:
        try:
            progress()
        except Exception as exc:  # noqa: BLE001 - handed back below, after SQLite has stopped
            stopped.append(exc)
            return 1
        return 0
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        if progress is not None:
            conn.set_progress_handler(still_going, 20_000)
        try:
            rows = [r[0] for r in conn.execute(f"PRAGMA {'quick_check' if quick else 'integrity_check'}")]
            if rows == ["ok"] and conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'units'"
                                               ).fetchone()[0] != 1:
                rows = ["不是 ipdesk 数据库 / not an ipdesk database"]
        finally:
            conn.close()
    except sqlite3.Error as exc:
        if stopped:
            raise stopped[0] from None
        return [str(exc)]
    return [] if rows == ["ok"] else rows


def copy_database(source: sqlite3.Connection, folder: str | Path, reason: str, *,
                  now: datetime | None = None, target: Path | None = None,
                  progress: Callable[..., None] | None = None) -> Path:
    """Copy an open database into ``folder`` (or exactly to ``target``) with the backup API, verify it,
    and only then give it its final name. ``progress(done, total)`` follows the copy (pages) and the check;
    what it raises (取消) stops both and leaves no file behind."""
    folder = Path(target).parent if target else Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise IpdeskError(f"无法创建备份文件夹 {folder}：{exc}", f"cannot create backup folder {folder}: {exc}") from exc
    when = now or datetime.now()
    target = Path(target) if target else _target_name(folder, _unit_code(source), when, reason, _file_id(source))
    tmp = target.with_name(f".tmp-{os.getpid()}-{target.name}")
    try:
        dest = sqlite3.connect(str(tmp), isolation_level=None)
        try:
            if progress is None:
                source.backup(dest)
            else:  # in steps, so 取消 is heard during a large file's copy
                source.backup(dest, pages=1024, progress=lambda _status, remaining, total: progress(
                    total - remaining, total))
            # A backup is one self-contained file: no -wal beside it on a USB stick.
            dest.execute("PRAGMA journal_mode = DELETE")
        finally:
            dest.close()
        if progress is not None:
            progress("正在校验备份…")
        problems = verify(tmp, progress=progress)
        if progress is not None:
            progress("正在保存备份…")  # the last moment 取消 is heard: from here the file gets its name
        if problems:
            raise IpdeskError(f"备份校验未通过：{problems[0]}", f"backup failed verification: {problems[0]}")
        _fsync(tmp)
        os.replace(tmp, target)
        _fsync_dir(folder)
    except (OSError, sqlite3.Error) as exc:
        raise IpdeskError(f"备份失败：{exc}", f"backup failed: {exc}") from exc
    finally:
        for leftover in (tmp, Path(str(tmp) + "-journal")):
            try:
                leftover.unlink()
            except FileNotFoundError:
                pass
            except OSError:
                pass
    return target


def backup_now(desk, reason: str = "manual", *, folder: str | Path | None = None,
               now: datetime | None = None, progress: Callable[..., None] | None = None) -> Path:
    """Back up an open desk at once (``reason``: manual, import, approve, …); thins the folder; returns the file.
    ``progress``: see :func:`copy_database` (cancelling leaves no file and thins nothing)."""
    chosen = Path(folder) if folder else backup_dir(desk)
    try:
        path = copy_database(desk.db.conn, chosen, reason, now=now, progress=progress)
        folder = chosen
    except Cancelled:
        raise
    except IpdeskError:
        # The chosen folder may be a USB stick that is not plugged in: a copy beside the database beats none.
        folder = default_backup_dir(desk.path)
        if folder == chosen:
            raise
        path = copy_database(desk.db.conn, folder, reason, now=now, progress=progress)
    _remember(desk, path, now)
    thin(folder, now=now)
    return path


def backup_before_migration(path: str | Path, version: int) -> Path:
    """Called by :func:`ipdesk.db.migrations.migrate` before the first step on an older file."""
    path = Path(path)
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return copy_database(conn, backup_dir_for_path(path), f"migration-v{version}")
    finally:
        conn.close()


# ---- when ---------------------------------------------------------------------------------------
_STATE: dict[str, tuple[int, datetime]] = {}


def _remember(desk, path: Path, now: datetime | None) -> None:
    if hasattr(desk, "db"):
        marker = audit.change_marker(desk.db)
        _STATE[str(Path(desk.path).resolve())] = (marker, now or datetime.now())
        _note_backed_up(desk, marker)


def _note_backed_up(desk, marker: int) -> None:
    """Keep in the file that its newest backup holds change ``marker`` (audit.unchanged_since_backup reads it
    at close); never written to a file whose deferred integrity check has not passed."""
    if desk.db.known_sound:
        with transaction(desk.db):
            desk.db.execute("INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)",
                            [audit.BACKED_UP_MARKER, str(marker)])


def _last_backup(desk) -> tuple[int, datetime] | None:
    """(change marker, time) of the newest backup, from memory or from the newest file in the folder."""
    key = str(Path(desk.path).resolve())
    if key in _STATE:
        return _STATE[key]
    unit = desk.unit["code"] if desk.is_initialized else ""
    for info in backups_of(desk):
        if info.unit_code != unit:
            continue
        try:
            conn = sqlite3.connect(f"{info.path.resolve().as_uri()}?mode=ro", uri=True)
            try:
                marker = conn.execute("SELECT COALESCE(MAX(id), 0) FROM audit_log").fetchone()[0]
            finally:
                conn.close()
        except sqlite3.Error:
            continue
        _STATE[key] = (marker, info.made_at)
        return _STATE[key]
    return None


def changed_since_backup(desk) -> bool:
    last = _last_backup(desk)
    return last is None or last[0] != audit.change_marker(desk.db)


def backup_before_import(desk, *, now: datetime | None = None) -> Path | None:
    """The restore point before an import: a new backup unless the newest one already holds this file's data,
    as it does after the backup made when the program last closed. A city's file is ~0.5 GB: a second identical
    copy took 1 s of a 1,000-case load and only filled the disk. A refused package since then changed no data
    (only its refusal was logged), so it does not call for a copy either. None when no copy was needed."""
    last = _last_backup(desk)
    if last is not None and not audit.data_changed_since(desk.db, last[0]):
        return None
    return backup_now(desk, "import", now=now)


def maybe_backup(desk, *, now: datetime | None = None) -> Path | None:
    """After an operation: back up if something changed and the newest backup is older than the interval."""
    now = now or datetime.now()
    minutes = desk.setting("backup_interval_minutes", DEFAULT_INTERVAL_MINUTES)
    last = _last_backup(desk)
    if last is not None and (last[0] == audit.change_marker(desk.db) or now - last[1] < timedelta(minutes=minutes)):
        return None
    return backup_now(desk, "auto", now=now)


def backup_on_close(desk, *, now: datetime | None = None) -> Path | None:
    """On close: back up only if something changed since the newest backup (else note in the file that it is
    current, so the next close need not look in the folder)."""
    if not desk.is_initialized:
        return None
    if changed_since_backup(desk):
        return backup_now(desk, "close", now=now)
    _note_backed_up(desk, audit.change_marker(desk.db))
    return None


# ---- which exist, and thinning ------------------------------------------------------------------
def _parse_stamp(stamp: str) -> datetime:
    """``YYYYmmdd-HHMMSS`` (_STAMP) without datetime.strptime, whose first use imports _strptime and the
    locale machinery (~4 ms, paid by every close of the app)."""
    day, _, time_of_day = stamp.partition("-")
    if len(day) != 8 or len(time_of_day) != 6 or not (day + time_of_day).isdigit():
        raise ValueError(stamp)
    return datetime(int(day[:4]), int(day[4:6]), int(day[6:]), int(time_of_day[:2]), int(time_of_day[2:4]),
                    int(time_of_day[4:]))


def parse_name(path: Path) -> BackupInfo | None:
    m = _NAME.match(path.name)
    if not m:
        return None
    try:
        made_at = _parse_stamp(m["stamp"])
        size = path.stat().st_size
    except (ValueError, OSError):
        return None
    return BackupInfo(path, m["unit"], made_at, m["reason"], size, m["fid"] or "")


def list_backups(folder: str | Path) -> list[BackupInfo]:
    """Backups in ``folder``, newest first."""
    folder = Path(folder)
    if not folder.is_dir():
        return []
    found = [info for p in folder.iterdir() if (info := parse_name(p))]
    return sorted(found, key=lambda i: (i.made_at, i.path.name), reverse=True)


def backups_of(desk) -> list[BackupInfo]:
    """The backups of this database file (by its identity) in its backup folder, newest first."""
    file_id, unit = short_id(desk.setting(FILE_UUID)), (desk.unit["code"] if desk.is_initialized else "")
    return [i for i in list_backups(backup_dir(desk)) if i.belongs_to(file_id, unit)]


def backups_to_keep(infos: list[BackupInfo], now: datetime) -> set[Path]:
    """Anki-like thinning: recent ones, then one per day for a week, per week for 5 weeks, per month."""
    infos = sorted(infos, key=lambda i: i.made_at, reverse=True)
    keep = {i.path for i in infos[:KEEP_RECENT]}
    keep |= {i.path for i in infos if now - i.made_at < timedelta(hours=24)}
    seen_days, seen_weeks, seen_months = set(), set(), set()
    for info in infos:  # newest first, so the first of each bucket is its newest
        age = now - info.made_at
        day = info.made_at.date()
        if age < timedelta(days=8) and day not in seen_days:
            seen_days.add(day)
            keep.add(info.path)
        week = day.isocalendar()[:2]
        if age < timedelta(days=36) and week not in seen_weeks:
            seen_weeks.add(week)
            keep.add(info.path)
        month = (day.year, day.month)
        if month not in seen_months:
            seen_months.add(month)
            keep.add(info.path)
    migrations = [i for i in infos if i.reason.startswith("migration")]
    if migrations:
        keep.add(migrations[0].path)  # the way back from the newest upgrade
    always = {infos[0].path} if infos else set()  # the newest backup
    if migrations:
        always.add(migrations[0].path)
    return _within_caps([i for i in infos if i.path in keep], always)


def _within_caps(kept: list[BackupInfo], always: set[Path], *, max_count: int | None = None,
                 max_bytes: int | None = None) -> set[Path]:
    """``kept`` (newest first) cut to MAX_BACKUPS and MAX_BACKUP_BYTES: oldest import backups go first, then the
    oldest others; ``always`` stays."""
    max_count = MAX_BACKUPS if max_count is None else max_count
    max_bytes = MAX_BACKUP_BYTES if max_bytes is None else max_bytes
    order = sorted((i for i in kept if i.path not in always),
                   key=lambda i: (not i.reason.startswith("import"), i.made_at))  # first to go first
    kept_paths, total = {i.path for i in kept}, sum(i.size for i in kept)
    for info in order:
        if len(kept_paths) <= max_count and total <= max_bytes:
            break
        kept_paths.discard(info.path)
        total -= info.size
    return kept_paths


def thin(folder: str | Path, *, now: datetime | None = None) -> list[Path]:
    """Delete the backups :func:`backups_to_keep` does not keep (per database file); returns what was deleted."""
    now = now or datetime.now()
    infos = list_backups(folder)
    removed = []
    for source in {(i.unit_code, i.file_id) for i in infos}:
        mine = [i for i in infos if (i.unit_code, i.file_id) == source]
        keep = backups_to_keep(mine, now)
        for info in mine:
            if info.path not in keep:
                try:
                    info.path.unlink()
                    removed.append(info.path)
                except OSError:
                    pass
    return removed


# ---- small helpers --------------------------------------------------------------------------------
def _fsync(path: Path) -> None:
    with open(path, "rb+") as fh:
        os.fsync(fh.fileno())


def _fsync_dir(folder: Path) -> None:
    if os.name == "nt":
        return  # directories cannot be opened for fsync on Windows; NTFS journals the rename
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def copy_aside(path: Path, folder: Path, *, now: datetime | None = None) -> Path | None:
    """Raw copy of a (possibly damaged) database with its -wal/-shm into ``folder/aside``; never thinned."""
    if not path.exists():
        return None
    when = (now or datetime.now()).strftime(_STAMP)
    target_dir = folder / "aside" / f"{path.stem}-{when}"
    n = 1
    while target_dir.exists():
        target_dir, n = folder / "aside" / f"{path.stem}-{when}-{n}", n + 1
    target_dir.mkdir(parents=True)
    for suffix in ("", "-wal", "-shm"):
        src = Path(str(path) + suffix)
        if src.exists():
            shutil.copy2(src, target_dir / (path.name + suffix))
    return target_dir
