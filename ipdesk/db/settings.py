"""The ``settings`` table: one JSON value per key."""
from __future__ import annotations

import json

from .connection import Database


def get(db: Database, key: str, default=None):
    row = db.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
    return json.loads(row[0]) if row else default


def has(db: Database, key: str) -> bool:
    return db.execute("SELECT 1 FROM settings WHERE key = ?", [key]).fetchone() is not None


def put(db: Database, key: str, value) -> None:
    db.execute("INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)", [key, json.dumps(value, ensure_ascii=False)])
