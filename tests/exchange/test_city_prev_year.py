"""A city's 上年同期 over what its banners sent: no data (—) when no unit sent one, the others' sum with the units
named (and 同比 —) when some did not, and a unit's span without it in one of its months has none."""
from datetime import date

import pytest

from ipdesk.domain import enums
from ipdesk.exchange import approval
from ipdesk.exchange.consolidate import consolidation
from ipdesk.exchange.package import export_package, read_package
from ipdesk.exchange.receive import NEW, import_packages
from ipdesk.reports.summary import build_summary

from .conftest import ORDOS_BANNERS

APRIL = date(2026, 4, 20)


def a_case(desk, filed, name="甲店商标侵权案"):
    desk.records.save("cases", {"name": name, "category": "商标侵权", "procedure": enums.PROCEDURE_GENERAL,
                                "filed_date": filed})


def send(desk, folder, months):
    paths = []
    for m in months:
        for f in approval.period_findings(desk, m):
            if not f.is_error:
                desk.explanations.explain(m, f.key, "已核实")
        approval.approve(desk, m)
        path = folder / f"{desk.unit['code']}-{m}.ipdx"
        export_package(desk, m, path)
        paths.append(path)
    return paths


def banner(office, code, first_month, cases):
    desk = office(code, ORDOS_BANNERS[code] + "市场监督管理局", "150600", today=APRIL)
    if first_month:
        desk.set_first_month(first_month)
    for n, filed in enumerate(cases):
        a_case(desk, filed, f"案{n}")
    return desk


def city(office, paths):
    c = office("150600", "鄂尔多斯市市场监督管理局", "150000", subordinates=True, today=APRIL)
    verdicts = import_packages(c, paths)
    assert {v.status for v in verdicts} == {NEW}, [v.reason for v in verdicts if v.status != NEW]
    return c


@pytest.fixture
def first_year(office, tmp_path):
    """东胜区 and 达拉特旗 both start using ipdesk in March 2026 and send March."""
    paths = []
    for code in ("150602", "150621"):
        paths += send(banner(office, code, "2026-03", ["2026-03-05"]), tmp_path, ["2026-03"])
    return paths


def test_no_unit_sent_a_previous_year(office, first_year):
    package = read_package(first_year[0])  # the package carries no data as null and reads it back as None
    sent = {c["id"]: c for c in package.annex1_json["cells"]}["B.total.filed"]
    assert sent["prev_current"] is None and sent["base"]["prev_ytd"] is None and sent["yoy_current_pct"] is None
    assert package.annex1.value("B.total.filed", "prev_current") is None
    c = consolidation(city(office, first_year), "2026-03")
    t = c.annex1
    assert t.value("B.total.filed") == 2
    for cid in ("B.total.filed", "B.total.fine", "A.actions", "C.abnormal_rate"):
        for which in ("prev_current", "prev_ytd"):
            assert t.value(cid, which) is None and t.display(cid, which) == "—", (cid, which)
        assert t.yoy(cid) is None and t.yoy(cid, "ytd") is None
    assert t.prev_partial == set()  # nothing summed in part: all are no data
    assert "无上年同期数据：东胜区、达拉特旗" in t.scope["coverage"] and "其余单位之和" not in t.scope["coverage"]
    data = {x["id"]: x for x in t.to_json()["cells"]}
    assert data["B.total.filed"]["prev_current"] is None and data["B.total.filed"]["yoy_current_pct"] is None


def test_some_units_without_a_previous_year(office, tmp_path):
    new = banner(office, "150602", "2026-03", ["2026-03-05"])
    old = banner(office, "150621", "2024-01", ["2025-03-02", "2025-03-09", "2026-03-05", "2026-03-07",
                                                "2026-03-11"])
    for month in ("2026-01", "2026-02"):  # 达拉特旗 approves its year in order
        approval.approve(old, month)
    paths = send(new, tmp_path, ["2026-03"]) + send(old, tmp_path, ["2026-03"])
    received = city(office, paths)
    c = consolidation(received, "2026-03")
    t = c.annex1
    assert t.value("B.total.filed") == 4 and t.value("B.total.filed", "prev_current") == 2  # 达拉特旗's alone
    assert t.value("A.actions", "prev_current") == 0  # 达拉特旗's real 0
    assert t.yoy("B.total.filed") is None and t.yoy("A.actions") is None  # 4 against 2 would mislead
    assert t.values["B.total.filed"].yoy_current == 100.0  # what plain arithmetic would have said
    assert ("B.total.filed", "prev_current") in t.prev_partial
    assert "无上年同期数据：东胜区（上年同期为其余单位之和，相应同比记“—”）" in t.scope["coverage"]
    assert {x["id"]: x for x in t.to_json()["cells"]}["B.total.filed"]["yoy_current_pct"] is None
    # The half-year summary (January to March so far, on 本年累计) keeps the — of 同比 and the note.
    summary = build_summary(received, "2026-H1")
    assert summary.table.value("B.total.filed", "prev_current") == 2 and summary.table.yoy("B.total.filed") is None
    assert "无上年同期数据：东胜区" in summary.consolidated["coverage"]
    # 达拉特旗 alone: its own 同比 stands.
    only_old = next(u for u in c.units if u.code == "150621")
    assert only_old.value("B.total.filed", "prev_current") == 2


def test_a_unit_missing_the_previous_year_in_one_month_of_the_span(office, tmp_path):
    """启用月份 2025-02: January 2026's package has no 上年同期, February's has (a real 0 or more); the bimonth's
    上年同期 of that unit is no data, not February's alone."""
    desk = banner(office, "150602", "2025-02", ["2025-02-10", "2026-01-08", "2026-02-03"])
    paths = send(desk, tmp_path, ["2026-01", "2026-02"])
    received = city(office, paths)
    t = consolidation(received, "2026-B1").annex1
    assert t.value("B.total.filed") == 2
    assert t.value("B.total.filed", "prev_current") is None and t.display("B.total.filed", "prev_current") == "—"
    assert consolidation(received, "2026-02").annex1.value("B.total.filed", "prev_current") == 1
    assert consolidation(received, "2026-01").annex1.value("B.total.filed", "prev_current") is None


def test_the_region_names_a_city_whose_previous_year_left_out_a_banner(office, tmp_path):
    """鄂尔多斯's 上年同期 is 达拉特旗's alone (东胜区 has none): its package marks those cells, the region takes them
    as no data for that city (part of the city is not the city), sums 呼和浩特's and names 鄂尔多斯市."""
    new = banner(office, "150602", "2026-03", ["2026-03-05"])
    old = banner(office, "150621", "2024-01", ["2025-03-02", "2026-03-05"])
    for month in ("2026-01", "2026-02"):
        approval.approve(old, month)
    ordos = city(office, send(new, tmp_path, ["2026-03"]) + send(old, tmp_path, ["2026-03"]))
    ordos_path = send(ordos, tmp_path, ["2026-03"])[0]
    sent = read_package(ordos_path)
    filed = {c["id"]: c for c in sent.annex1_json["cells"]}["B.total.filed"]
    assert filed["prev_partial"] == ["prev_current", "prev_ytd"] and filed["prev_current"] == 1
    assert ("B.total.filed", "prev_current") in sent.annex1.prev_partial  # read back as it was sent
    assert sent.annex1.yoy("B.total.filed") is None

    xincheng = office("150102", "新城区市场监督管理局", "150100", today=APRIL)
    xincheng.set_first_month("2024-01")
    for n, filed_date in enumerate(["2025-03-09", "2025-03-19", "2026-03-01"]):
        a_case(xincheng, filed_date, f"新城案{n}")
    for month in ("2026-01", "2026-02"):
        approval.approve(xincheng, month)
    hohhot = office("150100", "呼和浩特市市场监督管理局", "150000", subordinates=True, today=APRIL)
    assert {v.status for v in import_packages(hohhot, send(xincheng, tmp_path, ["2026-03"]))} == {NEW}
    hohhot_path = send(hohhot, tmp_path, ["2026-03"])[0]

    region = office("150000", "内蒙古自治区市场监督管理局", None, subordinates=True, today=APRIL)
    assert {v.status for v in import_packages(region, [ordos_path, hohhot_path])} == {NEW}
    r = consolidation(region, "2026-03").annex1
    assert r.value("B.total.filed") == 3 and r.value("B.total.filed", "prev_current") == 2  # 呼和浩特's alone
    assert r.yoy("B.total.filed") is None
    assert "无上年同期数据：鄂尔多斯市（上年同期为其余单位之和" in r.scope["coverage"]


def test_a_bad_previous_year_mark_is_refused(office, first_year):
    from ipdesk.exchange.tables import PackageError, annex1_from_json

    data = read_package(first_year[0]).annex1_json
    data["cells"][0]["prev_partial"] = ["prev_current", "current"]
    with pytest.raises(PackageError, match="上年同期标记"):
        annex1_from_json(data)
    data["cells"][0]["prev_partial"] = []
    assert annex1_from_json(data).prev_partial == set()


def test_the_summary_chart_draws_no_previous_year_bars_of_some_units(office, tmp_path):
    """东胜区 has no 上年同期: the city's 上年同期 of 商标侵权 is 达拉特旗's alone and its 同比 is —; bars of it beside
    the whole city's this year would draw the comparison the — withholds (3 against 1)."""
    new = banner(office, "150602", "2026-03", ["2026-03-05", "2026-03-06"])
    old = banner(office, "150621", "2024-01", ["2025-03-02", "2026-03-05"])
    for month in ("2026-01", "2026-02"):
        approval.approve(old, month)
    received = city(office, send(new, tmp_path, ["2026-03"]) + send(old, tmp_path, ["2026-03"]))
    summary = build_summary(received, "2026-H1")
    assert summary.table.value("B.tm1.filed", "prev_current") == 1 and summary.table.yoy("B.tm1.filed") is None
    labels, now, before = summary.category_chart()
    assert now[labels.index("商标侵权")] == 3
    assert before is None


def test_a_unit_is_not_named_for_a_typed_in_figure_first_entered_this_year(office, tmp_path):
    """达拉特旗 has used ipdesk since 2024 and sends its whole 上年同期; its 辖区重点实体市场数量 (typed in, not
    counted) was first entered in March 2026. That cell's 上年同期 is —, but the form must not say 达拉特旗 has no
    上年同期 data."""
    old = banner(office, "150621", "2024-01", ["2025-03-02", "2026-03-05"])
    old.records.set_manual_cell("A.key_markets", "2026-03", 4)
    for month in ("2026-01", "2026-02"):
        approval.approve(old, month)
    c = consolidation(city(office, send(old, tmp_path, ["2026-03"])), "2026-03")
    t = c.annex1
    assert t.value("A.key_markets") == 4 and t.display("A.key_markets", "prev_current") == "—"
    assert t.value("B.total.filed", "prev_current") == 1 and t.yoy("B.total.filed") == 0.0
    assert c.without_previous_year == [] and "无上年同期数据" not in t.scope["coverage"]
