"""The office: its own unit, its subordinate units, its users and who may read the audit log
(``desk.office``; the SQL is in :mod:`ipdesk.db.units`)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from .changes import Changes
from .db import audit
from .db import units as U
from .domain import enums
from .errors import IpdeskError
from .manager import Manager

if TYPE_CHECKING:
    pass


def unit_errors(code: str, name: str, parent_code: str | None) -> dict[str, str]:
    """A unit's code is its 6-digit administrative division code (行政区划代码), as its parent's."""
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


class OfficeManager(Manager):
    # ---- units -------------------------------------------------------------------------------------
    def update_unit(self, **changes) -> Changes:
        allowed = {"name", "parent_code", "contact_person", "phone", "email"}
        changes = {k: v for k, v in changes.items() if k in allowed}
        unit = self.desk.unit
        errors = unit_errors(unit["code"], changes.get("name", unit["name"]),
                             changes.get("parent_code", unit["parent_code"]))
        if errors:
            raise IpdeskError("；".join(errors.values()), "invalid unit", errors)
        with audit.operation(self.db, self.desk.user, "修改单位信息") as op:
            if changes:
                U.update_unit(self.db, unit["code"], changes)
                op.log("update", "units", unit["code"], {k: unit.get(k) for k in changes}, changes)
        return Changes({"units"}, label="修改单位信息")

    def subordinate_units(self) -> list[dict]:
        return U.subordinates(self.db, self.desk.unit["code"])

    def add_subordinate_unit(self, code: str, name: str) -> Changes:
        errors = unit_errors(code, name, self.desk.unit["code"])
        if errors:
            raise IpdeskError("；".join(errors.values()), "invalid unit", errors)
        with audit.operation(self.db, self.desk.user, f"添加下级单位 {name}") as op:
            U.upsert_subordinate(self.db, code, name, self.desk.unit["code"])
            op.log("insert", "units", code, None, {"code": code, "name": name})
        return Changes({"units"}, label=f"添加下级单位 {name}")

    # ---- users -------------------------------------------------------------------------------------
    def users(self) -> list[dict]:
        return U.users(self.db)

    def user_role(self, name: str | None = None) -> str | None:
        return U.active_role(self.db, name or self.desk.user)

    def require_admin(self, what: str) -> None:
        if self.user_role() != enums.ROLE_ADMIN:
            raise IpdeskError(f"只有管理员可以{what}", f"only an administrator may do this: {what}")

    def insert_user(self, op: audit.Operation, name: str, role: str, password: str) -> None:
        """Within ``op``: a new user (the first one at initialisation, or :meth:`add_user`)."""
        from .domain.passwords import hash_password  # hashlib loads OpenSSL, ~10 ms the start need not pay

        U.insert_user(self.db, name, role, hash_password(password) if password else None)
        op.log("insert", "users", name, None, {"name": name, "role": role})  # never the password

    # Once a second person can sit at the PC, a name without a password would let anyone act (and be logged)
    # as that person: from then on every user has a password. Adding the second user sets them (the new user's
    # and, if the acting one has none, theirs in the same operation); a user left without one from before
    # (an older file) sets it at their next login (:meth:`set_first_password`) and is not let in without.
    def passwords_required(self) -> bool:
        """Whether every user must have a password: more than one active user."""
        return sum(1 for u in self.users() if u["active"]) > 1

    def password_missing(self, name: str | None = None) -> bool:
        """Whether ``name`` (default: the acting user) must set a password before acting."""
        name = name or self.desk.user
        user = next((u for u in self.users() if u["name"] == name and u["active"]), None)
        return user is not None and not user["has_password"] and self.passwords_required()

    def add_user(self, name: str, role: str, password: str = "", own_password: str | None = None) -> Changes:
        """A new user. Unless they are the first, the new user gets a password, and so does the acting user if
        they have none yet (``own_password``, set in the same operation)."""
        name = (name or "").strip()
        errors = {}
        if not name:
            errors["name"] = "请填写姓名"
        if role not in enums.ROLES:
            errors["role"] = f"角色应为 {'、'.join(enums.ROLES)} 之一"
        if name and U.user_exists(self.db, name):
            errors["name"] = f"用户“{name}”已存在"
        existing = [u for u in self.users() if u["active"]]
        if self.desk.user and existing and self.user_role() not in (enums.ROLE_ADMIN, None):
            raise IpdeskError("只有管理员可以添加用户", "only an administrator can add users")
        acting = next((u for u in existing if u["name"] == self.desk.user), None)
        if existing:  # a second (or later) user: everyone has a password from now on
            if not password:
                errors["password"] = "已有其他用户：新用户必须设置密码（多人使用时每个用户都须有密码）"
            if acting is not None and not acting["has_password"] and not own_password:
                errors["own_password"] = (f"添加其他用户前，请先为您本人（{acting['name']}）设置密码："
                                          "多人使用时，没有密码的用户谁都可以冒用")
        if errors:
            raise IpdeskError("；".join(errors.values()), "invalid user", errors)
        with audit.operation(self.db, self.desk.user, f"添加用户 {name}") as op:
            if acting is not None and not acting["has_password"] and own_password:
                self._store_password(op, acting["name"], own_password)
            self.insert_user(op, name, role, password)
        return Changes({"users"}, label=f"添加用户 {name}")

    def _store_password(self, op: audit.Operation, name: str, password: str) -> None:
        from .domain.passwords import hash_password  # see insert_user

        U.set_password_hash(self.db, name, hash_password(password) if password else None)
        op.log("update", "users", name, None, {"password": "（已修改）"})

    def set_password(self, name: str, password: str) -> Changes:
        """管理员 for anyone, every user for themselves; empty clears it (only while one user works here)."""
        if not U.user_exists(self.db, name):
            raise IpdeskError(f"没有用户“{name}”", f"no such user: {name}")
        if name != self.desk.user and self.user_role() != enums.ROLE_ADMIN:
            raise IpdeskError("只有管理员可以修改其他用户的密码", "only an administrator may change another user's password")
        if not password and self.passwords_required():
            raise IpdeskError("已有多个用户：密码不能为空（多人使用时每个用户都须有密码）",
                              "several users: a password cannot be empty", {"password": "密码不能为空"})
        with audit.operation(self.db, self.desk.user, f"修改密码 {name}") as op:
            self._store_password(op, name, password)
        return Changes({"users"})

    def set_first_password(self, name: str, password: str) -> Changes:
        """A user left without a password after others were added (an older file) sets one at login, and is
        then logged in: the only way such a user is let in."""
        if not self.password_missing(name):
            raise IpdeskError(f"用户“{name}”已设有密码，请用密码登录", f"user {name} already has a password")
        if not password:
            raise IpdeskError("请设置密码：多人使用时每个用户都须有密码", "a password is required",
                              {"password": "请设置密码"})
        with audit.operation(self.db, name, f"设置密码 {name}") as op:
            self._store_password(op, name, password)
        self.desk.user = name
        return Changes({"users"}, label=f"设置密码 {name}")

    def check_password(self, name: str, password: str) -> bool:
        """Whether ``password`` is ``name``'s (who stays logged in as they are): approval asks it again."""
        from .domain.passwords import verify_password  # see insert_user

        found, stored = U.active_password_hash(self.db, name)
        if not found or (stored is None and self.passwords_required()):
            return False
        return verify_password(password, stored)

    def login(self, name: str, password: str) -> bool:
        """Log ``name`` in; a user without a password once others exist is refused (:meth:`password_missing`)."""
        if not self.check_password(name, password):
            return False
        self.desk.user = name
        return True

    # ---- the audit log (操作日志) -----------------------------------------------------------------------
    def can_view_audit(self) -> bool:
        return self.user_role() in (enums.ROLE_ADMIN, enums.ROLE_REVIEWER)

    def audit_entries(self, **filters) -> list:
        """The audit log, newest first (filters: start, end, user, table, text, limit); 管理员/审核人 only."""
        from .db import audit_query  # the viewer's module (csv, field labels): loaded when the log is opened

        if not self.can_view_audit():
            raise IpdeskError("只有管理员和审核人可以查看操作日志", "only administrators and reviewers may read the audit log")
        return audit_query.search(self.db, **filters)

    def audit_filter_choices(self) -> tuple[list[str], list[str]]:
        """(users, tables) that occur in the log, for the viewer's pick-lists."""
        # Imported here: not loaded before the main window shows (cold start).
        from .db import audit_query

        return audit_query.users_in_log(self.db), audit_query.tables_in_log(self.db)
