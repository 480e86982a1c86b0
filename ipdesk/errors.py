"""The one exception type the services raise for a user's mistake or a refused input."""
from __future__ import annotations


class IpdeskError(Exception):
    """A refusal with a Chinese message for the user and an English one for logs.

    ``field_errors`` maps a field name to its Chinese message when the refusal is
    about a form; screens show each message on its field.
    """

    def __init__(self, zh: str, en: str = "", field_errors: dict[str, str] | None = None):
        super().__init__(zh)
        self.zh = zh
        self.en = en or zh
        self.field_errors = dict(field_errors or {})

    def bilingual(self) -> str:
        return f"{self.zh}\n{self.en}" if self.en != self.zh else self.zh


class Cancelled(IpdeskError):
    """The user stopped a long operation (取消): raised from its progress callback, it leaves nothing behind —
    every write is one transaction, every output file is written under a temporary name and moved at the end."""

    def __init__(self):
        super().__init__("已取消", "cancelled by the user")


def too_large(size: int, limit: int) -> tuple[str, str]:
    """The Chinese and English words for a refused oversized file: its size and the limit, in MB."""
    mb, cap = size / 1024 / 1024, limit // 1024 // 1024
    return f"文件过大（{mb:.1f} MB，上限 {cap} MB）", f"file too large ({mb:.1f} MB, limit {cap} MB)"


class DatabaseDamaged(IpdeskError):
    """The file is not a sound SQLite database: it is never opened for writing; offer the latest backup."""

    def __init__(self, path, problems: list[str]):
        self.path, self.problems = path, list(problems)
        detail = "；".join(self.problems[:3])
        super().__init__(f"数据库文件已损坏：{path}（{detail}）。请从最近的备份恢复（ipdesk restore --latest）",
                         f"database file is damaged: {path} ({detail}); restore the latest backup")


class DatabaseInUse(IpdeskError):
    """Another program holds the file open where exclusive access is needed (restore)."""

    def __init__(self, path):
        self.path = path
        super().__init__(f"数据库正被另一个程序使用：{path}。请先关闭其他 ipdesk 窗口再试",
                         f"database is in use by another program: {path}")


class DiskFull(IpdeskError):
    """The disk (or the user's quota) is full: the write stopped, SQLite rolled it back, the file is as before."""

    def __init__(self, where: str = ""):
        at = f"（{where}）" if where else ""
        super().__init__(f"磁盘空间不足{at}：正在进行的写入已撤回，文件完好。请清理磁盘空间（删除不需要的文件或旧备份）后重试",
                         f"disk full{(' (' + where + ')') if where else ''}: the write was rolled back, the file is intact")


class ReadOnlyDatabase(IpdeskError):
    """The database file is read-only, or its folder cannot be written (SQLite writes its -wal/-shm beside it):
    said as such, never as a damaged file."""

    def __init__(self, path, why: str, *, new: bool = False):
        self.path = path
        if new:
            super().__init__(f"不能在此建立数据库文件，没有写入权限：{path}（{why}）。请选择可写的文件夹（如“文档”）",
                             f"cannot create the database here: {path} ({why})")
            return
        super().__init__(f"数据库文件只读，没有写入权限：{path}（{why}）。请把文件复制到可写的文件夹（如“文档”）后打开，"
                         "或取消文件的只读属性、请管理员授予该文件夹的写入权限",
                         f"database is read-only: {path} ({why}); copy it to a writable folder or grant write access")
