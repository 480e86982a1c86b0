"""A city-scale office database, reproducibly: 10 units' records over 10 years in one desk.

Records are made by the demo generator (``ipdesk.demo._Maker``: realistic names, categories in the
region's proportions, every hard check passes), typed by the same ``rules.coerce`` the desk uses and
written with ``executemany`` in one transaction, each with its audit-log row as ``Desk.save`` would
leave it. ``validate_every`` runs the desk's full rules on every n-th record (1 = all).

All records belong to the desk's own unit: the worst case for every query (one ledger, one 附件1),
as when a city bureau keeps the whole city's records in one file.
"""
from __future__ import annotations

import json
import random
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ipdesk.demo import _Maker
from ipdesk.desk import Desk
from ipdesk.domain import fields as F, rules
from ipdesk.domain.periods import MONTH, Period

TODAY = date(2026, 11, 22)
CITY = ("150600", "鄂尔多斯市市场监督管理局", "150000")
# (place, case-number abbreviation): ten units of the city, each with its own case numbers.
UNITS = (("东胜区", "东"), ("康巴什区", "康"), ("达拉特旗", "达"), ("准格尔旗", "准"), ("鄂托克前旗", "前"),
         ("鄂托克旗", "托"), ("杭锦旗", "杭"), ("乌审旗", "乌"), ("伊金霍洛旗", "伊"), ("鄂尔多斯市本级", "市"))


@dataclass(frozen=True)
class Scale:
    name: str
    years: int
    cases_per_unit_month: int
    inspections_per_unit_month: int

    def describe(self) -> str:
        months = self.years * 12
        return (f"{len(UNITS)} units × {self.years} years: ~{len(UNITS) * months * self.cases_per_unit_month:,} cases, "
                f"~{len(UNITS) * months * self.inspections_per_unit_month:,} inspections")


# Full: 10 units × 10 years, ~100k cases (the ledger search is measured over 100k) and ~150k inspections.
FULL = Scale("full", 10, 84, 126)
QUICK = Scale("quick", 10, 17, 25)
TINY = Scale("tiny", 2, 2, 3)  # the smoke test


def months(years: int) -> list[Period]:
    """The ``years × 12`` months ending with TODAY's month."""
    out = [Period.month_of(TODAY)]
    while len(out) < years * 12:
        out.insert(0, out[0].previous())
    return out


class _UnitMaker(_Maker):
    """The demo maker writing for one of the city's units (its place names and case numbers)."""

    def __init__(self, desk: Desk, seed: int, place: str, abbr: str):
        super().__init__(desk, seed)
        self.place, self.abbr = place, abbr


def _rows(table: str, raws: list[dict], *, check: int, unit_code: str, user: str, today: date) -> list[dict]:
    fields = F.FIELDS_BY_TABLE[table]
    validator = {"cases": rules.validate_case, "inspections": rules.validate_inspection,
                 "work_items": rules.validate_work_item}[table]
    out = []
    for n, raw in enumerate(raws):
        typed, errors = rules.coerce(fields, raw)
        if not errors and check and n % check == 0:
            errors = validator(typed, today=today)
        if errors:
            raise ValueError(f"generated {table} record refused: {errors} {raw}")
        row = {f.name: typed[f.name] if typed.get(f.name) is not None else F.default_value(f) for f in fields}
        if table == "cases":
            row["penalty_kinds"] = json.dumps(typed.get("penalty_kinds") or [], ensure_ascii=False)
            row["needs_completion"] = "[]"
        stamp = (raw.get("closed_date") or raw.get("filed_date") or raw.get("lead_date") or raw.get("date")) + "T09:30:00"
        row.update(unit_code=unit_code, created_at=stamp, updated_at=stamp, created_by=user, updated_by=user)
        out.append(row)
    return out


def _insert(desk: Desk, table: str, rows: list[dict], first_op: int) -> int:
    """Rows and their audit entries (one operation per record, as entered one by one)."""
    if not rows:
        return first_op
    cols = list(rows[0])
    conn = desk.db.conn
    first_id = conn.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}").fetchone()[0]
    conn.executemany(f"INSERT INTO {table} (id, {', '.join(cols)}) VALUES (?, {', '.join('?' * len(cols))})",
                     [(first_id + n, *(r[c] for c in cols)) for n, r in enumerate(rows)])
    what = {"cases": "案件", "inspections": "检查记录", "work_items": "工作事项"}[table]
    conn.executemany(
        "INSERT INTO audit_log (at, user_name, op_id, op_label, action, table_name, record_id, new_json) "
        "VALUES (?, ?, ?, ?, 'insert', ?, ?, ?)",
        [(r["created_at"], r["created_by"], first_op + n,
          f"新增{what} {r.get('name') or r.get('subject_name') or r.get('kind') or ''}".strip(), table,
          str(first_id + n), json.dumps({"id": first_id + n, **r}, ensure_ascii=False, sort_keys=True))
         for n, r in enumerate(rows)])
    return first_op + len(rows)


def generate(path: Path, scale: Scale, *, seed: int = 2026, validate_every: int = 50, log=print) -> dict:
    """Write the city database to ``path`` (replaced); returns counts and timings."""
    started = time.perf_counter()
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    desk = Desk.open(path, create=True, today=lambda: TODAY)
    desk.initialize(*CITY)
    for n, (place, _) in enumerate(UNITS[:-1], 1):
        desk.office.add_subordinate_unit(f"1506{n:02d}", f"{place}市场监督管理局")
    unit_code, user = desk.unit["code"], desk.user
    rng = random.Random(seed)
    periods = months(scale.years)
    raws: dict[str, list[dict]] = {"cases": [], "inspections": [], "work_items": []}
    for u, (place, abbr) in enumerate(UNITS):
        maker = _UnitMaker(desk, seed * 100 + u, place, abbr)
        for period in periods:
            for _ in range(max(1, round(scale.cases_per_unit_month * rng.uniform(0.7, 1.3)))):
                raws["cases"].append(maker.case(maker.day_in(period)))
            for _ in range(max(1, round(scale.inspections_per_unit_month * rng.uniform(0.7, 1.3)))):
                raws["inspections"].append(maker.inspection(maker.day_in(period)))
            raws["work_items"] += maker.work_items(period)
    made = time.perf_counter()
    for table in raws:
        raws[table].sort(key=lambda r: r.get("filed_date") or r.get("lead_date") or r.get("date"))
    rows = {t: _rows(t, r, check=validate_every, unit_code=unit_code, user=user, today=TODAY) for t, r in raws.items()}
    typed = time.perf_counter()
    conn = desk.db.conn
    conn.execute("BEGIN IMMEDIATE")
    op = conn.execute("SELECT COALESCE(MAX(op_id), 0) + 1 FROM audit_log").fetchone()[0]
    for table in ("cases", "inspections", "work_items"):
        op = _insert(desk, table, rows[table], op)
    markets = 8
    for period in periods[::3]:
        conn.execute("INSERT INTO manual_cells (unit_code, indicator_id, period, value, entered_by, entered_at) "
                     "VALUES (?, 'A.key_markets', ?, ?, ?, ?)", [unit_code, period.code, markets, user,
                                                                 period.start.isoformat()])
        markets += rng.choice((0, 0, 1))
    conn.execute("COMMIT")
    written = time.perf_counter()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.execute("ANALYZE")
    desk.close()
    counts = {t: len(r) for t, r in rows.items()}
    log(f"generated {path.name}: {counts['cases']:,} cases, {counts['inspections']:,} inspections, "
        f"{counts['work_items']:,} work items in {time.perf_counter() - started:.1f} s "
        f"(make {made - started:.1f} s, type/check {typed - made:.1f} s, insert {written - typed:.1f} s), "
        f"{path.stat().st_size / 1e6:.0f} MB")
    return {"counts": counts, "seconds": time.perf_counter() - started, "bytes": path.stat().st_size}


import os  # noqa: E402

CACHE = Path(os.environ.get("IPDESK_BENCH_CACHE") or Path(__file__).resolve().parent / ".cache")
GENERATOR_VERSION = 1  # bump when the generated content changes, so caches are rebuilt


def city_db(scale: Scale, *, rebuild: bool = False, log=print) -> Path:
    """The cached database for ``scale`` (generated on first use)."""
    path = CACHE / f"city-{scale.name}-v{GENERATOR_VERSION}.db"
    if rebuild or not path.exists():
        tmp = path.with_name(path.stem + ".partial.db")
        generate(tmp, scale, log=log)
        tmp.replace(path)
    return path


def open_city(path: Path) -> Desk:
    desk = Desk.open(path, today=lambda: TODAY)
    desk.user = desk.office.users()[0]["name"]
    return desk


def one_month(path: Path) -> Period:
    return Period(TODAY.year, TODAY.month - 1, MONTH)
