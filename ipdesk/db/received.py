"""The ``received_packages`` table (city and region mode): every package accepted from a subordinate unit.

A received package *counts* (in consolidation, the bulletin, completeness) while it is neither replaced by a
later revision nor withdrawn.

Each accepted package's 附件1 cells are also copied into ``received_cells``: the exact values and, for money,
the 万元 figure the unit printed (in 分, a multiple of 100), so a consolidation over any span keeps the exact
sums and prints the sum of what each unit printed. A year of a region's packages (1,236) is then summed by
SQLite (a grouped query per unit) instead of parsing ~90 MB of JSON.
"""
from __future__ import annotations

import json

from .connection import Database

COLUMNS = ("id", "package_uuid", "sha256", "unit_code", "unit_name", "parent_code", "period", "revision",
           "catalog_version", "created_at", "received_at", "correction_of", "replaced_by", "replaced_at",
           "withdrawn_at", "withdrawn_by", "withdrawn_reason")
COUNTS = "replaced_by IS NULL AND withdrawn_at IS NULL"  # the rule above, in SQL


def rows(db: Database, period: str | None = None, *, counting_only: bool = True,
         unit_code: str | None = None) -> list[dict]:
    """Packages (of one month, or all; of one unit, or all) by period, unit and revision; only those that
    count unless told."""
    where, params = [], []
    if period:
        where.append("period = ?")
        params.append(period)
    if unit_code:
        where.append("unit_code = ?")
        params.append(unit_code)
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


# ---- the cells of received packages (consolidation over any span) --------------------------------------

_KEYS = ("current", "ytd", "prev_current", "prev_ytd")
_CELL_COLUMNS = ("received_id", "cell_id", *_KEYS, *(f"p_{k}" for k in _KEYS))
_CELLS_INSERT = (f"INSERT INTO received_cells ({', '.join(_CELL_COLUMNS)}) "
                 f"VALUES ({', '.join('?' * len(_CELL_COLUMNS))})")


def _printed_fen(item: dict, key: str):
    """The printed figure of a cell (README: annex1 JSON): money's 万元 as 分 (SQLite's round(), half away from
    zero, as schema step 15 filled the packages received before), any other unit as it is."""
    value = item.get(key)
    if value is None or item.get("unit") != "万元":
        return value
    scaled = value * 1_000_000
    return int(scaled + 0.5) if scaled >= 0 else -int(-scaled + 0.5)


def store_cells(db: Database, received_id: int, cells: list[dict]) -> None:
    """Store one received package's 附件1 cells — its annex1 JSON ``cells``, already checked
    (exchange/tables.py) — inside the caller's transaction: the exact values (``base``; money in 分) and the
    printed ones (money: the printed 万元 in 分). A package made before ``base`` held 上年同期 gives its printed
    one; a consolidation's 上年同期 marked ``prev_partial`` (the sum of only some of its units) is stored as
    none. The same rows as schema step 15's SQL; built here from the parsed JSON, as SQLite's json_extract on
    each of the 2,000 values took 2–3 ms a package."""
    rows = []
    for item in cells:
        base, printed = item.get("base") or {}, [_printed_fen(item, k) for k in _KEYS]
        exact = [base.get(k) if base.get(k) is not None else p for k, p in zip(_KEYS, printed)]
        partial = item.get("prev_partial")
        if partial:  # a consolidation's 上年同期 of only some of its units: no data for the whole (as for a month)
            exact = [None if k in partial else v for k, v in zip(_KEYS, exact)]
            printed = [None if k in partial else v for k, v in zip(_KEYS, printed)]
        rows.append((received_id, item["id"], *exact, *printed))
    db.conn.executemany(_CELLS_INSERT, rows)


def store_annex2(db: Database, received_id: int, annex2_json: str) -> None:
    """Store one received package's 附件2 JSON where a consolidation reads it (inside the caller's transaction)."""
    db.execute("INSERT INTO received_annex2 (received_id, annex2_json) VALUES (?, ?)", [received_id, annex2_json])


def month_packages(db: Database, first_month: str, last_month: str) -> list[tuple]:
    """Active packages of the months ``first_month``..``last_month`` (codes YYYY-MM):
    ``(id, unit_code, unit_name, period, catalog_version)`` by unit and month."""
    return db.execute(
        f"SELECT id, unit_code, unit_name, period, catalog_version FROM received_packages WHERE {COUNTS} "
        "AND length(period) = 7 AND period BETWEEN ? AND ? ORDER BY unit_code, period",
        [first_month, last_month]).fetchall()


def coverage_notes(db: Database, package_ids: list[int]) -> dict[int, str]:
    """package id → its 附件1's ``coverage_note`` (what its 本年累计 covers), for the packages that state one."""
    if not package_ids:
        return {}
    rows = db.execute("SELECT id, json_extract(annex1_json, '$.coverage_note') FROM received_packages "
                      "WHERE id IN (SELECT value FROM json_each(?))", [json.dumps(package_ids)]).fetchall()
    return {pid: note for pid, note in rows if isinstance(note, str) and note}


def latest_before(db: Database, month: str, unit_codes: list[str]) -> dict[str, int]:
    """Each unit's latest active package of a month before ``month``: unit code → package id."""
    if not unit_codes:
        return {}
    rows = db.execute(
        f"SELECT unit_code, id, max(period) FROM received_packages WHERE {COUNTS} AND length(period) = 7 "
        "AND period < ? AND unit_code IN (SELECT value FROM json_each(?)) GROUP BY unit_code",
        [month, json.dumps(unit_codes)]).fetchall()
    return {code: pid for code, pid, _ in rows}


_COLUMNS = {*_KEYS, *(f"p_{k}" for k in _KEYS)}


def _summed(column: str) -> str:
    """A column summed over a unit's packages; a 上年同期 missing from one of them (no previous-year data)
    leaves the sum without one: part of the window is not the window."""
    if "prev" in column:
        return f"CASE WHEN COUNT(c.{column}) = COUNT(*) THEN SUM(c.{column}) END"
    return f"SUM(c.{column})"


def cell_sums(db: Database, packages: dict[str, list[int]], columns: tuple[str, ...],
              cell_ids: list[str] | None = None) -> dict[str, dict[str, tuple]]:
    """``unit_code → cell_id → (SUM(column), …)`` over each unit's packages (``unit_code → package ids``;
    NULL stays NULL: 未填报; see :func:`_summed` for 上年同期), of every cell or only of ``cell_ids`` (then each
    package's few cells are looked up by the primary key instead of all ~250 read).

    One query per unit: its rows are summed by cell in a sort of a few thousand rows (none for one package),
    where one grouped query over all units sorted every row of the span together (310,000 in a region's
    year), 40 % slower."""
    if not set(columns) <= _COLUMNS:
        raise ValueError(f"bad received_cells column: {columns}")
    if cell_ids is not None and not cell_ids:
        return {}
    where, extra = "c.received_id IN (SELECT value FROM json_each(?))", []
    if cell_ids is not None:
        where += " AND c.cell_id IN (SELECT value FROM json_each(?))"
        extra.append(json.dumps(cell_ids))
    summed = (f"SELECT c.cell_id, {', '.join(_summed(col) for col in columns)} FROM received_cells c "
              f"WHERE {where} GROUP BY c.cell_id")
    one = f"SELECT c.cell_id, {', '.join(f'c.{col}' for col in columns)} FROM received_cells c WHERE {where}"
    out: dict[str, dict[str, tuple]] = {}
    for unit_code, ids in packages.items():
        if ids:
            rows = db.execute(summed if len(ids) > 1 else one, [json.dumps(ids), *extra]).fetchall()
            out[unit_code] = {r[0]: r[1:] for r in rows}
    return out


def package_annex2(db: Database, ids: list[int]) -> list[tuple[str, str, str]]:
    """``(unit_code, period, annex2_json)`` of the packages ``ids``, by unit and month."""
    if not ids:
        return []
    return db.execute(  # from received_annex2: the package row's 附件2 sits after its large 附件1
        "SELECT r.unit_code, r.period, a.annex2_json FROM received_packages r "
        "JOIN received_annex2 a ON a.received_id = r.id WHERE r.id IN (SELECT value FROM json_each(?)) "
        "ORDER BY r.unit_code, r.period", [json.dumps(ids)]).fetchall()


def has_own_records(db: Database, unit_code: str) -> bool:
    """Whether the office keeps any record of its own (a city office that only consolidates keeps none)."""
    for table in ("cases", "inspections", "work_items", "manual_cells"):
        if db.execute(f"SELECT 1 FROM {table} WHERE unit_code = ? LIMIT 1", [unit_code]).fetchone():
            return True
    return False
