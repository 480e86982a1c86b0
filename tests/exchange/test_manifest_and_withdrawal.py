"""Every manifest field is checked before it is used, the manifest is covered by its digest, revisions follow
the stored ones, timeliness is the receiver's, received figures are checked like a form, and a received package
can be withdrawn (logged, with reason), reinstating what it replaced."""
import json
from datetime import date

import pytest

from ipdesk.cli import main
from ipdesk.exchange import approval, package
from ipdesk.exchange.package import export_package
from ipdesk.exchange.receive import NEW, REFUSED, REPLACE, import_packages, received_rows, withdraw
from ipdesk.exchange.status import completeness
from ipdesk.errors import IpdeskError

from tests.conftest import data_tables

from .test_refusals import rebuild, setup  # noqa: F401  (setup: the shared banner/city fixture)


def refused(c, path, reason):
    before = data_tables(c)
    [v] = import_packages(c, [path])
    assert v.status == REFUSED, (v.status, v.reason)
    assert reason in v.reason, v.reason
    assert data_tables(c) == before
    return v


def set_key(key, value):
    def change(m):
        m[key] = value
    return change


@pytest.mark.parametrize("key, value, reason", [
    ("created_at", "not-a-date", "created_at 无效"),
    ("created_at", 20261101, "created_at 无效"),
    ("approved_at", "yesterday", "approved_at 无效"),
    ("approved_by", {"x": 1}, "approved_by 无效"),
    ("catalog_version", "", "catalog_version 无效"),
    ("personal_ids_masked", "yes", "personal_ids_masked 无效"),
    ("counts", {"annex2_rows": -1}, "计数无效"),
    ("counts", {"annex2_rows": 1.5}, "计数无效"),
    ("revision", 0, "版次无效"),
])
def test_every_manifest_field_is_checked_by_type_and_range(setup, tmp_path, key, value, reason):
    _, c, good = setup
    refused(c, rebuild(good, tmp_path / "bad.ipdx", manifest=set_key(key, value)), reason)


def test_a_bad_parent_code_and_member_size_are_refused(setup, tmp_path):
    _, c, good = setup
    refused(c, rebuild(good, tmp_path / "p.ipdx", manifest=lambda m: m["unit"].update(parent_code="abc")), "单位信息无效")

    def lie_about_size(m):
        m["members"]["annex1.json"]["size"] += 1
    refused(c, rebuild(good, tmp_path / "s.ipdx", manifest=lie_about_size), "校验值")


def test_the_manifest_is_covered_by_its_digest(setup, tmp_path):
    _, c, good = setup
    edited = rebuild(good, tmp_path / "e.ipdx", manifest=set_key("approved_by", "张三"), rehash=False)
    refused(c, edited, "清单的校验值不符")


def test_a_package_created_in_the_future_or_before_its_month_is_refused(setup, tmp_path):
    _, c, good = setup
    refused(c, rebuild(good, tmp_path / "f.ipdx", manifest=set_key("created_at", "2026-12-30T09:00:00")), "晚于今天")
    refused(c, rebuild(good, tmp_path / "b.ipdx", manifest=set_key("created_at", "2026-09-01T09:00:00")), "早于其期间")


def test_a_revision_999_is_refused_and_cannot_block_genuine_corrections(setup, tmp_path):
    b, c, good = setup
    refused(c, rebuild(good, tmp_path / "999.ipdx", manifest=set_key("revision", 999)), "版次")
    [v] = import_packages(c, [good])
    assert v.status == NEW
    refused(c, rebuild(good, tmp_path / "r9.ipdx", manifest=lambda m: m.update(
        revision=9, package_uuid="00000000-0000-4000-8000-000000000009")), "跳跃过大")
    approval.reopen(b, "2026-10", b.user, "更正罚款")
    approval.approve(b, "2026-10")
    fixed = tmp_path / "rev2.ipdx"
    export_package(b, "2026-10", fixed)
    [v2] = import_packages(c, [fixed])
    assert v2.status == REPLACE


def test_timeliness_is_the_receivers_not_the_senders_clock(setup, tmp_path):
    _, c, good = setup
    c.clock["today"] = date(2026, 11, 25)  # received after the 20th
    backdated = rebuild(good, tmp_path / "old.ipdx", manifest=set_key("created_at", "2026-11-02T09:00:00"))
    [v] = import_packages(c, [backdated])
    assert v.status == NEW
    [row] = [r for r in completeness(c, "2026-10") if r["code"] == "150602"]
    assert row["late"] and row["status"] == "逾期报送"
    assert row["sent_at"].startswith("2026-11-02")  # shown, not trusted


@pytest.mark.parametrize("cell, value, reason", [
    ("B.tm1.filed", 99, "未通过统计表校验"),
    ("B.tm1.filed", 0.5, "应为整数"),
    ("B.tm1.filed", 1.7e308, "超出合理范围"),
])
def test_received_figures_are_checked_like_a_form(setup, tmp_path, cell, value, reason):
    _, c, good = setup

    def change(data):
        doc = json.loads(data)
        for item in doc["cells"]:
            if item["id"] == cell:
                item["current"] = item["base"]["current"] = value
                item["ytd"] = item["base"]["ytd"] = max(value, item["base"]["ytd"] or 0)
        return json.dumps(doc, ensure_ascii=False).encode()
    assert cell in {i["id"] for i in package.read_package(good).annex1_json["cells"]}
    refused(c, rebuild(good, tmp_path / "x.ipdx", members={"annex1.json": change}), reason)


def test_a_withdrawn_correction_reinstates_what_it_replaced(setup, tmp_path, capsys):
    b, c, good = setup
    import_packages(c, [good])
    [first] = received_rows(c, "2026-10")
    approval.reopen(b, "2026-10", b.user, "更正")
    approval.approve(b, "2026-10")
    second = tmp_path / "rev2.ipdx"
    export_package(b, "2026-10", second)
    assert import_packages(c, [second])[0].status == REPLACE
    [active] = [r for r in received_rows(c, "2026-10") if r["unit_code"] == "150602"]
    assert active["revision"] == 2
    with pytest.raises(IpdeskError, match="撤回原因"):
        withdraw(c, active["id"], "  ")
    assert main(["--db", str(c.path), "--today", "2026-11-22", "withdraw-package", "--unit", "150602",
                 "--period", "2026-10", "--reason", "误报"]) == 0
    assert "现以第1版为准" in capsys.readouterr().out
    [active] = [r for r in received_rows(c, "2026-10") if r["unit_code"] == "150602"]
    assert active["revision"] == 1 and active["package_uuid"] == first["package_uuid"]
    logged = c.db.execute("SELECT new_json FROM audit_log WHERE action = 'withdraw'").fetchone()[0]
    assert "误报" in logged
    # A withdrawn package is not taken again by re-importing it.
    [again] = import_packages(c, [second])
    assert again.status == REFUSED and "撤回" in again.reason
    # Withdrawing the only revision leaves the unit as not sent.
    withdraw(c, active["id"], "单位错误")
    assert not [r for r in completeness(c, "2026-10") if r["code"] == "150602" and r["sent"]]


def test_a_clerk_cannot_withdraw(setup):
    _, c, good = setup
    import_packages(c, [good])
    c.office.add_user("小王", "填报人", "pw123456", own_password="pw-admin")
    c.user = "小王"
    [row] = received_rows(c, "2026-10")
    with pytest.raises(IpdeskError, match="审核人或管理员"):
        withdraw(c, row["id"], "误报")


def test_refused_packages_do_not_each_make_a_new_import_backup(setup, tmp_path):
    _, c, good = setup
    bad = rebuild(good, tmp_path / "bad.ipdx", manifest=set_key("created_at", "not-a-date"))
    import_packages(c, [bad])  # the first import: a restore point
    before = len(c.backups())
    for _ in range(3):
        assert import_packages(c, [bad])[0].status == REFUSED
    assert len(c.backups()) == before  # only refusals were logged since: no identical copies
    assert import_packages(c, [good])[0].status == NEW
    import_packages(c, [bad])
    assert len(c.backups()) == before + 1  # a package came in since: a new restore point


def test_imported_verdicts_keep_their_label_not_the_package(setup):
    """A list of verdicts stays on screen: each keeps what it says (label, uuid), not the parsed package (every
    full garbage collection would walk those objects with the window waiting)."""
    _, c, good = setup
    [v] = import_packages(c, [good])
    assert v.status == NEW and v.package is None
    assert v.uuid == package.read_package(good).uuid
    assert v.summary().startswith("接收：") and "第1版" in v.label
    [again] = import_packages(c, [good])
    assert again.package is None and again.uuid == v.uuid and "已接收" in again.summary()
