"""City mode with separate real databases: import, idempotence, corrections, completeness,
consolidation and the three-level chain banner → city → region."""
import json
from datetime import date

import pytest

from ipdesk.exchange import approval
from ipdesk.exchange.consolidate import consolidate
from ipdesk.exchange.package import export_package, read_package
from ipdesk.exchange.receive import DUPLICATE, NEW, REFUSED, REPLACE, import_packages, inspect_package
from ipdesk.exchange.status import completeness, completeness_summary
from ipdesk.domain.money import wan_to_fen
from ipdesk.stats.checks import check_table

from tests.conftest import data_tables

from .conftest import banner

OCT = "2026-10"


def sent(desk, tmp_path, name=None, day=None, period=OCT):
    """Approve and export a banner's month on ``day``; returns the package path."""
    if day:
        desk.clock["today"] = day
    if approval.active_submission(desk, period) is None:
        approval.approve(desk, period)
    path = tmp_path / (name or f"{desk.unit['code']}-{period}.ipdx")
    export_package(desk, period, path)
    return path


def printed(table, cid, which="current"):
    """A cell as the unit printed it, in base units (money: the printed 万元 back in 分)."""
    value = table.printed(cid, which)
    return wan_to_fen(value) if table.catalog.cell(cid).is_money and value is not None else value


def city(office, **kw):
    return office("150600", "鄂尔多斯市市场监督管理局", "150000", subordinates=True, **kw)


def test_import_consolidate_and_reimport_is_noop(office, tmp_path):
    b1, b2 = banner(office, "150602"), banner(office, "150621")
    b1.records.set_manual_cell("A.key_markets", "2026-10", 7)
    b2.records.set_manual_cell("A.key_markets", "2026-09", 4)  # a stock entered earlier still counts
    p1, p2 = sent(b1, tmp_path), sent(b2, tmp_path)
    c = city(office)
    c.records.save("inspections", {"date": "2026-10-09", "kind": "专项检查", "place_kind": "实体市场", "subject_count": 3,
                           "officers": 4})
    verdicts = import_packages(c, [p1, p2])
    assert [v.status for v in verdicts] == [NEW, NEW]
    a1, a2 = consolidate(c, OCT)
    t1, t2 = b1.figures.annex1(OCT), b2.figures.annex1(OCT)
    for cid in ("B.total.filed", "B.total.closed", "B.total.open_end", "B.total.penalty_total", "B.tm1.open_start",
                "C.publicity_people"):
        for which in ("current", "ytd"):
            assert a1.value(cid, which) == t1.value(cid, which) + t2.value(cid, which), (cid, which)
            # Printed: the sum of what each unit printed.
            assert a1.printed(cid, which) == t1.printed(cid, which) + t2.printed(cid, which), (cid, which)
    assert a1.value("A.actions") == t1.value("A.actions") + t2.value("A.actions") + 1  # the city's own inspection
    assert a1.value("A.officers") == t1.value("A.officers") + t2.value("A.officers") + 4
    assert a1.value("A.key_markets") == 7 + 4 == a1.value("A.key_markets", "ytd")
    checked, withdrawn = a1.value("C.abnormal_checked"), a1.value("C.abnormal_withdrawn")
    assert a1.value("C.abnormal_rate") == (round(withdrawn / checked * 100, 1) if checked else None)
    assert [f for f in check_table(a1) if f.is_error] == []
    assert len(a2.rows) == len(b1.figures.annex2(OCT).rows) + len(b2.figures.annex2(OCT).rows)
    assert {r["unit_name"] for r in a2.rows} == {"东胜区市场监督管理局", "达拉特旗市场监督管理局"}
    assert [r["seq"] for r in a2.rows] == list(range(1, len(a2.rows) + 1))
    before = data_tables(c)
    again = import_packages(c, [p1, p2])
    assert [v.status for v in again] == [DUPLICATE, DUPLICATE]
    assert data_tables(c) == before


def test_no_data_stays_distinguishable(office, tmp_path):
    b1 = banner(office, "150602")
    b1.records.set_manual_cell("A.key_markets", "2026-09", None)  # 未填报
    c = city(office)
    import_packages(c, [sent(b1, tmp_path)])
    a1, _ = consolidate(c, OCT)
    assert a1.value("A.key_markets") is None  # nobody reported the stock cell: 未填报, not 0
    assert a1.display("A.key_markets") == "—"


def test_correction_diff_then_replace(office, tmp_path):
    b1 = banner(office, "150602")
    c = city(office)
    r1 = sent(b1, tmp_path, "r1.ipdx")
    import_packages(c, [r1])
    approval.reopen(b1, OCT, "管理员", "补录一件立案")
    b1.records.save("cases", {"name": "补录商标侵权案", "case_no": "鄂东市监立字〔2026〕950号", "category": "商标侵权",
                      "source": "投诉举报", "procedure": "一般程序", "lead_date": "2026-10-05",
                      "filed_date": "2026-10-08"})
    r2 = sent(b1, tmp_path, "r2.ipdx")
    old_filed = consolidate(c, OCT)[0].value("B.total.filed")
    v = inspect_package(c, r2)
    assert v.status == REPLACE and v.replaces["revision"] == 1
    changed = {(d.cell_id, d.where.split("（")[-1]): (d.old, d.new) for d in v.diff}
    assert changed[("B.total.filed", "本期）")] == (str(old_filed), str(old_filed + 1))
    assert ("B.tm1.filed", "本年累计）") in changed
    assert "新增 1 行" in v.annex2_change
    # A GUI declining the confirmation leaves everything as it was.
    before = data_tables(c)
    [declined] = import_packages(c, [r2], confirm=lambda verdict: False)
    assert declined.status == REFUSED and data_tables(c) == before
    [done] = import_packages(c, [r2])
    assert done.status == REPLACE
    assert consolidate(c, OCT)[0].value("B.total.filed") == old_filed + 1
    rows = c.db.execute("SELECT revision, replaced_by FROM received_packages ORDER BY revision").fetchall()
    assert rows[0][1] == read_package(r2).uuid and rows[1][1] is None
    assert read_package(r2).manifest["correction_of"] == read_package(r1).uuid
    log = c.db.execute("SELECT new_json FROM audit_log WHERE action = 'replace'").fetchone()
    assert "合计·案件数·立案（本期）" in json.loads(log[0])["changes"][0] or json.loads(log[0])["changes"]
    # The older revision arriving again is a no-op; a dry run of a fresh correction writes nothing.
    assert import_packages(c, [r1])[0].status == DUPLICATE
    assert completeness(c, OCT)[0]["corrected"] is True


def test_completeness_late_and_missing(office, tmp_path):
    on_time = banner(office, "150602")
    late = banner(office, "150621")
    c = city(office)
    for banner_desk, day in ((on_time, date(2026, 11, 16)), (late, date(2026, 11, 21))):
        c.clock["today"] = day  # timeliness is the city's receipt of the package
        import_packages(c, [sent(banner_desk, tmp_path, day=day)])
    c.clock["today"] = date(2026, 11, 22)
    rows = {r["code"]: r for r in completeness(c, OCT)}
    assert len(rows) == 9
    assert rows["150602"]["status"] == "按时" and rows["150602"]["sent_at"].startswith("2026-11-16")
    assert rows["150621"]["status"] == "逾期报送" and rows["150621"]["late"]
    assert rows["150627"]["status"] == "逾期未报" and not rows["150627"]["sent"]
    assert completeness_summary(list(rows.values())) == {"units": 9, "sent": 2, "on_time": 1, "late": 1,
                                                         "missing": 7, "corrected": 0}
    c.clock["today"] = date(2026, 11, 10)  # before the deadline, a missing unit is not yet late
    assert {r["status"] for r in completeness(c, OCT) if not r["sent"]} == {"未报送"}


def test_three_level_chain(office, tmp_path):
    b1, b2 = banner(office, "150602"), banner(office, "150627")
    ordos = city(office)
    region = office("150000", "内蒙古自治区市场监督管理局", None, subordinates=True)
    assert any(u["code"] == "150600" for u in region.office.subordinate_units())
    import_packages(ordos, [sent(b1, tmp_path), sent(b2, tmp_path)])
    # The city approves its consolidated tables; each missing banner is a warning needing a reason.
    with pytest.raises(Exception, match="需说明"):
        approval.approve(ordos, OCT)
    for f in approval.period_findings(ordos, OCT):
        assert not f.is_error, f.message
        ordos.explanations.explain(OCT, f.key, "该旗区本月延期报送")
    approval.approve(ordos, OCT)
    city_pkg = read_package(sent(ordos, tmp_path))
    assert city_pkg.manifest["unit"] == {"code": "150600", "name": "鄂尔多斯市市场监督管理局", "parent_code": "150000"}
    filed = b1.figures.annex1(OCT).value("B.total.filed") + b2.figures.annex1(OCT).value("B.total.filed")
    assert city_pkg.annex1.value("B.total.filed") == filed
    # The city's package carries its consolidation: what it covers, and its figures as the city printed them.
    assert {u["unit_code"] for u in city_pkg.annex1.scope["units_included"]} == {"150602", "150627"}
    for cid in ("B.total.penalty_total", "B.tm1.amount"):
        assert city_pkg.annex1.printed(cid) == b1.figures.annex1(OCT).printed(cid) + b2.figures.annex1(OCT).printed(cid)
    [v] = import_packages(region, [tmp_path / f"150600-{OCT}.ipdx"])
    assert v.status == NEW, v.reason
    r1, r2 = consolidate(region, OCT)
    assert r1.value("B.total.filed") == filed
    assert r1.printed("B.total.penalty_total") == city_pkg.annex1.printed("B.total.penalty_total")
    assert r1.value("B.total.penalty_total", "ytd") == (b1.figures.annex1(OCT).value("B.total.penalty_total", "ytd")
                                                        + b2.figures.annex1(OCT).value("B.total.penalty_total", "ytd"))
    assert {r["unit_name"] for r in r2.rows} == {"东胜区市场监督管理局", "伊金霍洛旗市场监督管理局"}
    # A banner package sent straight to the region is not the region's subordinate.
    [wrong] = import_packages(region, [tmp_path / f"150602-{OCT}.ipdx"])
    assert wrong.status == REFUSED and "不是本单位" in wrong.reason
