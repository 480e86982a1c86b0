"""Named operations: one transaction, every row change logged (who, when, old → new), undoable."""
from __future__ import annotations

import json
from contextlib import contextmanager
from datetime import datetime

from ..errors import IpdeskError
from .connection import Database, transaction

UNDOABLE_TABLES = ("cases", "case_adjustments", "inspections", "work_items", "manual_cells", "explanations")


# The change marker the newest backup of this file holds, in settings; written by db.backup with each backup
# (bookkeeping like SQLite's own statistics: not an audited change, so it does not move the marker).
BACKED_UP_MARKER = "backup_marker"


def change_marker(db: Database) -> int:
    """Grows with every audited change (every write through the desk is audited)."""
    return db.execute("SELECT COALESCE(MAX(id), 0) FROM audit_log").fetchone()[0]


def data_changed_since(db: Database, marker: int) -> bool:
    """Whether anything but a logged refusal (a package refused as a whole) was written after ``marker``."""
    return db.execute("SELECT 1 FROM audit_log WHERE id > ? AND action <> 'refuse' LIMIT 1",
                      [marker]).fetchone() is not None


def unchanged_since_backup(db: Database) -> bool:
    """Whether the newest backup made from this file holds its latest change (False when unknown): at close,
    two reads instead of listing the backup folder and opening its newest file."""
    row = db.execute("SELECT value FROM settings WHERE key = ?", [BACKED_UP_MARKER]).fetchone()
    return row is not None and row[0] == str(change_marker(db))


def now_text() -> str:
    return datetime.now().isoformat(timespec="seconds")


def _json(value) -> str | None:
    return None if value is None else json.dumps(redact(value), ensure_ascii=False, sort_keys=True, default=str)


def redact(value):
    """Password hashes (and anything named like a password) never reach the log."""
    if isinstance(value, dict):
        return {k: ("（已隐藏）" if "password" in str(k).lower() and v is not None else redact(v))
                for k, v in value.items()}
    return value


class Operation:
    """Row writes inside one named, audited transaction (see :func:`operation`)."""

    def __init__(self, db: Database, user: str | None, label: str, op_id: int):
        self.db, self.user, self.label, self.op_id = db, user, label, op_id
        self.tables: set[str] = set()

    def log(self, action: str, table: str | None = None, record_id=None, old=None, new=None) -> None:
        self.db.execute(
            "INSERT INTO audit_log (at, user_name, op_id, op_label, action, table_name, record_id, old_json, new_json)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [now_text(), self.user, self.op_id, self.label, action, table,
             None if record_id is None else str(record_id), _json(old), _json(new)])
        if table:
            self.tables.add(table)

    def insert(self, table: str, row: dict) -> int:
        """A new row under an id never given before (or, undoing a delete, under its own old id)."""
        row = {**row, "id": row["id"]} if "id" in row else {"id": next_ids(self.db, table), **row}
        claim_ids(self.db, table, int(row["id"]))
        cols = list(row)
        cur = self.db.execute(
            f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
            [row[c] for c in cols])
        rid = cur.lastrowid
        self.log("insert", table, rid, None, fetch_row(self.db, table, rid))
        return rid

    def update(self, table: str, rid: int, changes: dict) -> dict:
        old = fetch_row(self.db, table, rid)
        if old is None:
            raise IpdeskError(f"记录不存在（{table} #{rid}）", f"no such record: {table} #{rid}")
        changed = {k: v for k, v in changes.items() if old.get(k) != v}
        if changed:
            sets = ", ".join(f"{c} = ?" for c in changed)
            self.db.execute(f"UPDATE {table} SET {sets} WHERE id = ?", [*changed.values(), rid])
            self.log("update", table, rid, {k: old[k] for k in changed}, changed)
        return old

    def delete(self, table: str, rid: int) -> dict:
        old = fetch_row(self.db, table, rid)
        if old is None:
            raise IpdeskError(f"记录不存在（{table} #{rid}）", f"no such record: {table} #{rid}")
        self._release_dependents(table, old)
        self.db.execute(f"DELETE FROM {table} WHERE id = ?", [rid])
        self.log("delete", table, rid, old, None)
        return old


    def _release_dependents(self, table: str, row: dict) -> None:
        """What the foreign keys' ON DELETE would do to the rows pointing at ``row``, done as logged writes, so
        that undoing the delete restores them too: a case's 中止/延期 (CASCADE) and the link from the inspection
        it was filed from (SET NULL) would otherwise be lost silently."""
        for child, column, parent_column, action in _dependents(self.db, table):
            ids = [r[0] for r in self.db.execute(f"SELECT id FROM {child} WHERE {column} = ?", [row[parent_column]])]
            for child_id in ids:
                if action == "CASCADE":
                    self.delete(child, child_id)
                else:
                    self.update(child, child_id, {column: None})


def _dependents(db: Database, table: str) -> list[tuple[str, str, str, str]]:
    """(child table, its column, the parent's column, CASCADE or SET NULL) for each foreign key to ``table``."""
    tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
    return [(child, fk[3], fk[4] or "id", fk[6]) for child in tables
            for fk in db.execute(f"PRAGMA foreign_key_list({child})") if fk[2] == table and fk[6] in ("CASCADE", "SET NULL")]


def next_ids(db: Database, table: str) -> int:
    """The first of the ids never given in ``table``: above both its rows and every id it ever had."""
    row = db.execute("SELECT last_id FROM id_counters WHERE table_name = ?", [table]).fetchone()
    highest = db.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}").fetchone()[0]
    return max(highest, row[0] if row else 0) + 1


def claim_ids(db: Database, table: str, last: int) -> None:
    """Ids up to ``last`` are given: never hand them out again (inside the caller's transaction)."""
    db.execute("INSERT INTO id_counters (table_name, last_id) VALUES (?, ?) ON CONFLICT (table_name) "
               "DO UPDATE SET last_id = max(last_id, excluded.last_id)", [table, last])


def fetch_row(db: Database, table: str, rid) -> dict | None:
    cur = db.execute(f"SELECT * FROM {table} WHERE id = ?", [rid])
    row = cur.fetchone()
    if row is None:
        return None
    return dict(zip([d[0] for d in cur.description], row))


@contextmanager
def operation(db: Database, user: str | None, label: str):
    """A named step: ``with operation(db, user, '修改案件 X') as op: op.update(...)``."""
    with transaction(db):
        op_id = db.execute("SELECT COALESCE(MAX(op_id), 0) + 1 FROM audit_log").fetchone()[0]
        yield Operation(db, user, label, op_id)


def last_undoable(db: Database, user: str | None) -> tuple[int, str] | None:
    """The newest operation of ``user`` that changed undoable rows and is not undone."""
    marks = ",".join("?" * len(UNDOABLE_TABLES))
    row = db.execute(
        f"SELECT op_id, op_label FROM audit_log WHERE undone = 0 AND user_name IS ? AND table_name IN ({marks}) "
        "AND action IN ('insert','update','delete') ORDER BY op_id DESC LIMIT 1",
        [user, *UNDOABLE_TABLES]).fetchone()
    return (row[0], row[1]) if row else None


def undoable_steps(db: Database, user: str | None, limit: int) -> list[tuple[int, str]]:
    """The newest ``limit`` operations of ``user`` that changed undoable rows and are not undone, newest first."""
    marks = ",".join("?" * len(UNDOABLE_TABLES))
    return [(r[0], r[1]) for r in db.execute(
        f"SELECT op_id, MAX(op_label) FROM audit_log WHERE undone = 0 AND user_name IS ? AND table_name IN ({marks}) "
        "AND action IN ('insert','update','delete') GROUP BY op_id ORDER BY op_id DESC LIMIT ?",
        [user, *UNDOABLE_TABLES, limit])]


def _undo_steps(db: Database, op_id: int):
    """(action, table, record id, old values, the row as it is, the row as undoing leaves it) of each row
    change of ``op_id``, newest first."""
    entries = db.execute(
        "SELECT id, action, table_name, record_id, old_json FROM audit_log "
        "WHERE op_id = ? AND action IN ('insert','update','delete') ORDER BY id DESC", [op_id]).fetchall()
    for entry_id, action, table, rid, old_json in entries:
        _refuse_if_changed_since(db, op_id, entry_id, table, rid)
        old = json.loads(old_json) if old_json else None
        # The whole row as it is and as this step leaves it: an update's log holds only the columns it
        # changed, so an edited fine or title carries none of the dates that place it in a month.
        current = fetch_row(db, table, rid) if action != "delete" else None
        if action == "update":
            after = {**current, **old} if current else old
        else:
            after = old  # a delete undone puts back the whole old row; an insert undone leaves none
        yield action, table, rid, old, current, after


def _refuse_if_changed_since(db: Database, op_id: int, entry_id: int, table: str, rid) -> None:
    """Undo puts a row back as the operation found it, so the row must still be as the operation left it: a
    later change by anyone (another user at the shared PC) would be silently thrown away."""
    later = db.execute(
        "SELECT user_name, at, op_label FROM audit_log WHERE id > ? AND op_id <> ? AND table_name = ? "
        "AND record_id = ? AND undone = 0 AND action IN ('insert','update','delete') ORDER BY id DESC LIMIT 1",
        [entry_id, op_id, table, str(rid)]).fetchone()
    if later:
        who, at, label = later
        raise IpdeskError(f"无法撤销：该记录此后已被{who or '（未知用户）'}于 {at.replace('T', ' ')} 修改（{label}），"
                          "撤销会丢失那次修改", f"cannot undo: the row was changed later by {who} at {at}")


def check_undo(db: Database, op_id: int, guard) -> None:
    """Raise what ``guard(table, before, after)`` raises for any row undoing ``op_id`` would change (nothing
    is written): the 撤销 action is offered only when it can succeed."""
    for _action, table, _rid, _old, current, after in _undo_steps(db, op_id):
        guard(table, current, after)


def undo(db: Database, user: str | None, op_id: int, label: str, guard=None) -> set[str]:
    """Revert every row change of ``op_id`` in reverse order, as a new logged operation.

    ``guard(table, before, after)`` (whole rows, None for none) may raise to refuse (e.g. the row feeds an
    approved period).
    Returns the tables touched.
    """
    with operation(db, user, f"撤销 {label}") as op:
        for action, table, rid, old, current, after in list(_undo_steps(db, op_id)):
            if guard:
                guard(table, current, after)
            if action == "insert":
                if fetch_row(db, table, rid) is not None:
                    op.delete(table, int(rid))
            elif action == "update":
                op.update(table, int(rid), old)
            elif action == "delete":
                op.insert(table, old)
        # The undo step itself is not undoable again (no redo): both are marked.
        db.execute("UPDATE audit_log SET undone = 1 WHERE op_id IN (?, ?)", [op_id, op.op_id])
        return op.tables


def log_inserts(db: Database, at: str, user: str | None, op_id, label: str, table: str,
                rows: list[tuple[int, dict]]) -> None:
    """The log rows of a bulk insert made outside :class:`Operation`'s per-row helpers: (id, new row) each."""
    db.conn.executemany(
        "INSERT INTO audit_log (at, user_name, op_id, op_label, action, table_name, record_id, new_json) "
        "VALUES (?, ?, ?, ?, 'insert', ?, ?, ?)",
        [(at, user, op_id, label, table, str(rid), json.dumps(new, ensure_ascii=False, default=str))
         for rid, new in rows])
