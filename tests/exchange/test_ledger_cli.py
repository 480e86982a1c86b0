"""``ipdesk import-ledger`` end to end in a child process: report, --dry-run, --strict, re-import."""
from __future__ import annotations

import sqlite3
import subprocess
import sys

from tests.conftest import subprocess_env

from .ledger_books import ledger_county, ledger_one


def run(*args):
    return subprocess.run([sys.executable, "-m", "tests.cli_harness", *args], capture_output=True, text=True,
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
    assert "工作表：台账　表头在第4行　数据 11 行　未注明单位的金额按万元（第2行“金额单位：万元”）" in dry.stdout
    assert "I列 案值 → 涉案金额［万元］" in dry.stdout
    assert "J列 罚没金额 → 罚没款合计（仅用于核对）［万元］" in dry.stdout
    for line in ("第8行：不是知识产权案件（案件类别：食品安全）", "第10行：立案日期不存在：2022.13.45",
                 "第11行：案件编号“鄂东市监立字〔2022〕1号”与第5行重复", "第12行：无案件名称和案件编号",
                 "第14行：涉案金额无法识别：约两万", "存疑的行（不导入）：",
                 "第5行：只有罚没款合计（3000元），分不出罚款与没收违法所得"):
        assert line in dry.stdout
    assert "可导入 2　其中待补正 1　已在数据库中 0　无法读取 5　存疑未导入 2" in dry.stdout
    assert "试运行：未写入任何记录" in dry.stdout
    assert state(db) == start

    # The user says the 罚没金额 column is 罚款.
    mapped = run("--db", str(db), "--today", "2026-11-22", "import-ledger", str(ledger), "--dry-run",
                 "--map", "J=罚款")
    assert "J列 罚没金额 → 罚款［万元］" in mapped.stdout
    assert "将导入：案件 4 件　涉案金额 24200.00 元　罚款 5000.00 元" in mapped.stdout
    assert "可导入 4　其中待补正 3　已在数据库中 0　无法读取 5　存疑未导入 0" in mapped.stdout
    wrong = run("--db", str(db), "import-ledger", str(ledger), "--map", "J=工资")
    assert wrong.returncode != 0 and "无法识别的字段“工资”" in wrong.stderr
    assert state(db) == start

    strict = run("--db", str(db), "--today", "2026-11-22", "import-ledger", str(ledger), "--strict")
    assert strict.returncode != 0 and "严格模式" in strict.stderr
    assert state(db) == start

    real = run("--db", str(db), "--today", "2026-11-22", "import-ledger", str(ledger), "--map", "J=罚款")
    assert real.returncode == 0, real.stderr
    assert "已导入 4 件案件（其中待补正 3 件）" in real.stdout
    after = state(db)
    assert after[0] == 4

    again = run("--db", str(db), "--today", "2026-11-22", "import-ledger", str(ledger), "--map", "J=罚款")
    assert again.returncode == 0 and "已导入 0 件案件" in again.stdout and "已在数据库中跳过 5 件" in again.stdout
    assert state(db) == after


def test_include_hidden_cli(tmp_path):
    db, ledger = tmp_path / "office.db", ledger_county(tmp_path / "元宝山.xlsx")
    assert run("--db", str(db), "init", "--unit-code", "150404", "--unit-name", "元宝山区市场监督管理局",
               "--parent-code", "150400").returncode == 0
    plain = run("--db", str(db), "--today", "2026-11-22", "import-ledger", str(ledger), "--dry-run")
    assert "隐藏的行（不导入；--include-hidden 可导入）：\n  第6行：隐藏行：YB-002、赤元市监立字〔2023〕2号" in plain.stdout
    assert "A列 编号 → （不导入）（隐藏列，表头对应“立案号/案件编号”）" in plain.stdout
    hidden = run("--db", str(db), "--today", "2026-11-22", "import-ledger", str(ledger), "--dry-run",
                 "--include-hidden")
    assert "第6行：案件编号“赤元市监立字〔2023〕2号”与第5行重复" in hidden.stdout
    assert "A列 编号 → （不导入）（“立案号/案件编号”取B列）" in hidden.stdout

    bad = run("--db", str(db), "import-ledger", str(tmp_path / "none.xlsx"))
    assert bad.returncode != 0 and "文件不存在" in bad.stderr


def test_a_formula_without_a_calculated_value_is_reported_not_imported_blank(tmp_path):
    """import-ledger: a cell holding a formula the file keeps no result of (written by a program that does not
    calculate) is a doubtful row, listed with its column, never imported as an empty amount."""
    from .ledger_books import ledger_two

    db, ledger = tmp_path / "office.db", ledger_two(tmp_path / "l2.xlsx")
    assert run("--db", str(db), "init", "--unit-code", "150602", "--unit-name", "东胜区市场监督管理局",
               "--parent-code", "150600").returncode == 0
    done = run("--db", str(db), "--today", "2026-11-22", "import-ledger", str(ledger))
    assert done.returncode == 0, done.stderr
    doubtful = done.stdout.split("存疑的行（不导入）：", 1)[1]
    assert "第8行：F列（涉案金额）是公式，文件中没有计算结果（请在 Excel/WPS 中打开、保存后再导入）" in doubtful
    with sqlite3.connect(db) as conn:
        names = [r[0] for r in conn.execute("SELECT name FROM cases")]
    assert "某企业仿冒特殊标志案" not in names and names
