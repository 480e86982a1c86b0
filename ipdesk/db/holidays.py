"""The ``holidays`` table: the working-day calendar's holidays and make-up workdays (调休)."""
from __future__ import annotations

from .connection import Database


def kinds(db: Database) -> list[tuple[str, str]]:
    return db.execute("SELECT date, kind FROM holidays").fetchall()


def entries(db: Database, year: int | None = None) -> list[dict]:
    sql, params = "SELECT date, kind, name FROM holidays", []
    if year:
        sql, params = sql + " WHERE date LIKE ?", [f"{year}-%"]
    return [dict(zip(("date", "kind", "name"), r)) for r in db.execute(sql + " ORDER BY date", params)]


def put(db: Database, rows: list[tuple[str, str, str]]) -> None:
    """(date, kind, name) rows; a date already there takes the new kind and name."""
    db.conn.executemany("INSERT OR REPLACE INTO holidays (date, kind, name) VALUES (?, ?, ?)", rows)


def remove(db: Database, day: str) -> None:
    db.execute("DELETE FROM holidays WHERE date = ?", [day])
