"""附件2 reconciles with 附件1 by construction, every month of 24 months of demo data."""
from decimal import Decimal

from ipdesk.domain.money import wan
from ipdesk.domain.periods import Period
from ipdesk.exchange.tables import annex2_from_json


def test_annex1_money_equals_annex2_total_every_month(demo_desk):
    months = [Period.parse(f"{y}-{m:02d}") for y in (2025, 2026) for m in range(1, 13)]
    months = [p for p in months if p.start <= demo_desk.today()]
    cases = demo_desk.db.execute("SELECT decision_date, amount_involved_fen, fine_fen, confiscated_fen, "
                                 "filed_date, closed_date FROM cases").fetchall()
    dashes = unlisted = 0
    for p in months + [Period.parse("2026-Q2"), Period.parse("2025-H2")]:
        a1, a2 = demo_desk.figures.annex1(p), demo_desk.figures.annex2(p)
        first, last = p.start.isoformat(), p.end.isoformat()
        for col, a1_col in (("amount_wan", "amount"), ("penalty_wan", "penalty_total")):
            # the second total row is exactly 附件1's printed 合计
            assert a2.annex1_row()[col] == float(a1.printed(f"B.total.{a1_col}")), (p.code, col)
            # the first is the sum of the printed rows
            listed = sum((Decimal(str(r[col])) for r in a2.rows if r[col] is not None), Decimal(0))
            assert Decimal(str(a2.total_row()[col])) == listed, (p.code, col)
        # 附件1's exact figures are the cases decided in the period, listed or not
        decided = [c for c in cases if c[0] and first <= c[0] <= last]
        assert a1.value("B.total.amount") == sum(c[1] or 0 for c in decided), p.code
        assert a1.value("B.total.penalty_total") == sum((c[2] or 0) + (c[3] or 0) for c in decided), p.code
        for r in a2.rows:
            case = demo_desk.records.get_case(r["case_id"])
            in_period = bool(case["decision_date"]) and first <= case["decision_date"] <= last
            assert (r["amount_wan"] is not None) == in_period, (p.code, r["name"])
            if in_period:
                assert Decimal(str(r["penalty_wan"])) == wan((case["fine_fen"] or 0) + (case["confiscated_fen"] or 0))
            dashes += not in_period
        unlisted += sum(1 for c in decided if not (first <= (c[4] or "") <= last or first <= (c[5] or "") <= last))
    assert dashes > 0  # the demo lists undecided cases: they show —
    assert unlisted > 0  # and decides cases in months where they are neither filed nor closed: only in 附件1


def test_annex2_json_keeps_both_totals_and_dashes(demo_desk):
    t = demo_desk.figures.annex2("2026-10")
    js = t.to_json()
    assert "统一社会信用代码/身份证号" in js["columns"] and "涉案商标/专利号" in js["columns"]
    back = annex2_from_json(js)
    assert back.total_row() == t.total_row() and back.annex1_row() == t.annex1_row()
    assert [r["amount_wan"] for r in back.rows] == [r["amount_wan"] for r in t.rows]
    assert any(r["ip_object"] for r in back.rows)


def test_annex2_json_of_an_earlier_package_still_reads(demo_desk):
    """Packages received before the column change (no 涉案商标/专利号, 统一社会信用代码 header)."""
    js = demo_desk.figures.annex2("2026-10").to_json()
    js["columns"] = [c for c in js["columns"] if c != "涉案商标/专利号"]
    js["columns"] = ["统一社会信用代码" if c == "统一社会信用代码/身份证号" else c for c in js["columns"]]
    rows = []
    for r in js["rows"]:
        r = {("统一社会信用代码" if k == "统一社会信用代码/身份证号" else k): v for k, v in r.items()
             if k != "涉案商标/专利号"}
        r["涉案金额（万元）"] = r["涉案金额（万元）"] or 0.0
        rows.append(r)
    js["rows"] = rows
    del js["total_in_annex1"]
    back = annex2_from_json(js)
    assert back.rows[0]["ip_object"] == "" and back.annex1_row() is None
    assert back.rows[0]["party_id_no"] == demo_desk.figures.annex2("2026-10").rows[0]["party_id_no"]
