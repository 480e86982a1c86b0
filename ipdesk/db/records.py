"""Reading records: small queries the services and screens need, each named for what it returns."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date

from ..domain import enums
from ..domain import fields as F
from .connection import Database

_CASE_JSON = ("penalty_kinds", "needs_completion")
SORTABLE = {f.name for f in F.CASE_FIELDS} | {"id", "updated_at", "status"}


def _rows(cur) -> list[dict]:
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r)) for r in cur.fetchall()]


def decode_case(row: dict) -> dict:
    for name in _CASE_JSON:
        if isinstance(row.get(name), str):
            row[name] = json.loads(row[name])
    return row


def get_case(db: Database, case_id: int) -> dict | None:
    rows = _rows(db.execute("SELECT * FROM cases WHERE id = ?", [case_id]))
    return decode_case(rows[0]) if rows else None


# The terms that match the partial unique index cases_unit_case_no: without them SQLite cannot use it for
# "case_no = ?" and walks every case of the unit, so adding cases to a large file was quadratic (1,000 into
# 30,000: 47.6 s against 0.23 s into an empty file).
_NUMBERED = "case_no IS NOT NULL AND case_no <> ''"


def case_no_taken(db: Database, unit_code: str, case_no: str, except_id: int | None) -> bool:
    row = db.execute(f"SELECT id FROM cases WHERE unit_code = ? AND case_no = ? AND {_NUMBERED} AND id IS NOT ?",
                     [unit_code, case_no, except_id]).fetchone()
    return row is not None


def case_numbers_taken(db: Database, unit_code: str, numbers: list[str]) -> set[str]:
    """Those of ``numbers`` the unit already has: looked up in the unique index one by one (reading all of a
    city's 100,000 numbers to check a batch of 1,000 took ~75 ms of the 160 ms its load takes)."""
    return {n for (n,) in db.execute(f"SELECT case_no FROM cases WHERE unit_code = ? AND case_no IN "
                                      f"(SELECT value FROM json_each(?)) AND {_NUMBERED}",
                                      [unit_code, json.dumps(numbers, ensure_ascii=False)])}


def case_numbers(db: Database, unit_code: str) -> list[str]:
    """Every 案件编号 the unit has (the ledger import's duplicate check, which compares them normalised)."""
    return [n for (n,) in db.execute("SELECT case_no FROM cases WHERE unit_code = ? AND case_no IS NOT NULL "
                                     "AND case_no <> ''", [unit_code])]


def case_names_and_dates(db: Database, unit_code: str) -> list[tuple[str, str | None]]:
    """(案件名称, 立案 or 线索 date) of every case of the unit (an import's duplicate check)."""
    return db.execute("SELECT name, COALESCE(filed_date, lead_date) FROM cases WHERE unit_code = ?",
                      [unit_code]).fetchall()


def case_id_by_no(db: Database, unit_code: str, case_no: str) -> int | None:
    row = db.execute(f"SELECT id FROM cases WHERE unit_code = ? AND case_no = ? AND {_NUMBERED}",
                     [unit_code, case_no]).fetchone()
    return row[0] if row else None


# SQL for the derived status, the same rule as domain.rules.case_status.
STATUS_SQL = ("CASE WHEN closed_date IS NOT NULL THEN "
              "(CASE WHEN outcome IN ('移送其他行政机关','移送司法机关') THEN '已移送' ELSE '已结案' END) "
              "WHEN filed_date IS NOT NULL THEN '已立案' WHEN declined_date IS NOT NULL THEN '不予立案' "
              "ELSE '线索' END")


@dataclass
class CaseFilter:
    """What the case ledger filters on; empty fields do not filter."""

    year: int | None = None
    category: str | None = None
    status: str | None = None
    source: str | None = None
    ecommerce: bool | None = None
    handler: str | None = None
    text: str = ""
    needs_completion: bool | None = None
    extra: dict = field(default_factory=dict)

    def sql(self, unit_code: str, text_ids: list[int] | None = None, *, scan: bool = False) -> tuple[str, list]:
        """WHERE clause and parameters; ``text_ids`` (from :mod:`case_search`) answers the text search."""
        where: list[str] = ["unit_code = ?"]
        params: list[object] = [unit_code]
        if self.year:
            # A year shows the cases alive in it: registered, filed or closed in that year. Date ranges
            # (not substr) so the filed/lead/closed indexes answer it.
            first, last = f"{self.year:04d}-01-01", f"{self.year:04d}-12-31"
            where.append("(filed_date BETWEEN ? AND ? OR (filed_date IS NULL AND lead_date BETWEEN ? AND ?) "
                         "OR closed_date BETWEEN ? AND ?)")
            params += [first, last] * 3
        for col, value in (("category", self.category), ("source", self.source)):
            if value:
                where.append(f"{col} = ?")
                params.append(value)
        if self.handler:  # one person, among the names a case lists (“刘海军、赵丽娜”)
            where.append(f"instr('、' || {_NAMES_SQL} || '、', ?) > 0")
            params.append(f"、{self.handler}、")
        if self.status:
            where.append(f"({STATUS_SQL}) = ?")
            params.append(self.status)
        if self.ecommerce is not None:
            where.append("flag_ecommerce = ?")
            params.append(1 if self.ecommerce else 0)
        if self.needs_completion is not None:
            where.append("needs_completion <> '[]'" if self.needs_completion else "needs_completion = '[]'")
        text = self.text.strip()
        if text and text_ids is not None:
            # Matches are fetched by id; with ``scan`` ("+id") SQLite instead walks the ordering index
            # testing membership, which for a page of many matches stops early.
            where.append(f"{'+id' if scan else 'id'} IN (SELECT value FROM json_each(?))")
            params.append(json.dumps(text_ids))
        elif text:
            # LIKE on the base table: correct for 1–2 CJK characters (see TOOLCHAIN.md, FTS trigram pitfall).
            like = f"%{text.replace('%', '').replace('_', '')}%"
            where.append("(name LIKE ? OR party_name LIKE ? OR case_no LIKE ? OR right_holder LIKE ?)")
            params += [like] * 4
        return " AND ".join(where), params

    @property
    def only_text(self) -> bool:
        return bool(self.text.strip()) and not (self.year or self.category or self.status or self.source
                                                or self.handler or self.ecommerce is not None
                                                or self.needs_completion is not None)


RECENT = "recent"  # the ledger's default order: 立案日期, or 线索登记日期 for a lead not yet filed
RECENT_SQL = "COALESCE(filed_date, lead_date)"  # the expression of index cases_recent (schema step 4)


def _order_expression(order: str, *, filtered: bool) -> str:
    """SQL for a ledger order. Unfiltered, it names an indexed expression so SQLite reads the index
    backwards; filtered, a unary + (a no-op on the value) keeps SQLite from walking that index over
    every row — it selects the matching rows by the filter's indexes and sorts only those."""
    if order == RECENT:
        return "COALESCE(+filed_date, lead_date)" if filtered else RECENT_SQL
    if order == "status":
        return f"({STATUS_SQL})"
    col = order if order in SORTABLE else "id"
    return f"+{col}" if filtered and col != "id" else col


def _text_ids(db: Database, unit_code: str, flt: CaseFilter) -> list[int] | None:
    """The cases matching the filter's search text (None without one), from the in-memory text index."""
    if not flt.text.strip():
        return None
    # Imported here: not loaded before the main window shows (cold start).
    from .case_search import index_for

    return index_for(db).ids(db, unit_code, flt.text)


def list_cases(db: Database, unit_code: str, flt: CaseFilter | None = None, *,
               order: str = "filed_date", descending: bool = True, limit: int = 200, offset: int = 0,
               columns: str = "*") -> list[dict]:
    flt = flt or CaseFilter()
    text_ids = _text_ids(db, unit_code, flt)
    if text_ids == []:
        return []
    if text_ids is not None and flt.only_text and order == RECENT and descending:
        return cases_by_ids(db, text_ids[offset:offset + limit])  # already in this order
    where, params = flt.sql(unit_code, text_ids)
    order_col = _order_expression(order, filtered=where != "unit_code = ?")
    # Empty values last either way. Descending, SQLite already puts NULLs last, and "col DESC, id DESC"
    # is the (unit_code, col) index read backwards: the first page needs no sort of the whole table.
    order_sql = (f"{order_col} DESC, id DESC" if descending
                 else f"{order_col} IS NULL, {order_col} ASC, id ASC")
    # The page's ids are chosen on narrow rows (index only when possible), then the full rows are read.
    sql = (f"SELECT {columns}, ({STATUS_SQL}) AS status FROM cases WHERE id IN "
           f"(SELECT id FROM cases WHERE {where} ORDER BY {order_sql} LIMIT ? OFFSET ?) ORDER BY {order_sql}")
    return [decode_case(r) for r in _rows(db.execute(sql, [*params, limit, offset]))]


def case_ids(db: Database, unit_code: str, flt: CaseFilter | None = None, *,
             order: str = "filed_date", descending: bool = True) -> list[int]:
    """Every matching case id in ledger order (empty values last).

    Sorting ids alone is several times cheaper than sorting whole rows, and the ledger then
    reads each page by primary key: this is what keeps 100k cases fast.
    """
    flt = flt or CaseFilter()
    text_ids = _text_ids(db, unit_code, flt)
    if text_ids == []:
        return []
    if text_ids is not None and flt.only_text and order == RECENT and descending:
        return text_ids  # the text index keeps this order
    where, params = flt.sql(unit_code, text_ids)
    col = _order_expression(order, filtered=where != "unit_code = ?")
    # SQLite sorts NULL first; descending already puts it last, and then an index can serve the order.
    nulls_last = "" if descending else f"{col} IS NULL, "
    direction = "DESC" if descending else "ASC"
    return [r[0] for r in db.execute(f"SELECT id FROM cases WHERE {where} ORDER BY {nulls_last}{col} {direction}, "
                                     f"id {direction}", params).fetchall()]


def count_cases(db: Database, unit_code: str, flt: CaseFilter | None = None) -> int:
    flt = flt or CaseFilter()
    text_ids = _text_ids(db, unit_code, flt)
    if text_ids is not None and (not text_ids or flt.only_text):
        return len(text_ids)
    where, params = flt.sql(unit_code, text_ids)
    return db.execute(f"SELECT COUNT(*) FROM cases WHERE {where}", params).fetchone()[0]


def cases_in_span(db: Database, unit_code: str, start: str, end: str) -> list[dict]:
    """Cases filed or closed between two ISO dates, by 立案日期 (附件2)."""
    return [decode_case(r) for r in _rows(db.execute(
        "SELECT * FROM cases WHERE unit_code = ? AND (filed_date BETWEEN ? AND ? OR closed_date BETWEEN ? AND ?) "
        "ORDER BY filed_date, id", [unit_code, start, end, start, end]))]


def cases_by_ids(db: Database, ids: list[int]) -> list[dict]:
    if not ids:
        return []
    out = []
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        out += _rows(db.execute(f"SELECT *, ({STATUS_SQL}) AS status FROM cases WHERE id IN "
                                f"({','.join('?' * len(chunk))})", chunk))
    order = {cid: n for n, cid in enumerate(ids)}
    return sorted((decode_case(r) for r in out), key=lambda r: order[r["id"]])


def open_cases(db: Database, unit_code: str, *, leads_until: date | None = None,
               general_filed_until: date | None = None) -> list[dict]:
    """Leads not yet decided and filed cases not yet closed (the ones whose time limits run). With the two
    dates, only leads noted by ``leads_until`` and 一般程序 cases filed by ``general_filed_until``: those that
    may be near their limit (time_limits.warning_cutoffs; ~100 of a city's ~1,700 open cases)."""
    open_ = "unit_code = ? AND closed_date IS NULL AND declined_date IS NULL"
    if leads_until is None or general_filed_until is None:
        return [decode_case(r) for r in _rows(db.execute(f"SELECT * FROM cases WHERE {open_}", [unit_code]))]
    # INDEXED BY: the planner's statistics cannot tell that "closed_date IS NULL" matches thousands of rows
    # (they average over dates), so it would read every open case through cases_closed (8 ms at city scale,
    # 0.5 ms this way); and a schema change that loses the index fails here rather than going slow.
    sql = (f"SELECT * FROM cases INDEXED BY cases_open WHERE {open_} AND filed_date IS NULL AND lead_date <= ? "
           f"UNION ALL SELECT * FROM cases INDEXED BY cases_open WHERE {open_} AND procedure = ? AND filed_date <= ?")
    return [decode_case(r) for r in _rows(db.execute(sql, [unit_code, leads_until.isoformat(), unit_code,
                                                           enums.PROCEDURE_GENERAL, general_filed_until.isoformat()]))]


def time_limited_cases(db: Database, unit_code: str) -> list[dict]:
    """Every record a time limit has applied to: leads and 一般程序 cases, decided or not (deadlines --all)."""
    return [decode_case(r) for r in _rows(db.execute(
        "SELECT * FROM cases WHERE unit_code = ? AND (lead_date IS NOT NULL OR procedure = ?) ORDER BY id",
        [unit_code, enums.PROCEDURE_GENERAL]))]


def cases_needing_completion(db: Database, unit_code: str) -> list[dict]:
    return [decode_case(r) for r in _rows(db.execute(
        "SELECT * FROM cases WHERE unit_code = ? AND needs_completion <> '[]' ORDER BY filed_date", [unit_code]))]


def adjustments_for(db: Database, case_ids: list[int]) -> dict[int, list[dict]]:
    out: dict[int, list[dict]] = {cid: [] for cid in case_ids}
    if not case_ids:
        return out
    for i in range(0, len(case_ids), 500):
        chunk = case_ids[i:i + 500]
        for row in _rows(db.execute(f"SELECT * FROM case_adjustments WHERE case_id IN ({','.join('?' * len(chunk))}) "
                                    "ORDER BY start_date", chunk)):
            out[row["case_id"]].append(row)
    return out


# Names in a 承办人 field are written “刘海军、赵丽娜”, “刘海军，赵丽娜”, “刘海军 赵丽娜”…: every separator becomes 、.
NAME_SEPARATORS = ("，", ",", "；", ";", "/", " ", "\u3000")
_NAMES_SQL = "handler"
for _sep in NAME_SEPARATORS:
    _NAMES_SQL = f"replace({_NAMES_SQL}, '{_sep}', '、')"


def handler_names(db: Database, unit_code: str) -> list[str]:
    """Each person named as 承办人, most cases first (the ledger's filter offers people, not pairs)."""
    counts: dict[str, int] = {}
    for value, n in db.execute(f"SELECT {_NAMES_SQL}, COUNT(*) FROM cases WHERE unit_code = ? AND handler IS NOT "
                               f"NULL AND handler <> '' GROUP BY 1", [unit_code]):
        for name in {part for part in value.split("、") if part}:
            counts[name] = counts.get(name, 0) + n
    return sorted(counts, key=lambda name: (-counts[name], name))


def distinct_values(db: Database, table: str, column: str, limit: int = 500) -> list[str]:
    """Earlier entries of a text field, most used first (completion in forms)."""
    allowed = {f.name for f in F.FIELDS_BY_TABLE[table]}
    if column not in allowed:
        raise ValueError(column)
    return [r[0] for r in db.execute(
        f"SELECT {column}, COUNT(*) AS n FROM {table} WHERE {column} IS NOT NULL AND {column} <> '' "
        f"GROUP BY {column} ORDER BY n DESC, {column} LIMIT ?", [limit]).fetchall()]


def get_row(db: Database, table: str, rid: int) -> dict | None:
    rows = _rows(db.execute(f"SELECT * FROM {table} WHERE id = ?", [rid]))
    return rows[0] if rows else None


# Text columns the list screens search (LIKE on the base table, as for cases).
_SEARCHED = {"inspections": ("subject_name", "subject_address", "findings", "campaign"),
             "work_items": ("title", "remarks")}


def _rows_where(table: str, unit_code: str, year: int | None, kind: str | None, text: str) -> tuple[str, list]:
    if table not in ("inspections", "work_items"):
        raise ValueError(table)
    where, params = ["unit_code = ?"], [unit_code]
    if year:
        where.append("substr(date, 1, 4) = ?")
        params.append(str(year))
    if kind:
        where.append("kind = ?")
        params.append(kind)
    text = (text or "").strip().replace("%", "").replace("_", "")
    if text:
        where.append("(" + " OR ".join(f"{c} LIKE ?" for c in _SEARCHED[table]) + ")")
        params += [f"%{text}%"] * len(_SEARCHED[table])
    return " AND ".join(where), params


def list_rows(db: Database, table: str, unit_code: str, *, year: int | None = None,
              kind: str | None = None, text: str = "", limit: int = 1000, offset: int = 0) -> list[dict]:
    """Inspections or work items, newest first."""
    where, params = _rows_where(table, unit_code, year, kind, text)
    return _rows(db.execute(f"SELECT * FROM {table} WHERE {where} ORDER BY date DESC, id DESC "
                            "LIMIT ? OFFSET ?", [*params, limit, offset]))


def count_rows(db: Database, table: str, unit_code: str, *, year: int | None = None,
               kind: str | None = None, text: str = "") -> int:
    where, params = _rows_where(table, unit_code, year, kind, text)
    return db.execute(f"SELECT COUNT(*) FROM {table} WHERE {where}", params).fetchone()[0]


def row_years(db: Database, table: str, unit_code: str) -> list[int]:
    if table not in ("inspections", "work_items"):
        raise ValueError(table)
    return [int(r[0]) for r in db.execute(
        f"SELECT DISTINCT substr(date, 1, 4) FROM {table} WHERE unit_code = ? ORDER BY 1 DESC",
        [unit_code]).fetchall()]


def rows_by_ids(db: Database, table: str, ids: list[int]) -> list[dict]:
    if table not in ("inspections", "work_items") or not ids:
        return [] if table != "cases" else cases_by_ids(db, ids)
    out = []
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        out += _rows(db.execute(f"SELECT * FROM {table} WHERE id IN ({','.join('?' * len(chunk))})", chunk))
    order = {rid: n for n, rid in enumerate(ids)}
    return sorted(out, key=lambda r: order[r["id"]])


def case_years(db: Database, unit_code: str) -> list[int]:
    return [int(r[0]) for r in db.execute(
        "SELECT DISTINCT substr(COALESCE(filed_date, lead_date), 1, 4) FROM cases WHERE unit_code = ? "
        "AND COALESCE(filed_date, lead_date) IS NOT NULL ORDER BY 1 DESC", [unit_code]).fetchall()]


def case_year_range(db: Database, unit_code: str) -> tuple[int, int] | None:
    """First and last year any case date falls in, read from the date indexes (instant at 100k cases)."""
    ends = []
    for col in ("lead_date", "filed_date", "closed_date"):
        for agg in ("MIN", "MAX"):
            # One aggregate per statement: SQLite then answers it from the (unit_code, date) index.
            value = db.execute(f"SELECT {agg}({col}) FROM cases WHERE unit_code = ?", [unit_code]).fetchone()[0]
            if value:
                ends.append(int(value[:4]))
    return (min(ends), max(ends)) if ends else None


def insert_many(db: Database, table: str, cols: list[str], rows: list[dict], first_id: int) -> None:
    """Insert ``rows`` (dicts of ``cols``) with consecutive ids from ``first_id`` in one executemany."""
    db.conn.executemany(f"INSERT INTO {table} (id, {', '.join(cols)}) VALUES (?, {', '.join('?' * len(cols))})",
                        [(first_id + n, *(r[c] for c in cols)) for n, r in enumerate(rows)])


def manual_cell(db: Database, unit_code: str, indicator_id: str, period: str) -> dict | None:
    """The manually reported value of a cell for a month (id, value, note, entered_by, entered_at)."""
    keys = ("id", "value", "note", "entered_by", "entered_at")
    row = db.execute(f"SELECT {', '.join(keys)} FROM manual_cells WHERE unit_code = ? AND indicator_id = ? "
                     "AND period = ?", [unit_code, indicator_id, period]).fetchone()
    return dict(zip(keys, row)) if row else None
