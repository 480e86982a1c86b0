"""Undo puts back only what is still as its operation left it, and record ids are never reused."""
import pytest

from ipdesk.errors import IpdeskError

CASE = {"name": "某商行销售侵犯注册商标专用权商品案", "category": "商标侵权", "lead_date": "2026-11-02"}


@pytest.fixture
def shared_pc(make_desk):
    desk = make_desk()
    desk.office.add_user("王科员", "填报人", "pw-wang-1")
    desk.office.add_user("李科员", "填报人", "pw-li-22")
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
