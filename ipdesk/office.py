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

    def add_user(self, name: str, role: str, password: str = "") -> Changes:
        name = (name or "").strip()
        errors = {}
        if not name:
            errors["name"] = "请填写姓名"
        if role not in enums.ROLES:
            errors["role"] = f"角色应为 {'、'.join(enums.ROLES)} 之一"
        if name and U.user_exists(self.db, name):
            errors["name"] = f"用户“{name}”已存在"
        if self.desk.user and self.users() and self.user_role() not in (enums.ROLE_ADMIN, None):
            raise IpdeskError("只有管理员可以添加用户", "only an administrator can add users")
        if errors:
            raise IpdeskError("；".join(errors.values()), "invalid user", errors)
        with audit.operation(self.db, self.desk.user, f"添加用户 {name}") as op:
            self.insert_user(op, name, role, password)
        return Changes({"users"}, label=f"添加用户 {name}")

    def set_password(self, name: str, password: str) -> Changes:
        from .domain.passwords import hash_password  # see insert_user

        with audit.operation(self.db, self.desk.user, f"修改密码 {name}") as op:
            U.set_password_hash(self.db, name, hash_password(password) if password else None)
            op.log("update", "users", name, None, {"password": "（已修改）"})
        return Changes({"users"})

    def login(self, name: str, password: str) -> bool:
        from .domain.passwords import verify_password  # see insert_user

        found, stored = U.active_password_hash(self.db, name)
        if not found or not verify_password(password, stored):
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
        from .db import audit_query

        return audit_query.users_in_log(self.db), audit_query.tables_in_log(self.db)
