"""Opening the office's SQLite file: pragmas, explicit transactions, the default location."""
from __future__ import annotations

import sqlite3
from contextlib import contextmanager
from pathlib import Path

from ..errors import IpdeskError

APP_NAME = "ipdesk"


class Database:
    """The open file: ``execute`` and the raw ``conn`` — all the services use.

    (Formerly ``sqlite_utils.Database``; importing sqlite-utils, which pulls in numpy, pluggy and
    entry-point scanning when installed, took ~0.5 s of every start.)
    """

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    def execute(self, sql: str, parameters=None) -> sqlite3.Cursor:
        return self.conn.execute(sql) if parameters is None else self.conn.execute(sql, parameters)


def default_db_path() -> Path:
    """``%LOCALAPPDATA%\\ipdesk\\ipdesk.db`` on Windows, ``~/.local/share/ipdesk/ipdesk.db`` on Linux."""
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "ipdesk.db"


def connect(path: str | Path, *, readonly: bool = False) -> Database:
    """A connection in autocommit mode; writes go through :func:`transaction`."""
    path = Path(path)
    if not readonly:
        path.parent.mkdir(parents=True, exist_ok=True)
    try:
        if readonly:
            conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True,
                                   isolation_level=None, check_same_thread=False)
        else:
            conn = sqlite3.connect(str(path), isolation_level=None, timeout=5.0, check_same_thread=False)
        conn.execute("PRAGMA foreign_keys = ON")
        if not readonly:
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
    except sqlite3.DatabaseError as exc:
        raise IpdeskError(f"无法打开数据库文件 {path}：{exc}", f"cannot open database {path}: {exc}") from exc
    return Database(conn)


def integrity_problems(path: str | Path, *, quick: bool = False) -> list[str]:
    """SQLite's own verdict on the file (``quick_check`` or ``integrity_check``), read-only; empty when sound."""
    path = Path(path)
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            pragma = "quick_check" if quick else "integrity_check"
            rows = [r[0] for r in conn.execute(f"PRAGMA {pragma}").fetchall()]
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        return [str(exc)]
    return [] if rows == ["ok"] else rows


# quick_check reads every page: ~0.6 s for a 200 MB file with a warm cache. Below this size it always runs at
# open (≤ ~50 ms); above it, only after an unclean close (a -wal file left behind), else the GUI runs it in the
# background after the window shows (``Desk.integrity_deferred``).
QUICK_CHECK_AT_OPEN_MAX_BYTES = 16 * 1024 * 1024


def check_before_open(path: str | Path) -> bool:
    """Refuse to open a damaged, foreign or busy file for writing (read-only checks).

    Returns True when the full ``quick_check`` was deferred (large file, last close was clean).
    """
    path = Path(path)
    if not path.exists() or path.stat().st_size == 0:
        return False
    unclean = Path(str(path) + "-wal").exists()
    deferred = path.stat().st_size > QUICK_CHECK_AT_OPEN_MAX_BYTES and not unclean
    problems = _header_problems(path) or ([] if deferred else integrity_problems(path, quick=True))
    if problems:
        raise_for_problems(path, problems)
    return deferred


def _header_problems(path: Path) -> list[str]:
    """Cheap: is it SQLite at all, and is its schema readable?"""
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            conn.execute("PRAGMA user_version").fetchone()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        return [str(exc)]
    return []


def raise_for_problems(path: Path, problems: list[str]) -> None:
    from ..errors import DatabaseDamaged, DatabaseInUse

    first = problems[0]
    if "locked" in first or "busy" in first:
        raise DatabaseInUse(path)
    if "unable to open" in first:
        raise IpdeskError(f"无法打开数据库文件 {path}：{first}", f"cannot open database {path}: {first}")
    raise DatabaseDamaged(path, problems)


@contextmanager
def transaction(db: Database):
    """BEGIN IMMEDIATE … COMMIT, rolled back on any exception; nests as a no-op."""
    conn = db.conn
    if conn.in_transaction:
        yield db
        return
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            raise IpdeskError("数据库正被另一个程序使用，请稍后再试", "database is busy (used by another process)") from exc
        raise
    try:
        yield db
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    else:
        conn.execute("COMMIT")
