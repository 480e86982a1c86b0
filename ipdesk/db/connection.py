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
