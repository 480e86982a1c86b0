"""The ``units`` and ``users`` tables: this office (``is_self``), its subordinate units, the people who work here."""
from __future__ import annotations

from .connection import Database

UNIT_COLUMNS = ("code", "name", "parent_code", "contact_person", "phone", "email")


def own_unit(db: Database) -> dict | None:
    row = db.execute(f"SELECT {', '.join(UNIT_COLUMNS)} FROM units WHERE is_self = 1").fetchone()
    return dict(zip(UNIT_COLUMNS, row)) if row else None


def has_own_unit(db: Database) -> bool:
    return db.execute("SELECT 1 FROM units WHERE is_self = 1").fetchone() is not None


def insert_own_unit(db: Database, code: str, name: str, parent_code: str | None, contact_person: str = "",
                    phone: str = "", email: str = "") -> None:
    db.execute("INSERT INTO units (code, name, parent_code, is_self, contact_person, phone, email) "
               "VALUES (?, ?, ?, 1, ?, ?, ?)", [code, name, parent_code, contact_person, phone, email])


def update_unit(db: Database, code: str, changes: dict) -> None:
    """``changes`` maps columns of :data:`UNIT_COLUMNS` (never ``code``) to new values."""
    assert changes and set(changes) <= set(UNIT_COLUMNS) - {"code"}
    db.execute(f"UPDATE units SET {', '.join(f'{k} = ?' for k in changes)} WHERE code = ?",
               [*changes.values(), code])


def subordinates(db: Database, parent_code: str) -> list[dict]:
    cur = db.execute("SELECT code, name, parent_code FROM units WHERE is_self = 0 AND parent_code = ? ORDER BY code",
                     [parent_code])
    return [dict(zip(("code", "name", "parent_code"), r)) for r in cur.fetchall()]


def upsert_subordinate(db: Database, code: str, name: str, parent_code: str) -> None:
    db.execute("INSERT INTO units (code, name, parent_code, is_self) VALUES (?, ?, ?, 0) "
               "ON CONFLICT(code) DO UPDATE SET name = excluded.name, parent_code = excluded.parent_code",
               [code, name, parent_code])


def users(db: Database) -> list[dict]:
    cur = db.execute("SELECT id, name, role, active, password_hash IS NOT NULL FROM users ORDER BY id")
    return [dict(zip(("id", "name", "role", "active", "has_password"), r)) for r in cur.fetchall()]


def active_role(db: Database, name: str | None) -> str | None:
    row = db.execute("SELECT role FROM users WHERE name = ? AND active = 1", [name]).fetchone()
    return row[0] if row else None


def user_exists(db: Database, name: str) -> bool:
    return db.execute("SELECT 1 FROM users WHERE name = ?", [name]).fetchone() is not None


def insert_user(db: Database, name: str, role: str, password_hash: str | None) -> None:
    db.execute("INSERT INTO users (name, role, password_hash) VALUES (?, ?, ?)", [name, role, password_hash])


def set_password_hash(db: Database, name: str, password_hash: str | None) -> None:
    db.execute("UPDATE users SET password_hash = ? WHERE name = ?", [password_hash, name])


def active_password_hash(db: Database, name: str) -> tuple[bool, str | None]:
    """(whether ``name`` is an active user, their password hash or None)."""
    row = db.execute("SELECT password_hash FROM users WHERE name = ? AND active = 1", [name]).fetchone()
    return (row is not None, row[0] if row else None)
