"""The desk on a real file: migrations, refusals that change nothing, audit, undo, locks, time limits."""
import json
import sqlite3
from datetime import date

import pytest

from ipdesk.db.migrations import SCHEMA_VERSION, migrate, schema_version
from ipdesk.db.connection import connect
from ipdesk.desk import Desk
from ipdesk.domain import enums
from ipdesk.domain.workdays import WorkCalendar
from ipdesk.errors import IpdeskError
from ipdesk.exchange.load_json import load_records


def count(desk, table):
    return desk.db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]


def test_migrations_from_an_empty_file(tmp_path):
    db = connect(tmp_path / "empty.db")
    assert schema_version(db) == 0
    assert migrate(db) == SCHEMA_VERSION
    assert schema_version(db) == SCHEMA_VERSION
    assert migrate(db) == 0
    tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"cases", "inspections", "work_items", "audit_log", "submissions"} <= tables
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_newer_file_is_refused(tmp_path):
    path = tmp_path / "new.db"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    conn.close()
    with pytest.raises(IpdeskError, match="更新版本"):
        Desk.open(path)


def test_init_sets_up_unit_admin_and_calendar(desk):
    assert desk.unit["code"] == "150602" and desk.unit["parent_code"] == "150600"
    assert desk.office.users()[0]["role"] == enums.ROLE_ADMIN
    assert desk.limits.calendar.is_workday(date(2026, 10, 1)) is False  # 国庆
    with pytest.raises(IpdeskError):
        desk.initialize("150602", "again", None)


def test_refused_save_changes_nothing(desk):
    before = count(desk, "audit_log")
    with pytest.raises(IpdeskError) as info:
        desk.records.save("cases", {"name": "X", "category": "商标侵权", "filed_date": "2026-03-05",
                            "lead_date": "2026-03-09", "party_id_no": "91350100M000100Y44", "fine": "1.005"})
    assert set(info.value.field_errors) >= {"filed_date", "party_id_no", "fine_fen"}
    assert count(desk, "cases") == 0 and count(desk, "audit_log") == before


def test_case_number_unique_per_unit(desk):
    desk.records.save("cases", {"name": "甲", "category": "商标侵权", "procedure": "一般程序", "filed_date": "2026-03-05",
                        "case_no": "东市监立字〔2026〕1号"})
    with pytest.raises(IpdeskError) as info:
        desk.records.save("cases", {"name": "乙", "category": "商标侵权", "procedure": "一般程序",
                            "filed_date": "2026-03-06", "case_no": "东市监立字〔2026〕1号"})
    assert "已存在" in info.value.field_errors["case_no"]


def test_save_many_is_all_or_nothing(desk):
    good = {"date": "2026-03-01", "kind": "专项检查", "place_kind": "实体市场", "officers": 2}
    bad = {"date": "2026-13-01", "kind": "专项检查", "place_kind": "实体市场"}
    with pytest.raises(IpdeskError) as info:
        desk.records.save_many("inspections", [good, good, bad], label="批量")
    assert "2.date" in info.value.field_errors
    assert count(desk, "inspections") == 0
    desk.records.save_many("inspections", [good, good], label="批量")
    assert count(desk, "inspections") == 2


def test_audit_log_records_old_and_new(desk):
    cid = desk.records.save("cases", {"name": "甲", "category": "商标侵权", "procedure": "一般程序",
                              "filed_date": "2026-03-05"}).record_id
    desk.records.save("cases", {"name": "甲（改）"}, cid)
    row = desk.db.execute("SELECT user_name, action, old_json, new_json, op_label FROM audit_log "
                          "WHERE table_name='cases' AND action='update'").fetchone()
    assert row[0] == "管理员" and row[1] == "update"
    assert json.loads(row[2])["name"] == "甲" and json.loads(row[3])["name"] == "甲（改）"
    assert "修改案件" in row[4]


def test_undo_named_steps(desk):
    cid = desk.records.save("cases", {"name": "甲", "category": "商标侵权", "procedure": "一般程序",
                              "filed_date": "2026-03-05"}).record_id
    desk.records.save("cases", {"name": "乙", "fine": "100", "decision_no": "罚1", "decision_date": "2026-03-08"}, cid)
    assert desk.records.undo_label() == "撤销 修改案件 乙"
    changes = desk.records.undo_last()
    assert changes.cases and desk.records.get_case(cid)["name"] == "甲" and desk.records.get_case(cid)["fine_fen"] == 0
    assert desk.records.undo_label() == "撤销 新增案件 甲"
    desk.records.undo_last()
    assert count(desk, "cases") == 0
    assert desk.records.undo_last() is None
    iid = desk.records.save("inspections", {"date": "2026-03-01", "kind": "专项检查", "place_kind": "实体市场"}).record_id
    desk.records.delete("inspections", iid)
    desk.records.undo_last()
    assert count(desk, "inspections") == 1


def test_undo_label_reads_only_the_users_own_operations(desk, monkeypatch):
    """A user with no operation of their own gets no 撤销 label without SQLite walking the whole audit log
    (it did, newest first, for the second person at a shared PC: 6 s at city scale, at every start)."""
    from ipdesk.db import audit

    desk.records.save("cases", {"name": "甲", "category": "商标侵权", "lead_date": "2026-03-02"})
    assert desk.records.undo_label()
    desk.user = "新同事"
    assert desk.records.undo_label() is None
    seen, real = [], desk.db.execute
    monkeypatch.setattr(desk.db, "execute", lambda sql, params=None: seen.append((sql, params)) or real(sql, params))
    audit.last_undoable(desk.db, "新同事")
    (sql, params), = seen
    plan = " | ".join(row[3] for row in desk.db.conn.execute("EXPLAIN QUERY PLAN " + sql, params))
    assert "audit_user_op" in plan and "SCAN" not in plan, plan


def test_locked_period_refuses_changes(desk):
    cid = desk.records.save("cases", {"name": "甲", "category": "商标侵权", "procedure": "一般程序",
                              "filed_date": "2026-03-05"}).record_id
    desk.db.execute("INSERT INTO submissions (unit_code, period, catalog_version, approved_by, approved_at, "
                    "annex1_json, annex2_json) VALUES ('150602', '2026-03', '2026.1', '管理员', 'x', '{}', '{}')")
    for attempt in (
        lambda: desk.records.save("cases", {"name": "改"}, cid),
        lambda: desk.records.delete("cases", cid),
        lambda: desk.records.save("inspections", {"date": "2026-03-09", "kind": "专项检查", "place_kind": "实体市场"}),
        lambda: desk.records.set_manual_cell("A.key_markets", "2026-03", 3),
        lambda: desk.records.undo_last(),
    ):
        with pytest.raises(IpdeskError, match="锁定"):
            attempt()
    assert desk.records.get_case(cid)["name"] == "甲"
    desk.records.save("inspections", {"date": "2026-04-09", "kind": "专项检查", "place_kind": "实体市场"})  # April is open


def test_workday_calendar_and_lead_deadline(desk):
    cal = desk.limits.calendar
    assert cal.is_workday(date(2026, 9, 30)) and not cal.is_workday(date(2026, 10, 5))
    # 15 working days after 2026-09-25 (中秋): 9/28–30, then 10/8, 10/9, 10/10 (调休 Saturday), 10/12–16, 10/19–22.
    assert cal.add_workdays(date(2026, 9, 25), 15) == date(2026, 10, 22)
    assert WorkCalendar().add_workdays(date(2026, 9, 25), 15) == date(2026, 10, 16)  # weekdays only
    assert cal.workdays_between(date(2026, 9, 25), date(2026, 10, 22)) == 15
    lead = desk.records.save("cases", {"name": "线索甲", "category": "商标侵权", "lead_date": "2026-10-20"}).record_id
    deadlines = dict((c["id"], d) for c, d in desk.limits.deadlines())
    assert deadlines[lead].overdue and deadlines[lead].kind == "线索待定"
    case = desk.records.save("cases", {"name": "案乙", "category": "商标侵权", "procedure": "一般程序",
                               "filed_date": "2026-08-01"}).record_id
    dl = dict((c["id"], d) for c, d in desk.limits.deadlines())[case]
    assert dl.due == date(2026, 10, 30) and dl.overdue
    desk.limits.add_adjustment(case, "延期", "2026-10-20", "案情复杂，经批准延期")
    # 8-1 + 120 days is Sunday 11-29: the limit ends on the next working day.
    assert dict((c["id"], d) for c, d in desk.limits.deadlines())[case].due == date(2026, 11, 30)
    desk.limits.add_adjustment(case, "中止", "2026-09-01", "等待鉴定", "2026-09-11")
    assert dict((c["id"], d) for c, d in desk.limits.deadlines())[case].due == date(2026, 12, 9)
    with pytest.raises(IpdeskError):
        desk.limits.add_adjustment(case, "中止", "2026-09-01", "")


def test_load_json_all_or_nothing(desk):
    data = {"cases": [{"name": "甲", "category": "商标侵权", "procedure": "一般程序", "filed_date": "2026-03-05"}],
            "inspections": [{"date": "2026-03-01", "kind": "专项检查", "place_kind": "实体市场"},
                            {"date": "2026-03-01", "kind": "飞行检查", "place_kind": "实体市场"}]}
    with pytest.raises(IpdeskError):
        load_records(desk, data)
    assert count(desk, "cases") == 0 and count(desk, "inspections") == 0
    data["inspections"].pop()
    _, counts = load_records(desk, data)
    assert counts["cases"] == 1 and counts["inspections"] == 1


def test_imported_incomplete_case_is_marked_and_blocks_checks(desk):
    raw = {"name": "旧案", "category": "商标侵权", "procedure": "一般程序", "filed_date": "2026-03-05",
           "closed_date": "2026-03-20"}
    desk.records.save_many("cases", [raw], label="导入台账", needs_completion=[["处理结果"]])
    case = desk.db.execute("SELECT id, needs_completion FROM cases").fetchone()
    assert json.loads(case[1]) == ["处理结果"]
    errors = [f for f in desk.figures.check_period("2026-03") if f.is_error]
    assert errors and "待补正" in errors[0].message
    desk.records.save("cases", {"outcome": "作出行政处罚"}, case[0])
    assert desk.records.get_case(case[0])["needs_completion"] == []
    assert [f for f in desk.figures.check_period("2026-03") if f.is_error] == []


def test_warnings_read_only_the_cases_that_can_be_near_their_limit(desk):
    """deadlines(only_warnings=True) reads only leads and 一般程序 cases old enough to be near their limit
    (SQL), and finds exactly the warnings of every open case's deadline worked out one by one — with
    holidays, 调休 Saturdays, suspensions and extensions, on days all through the year."""
    import random
    from datetime import timedelta

    from ipdesk.domain.time_limits import needs_warning

    rng = random.Random(7)
    first = date(2025, 6, 1)
    for n in range(160):
        noted = first + timedelta(days=rng.randrange(510))
        case = {"name": f"案{n}", "category": "商标侵权", "lead_date": noted.isoformat()}
        if rng.random() < 0.7:
            case.update(filed_date=(noted + timedelta(days=rng.randrange(20))).isoformat(),
                        procedure=rng.choice(["一般程序", "一般程序", "简易程序"]))
        cid = desk.records.save("cases", case).record_id
        if rng.random() < 0.2 and case.get("procedure") != "简易程序":
            desk.limits.add_adjustment(cid, rng.choice(["中止", "延期"]), (noted + timedelta(days=30)).isoformat(),
                                "补充鉴定", (noted + timedelta(days=30 + rng.randrange(60))).isoformat()
                                if rng.random() < 0.5 else None, cause="检测、检验、检疫、鉴定")
    warned = 0
    for day in [date(2025, 7, 3) + timedelta(days=13 * k) for k in range(45)]:
        desk._today = lambda day=day: day
        every = [(c["id"], d) for c, d in desk.limits.deadlines() if needs_warning(d)]
        assert [(c["id"], d) for c, d in desk.limits.deadlines(only_warnings=True)] == every, day
        warned += len(every)
    assert warned > 200


def test_passwords_hashed(desk):
    desk.office.add_user("张瑞", enums.ROLE_CLERK, "s3cret-密码", own_password="pw-admin")
    raw = (desk.path).read_bytes() + (desk.path.with_name(desk.path.name + "-wal")).read_bytes()
    assert b"s3cret" not in raw
    assert desk.office.login("张瑞", "s3cret-密码") and not desk.office.login("张瑞", "wrong")


def test_undo_of_deleting_a_case_restores_what_the_delete_changed(desk):
    """Deleting a case also unlinks the inspection it was filed from and removes its 中止/延期 (foreign keys);
    undo puts every one of those rows back as it was, and the inspection can again open its case."""
    def rows():
        return {t: desk.db.execute(f"SELECT * FROM {t} ORDER BY id").fetchall()
                for t in ("cases", "inspections", "case_adjustments")}

    iid = desk.records.save("inspections", {"date": "2026-03-01", "kind": "专项检查", "place_kind": "实体市场",
                                    "subject_name": "某商行"}).record_id
    cid = desk.records.file_case_from_inspection(iid, {"name": "某商行涉嫌商标侵权案", "category": "商标侵权",
                                               "procedure": "一般程序", "filed_date": "2026-03-05"}).record_id
    desk.limits.add_adjustment(cid, "中止", "2026-03-10", "等待鉴定")
    other = desk.records.save("inspections", {"date": "2026-03-02", "kind": "专项检查", "place_kind": "实体市场"}).record_id
    before = rows()
    assert desk.records.get_record("inspections", iid)["case_id"] == cid and len(before["case_adjustments"]) == 1

    desk.records.delete("cases", cid)
    assert desk.records.get_record("inspections", iid)["case_id"] is None
    assert count(desk, "case_adjustments") == 0 and count(desk, "cases") == 0
    assert desk.records.undo_label() == "撤销 删除案件 某商行涉嫌商标侵权案"
    changes = desk.records.undo_last()
    assert {"cases", "inspections", "case_adjustments"} <= changes.tables
    assert rows() == before
    assert desk.records.get_record("inspections", iid)["case_id"] == cid
    assert desk.records.get_record("inspections", other)["case_id"] is None
    assert desk.limits.adjustments(cid)[0]["reason"] == "等待鉴定"
    with pytest.raises(IpdeskError, match="已立案"):  # the link is live again: no second case from it
        desk.records.file_case_from_inspection(iid, {"name": "重复", "category": "商标侵权", "procedure": "一般程序",
                                             "filed_date": "2026-03-06"})


def test_saving_an_untouched_record_writes_nothing(desk):
    """A form sends empty text for columns a file (an import, an older version) holds as NULL: that is no change,
    so no write, no updated_at, and no 撤销 step that would undo nothing."""
    rid = desk.records.save("cases", {"name": "某店销售侵犯注册商标专用权商品案", "category": "商标侵权",
                              "lead_date": "2026-02-20"}).record_id
    desk.db.execute("UPDATE cases SET remarks = NULL, referral_body = NULL WHERE id = ?", [rid])
    row = desk.db.execute("SELECT * FROM cases WHERE id = ?", [rid]).fetchone()
    logged, label = count(desk, "audit_log"), desk.records.undo_label()
    changes = desk.records.save("cases", {**desk.records.get_case(rid), "remarks": "", "referral_body": ""}, rid)
    assert changes.tables == set()
    assert desk.db.execute("SELECT * FROM cases WHERE id = ?", [rid]).fetchone() == row
    assert count(desk, "audit_log") == logged and desk.records.undo_label() == label
    desk.records.save("cases", {"remarks": "补充"}, rid)  # a real change is still written and undoable
    assert desk.records.get_case(rid)["remarks"] == "补充" and desk.records.undo_label().startswith("撤销 修改案件")


def test_the_duplicate_case_number_check_reads_its_index(make_desk):
    """Without the partial index's own terms SQLite walked every case of the unit for each new case: adding
    cases to a large file was quadratic (1,000 into 30,000: 47.6 s against 0.23 s into an empty file)."""
    from ipdesk.db import records

    desk = make_desk()
    seen = []
    desk.db.conn.set_trace_callback(seen.append)
    records.case_no_taken(desk.db, "150602", "东市监立字〔2026〕1号", None)
    records.case_id_by_no(desk.db, "150602", "东市监立字〔2026〕1号")
    records.case_numbers_taken(desk.db, "150602", ["东市监立字〔2026〕1号", "东市监立字〔2026〕2号"])
    desk.db.conn.set_trace_callback(None)
    for sql in [s for s in seen if s.startswith("SELECT")]:
        plan = " ".join(r[3] for r in desk.db.execute("EXPLAIN QUERY PLAN " + sql).fetchall())
        assert "cases_unit_case_no" in plan, plan


def test_a_batch_is_refused_for_a_case_number_taken(desk):
    """save_checked looks up only the batch's numbers (a city's file holds 100,000); a record edited after its
    check may bring another number, looked up on its own."""
    case = {"category": "商标侵权", "procedure": "一般程序", "filed_date": "2026-03-05"}
    desk.records.save("cases", {**case, "name": "甲", "case_no": "东市监立字〔2026〕1号"})
    with pytest.raises(IpdeskError) as info:
        desk.records.save_many("cases", [{**case, "name": "乙", "case_no": "东市监立字〔2026〕2号"},
                                         {**case, "name": "丙", "case_no": " 东市监立字〔2026〕1号 "}], label="导入")
    assert set(info.value.field_errors) == {"1.case_no"} and "已存在" in info.value.field_errors["1.case_no"]
    raws = [{**case, "name": "丁", "case_no": "东市监立字〔2026〕3号"}]
    checked = [desk.records.check_new("cases", raw) for raw in raws]
    raws[0]["case_no"] = "东市监立字〔2026〕1号"  # edited after the preview
    with pytest.raises(IpdeskError) as info:
        desk.records.save_checked("cases", checked, label="导入")
    assert "已存在" in info.value.field_errors["0.case_no"]
    assert count(desk, "cases") == 1
