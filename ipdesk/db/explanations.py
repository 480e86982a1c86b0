"""The ``explanations`` table: a unit's written explanation of each soft warning of a period (审核警告说明)."""
from __future__ import annotations

from .connection import Database


def texts(db: Database, unit_code: str, period: str) -> dict[str, str]:
    return dict(db.execute("SELECT check_key, text FROM explanations WHERE unit_code = ? AND period = ?",
                           [unit_code, period]).fetchall())


def find(db: Database, unit_code: str, period: str, check_key: str) -> int | None:
    row = db.execute("SELECT id FROM explanations WHERE unit_code = ? AND period = ? AND check_key = ?",
                     [unit_code, period, check_key]).fetchone()
    return row[0] if row else None
