"""Substring search over the case ledger's text columns, from an in-memory copy of those columns.

``LIKE '%…%'`` over four columns of 100k cases costs 100–300 ms on an office PC: every row is
read and matched four times. An FTS5 trigram index cannot answer 1–2 character queries (and
SQLite 3.40.1 returns nothing for them, TOOLCHAIN.md). Instead the four columns of one unit's
cases are joined into one lower-cased string kept beside the connection; a search is then one
``str.find`` loop in C (a few ms) and yields the matching ids. The copy is rebuilt when anything
was written since (this connection's ``total_changes`` or another's ``PRAGMA data_version``).

Matches are the same as ``name LIKE %t% OR party_name LIKE … OR case_no LIKE … OR right_holder LIKE …``
(ASCII case-insensitive, like LIKE).
"""
from __future__ import annotations

import threading
from bisect import bisect_right

from .connection import Database

TEXT_COLUMNS = ("name", "party_name", "case_no", "right_holder")
_FIELD_SEP, _RECORD_SEP = "\x1f", "\x1e"


def normalize_term(text: str) -> str:
    """The search term as matched: trimmed, lower-cased (ASCII), without separators or LIKE wildcards."""
    cleaned = "".join(ch for ch in text.strip() if ch not in (_FIELD_SEP, _RECORD_SEP, "%", "_"))
    return _ascii_lower(cleaned)


def _ascii_lower(text: str) -> str:
    # LIKE folds ASCII only; str.lower() would also fold e.g. 'Σ', so keep to ASCII for equal results.
    return text.lower() if text.isascii() else text.translate(_ASCII_LOWER)


_ASCII_LOWER = {c: c + 32 for c in range(ord("A"), ord("Z") + 1)}


class CaseTextIndex:
    """One unit's case texts as one string; ``ids(term)`` lists the cases containing ``term``."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._key: tuple | None = None
        self._text = ""
        self._starts: list[int] = []
        self._ids: list[int] = []
        self._last: tuple[str, list[int]] | None = None

    def _fresh_key(self, db: Database, unit_code: str) -> tuple:
        return (unit_code, db.conn.total_changes, db.execute("PRAGMA data_version").fetchone()[0])

    def _rebuild(self, db: Database, unit_code: str) -> None:
        # In the ledger's default order (records.RECENT, newest first): a plain search needs no sort.
        rows = db.execute(f"SELECT id, {', '.join(TEXT_COLUMNS)} FROM cases WHERE unit_code = ? "
                          "ORDER BY COALESCE(filed_date, lead_date) DESC, id DESC", [unit_code]).fetchall()
        parts, starts, pos = [], [], 0
        for row in rows:
            record = _FIELD_SEP.join(value or "" for value in row[1:]) + _RECORD_SEP
            starts.append(pos)
            parts.append(record)
            pos += len(record)
        self._text = _ascii_lower("".join(parts))
        self._starts = starts
        self._ids = [row[0] for row in rows]

    def ids(self, db: Database, unit_code: str, term: str) -> list[int]:
        """Ids of the unit's cases whose text columns contain ``term``, in the ledger's default order
        (``COALESCE(filed_date, lead_date) DESC, id DESC``)."""
        needle = normalize_term(term)
        with self._lock:
            key = self._fresh_key(db, unit_code)
            if key != self._key:
                self._rebuild(db, unit_code)
                self._key = self._fresh_key(db, unit_code)
                self._last = None
            if self._last and self._last[0] == needle:  # the ledger counts, then reads a page: one search
                return list(self._last[1])
            text, starts, ids = self._text, self._starts, self._ids
        found = self._find(needle, text, starts, ids)
        with self._lock:
            if self._key == key:
                self._last = (needle, found)
        return list(found)

    @staticmethod
    def _find(needle: str, text: str, starts: list[int], ids: list[int]) -> list[int]:
        if not needle:
            return list(ids)
        found: list[int] = []
        find, at = text.find, 0
        last = -1
        while True:
            at = find(needle, at)
            if at < 0:
                return found
            n = bisect_right(starts, at) - 1
            if n != last:
                found.append(ids[n])
                last = n
            at = starts[n + 1] if n + 1 < len(starts) else len(text)  # next record


def index_for(db: Database) -> CaseTextIndex:
    """The index kept with this open database (one per connection)."""
    index = getattr(db, "_case_text_index", None)
    if index is None:
        index = CaseTextIndex()
        setattr(db, "_case_text_index", index)  # noqa: B010  (kept with its connection)
    return index
