"""The command line acts as a user only with that user's password, never taken from the command line."""
import sqlite3

from ipdesk.cli import main


def run(db, *args):
    return main(["--db", str(db), "--today", "2026-11-22", *args])


def test_a_user_with_a_password_needs_it_from_a_file(tmp_path, capsys):
    db = tmp_path / "office.db"
    assert run(db, "init", "--unit-code", "150602", "--unit-name", "东胜区市场监督管理局", "--parent-code", "150600") == 0
    assert run(db, "demo", "--months", "3") == 0
    admin = tmp_path / "admin.txt"
    admin.write_text("pw-admin\n", encoding="utf-8")
    assert run(db, "user", "password", "管理员", "--new-password-file", str(admin)) == 0
    assert run(db, "--password-file", str(admin), "user", "add", "王科长", "--role", "审核人", "--password",
               "wang-2026") == 0
    capsys.readouterr()
    # Without a password (stdin is not a terminal under pytest): refused, nothing approved or logged as him.
    assert run(db, "approve", "--period", "2026-10", "--user", "王科长") != 0
    assert "--password-file" in capsys.readouterr().err
    wrong = tmp_path / "wrong.txt"
    wrong.write_text("guess\n", encoding="utf-8")
    assert run(db, "--password-file", str(wrong), "approve", "--period", "2026-10", "--user", "王科长") != 0
    assert "密码不正确" in capsys.readouterr().err
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT COUNT(*) FROM submissions").fetchone()[0] == 0
    assert conn.execute("SELECT COUNT(*) FROM audit_log WHERE user_name = '王科长'").fetchone()[0] == 0
    conn.close()
    right = tmp_path / "pw.txt"
    right.write_text("wang-2026\n", encoding="utf-8")
    assert run(db, "--password-file", str(right), "approve", "--period", "2026-10", "--user", "王科长") == 0


def test_password_file_as_notepad_saves_it(tmp_path, capsys):
    """UTF-8 with a byte-order mark (Notepad's 'UTF-8 with BOM'), ANSI = GBK on a Chinese Windows, CRLF."""
    db = tmp_path / "office.db"
    assert run(db, "init", "--unit-code", "150602", "--unit-name", "东胜区市场监督管理局", "--parent-code", "150600",
               "--password", "东胜 2026") == 0
    for i, data in enumerate((b"\xef\xbb\xbf" + "东胜 2026\r\n".encode("utf-8"), "东胜 2026\r\n".encode("gbk"),
                              "东胜 2026".encode("utf-8"))):
        file = tmp_path / f"口令{i}.txt"
        file.write_bytes(data)
        assert run(db, "--password-file", str(file), "user", "list") == 0, capsys.readouterr().err
    empty = tmp_path / "空.txt"
    empty.write_bytes(b"")
    assert run(db, "--password-file", str(empty), "user", "list") != 0
    assert "密码不正确" in capsys.readouterr().err


def test_an_unreadable_package_path_and_a_bug_are_messages_not_tracebacks(tmp_path, capsys, monkeypatch):
    db = tmp_path / "city.db"
    assert run(db, "init", "--unit-code", "150600", "--unit-name", "鄂尔多斯市市场监督管理局", "--parent-code", "150000") == 0
    folder = tmp_path / "一个文件夹"
    folder.mkdir()
    assert run(db, "import-package", str(folder)) != 0
    assert "无法读取文件" in capsys.readouterr().out
    from ipdesk import checkup

    def broken(*_a, **_k):
        raise ZeroDivisionError("division by zero")
    monkeypatch.setattr(checkup, "check_database", broken)
    assert run(db, "check") == 4
    err = capsys.readouterr().err
    assert "程序内部错误" in err and "Traceback" not in err
    log_file = tmp_path / "backups" / "ipdesk.log"
    assert "ZeroDivisionError" in log_file.read_text(encoding="utf-8")


def test_the_shipped_command_line_has_no_today_option(tmp_path):
    """A sender could backdate what it approves and sends: --today belongs to the tests' harness only."""
    import subprocess
    import sys

    from tests.conftest import subprocess_env

    shipped = subprocess.run([sys.executable, "-m", "ipdesk", "--db", str(tmp_path / "x.db"), "--today",
                              "2026-01-01", "check"], capture_output=True, text=True, env=subprocess_env())
    assert shipped.returncode == 2 and "error" in shipped.stderr and not (tmp_path / "x.db").exists()
    assert "--today" not in subprocess.run([sys.executable, "-m", "ipdesk", "--help"], capture_output=True,
                                           text=True, env=subprocess_env()).stdout
