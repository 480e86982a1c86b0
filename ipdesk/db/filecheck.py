"""Is a file a whole ipdesk database? From its header and schema alone, before anything opens it for writing
(an empty, truncated or foreign file is refused as damaged, never initialised: see :mod:`.identity`)."""
from __future__ import annotations

import sqlite3
import struct
from pathlib import Path

from .schema import STEPS

_SQLITE_MAGIC = b"SQLite format 3\x00"


def header_problems(path: str | Path) -> list[str]:
    """What makes ``path`` not a whole SQLite file, from its 100-byte header alone; empty when it looks whole.

    Catches a 0-byte file, a file that is not SQLite, and a file shorter than the page count its header
    declares (truncated). SQLite itself opens a 0-byte file as an empty, valid database.
    """
    path = Path(path)
    try:
        size = path.stat().st_size
        with open(path, "rb") as fh:
            header = fh.read(100)
    except OSError as exc:
        return [f"无法读取文件（{exc.strerror or exc}）"]
    if size == 0:
        return ["文件为空（0 字节），可能是复制失败或同步软件留下的空文件"]
    if len(header) < 100 or not header.startswith(_SQLITE_MAGIC):
        return ["不是 SQLite 数据库文件（文件头不符）"]
    page_size = struct.unpack(">H", header[16:18])[0]
    page_size = 65536 if page_size == 1 else page_size
    change_counter, page_count, valid_for = (struct.unpack(">I", header[o:o + 4])[0] for o in (24, 28, 92))
    # The header's page count is valid only when its version-valid-for number matches the change counter
    # (SQLite file format, §1.3.7); with WAL the main file is never shorter than its last checkpoint.
    wal = Path(f"{path}-wal")
    # A checkpoint killed half-way leaves the file shorter than its header says while its WAL still holds the
    # pages: SQLite completes it at the next open, so that is not truncation (found by the kill test).
    replayable = wal.exists() and wal.stat().st_size > 0
    if page_count and change_counter == valid_for and size < page_count * page_size and not replayable:
        return [f"文件不完整（应有 {page_count * page_size} 字节，实有 {size} 字节），可能复制中断"]
    return []


def identity_problems(conn: sqlite3.Connection) -> list[str]:
    """Is this SQLite file an ipdesk database? Empty when it is (schema version ≥ 1 with its settings table)."""
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    except sqlite3.DatabaseError as exc:
        return [str(exc)]

    if version > len(STEPS):
        return []  # a newer ipdesk's file: refused by the migration with its own message
    if version < 1 or not {"settings", "units"} <= tables:
        return ["不是 ipdesk 数据库文件（缺少本程序的数据结构），可能是其他程序的文件或空白数据库"]
    return []
