"""SQL for the statistics: catalogue measures compiled into grouped queries.

The catalogue is trusted code data, but field names are still checked against a
pattern before they reach SQL; every value is a bound parameter.
"""
from __future__ import annotations

import re
from collections import defaultdict
from datetime import date, timedelta

from ..catalog.model import COUNT, MANUAL, OPEN_AT_END, OPEN_AT_START, SUM, Measure
from .connection import Database

_IDENT = re.compile(r"^[a-z_][a-z0-9_]*$")
_TABLES = {"cases", "inspections", "work_items"}


def _ident(name: str) -> str:
    if not _IDENT.match(name):
        raise ValueError(f"bad identifier in catalogue: {name!r}")
    return name


def _condition(where, params: list) -> str:
    parts = []
    for field, op, value in where:
        col = _ident(field)
        if op == "=":
            parts.append(f"{col} = ?")
            params.append(value)
        elif op == ">=":
            parts.append(f"{col} >= ?")
            params.append(value)
        elif op == "in":
            values = list(value)
            parts.append(f"{col} IN ({','.join('?' * len(values))})")
            params.extend(values)
        else:
            raise ValueError(f"bad operator in catalogue: {op!r}")
    return " AND ".join(parts) or "1"


def _expression(measure: Measure, params: list) -> str:
    cond = _condition(measure.where, params)
    if measure.agg == COUNT:
        return f"SUM(CASE WHEN {cond} THEN 1 ELSE 0 END)"
    if measure.agg == SUM:
        value = " + ".join(_ident(v) for v in measure.value)
        return f"SUM(CASE WHEN {cond} THEN {value} ELSE 0 END)"
    raise ValueError(f"not a row aggregate: {measure.agg}")


def monthly_values(db: Database, unit_code: str, measures: dict[str, Measure],
                   start: date, end: date, row_field: str | None = None) -> dict:
    """``{key: {(month 'YYYY-MM', row value or None): number}}`` for COUNT/SUM measures.

    One query per (table, date field): everything a period, its year to date and the
    year before need is summed from these monthly figures. Each query is keyed by
    ``substr(date, 1, 7)``, as the statistics indexes are (schema STEP_6), so SQLite reads
    the rows already in month order and sums as it reads, without sorting them.
    """
    groups: dict[tuple[str, str], list[str]] = defaultdict(list)
    for key, m in measures.items():
        if m.agg in (COUNT, SUM):
            if m.table not in _TABLES:
                raise ValueError(m.table)
            groups[(m.table, _ident(m.date))].append(key)
    out: dict[str, dict] = {key: {} for keys in groups.values() for key in keys}
    for (table, date_field), keys in groups.items():
        params: list = []
        exprs = [_expression(measures[k], params) for k in keys]
        month = f"substr({date_field}, 1, 7)"
        params += [unit_code, start.isoformat()[:7], end.isoformat()[:7]]
        days = ""
        if not _whole_months(start, end):
            days = f" AND {date_field} BETWEEN ? AND ?"
            params += [start.isoformat(), end.isoformat()]
        row_sql, group_by = (_ident(row_field), "1, 2") if row_field else ("NULL", "1")
        sql = (f"SELECT {month}, {row_sql}, {', '.join(exprs)} FROM {table} "
               f"WHERE unit_code = ? AND {month} BETWEEN ? AND ?{days} GROUP BY {group_by}")
        for row in db.execute(sql, params).fetchall():
            month_code, row_value, values = row[0], row[1], row[2:]
            for key, value in zip(keys, values):
                if value:
                    out[key][(month_code, row_value)] = value
    return out


def tables_with_records(db: Database, unit_code: str, dates: dict[str, tuple[str, ...]], first_month: str,
                        last_month: str) -> set[str]:
    """The tables (of ``table → date fields``) holding a record of the unit with any of those dates in the
    months ``first_month``..``last_month`` (codes YYYY-MM); each test reads one month index (schema STEP_6)."""
    found = set()
    for table, fields in dates.items():
        if table not in _TABLES:
            continue
        for date_field in fields:
            month = f"substr({_ident(date_field)}, 1, 7)"
            if db.execute(f"SELECT 1 FROM {table} WHERE unit_code = ? AND {month} BETWEEN ? AND ? LIMIT 1",
                          [unit_code, first_month, last_month]).fetchone():
                found.add(table)
                break
    return found


def _whole_months(start: date, end: date) -> bool:
    """Whether ``start`` is a month's first day and ``end`` its last (then the month bounds are the day bounds)."""
    return start.day == 1 and (end + timedelta(days=1)).day == 1


def open_cases_by_category(db: Database, unit_code: str, at: date, *, inclusive: bool) -> dict:
    """Cases filed and not closed at a moment: the start of ``at`` (inclusive=False) or its end."""
    day = at.isoformat()
    if inclusive:
        sql = ("SELECT category, COUNT(*) FROM cases WHERE unit_code = ? AND filed_date <= ? "
               "AND (closed_date IS NULL OR closed_date > ?) GROUP BY category")
    else:
        sql = ("SELECT category, COUNT(*) FROM cases WHERE unit_code = ? AND filed_date < ? "
               "AND (closed_date IS NULL OR closed_date >= ?) GROUP BY category")
    return dict(db.execute(sql, [unit_code, day, day]).fetchall())


def open_cases_at(db: Database, unit_code: str, points: list[tuple[date, bool]]) -> list[dict]:
    """:func:`open_cases_by_category` for several moments in one pass: ``[(day, inclusive), …]`` →
    ``[{category: count}, …]``. Only cases closed on or after the earliest day (or not closed) can
    be open then, and the (unit_code, closed_date, category, filed_date) index holds all it reads."""
    if not points:
        return []
    sums, params = [], []
    for day, inclusive in points:
        if inclusive:
            sums.append("SUM(filed_date <= ? AND (closed_date IS NULL OR closed_date > ?))")
        else:
            sums.append("SUM(filed_date < ? AND (closed_date IS NULL OR closed_date >= ?))")
        params += [day.isoformat()] * 2
    first, last = min(d for d, _ in points).isoformat(), max(d for d, _ in points).isoformat()
    rows = db.execute(
        f"SELECT category, {', '.join(sums)} FROM ("
        "SELECT category, filed_date, closed_date FROM cases WHERE unit_code = ? AND closed_date IS NULL "
        "AND filed_date <= ? UNION ALL "
        "SELECT category, filed_date, closed_date FROM cases WHERE unit_code = ? AND closed_date >= ? "
        "AND filed_date <= ?) GROUP BY category",
        [*params, unit_code, last, unit_code, first, last]).fetchall()
    out: list[dict] = [{} for _ in points]
    for category, *counts in rows:
        for n, count in enumerate(counts):
            if count:
                out[n][category] = count
    return out


def manual_values(db: Database, unit_code: str, indicator_ids: list[str]) -> dict:
    """``{indicator_id: [(period, value or None), …]}`` sorted by period."""
    if not indicator_ids:
        return {}
    marks = ",".join("?" * len(indicator_ids))
    rows = db.execute(
        f"SELECT indicator_id, period, value FROM manual_cells WHERE unit_code = ? AND indicator_id IN ({marks}) "
        "ORDER BY period", [unit_code, *indicator_ids]).fetchall()
    out: dict[str, list] = defaultdict(list)
    for ind, period, value in rows:
        out[ind].append((period, value))
    return out


def record_ids(db: Database, unit_code: str, measure: Measure, start: date, end: date,
               row_field: str | None = None, row_values: tuple = ()) -> list[int]:
    """The records behind a cell: the rows a measure counts in a span (drill-down)."""
    params: list = [unit_code]
    if measure.agg == MANUAL:
        return []
    if measure.agg in (OPEN_AT_START, OPEN_AT_END):
        table = "cases"
        if measure.agg == OPEN_AT_START:
            span = "filed_date < ? AND (closed_date IS NULL OR closed_date >= ?)"
            params += [start.isoformat()] * 2
        else:
            span = "filed_date <= ? AND (closed_date IS NULL OR closed_date > ?)"
            params += [end.isoformat()] * 2
        order = "filed_date"
    else:
        table = measure.table
        date_field = _ident(measure.date)
        span = f"{date_field} BETWEEN ? AND ? AND {_condition(measure.where, [])}"
        params += [start.isoformat(), end.isoformat()]
        _condition(measure.where, params)
        order = date_field
    rows_sql = ""
    if row_field and row_values:
        rows_sql = f" AND {_ident(row_field)} IN ({','.join('?' * len(row_values))})"
        params += list(row_values)
    sql = f"SELECT id FROM {table} WHERE unit_code = ? AND {span}{rows_sql} ORDER BY {order}, id"
    return [r[0] for r in db.execute(sql, params).fetchall()]
