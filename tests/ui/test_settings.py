"""设置 on real widgets: unit and contacts, users (管理员 only), print font, backup folder, holidays."""
from __future__ import annotations

from PySide6.QtCore import QDate

from ipdesk.ui.pages.settings import SETTINGS_TABS, UserDialog


def test_settings_unit_and_contacts_saved(window, demo_desk):
    page = window.navigate("settings")
    assert [page.tabs.tabText(i) for i in range(page.tabs.count())] == [t[0] for t in SETTINGS_TABS]
    tab = page.tab("单位与联系人")
    assert tab.code.text() == "150602" and tab.parent_unit.currentData() == "150600"
    tab.contact.setText("王凤英")
    tab.phone.setText("0477-8512345")
    tab.email.setText("ipr@dongsheng.gov.cn")
    tab.save()
    unit = demo_desk.unit
    assert (unit["contact_person"], unit["phone"], unit["email"]) == ("王凤英", "0477-8512345", "ipr@dongsheng.gov.cn")
    assert "已保存" in tab.message.text()
    tab.name.setText("")
    tab.save()
    assert "单位名称" in tab.message.text() and demo_desk.unit["name"] == "东胜区市场监督管理局"


def test_only_admin_manages_users(window, demo_desk, qtbot):
    tab = window.navigate("settings").tab("用户与角色")
    assert tab.add_button.isEnabled()
    # The password-less 管理员 adds a second user: both passwords are asked, and all the form's errors at once.
    dialog = UserDialog(tab, password_required=True, own_name="管理员")
    qtbot.addWidget(dialog)
    dialog.name.setText("赵丽娜")
    dialog.role.setCurrentText("填报人")
    dialog.check()
    assert "新用户必须设置密码" in dialog.error.text() and "您本人（管理员）" in dialog.error.text()
    qtbot.keyClicks(dialog.password, "pw1")
    qtbot.keyClicks(dialog.password2, "pw2")
    dialog.check()
    assert "不一致" in dialog.error.text() and dialog.result() != dialog.DialogCode.Accepted
    dialog.password2.setText("pw1")
    qtbot.keyClicks(dialog.own_password, "pw-admin")
    qtbot.keyClicks(dialog.own_password2, "pw-admin")
    dialog.check()
    tab.add_user(dialog)
    assert {u["name"]: u["role"] for u in demo_desk.office.users()}["赵丽娜"] == "填报人"
    assert tab.table.rowCount() == 2
    assert demo_desk.office.login("管理员", "pw-admin") and not demo_desk.office.login("管理员", "")
    # The clerk logs in: cannot add users, may change only her own password (never to none).
    assert demo_desk.office.login("赵丽娜", "pw1")
    tab.refresh(None)
    assert not tab.add_button.isEnabled() and "只有管理员" in tab.note.text()
    tab.table.selectRow(0)  # 管理员
    tab.change_password("hack")
    assert "只有管理员" in tab.message.text()
    assert demo_desk.office.login("管理员", "pw-admin")  # unchanged
    demo_desk.user = "赵丽娜"
    tab.table.selectRow(1)
    tab.change_password("")
    assert "密码不能为空" in tab.message.text()
    tab.change_password("new-pw")
    assert demo_desk.office.login("赵丽娜", "new-pw")


def test_print_font_and_backup_folder_settings(window, demo_desk, tmp_path):
    page = window.navigate("settings")
    font_tab = page.tab("打印字体")
    font_tab.store(str(tmp_path / "missing.ttf"))
    assert "找不到字体文件" in font_tab.message.text() and demo_desk.setting("print_font") is None
    font = tmp_path / "simfang.ttf"
    font.write_bytes(b"\0")
    font_tab.store(str(font))
    assert demo_desk.setting("print_font") == str(font)
    backup_tab = page.tab("备份文件夹")
    backup_tab.path.setText(str(tmp_path / "备份"))
    backup_tab.store(backup_tab.path.text())
    assert demo_desk.setting("backup_dir") == str(tmp_path / "备份")
    backup_tab.store("")
    assert demo_desk.setting("backup_dir") is None


def test_holiday_calendar_view_and_edit(window, demo_desk):
    tab = window.navigate("settings").tab("节假日")
    shipped = len(demo_desk.limits.holidays(2026))
    assert shipped and tab.table.rowCount() == shipped
    tab.day.setDate(QDate(2026, 12, 31))
    tab.kind.setCurrentIndex(tab.kind.findData("holiday"))
    tab.name.setText("单位补休")
    tab.add()
    assert tab.table.rowCount() == shipped + 1
    assert {"date": "2026-12-31", "kind": "holiday", "name": "单位补休"} in demo_desk.limits.holidays(2026)
    assert not demo_desk.limits.calendar.is_workday(__import__("datetime").date(2026, 12, 31))
    tab.table.selectRow(tab.table.rowCount() - 1)
    tab.remove()
    assert len(demo_desk.limits.holidays(2026)) == shipped
    tab.year.setValue(2031)
    assert tab.table.rowCount() == 0 and "尚无节假日数据" in tab.message.text()


def test_unsaved_settings_are_asked_about_before_leaving_or_quitting(window, demo_desk):
    page = window.navigate("settings")
    assert page.unsaved_edits() == []  # as loaded: nothing to ask
    asked = []
    answers = iter(["cancel", "save", "cancel", "discard"])
    window.ask_unsaved = lambda text: (asked.append(text), next(answers))[1]
    page.tab("单位与联系人").contact.setText("王凤英")
    page.tab("备份文件夹").path.setText("/tmp/备份")
    assert page.unsaved_edits() == ["单位与联系人", "备份文件夹"]
    window.navigate("home")  # 取消: stays on the page, edits kept
    assert window.current_key() == "settings" and page.tab("单位与联系人").contact.text() == "王凤英"
    assert "单位与联系人" in asked[0] and "备份文件夹" in asked[0]
    window.navigate("home")  # 保存
    assert window.current_key() == "home"
    assert demo_desk.unit["contact_person"] == "王凤英" and demo_desk.setting("backup_dir") == "/tmp/备份"
    window.navigate("settings")
    page.tab("单位与联系人").phone.setText("0477-1")
    assert not window.close()  # 取消: the window stays open
    assert window.close()  # 不保存: closes, the edit is dropped
    assert demo_desk.unit["phone"] != "0477-1"


def test_operation_log_names_settings_in_chinese(window, demo_desk, qtbot):
    """The log showed keys such as last_user and file_path, and 撤销 offered “设置 print_font”."""
    from ipdesk.db import audit

    # An entry written before settings had names: shown by name all the same.
    with audit.operation(demo_desk.db, "管理员", "修改设置 last_user") as op:
        op.log("update", "settings", "last_user", {"value": None}, {"value": "管理员"})
    page = window.navigate("settings")
    demo_desk.set_setting("print_title_font", "/fonts/simhei.ttf")
    log = page.tab("操作日志")
    page.tabs.setCurrentWidget(log)
    log.search()
    qtbot.waitUntil(lambda: log.grid.rowCount() > 0)
    rows = [[log.grid.item(r, c).text() for c in range(log.grid.columnCount())] for r in range(log.grid.rowCount())]
    settings_rows = [row for row in rows if row[4] == "设置"]
    named = ("上次登录用户", "打印字体", "打印标题字体", "数据库文件位置")
    assert settings_rows and all(row[5] in named for row in settings_rows)
    assert any(row[2] == "修改设置 打印标题字体" for row in settings_rows)
    assert any(row[2] == "修改设置 上次登录用户" for row in settings_rows)
    assert not any("_" in cell for row in settings_rows for cell in row[2:6])


def test_add_user_dialog_is_wide_enough_to_type_in(window, qtbot):
    dialog = UserDialog(window, password_required=True)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.width() >= 360 and dialog.name.width() >= 200
