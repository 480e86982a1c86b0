"""Output files (forms, packages, exports) are written beside their final name, then moved into place whole."""
from __future__ import annotations

import os
import sys
from pathlib import Path

from .errors import IpdeskError


def replace_output(tmp: str | Path, path: str | Path) -> None:
    """``os.replace(tmp, path)``; the temporary file never stays behind when that fails.

    On Windows a file open in another program (Excel and WPS lock a workbook they show, so do some PDF
    readers) or marked read-only cannot be replaced: the user gets that said plainly, and the old file
    is left as it was.
    """
    try:
        os.replace(tmp, path)
    except PermissionError as exc:
        _remove(tmp)
        name = Path(path).name
        if sys.platform == "win32":
            raise IpdeskError(f"无法保存“{name}”：该文件正被其他程序打开（例如 Excel、WPS 或 PDF 阅读器）或为只读文件。"
                              "请关闭该文件后重试，或另存为其他文件名；原文件未改动",
                              f"cannot replace {path}: it is open in another program or read-only") from None
        raise IpdeskError(f"无法保存“{name}”：没有写入该文件或文件夹的权限（{exc.strerror}）；原文件未改动",
                          f"cannot replace {path}: {exc.strerror}") from None
    except BaseException:
        _remove(tmp)
        raise


def _remove(tmp: str | Path) -> None:
    try:
        os.remove(tmp)
    except OSError:
        pass
