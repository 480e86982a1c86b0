"""The desk: one office's database and every service on it (the Qt-free core the GUI and CLI share).

Every write is a named, audited operation in one transaction and returns a
:class:`Changes` saying what it touched, so screens refresh only what they show.
"""
from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path
from typing import Callable

from .changes import Changes
from .db import audit, backup as B, holidays, settings, units
from .db.connection import (Database, IntegrityGate, LazyDatabase, check_before_open, connect, default_db_path,
                            integrity_problems, refuse_read_only)
from .db.identity import protect, remove_leftovers, settle_identity, unprotect
from .db.migrations import create_database, migrate
from .domain import enums
from .domain.fields import setting_label
from .domain.periods import MONTH, Period
from .errors import IpdeskError
from .explanations import ExplanationManager
from .figures import FiguresManager
from .limits import LimitsManager
from .office import OfficeManager, unit_errors
from .recordbook import RecordManager

# The shipped data files (division list, holiday calendar, Qt's Chinese texts, icons): an installed wheel
# carries them as the data subpackage ipdesk.resources (pyproject's package-dir maps the repository's
# top-level resources/ there); a checkout or an editable install reads that top-level folder itself.
_PACKAGED_RESOURCES = Path(__file__).resolve().parent / "resources"
RESOURCES = _PACKAGED_RESOURCES if _PACKAGED_RESOURCES.is_dir() else Path(__file__).resolve().parent.parent / "resources"


def _backup_before_migration(path: Path, version: int) -> Path:
    """:func:`ipdesk.db.backup.backup_before_migration`, looked up when called (a test replaces it)."""
    return B.backup_before_migration(path, version)


def resource_path(*parts: str) -> Path:
    """A shipped data file (:data:`RESOURCES`); inside a PyInstaller bundle it sits under ``sys._MEIPASS``."""
    import sys

    base = Path(getattr(sys, "_MEIPASS", "")) / "resources" if getattr(sys, "frozen", False) else RESOURCES
    return base.joinpath(*parts)


FIRST_MONTH = settings.FIRST_MONTH  # setting: the unit's 启用月份, e.g. "2026-03"
class Desk:
    """An open office database. ``user`` is who is working; ``today`` can be fixed for tests."""

    def __init__(self, db: Database, path: Path, *, user: str | None = None,
                 today: Callable[[], date] = date.today):
        self.db, self.path, self.user, self._today = db, Path(path), user, today
        self.office = OfficeManager(self)
        self.limits = LimitsManager(self)
        self.figures = FiguresManager(self)
        self.explanations = ExplanationManager(self)
        self.records = RecordManager(self)
        self.integrity_deferred = False  # True: the quick_check at open runs in the background (db.gate)

    # ---- opening -------------------------------------------------------------------------------
    @classmethod
    def open(cls, path: str | Path | None = None, *, user: str | None = None, create: bool = False,
             today: Callable[[], date] = date.today, backup_before_migrate: Callable | None = None,
             check_later: bool = False) -> "Desk":
        """Open (and migrate) a database; refuses a missing file unless ``create``.

        A damaged or non-SQLite file raises :class:`DatabaseDamaged` before anything is written; an older
        file is backed up (``backup_before_migrate``, default :func:`ipdesk.db.backup.backup_before_migration`)
        before its first migration step. A large file's integrity check runs on its own thread
        (``db.gate``); ``check_later`` leaves starting it to the caller (the GUI, once its window shows).
        """
        path = Path(path) if path else default_db_path()
        refuse_read_only(path)  # said as such: SQLite's 'unable to open database file' read as a damaged file
        if not path.exists():
            if not create:
                raise IpdeskError(f"数据库文件不存在：{path}（请先运行 init 建立单位）",
                                  f"database not found: {path} (run init first)")

            create_database(path)
        deferred = check_before_open(path)  # an empty, truncated or foreign file is refused, never initialised
        backup_before_migrate = backup_before_migrate or _backup_before_migration
        db = connect(path)
        if deferred:
            db.gate = IntegrityGate(path, start=not check_later)  # writes wait for its verdict
        try:
            migrate(db, before=(lambda version: backup_before_migrate(path, version)) if backup_before_migrate else None)
            settle_identity(db, path)
        except BaseException:
            if db.gate is not None:
                db.gate.cancel()
            db.conn.close()
            raise
        desk = cls(db, path, user=user, today=today)
        desk.integrity_deferred = deferred
        protect(path, desk.backup_folder())  # no export may be written over the file or its backups
        remove_leftovers(path, desk.backup_folder())
        return desk

    def reader(self, around_open: Callable[[Callable], sqlite3.Connection] | None = None) -> "Desk":
        """A read-only Desk on its own connection to this file (same user and 'today'), for long queries on
        another thread. The connection opens at the first query — ``around_open(open)`` may wrap opening
        it — and is ``reader.db.opened`` (None if never) for the caller to close."""
        def open_() -> sqlite3.Connection:
            return connect(self.path, readonly=True).conn
        opener = (lambda: around_open(open_)) if around_open else open_
        return Desk(LazyDatabase(opener), self.path, user=self.user, today=self._today)

    def quick_check(self) -> list[str]:
        """``PRAGMA quick_check`` on its own read-only connection (safe off the GUI thread); empty when sound."""
        return integrity_problems(self.path, quick=True)

    def close(self, *, backup: bool = False) -> None:
        """Close the file; ``backup=True`` (the GUI) first backs up if anything changed since the last backup."""
        unprotect(self.path)
        if self.db.gate is not None and self.db.gate.sound is None:
            self.db.gate.cancel()  # closing within a second of opening: stop the check rather than wait
        if self.db.known_sound:
            self._optimize()  # may write statistics: only to a file known to be sound
        if backup and not audit.unchanged_since_backup(self.db):
            try:
                B.backup_on_close(self)
            finally:
                self.db.conn.close()
            return
        self.db.conn.close()

    # ---- backups (the 备份与恢复 panel; the policy lives in db/backup.py) -------------------------
    def backups(self) -> list:
        """This file's backups in the chosen folder, newest first (BackupInfo: path, made_at, size, reason_label)."""
        return B.backups_of(self)

    def backup_folder(self) -> Path:
        return B.backup_dir(self)

    def backup_now(self, reason: str = "manual", progress: Callable[..., None] | None = None) -> Path:
        """A verified backup now; ``progress`` may stop it (取消) before it gets its name: no file is left."""
        return B.backup_now(self, reason, progress=progress)

    def restore_backup(self, backup_file: str | Path | None = None, *, force: bool = False):
        """Replace this file by a backup (None: the latest good one) and reopen it in place.

        The current file is backed up first (or copied aside when damaged); returns a RestoreResult.
        Only 管理员 may restore.
        """
        # Imported here: not loaded before the main window shows (cold start).
        from .db.restore import restore

        if self.office.user_role() != enums.ROLE_ADMIN:
            raise IpdeskError("只有管理员可以从备份恢复", "only an administrator may restore a backup")
        folder = B.backup_dir(self)
        user = self.user
        if self.db.gate is not None:
            self.db.gate.cancel()  # restore() checks the current file itself
        self.db.conn.close()
        try:
            result = restore(self.path, backup_file, folder=folder, force=force, user=user)
        finally:
            self.db = connect(self.path)
            migrate(self.db, before=lambda version: B.backup_before_migration(self.path, version))
            self.limits.forget_calendar()
            B._STATE.pop(str(self.path.resolve()), None)
        return result

    def _optimize(self) -> None:
        """Refresh the query planner's statistics where they are missing or stale (SQLite's advice for
        every closing connection). Without them, a filtered ledger at 100k cases took seconds instead
        of ~30 ms; with them, ~0.3 s of ANALYZE only when the data grew a lot."""
        import sqlite3

        try:
            self.db.execute("PRAGMA optimize")
        except sqlite3.Error:
            pass  # never keep a closing program waiting on statistics

    def today(self) -> date:
        return self._today()

    @property
    def is_initialized(self) -> bool:
        return units.has_own_unit(self.db)

    def initialize(self, unit_code: str, unit_name: str, parent_code: str | None = None, *,
                   admin: str = "管理员", password: str = "", contact_person: str = "", phone: str = "",
                   email: str = "") -> Changes:
        """Set up the office: its unit, the first user (管理员), the shipped holiday calendar."""
        errors = unit_errors(unit_code, unit_name, parent_code)
        if not admin.strip():
            errors["admin"] = "请填写第一个用户的姓名"
        if errors:
            raise IpdeskError("；".join(errors.values()), "invalid unit", errors)
        if self.is_initialized:
            raise IpdeskError("此数据库已建立单位，不能重复初始化", "database already initialized")
        with audit.operation(self.db, admin, "建立单位") as op:
            units.insert_own_unit(self.db, unit_code, unit_name.strip(), parent_code or None, contact_person, phone,
                                  email)
            op.log("insert", "units", unit_code, None, {"code": unit_code, "name": unit_name, "parent": parent_code})
            self.office.insert_user(op, admin.strip(), enums.ROLE_ADMIN, password)
            self._load_holidays(resource_path("data", "holidays-cn.csv"))
        self.user = admin.strip()
        return Changes({"units", "users"}, label="建立单位")

    def _load_holidays(self, csv_path: Path) -> None:
        import csv

        with open(csv_path, encoding="utf-8") as fh:
            rows = [(r["date"], r["kind"], r.get("name", "")) for r in csv.DictReader(fh)]
        holidays.put(self.db, rows)
        self.limits.forget_calendar()

    # ---- the office (units, users, audit access: desk.office) -----------------------------------
    @property
    def unit(self) -> dict:
        unit = units.own_unit(self.db)
        if unit is None:
            raise IpdeskError("数据库尚未建立单位（请先运行 init）", "database not initialized (run init)")
        return unit

    # ---- settings ------------------------------------------------------------------------------
    def setting(self, key: str, default=None):
        return settings.get(self.db, key, default)

    def set_setting(self, key: str, value) -> None:
        """Store a setting (JSON); an actual change is audited (old → new)."""
        old = self.setting(key)
        if old == value and settings.has(self.db, key):
            return
        with audit.operation(self.db, self.user, f"修改设置 {setting_label(key)}") as op:
            settings.put(self.db, key, value)
            op.log("update", "settings", key, {"value": old}, {"value": value})

    def set_first_month(self, month: str | None) -> Changes:
        """The unit's 启用月份 (管理员): months are approved in order from it; earlier ones are never overdue."""
        self.office.require_admin("设置启用月份")
        code = None
        if month:
            try:
                p = Period.parse(str(month).strip())
            except (ValueError, IpdeskError):
                p = None
            if p is None or p.kind != MONTH:
                raise IpdeskError(f"启用月份应为一个月份，如 2026-03（现为“{month}”）", f"not a month: {month}",
                                  {"first_month": "启用月份应为一个月份，如 2026-03"})
            code = p.code
        self.set_setting(FIRST_MONTH, code)
        return Changes({"settings"}, label="设置启用月份")
