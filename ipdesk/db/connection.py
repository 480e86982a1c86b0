"""Opening the office's SQLite file: pragmas, explicit transactions, the default location."""
from __future__ import annotations

import errno
import os
import sqlite3
import threading
from contextlib import contextmanager
from pathlib import Path

from ..errors import DatabaseDamaged, DatabaseInUse, DiskFull, IpdeskError, ReadOnlyDatabase
from .filecheck import header_problems, identity_problems

APP_NAME = "ipdesk"


class Database:
    """The open file: ``execute`` and the raw ``conn`` — all the services use.

    (Formerly ``sqlite_utils.Database``; importing sqlite-utils, which pulls in numpy, pluggy and
    entry-point scanning when installed, took ~0.5 s of every start.)
    """

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn
        # Set when the file's quick_check was deferred at open: every write waits for its verdict.
        self.gate: IntegrityGate | None = None

    def execute(self, sql: str, parameters=None) -> sqlite3.Cursor:
        return self.conn.execute(sql) if parameters is None else self.conn.execute(sql, parameters)

    def require_sound(self) -> None:
        """Before any write: wait for a deferred integrity check; DatabaseDamaged if it found damage."""
        if self.gate is not None:
            self.gate.require_sound()

    @property
    def known_sound(self) -> bool:
        """True unless a deferred integrity check is still running or found damage."""
        return self.gate is None or self.gate.sound is True


class LazyDatabase(Database):
    """A Database whose connection opens at its first use (``opener()`` returns it): a background read
    holds a connection only once it actually queries."""

    def __init__(self, opener):
        self._opener = opener
        self.opened: sqlite3.Connection | None = None
        self.gate = None

    @property
    def conn(self) -> sqlite3.Connection:  # type: ignore[override]  # read-only here: opened on first use
        if self.opened is None:
            self.opened = self._opener()
        return self.opened


def default_db_path() -> Path:
    """``%LOCALAPPDATA%\\ipdesk\\ipdesk.db`` on Windows, ``~/.local/share/ipdesk/ipdesk.db`` on Linux."""
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "ipdesk.db"


def connect(path: str | Path, *, readonly: bool = False) -> Database:
    """A connection in autocommit mode; writes go through :func:`transaction`."""
    path = Path(path)
    if not readonly:
        path.parent.mkdir(parents=True, exist_ok=True)
    conn = None
    try:
        if readonly:
            conn = sqlite3.connect(read_only_uri(path), uri=True, isolation_level=None, check_same_thread=False)
        else:
            conn = sqlite3.connect(str(path), isolation_level=None, timeout=5.0, check_same_thread=False)
        conn.execute("PRAGMA foreign_keys = ON")
        if not readonly:
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
    except sqlite3.DatabaseError as exc:
        if conn is not None:
            conn.close()
        plain = plain_write_error(exc, path)
        if plain is not None:
            raise plain from exc
        raise IpdeskError(f"无法打开数据库文件 {path}：{exc}", f"cannot open database {path}: {exc}") from exc
    return Database(conn)


def write_refusal(path: str | Path) -> str | None:
    """Why this database (or the new one at ``path``) cannot be written — a read-only file, a folder without
    write permission or on a read-only disk — or None. SQLite needs to write the file and, in WAL mode, to
    create its -wal/-shm beside it; without that every open failed as 'unable to open database file' and was
    reported as a damaged file."""
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    if folder.exists() and not os.access(folder, os.W_OK | os.X_OK):
        return "所在文件夹没有写入权限或位于只读磁盘"
    if path.exists() and not os.access(path, os.W_OK):
        return "文件只读"
    return None


def refuse_read_only(path: str | Path) -> None:
    why = write_refusal(path)
    if why:
        raise ReadOnlyDatabase(Path(path), why, new=not Path(path).exists())


def read_only_uri(path: str | Path) -> str:
    """The URI to read the file without writing anything: on a read-only location ``immutable`` too (SQLite
    cannot make a WAL file's -shm there; nobody can change the file meanwhile)."""
    path = Path(path)
    uri = f"{path.resolve().as_uri()}?mode=ro"
    return uri + "&immutable=1" if write_refusal(path) else uri


def plain_write_error(exc: BaseException, path: str | Path | None = None) -> IpdeskError | None:
    """The user's words for a write the disk refused — full, or read-only — or None for any other error."""
    code = getattr(exc, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    os_errno = exc.errno if isinstance(exc, OSError) else None
    where = str(path) if path else ""
    if not where and isinstance(exc, OSError) and exc.filename:
        where = str(Path(exc.filename).parent)  # the folder: the file named may be a temporary
    if primary == 13 or os_errno in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)):  # SQLITE_FULL
        return DiskFull(where)
    if primary == 8:  # SQLITE_READONLY
        return ReadOnlyDatabase(where or "数据库文件", "文件只读或没有写入权限")
    if os_errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return IpdeskError(f"无法写入{('：' + where) if where else ''}（没有写入权限，或文件夹、磁盘只读），未写入任何内容。"
                           "请选择其他文件夹", f"cannot write{(' ' + where) if where else ''}: permission denied or read-only")
    return None


def _db_file(conn: sqlite3.Connection) -> str:
    try:
        return next((r[2] for r in conn.execute("PRAGMA database_list") if r[1] == "main"), "")
    except sqlite3.Error:
        return ""


def integrity_problems(path: str | Path, *, quick: bool = False) -> list[str]:
    """Is this a whole ipdesk database? Its header (empty, truncated, not SQLite), SQLite's own verdict
    (``quick_check`` or ``integrity_check``) and its schema (a foreign or blank SQLite file), read-only; empty
    when sound."""
    path = Path(path)
    problems = header_problems(path)
    if problems:
        return problems
    try:
        conn = sqlite3.connect(read_only_uri(path), uri=True)
        try:
            pragma = "quick_check" if quick else "integrity_check"
            rows = [r[0] for r in conn.execute(f"PRAGMA {pragma}").fetchall()]
            if rows == ["ok"]:
                return identity_problems(conn)
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        return [str(exc)]
    return rows


# quick_check reads every page: ~0.6 s for a 200 MB file with a warm cache (0.9 s for the 472 MB bench city).
# Below this size it always runs at open (≤ ~50 ms); above it, only after an unclean close (a -wal file left
# behind), else it runs on its own thread while the program starts (:class:`IntegrityGate`) and writes wait
# for its verdict.
QUICK_CHECK_AT_OPEN_MAX_BYTES = 16 * 1024 * 1024


class IntegrityGate:
    """A deferred ``PRAGMA quick_check`` on its own thread and read-only connection.

    Why deferring is still safe: the check only reads, and nothing writes to the file before its verdict —
    :func:`transaction` (every audited write), :func:`ipdesk.db.migrations.migrate` and ``PRAGMA optimize``
    at close all call :meth:`require_sound` or skip while ``sound`` is not True. A damaged file therefore
    raises :class:`ipdesk.errors.DatabaseDamaged` at its first write instead of at open; reading it
    meanwhile is what the user would have seen before the check anyway. ``cancel()`` (closing early)
    interrupts the check; the file stays unverified and unwritten, and the next open checks again.
    """

    def __init__(self, path: str | Path, *, start: bool = True):
        self.path = Path(path)
        self.problems: list[str] | None = None  # None until the check has finished
        self._done = threading.Event()
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None
        self._cancelled = False
        self._callbacks: list = []
        self._started = False
        self._thread = threading.Thread(target=self._run, name="ipdesk-integrity", daemon=True)
        if start:
            self.start()

    def start(self) -> None:
        """Begin checking (the GUI starts it once its window has painted; a write starts it if need be)."""
        with self._lock:
            if self._started or self._cancelled:
                return
            self._started = True
        self._thread.start()

    @property
    def sound(self) -> bool | None:
        """True: checked and sound; False: damaged or never finished (cancelled); None: still checking."""
        if not self._done.is_set():
            return None
        return self.problems == [] and not self._cancelled

    def _run(self) -> None:
        problems: list[str]
        try:
            conn = sqlite3.connect(read_only_uri(self.path), uri=True, check_same_thread=False)
            with self._lock:
                self._conn = conn
                if self._cancelled:
                    conn.interrupt()
            try:
                rows = [r[0] for r in conn.execute("PRAGMA quick_check").fetchall()]
            finally:
                with self._lock:
                    self._conn = None
                conn.close()
            problems = [] if rows == ["ok"] else rows
        except sqlite3.DatabaseError as exc:
            problems = [str(exc)]
        with self._lock:
            callbacks, self._callbacks = self._callbacks, []
            if self._cancelled:  # no verdict: nobody is told the file is damaged (or sound)
                problems, callbacks = ["检查被中止 (interrupted)"], []
            self.problems = problems
            self._done.set()
        for callback in callbacks:
            callback(problems)

    def when_done(self, callback) -> None:
        """``callback(problems)`` once the check finishes — on the checking thread, or now if it has; never
        for a cancelled check (it has no verdict)."""
        with self._lock:
            if not self._done.is_set():
                self._callbacks.append(callback)
                return
            if self._cancelled:
                return
        callback(self.problems)

    def wait(self, timeout: float | None = None) -> bool:
        return self._done.wait(timeout)

    def require_sound(self) -> None:
        self.start()
        self._done.wait()
        if self._cancelled:
            raise IpdeskError("数据库文件正在关闭，未完成完整性检查", "database closing before its integrity check finished")
        if self.problems:
            raise_for_problems(self.path, self.problems)

    def cancel(self) -> None:
        """Stop a running check (the desk is closing) and wait for its thread; a check not yet started never is."""
        with self._lock:
            if self._done.is_set():
                return
            self._cancelled = True
            if self._conn is not None:
                self._conn.interrupt()
            if not self._started:
                self.problems = ["检查未进行 (never started)"]
                self._done.set()
                self._callbacks = []
                return
        self._thread.join()


def check_before_open(path: str | Path) -> bool:
    """Refuse to open a damaged, empty, truncated, foreign or busy file for writing (read-only checks).

    The file must exist (a new one is made by :func:`ipdesk.db.migrations.create_database`). Returns True when
    the full ``quick_check`` was deferred (large file, last close was clean).
    """
    path = Path(path)
    unclean = Path(str(path) + "-wal").exists()
    deferred = path.stat().st_size > QUICK_CHECK_AT_OPEN_MAX_BYTES and not unclean
    problems = _header_problems(path) or ([] if deferred else integrity_problems(path, quick=True))
    if problems:
        raise_for_problems(path, problems)
    return deferred


def _header_problems(path: Path) -> list[str]:
    """Cheap: is it a whole SQLite file, is its schema readable, and is it an ipdesk database?"""
    problems = header_problems(path)
    if problems:
        return problems
    try:
        conn = sqlite3.connect(read_only_uri(path), uri=True)
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            problems = identity_problems(conn)
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        return [str(exc)]
    return problems


def raise_for_problems(path: Path, problems: list[str]) -> None:
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
    db.require_sound()
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            raise IpdeskError("数据库正被另一个程序使用，请稍后再试", "database is busy (used by another process)") from exc
        plain = plain_write_error(exc, _db_file(conn))
        if plain:
            raise plain from exc
        raise
    try:
        yield db
    except BaseException as exc:
        _rollback(conn)
        # Only SQLite's own errors are about this file; an OSError inside (an export's file) names its own place.
        plain = plain_write_error(exc, _db_file(conn)) if isinstance(exc, sqlite3.Error) else None
        if plain:
            raise plain from exc
        raise
    else:
        try:
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            _rollback(conn)
            plain = plain_write_error(exc, _db_file(conn))
            if plain:
                raise plain from exc
            raise


def _rollback(conn: sqlite3.Connection) -> None:
    """Roll back what is still open. A full disk (SQLITE_FULL, an I/O error) has SQLite roll the transaction back
    itself: a ROLLBACK then fails with 'cannot rollback - no transaction is active', which hid the real error."""
    if conn.in_transaction:
        try:
            conn.execute("ROLLBACK")
        except sqlite3.Error:
            pass  # the error that brought us here is the one to report
