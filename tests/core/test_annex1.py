"""附件1 on hand-built records, answers worked out by hand."""

import pytest

from ipdesk.catalog import CURRENT
from ipdesk.domain import enums
from ipdesk.domain.periods import Period
from ipdesk.stats.checks import check_table

USCC = "91350100M000100Y43"


def case(desk, name, **fields):
    base = {"name": name, "category": "商标侵权", "procedure": enums.PROCEDURE_GENERAL}
    base.update(fields)
    if "lead_date" not in base and "filed_date" not in base:
        raise AssertionError
    return desk.records.save("cases", base).record_id


@pytest.fixture
def booked(desk):
    """A small year of records:
    - A: 商标侵权, filed 2025-12-20, closed 2026-02-10 (open at the start of 2026)
    - B: 商标侵权 一般, filed 2026-03-03, decided 03-20 (fine 15,000 + confiscated 1,200.50), closed 03-25, 电商
    - C: 商标侵权 简易, filed 2026-03-10, still open, amount 600,000 元 (案值50万以上), 农村市场
    - D: 专利侵权纠纷 行政裁决, filed 2026-03-15, closed 2026-04-02, recovered 3,000, 外商投资
    - E: 假冒专利, lead only 2026-03-28 (not counted anywhere in B)
    - F: 地理标志, filed 2025-03-05 (last year's 3月), closed 2025-03-30, fine 2,000
    """
    case(desk, "A", filed_date="2025-12-20", closed_date="2026-02-10", outcome="撤销立案")
    case(desk, "B", filed_date="2026-03-03", decision_date="2026-03-20", closed_date="2026-03-25",
         outcome=enums.OUTCOME_PENALTY, fine="15000", confiscated="1200.50", decision_no="X罚〔2026〕1号",
         flag_ecommerce=1, party_id_no=USCC, amount_involved="8000")
    case(desk, "C", filed_date="2026-03-10", procedure=enums.PROCEDURE_SIMPLE, amount_involved="600000",
         flag_rural=1)
    case(desk, "D", category=enums.DISPUTE_CATEGORY, procedure=enums.PROCEDURE_RULING, filed_date="2026-03-15",
         decision_date="2026-04-02", closed_date="2026-04-02", outcome="调解结案", recovered="3000", flag_foreign=1)
    case(desk, "E", category="假冒专利", lead_date="2026-03-28")
    case(desk, "F", category="地理标志", filed_date="2025-03-05", decision_date="2025-03-28",
         closed_date="2025-03-30", outcome=enums.OUTCOME_PENALTY, fine="2000", decision_no="X罚〔2025〕9号")
    desk.records.save("inspections", {"date": "2026-03-02", "kind": "专项检查", "place_kind": "实体市场",
                              "subject_count": 12, "officers": 6})
    desk.records.save("inspections", {"date": "2026-03-18", "kind": "电商监测", "place_kind": "电商平台",
                              "subject_count": 80, "officers": 2})
    desk.records.save("inspections", {"date": "2026-01-09", "kind": "日常巡查", "place_kind": "展会",
                              "subject_count": 3, "officers": 4})
    desk.records.save("work_items", {"date": "2026-03-05", "kind": "非正常专利申请核查", "count_a": 20, "count_b": 18})
    desk.records.save("work_items", {"date": "2026-02-05", "kind": "非正常专利申请核查", "count_a": 10, "count_b": 9})
    return desk


def test_part_b_march(booked):
    t = booked.figures.annex1("2026-03")
    v = lambda cid, which="current": t.value(cid, which)  # noqa: E731
    assert v("B.tm1.open_start") == 0  # A closed in February
    assert v("B.tm1.open_start", "ytd") == 1  # A was open on 1 January
    assert v("B.tm1.filed") == 2 and v("B.tm1.filed_general") == 1 and v("B.tm1.filed_simple") == 1
    assert v("B.tm1.closed") == 1 and v("B.tm1.closed", "ytd") == 2
    assert v("B.tm1.open_end") == 1 and v("B.tm1.open_end", "ytd") == 1
    assert v("B.tm1.fine") == 1_500_000 and v("B.tm1.confiscated") == 120_050
    assert v("B.tm1.penalty_total") == 1_620_050
    assert t.display("B.tm1.penalty_total") == "1.6201"
    assert v("B.tm1.amount") == 800_000  # C has no decision yet: money counts by 处罚决定日期
    assert v("B.tm1.ecommerce") == 1 and v("B.tm1.rural") == 1 and v("B.tm1.over_500k") == 1
    assert v("B.pt2.filed") == 1 and v("B.pt2.filed_ruling") == 1 and v("B.pt2.open_end") == 1
    assert v("B.pt2.foreign") == 1 and v("B.pt2.recovered") == 0  # decided in April
    assert v("B.pt1.filed") == 0  # E is only a lead
    assert v("B.tm_subtotal.filed") == 2 and v("B.pt_subtotal.filed") == 1 and v("B.total.filed") == 3
    # Same month last year: F.
    assert v("B.tm2.filed", "prev_current") == 1 and v("B.tm2.fine", "prev_current") == 200_000
    assert v("B.total.filed", "prev_ytd") == 1
    assert t.values["B.total.filed"].yoy_current == 200.0


def test_part_b_april_and_year(booked):
    t = booked.figures.annex1("2026-04")
    assert t.value("B.pt2.closed") == 1 and t.value("B.pt2.recovered") == 300_000
    assert t.value("B.pt2.foreign_recovered") == 300_000
    assert t.value("B.total.open_start") == 2 and t.value("B.total.open_end") == 1
    year = booked.figures.annex1("2026")
    assert year.value("B.total.filed") == 3 and year.value("B.total.closed") == 3
    assert year.value("B.total.open_start") == 1 and year.value("B.total.open_end") == 1


def test_parts_a_and_c(booked):
    t = booked.figures.annex1("2026-03")
    assert t.value("A.actions") == 2 and t.value("A.officers") == 8
    assert t.value("A.subjects") == 12  # 电商监测 counts as links, not as 户次
    assert t.value("A.online_monitored") == 80
    assert t.value("A.market_actions") == 1 and t.value("A.market_officers") == 6
    assert t.value("A.fairs") == 0 and t.value("A.fairs", "ytd") == 1
    assert t.value("A.actions", "ytd") == 3
    assert t.value("C.abnormal_checked") == 20 and t.value("C.abnormal_withdrawn") == 18
    assert t.value("C.abnormal_rate") == 90.0
    assert t.value("C.abnormal_rate", "ytd") == round(27 / 30 * 100, 1)
    assert t.value("C.abnormal_rate", "prev_current") is None  # nothing to divide: no data, not 0
    assert t.display("C.abnormal_rate", "prev_current") == "—"


def test_manual_stock_cell_no_data_is_not_zero(booked):
    assert booked.figures.annex1("2026-03").value("A.key_markets") is None
    booked.records.set_manual_cell("A.key_markets", "2026-02", 9)
    booked.records.set_manual_cell("A.key_markets", "2026-05", 11)
    assert booked.figures.annex1("2026-03").value("A.key_markets") == 9  # a stock carries forward
    assert booked.figures.annex1("2026-03").value("A.key_markets", "ytd") == 9
    assert booked.figures.annex1("2026-06").value("A.key_markets", "ytd") == 11
    assert booked.figures.annex1("2026-01").value("A.key_markets") is None
    booked.records.set_manual_cell("A.key_markets", "2026-05", 0)
    t = booked.figures.annex1("2026-05")
    assert t.value("A.key_markets") == 0 and t.display("A.key_markets") == "0"


def test_ytd_is_sum_of_months_for_every_flow_cell(booked):
    year = [booked.figures.annex1(f"2026-{m:02d}") for m in range(1, 12)]
    for cid, cell in CURRENT.cells().items():
        if cell.ytd != "flow":
            continue
        running = 0
        for t in year:
            running += t.value(cid)
            assert t.value(cid, "ytd") == running, cid
    h1 = booked.figures.annex1("2026-H1")
    q1 = booked.figures.annex1("2026-Q1")
    for cid, cell in CURRENT.cells().items():
        if cell.ytd == "flow":
            assert h1.value(cid) == sum(t.value(cid) for t in year[:6]), cid
            assert q1.value(cid) == sum(t.value(cid) for t in year[:3]), cid


def test_a_months_table_carries_each_flow_cells_12_months_before(booked):
    """The 工作台's month-by-month chart: for every flow cell, a month's table carries the 12 months before
    it, each the figure of that month's own table (incl. last year's 12月 and this year's 3月)."""
    t = booked.figures.annex1("2026-04")
    months = [f"2025-{m:02d}" for m in range(4, 13)] + [f"2026-{m:02d}" for m in range(1, 4)]
    own = {code: booked.figures.annex1(code) for code in months}
    flow = [cid for cid, cell in CURRENT.cells().items() if cell.ytd == "flow"]
    assert flow and set(t.monthly) == set(flow)
    for cid in flow:
        assert list(t.monthly[cid]) == months, cid
        for code in months:
            assert t.monthly[cid][code] == own[code].value(cid), (cid, code)
    assert t.monthly["B.total.filed"]["2026-03"] == 3 and t.monthly["B.total.filed"]["2025-12"] == 1


def test_hand_built_year_passes_every_hard_check(booked):
    for m in range(1, 12):
        p = Period(2026, m, "month")
        assert [f for f in check_table(booked.figures.annex1(p)) if f.is_error] == []
        assert [f.message for f in booked.figures.check_period(p) if f.is_error] == []


def test_checks_catch_a_broken_table(booked):
    t = booked.figures.annex1("2026-03")
    t.values["B.tm1.open_end"].current = 5
    t.values["B.tm1.filed_general"].current = 7
    t.values["B.total.fine"].current += 1
    t.values["C.abnormal_withdrawn"].current = 99
    keys = {f.key for f in check_table(t)}
    assert "rule:B.tm1.open_end:current" in keys
    assert "rule:B.tm1.filed:current" in keys  # 一般+简易+裁决 ≠ 立案
    assert "rule:B.tm1.filed_general:current" in keys  # 其中 > 立案
    assert "rowsum:B.total.fine:current" in keys
    assert "rule:C.abnormal_withdrawn:current" in keys


def test_drill_down_lists_the_cases_behind_a_cell(booked):
    table, rows = booked.figures.records_behind("2026-03", "B.tm1.filed")
    assert table == "cases" and [r["name"] for r in rows] == ["B", "C"]
    _, rows = booked.figures.records_behind("2026-03", "B.total.open_start", "ytd")
    assert [r["name"] for r in rows] == ["A"]
    _, rows = booked.figures.records_behind("2026-03", "B.pt_subtotal.foreign")
    assert [r["name"] for r in rows] == ["D"]
    table, rows = booked.figures.records_behind("2026-03", "A.market_actions")
    assert table == "inspections" and len(rows) == 1 and rows[0]["officers"] == 6
    _, rows = booked.figures.records_behind("2026-03", "B.tm2.fine", "prev_current")
    assert [r["name"] for r in rows] == ["F"]


def test_annex2_matches_annex1(booked):
    for code in ("2026-03", "2026-04", "2026-Q1", "2026"):
        a1, a2 = booked.figures.annex1(code), booked.figures.annex2(code)
        p = Period.parse(code)
        for row in CURRENT.part("B").rows:
            filed = [r for r in a2.rows if r["category"] in row.categories and r["filed_date"]
                     and p.start.isoformat() <= r["filed_date"] <= p.end.isoformat()]
            assert a1.value(f"B.{row.id}.filed") == len(filed), (code, row.label)


def test_annex2_rows_and_totals(booked):
    t = booked.figures.annex2("2026-03")
    assert [r["name"] for r in t.rows] == ["B", "C", "D"]
    b = t.rows[0]
    assert b["penalty_wan"] == 1.6201 and b["is_ecommerce"] == "是" and b["seq"] == 1
    # Money follows 附件1's date (处罚决定日期): C is undecided and D decided in April, so both show —.
    c, d = t.rows[1], t.rows[2]
    assert c["amount_wan"] is None and c["penalty_wan"] is None and d["penalty_wan"] is None
    assert t.total_row()["amount_wan"] == 0.8  # B's 8,000 元 only
    a1 = booked.figures.annex1("2026-03")
    assert t.annex1_row()["amount_wan"] == float(a1.printed("B.total.amount")) == 0.8
    assert t.annex1_row()["penalty_wan"] == float(a1.printed("B.total.penalty_total")) == 1.6201
    # April: D is listed (closed 04-02) and decided then, but has no 罚没款.
    april = booked.figures.annex2("2026-04")
    assert [r["name"] for r in april.rows] == ["D"] and april.rows[0]["penalty_wan"] == 0.0
    js = t.to_json()
    assert js["rows"][1]["涉案金额（万元）"] is None and js["total_in_annex1"]["罚没款金额（万元）"] == 1.6201
    assert js["columns"][0] == "序号" and js["rows"][0]["案件名称"] == "B"
    assert js["total"]["序号"] == "合计"


def test_outlier_warning_once_per_column_not_again_on_subtotals(desk):
    cases = []
    for m in range(1, 11):  # two cases a month for a year (Nov 2025 – Oct 2026), then eight in November
        for year, month in ((2025, 11), (2025, 12)) if m == 1 else ():
            cases += [{"name": f"旧{year}{month}{i}", "category": "商标侵权", "procedure": "简易程序",
                       "filed_date": f"{year}-{month:02d}-0{i + 1}"} for i in range(2)]
        cases += [{"name": f"案{m}{i}", "category": "商标侵权", "procedure": "简易程序",
                   "filed_date": f"2026-{m:02d}-0{i + 1}"} for i in range(2)]
    cases += [{"name": f"新{i}", "category": "商标侵权", "procedure": "简易程序",
               "filed_date": f"2026-11-0{i + 1}"} for i in range(8)]
    desk.records.save_many("cases", cases, label="批量")
    warnings = [f.key for f in check_table(desk.figures.annex1("2026-11")) if not f.is_error]
    assert "outlier:B.tm1.filed" in warnings
    assert "outlier:B.tm_subtotal.filed" not in warnings and "outlier:B.total.filed" not in warnings
