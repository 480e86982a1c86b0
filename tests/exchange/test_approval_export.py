import io
import json
import zipfile

import pytest

from ipdesk.domain import enums
from ipdesk.errors import IpdeskError
from ipdesk.exchange import approval
from ipdesk.exchange.package import export_package, read_package, sha256
from ipdesk.stats import checks

from .conftest import banner


def test_clerk_cannot_approve_and_reviewer_can(office):
    desk = banner(office)
    desk.office.add_user("李填报", enums.ROLE_CLERK, "pw-李填报", own_password="pw-admin")
    desk.office.add_user("王审核", enums.ROLE_REVIEWER, "pw-王审核", own_password="pw-admin")
    with pytest.raises(IpdeskError, match="只有审核人或管理员"):
        approval.approve(desk, "2026-10", "李填报")
    assert desk.records.locked_periods() == []
    approval.approve(desk, "2026-10", "王审核")
    assert desk.records.locked_periods() == ["2026-10"]
    sub = approval.active_submission(desk, "2026-10")
    assert sub["approved_by"] == "王审核" and sub["revision"] == 1
    with pytest.raises(IpdeskError, match="已.*审核"):
        approval.approve(desk, "2026-10", "王审核")
    # The month is frozen: a record dated in it cannot be added.
    with pytest.raises(IpdeskError, match="锁定"):
        desk.records.save("work_items", {"date": "2026-10-12", "kind": "维权援助", "count_a": 1})


def test_hard_error_and_unexplained_warning_block_approval(office, monkeypatch):
    desk = banner(office)
    real = desk.figures.check_period

    def with_findings(period, table=None):
        return real(period, table) + [checks.Finding(checks.WARNING, "outlier:A.actions", "执法行动异常偏高")]
    monkeypatch.setattr(desk.figures, "check_period", with_findings)
    with pytest.raises(IpdeskError, match="需说明：执法行动异常偏高"):
        approval.approve(desk, "2026-10")
    desk.explanations.explain("2026-10", "outlier:A.actions", "开展专项行动")
    approval.approve(desk, "2026-10")
    sub = approval.active_submission(desk, "2026-10")
    assert json.loads(sub["explanations_json"]) == {"outlier:A.actions": "开展专项行动"}


def test_pending_case_is_a_hard_error(office):
    desk = banner(office)
    desk.records.save("cases", {"name": "旧台账案件", "case_no": "鄂东市监立字〔2026〕900号", "category": "商标侵权",
                        "source": "检查发现", "procedure": "一般程序", "lead_date": "2026-10-02",
                        "filed_date": "2026-10-03", "closed_date": "2026-10-20"},
              needs_completion=["处理结果"])
    with pytest.raises(IpdeskError, match="待补正"):
        approval.approve(desk, "2026-10")
    assert approval.active_submission(desk, "2026-10") is None


def test_unfinished_month_and_non_month_refused(office):
    desk = banner(office)
    with pytest.raises(IpdeskError, match="尚未结束"):
        approval.approve(desk, "2026-11")
    with pytest.raises(IpdeskError, match="按月"):
        approval.approve(desk, "2026-Q3")


def test_export_only_after_approval_and_resend_is_identical(office, tmp_path):
    desk = banner(office)
    with pytest.raises(IpdeskError, match="尚未审核"):
        export_package(desk, "2026-10", tmp_path / "a.ipdx")
    assert not (tmp_path / "a.ipdx").exists()
    approval.approve(desk, "2026-10")
    manifest = export_package(desk, "2026-10", tmp_path / "a.ipdx")
    first = (tmp_path / "a.ipdx").read_bytes()
    assert manifest["format"] == "ipdesk-package" and manifest["unit"] == {
        "code": "150602", "name": "东胜区市场监督管理局", "parent_code": "150600"}
    assert manifest["period"] == "2026-10" and manifest["revision"] == 1 and manifest["correction_of"] is None
    zf = zipfile.ZipFile(io.BytesIO(first))
    for name, meta in manifest["members"].items():
        assert sha256(zf.read(name)) == meta["sha256"]
    # annex JSON members are exactly the to_json() shapes of the approved tables.
    assert json.loads(zf.read("annex1.json")) == desk.figures.annex1("2026-10").to_json()
    assert json.loads(zf.read("annex2.json")) == desk.figures.annex2("2026-10", mask_personal_ids=True).to_json()
    sub = approval.active_submission(desk, "2026-10")
    assert sub["package_uuid"] == manifest["package_uuid"] and sub["package_sha256"] == sha256(first)
    export_package(desk, "2026-10", tmp_path / "again.ipdx")
    assert (tmp_path / "again.ipdx").read_bytes() == first
    with pytest.raises(IpdeskError, match="同一个包"):
        export_package(desk, "2026-10", tmp_path / "other.ipdx", mask=False)
    pkg = read_package(tmp_path / "a.ipdx")
    assert pkg.annex1.values["B.total.filed"].current == desk.figures.annex1("2026-10").values["B.total.filed"].current


def test_personal_ids_masked_unless_asked(office, tmp_path):
    desk = banner(office)
    person_id = "150602198503150017"
    from ipdesk.domain.identifiers import id_check_char, is_valid_id_number
    person_id = person_id[:17] + id_check_char(person_id[:17])
    assert is_valid_id_number(person_id)
    desk.records.save("cases", {"name": "个人销售侵权商品案", "case_no": "鄂东市监立字〔2026〕901号", "category": "商标侵权",
                        "source": "检查发现", "procedure": "简易程序", "lead_date": "2026-10-02",
                        "filed_date": "2026-10-03", "party_name": "张三", "party_id_no": person_id})
    approval.approve(desk, "2026-10")
    export_package(desk, "2026-10", tmp_path / "m.ipdx")
    rows = read_package(tmp_path / "m.ipdx").annex2_json["rows"]
    ids = {r["统一社会信用代码/身份证号"] for r in rows}
    assert person_id not in ids and person_id[:6] + "********" + person_id[14:] in ids
    assert any(len(i) == 18 and i.startswith("91") for i in ids)  # company codes kept

    other = banner(office, "150603")
    other.records.save("cases", {"name": "个人销售侵权商品案", "case_no": "X-1", "category": "商标侵权",
                         "source": "检查发现", "procedure": "简易程序", "lead_date": "2026-10-02",
                         "filed_date": "2026-10-03", "party_name": "张三", "party_id_no": person_id})
    approval.approve(other, "2026-10")
    export_package(other, "2026-10", tmp_path / "n.ipdx", mask=False)
    assert person_id in {r["统一社会信用代码/身份证号"] for r in read_package(tmp_path / "n.ipdx").annex2_json["rows"]}


def test_correction_flow(office, tmp_path):
    desk = banner(office)
    desk.office.add_user("王审核", enums.ROLE_REVIEWER, "pw-王审核", own_password="pw-admin")
    approval.approve(desk, "2026-10", "王审核")
    first = export_package(desk, "2026-10", tmp_path / "r1.ipdx")
    with pytest.raises(IpdeskError, match="原因"):
        approval.reopen(desk, "2026-10", "王审核", " ")
    approval.reopen(desk, "2026-10", "王审核", "漏报一次维权援助")
    assert desk.records.locked_periods() == []
    with pytest.raises(IpdeskError, match="尚未审核"):
        export_package(desk, "2026-10", tmp_path / "x.ipdx")
    desk.records.save("work_items", {"date": "2026-10-12", "kind": "维权援助", "count_a": 1})
    approval.approve(desk, "2026-10", "王审核")
    second = export_package(desk, "2026-10", tmp_path / "r2.ipdx")
    assert second["revision"] == 2 and second["correction_of"] == first["package_uuid"]
    history = approval.submission_history(desk, "2026-10")
    assert [h["revision"] for h in history] == [2, 1]
    assert history[1]["superseded_at"] and history[1]["reopen_reason"] == "漏报一次维权援助"
    audit = desk.db.execute("SELECT op_label FROM audit_log WHERE table_name = 'submissions'").fetchall()
    assert ("发起更正 2026年10月",) in audit


def test_cli_approve_and_export(tmp_path):
    import subprocess
    import sys

    from tests.conftest import subprocess_env

    db = str(tmp_path / "c.db")

    def run(*a):
        return subprocess.run([sys.executable, "-m", "tests.cli_harness", "--db", db, "--today", "2026-11-22", *a],
                              capture_output=True, text=True, env=subprocess_env())
    assert run("init", "--unit-code", "150602", "--unit-name", "东胜区市场监督管理局", "--parent-code",
               "150600").returncode == 0
    assert run("demo", "--months", "3").returncode == 0
    admin, clerk = tmp_path / "admin.txt", tmp_path / "clerk.txt"
    admin.write_text("pw-admin\n", encoding="utf-8")
    clerk.write_text("pw-clerk\n", encoding="utf-8")
    assert run("user", "password", "管理员", "--new-password-file", str(admin)).returncode == 0
    assert run("--password-file", str(admin), "user", "add", "李填报", "--role", "填报人", "--new-password-file",
               str(clerk)).returncode == 0
    refused = run("--password-file", str(clerk), "approve", "--period", "2026-10", "--user", "李填报")
    assert refused.returncode != 0 and "只有审核人或管理员" in refused.stderr
    refused = run("--password-file", str(admin), "export-package", "--period", "2026-10", "--out",
                  str(tmp_path / "p.ipdx"))
    assert refused.returncode != 0 and "尚未审核" in refused.stderr
    ok = run("--password-file", str(admin), "approve", "--period", "2026-10", "--user", "管理员")
    assert ok.returncode == 0, ok.stderr
    ok = run("--password-file", str(admin), "export-package", "--period", "2026-10", "--out", str(tmp_path / "p.ipdx"))
    assert ok.returncode == 0, ok.stderr
    assert read_package(tmp_path / "p.ipdx").manifest["period"] == "2026-10"
    ok = run("--password-file", str(admin), "reopen", "--period", "2026-10", "--user", "管理员", "--reason", "补录案件")
    assert ok.returncode == 0 and "更正" in ok.stdout


def test_package_carries_excel_and_pdf_for_people(office, tmp_path):
    import openpyxl
    import pdfplumber

    desk = banner(office)
    approval.approve(desk, "2026-10")
    manifest = export_package(desk, "2026-10", tmp_path / "h.ipdx")
    assert set(manifest["members"]) == {"annex1.json", "annex2.json", "checks.json", "annex1.xlsx", "annex1.pdf",
                                        "annex2.xlsx", "annex2.pdf"}
    zf = zipfile.ZipFile(tmp_path / "h.ipdx")
    for name in ("annex1.pdf", "annex2.pdf"):
        (tmp_path / name).write_bytes(zf.read(name))
        with pdfplumber.open(tmp_path / name) as doc:
            assert "知识产权行政保护工作" in (doc.pages[0].extract_text() or "").replace("\n", "")
    (tmp_path / "a2.xlsx").write_bytes(zf.read("annex2.xlsx"))
    cells = [v for row in openpyxl.load_workbook(tmp_path / "a2.xlsx").active.iter_rows(values_only=True)
             for v in row if isinstance(v, str)]
    assert any("东胜区市场监督管理局" in v for v in cells)
    assert read_package(tmp_path / "h.ipdx").manifest["counts"]["annex2_rows"] == len(desk.figures.annex2("2026-10").rows)
    # PDFs and workbooks are compressed inside: stored as they are; the JSON is deflated.
    kinds = {i.filename: i.compress_type for i in zf.infolist()}
    assert {n for n, k in kinds.items() if k == zipfile.ZIP_STORED} == {"annex1.pdf", "annex2.pdf", "annex1.xlsx",
                                                                        "annex2.xlsx"}
    assert kinds["annex1.json"] == kinds["manifest.json"] == zipfile.ZIP_DEFLATED
