"""``ipdesk import-ledger`` end to end in a child process: report, --dry-run, --strict, re-import."""
from __future__ import annotations

import sqlite3
import subprocess
import sys

from tests.conftest import subprocess_env

from .ledger_books import ledger_one


def run(*args):
    return subprocess.run([sys.executable, "-m", "ipdesk", *args], capture_output=True, text=True,
                          encoding="utf-8", env=subprocess_env(), timeout=120)


def state(db):
    with sqlite3.connect(db) as conn:
        return (conn.execute("SELECT COUNT(*) FROM cases").fetchone()[0],
                conn.execute("SELECT COUNT(*) FROM audit_log").fetchone()[0])


def test_import_ledger_cli(tmp_path):
    db, ledger = tmp_path / "office.db", ledger_one(tmp_path / "台账.xlsx")
    assert run("--db", str(db), "init", "--unit-code", "150602", "--unit-name", "东胜区市场监督管理局",
               "--parent-code", "150600").returncode == 0
    start = state(db)

    dry = run("--db", str(db), "--today", "2026-11-22", "import-ledger", str(ledger), "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "I列 案值 → 涉案金额［万元］" in dry.stdout
    for line in ("第8行：不是知识产权案件（案件类别：食品安全）", "第10行：立案日期不存在：2022.13.45",
                 "第11行：案件编号“鄂东市监立字〔2022〕1号”与第5行重复", "第12行：无案件名称和案件编号",
                 "第14行：涉案金额无法识别：约两万"):
        assert line in dry.stdout
    assert "可导入 4　其中待补正 3　已在数据库中 0　无法读取 5" in dry.stdout
    assert "试运行：未写入任何记录" in dry.stdout
    assert state(db) == start

    strict = run("--db", str(db), "--today", "2026-11-22", "import-ledger", str(ledger), "--strict")
    assert strict.returncode != 0 and "严格模式" in strict.stderr
    assert state(db) == start

    real = run("--db", str(db), "--today", "2026-11-22", "import-ledger", str(ledger))
    assert real.returncode == 0, real.stderr
    assert "已导入 4 件案件（其中待补正 3 件）" in real.stdout
    after = state(db)
    assert after[0] == 4

    again = run("--db", str(db), "--today", "2026-11-22", "import-ledger", str(ledger))
    assert again.returncode == 0 and "已导入 0 件案件" in again.stdout and "已在数据库中跳过 5 件" in again.stdout
    assert state(db) == after

    bad = run("--db", str(db), "import-ledger", str(tmp_path / "none.xlsx"))
    assert bad.returncode != 0 and "文件不存在" in bad.stderr
