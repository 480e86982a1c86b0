"""The CLI end to end on a real file: init, demo, annex1/annex2 JSON reconcile, check."""
import json
import subprocess
import sys

from ipdesk.cli import main
from ipdesk.catalog import CURRENT
from ipdesk.domain import enums


def run(db, *args):
    return main(["--db", str(db), "--today", "2026-11-22", *args])


def test_init_demo_tables_reconcile(tmp_path, capsys):
    db = tmp_path / "dongsheng.db"
    assert run(db, "init", "--unit-code", "150602", "--unit-name", "东胜区市场监督管理局", "--parent-code", "150600") == 0
    assert run(db, "demo", "--months", "24", "--seed", "7") == 0
    capsys.readouterr()
    out1, out2 = tmp_path / "a1.json", tmp_path / "a2.json"
    assert run(db, "annex1", "--period", "2026-03", "--format", "json", "--out", str(out1)) == 0
    assert run(db, "annex2", "--period", "2026-03", "--format", "json", "--out", str(out2)) == 0
    a1 = {c["id"]: c for c in json.loads(out1.read_text(encoding="utf-8"))["cells"]}
    a2 = json.loads(out2.read_text(encoding="utf-8"))["rows"]
    part_b = CURRENT.part("B")
    for row in part_b.rows:
        filed = sum(1 for r in a2 if r["案件类别"] in row.categories and r["立案日期"].startswith("2026-03"))
        assert a1[f"B.{row.id}.filed"]["current"] == filed, row.label
    assert a1["B.total.filed"]["current"] > 0
    assert run(db, "check") == 0


def test_check_fails_on_broken_record(tmp_path, capsys):
    db = tmp_path / "x.db"
    run(db, "init", "--unit-code", "150602", "--unit-name", "东胜区市场监督管理局")
    run(db, "demo", "--months", "3")
    import sqlite3
    conn = sqlite3.connect(db)
    # A closed case without 处理结果 and with dates out of order, written behind the app's back.
    conn.execute("UPDATE cases SET outcome = NULL, closed_date = '2026-01-01', filed_date = '2026-02-01' "
                 "WHERE id = (SELECT MIN(id) FROM cases WHERE closed_date IS NOT NULL)")
    conn.commit()
    conn.close()
    capsys.readouterr()
    assert run(db, "check") == 1
    out = capsys.readouterr().out
    assert "处理结果" in out and "未通过" in out


def test_errors_are_bilingual_and_nonzero(tmp_path, capsys):
    assert run(tmp_path / "missing.db", "annex1", "--period", "2026-03") == 2
    err = capsys.readouterr().err
    assert "错误" in err and "error:" in err
    db = tmp_path / "y.db"
    run(db, "init", "--unit-code", "150602", "--unit-name", "东胜区市场监督管理局")
    assert run(db, "annex1", "--period", "2026-13") == 2


def test_user_add_roles(tmp_path, capsys):
    """A second user needs passwords: the new user's and the acting administrator's (set first)."""
    db = tmp_path / "u.db"
    run(db, "init", "--unit-code", "150602", "--unit-name", "东胜区市场监督管理局", "--admin", "王凤英")
    zhang, wang = tmp_path / "zhang.txt", tmp_path / "wang.txt"
    zhang.write_text("pw-zhang\n", encoding="utf-8")
    wang.write_text("pw-wang\n", encoding="utf-8")
    capsys.readouterr()
    assert run(db, "user", "add", "张瑞", "--role", enums.ROLE_CLERK) == 2
    assert "新用户必须设置密码" in capsys.readouterr().err
    assert run(db, "user", "add", "张瑞", "--role", enums.ROLE_CLERK, "--new-password-file", str(zhang)) == 2
    assert "请先为您本人（王凤英）设置密码" in capsys.readouterr().err
    assert run(db, "user", "password", "王凤英", "--new-password-file", str(wang)) == 0
    assert run(db, "user", "add", "张瑞", "--role", enums.ROLE_CLERK, "--new-password-file", str(zhang)) == 2
    assert "--password-file" in capsys.readouterr().err  # 王凤英 now acts only with her password
    assert run(db, "--password-file", str(wang), "user", "add", "张瑞", "--role", enums.ROLE_CLERK,
               "--new-password-file", str(zhang)) == 0
    assert run(db, "--password-file", str(wang), "user", "add", "张瑞", "--role", enums.ROLE_CLERK,
               "--new-password-file", str(zhang)) == 2  # taken
    capsys.readouterr()
    run(db, "--password-file", str(wang), "user", "list")
    out = capsys.readouterr().out
    assert "王凤英\t管理员" in out and "张瑞\t填报人" in out and "未设密码" not in out


def test_an_older_file_with_a_password_less_user_among_several(tmp_path, capsys):
    """Two users, the 管理员 without a password (a file from before the rule): the 管理员 is not let in until
    they set a password, which they may do as their first act; then only with it."""
    import sqlite3

    db = tmp_path / "old.db"
    run(db, "init", "--unit-code", "150602", "--unit-name", "东胜区市场监督管理局")
    conn = sqlite3.connect(db)
    conn.execute("INSERT INTO users (name, role, password_hash) VALUES ('张瑞', ?, NULL)", [enums.ROLE_CLERK])
    conn.commit()
    conn.close()
    capsys.readouterr()
    assert run(db, "user", "list") == 2
    assert "尚未设置密码" in capsys.readouterr().err
    mine = tmp_path / "mine.txt"
    mine.write_text("pw-admin\n", encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    assert run(db, "user", "password", "管理员", "--new-password-file", str(empty)) == 2  # never none
    assert run(db, "user", "password", "管理员", "--new-password-file", str(mine)) == 0
    assert run(db, "user", "list") == 2
    assert run(db, "--password-file", str(mine), "user", "list") == 0
    assert "张瑞\t填报人\t启用\t未设密码" in capsys.readouterr().out
    # 张瑞, still without one, is not let in either; nor can someone else set it for him from his name.
    assert run(db, "approve", "--period", "2026-10", "--user", "张瑞") == 2
    assert "尚未设置密码" in capsys.readouterr().err


def test_console_entry_point_runs(tmp_path):
    from tests.conftest import subprocess_env

    proc = subprocess.run([sys.executable, "-m", "ipdesk", "--help"], capture_output=True, text=True,
                          encoding="utf-8", cwd=tmp_path, env=subprocess_env())
    assert proc.returncode == 0 and "annex1" in proc.stdout


def test_gui_arguments_are_told_apart_without_the_full_parser():
    from ipdesk.cli import _gui_args

    args = _gui_args(["--db", "办公室.db"])
    assert args is not None and args.db == "办公室.db" and args.command is None and not args.self_test
    assert _gui_args([]).db is None
    assert _gui_args(["--self-test"]).self_test
    for argv in (["--db", "x.db", "check"], ["-h"], ["--db"], ["--unknown"]):
        assert _gui_args(argv) is None  # the full parser handles (or refuses) them
