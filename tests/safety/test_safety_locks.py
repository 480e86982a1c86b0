"""Locks enforced in the core: an approved month's records cannot change except through a correction;
a 填报人 cannot approve; passwords are scrypt hashes, never in the log or the file in clear."""

import pytest

from ipdesk.db import audit
from ipdesk.errors import IpdeskError
from ipdesk.exchange.approval import approve, reopen

LOCKED = "已审核报送并锁定"


def work(desk, day, title="宣传", **kw):
    return desk.records.save("work_items", {"date": day, "kind": "宣传活动", "title": title, "count_a": 1, **kw}).record_id


def case(desk, **kw):
    raw = {"name": "某店销售侵犯注册商标专用权商品案", "category": "商标侵权", "lead_date": "2026-02-20", **kw}
    return desk.records.save("cases", raw).record_id


def count(desk, table):
    return desk.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


@pytest.fixture
def locked(desk):
    """March 2026 approved; records on both sides of its borders."""
    ids = {
        "mar_first": work(desk, "2026-03-01", "三月一日"),
        "mar_last": work(desk, "2026-03-31", "三月末"),
        "feb_last": work(desk, "2026-02-28", "二月末"),
        "apr_first": work(desk, "2026-04-01", "四月一日"),
        "insp_mar": desk.records.save("inspections", {"date": "2026-03-10", "kind": "日常巡查", "place_kind": "商场超市",
                                              "subject_count": 1, "officers": 2}).record_id,
        "case_feb": case(desk, lead_date="2026-02-01", filed_date="2026-02-05", procedure="一般程序"),
        "case_open": case(desk, lead_date="2026-04-03"),
    }
    desk.records.set_manual_cell("A.key_markets", "2026-03", 7)
    desk.records.set_manual_cell("A.key_markets", "2026-04", 8)
    try:
        approve(desk, "2026-03")
    except IpdeskError:  # findings that need an explanation are explained, as an office would
        for key in [f.key for f in desk.figures.check_period("2026-03") if not f.is_error]:
            desk.explanations.explain("2026-03", key, "已核实")
        approve(desk, "2026-03")
    assert desk.records.locked_periods() == ["2026-03"]
    return ids


def test_new_records_in_a_locked_month_are_refused_at_its_borders(desk, locked):
    for day in ("2026-03-01", "2026-03-15", "2026-03-31"):
        with pytest.raises(IpdeskError, match=LOCKED):
            work(desk, day)
    with pytest.raises(IpdeskError, match="其本年累计包含2026-02-28"):  # March's 本年累计 counts February
        work(desk, "2026-02-28")
    work(desk, "2025-12-31")
    work(desk, "2026-04-01")
    with pytest.raises(IpdeskError, match=LOCKED):
        case(desk, lead_date="2026-02-01", filed_date="2026-03-02", procedure="一般程序")
    with pytest.raises(IpdeskError, match=LOCKED):
        desk.records.save("inspections", {"date": "2026-03-11", "kind": "日常巡查", "place_kind": "商场超市",
                                  "subject_count": 1, "officers": 2})


def test_updates_into_out_of_and_inside_a_locked_month_are_refused(desk, locked):
    before = desk.db.execute("SELECT * FROM work_items ORDER BY id").fetchall()
    with pytest.raises(IpdeskError, match=LOCKED):
        desk.records.save("work_items", {"title": "改名"}, locked["mar_first"])            # inside
    with pytest.raises(IpdeskError, match=LOCKED):
        desk.records.save("work_items", {"date": "2026-05-01"}, locked["mar_last"])        # moved out
    with pytest.raises(IpdeskError, match=LOCKED):
        desk.records.save("work_items", {"date": "2026-03-20"}, locked["apr_first"])       # moved in
    with pytest.raises(IpdeskError, match=LOCKED):
        desk.records.save("inspections", {"officers": 3}, locked["insp_mar"])
    assert desk.db.execute("SELECT * FROM work_items ORDER BY id").fetchall() == before
    desk.records.save("work_items", {"title": "四月改名"}, locked["apr_first"])            # outside: fine
    # a case closed in March is locked although it was filed in February
    desk.records.save("cases", {"filed_date": "2026-02-05"}, locked["case_feb"])
    with pytest.raises(IpdeskError, match=LOCKED):
        desk.records.save("cases", {"decision_date": "2026-03-10", "closed_date": "2026-03-12", "outcome": "作出行政处罚",
                            "penalty_kinds": ["罚款"], "fine": "1000", "procedure": "一般程序",
                            "decision_no": "东市监处罚〔2026〕1号"}, locked["case_feb"])


def test_delete_save_many_manual_cells_and_undo_are_refused(desk, locked):
    with pytest.raises(IpdeskError, match=LOCKED):
        desk.records.delete("work_items", locked["mar_first"])
    n = count(desk, "work_items")
    with pytest.raises(IpdeskError, match=LOCKED):
        desk.records.save_many("work_items", [{"date": "2026-04-02", "kind": "宣传活动", "title": "a", "count_a": 1},
                                      {"date": "2026-03-02", "kind": "宣传活动", "title": "b", "count_a": 1}],
                       label="批量")
    assert count(desk, "work_items") == n  # nothing written, not even the April one
    with pytest.raises(IpdeskError, match=LOCKED):
        desk.records.set_manual_cell("A.key_markets", "2026-03", 9)
    with pytest.raises(IpdeskError, match=LOCKED):
        desk.records.set_manual_cell("A.key_markets", "2026-03", None)
    assert desk.records.manual_cell("A.key_markets", "2026-03")["value"] == 7
    desk.records.set_manual_cell("A.key_markets", "2026-04", 9)
    # undo of a change made before the approval would change the approved month
    desk.records.undo_last()  # the April manual cell: allowed
    assert desk.records.manual_cell("A.key_markets", "2026-04")["value"] == 8
    desk.records.undo_last()  # undoes the April manual cell entry (8 → none)
    assert desk.records.manual_cell("A.key_markets", "2026-04") is None
    snapshot = desk.db.execute("SELECT * FROM manual_cells ORDER BY id").fetchall()
    # next in line, the March manual cell, can never be undone while March is locked: passed over (named, with
    # why) for the newest step that can be undone, the April case
    state = desk.records.undo_state()
    assert "较新的“填报 辖区重点实体市场数量（2026年3月）”不能撤销" in state.skipped_note
    assert "2026年3月已审核报送并锁定" in state.skipped_note
    assert state.label.startswith("撤销 新增案件")
    desk.records.undo_last()
    assert desk.db.execute("SELECT * FROM manual_cells ORDER BY id").fetchall() == snapshot
    assert desk.db.execute("SELECT COUNT(*) FROM cases WHERE id = ?", [locked["case_open"]]).fetchone()[0] == 0


def test_correction_flow_unlocks_then_relocks(desk, locked):
    reopen(desk, "2026-03", desk.user, "补录一条宣传活动")
    assert desk.records.locked_periods() == []
    desk.records.save("work_items", {"title": "更正后"}, locked["mar_first"])
    approve(desk, "2026-03")
    assert desk.records.locked_periods() == ["2026-03"]
    with pytest.raises(IpdeskError, match=LOCKED):
        desk.records.save("work_items", {"title": "再改"}, locked["mar_first"])
    revisions = desk.db.execute("SELECT revision, reason FROM submissions ORDER BY revision").fetchall()
    assert revisions == [(1, None), (2, "补录一条宣传活动")]


def test_a_clerk_cannot_approve_or_reopen(desk):
    work(desk, "2026-03-05")
    desk.office.add_user("小王", "填报人", "pw-小王", own_password="pw-admin")
    with pytest.raises(IpdeskError, match="只有审核人或管理员"):
        approve(desk, "2026-03", "小王")
    desk.user = "小王"
    with pytest.raises(IpdeskError, match="只有审核人或管理员"):
        approve(desk, "2026-03")
    assert desk.records.locked_periods() == []
    with pytest.raises(IpdeskError):
        desk.office.add_user("小李", "管理员")  # nor make themselves an administrator
    with pytest.raises(IpdeskError, match="管理员和审核人"):
        desk.office.audit_entries()


def test_passwords_are_scrypt_and_never_in_clear(desk):
    secret, secret2 = "Ab3-秘密口令-xyz", "Cd4-新的口令-uvw"
    desk.office.add_user("审核员甲", "审核人", secret, own_password="pw-admin")
    desk.office.set_password("审核员甲", secret2)
    stored = desk.db.execute("SELECT password_hash FROM users WHERE name = '审核员甲'").fetchone()[0]
    assert stored.startswith("scrypt$16384$8$1$")
    assert desk.office.login("审核员甲", secret2) and not desk.office.login("审核员甲", secret)
    # a careless future write that logs a whole user row still hides the hash
    with audit.operation(desk.db, desk.user, "测试") as op:
        op.update("users", desk.db.execute("SELECT id FROM users WHERE name = '审核员甲'").fetchone()[0],
                  {"password_hash": "scrypt$1$2$3$aa$bb", "role": "管理员"})
    log = "\n".join(str(r) for r in desk.db.execute("SELECT * FROM audit_log").fetchall())
    assert secret not in log and secret2 not in log and stored not in log and "scrypt$" not in log
    desk.db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    raw = b"".join(p.read_bytes() for p in desk.path.parent.glob(desk.path.name + "*"))
    for s in (secret, secret2):
        assert s.encode("utf-8") not in raw and s.encode("utf-16-le") not in raw



def _approve_march(desk):
    for key in [f.key for f in desk.figures.check_period("2026-03") if not f.is_error]:
        desk.explanations.explain("2026-03", key, "已核实")
    approve(desk, "2026-03")


def _fine(desk):
    rid = case(desk, lead_date="2026-02-01", filed_date="2026-02-05", procedure="一般程序")
    desk.records.save("cases", {"decision_date": "2026-03-10", "closed_date": "2026-03-12", "outcome": "作出行政处罚",
                        "penalty_kinds": ["罚款"], "fine": "1000", "decision_no": "东市监处罚〔2026〕1号"}, rid)
    return "cases", rid, {"fine": "5000"}, "fine_fen", 100000


@pytest.mark.parametrize("make, edit_label", [
    (_fine, "a new fine on a case decided in March"),
    (lambda desk: ("work_items", work(desk, "2026-03-05", "三月"), {"title": "三月改名"}, "title", "三月"),
     "a new title on a March work item"),
    (lambda desk: ("work_items", work(desk, "2026-04-05", "四月"), {"date": "2026-03-20"}, "date", "2026-04-05"),
     "an April work item moved into March"),
], ids=["fine", "title", "moved-in"])
def test_undo_of_an_edit_made_before_the_approval_is_refused(desk, make, edit_label):
    """An edit's log holds only the columns it changed (no date for a new fine or title; only April for a record
    moved into March): undoing it once March is approved must still be refused, and change nothing."""
    table, rid, edit, column, before_edit = make(desk)
    desk.records.save(table, edit, rid)
    _approve_march(desk)
    snapshot = desk.db.execute(f"SELECT * FROM {table} ORDER BY id").fetchall()
    with pytest.raises(IpdeskError, match=LOCKED):
        desk.records.undo_last()
    assert desk.db.execute(f"SELECT * FROM {table} ORDER BY id").fetchall() == snapshot, edit_label
    reopen(desk, "2026-03", desk.user, "更正")  # through a correction the same undo goes through
    desk.records.undo_last()
    assert desk.db.execute(f"SELECT {column} FROM {table} WHERE id = ?", [rid]).fetchone()[0] == before_edit


@pytest.mark.parametrize("value, message", [(float("inf"), "请输入有效的数值"), (float("nan"), "请输入有效的数值"),
                                            (-1, "数值不能为负数"), (2.5, "须为整数")])
def test_a_manual_cell_takes_only_a_whole_non_negative_count(desk, value, message):
    desk.records.set_manual_cell("A.key_markets", "2026-04", 8)
    with pytest.raises(IpdeskError, match=message) as refused:
        desk.records.set_manual_cell("A.key_markets", "2026-04", value)
    assert refused.value.field_errors == {"value": refused.value.zh}
    assert desk.records.manual_cell("A.key_markets", "2026-04")["value"] == 8


def test_an_approved_months_explanations_cannot_change(desk, locked):
    """Explanations are sent with the month: after approval neither a new text nor an undo may change them."""
    sent = desk.db.execute("SELECT * FROM explanations ORDER BY id").fetchall()
    key = next((k for k, in desk.db.execute("SELECT check_key FROM explanations WHERE period = '2026-03'")),
               "outlier:A.actions")
    for text in ("改写", ""):
        with pytest.raises(IpdeskError, match=LOCKED):
            desk.explanations.explain("2026-03", key, text)
    assert desk.db.execute("SELECT * FROM explanations ORDER BY id").fetchall() == sent
    reopen(desk, "2026-03", desk.user, "补充说明")
    changes = desk.explanations.explain("2026-03", key, "补充后的说明")
    assert changes.label == "填写审核警告说明（2026年3月）" and desk.records.undo_label() == "撤销 填写审核警告说明（2026年3月）"


SPANS = "期初或期末未结"


def test_a_case_open_across_a_locked_month_keeps_how_it_counts_there(desk, locked):
    """case_feb (filed 2026-02-05, open) counts in March's 期初/期末未结 by category though none of its dates lies
    in March: closing it later is the normal course; anything that changes how it counts in March is refused."""
    rid = locked["case_feb"]
    closing = {"decision_date": "2026-04-10", "closed_date": "2026-04-12", "outcome": "作出行政处罚",
               "penalty_kinds": ["罚款"], "fine": "1000", "decision_no": "东市监处罚〔2026〕2号"}
    desk.records.save("cases", closing, rid)  # closed in April: still open at the end of March, as approved
    snapshot = desk.db.execute("SELECT * FROM cases ORDER BY id").fetchall()
    for edit in ({"decision_date": "2026-02-25", "closed_date": "2026-02-27"},  # closed before March instead
                 {"category": "其他商标违法"}):                                   # counted under another category
        with pytest.raises(IpdeskError, match=f"{SPANS}|本年累计"):
            desk.records.save("cases", edit, rid)
    with pytest.raises(IpdeskError, match=f"{SPANS}|本年累计"):
        desk.records.delete("cases", rid)
    with pytest.raises(IpdeskError, match=f"{SPANS}|本年累计"):  # a February case entered late: open in March too
        case(desk, lead_date="2026-02-01", filed_date="2026-02-10", procedure="一般程序")
    assert desk.db.execute("SELECT * FROM cases ORDER BY id").fetchall() == snapshot
    desk.records.save("cases", {"remarks": "补充备注"}, rid)  # what March does not count may change
    reopen(desk, "2026-03", desk.user, "更正结案日期")
    desk.records.save("cases", {"decision_date": "2026-02-25", "closed_date": "2026-02-27"}, rid)
