"""Packages are untrusted input: every kind of bad package is refused as a whole, with a Chinese
reason, and changes nothing (only the refusal is written to the audit log)."""
import json
import zipfile
from datetime import date

import pytest

from ipdesk.exchange import approval, package
from ipdesk.exchange.package import export_package, sha256
from ipdesk.exchange.receive import NEW, REFUSED, import_packages

from tests.conftest import data_tables

from .conftest import banner


@pytest.fixture
def setup(office, tmp_path):
    b = banner(office, "150602")
    approval.approve(b, "2026-10")
    good = tmp_path / "good.ipdx"
    export_package(b, "2026-10", good)
    c = office("150600", "鄂尔多斯市市场监督管理局", "150000", subordinates=True)
    return b, c, good


def rebuild(src, dst, *, manifest=None, members=None, extra=(), rehash=True):
    """A copy of a package with members changed; ``rehash`` updates the manifest's hashes (a careful forger)."""
    zf = zipfile.ZipFile(src)
    content = {n: zf.read(n) for n in zf.namelist()}
    m = json.loads(content.pop("manifest.json"))
    for name, change in (members or {}).items():
        content[name] = change(content[name])
    if rehash:
        for name in m["members"]:
            if name in content:
                m["members"][name] = {"sha256": sha256(content[name]), "size": len(content[name])}
    if manifest:
        manifest(m)
    if rehash and package.MANIFEST_DIGEST in m:
        m[package.MANIFEST_DIGEST] = package.manifest_digest(m)
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as out:
        out.writestr("manifest.json", json.dumps(m, ensure_ascii=False))
        for name, data in content.items():
            out.writestr(name, data)
        for name, data in extra:
            out.writestr(name, data)
    return dst


def refused(c, path, reason):
    before = data_tables(c)
    audit_before = c.db.execute("SELECT COUNT(*) FROM audit_log").fetchone()[0]
    [v] = import_packages(c, [path])
    assert v.status == REFUSED, v.status
    assert reason in v.reason, v.reason
    assert data_tables(c) == before
    log = c.db.execute("SELECT action, new_json FROM audit_log WHERE id > (SELECT MAX(id) - 1 FROM audit_log)"
                       ).fetchone()
    assert c.db.execute("SELECT COUNT(*) FROM audit_log").fetchone()[0] == audit_before + 1
    assert log[0] == "refuse" and reason in json.loads(log[1])["reason"]
    return v


def _edit_json(change):
    def do(data):
        doc = json.loads(data)
        change(doc)
        return json.dumps(doc, ensure_ascii=False).encode()
    return do


def test_tampered_member_hash(setup, tmp_path):
    _, c, good = setup
    def raise_filed(doc):
        cell = next(x for x in doc["cells"] if x["id"] == "B.total.filed")
        cell["base"]["current"] += 5
        cell["current"] += 5
    bad = rebuild(good, tmp_path / "t.ipdx", members={"annex1.json": _edit_json(raise_filed)}, rehash=False)
    refused(c, bad, "SHA-256")


def test_zip_slip_and_absolute_member(setup, tmp_path):
    _, c, good = setup
    refused(c, rebuild(good, tmp_path / "s.ipdx", extra=[("../../evil.json", b"{}")]), "非法路径")
    refused(c, rebuild(good, tmp_path / "a.ipdx", extra=[("/etc/evil.json", b"{}")]), "非法路径")
    refused(c, rebuild(good, tmp_path / "x.ipdx", extra=[("notes.txt", b"hi")]), "不应有的文件")


def test_zip_bomb_and_oversized_file(setup, tmp_path, monkeypatch):
    _, c, good = setup
    bomb = tmp_path / "bomb.ipdx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("manifest.json", b"{}")
        zf.writestr("annex1.json", b"0" * (25 * 1024 * 1024))  # 25 MB of zeros compress to ~25 KB
    assert bomb.stat().st_size < 200_000
    refused(c, bomb, "压缩炸弹")
    big = tmp_path / "big.ipdx"
    big.write_bytes(good.read_bytes() + b"\0" * (package.MAX_PACKAGE_BYTES + 1 - good.stat().st_size))
    refused(c, big, "文件过大")


def test_not_a_zip_and_missing_manifest(setup, tmp_path):
    _, c, good = setup
    junk = tmp_path / "junk.ipdx"
    junk.write_bytes(b"PK\x03\x04 this is not really a zip")
    refused(c, junk, "无法作为 zip 打开")
    nomani = tmp_path / "nm.ipdx"
    with zipfile.ZipFile(nomani, "w") as zf:
        zf.writestr("annex1.json", b"{}")
    refused(c, nomani, "缺少清单")


def test_wrong_format_and_version(setup, tmp_path):
    _, c, good = setup
    refused(c, rebuild(good, tmp_path / "f.ipdx", manifest=lambda m: m.update(format="other")), "不是 ipdesk 报送包")
    refused(c, rebuild(good, tmp_path / "v.ipdx", manifest=lambda m: m.update(format_version=2)), "格式版本")


def test_wrong_parent(office, setup, tmp_path):
    _, c, _ = setup
    stranger = office("150102", "新城区市场监督管理局", "150100", months=3)
    approval.approve(stranger, "2026-10")
    export_package(stranger, "2026-10", tmp_path / "s.ipdx")
    refused(c, tmp_path / "s.ipdx", "不是本单位")


def test_wrong_period(setup, tmp_path):
    _, c, good = setup
    c.clock["today"] = date(2026, 10, 25)  # the month has not ended yet for the city
    refused(c, good, "尚未结束")
    c.clock["today"] = date(2026, 11, 22)
    refused(c, rebuild(good, tmp_path / "q.ipdx", manifest=lambda m: m.update(period="2026-Q3")), "应为月份")
    refused(c, rebuild(good, tmp_path / "p.ipdx", manifest=lambda m: m.update(period="2026-09")), "期间与清单不一致")


def test_numbers_must_be_numbers_and_cells_known(setup, tmp_path):
    _, c, good = setup
    def text_number(doc):
        next(x for x in doc["cells"] if x["id"] == "A.actions")["base"]["current"] = "12"
    refused(c, rebuild(good, tmp_path / "n.ipdx", members={"annex1.json": _edit_json(text_number)}), "不是数字")
    def unknown_cell(doc):
        doc["cells"][0]["id"] = "Z.nothing"
    refused(c, rebuild(good, tmp_path / "u.ipdx", members={"annex1.json": _edit_json(unknown_cell)}), "没有的单元格")
    def bad_columns(doc):
        doc["columns"] = doc["columns"][:-1]
    refused(c, rebuild(good, tmp_path / "c.ipdx", members={"annex2.json": _edit_json(bad_columns)}), "附件2的列")


def test_good_package_still_accepted_after_refusals(setup):
    _, c, good = setup
    assert import_packages(c, [good])[0].status == NEW


def test_stale_revision_and_reused_uuid(setup, tmp_path):
    import uuid as uuidlib

    _, c, good = setup
    assert import_packages(c, [good])[0].status == NEW
    # Another package of the same month that is not a newer revision.
    stale = rebuild(good, tmp_path / "stale.ipdx", manifest=lambda m: m.update(package_uuid=str(uuidlib.uuid4())))
    refused(c, stale, "不是更新的版本")
    # The same package id with different content (hashes made consistent by a forger).
    def more_rows(doc):
        doc["rows"] = doc["rows"] + doc["rows"][:1]
    forged = rebuild(good, tmp_path / "forged.ipdx", members={"annex2.json": _edit_json(more_rows)},
                     manifest=lambda m: m["counts"].update(annex2_rows=m["counts"]["annex2_rows"] + 1))
    refused(c, forged, "编号相同但内容不同")


@pytest.mark.parametrize("amount", [1e308, 1e11, -1e308])
def test_an_impossible_amount_is_refused_not_a_traceback(setup, tmp_path, amount):
    """1e308 万元 has no 分 (Decimal cannot quantize it); anything over 10^10 万元 is a typo or a forgery."""
    _, c, good = setup
    def huge(doc):
        doc["rows"][0][next(k for k in doc["rows"][0] if k.startswith("涉案金额"))] = amount
    refused(c, rebuild(good, tmp_path / "a2.ipdx", members={"annex2.json": _edit_json(huge)}),
            "负数" if amount < 0 else "超出合理范围")
    def huge_total(doc):
        doc["total_in_annex1"] = {k: amount for k in doc["total_in_annex1"]}
    refused(c, rebuild(good, tmp_path / "t.ipdx", members={"annex2.json": _edit_json(huge_total)}),
            "负数" if amount < 0 else "超出合理范围")


def test_an_impossible_printed_amount_in_annex1_is_refused(setup, tmp_path):
    """An older package carries 上年同期 only as printed 万元; 1e308 of it has no 分."""
    _, c, good = setup
    def huge_prev(doc):
        cell = next(x for x in doc["cells"] if x["id"] == "B.tm1.fine")
        cell["base"].pop("prev_current", None)
        cell["prev_current"] = 1e308
    refused(c, rebuild(good, tmp_path / "p.ipdx", members={"annex1.json": _edit_json(huge_prev)}), "超出合理范围")
