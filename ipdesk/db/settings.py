"""The ``settings`` table: one JSON value per key."""
from __future__ import annotations

import json

from .connection import Database

FIRST_MONTH = "first_month"  # the unit's 启用月份, e.g. "2026-03": it kept no records in ipdesk before it


def get(db: Database, key: str, default=None):
    row = db.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
    return json.loads(row[0]) if row else default


def has(db: Database, key: str) -> bool:
    return db.execute("SELECT 1 FROM settings WHERE key = ?", [key]).fetchone() is not None


def put(db: Database, key: str, value) -> None:
    db.execute("INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)", [key, json.dumps(value, ensure_ascii=False)])
