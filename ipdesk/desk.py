"""The desk: one office's database and every service on it (the Qt-free core the GUI and CLI share).

Every write is a named, audited operation in one transaction and returns a
:class:`Changes` saying what it touched, so screens refresh only what they show.
"""
from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from .db import audit, records, submissions
from .db.connection import Database, IntegrityGate, LazyDatabase, check_before_open, connect, default_db_path
from .db.identity import protect, remove_leftovers, settle_identity, unprotect
from .db.migrations import migrate
from .domain import enums, fields as F
from .domain.periods import MONTH, Period
from .errors import IpdeskError

# Imported where first used, not here: the GUI's first window needs none of them (start-up time).
if TYPE_CHECKING:
    from .catalog.model import Catalog
    from .domain.time_limits import Deadline
    from .domain.workdays import WorkCalendar
    from .stats import checks
    from .stats.annex1 import Annex1Table
    from .stats.annex2 import Annex2Table

RESOURCES = Path(__file__).resolve().parent.parent / "resources"


def _backup_before_migration(path: Path, version: int) -> Path:
    """:func:`ipdesk.db.backup.backup_before_migration`, its module loaded only when a file needs migrating
    (not at every start-up)."""
    from .db.backup import backup_before_migration

    return backup_before_migration(path, version)


def resource_path(*parts: str) -> Path:
    """A shipped data file; inside a PyInstaller bundle it sits next to the package."""
    import sys

    base = Path(getattr(sys, "_MEIPASS", "")) / "resources" if getattr(sys, "frozen", False) else RESOURCES
    return base.joinpath(*parts)


@dataclass
class Changes:
    """What an operation changed; screens redraw what depends on it."""

    tables: set[str] = field(default_factory=set)
    record_id: int | None = None
    label: str = ""

    @property
    def cases(self) -> bool:
        return bool(self.tables & {"cases", "case_adjustments"})

    @property
    def statistics(self) -> bool:
        return bool(self.tables & {"cases", "inspections", "work_items", "manual_cells"})


FIRST_MONTH = "first_month"  # setting: the unit's 启用月份, e.g. "2026-03"
_TABLE_LABEL = {"cases": "案件", "inspections": "检查记录", "work_items": "工作事项"}
_EMPTY_TEXTS = {(None, ""), ("", None)}  # a stored NULL and a form's empty text: the same nothing
_VALIDATORS = {"cases": "validate_case", "inspections": "validate_inspection", "work_items": "validate_work_item"}


def _open_counts(case: dict | None, p: Period) -> tuple:
    """How a case counts in a month's open figures (aggregate.open_cases_at): its category where it is open at the
    month's start and at its end, else None."""
    if not case or not case.get("filed_date"):
        return None, None
    filed, closed, start, end = case["filed_date"], case.get("closed_date"), p.start.isoformat(), p.end.isoformat()
    open_at_start = filed < start and (not closed or closed >= start)
    open_at_end = filed <= end and (not closed or closed > end)
    return (case.get("category") if open_at_start else None), (case.get("category") if open_at_end else None)


def _ytd_refusal(p: Period, day: date) -> IpdeskError:
    return IpdeskError(f"{p.label}已审核报送并锁定，其本年累计包含{day.isoformat()}的记录，这样修改会改变已报送的"
                       f"数字；如需更改，请先在“报送”中发起{p.label}的更正",
                       f"period {p.code} is approved and its year-to-date includes {day}; open a correction")


def _same(a, b) -> bool:
    """Equal as stored: a form's empty text is a stored NULL, a flag's True is 1."""
    return (a if a not in ("", None) else None) == (b if b not in ("", None) else None)


_COUNTED: dict[str, dict[str, dict[str, tuple[str, ...]]]] = {}


def _counted_fields(catalog: Catalog) -> dict[str, dict[str, tuple[str, ...]]]:
    """table → date field → the fields a 附件1 measure dated by it reads (values summed, conditions, row field)."""
    if catalog.version not in _COUNTED:
        out: dict[str, dict[str, set]] = {}
        for cell in catalog.cells().values():
            m = cell.measure
            if m is None or not m.date:
                continue
            fields = out.setdefault(m.table, {}).setdefault(m.date, set())
            fields.update(m.value)
            fields.update(w[0] for w in m.where)
            if cell.row and cell.part.row_field:
                fields.add(cell.part.row_field)
        _COUNTED[catalog.version] = {t: {d: tuple(sorted(f)) for d, f in by.items()} for t, by in out.items()}
    return _COUNTED[catalog.version]


class Desk:
    """An open office database. ``user`` is who is working; ``today`` can be fixed for tests."""

    def __init__(self, db: Database, path: Path, *, user: str | None = None,
                 today: Callable[[], date] = date.today):
        self.db, self.path, self.user, self._today = db, Path(path), user, today
        self._calendar: WorkCalendar | None = None
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
        if not path.exists():
            if not create:
                raise IpdeskError(f"数据库文件不存在：{path}（请先运行 init 建立单位）",
                                  f"database not found: {path} (run init first)")
            from .db.migrations import create_database

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
        from .db.connection import integrity_problems

        return integrity_problems(self.path, quick=True)

    def close(self, *, backup: bool = False) -> None:
        """Close the file; ``backup=True`` (the GUI) first backs up if anything changed since the last backup."""
        unprotect(self.path)
        if self.db.gate is not None and self.db.gate.sound is None:
            self.db.gate.cancel()  # closing within a second of opening: stop the check rather than wait
        if self.db.known_sound:
            self._optimize()  # may write statistics: only to a file known to be sound
        if backup and not audit.unchanged_since_backup(self.db):
            from .db.backup import backup_on_close

            try:
                backup_on_close(self)
            finally:
                self.db.conn.close()
            return
        self.db.conn.close()

    # ---- backups (the 备份与恢复 panel; the policy lives in db/backup.py) -------------------------
    def backups(self) -> list:
        """This file's backups in the chosen folder, newest first (BackupInfo: path, made_at, size, reason_label)."""
        from .db import backup as B

        return B.backups_of(self)

    def backup_folder(self) -> Path:
        from .db import backup as B

        return B.backup_dir(self)

    def backup_now(self, reason: str = "manual") -> Path:
        from .db import backup as B

        return B.backup_now(self, reason)

    def restore_backup(self, backup_file: str | Path | None = None, *, force: bool = False):
        """Replace this file by a backup (None: the latest good one) and reopen it in place.

        The current file is backed up first (or copied aside when damaged); returns a RestoreResult.
        Only 管理员 may restore.
        """
        from .db import backup as B
        from .db.restore import restore

        if self.user_role() != enums.ROLE_ADMIN:
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
            self._calendar = None
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
        return self.db.execute("SELECT 1 FROM units WHERE is_self = 1").fetchone() is not None

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
            self.db.execute("INSERT INTO units (code, name, parent_code, is_self, contact_person, phone, email) "
                            "VALUES (?, ?, ?, 1, ?, ?, ?)",
                            [unit_code, unit_name.strip(), parent_code or None, contact_person, phone, email])
            op.log("insert", "units", unit_code, None, {"code": unit_code, "name": unit_name, "parent": parent_code})
            self._insert_user(op, admin.strip(), enums.ROLE_ADMIN, password)
            self._load_holidays(resource_path("data", "holidays-cn.csv"))
        self.user = admin.strip()
        return Changes({"units", "users"}, label="建立单位")

    def _load_holidays(self, csv_path: Path) -> None:
        import csv

        with open(csv_path, encoding="utf-8") as fh:
            rows = [(r["date"], r["kind"], r.get("name", "")) for r in csv.DictReader(fh)]
        self.db.conn.executemany("INSERT OR REPLACE INTO holidays (date, kind, name) VALUES (?, ?, ?)", rows)
        self._calendar = None

    # ---- unit and users ------------------------------------------------------------------------
    @property
    def unit(self) -> dict:
        row = self.db.execute("SELECT code, name, parent_code, contact_person, phone, email FROM units "
                              "WHERE is_self = 1").fetchone()
        if row is None:
            raise IpdeskError("数据库尚未建立单位（请先运行 init）", "database not initialized (run init)")
        return dict(zip(("code", "name", "parent_code", "contact_person", "phone", "email"), row))

    def update_unit(self, **changes) -> Changes:
        allowed = {"name", "parent_code", "contact_person", "phone", "email"}
        changes = {k: v for k, v in changes.items() if k in allowed}
        unit = self.unit
        errors = unit_errors(unit["code"], changes.get("name", unit["name"]), changes.get("parent_code",
                                                                                          unit["parent_code"]))
        if errors:
            raise IpdeskError("；".join(errors.values()), "invalid unit", errors)
        with audit.operation(self.db, self.user, "修改单位信息") as op:
            sets = ", ".join(f"{k} = ?" for k in changes)
            if sets:
                self.db.execute(f"UPDATE units SET {sets} WHERE code = ?", [*changes.values(), unit["code"]])
                op.log("update", "units", unit["code"], {k: unit.get(k) for k in changes}, changes)
        return Changes({"units"}, label="修改单位信息")

    def subordinate_units(self) -> list[dict]:
        cur = self.db.execute("SELECT code, name, parent_code FROM units WHERE is_self = 0 AND parent_code = ? "
                              "ORDER BY code", [self.unit["code"]])
        return [dict(zip(("code", "name", "parent_code"), r)) for r in cur.fetchall()]

    def add_subordinate_unit(self, code: str, name: str) -> Changes:
        errors = unit_errors(code, name, self.unit["code"])
        if errors:
            raise IpdeskError("；".join(errors.values()), "invalid unit", errors)
        with audit.operation(self.db, self.user, f"添加下级单位 {name}") as op:
            self.db.execute("INSERT INTO units (code, name, parent_code, is_self) VALUES (?, ?, ?, 0) "
                            "ON CONFLICT(code) DO UPDATE SET name = excluded.name, parent_code = excluded.parent_code",
                            [code, name, self.unit["code"]])
            op.log("insert", "units", code, None, {"code": code, "name": name})
        return Changes({"units"}, label=f"添加下级单位 {name}")

    def users(self) -> list[dict]:
        cur = self.db.execute("SELECT id, name, role, active, password_hash IS NOT NULL FROM users ORDER BY id")
        return [dict(zip(("id", "name", "role", "active", "has_password"), r)) for r in cur.fetchall()]

    def user_role(self, name: str | None = None) -> str | None:
        row = self.db.execute("SELECT role FROM users WHERE name = ? AND active = 1", [name or self.user]).fetchone()
        return row[0] if row else None

    def _insert_user(self, op: audit.Operation, name: str, role: str, password: str) -> None:
        from .domain.passwords import hash_password

        self.db.execute("INSERT INTO users (name, role, password_hash) VALUES (?, ?, ?)",
                        [name, role, hash_password(password) if password else None])
        op.log("insert", "users", name, None, {"name": name, "role": role})  # never the password

    def add_user(self, name: str, role: str, password: str = "") -> Changes:
        name = (name or "").strip()
        errors = {}
        if not name:
            errors["name"] = "请填写姓名"
        if role not in enums.ROLES:
            errors["role"] = f"角色应为 {'、'.join(enums.ROLES)} 之一"
        if name and self.db.execute("SELECT 1 FROM users WHERE name = ?", [name]).fetchone():
            errors["name"] = f"用户“{name}”已存在"
        if self.user and self.users() and self.user_role() not in (enums.ROLE_ADMIN, None):
            raise IpdeskError("只有管理员可以添加用户", "only an administrator can add users")
        if errors:
            raise IpdeskError("；".join(errors.values()), "invalid user", errors)
        with audit.operation(self.db, self.user, f"添加用户 {name}") as op:
            self._insert_user(op, name, role, password)
        return Changes({"users"}, label=f"添加用户 {name}")

    def set_password(self, name: str, password: str) -> Changes:
        from .domain.passwords import hash_password

        with audit.operation(self.db, self.user, f"修改密码 {name}") as op:
            self.db.execute("UPDATE users SET password_hash = ? WHERE name = ?",
                            [hash_password(password) if password else None, name])
            op.log("update", "users", name, None, {"password": "（已修改）"})
        return Changes({"users"})

    def login(self, name: str, password: str) -> bool:
        from .domain.passwords import verify_password

        row = self.db.execute("SELECT password_hash FROM users WHERE name = ? AND active = 1", [name]).fetchone()
        if row is None or not verify_password(password, row[0]):
            return False
        self.user = name
        return True

    # ---- audit log ---------------------------------------------------------------------------------
    def can_view_audit(self) -> bool:
        return self.user_role() in (enums.ROLE_ADMIN, enums.ROLE_REVIEWER)

    def audit_entries(self, **filters) -> list:
        """The audit log, newest first (filters: start, end, user, table, text, limit); 管理员/审核人 only."""
        from .db import audit_query

        if not self.can_view_audit():
            raise IpdeskError("只有管理员和审核人可以查看操作日志", "only administrators and reviewers may read the audit log")
        return audit_query.search(self.db, **filters)

    def audit_filter_choices(self) -> tuple[list[str], list[str]]:
        """(users, tables) that occur in the log, for the viewer's pick-lists."""
        from .db import audit_query

        return audit_query.users_in_log(self.db), audit_query.tables_in_log(self.db)

    # ---- settings ------------------------------------------------------------------------------
    def setting(self, key: str, default=None):
        row = self.db.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
        return json.loads(row[0]) if row else default

    def set_setting(self, key: str, value) -> None:
        """Store a setting (JSON); an actual change is audited (old → new)."""
        old = self.setting(key)
        if old == value and self.db.execute("SELECT 1 FROM settings WHERE key = ?", [key]).fetchone():
            return
        with audit.operation(self.db, self.user, f"修改设置 {key}") as op:
            self.db.execute("INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)",
                            [key, json.dumps(value, ensure_ascii=False)])
            op.log("update", "settings", key, {"value": old}, {"value": value})

    def set_first_month(self, month: str | None) -> Changes:
        """The unit's 启用月份 (管理员): months are approved in order from it; earlier ones are never overdue."""
        self._require_admin("设置启用月份")
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

    # ---- calendar and time limits --------------------------------------------------------------
    @property
    def calendar(self) -> WorkCalendar:
        from .domain.workdays import WorkCalendar

        if self._calendar is None:
            self._calendar = WorkCalendar.from_rows(self.db.execute("SELECT date, kind FROM holidays").fetchall())
        return self._calendar

    def _require_admin(self, what: str) -> None:
        if self.user_role() != enums.ROLE_ADMIN:
            raise IpdeskError(f"只有管理员可以{what}", f"only an administrator may do this: {what}")

    def set_holiday(self, day: str, kind: str | None, name: str = "") -> None:
        """Add or change a holiday / make-up workday (kind None removes the date); 管理员 only."""
        from .domain import rules

        self._require_admin("修改节假日")
        with audit.operation(self.db, self.user, f"修改节假日 {day}") as op:
            if kind is None:
                self.db.execute("DELETE FROM holidays WHERE date = ?", [day])
            else:
                self.db.execute("INSERT OR REPLACE INTO holidays (date, kind, name) VALUES (?, ?, ?)",
                                [rules.parse_date(day), kind, name])
            op.log("update", "holidays", day, None, {"kind": kind, "name": name})
        self._calendar = None

    def import_holidays(self, path: str | Path) -> Changes:
        """Import a holiday CSV in the shipped format (a year's 放假调休安排), all rows or none; 管理员 only.
        A date already in the calendar takes the file's kind and name."""
        from .domain.workdays import parse_holiday_csv

        self._require_admin("导入节假日")
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            raise IpdeskError(f"无法读取文件：{path}（{exc.strerror or exc}）", f"cannot read {path}") from None
        rows, errors = parse_holiday_csv(data)
        if errors:
            more = f"（共 {len(errors)} 处）" if len(errors) > 3 else ""
            raise IpdeskError("节假日表未导入：" + "；".join(errors[:3]) + more, "holiday file refused",
                              {f"line{n}": e for n, e in enumerate(errors)})
        years = sorted({r[0][:4] for r in rows})
        label = f"导入节假日 {'、'.join(years)}年（{len(rows)}天）"
        with audit.operation(self.db, self.user, label) as op:
            self.db.conn.executemany("INSERT OR REPLACE INTO holidays (date, kind, name) VALUES (?, ?, ?)", rows)
            op.log("insert", "holidays", "、".join(years), None, {"file": str(path), "days": len(rows)})
        self._calendar = None
        return Changes({"holidays"}, label=label)

    def holidays(self, year: int | None = None) -> list[dict]:
        """The working-day calendar's entries (date, kind holiday/workday, name), by date."""
        sql, params = "SELECT date, kind, name FROM holidays", []
        if year:
            sql, params = sql + " WHERE date LIKE ?", [f"{year}-%"]
        return [dict(zip(("date", "kind", "name"), r)) for r in self.db.execute(sql + " ORDER BY date", params)]

    def deadlines(self, *, only_warnings: bool = False) -> list[tuple[dict, Deadline]]:
        """Open leads and 一般程序 cases with their running time limit, most urgent first."""
        from .domain.time_limits import case_deadline, needs_warning, warning_cutoffs

        cutoffs = warning_cutoffs(self.today()) if only_warnings else (None, None)
        cases = records.open_cases(self.db, self.unit["code"], leads_until=cutoffs[0], general_filed_until=cutoffs[1])
        adjustments = records.adjustments_for(self.db, [c["id"] for c in cases])
        out = []
        for case in cases:
            dl = case_deadline(case, adjustments[case["id"]], self.calendar, self.today())
            if dl and (not only_warnings or needs_warning(dl)):
                out.append((case, dl))
        return sorted(out, key=lambda pair: (pair[1].days_left, pair[0]["id"]))  # ties: oldest record first

    def deadline_rows(self, *, include_decided: bool = False) -> list[tuple[dict, Deadline]]:
        """Each running lead/case limit (``include_decided``: also the limits already decided), most urgent
        first; ``ipdesk deadlines`` and the GUI's warnings use the same time_limits functions."""
        from .domain.time_limits import case_limits

        if not include_decided:
            return self.deadlines()
        cases = records.time_limited_cases(self.db, self.unit["code"])
        adjustments = records.adjustments_for(self.db, [c["id"] for c in cases])
        out = [(case, dl) for case in cases
               for dl in case_limits(case, adjustments[case["id"]], self.calendar, self.today())]
        return sorted(out, key=lambda pair: (not pair[1].running, pair[1].days_left, pair[0]["id"]))

    def add_adjustment(self, case_id: int, kind: str, start_date: str, reason: str,
                       end_date: str | None = None, *, cause: str | None = None,
                       due_date: str | None = None) -> Changes:
        """Record time that does not count (中止, with its ``cause``) or an extension (延期); a reason is required.
        A case's first extension adds 30 days; a further one (集体讨论) needs the ``due_date`` it sets."""
        from .domain import rules
        from .domain.time_limits import (CASE, EXTEND, LEAD_PAUSE_CAUSES, PAUSE_CAUSES, SUSPEND,
                                         adjustment_stage)

        errors = {}
        if kind not in (SUSPEND, EXTEND):
            errors["kind"] = "应为 中止 或 延期"
        if not (reason or "").strip():
            errors["reason"] = "请填写原因"
        try:
            start = rules.parse_date(start_date)
            end = rules.parse_date(end_date)
            due = rules.parse_date(due_date)
        except ValueError as exc:
            raise IpdeskError(f"日期无法识别：{exc}", "bad date", {"start_date": "日期无法识别"}) from None
        if not start:
            errors["start_date"] = "请填写开始日期"
        if start and end and end < start:
            errors["end_date"] = "结束日期不能早于开始日期"
        case = self.get_case(case_id)
        stage = adjustment_stage(case, start) if start else CASE
        earlier = [a for a in self.adjustments(case_id) if a["kind"] == EXTEND and a.get("start_date")
                   and adjustment_stage(case, a["start_date"]) == stage]
        if kind == SUSPEND:
            cause = cause or SUSPEND
            allowed = PAUSE_CAUSES if stage == CASE else LEAD_PAUSE_CAUSES  # 第六十四条 / 第十八条
            if cause not in allowed:
                errors["cause"] = f"{'立案前' if stage != CASE else '办案期间'}不计入期限的只有：{'、'.join(allowed)}"
            due = None
        else:
            cause, end = None, None
            if stage == CASE and case.get("procedure") != enums.PROCEDURE_GENERAL:
                errors["kind"] = "只有一般程序案件有90日办案期限，可以延期"
            elif stage != CASE and earlier:
                errors["kind"] = "线索核查期限只能延长一次（十五个工作日）"
            elif stage == CASE and (earlier or case.get("extension_approved")) and not due:
                errors["due_date"] = "已延期三十日：继续延期须经集体讨论，并填写确定的办案期限"
            elif due and (stage != CASE or not (earlier or case.get("extension_approved"))):
                errors["due_date"] = "首次延期按规定延长（线索十五个工作日、案件三十日），无需填写期限"
            elif due and start and due <= start:
                errors["due_date"] = "延长后的期限应晚于决定延期的日期"
        if errors:
            raise IpdeskError("；".join(errors.values()), "invalid adjustment", errors)
        label = f"{kind}案件 {case['name']}"
        with audit.operation(self.db, self.user, label) as op:
            op.insert("case_adjustments", {"case_id": case_id, "kind": kind, "start_date": start,
                                           "end_date": end, "reason": reason.strip(), "cause": cause,
                                           "due_date": due, "created_by": self.user,
                                           "created_at": audit.now_text()})
        return Changes({"case_adjustments"}, case_id, label)

    def adjustments(self, case_id: int) -> list[dict]:
        return records.adjustments_for(self.db, [case_id])[case_id]

    # ---- locks ---------------------------------------------------------------------------------
    def locked_periods(self) -> list[str]:
        """Periods approved and not reopened for correction: their records cannot change."""
        return submissions.locked_periods(self.db, self.unit["code"])

    def submitted_periods(self) -> dict[str, dict]:
        """Approved periods (latest revision, not superseded): code → revision, approved_by/at, exported_at,
        reopened_at (the home screen's "already sent")."""
        return submissions.submitted(self.db, self.unit["code"])

    def _locked(self) -> list[Period]:
        return [Period.parse(p) for p in self.locked_periods()]

    def _guard_unlocked(self, table: str, *rows: dict | None, locked: list[Period] | None = None) -> None:
        locked = self._locked() if locked is None else locked
        if not locked:
            return
        date_fields = {"cases": ("filed_date", "closed_date", "decision_date", "referral_date"),
                       "inspections": ("date",), "work_items": ("date",), "manual_cells": ()}.get(table, ())
        for row in rows:
            if not row:
                continue
            days = [row.get(f) for f in date_fields if row.get(f)]
            if table in ("manual_cells", "explanations") and row.get("period"):
                days.append(Period.parse(row["period"]).start.isoformat())
            for day in days:
                d = date.fromisoformat(day)
                for p in locked:
                    if p.contains(d):
                        raise IpdeskError(
                            f"{p.label}已审核报送并锁定，不能修改其中的记录；如需更改，请先在“报送”中发起更正",
                            f"period {p.code} is approved and locked; open a correction first")
                    if table == "manual_cells" and p.ytd_start <= d <= p.end:  # a stock cell carries forward
                        raise _ytd_refusal(p, d)

    def _guard_open_spans(self, table: str, before: dict | None, after: dict | None, *,
                          locked: list[Period] | None = None) -> None:
        """A case open across an approved month counts in its 期初/期末未结 by category without any of its dates
        lying in the month: moving its closing date to before the month, changing its category or deleting it
        would change what was approved. Refused unless the case counts in the month's open figures the same way
        before and after (closing it later than the month, as usual, keeps them)."""
        locked = self._locked() if locked is None else locked
        if not locked:
            return
        self._guard_year_to_date(table, before, after, locked)
        if table != "cases":
            return
        for p in locked:
            year_start = Period(p.year, 1, MONTH)  # its 本年累计 期初 is the open count at 1 January
            if (_open_counts(before, p) != _open_counts(after, p)
                    or _open_counts(before, year_start)[0] != _open_counts(after, year_start)[0]):
                raise IpdeskError(
                    f"该案件计入{p.label}的期初或期末未结案件数，{p.label}已审核报送并锁定，这样修改会改变已报送的"
                    f"数字；如需更改，请先在“报送”中发起更正", f"case is open across locked period {p.code}")

    def _guard_year_to_date(self, table: str, before: dict | None, after: dict | None,
                            locked: list[Period]) -> None:
        """An approved month also sent its 本年累计: a change to a record dated earlier that year (a month not
        approved, reopened, or before the 启用月份) is refused when it would change what that month counted —
        the record's date moving into, out of or within those months, or a field counted at that date
        (the catalogue's measures say which) changing."""
        counted = _counted_fields(self.catalog_for(locked[0]))
        for date_field, fields in counted.get(table, {}).items():
            days = {(row or {}).get(date_field) for row in (before, after)} - {None, ""}
            for p in locked:
                window = (p.ytd_start.isoformat(), p.end.isoformat())
                inside = [d for d in days if window[0] <= str(d)[:10] <= window[1]]
                if not inside:
                    continue
                if before is None or after is None or any(
                        _same(before.get(f), after.get(f)) is False for f in (date_field, *fields)):
                    raise _ytd_refusal(p, date.fromisoformat(str(inside[0])[:10]))

    # ---- records -------------------------------------------------------------------------------
    def get_case(self, case_id: int) -> dict:
        case = records.get_case(self.db, case_id)
        if case is None:
            raise IpdeskError(f"案件不存在（#{case_id}）", f"no such case: {case_id}")
        return case

    # ---- lists for the screens (the GUI never writes SQL) -----------------------------------------
    def list_cases(self, flt: records.CaseFilter | None = None, order: str = "filed_date", descending: bool = True,
                   limit: int = 200, offset: int = 0) -> list[dict]:
        """A page of the case ledger, filtered and sorted in SQL, each row with its ``status``."""
        return records.list_cases(self.db, self.unit["code"], flt, order=order, descending=descending,
                                  limit=limit, offset=offset)

    def case_ids(self, flt: records.CaseFilter | None = None, order: str = "filed_date",
                 descending: bool = True) -> list[int]:
        """Every matching case id in ledger order; read the rows a page at a time with ``cases_by_ids``."""
        return records.case_ids(self.db, self.unit["code"], flt, order=order, descending=descending)

    def cases_by_ids(self, ids: list[int]) -> list[dict]:
        """Cases in the order of ``ids``, each with its ``status``."""
        return records.cases_by_ids(self.db, ids)

    def deadlines_of(self, cases: list[dict]) -> dict[int, Deadline]:
        """The running time limits of the given cases (those without one are left out)."""
        from .domain.time_limits import case_deadline

        running = [c for c in cases if not c.get("closed_date") and not c.get("declined_date")]
        adjustments = records.adjustments_for(self.db, [c["id"] for c in running])
        out = {}
        for case in running:
            dl = case_deadline(case, adjustments[case["id"]], self.calendar, self.today())
            if dl is not None:
                out[case["id"]] = dl
        return out

    def count_cases(self, flt: records.CaseFilter | None = None) -> int:
        return records.count_cases(self.db, self.unit["code"], flt)

    def case_years(self) -> list[int]:
        """The years the ledger can filter on, newest first."""
        span = records.case_year_range(self.db, self.unit["code"])
        return list(range(span[1], span[0] - 1, -1)) if span else []

    def list_records(self, table: str, *, year: int | None = None, kind: str | None = None, text: str = "",
                     limit: int = 200, offset: int = 0) -> list[dict]:
        """A page of inspections or work items, newest first."""
        return records.list_rows(self.db, table, self.unit["code"], year=year, kind=kind, text=text,
                                 limit=limit, offset=offset)

    def count_records(self, table: str, *, year: int | None = None, kind: str | None = None, text: str = "") -> int:
        return records.count_rows(self.db, table, self.unit["code"], year=year, kind=kind, text=text)

    def record_years(self, table: str) -> list[int]:
        return records.row_years(self.db, table, self.unit["code"])

    def get_record(self, table: str, record_id: int) -> dict:
        """One case, inspection or work item; refuses an unknown id."""
        if table == "cases":
            return self.get_case(record_id)
        row = records.get_row(self.db, table, record_id)
        if row is None:
            raise IpdeskError(f"记录不存在（#{record_id}）", f"no such record: {record_id}")
        return row

    def completions(self, table: str, field_name: str, limit: int = 500) -> list[str]:
        """Earlier entries of a text field, most used first (QCompleter in the forms)."""
        return records.distinct_values(self.db, table, field_name, limit)

    def case_handlers(self) -> list[str]:
        """The people named as 承办人 in this unit's cases, most cases first."""
        return records.handler_names(self.db, self.unit["code"])

    def deadline_for(self, case_id: int) -> Deadline | None:
        """The running time limit of one case (None when none runs)."""
        from .domain.time_limits import case_deadline

        case = self.get_case(case_id)
        return case_deadline(case, self.adjustments(case_id), self.calendar, self.today())

    def validate(self, table: str, raw: dict, record_id: int | None = None) -> tuple[dict, dict[str, str]]:
        """Typed record merged over the stored one, and every field error (nothing is written)."""
        from .domain import rules

        fields = F.FIELDS_BY_TABLE[table]
        typed, errors = rules.coerce(fields, raw)
        base = records.get_row(self.db, table, record_id) if record_id else {}
        if record_id and base is None:
            raise IpdeskError(f"记录不存在（#{record_id}）", f"no such record: {record_id}")
        if table == "cases" and base:
            base = records.decode_case(base)
        merged = {**(base or {}), **typed}
        for name in errors:
            merged.pop(name, None)
        rule_errors = getattr(rules, _VALIDATORS[table])(merged, today=self.today())
        for name, message in rule_errors.items():
            errors.setdefault(name, message)
        if table == "cases":
            case_no = (merged.get("case_no") or "").strip()
            if case_no and records.case_no_taken(self.db, self.unit["code"], case_no, record_id):
                errors["case_no"] = f"案件编号“{case_no}”已存在"
        return merged, errors

    def save(self, table: str, raw: dict, record_id: int | None = None, *, label: str | None = None,
             needs_completion: list[str] | None = None) -> Changes:
        """Insert or update a case, inspection or work item after every rule passes."""
        from .domain import rules

        merged, errors = self.validate(table, raw, record_id)
        pending = (needs_completion if needs_completion is not None else merged.get("needs_completion")) or []
        if table == "cases" and pending:
            # An imported case may lack what the form requires; it is kept marked 待补正 instead.
            errors = rules.unwaived(errors, pending, merged)
        if errors:
            raise IpdeskError("；".join(errors.values()), "validation failed", errors)
        row = self._stored_row(table, merged, record_id, pending)
        now = audit.now_text()
        title = merged.get("name") or merged.get("subject_name") or merged.get("kind") or ""
        what = _TABLE_LABEL[table]
        if record_id:
            old = records.get_row(self.db, table, record_id)
            self._guard_unlocked(table, old, merged)
            self._guard_open_spans(table, old, merged)
            label = label or f"修改{what} {title}".strip()
            # An empty text the form sends for a column stored as NULL is no change: saving an untouched form
            # writes nothing and leaves no step to undo that would undo nothing.
            changed = {k: v for k, v in row.items() if old.get(k) != v and (old.get(k), v) not in _EMPTY_TEXTS}
            if not changed:
                return Changes(set(), record_id, label)
            with audit.operation(self.db, self.user, label) as op:
                op.update(table, record_id, {**changed, "updated_at": now, "updated_by": self.user})
            return Changes({table}, record_id, label)
        self._guard_unlocked(table, merged)
        self._guard_open_spans(table, None, merged)
        label = label or f"新增{what} {title}".strip()
        with audit.operation(self.db, self.user, label) as op:
            rid = op.insert(table, {**row, "unit_code": self.unit["code"], "created_at": now, "updated_at": now,
                                    "created_by": self.user, "updated_by": self.user})
        return Changes({table}, rid, label)

    @staticmethod
    def _stored_row(table: str, merged: dict, record_id: int | None, pending: list[str]) -> dict:
        """The columns a validated record is written as (JSON for the case lists)."""
        from .domain import rules

        fields = F.FIELDS_BY_TABLE[table]
        row = {f.name: merged[f.name] if merged.get(f.name) is not None else F.default_value(f) for f in fields
               if f.name in merged or not record_id}
        if table == "cases":
            row["penalty_kinds"] = json.dumps(merged.get("penalty_kinds") or [], ensure_ascii=False)
            still_missing = rules.missing_for_form(merged)
            row["needs_completion"] = json.dumps([m for m in pending if m in still_missing], ensure_ascii=False)
        return row

    def file_case_from_inspection(self, inspection_id: int, raw: dict) -> Changes:
        """立案 from an inspection: the new case and the link both ways, as one undoable step."""
        inspection = self.get_record("inspections", inspection_id)
        if inspection.get("case_id") and records.get_row(self.db, "cases", inspection["case_id"]):
            raise IpdeskError("该检查记录已立案，不能重复立案", "inspection already led to a case")
        merged, errors = self.validate("cases", raw)
        if errors:
            raise IpdeskError("；".join(errors.values()), "validation failed", errors)
        row = self._stored_row("cases", merged, None, [])
        self._guard_unlocked("cases", merged)
        self._guard_open_spans("cases", None, merged)
        now = audit.now_text()
        label = f"新增案件 {merged.get('name') or ''}".strip()
        with audit.operation(self.db, self.user, label) as op:
            rid = op.insert("cases", {**row, "inspection_id": inspection_id, "unit_code": self.unit["code"],
                                      "created_at": now, "updated_at": now, "created_by": self.user,
                                      "updated_by": self.user})
            op.update("inspections", inspection_id, {"case_id": rid, "updated_at": now, "updated_by": self.user})
        return Changes({"cases", "inspections"}, rid, label)

    def save_many(self, table: str, raws: list[dict], *, label: str,
                  needs_completion: list[list[str]] | None = None) -> Changes:
        """Insert many records in one transaction, or none: every record is validated first.

        Raises with ``field_errors`` keyed ``"<index>.<field>"`` when any record is refused.
        """
        from .domain import rules

        rows, errors, seen_numbers = [], {}, set()
        locked = self._locked()  # once, not per record
        now, unit_code = audit.now_text(), self.unit["code"]
        for i, raw in enumerate(raws):
            merged, errs = self.validate(table, raw)
            pending = needs_completion[i] if needs_completion else []
            errs = rules.unwaived(errs, pending, merged)
            if table == "cases":
                number = (merged.get("case_no") or "").strip()
                if number and number in seen_numbers:
                    errs["case_no"] = f"案件编号“{number}”重复"
                seen_numbers.add(number or None)
            for name, message in errs.items():
                errors[f"{i}.{name}"] = message
            row = {f.name: merged[f.name] if merged.get(f.name) is not None else F.default_value(f)
                   for f in F.FIELDS_BY_TABLE[table]}
            if table == "cases":
                row["penalty_kinds"] = json.dumps(merged.get("penalty_kinds") or [], ensure_ascii=False)
                still = rules.missing_for_form(merged)
                row["needs_completion"] = json.dumps([m for m in pending if m in still], ensure_ascii=False)
            row.update(unit_code=unit_code, created_at=now, updated_at=now, created_by=self.user,
                       updated_by=self.user)
            self._guard_unlocked(table, merged, locked=locked)
            self._guard_open_spans(table, None, merged, locked=locked)
            rows.append(row)
        if errors:
            first = next(iter(errors.items()))
            raise IpdeskError(f"共 {len(errors)} 处错误，未写入任何记录；第一处：第{int(first[0].split('.')[0]) + 1}条 "
                              f"{first[1]}", f"{len(errors)} errors, nothing written", errors)
        if not rows:
            return Changes(set(), label=label)
        cols = list(rows[0])
        with audit.operation(self.db, self.user, label) as op:
            first_id = audit.next_ids(self.db, table)
            audit.claim_ids(self.db, table, first_id + len(rows) - 1)
            self.db.conn.executemany(f"INSERT INTO {table} (id, {', '.join(cols)}) VALUES "
                                     f"(?, {', '.join('?' * len(cols))})",
                                     [(first_id + n, *(r[c] for c in cols)) for n, r in enumerate(rows)])
            self.db.conn.executemany(
                "INSERT INTO audit_log (at, user_name, op_id, op_label, action, table_name, record_id, new_json) "
                "VALUES (?, ?, ?, ?, 'insert', ?, ?, ?)",
                [(now, self.user, op.op_id, label, table, str(first_id + n),
                  json.dumps({"id": first_id + n, **r}, ensure_ascii=False, default=str))
                 for n, r in enumerate(rows)])
        return Changes({table}, label=label)

    def delete(self, table: str, record_id: int) -> Changes:
        old = records.get_row(self.db, table, record_id)
        if old is None:
            raise IpdeskError(f"记录不存在（#{record_id}）", f"no such record: {record_id}")
        self._guard_unlocked(table, old)
        self._guard_open_spans(table, old, None)
        label = f"删除{_TABLE_LABEL[table]} {old.get('name') or old.get('subject_name') or old.get('kind') or ''}"
        with audit.operation(self.db, self.user, label.strip()) as op:
            op.delete(table, record_id)
        return Changes(set(op.tables), record_id, label)  # with the rows its foreign keys released

    def set_manual_cell(self, indicator_id: str, period: str, value: float | None, note: str = "") -> Changes:
        """Enter a manual cell for a month; ``None`` records 未填报 (not zero)."""
        p = Period.parse(period)
        catalog = self.catalog_for(p)
        if indicator_id not in {c.id for c in catalog.manual_cells()}:
            raise IpdeskError(f"“{indicator_id}”不是手工填报的指标", f"{indicator_id} is not a manual cell")
        if p.kind != MONTH:
            raise IpdeskError("手工填报的指标按月填写", "manual cells are entered per month")
        cell = catalog.cell(indicator_id)
        if value is not None:
            # A number typed as 1e400 is float('inf'): stored, printed as "inf" and refused by every Excel writer.
            if value != value or value in (float("inf"), float("-inf")):
                raise IpdeskError("请输入有效的数值", "value must be a finite number", {"value": "请输入有效的数值"})
            if value < 0:
                raise IpdeskError("数值不能为负数", "value must not be negative", {"value": "数值不能为负数"})
            if not cell.is_money and value != int(value):
                message = f"“{cell.row_label}”以“{cell.unit}”计，须为整数"
                raise IpdeskError(message, "a count must be a whole number", {"value": message})
        label = f"填报 {cell.row_label}（{p.label}）"
        row = {"unit_code": self.unit["code"], "indicator_id": indicator_id, "period": p.code, "value": value,
               "note": note, "entered_by": self.user, "entered_at": audit.now_text()}
        self._guard_unlocked("manual_cells", row)
        with audit.operation(self.db, self.user, label) as op:
            existing = self.db.execute("SELECT id FROM manual_cells WHERE unit_code = ? AND indicator_id = ? "
                                       "AND period = ?", [row["unit_code"], indicator_id, p.code]).fetchone()
            if existing:
                op.update("manual_cells", existing[0], row)
            else:
                op.insert("manual_cells", row)
        return Changes({"manual_cells"}, label=label)

    def manual_cell(self, indicator_id: str, period: str) -> dict | None:
        cur = self.db.execute("SELECT value, note, entered_by, entered_at FROM manual_cells WHERE unit_code = ? "
                              "AND indicator_id = ? AND period = ?",
                              [self.unit["code"], indicator_id, Period.parse(period).code])
        row = cur.fetchone()
        return dict(zip(("value", "note", "entered_by", "entered_at"), row)) if row else None

    def _undo_guard(self):
        locked = self._locked()  # once per undo, not per row

        def guard(table: str, before: dict | None, after: dict | None) -> None:
            self._guard_unlocked(table, before, after, locked=locked)
            self._guard_open_spans(table, before, after, locked=locked)
        return guard, locked

    def undo_last(self) -> Changes | None:
        """Undo the newest undoable operation of the current user; None when there is nothing."""
        last = audit.last_undoable(self.db, self.user)
        if last is None:
            return None
        op_id, label = last
        tables = audit.undo(self.db, self.user, op_id, label, guard=self._undo_guard()[0])
        return Changes(tables, label=f"撤销 {label}")

    def undo_label(self) -> str | None:
        last = audit.last_undoable(self.db, self.user)
        return f"撤销 {last[1]}" if last else None

    def undo_state(self) -> tuple[str | None, str | None]:
        """(label of the step 撤销 would undo, why it cannot be undone — None when it can). A step whose rows
        now lie in an approved, locked month is refused by :meth:`undo_last`; the menu says so beforehand."""
        last = audit.last_undoable(self.db, self.user)
        if last is None:
            return None, None
        guard, locked = self._undo_guard()
        try:  # a row changed since by someone else, or lying in a locked month
            audit.check_undo(self.db, last[0], guard if locked else (lambda *_row: None))
        except IpdeskError as exc:
            return f"撤销 {last[1]}", exc.zh
        return f"撤销 {last[1]}", None

    # ---- statistics ----------------------------------------------------------------------------
    def catalog_for(self, period: str | Period) -> Catalog:
        """The form a period is reported on: the version it was approved with, else the one in force then."""
        from .catalog import catalog_for, get_catalog

        p = period if isinstance(period, Period) else Period.parse(period)
        row = self.db.execute("SELECT catalog_version FROM submissions WHERE unit_code = ? AND period = ? "
                              "ORDER BY revision DESC LIMIT 1", [self.unit["code"], p.code]).fetchone()
        return get_catalog(row[0]) if row else catalog_for(p.code)

    def annex1(self, period: str | Period, catalog: Catalog | None = None) -> Annex1Table:
        from .stats.annex1 import compute_annex1

        p = period if isinstance(period, Period) else Period.parse(period)
        unit = self.unit
        return compute_annex1(self.db, unit["code"], unit["name"], p, catalog or self.catalog_for(p))

    def annex2(self, period: str | Period, *, mask_personal_ids: bool = False, start: str | None = None,
               end: str | None = None) -> Annex2Table:
        from .stats.annex2 import compute_annex2

        p = period if isinstance(period, Period) else Period.parse(period)
        if start and end and start > end:  # ISO dates compare as text
            raise IpdeskError(f"起始日期 {start} 晚于截止日期 {end}，请重新选择", f"start {start} is after end {end}")
        unit = self.unit
        return compute_annex2(self.db, unit["code"], unit["name"], p, mask_personal_ids=mask_personal_ids,
                              start=start, end=end)

    def check_period(self, period: str | Period, table: Annex1Table | None = None) -> list[checks.Finding]:
        """Every finding for a period: table rules, continuity, outliers, incomplete and overdue cases."""
        from .stats import checks

        p = period if isinstance(period, Period) else Period.parse(period)
        table = table or self.annex1(p)
        previous = None
        if p.kind == MONTH and p.first_month > 1:
            previous = self.annex1(Period(p.year, p.first_month - 1, MONTH))
        found = checks.check_table(table, previous)
        start, end = p.start.isoformat(), p.end.isoformat()
        for case in records.cases_needing_completion(self.db, self.unit["code"]):
            dates = [case.get(k) for k in ("filed_date", "closed_date", "decision_date")]
            if any(d and start <= d <= end for d in dates) or not case.get("closed_date"):
                found.append(checks.Finding(
                    checks.ERROR, f"complete:{case['id']}",
                    f"案件“{case['name']}”待补正：{'、'.join(case['needs_completion'])}", case_ids=[case["id"]]))
        if p.end >= self.today() or p.contains(self.today()) or p.deadline() >= self.today():
            for case, dl in self.deadlines(only_warnings=True):
                if dl.overdue:
                    found.append(checks.Finding(checks.WARNING, f"overdue:{case['id']}",
                                                f"案件“{case['name']}”{dl.message}", case_ids=[case["id"]]))
        return found

    def explanations(self, period: str) -> dict[str, str]:
        return dict(self.db.execute("SELECT check_key, text FROM explanations WHERE unit_code = ? AND period = ?",
                                    [self.unit["code"], Period.parse(period).code]).fetchall())

    def explain(self, period: str, check_key: str, text: str) -> Changes:
        """Attach (or with empty text remove) the explanation of a soft warning."""
        p = Period.parse(period)
        code = p.code
        label = f"填写审核警告说明（{p.label}）"
        self._guard_unlocked("explanations", {"period": code})  # approved with the month: part of what was sent
        with audit.operation(self.db, self.user, label) as op:
            row = self.db.execute("SELECT id FROM explanations WHERE unit_code = ? AND period = ? AND check_key = ?",
                                  [self.unit["code"], code, check_key]).fetchone()
            if row and not text.strip():
                op.delete("explanations", row[0])
            elif row:
                op.update("explanations", row[0], {"text": text.strip(), "entered_by": self.user,
                                                   "entered_at": audit.now_text()})
            elif text.strip():
                op.insert("explanations", {"unit_code": self.unit["code"], "period": code, "check_key": check_key,
                                           "text": text.strip(), "entered_by": self.user,
                                           "entered_at": audit.now_text()})
        return Changes({"explanations"}, label=label)

    def records_behind(self, period: str | Period, cell_id: str, which: str = "current") -> tuple[str, list[dict]]:
        """The records that make a 附件1 cell: ``(table name, rows)`` (drill-down)."""
        from .db.aggregate import record_ids

        p = period if isinstance(period, Period) else Period.parse(period)
        cell = self.catalog_for(p).cell(cell_id)
        m = cell.measure
        if m is None:  # a ratio: show what its denominator counts
            return self.records_behind(p, f"{cell.part.id}.{cell.indicator.ratio_of[1]}", which)
        span_period = p.previous_year() if which.startswith("prev") else p
        start = span_period.ytd_start if which.endswith("ytd") else span_period.start
        if m.agg == "open_at_start" and which.endswith("ytd"):
            start = span_period.ytd_start
        row_values = cell.row.categories if cell.row else ()
        ids = record_ids(self.db, self.unit["code"], m, start, span_period.end,
                         cell.part.row_field if cell.row else None, row_values)
        table = "cases" if m.agg.startswith("open") else m.table
        return table, records.rows_by_ids(self.db, table, ids) if table != "cases" else records.cases_by_ids(self.db, ids)


def unit_errors(code: str, name: str, parent_code: str | None) -> dict[str, str]:
    errors = {}
    if not (code or "").isdigit() or len(code) != 6:
        errors["unit_code"] = "单位代码应为6位数字（行政区划代码）"
    if not (name or "").strip():
        errors["unit_name"] = "请填写单位名称"
    if parent_code and (not parent_code.isdigit() or len(parent_code) != 6):
        errors["parent_code"] = "上级单位代码应为6位数字"
    if parent_code and parent_code == code:
        errors["parent_code"] = "上级单位不能是本单位"
    return errors
