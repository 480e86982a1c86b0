"""Which office file this is: refusing a file that is not one, and telling copies apart.

An office's database is its only record, so a file is never silently taken for a new office: an empty (0-byte),
truncated or foreign file is refused as damaged before anything writes to it — a failed copy or a sync tool
leaves exactly such files. A new database is built beside its final name and moved into place whole, so a
file of ours is never empty.

Every database carries a file identity (``settings.file_uuid``, schema step 9) and the path it was last opened
at (``settings.file_path``). Backups are named with the identity, and the backup list, thinning and
``restore --latest`` match on it, so a training copy sharing a backup folder never restores into the real file.
A file found at a new path while a file with the same identity still sits at the old one is a copy: it gets
an identity of its own (logged). A file whose old path is gone was moved, and keeps its identity.
"""
from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

from ..errors import IpdeskError
from ..outputs import replace_output
from . import audit

FILE_UUID = "file_uuid"
FILE_PATH = "file_path"


def read_identity(path: str | Path) -> str | None:
    """The file identity of a database or backup, read-only; None when unreadable or absent."""
    try:
        conn = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
        try:
            row = conn.execute("SELECT value FROM settings WHERE key = ?", [FILE_UUID]).fetchone()
        finally:
            conn.close()
        value = json.loads(row[0]) if row else None
    except (sqlite3.Error, ValueError, TypeError):
        return None
    return value if isinstance(value, str) and value else None


def short_id(file_uuid: str | None) -> str:
    """The eight characters of the identity that backup names carry ("" when unknown)."""
    return (file_uuid or "").replace("-", "")[:8].lower()


def record_path(conn: sqlite3.Connection, path: str | Path) -> None:
    """Note in a database being built (not yet audited) the path it will live at."""
    conn.execute("INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)",
                 [FILE_PATH, json.dumps(str(Path(path).resolve()), ensure_ascii=False)])


def _setting(conn: sqlite3.Connection, key: str):
    row = conn.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
    try:
        return json.loads(row[0]) if row else None
    except ValueError:
        return None


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def settle_identity(db, path: str | Path) -> str | None:
    """Record where this file is; a copy of a file that still exists gets an identity of its own.

    ``db`` is an open :class:`ipdesk.db.connection.Database`. Returns the new identity when one was given,
    else None. Writes (one audited operation) only when the path changed, which is rare: a moved file, a copy,
    a backup opened where it lies.
    """
    path = Path(path).resolve()
    conn = db.conn
    current, recorded = _setting(conn, FILE_UUID), _setting(conn, FILE_PATH)
    if recorded == str(path) and current:
        return None
    # Imported here: not loaded before the main window shows (cold start; uuid brings platform, ~4 ms).
    import uuid

    renewed = None
    if not current:
        renewed = uuid.uuid4().hex
    elif recorded and Path(recorded) != path and Path(recorded).exists() and not _same_file(Path(recorded), path):
        if read_identity(recorded) == current:
            renewed = uuid.uuid4().hex  # the original is still there: this file is a copy of it
    label = "数据库文件为副本，已给予新的文件标识" if renewed and current else "记录数据库文件位置"
    with audit.operation(db, None, label) as op:
        conn.execute("INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)",
                     [FILE_PATH, json.dumps(str(path), ensure_ascii=False)])
        if renewed:
            conn.execute("INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)", [FILE_UUID, json.dumps(renewed)])
        op.log("update", "settings", FILE_PATH, {"path": recorded, "file_uuid": current},
               {"path": str(path), "file_uuid": renewed or current})
    return renewed


# ---- output paths that would overwrite the record ----------------------------------------------------
# The open databases of this process (path → its backup folder). Every file writer asks
# refuse_protected_output first: `export-package --out office.db` replaced the open database and reported
# success.
_PROTECTED: dict[Path, Path | None] = {}
_SIDE_FILES = ("", "-wal", "-shm", "-journal")


def protect(db_path: str | Path, backup_folder: str | Path | None) -> None:
    _PROTECTED[Path(db_path).resolve()] = Path(backup_folder).resolve() if backup_folder else None


def unprotect(db_path: str | Path) -> None:
    _PROTECTED.pop(Path(db_path).resolve(), None)


def write_replacing(out: str | Path, write, *, suffix: str = ".part") -> Path:
    """``write(temporary)`` beside ``out``, then the temporary replaces it: ``out`` is never half-written, and
    a write that fails (a full disk, a refused export) leaves no temporary behind. Protected paths refused."""
    refuse_protected_output(out)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + suffix)
    try:
        write(tmp)
        replace_output(tmp, out)
    except BaseException:
        try:
            tmp.unlink(missing_ok=True)
        except OSError:
            pass  # the error that brought us here is the one to report
        raise
    return out


def refuse_protected_output(out: str | Path) -> None:
    """Raise IpdeskError when ``out`` is an open database, its -wal/-shm/-journal, a backup or the backup
    folder itself; nothing has been written then."""
    target = Path(out).resolve()
    for db, folder in _PROTECTED.items():
        own = {Path(f"{db}{suffix}") for suffix in _SIDE_FILES}
        if target in own or (target.exists() and any(p.exists() and _same_file(p, target) for p in own)):
            raise IpdeskError(f"不能把输出文件保存为正在使用的数据库文件（{target.name}），否则会覆盖全部记录；"
                              "请另选文件名", f"refusing to overwrite the open database with {target}")
        if folder is not None and (target == folder or target.parent == folder and target.suffix.lower() == ".db"):
            raise IpdeskError(f"不能把输出文件保存到备份文件夹中的数据库备份（{target.name}）；请另选位置",
                              f"refusing to write over a backup: {target}")


def remove_leftovers(db_path: str | Path, backup_folder: str | Path | None, *, older_than_s: float = 3600) -> list[Path]:
    """Temporary files an interrupted run left beside the database (a new file being built, a restore being
    copied in) and in its backup folder (a backup being verified): gone at the next open. Only files older than
    an hour, so another program's copy in progress is never touched."""
    import time

    db_path = Path(db_path)
    patterns = [(db_path.parent, f".new-*-{db_path.name}*"), (db_path.parent, f".restore-*-{db_path.name}*")]
    if backup_folder:
        patterns.append((Path(backup_folder), ".tmp-*"))
    removed = []
    for folder, pattern in patterns:
        try:
            candidates = list(folder.glob(pattern))
        except OSError:
            continue
        for leftover in candidates:
            try:
                if time.time() - leftover.stat().st_mtime > older_than_s:
                    leftover.unlink()
                    removed.append(leftover)
            except OSError:
                pass
    return removed
