"""Windows file and console behaviour. Run here on Linux and, by installer/windows_check.py, on the Windows
embeddable CPython under Wine, where the Windows-only branches are exercised for real."""
import subprocess
import sys

import pytest

from tests.conftest import subprocess_env

WINDOWS = sys.platform == "win32"


def ipdesk(*args, **kw):
    return subprocess.run([sys.executable, "-m", "ipdesk", *args], capture_output=True, text=True, encoding="utf-8",
                          env=subprocess_env(), timeout=120, **kw)


def test_no_password_prompt_when_input_is_the_null_device(tmp_path):
    """``ipdesk … < NUL`` (a batch file, a scheduled task): on Windows NUL passes isatty(); the command used
    to wait for ever at an invisible password prompt. It refuses and says how to give the password."""
    db = str(tmp_path / "东胜 区.db")
    assert ipdesk("--db", db, "init", "--unit-code", "150602", "--unit-name", "东胜区市场监督管理局",
                  "--parent-code", "150600", "--password", "pw-2026").returncode == 0
    refused = ipdesk("--db", db, "user", "list", stdin=subprocess.DEVNULL)
    assert refused.returncode == 2 and "--password-file" in refused.stderr


def _county(tmp_path, capsys):
    from ipdesk.cli import main

    db = str(tmp_path / "东胜 区.db")
    assert main(["--db", db, "--today", "2026-11-22", "init", "--unit-code", "150602", "--unit-name",
                 "东胜区市场监督管理局", "--parent-code", "150600"]) == 0
    for args in (("demo", "--months", "2"), ("first-month", "2026-10"), ("approve", "--period", "2026-10", "--user", "管理员")):
        assert main(["--db", db, "--today", "2026-11-22", *args]) == 0
    capsys.readouterr()
    return lambda *args: main(["--db", db, "--today", "2026-11-22", *args])


def _refused_and_untouched(run, capsys, target, args):
    assert run(*args, "--out", str(target)) == 2
    err = capsys.readouterr().err
    assert f"无法保存“{target.name}”" in err and "原文件未改动" in err and "Traceback" not in err
    if WINDOWS:
        assert "正被其他程序打开" in err
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in target.parent.iterdir()) == [target.name]  # no temporary file left


OUTPUTS = [("附件1 十月.xlsx", ("annex1", "--period", "2026-10", "--format", "xlsx")),
           ("附件1 十月.json", ("annex1", "--period", "2026-10", "--format", "json")),
           ("报送 十月.ipdx", ("export-package", "--period", "2026-10"))]


def test_an_output_that_cannot_be_replaced_is_said_plainly_and_left_as_it_was(tmp_path, capsys, monkeypatch):
    """What Windows does to a workbook open in Excel (here: os.replace refused for that file, on every platform)."""
    import os

    run = _county(tmp_path, capsys)
    real = os.replace
    locked = set()

    def replace(src, dst):
        if os.path.basename(dst) in locked:
            raise PermissionError(13, "Permission denied", str(dst))
        return real(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    for name, args in OUTPUTS:
        folder = tmp_path / f"输出 {len(locked)}"
        folder.mkdir()
        locked.add(name)
        (folder / name).write_bytes(b"old")
        _refused_and_untouched(run, capsys, folder / name, args)


@pytest.mark.skipif(not WINDOWS, reason="Windows file sharing: run on Windows CPython by installer/windows_check.py")
def test_an_output_open_in_another_program_on_windows(tmp_path, capsys):
    """The file held the way Excel holds a workbook it shows (read access, others may only read)."""
    import ctypes
    from ctypes import wintypes

    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
    kernel32.CreateFileW.restype = wintypes.HANDLE
    kernel32.CreateFileW.argtypes = [wintypes.LPCWSTR, wintypes.DWORD, wintypes.DWORD, wintypes.LPVOID,
                                     wintypes.DWORD, wintypes.DWORD, wintypes.HANDLE]
    generic_read, share_read, open_existing = 0x80000000, 1, 3
    run = _county(tmp_path, capsys)
    for i, (name, args) in enumerate(OUTPUTS):
        folder = tmp_path / f"输出 {i}"
        folder.mkdir()
        target = folder / name
        target.write_bytes(b"old")
        handle = kernel32.CreateFileW(str(target), generic_read, share_read, None, open_existing, 0, None)
        assert handle not in (None, wintypes.HANDLE(-1).value)
        try:
            _refused_and_untouched(run, capsys, target, args)
        finally:
            kernel32.CloseHandle(handle)
        assert run(*args, "--out", str(target)) == 0  # closed: saved


def _spelled_otherwise(path):
    """The same file named another way: on Windows upper case and forward slashes (how a user or a shortcut
    may type it), elsewhere through a '..' detour."""
    if WINDOWS:
        return str(path).upper().replace("\\", "/")
    return str(path.parent / ".." / path.parent.name / path.name)


def test_the_database_named_another_way_is_the_same_file(tmp_path, capsys):
    """Case and separators: not taken for a copy (which would get an identity of its own and lose its
    backups), and still never overwritten by an export given that other spelling."""
    from ipdesk.cli import main
    from ipdesk.db.identity import read_identity

    db = tmp_path / "东胜 区数据" / "东胜 区.db"
    run = lambda name, *args: main(["--db", name, "--today", "2026-11-22", *args])  # noqa: E731
    assert run(str(db), "init", "--unit-code", "150602", "--unit-name", "东胜区市场监督管理局",
               "--parent-code", "150600") == 0
    identity = read_identity(db)
    other = _spelled_otherwise(db)
    assert run(other, "annex1", "--period", "2026-10", "--format", "json") == 0
    assert read_identity(db) == identity
    capsys.readouterr()
    assert run(other, "annex1", "--period", "2026-10", "--format", "json", "--out", other) == 2
    assert "正在使用的数据库文件" in capsys.readouterr().err
    assert read_identity(db) == identity
    assert run(str(db), "backup") == 0
    assert run(other, "restore", "--latest") == 0  # the backup is found as this file's


def test_restore_refused_while_another_program_has_the_database_open(tmp_path, capsys):
    """Another process holding the file (an ipdesk window left open): on Windows the swap could not replace
    it anyway; the restore is refused first, the file untouched, and goes through once it is closed."""
    from ipdesk.db.identity import read_identity

    run = _county(tmp_path, capsys)
    db = tmp_path / "东胜 区.db"
    assert run("backup") == 0
    identity = read_identity(db)
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); "
         "c.execute('SELECT count(*) FROM units').fetchone(); print('ready', flush=True); sys.stdin.read()", str(db)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ready"
        capsys.readouterr()
        assert run("restore", "--latest") == 2
        assert "数据库正被另一个程序使用" in capsys.readouterr().err
    finally:
        holder.stdin.close()
        holder.wait(timeout=60)
    assert read_identity(db) == identity
    assert run("restore", "--latest") == 0
