"""Months are approved in order from the unit's 启用月份, and an approved month's 本年累计 is locked with it: a
change to an earlier month of its year is refused until that month is corrected (更正)."""
from datetime import date

import pytest

from ipdesk.domain.duties import unsent_months, upcoming_duties
from ipdesk.errors import IpdeskError
from ipdesk.exchange.approval import approve, reopen

YTD = "本年累计"


def work(desk, day, title="宣传", **kw):
    return desk.records.save("work_items", {"date": day, "kind": "宣传活动", "title": title, "count_a": 1, **kw}).record_id


def approve_explained(desk, period):
    for f in desk.figures.check_period(period):
        if not f.is_error:
            desk.explanations.explain(period, f.key, "已核实")
    return approve(desk, period)


@pytest.fixture
def office(desk):
    desk.set_first_month("2026-02")
    ids = {m: work(desk, f"2026-{m:02d}-10", f"{m}月") for m in (1, 2, 3, 4)}
    ids["case"] = desk.records.save("cases", {"name": "一月立案", "category": "商标侵权", "procedure": "一般程序",
                                      "filed_date": "2026-01-05"}).record_id
    return ids


def test_months_are_approved_in_order_from_the_first_month(desk, office):
    with pytest.raises(IpdeskError, match="请先审核2026年2月") as refused:
        approve_explained(desk, "2026-03")
    assert desk.records.locked_periods() == [] and "2026-02" in refused.value.en
    approve_explained(desk, "2026-02")
    approve_explained(desk, "2026-03")
    with pytest.raises(IpdeskError, match="请先审核2026年4月、2026年5月"):
        approve_explained(desk, "2026-06")
    approve_explained(desk, "2026-01")  # before the 启用月份: never required, may still be approved
    assert sorted(desk.records.locked_periods()) == ["2026-01", "2026-02", "2026-03"]


def test_a_change_to_an_earlier_month_after_a_later_one_is_approved(desk, office):
    approve_explained(desk, "2026-02")
    approve_explained(desk, "2026-03")
    # January lies before the 启用月份 and was never approved, but February's and March's 本年累计 counted it.
    with pytest.raises(IpdeskError, match=f"2026年2月已审核报送并锁定，其{YTD}包含2026-01-10"):
        desk.records.save("work_items", {"count_a": 5}, office[1])
    with pytest.raises(IpdeskError, match=YTD):
        work(desk, "2026-01-20")
    desk.records.save("work_items", {"title": "一月（改名不改数字）"}, office[1])  # nothing counted changes
    work(desk, "2025-12-20")  # last year: not in any approved figure of 2026
    desk.records.save("work_items", {"count_a": 3}, office[4])  # April: not approved
    # Closing the January case in April is the normal course: what February and March counted stays.
    desk.records.save("cases", {"decision_date": "2026-04-10", "closed_date": "2026-04-12", "outcome": "不予行政处罚"},
              office["case"])
    # A correction of February alone is not enough: March sent February in its 本年累计.
    reopen(desk, "2026-02", desk.user, "补录")
    with pytest.raises(IpdeskError, match="请先在“报送”中发起2026年3月的更正"):
        desk.records.save("work_items", {"count_a": 2}, office[2])
    reopen(desk, "2026-03", desk.user, "二月更正带动本年累计")
    desk.records.save("work_items", {"count_a": 2}, office[2])
    with pytest.raises(IpdeskError, match="请先审核2026年2月"):
        approve_explained(desk, "2026-03")
    approve_explained(desk, "2026-02")
    approve_explained(desk, "2026-03")
    sent = desk.db.execute("SELECT period, revision FROM submissions WHERE superseded_at IS NULL "
                           "ORDER BY period").fetchall()
    assert sent == [("2026-02", 2), ("2026-03", 2)]


def test_months_before_the_first_month_are_never_overdue(desk):
    today = date(2026, 5, 25)
    assert unsent_months(today, set()) == ["2026-01", "2026-02", "2026-03", "2026-04"]
    assert unsent_months(today, {"2026-03"}, "2026-03") == ["2026-04"]
    duties = upcoming_duties(date(2026, 3, 5), set(), first_month="2026-03")
    assert not any(d.key == "monthly:2026-02" for d in duties)
    assert any(d.key == "monthly:2026-02" for d in upcoming_duties(date(2026, 3, 5), set()))


def test_first_month_is_a_month_set_by_an_administrator(desk):
    for bad in ("2026", "2026-13", "三月", "2026-Q1"):
        with pytest.raises(IpdeskError, match="启用月份应为一个月份"):
            desk.set_first_month(bad)
    desk.set_first_month("2026-3")
    assert desk.setting("first_month") == "2026-03"
    desk.office.add_user("赵丽娜", "填报人", "pw-赵丽娜", own_password="pw-admin")
    desk.user = "赵丽娜"
    with pytest.raises(IpdeskError, match="只有管理员"):
        desk.set_first_month("2026-01")
    assert desk.setting("first_month") == "2026-03"


def test_first_month_command_and_approve_order_on_the_command_line(tmp_path, capsys):
    from ipdesk.cli import main

    db = tmp_path / "office.db"

    def run(*args):
        return main(["--db", str(db), "--today", "2026-11-22", *args])

    assert run("init", "--unit-code", "150602", "--unit-name", "东胜区市场监督管理局") == 0
    assert run("first-month", "2026-09") == 0 and run("first-month") == 0
    assert capsys.readouterr().out.strip().endswith("启用月份：2026-09")
    assert run("approve", "--period", "2026-10", "--user", "管理员") == 2
    assert "请先审核2026年9月" in capsys.readouterr().err
    assert run("first-month", "2026-13") == 2


def test_an_earlier_months_manual_cell_is_locked_by_a_later_approval_but_not_its_explanations(desk, office):
    approve_explained(desk, "2026-02")
    approve_explained(desk, "2026-03")
    with pytest.raises(IpdeskError, match=YTD):  # a stock cell entered for January would carry into March's
        desk.records.set_manual_cell("A.key_markets", "2026-01", 5)
    desk.explanations.explain("2026-01", "note", "一月情况说明")  # January's own explanations are not part of March's figures
    assert desk.explanations.for_period("2026-01") == {"note": "一月情况说明"}
