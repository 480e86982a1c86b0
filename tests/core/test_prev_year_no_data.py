"""上年同期 of a unit that kept no records in ipdesk before its 启用月份: "no data" (None, printed —), never 0;
a real 0 where the months were recorded, or where records of that year exist (a legacy ledger)."""
from datetime import date

from ipdesk.catalog.model import MANUAL
from ipdesk.domain import enums
from ipdesk.exchange.ledger import import_ledger, preview_ledger, read_ledger

from tests.exchange.ledger_books import save

PREV = ("prev_current", "prev_ytd")


def first_year_records(desk):
    """A case, an inspection and a work item in March 2026."""
    desk.records.save("cases", {"name": "甲店商标侵权案", "category": "商标侵权", "procedure": enums.PROCEDURE_GENERAL,
                                "filed_date": "2026-03-05"})
    desk.records.save("inspections", {"date": "2026-03-02", "kind": "专项检查", "place_kind": "实体市场",
                                      "subject_count": 12, "officers": 6})
    desk.records.save("work_items", {"date": "2026-03-05", "kind": "非正常专利申请核查", "count_a": 20, "count_b": 18})


def measured(table, part=None):
    """Every cell counted from records (and the ratios computed from them), of one part or all."""
    return [cid for cid, c in table.catalog.cells().items()
            if (part is None or c.part.id == part) and not (c.measure is not None and c.measure.agg == MANUAL)]


def test_first_year_banner_has_no_previous_year(desk):
    desk.set_first_month("2026-03")
    first_year_records(desk)
    for period in ("2026-03", "2026-Q1", "2026-H1", "2026", "2026-03~2026-05"):
        t = desk.figures.annex1(period)
        for cid in measured(t):
            for which in PREV:
                assert t.value(cid, which) is None, (period, cid, which)
                assert t.display(cid, which) == "—", (period, cid, which)
            assert t.values[cid].yoy_current is None and t.values[cid].yoy_ytd is None
    t = desk.figures.annex1("2026-03")
    assert t.value("B.total.filed") == 1 and t.value("A.actions") == 1  # this year's figures are figures
    cells = {c["id"]: c for c in t.to_json()["cells"]}
    for cid in ("B.total.filed", "B.total.fine", "A.actions", "C.abnormal_checked", "C.abnormal_rate"):
        c = cells[cid]
        assert c["prev_current"] is None and c["prev_ytd"] is None, cid
        assert c["base"]["prev_current"] is None and c["base"]["prev_ytd"] is None, cid
        assert c["yoy_current_pct"] is None and c["yoy_ytd_pct"] is None, cid
    # The same unit next year: 2026-03 was recorded, so its 上年同期 is data; 2026-01 and 02 were not.
    nxt = desk.figures.annex1("2027-03")
    assert nxt.value("B.total.filed", "prev_current") == 1 and nxt.value("C.transferred", "prev_current") == 0
    assert nxt.value("B.total.filed", "prev_ytd") is None  # January–March 2026, partly before the 启用月份


def test_without_first_month_the_previous_year_is_counted(desk):
    first_year_records(desk)
    t = desk.figures.annex1("2026-03")
    assert t.value("B.total.filed", "prev_current") == 0 and t.display("B.total.filed", "prev_current") == "0"


def test_first_month_long_ago_gives_a_real_zero(desk):
    desk.set_first_month("2024-01")
    first_year_records(desk)
    t = desk.figures.annex1("2026-03")
    for cid in ("B.total.filed", "B.total.fine", "A.actions", "C.abnormal_checked"):
        for which in PREV:
            assert t.value(cid, which) == 0, (cid, which)
    assert t.display("B.total.filed", "prev_current") == "0"
    assert t.display("B.total.fine", "prev_current") == "0.0000"
    assert t.values["B.total.filed"].yoy_current is None  # nothing to compare with: —, but 上年同期 is 0


def test_partly_before_the_first_month(desk):
    """启用月份 2025-06: 2025-07 was recorded (a real 0 or more), January–July 2025 only in part."""
    desk.set_first_month("2025-06")
    desk.records.save("cases", {"name": "乙店案", "category": "商标侵权", "procedure": enums.PROCEDURE_GENERAL,
                                "filed_date": "2025-07-08"})
    first_year_records(desk)
    t = desk.figures.annex1("2026-07")
    assert t.value("B.total.filed", "prev_current") == 1 and t.value("A.actions", "prev_current") == 0
    assert t.value("B.total.filed", "prev_ytd") is None and t.value("A.actions", "prev_ytd") is None
    assert desk.figures.annex1("2026-03").value("B.total.filed", "prev_current") is None


def test_a_legacy_ledger_brings_real_previous_year_cases(desk, tmp_path):
    desk.set_first_month("2026-03")
    first_year_records(desk)
    path = save([
        ["序号", "立案号", "案件名称", "案件类别", "当事人名称", "立案日期", "结案日期", "处理结果"],
        [1, "东市监立〔2025〕3号", "丙店销售侵犯注册商标专用权商品案", "商标侵权", "丙店", "2025-03-10", "2025-05-20",
         "罚款"],
        [2, "东市监立〔2025〕9号", "丁店假冒专利案", "假冒专利", "丁店", "2025-09-01", None, None],
    ], tmp_path / "台账.xlsx")
    result = import_ledger(desk, preview_ledger(desk, read_ledger(path)))
    assert result.imported == 2
    t = desk.figures.annex1("2026-03")
    assert t.value("B.tm1.filed", "prev_current") == 1 and t.value("B.total.filed", "prev_ytd") == 1
    patent = next(cid for cid in measured(t, "B") if t.catalog.cell(cid).row.label == "专利侵权纠纷（行政裁决）"
                  and cid.endswith(".filed"))
    assert t.value(patent, "prev_current") == 0  # no such case in March 2025: a real 0
    assert t.display(patent, "prev_current") == "0"
    assert t.value("B.total.open_end", "prev_current") == 1  # open at the end of March 2025
    for cid in measured(t, "A") + measured(t, "C"):  # no inspection, no work item recorded in 2025
        assert t.value(cid, "prev_current") is None and t.display(cid, "prev_current") == "—", cid
    assert t.values["B.tm1.filed"].yoy_current == 0.0  # 1 against 1


def test_manual_cells_keep_what_was_entered(desk):
    desk.set_first_month("2026-03")
    desk.records.set_manual_cell("A.key_markets", "2026-03", 4)
    t = desk.figures.annex1("2026-03")
    assert t.value("A.key_markets") == 4 and t.value("A.key_markets", "prev_current") is None
    assert desk.figures.annex1("2027-03").value("A.key_markets", "prev_current") == 4


def test_a_year_with_legacy_records_is_data_in_every_span_of_it(desk):
    """启用月份 2026-01, a legacy case of March 2025: 2025's months are recorded (0 where nothing happened), in a
    month's 上年同期 as in a window's. January 2025 was — alone but 0 inside January–March, so a summary's
    上年同月 column read —、—、1、—… above a 合计 of 1."""
    from ipdesk.reports.summary import build_summary, month_block

    desk.set_first_month("2026-01")
    desk.records.save("cases", {"name": "丙店案", "category": "商标侵权", "procedure": enums.PROCEDURE_GENERAL,
                                "filed_date": "2025-03-10"})
    months = [desk.figures.annex1(f"2026-{m:02d}").value("B.total.filed", "prev_current") for m in (1, 2, 3, 4)]
    assert months == [0, 0, 1, 0]
    assert desk.figures.annex1("2026-01").display("B.total.filed", "prev_current") == "0"
    assert desk.figures.annex1("2026-03").value("B.total.filed", "prev_ytd") == 1
    assert desk.figures.annex1("2026-01").value("A.actions", "prev_current") is None  # no inspection of 2025
    desk.today = lambda: date(2026, 7, 20)
    rows = month_block(build_summary(desk, "2026-H1")).body
    assert [row[2].text for row in rows] == ["0", "0", "1", "0", "0", "0", "1"]  # 上年同月, then 合计
