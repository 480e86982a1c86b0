"""Once a second user exists every user has a password (OfficeManager: the GUI and the command line both call it)."""
import pytest

from ipdesk.domain import enums
from ipdesk.errors import IpdeskError


def _has_password(desk) -> dict:
    return {u["name"]: bool(u["has_password"]) for u in desk.office.users()}


def test_adding_a_second_user_sets_both_passwords_in_one_operation(desk):
    assert desk.user == "管理员" and not desk.office.passwords_required()
    desk.office.set_password("管理员", "")  # alone, the one user may work without a password
    with pytest.raises(IpdeskError) as refused:
        desk.office.add_user("张瑞", enums.ROLE_CLERK)
    assert set(refused.value.field_errors) == {"password", "own_password"}  # both said at once
    with pytest.raises(IpdeskError, match="您本人（管理员）"):
        desk.office.add_user("张瑞", enums.ROLE_CLERK, "pw-zhang")
    assert [u["name"] for u in desk.office.users()] == ["管理员"]  # nothing added, no password set
    desk.office.add_user("张瑞", enums.ROLE_CLERK, "pw-zhang", own_password="pw-admin")
    assert _has_password(desk) == {"管理员": True, "张瑞": True}
    [op] = {r[0] for r in desk.db.execute("SELECT op_id FROM audit_log WHERE op_label = '添加用户 张瑞'")}
    assert op is not None
    assert desk.office.check_password("管理员", "pw-admin") and not desk.office.check_password("管理员", "")
    with pytest.raises(IpdeskError, match="密码不能为空"):
        desk.office.set_password("张瑞", "")
    with pytest.raises(IpdeskError, match="新用户必须设置密码"):
        desk.office.add_user("李四", enums.ROLE_CLERK)


def test_a_password_less_user_among_several_sets_one_before_getting_in(desk):
    # An older file: two users, neither with a password.
    desk.db.execute("INSERT INTO users (name, role, password_hash) VALUES ('张瑞', ?, NULL)", [enums.ROLE_CLERK])
    assert desk.office.password_missing("管理员") and desk.office.password_missing("张瑞")
    desk.user = None
    assert not desk.office.login("管理员", "") and desk.user is None
    with pytest.raises(IpdeskError, match="请设置密码"):
        desk.office.set_first_password("管理员", "")
    desk.office.set_first_password("管理员", "pw-admin")
    assert desk.user == "管理员" and not desk.office.password_missing("管理员")
    with pytest.raises(IpdeskError, match="已设有密码"):
        desk.office.set_first_password("管理员", "taken-over")
    assert desk.office.login("管理员", "pw-admin")
    # Someone else's password only by the 管理员 or themselves.
    desk.user = "张瑞"
    with pytest.raises(IpdeskError, match="只有管理员"):
        desk.office.set_password("管理员", "x")
