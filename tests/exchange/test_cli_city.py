import json
import subprocess
import sys
from datetime import date

from ipdesk.exchange import approval
from ipdesk.exchange.package import export_package

from tests.conftest import subprocess_env

from .conftest import banner


def test_cli_import_status_consolidate(office, tmp_path):
    b = banner(office, "150602")
    b.clock["today"] = date(2026, 11, 18)
    approval.approve(b, "2026-10")
    export_package(b, "2026-10", tmp_path / "r1.ipdx")
    b.clock["today"] = date(2026, 11, 22)
    approval.reopen(b, "2026-10", "管理员", "补录")
    b.records.save("work_items", {"date": "2026-10-12", "kind": "维权援助", "count_a": 2})
    approval.approve(b, "2026-10")
    export_package(b, "2026-10", tmp_path / "r2.ipdx")
    db = str(tmp_path / "city.db")

    def run(*args):
        return subprocess.run([sys.executable, "-m", "tests.cli_harness", "--db", db, "--today", "2026-11-22", *args],
                              capture_output=True, text=True, env=subprocess_env())
    assert run("init", "--unit-code", "150600", "--unit-name", "鄂尔多斯市市场监督管理局",
               "--parent-code", "150000").returncode == 0
    first = subprocess.run([sys.executable, "-m", "tests.cli_harness", "--db", db, "--today", "2026-11-18", "import-package",
                            str(tmp_path / "r1.ipdx")], capture_output=True, text=True, env=subprocess_env())
    assert first.returncode == 0 and "接收：东胜区市场监督管理局" in first.stdout
    dry = run("import-package", "--dry-run", str(tmp_path / "r2.ipdx"))
    assert dry.returncode == 0 and "更正替换" in dry.stdout and "试运行" in dry.stdout
    assert "维权援助（本期）：" in dry.stdout and "→" in dry.stdout
    status = run("status", "--period", "2026-10", "--format", "json")
    assert json.loads(status.stdout)["summary"]["corrected"] == 0  # the dry run wrote nothing
    assert run("import-package", str(tmp_path / "r2.ipdx")).returncode == 0
    status = run("status", "--period", "2026-10")
    assert "150602 东胜区市场监督管理局\t按时" in status.stdout and "已更正（第2版" in status.stdout
    assert "150627 伊金霍洛旗市场监督管理局\t逾期未报" in status.stdout
    bad = tmp_path / "bad.ipdx"
    bad.write_bytes(b"not a zip")
    refused = run("import-package", str(bad))
    assert refused.returncode == 1 and "拒收" in refused.stdout
    out = tmp_path / "cons.json"
    assert run("consolidate", "--period", "2026-10", "--out", str(out)).returncode == 0
    cons = json.loads(out.read_text(encoding="utf-8"))
    cell = next(c for c in cons["annex1"]["cells"] if c["id"] == "C.assistance")
    assert cell["current"] == b.figures.annex1("2026-10").value("C.assistance")
    assert cons["annex2"]["unit_name"] == "鄂尔多斯市市场监督管理局"


def test_cli_consolidate_pdf_and_bulletin_xlsx(office, tmp_path):
    import openpyxl
    import pdfplumber

    b = banner(office, "150602")
    approval.approve(b, "2026-10")
    export_package(b, "2026-10", tmp_path / "p.ipdx")
    c = office("150600", "鄂尔多斯市市场监督管理局", "150000", subordinates=True)
    from ipdesk.exchange.receive import import_packages
    import_packages(c, [tmp_path / "p.ipdx"])
    c.close()

    def run(*args):
        return subprocess.run([sys.executable, "-m", "tests.cli_harness", "--db", str(tmp_path / "150600.db"), "--today",
                               "2026-11-22", *args], capture_output=True, text=True, env=subprocess_env())
    r = run("consolidate", "--period", "2026-10", "--format", "pdf", "--out", str(tmp_path / "cons.pdf"))
    assert r.returncode == 0, r.stderr
    with pdfplumber.open(tmp_path / "cons-附件2.pdf") as doc:
        text = "".join(p.extract_text() or "" for p in doc.pages).replace("\n", "")
    assert "东胜区" in text and "填报单位：鄂尔多斯市市场监督管理局" in text  # 办案单位 wraps in its column
    assert (tmp_path / "cons.pdf").stat().st_size > 1000
    r = run("bulletin", "--period", "2026-B5", "--format", "xlsx", "--out", str(tmp_path / "b.xlsx"))
    assert r.returncode == 0, r.stderr
    ws = openpyxl.load_workbook(tmp_path / "b.xlsx").active
    assert "乌审旗市场监督管理局" in [v for row in ws.iter_rows(values_only=True) for v in row]


def test_cli_city_explains_warnings_and_approves_its_month(office, tmp_path):
    """A city approves its own month from the command line: check lists the soft warnings (××局尚未报送)
    with their keys, explain answers them, approve then passes; hard errors cannot be explained away."""
    from ipdesk.exchange.receive import import_packages

    b = banner(office, "150602")
    approval.approve(b, "2026-10")
    export_package(b, "2026-10", tmp_path / "p.ipdx")
    c = office("150600", "鄂尔多斯市市场监督管理局", "150000", subordinates=True)
    import_packages(c, [tmp_path / "p.ipdx"])
    c.close()

    def run(*args):
        return subprocess.run([sys.executable, "-m", "tests.cli_harness", "--db", str(tmp_path / "150600.db"), "--today",
                               "2026-11-22", *args], capture_output=True, text=True, env=subprocess_env())
    r = run("check", "--period", "2026-10", "--format", "json")
    report = json.loads(r.stdout)["periods"][0]
    keys = {f["key"]: f for f in report["findings"]}
    assert keys["missing:150627"]["severity"] == "warning" and "伊金霍洛旗" in keys["missing:150627"]["message"]
    assert report["unexplained_warnings"] == report["warnings"] >= 8 and report["errors"] == 0
    refused = run("approve", "--period", "2026-10", "--user", "管理员")
    assert refused.returncode == 2 and "需说明" in refused.stderr
    unknown = run("explain", "--period", "2026-10", "--key", "missing:999999", "--text", "x")
    assert unknown.returncode == 2 and "没有键为" in unknown.stderr
    one = run("explain", "--period", "2026-10", "--key", "missing:150627", "--text", "该旗本月延期报送")
    assert one.returncode == 0 and "已说明 1 项" in one.stdout
    rest = run("explain", "--period", "2026-10", "--all-warnings", "--text", "尚未报送，已电话催报")
    assert rest.returncode == 0 and f"已说明 {report['warnings'] - 1} 项" in rest.stdout
    after = json.loads(run("check", "--period", "2026-10", "--format", "json").stdout)["periods"][0]
    assert after["unexplained_warnings"] == 0 and after["blockers"] == []
    assert next(f for f in after["findings"] if f["key"] == "missing:150627")["explanation"] == "该旗本月延期报送"
    ok = run("approve", "--period", "2026-10", "--user", "管理员")
    assert ok.returncode == 0, ok.stderr
    # A quarter of the city: its consolidation's findings.
    q = json.loads(run("check", "--period", "2026-Q4", "--format", "json").stdout)["periods"][0]
    assert q["period"] == "2026-Q4" and q["errors"] == 0
    assert any(f["key"] == "missing:150627" and "尚未报送2026年10月数据" in f["message"] for f in q["findings"])
