"""A banner that starts using ipdesk in March 2026 (启用月份 2026-03) counts its 本年累计 — and a quarter's or
half-year's 本期 — from March: the values stay as recorded, and the table says what they cover
(``coverage_note``), in its JSON and read back from it; only the parts without records dated before March."""
from ipdesk.domain import enums
from ipdesk.exchange.ledger import import_ledger, preview_ledger, read_ledger
from ipdesk.exchange.tables import annex1_from_json

from tests.core.test_prev_year_no_data import first_year_records
from tests.exchange.ledger_books import save

YTD = "本年累计自启用月份2026年3月起统计（2026年1—2月未在本系统登记）"


def first_year(desk, first_month="2026-03"):
    desk.set_first_month(first_month)
    first_year_records(desk)
    return desk


def test_ytd_counted_from_the_first_month_says_so(desk):
    first_year(desk)
    t = desk.figures.annex1("2026-03")
    assert t.coverage_note == YTD
    assert t.value("B.total.filed", "ytd") == 1 and t.value("A.actions", "ytd") == 1  # values as recorded
    assert t.to_json()["coverage_note"] == YTD
    assert annex1_from_json(t.to_json()).coverage_note == YTD
    assert desk.figures.annex1("2026-12").coverage_note == YTD
    for period in ("2026-Q1", "2026-H1", "2026", "2026-02~2026-04"):  # 本期 starts before March too
        assert desk.figures.annex1(period).coverage_note == "本期、" + YTD, period
    assert desk.figures.annex1("2026-Q2").coverage_note == YTD  # April–June: 本期 is whole
    assert desk.figures.annex1("2026-01").coverage_note == \
        "本期、本年累计所含2026年1月在启用月份2026年3月之前，未在本系统登记"


def test_no_note_when_the_spans_are_whole(desk, make_desk):
    first_year(desk)
    t = desk.figures.annex1("2027-01")
    assert t.coverage_note == "" and "coverage_note" not in t.to_json()
    assert desk.figures.annex1("2027-03").coverage_note == ""
    january = first_year(make_desk("jan.db"), "2026-01")
    assert january.figures.annex1("2026-03").coverage_note == ""
    assert "coverage_note" not in january.figures.annex1("2026-Q1").to_json()
    unset = make_desk("unset.db")  # no 启用月份: nothing is said
    first_year_records(unset)
    assert unset.figures.annex1("2026-03").coverage_note == ""


def test_a_legacy_ledger_of_january_and_february_leaves_the_other_parts(desk, tmp_path):
    first_year(desk)
    path = save([
        ["序号", "立案号", "案件名称", "案件类别", "当事人名称", "立案日期", "结案日期", "处理结果"],
        [1, "东市监立〔2026〕1号", "丙店销售侵犯注册商标专用权商品案", "商标侵权", "丙店", "2026-01-10", "2026-02-20",
         "罚款"],
        [2, "东市监立〔2026〕2号", "丁店假冒专利案", "假冒专利", "丁店", "2026-02-03", None, None],
    ], tmp_path / "台账.xlsx")
    assert import_ledger(desk, preview_ledger(desk, read_ledger(path))).imported == 2
    t = desk.figures.annex1("2026-03")
    assert t.value("B.total.filed", "ytd") == 3
    assert t.coverage_note == "执法行动、其他工作的" + YTD
    assert desk.figures.annex1("2026-Q1").coverage_note == "执法行动、其他工作的本期、" + YTD


def test_old_json_without_the_note_still_reads(desk):
    data = first_year(desk).figures.annex1("2026-03").to_json()
    del data["coverage_note"]
    assert annex1_from_json(data).coverage_note == ""


def test_a_case_in_february_makes_part_b_whole(desk):
    first_year(desk)
    desk.records.save("cases", {"name": "戊店案", "category": "商标侵权", "procedure": enums.PROCEDURE_GENERAL,
                                "filed_date": "2026-02-11"})
    assert desk.figures.annex1("2026-03").coverage_note == "执法行动、其他工作的" + YTD


def test_records_anywhere_in_the_year_before_the_first_month_count_as_recorded(make_desk):
    """As _unrecorded: a part with a record dated in the year before the 启用月份 (February) is whole for a
    quarter whose own months before it (July) hold none."""
    desk = make_desk("aug.db")
    desk.set_first_month("2026-08")
    desk.records.save("cases", {"name": "戊店案", "category": "商标侵权", "procedure": enums.PROCEDURE_GENERAL,
                                "filed_date": "2026-02-11"})
    assert desk.figures.annex1("2026-Q3").coverage_note == \
        "执法行动、其他工作的本期、本年累计自启用月份2026年8月起统计（2026年1—7月未在本系统登记）"
