"""Undo puts back only what is still as its operation left it, and record ids are never reused."""
import pytest

from ipdesk.errors import IpdeskError

CASE = {"name": "某商行销售侵犯注册商标专用权商品案", "category": "商标侵权", "lead_date": "2026-11-02"}


@pytest.fixture
def shared_pc(make_desk):
    desk = make_desk()
    desk.office.add_user("王科员", "填报人", "pw-wang-1", own_password="pw-admin")
    desk.office.add_user("李科员", "填报人", "pw-li-22", own_password="pw-admin")
    return desk


def test_undoing_an_insert_a_colleague_edited_since_is_refused(shared_pc):
    desk = shared_pc
    desk.user = "王科员"
    case_id = desk.records.save("cases", CASE).record_id
    desk.user = "李科员"
    desk.records.save("cases", {**desk.records.get_case(case_id), "remarks": "李科员补充的案情"}, case_id)
    desk.user = "王科员"
    assert desk.records.undo_state()[1]  # the GUI shows why 撤销 is unavailable
    with pytest.raises(IpdeskError, match="李科员"):
        desk.records.undo_last()
    assert desk.records.get_case(case_id)["remarks"] == "李科员补充的案情"


def test_a_deleted_id_is_never_given_again_so_undoing_the_delete_works(shared_pc):
    desk = shared_pc
    desk.user = "王科员"
    first = desk.records.save("cases", CASE).record_id
    second = desk.records.save("cases", {**CASE, "name": "另一案"}).record_id
    desk.user = "李科员"
    desk.records.delete("cases", second)
    desk.user = "王科员"
    third = desk.records.save("cases", {**CASE, "name": "第三案"}).record_id
    assert third not in (first, second)
    desk.user = "李科员"
    desk.records.undo_last()  # puts the deleted case back under its own id (it failed: UNIQUE constraint cases.id)
    assert desk.records.get_case(second)["name"] == "另一案"
    assert desk.records.get_case(third)["name"] == "第三案"


def test_ids_stay_unique_through_bulk_imports_after_a_delete(shared_pc):
    from ipdesk.exchange.load_json import load_records

    desk = shared_pc
    last = desk.records.save("cases", CASE).record_id
    desk.records.delete("cases", last)
    load_records(desk, {"cases": [{**CASE, "name": f"导入{n}"} for n in range(3)]})
    ids = [r[0] for r in desk.db.execute("SELECT id FROM cases ORDER BY id")]
    assert last not in ids and len(ids) == 3


def test_a_step_overwritten_by_a_colleague_does_not_block_the_users_older_steps(shared_pc):
    """王科员's newest step can never be undone (李科员 edited the case since): 撤销 offers the step before
    it, names the one passed over and why; once only stuck steps are left it says so, changing nothing."""
    desk = shared_pc
    desk.user = "王科员"
    older = desk.records.save("cases", {**CASE, "name": "王科员的旧案"}).record_id
    newer = desk.records.save("cases", CASE).record_id
    desk.user = "李科员"
    desk.records.save("cases", {**desk.records.get_case(newer), "remarks": "李科员补充的案情"}, newer)
    desk.user = "王科员"
    state = desk.records.undo_state()
    assert state.label == "撤销 新增案件 王科员的旧案" and state.refused is None
    assert "较新的“新增案件 某商行销售侵犯注册商标专用权商品案”不能撤销" in state.skipped_note
    assert "李科员" in state.skipped_note
    assert desk.records.undo_last().label == "撤销 新增案件 王科员的旧案"
    assert desk.db.execute("SELECT COUNT(*) FROM cases WHERE id = ?", [older]).fetchone()[0] == 0
    assert desk.records.get_case(newer)["remarks"] == "李科员补充的案情"
    state = desk.records.undo_state()  # only the stuck step is left: named, with why
    assert state.label == "撤销 新增案件 某商行销售侵犯注册商标专用权商品案" and "李科员" in state.refused
    with pytest.raises(IpdeskError, match="不能撤销 新增案件.*李科员"):
        desk.records.undo_last()
    assert desk.records.get_case(newer)["remarks"] == "李科员补充的案情"


def test_steps_in_a_locked_month_are_passed_over_and_none_left_says_why(shared_pc):
    from ipdesk.exchange.approval import approve

    desk = shared_pc
    desk.user = "王科员"
    april = desk.records.save("work_items", {"date": "2026-04-02", "kind": "宣传活动", "title": "四月宣传",
                                             "count_a": 1}).record_id
    desk.records.save("work_items", {"date": "2026-03-02", "kind": "行政调解", "title": "三月调解", "count_a": 1})
    desk.records.save("work_items", {"date": "2026-03-05", "kind": "培训", "title": "三月培训", "count_a": 1})
    desk.user = "管理员"  # the approver: the explanations are their steps, not 王科员's
    try:
        approve(desk, "2026-03")
    except IpdeskError:  # findings that need an explanation are explained, as an office would
        for key in [f.key for f in desk.figures.check_period("2026-03") if not f.is_error]:
            desk.explanations.explain("2026-03", key, "已核实")
        approve(desk, "2026-03")
    desk.user = "王科员"
    state = desk.records.undo_state()
    assert state.label == "撤销 新增工作事项 宣传活动" and len(state.skipped) == 2
    assert "已审核报送并锁定" in state.skipped_note
    desk.records.undo_last()
    assert desk.db.execute("SELECT COUNT(*) FROM work_items WHERE id = ?", [april]).fetchone()[0] == 0
    state = desk.records.undo_state()
    assert state.op_id is None and state.label == "撤销 新增工作事项 培训"
    assert state.refused.startswith("最近 2 步操作都不能撤销：“新增工作事项 培训”——2026年3月已审核报送并锁定")
    assert "“新增工作事项 行政调解”" in state.refused
    n = desk.db.execute("SELECT COUNT(*) FROM work_items").fetchone()[0]
    with pytest.raises(IpdeskError, match="最近 2 步操作都不能撤销"):
        desk.records.undo_last()
    assert desk.db.execute("SELECT COUNT(*) FROM work_items").fetchone()[0] == n
