"""The ``received_packages`` table (city and region mode): every package accepted from a subordinate unit.

A received package *counts* (in consolidation, the bulletin, completeness) while it is neither replaced by a
later revision nor withdrawn.
"""
from __future__ import annotations

from .connection import Database

COLUMNS = ("id", "package_uuid", "sha256", "unit_code", "unit_name", "parent_code", "period", "revision",
           "catalog_version", "created_at", "received_at", "correction_of", "replaced_by", "replaced_at",
           "withdrawn_at", "withdrawn_by", "withdrawn_reason")
COUNTS = "replaced_by IS NULL AND withdrawn_at IS NULL"  # the rule above, in SQL


def rows(db: Database, period: str | None = None, *, counting_only: bool = True) -> list[dict]:
    """Packages (of one month, or all) by period, unit and revision; only those that count unless told."""
    where, params = [], []
    if period:
        where.append("period = ?")
        params.append(period)
    if counting_only:
        where.append(COUNTS)
    sql = f"SELECT {', '.join(COLUMNS)} FROM received_packages"
    if where:
        sql += " WHERE " + " AND ".join(where)
    cur = db.execute(sql + " ORDER BY period, unit_code, revision", params)
    return [dict(zip(COLUMNS, r)) for r in cur.fetchall()]


def annex_json(db: Database, received_id: int) -> tuple[str, str]:
    """The package's 附件1 and 附件2 JSON texts."""
    return tuple(db.execute("SELECT annex1_json, annex2_json FROM received_packages WHERE id = ?",
                            [received_id]).fetchone())


def counting_annex1(db: Database, period: str) -> list[tuple[str, str]]:
    """(unit code, 附件1 JSON) of each package that counts for the month."""
    return db.execute(f"SELECT unit_code, annex1_json FROM received_packages WHERE period = ? AND {COUNTS} "
                      "ORDER BY unit_code", [period]).fetchall()


def counting_tables(db: Database, period: str) -> list[tuple[str, str]]:
    """(附件1 JSON, 附件2 JSON) of each package that counts for the month, by unit."""
    return db.execute(f"SELECT annex1_json, annex2_json FROM received_packages WHERE period = ? AND {COUNTS} "
                      "ORDER BY unit_code", [period]).fetchall()


def earlier_counting_annex1(db: Database, period: str, unit_codes: list[str]) -> list[tuple[str, str]]:
    """(unit code, 附件1 JSON) of the counting packages of these units before the month, newest first per unit."""
    marks = ",".join("?" * len(unit_codes))
    return db.execute(f"SELECT unit_code, annex1_json FROM received_packages WHERE {COUNTS} AND period < ? "
                      f"AND unit_code IN ({marks}) ORDER BY unit_code, period DESC", [period, *unit_codes]).fetchall()


def sent(db: Database, period: str) -> list[tuple]:
    """(unit code, revision, created_at, received_at, replaced_by) of every not withdrawn package of a month."""
    return db.execute("SELECT unit_code, revision, created_at, received_at, replaced_by FROM received_packages "
                      "WHERE period = ? AND withdrawn_at IS NULL ORDER BY unit_code, revision", [period]).fetchall()


def by_uuid(db: Database, package_uuid: str) -> dict | None:
    row = db.execute("SELECT sha256, unit_code, period, withdrawn_at, withdrawn_reason FROM received_packages "
                     "WHERE package_uuid = ?", [package_uuid]).fetchone()
    return dict(zip(("sha256", "unit_code", "period", "withdrawn_at", "withdrawn_reason"), row)) if row else None


def insert(db: Database, values: dict) -> int:
    names = list(values)
    cur = db.execute(f"INSERT INTO received_packages ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})",
                     [values[n] for n in names])
    return cur.lastrowid


def mark_replaced(db: Database, received_id: int, by_uuid_: str, now: str) -> None:
    db.execute("UPDATE received_packages SET replaced_by = ?, replaced_at = ? WHERE id = ?", [by_uuid_, now, received_id])


def mark_withdrawn(db: Database, received_id: int, now: str, user: str | None, reason: str) -> None:
    db.execute("UPDATE received_packages SET withdrawn_at = ?, withdrawn_by = ?, withdrawn_reason = ? WHERE id = ?",
               [now, user, reason, received_id])


def reinstate_replaced(db: Database, package_uuid: str) -> tuple[int, int] | None:
    """The not withdrawn revision ``package_uuid`` had replaced counts again; returns its (id, revision)."""
    earlier = db.execute("SELECT id, revision FROM received_packages WHERE replaced_by = ? AND withdrawn_at IS NULL",
                         [package_uuid]).fetchone()
    if earlier:
        db.execute("UPDATE received_packages SET replaced_by = NULL, replaced_at = NULL WHERE id = ?", [earlier[0]])
    return tuple(earlier) if earlier else None
