"""The ``submissions`` table: each approval of a month (a revision), the tables frozen with it, its package.

The *active* submission of a month is its latest revision while it is neither superseded by a newer one nor
reopened for a correction (更正): it is what locks the month's records and what a package is made from.
"""
from __future__ import annotations

from .connection import Database

COLUMNS = ("id", "unit_code", "period", "revision", "catalog_version", "approved_by", "approved_at",
           "checks_json", "explanations_json", "package_uuid", "package_sha256", "exported_at",
           "package_masked", "superseded_at", "reopened_at", "reopened_by", "reopen_reason", "stale_reason")
ACTIVE = "superseded_at IS NULL AND reopened_at IS NULL"  # the rule above, in SQL
_SELECT = f"SELECT {', '.join(COLUMNS)} FROM submissions"


def is_active(row: dict | None) -> bool:
    """The rule above, for a row read with :data:`COLUMNS`."""
    return bool(row) and not row["reopened_at"] and not row["superseded_at"]


def latest(db: Database, unit_code: str, period: str) -> dict | None:
    """The newest revision of a month, active or not."""
    row = db.execute(f"{_SELECT} WHERE unit_code = ? AND period = ? ORDER BY revision DESC LIMIT 1",
                     [unit_code, period]).fetchone()
    return dict(zip(COLUMNS, row)) if row else None


def history(db: Database, unit_code: str, period: str | None = None) -> list[dict]:
    """Every revision (of one month, or all), newest first."""
    where, params = "unit_code = ?", [unit_code]
    if period:
        where += " AND period = ?"
        params.append(period)
    cur = db.execute(f"{_SELECT} WHERE {where} ORDER BY period DESC, revision DESC", params)
    return [dict(zip(COLUMNS, r)) for r in cur.fetchall()]


def locked_periods(db: Database, unit_code: str) -> list[str]:
    return [r[0] for r in db.execute(f"SELECT DISTINCT period FROM submissions WHERE unit_code = ? AND {ACTIVE}",
                                     [unit_code]).fetchall()]


def periods_ever_approved(db: Database, unit_code: str, year: int, *, before: str) -> list[str]:
    """Months of ``year`` before ``before`` with any revision, active or not."""
    return [r[0] for r in db.execute("SELECT DISTINCT period FROM submissions WHERE unit_code = ? AND period LIKE ? "
                                     "AND period < ?", [unit_code, f"{year}-%", before])]


def submitted(db: Database, unit_code: str) -> dict[str, dict]:
    """Latest not superseded revision of each approved month: period → revision, approved_by/at, exported_at,
    reopened_at."""
    keys = ("period", "revision", "approved_by", "approved_at", "exported_at", "reopened_at")
    cur = db.execute(f"SELECT {', '.join(keys)} FROM submissions WHERE unit_code = ? AND superseded_at IS NULL "
                     "ORDER BY period, revision", [unit_code])
    return {r[0]: dict(zip(keys, r)) for r in cur.fetchall()}


def frozen_json(db: Database, submission_id: int) -> tuple[str, str]:
    """The 附件1 and 附件2 JSON texts frozen at approval."""
    return tuple(db.execute("SELECT annex1_json, annex2_json FROM submissions WHERE id = ?",
                            [submission_id]).fetchone())


def supersede(db: Database, submission_id: int, now: str) -> None:
    db.execute("UPDATE submissions SET superseded_at = ? WHERE id = ?", [now, submission_id])


def insert(db: Database, values: dict) -> int:
    """A new revision; ``values`` maps column names to values. Returns its id."""
    names = list(values)
    cur = db.execute(f"INSERT INTO submissions ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})",
                     [values[n] for n in names])
    return cur.lastrowid


def mark_reopened(db: Database, submission_id: int, now: str, user: str, reason: str) -> None:
    db.execute("UPDATE submissions SET reopened_at = ?, reopened_by = ?, reopen_reason = ? WHERE id = ?",
               [now, user, reason, submission_id])


def package_blob(db: Database, submission_id: int) -> bytes:
    return db.execute("SELECT package_blob FROM submissions WHERE id = ?", [submission_id]).fetchone()[0]


def earlier_package_uuid(db: Database, unit_code: str, period: str, revision: int) -> str | None:
    """The package of the newest earlier revision that was sent (what a correction package corrects)."""
    row = db.execute("SELECT package_uuid FROM submissions WHERE unit_code = ? AND period = ? AND revision < ? "
                     "AND package_uuid IS NOT NULL ORDER BY revision DESC LIMIT 1",
                     [unit_code, period, revision]).fetchone()
    return row[0] if row else None


def store_package(db: Database, submission_id: int, *, uuid: str, sha256: str, exported_at: str, blob: bytes,
                  masked: bool) -> None:
    db.execute("UPDATE submissions SET package_uuid = ?, package_sha256 = ?, exported_at = ?, package_blob = ?, "
               "package_masked = ? WHERE id = ?", [uuid, sha256, exported_at, blob, int(bool(masked)), submission_id])


def mark_stale(db: Database, submission_id: int, reason: str) -> None:
    """The approved figures no longer match the record (a subordinate's correction accepted after approval)."""
    db.execute("UPDATE submissions SET stale_reason = ? WHERE id = ?", [reason, submission_id])
