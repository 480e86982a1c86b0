"""The working-day calendar beyond the shipped years: 2024 shipped (and added to older files), the warning from
1 November when next year's 放假调休安排 is missing, importing a year's CSV (管理员 only, all rows or none)."""
import sqlite3
from datetime import date

import pytest

from ipdesk.cli import main
from ipdesk.db.schema import STEP_12
from ipdesk.desk import resource_path
from ipdesk.domain.workdays import WorkCalendar, missing_schedule_warning, parse_holiday_csv
from ipdesk.errors import IpdeskError

from tests.conftest import data_tables

CSV_2027 = ("date,kind,name\n2027-01-01,holiday,元旦\n2027-02-06,holiday,春节\n2027-02-07,holiday,春节\n"
            "2027-02-08,holiday,春节\n2027-02-20,workday,春节调休上班\n")


def test_2024_is_shipped_and_its_make_up_days_fall_on_weekends():
    cal = WorkCalendar.from_csv(resource_path("data", "holidays-cn.csv"))
    assert {2024, 2025, 2026} <= cal.years()
    assert cal.workdays and all(d.weekday() >= 5 for d in cal.workdays)
    # After 2024-09-27: 9-29 (调休 Sunday), 9-30 | 国庆 10-1…7 | 10-8…11, 10-12 (调休 Saturday), 10-14…18, 10-21…23.
    assert cal.add_workdays(date(2024, 9, 27), 15) == date(2024, 10, 23)
    # After 2024-02-08: 2-9 | 春节 2-10…17 | 2-18 (调休 Sunday), 2-19…23, 2-26…3-1, 3-4, 3-5, 3-6.
    assert cal.add_workdays(date(2024, 2, 8), 15) == date(2024, 3, 6)


def test_an_older_file_gets_2024_and_keeps_a_date_the_office_entered(desk):
    desk.db.execute("DELETE FROM holidays WHERE date LIKE '2024-%'")
    desk.db.execute("INSERT INTO holidays VALUES ('2024-10-01', 'holiday', '本单位录入')")
    for statement in STEP_12:  # what migrating a file from before it runs
        desk.db.execute(statement)
    rows = desk.limits.holidays(2024)
    assert len(rows) == 38 and {"date": "2024-10-01", "kind": "holiday", "name": "本单位录入"} in rows


@pytest.mark.parametrize("today, known, warns", [
    (date(2026, 10, 31), {2025, 2026}, None),
    (date(2026, 11, 1), {2025, 2026}, "2027年"),
    (date(2026, 12, 31), {2026, 2027}, None),
    (date(2028, 3, 1), {2026, 2027}, "2028年"),
    (date(2028, 11, 5), {2027}, "2028年、2029年"),
])
def test_missing_schedule_warning(today, known, warns):
    text = missing_schedule_warning(today, known)
    assert (text is None) if warns is None else (f"尚未录入{warns}放假调休安排" in text)


def test_import_makes_a_due_date_exact_and_refuses_a_bad_file_whole(desk, tmp_path):
    case = desk.records.save("cases", {"name": "案", "category": "商标侵权", "procedure": "一般程序",
                               "filed_date": "2026-11-20"}).record_id
    assert desk.limits.deadline_for(case).estimated  # 2027-02-18 rests on 2027
    bad = tmp_path / "bad.csv"
    bad.write_text(CSV_2027 + "2027-02-30,holiday,春节\n2027-03-01,假期,x\n2027-01-01,holiday,重复\n", encoding="utf-8")
    before = data_tables(desk)
    with pytest.raises(IpdeskError) as refused:
        desk.limits.import_holidays(bad)
    assert "第7行" in refused.value.zh and "2027-02-30" in refused.value.zh and "第8行" in refused.value.zh
    assert "共" not in refused.value.zh and data_tables(desk) == before
    desk.office.add_user("赵丽娜", "填报人", "pw-赵丽娜", own_password="pw-admin")
    good = tmp_path / "2027.csv"
    good.write_bytes(CSV_2027.replace("holiday", "放假").replace("workday", "调休上班").encode("gb18030"))
    desk.user = "赵丽娜"
    with pytest.raises(IpdeskError, match="只有管理员"):
        desk.limits.import_holidays(good)
    desk.user = "管理员"
    changes = desk.limits.import_holidays(good)
    assert changes.tables == {"holidays"} and "2027年（5天）" in changes.label
    assert {"date": "2027-02-20", "kind": "workday", "name": "春节调休上班"} in desk.limits.holidays(2027)
    assert not desk.limits.deadline_for(case).estimated


@pytest.mark.parametrize("data, message", [
    (b"\xff\xfe\x00garbage\x81", "编码"),
    (b"day,type\n2027-01-01,holiday\n", "表头"),
    (b"date,kind,name\n", "没有节假日"),
    (b"date,kind,name\n" + b"2027-01-01,holiday,x\n" * 60000, "文件过大"),
])
def test_unreadable_holiday_files_say_why(data, message):
    rows, errors = parse_holiday_csv(data)
    assert rows == [] and message in errors[0]


def test_holidays_command_imports_and_lists(tmp_path, capsys):
    db = tmp_path / "office.db"

    def run(*args):
        return main(["--db", str(db), "--today", "2026-11-22", *args])

    assert run("init", "--unit-code", "150602", "--unit-name", "东胜区市场监督管理局") == 0
    (tmp_path / "2027.csv").write_text(CSV_2027, encoding="utf-8")
    assert run("holidays", "import", str(tmp_path / "2027.csv")) == 0
    assert run("holidays", "list", "--year", "2027") == 0
    out = capsys.readouterr().out
    assert "导入节假日 2027年（5天）" in out and "2027-02-20\t调休上班\t春节调休上班" in out
    (tmp_path / "bad.csv").write_text("date,kind\n2027-13-01,holiday\n", encoding="utf-8")
    assert run("holidays", "import", str(tmp_path / "bad.csv")) == 2
    assert "第2行" in capsys.readouterr().err
    assert sqlite3.connect(db).execute("SELECT COUNT(*) FROM holidays WHERE date LIKE '2027-%'").fetchone()[0] == 5
