"""The case form checks 统一社会信用代码/身份证号 as the 当事人类型 chosen, on the normalised text, as it is typed."""
from __future__ import annotations

from ipdesk.domain.identifiers import id_check_char

from .records_support import ctx, new_form, uscc  # noqa: F401

ID = "15060219900307123" + id_check_char("15060219900307123")


def test_the_code_is_checked_as_the_party_kind_chosen(ctx, qtbot):  # noqa: F811
    form = new_form(ctx, qtbot)
    kind, code, message = form.editors["party_kind"], form.editors["party_id_no"], form.messages["party_id_no"]
    kind.set_value("个人")
    code.set_value(uscc(42))
    form.check_identifier("party_id_no")
    assert "当事人类型为个人，应填写居民身份证号" in message.text()
    kind.set_value("单位")  # choosing the kind re-checks the code
    assert "校验通过" in message.text()
    kind.set_value("个人")
    code.set_value(ID[:6] + " " + ID[6:14].translate(str.maketrans("0123456789", "０１２３４５６７８９")) + "-" + ID[14:])
    form.check_identifier("party_id_no")
    assert "校验通过" in message.text()
    code.set_value(ID[:10] + "0230" + ID[14:])
    form.check_identifier("party_id_no")
    assert "出生日期“19900230”不存在" in message.text()
