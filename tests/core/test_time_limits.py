"""办案时限 as 《市场监督管理行政处罚程序规定》第十八条、第六十四条 count them, with dates worked out by hand on the
shipped 2025–26 calendar: across 国庆, 春节 and 调休 weekends, with pauses and extensions."""
import json
from datetime import date

import pytest

from ipdesk.cli import main
from ipdesk.desk import resource_path
from ipdesk.domain.time_limits import CASE, LEAD, case_deadline, case_limits, general_limit, lead_limit
from ipdesk.domain.workdays import WorkCalendar
from ipdesk.errors import IpdeskError

CAL = WorkCalendar.from_csv(resource_path("data", "holidays-cn.csv"))
TODAY = date(2026, 11, 22)


def general(filed, **more):
    return {"id": 1, "name": "案", "procedure": "一般程序", "filed_date": filed, **more}


def pause(start, end, cause="检测、检验、检疫、鉴定"):
    return {"kind": "中止", "start_date": start, "end_date": end, "cause": cause}


def extend(start, due=None):
    return {"kind": "延期", "start_date": start, "due_date": due}


# ---- the lead limit: 15 working days (第十八条) ----------------------------------------------------------
def test_lead_limit_across_guoqing_counts_the_tiaoxiu_saturday():
    # After 9-25 (中秋): 9-28, 9-29, 9-30 | 10-1…7 国庆 | 10-8, 10-9, 10-10 (调休 Saturday), 10-12…16, 10-19…22.
    dl = lead_limit({"id": 1, "lead_date": "2026-09-25"}, [], CAL, date(2026, 10, 20))
    assert (dl.kind, dl.due, dl.days_left, dl.paused_days, dl.estimated) == (LEAD, date(2026, 10, 22), 2, 0, False)


def test_lead_limit_across_chunjie():
    # After 2-10: 2-11, 2-12, 2-13, 2-14 (调休 Saturday) | 2-15…23 春节 | 2-24…27, 2-28 (调休 Saturday), 3-2…6, 3-9.
    assert lead_limit({"id": 1, "lead_date": "2026-02-10"}, [], CAL, TODAY).due == date(2026, 3, 9)


def test_lead_pause_counts_working_days_and_the_extension_adds_fifteen_more():
    lead = {"id": 1, "lead_date": "2026-09-25"}
    # A 检验 from 9-30 to 10-9 lasted 2 working days (10-8, 10-9; 国庆 does not count): 17 working days → 10-26.
    dl = lead_limit(lead, [pause("2026-09-30", "2026-10-09")], CAL, date(2026, 10, 20))
    assert (dl.due, dl.paused_days) == (date(2026, 10, 26), 2)
    # +15 working days (经负责人批准): 10-23, 10-26…30, 11-2…6, 11-9…12 → 11-12; with the pause, 11-16 (Monday).
    assert lead_limit(lead, [extend("2026-10-20")], CAL, TODAY).due == date(2026, 11, 12)
    both = lead_limit(lead, [extend("2026-10-20"), pause("2026-09-30", "2026-10-09")], CAL, TODAY)
    assert both.due == date(2026, 11, 16)


def test_lead_is_met_by_filing_or_declining_within_the_limit():
    on_time = lead_limit({"id": 1, "lead_date": "2026-09-25", "filed_date": "2026-10-22"}, [], CAL, TODAY)
    late = lead_limit({"id": 1, "lead_date": "2026-09-25", "declined_date": "2026-10-23"}, [], CAL, TODAY)
    assert on_time.met and not on_time.running and on_time.days_left == 0
    assert not late.met and late.days_left == -1


# ---- the case limit: 90 days from 立案 to the decision (第六十四条) -------------------------------------------
def test_a_limit_ending_in_guoqing_ends_on_the_first_working_day_after():
    # 7-4 + 90 days = 10-2 (国庆): 10-3…7 are holidays too, so the limit ends on Thursday 10-8.
    assert general_limit(general("2026-07-04"), [], CAL, TODAY).due == date(2026, 10, 8)


def test_a_limit_ending_on_a_tiaoxiu_saturday_ends_that_day_and_an_ordinary_saturday_moves_to_monday():
    assert general_limit(general("2026-07-12"), [], CAL, TODAY).due == date(2026, 10, 10)  # 调休上班
    assert general_limit(general("2026-06-01"), [], CAL, TODAY).due == date(2026, 8, 31)  # 8-30 is a Sunday


def test_extension_of_thirty_days_across_chunjie():
    # 2025-10-20 + 120 days = 2026-02-17 (春节); 2-18…23 are holidays: the limit ends on Tuesday 2-24.
    dl = general_limit(general("2025-10-20"), [extend("2026-01-10")], CAL, TODAY)
    assert dl.due == date(2026, 2, 24)
    assert general_limit(general("2025-10-20", extension_approved=1), [], CAL, TODAY).due == date(2026, 2, 24)


def test_hearing_and_announcement_are_subtracted_as_calendar_days():
    # 3-2 + 90 = 5-31; 听证 4-10→4-20 lasted 10 days, 公告 5-1→5-8 7 days: 6-17 (Wednesday).
    pauses = [pause("2026-04-10", "2026-04-20", "听证"), pause("2026-05-01", "2026-05-08", "公告")]
    dl = general_limit(general("2026-03-02", decision_date="2026-06-15", closed_date="2026-07-10"), pauses, CAL,
                       TODAY)
    assert (dl.due, dl.paused_days, dl.met, dl.days_left) == (date(2026, 6, 17), 17, True, 2)


def test_an_open_pause_runs_until_today():
    dl = general_limit(general("2026-09-01"), [pause("2026-11-12", None, "中止")], CAL, TODAY)
    # 9-1 + 90 = 11-30, + 10 days paused so far (11-13…11-22) = 12-10.
    assert (dl.paused_days, dl.due) == (10, date(2026, 12, 10))


def test_decided_on_day_75_and_closed_on_day_95_is_not_overdue():
    case = general("2026-03-02", decision_date="2026-05-16", closed_date="2026-06-05")
    dl = general_limit(case, [], CAL, TODAY)
    assert dl.due == date(2026, 6, 1) and dl.met and dl.days_left == 16  # 5-31 is a Sunday
    assert case_deadline(case, [], CAL, TODAY) is None  # no running limit, no warning
    late = general_limit(general("2026-03-02", decision_date="2026-06-02"), [], CAL, TODAY)
    assert not late.met and late.days_left == -1


def test_a_collective_further_extension_sets_its_own_date_and_later_pauses_still_move_it():
    exts = [extend("2026-05-20"), extend("2026-06-25", "2026-08-15")]
    # First +30: 3-2 + 120 = 6-30. Then the collective decision: 8-15 (Saturday) → Monday 8-17.
    assert general_limit(general("2026-03-02"), exts[:1], CAL, TODAY).due == date(2026, 6, 30)
    assert general_limit(general("2026-03-02"), exts, CAL, TODAY).due == date(2026, 8, 17)
    # A 鉴定 from 7-1 to 7-11 after the decision adds its 10 days: 8-25 (Tuesday).
    later = general_limit(general("2026-03-02"), [*exts, pause("2026-07-01", "2026-07-11")], CAL, TODAY)
    assert later.due == date(2026, 8, 25)
    # A pause before the lead was filed belongs to the lead, not to the case.
    lead_pause = pause("2026-02-20", "2026-02-27")
    assert general_limit(general("2026-03-02", lead_date="2026-02-10"), [lead_pause], CAL, TODAY).paused_days == 0


def test_a_year_without_holiday_data_is_estimated():
    dl = general_limit(general("2026-11-20"), [], CAL, TODAY)
    assert dl.due == date(2027, 2, 18) and dl.estimated and "估算" in dl.message
    assert not general_limit(general("2026-08-01"), [], CAL, TODAY).estimated


def test_a_record_has_its_lead_limit_and_its_case_limit():
    case = general("2026-10-22", lead_date="2026-09-25")
    assert [d.kind for d in case_limits(case, [], CAL, TODAY)] == [LEAD, CASE]
    assert [d.kind for d in case_limits(general("2026-10-22"), [], CAL, TODAY)] == [CASE]
    assert case_limits({"id": 1, "procedure": "简易程序", "filed_date": "2026-10-22"}, [], CAL, TODAY) == []


# ---- on a real office file -------------------------------------------------------------------------------
def test_adjustments_are_checked_against_the_regulation(desk):
    case = desk.records.save("cases", {"name": "案", "category": "商标侵权", "procedure": "一般程序",
                               "lead_date": "2026-07-20", "filed_date": "2026-08-03"}).record_id
    with pytest.raises(IpdeskError, match="首次延期"):
        desk.limits.add_adjustment(case, "延期", "2026-10-20", "案情复杂", due_date="2026-12-31")  # first: +30 only
    desk.limits.add_adjustment(case, "延期", "2026-10-20", "案情复杂，经负责人批准")
    with pytest.raises(IpdeskError, match="集体讨论"):
        desk.limits.add_adjustment(case, "延期", "2026-11-20", "仍不能作出决定")  # further: needs its date
    desk.limits.add_adjustment(case, "延期", "2026-11-20", "集体讨论决定继续延期", due_date="2027-01-15")
    assert desk.limits.deadline_for(case).due == date(2027, 1, 15) and desk.limits.deadline_for(case).estimated
    # Before 立案 only 检测/检验/检疫/鉴定 and 权利人辨认或者鉴别 do not count; one lead extension.
    with pytest.raises(IpdeskError, match="立案前"):
        desk.limits.add_adjustment(case, "中止", "2026-07-22", "听证", "2026-07-25", cause="听证")
    desk.limits.add_adjustment(case, "中止", "2026-07-22", "权利人辨认", "2026-07-25", cause="权利人辨认或者鉴别")
    desk.limits.add_adjustment(case, "延期", "2026-07-28", "线索复杂，经负责人批准")
    with pytest.raises(IpdeskError, match="只能延长一次"):
        desk.limits.add_adjustment(case, "延期", "2026-07-29", "再延")
    simple = desk.records.save("cases", {"name": "简", "category": "商标侵权", "procedure": "简易程序",
                                 "filed_date": "2026-11-02"}).record_id
    with pytest.raises(IpdeskError, match="一般程序"):
        desk.limits.add_adjustment(simple, "延期", "2026-11-10", "延")
    stored = [(a["kind"], a["cause"], a["due_date"]) for a in desk.limits.adjustments(case)]
    assert ("延期", None, "2027-01-15") in stored and ("中止", "权利人辨认或者鉴别", None) in stored


def test_deadlines_command_json(tmp_path, capsys):
    db = tmp_path / "office.db"

    def run(*args):
        return main(["--db", str(db), "--today", "2026-11-22", *args])

    assert run("init", "--unit-code", "150602", "--unit-name", "东胜区市场监督管理局") == 0
    data = {"cases": [
        {"name": "线索甲", "category": "商标侵权", "lead_date": "2026-11-10"},
        {"name": "案乙", "category": "商标侵权", "procedure": "一般程序", "filed_date": "2026-09-01"},
        {"name": "案丙", "category": "商标侵权", "procedure": "一般程序", "filed_date": "2026-03-02",
         "decision_date": "2026-05-16", "closed_date": "2026-06-05", "outcome": "不予行政处罚"}]}
    (tmp_path / "load.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert run("load", str(tmp_path / "load.json")) == 0
    capsys.readouterr()
    assert run("deadlines", "--format", "json") == 0
    rows = json.loads(capsys.readouterr().out)
    # 11-10 + 15 working days = 12-1; 9-1 + 90 days = 11-30 (Monday).
    assert [(r["name"], r["kind"], r["due"], r["days_left"], r["met"], r["estimated"]) for r in rows] == [
        ("案乙", "case", "2026-11-30", 8, False, False), ("线索甲", "lead", "2026-12-01", 9, False, False)]
    assert set(rows[0]) == {"case_id", "name", "kind", "start", "paused_days", "due", "days_left", "met",
                            "estimated"}
    assert run("deadlines", "--all", "--format", "json") == 0
    rows = json.loads(capsys.readouterr().out)
    decided = [r for r in rows if r["name"] == "案丙"]
    assert decided == [{"case_id": decided[0]["case_id"], "name": "案丙", "kind": "case", "start": "2026-03-02",
                        "paused_days": 0, "due": "2026-06-01", "days_left": 16, "met": True, "estimated": False}]
    assert run("deadlines") == 0
    assert "案乙" in capsys.readouterr().out
