"""Bring a file to the current schema: one numbered step at a time, each in an exclusive transaction."""
from __future__ import annotations

from typing import Callable

from ..errors import IpdeskError
from .schema import STEPS
from .connection import Database, connect, plain_write_error
from .identity import record_path

SCHEMA_VERSION = len(STEPS)


def schema_version(db: Database) -> int:
    return db.execute("PRAGMA user_version").fetchone()[0]


def migrate(db: Database, *, before: Callable[[int], object] | None = None) -> int:
    """Run the missing steps; ``before(version)`` is called once first (the pre-migration backup).

    Refuses a file written by a newer ipdesk. Returns the number of steps run.
    """
    version = schema_version(db)
    if version > SCHEMA_VERSION:
        raise IpdeskError(
            f"此数据库由更新版本的 ipdesk 创建（结构版本 {version}，本程序支持 {SCHEMA_VERSION}），请升级程序后再打开",
            f"database schema {version} is newer than this program supports ({SCHEMA_VERSION})",
        )
    if version == SCHEMA_VERSION:
        return 0
    db.require_sound()  # a deferred integrity check must pass before the first step writes
    if before is not None and version > 0:
        before(version)
    conn = db.conn
    for number in range(version, SCHEMA_VERSION):
        conn.execute("BEGIN EXCLUSIVE")
        try:
            for statement in STEPS[number]:
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {number + 1}")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
    return SCHEMA_VERSION - version


def create_database(path) -> None:
    """A new, empty office file at ``path``: built beside it and moved into place whole, so that a file of ours
    is never left empty or half-made (an empty file is refused as damaged, never taken for a new office)."""
    import os
    from pathlib import Path

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".new-{os.getpid()}-{path.name}")
    for leftover in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
        leftover.unlink(missing_ok=True)
    db = None
    try:
        db = connect(tmp)
        migrate(db)
        record_path(db.conn, path)
        db.execute("PRAGMA journal_mode = DELETE")  # one self-contained file to move
    except BaseException as exc:
        if db is not None:
            db.conn.close()
        for leftover in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm"), Path(f"{tmp}-journal")):
            leftover.unlink(missing_ok=True)  # a full disk leaves no half-made file behind
        plain = plain_write_error(exc.__cause__ or exc if isinstance(exc, IpdeskError) else exc, path)  # named as ours
        if plain is not None:
            raise plain from exc
        raise
    else:
        db.conn.close()
    try:
        if path.exists():
            raise IpdeskError(f"数据库文件已存在：{path}", f"database already exists: {path}")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
