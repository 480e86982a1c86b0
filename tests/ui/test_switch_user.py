"""文件 → 切换用户 (Ctrl+L): another person takes over the open window; what they do is logged as theirs."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence


def _audit_users(desk, label_like: str) -> list[str]:
    return [r[0] for r in desk.db.execute("SELECT DISTINCT user_name FROM audit_log WHERE op_label LIKE ?",
                                         [label_like]).fetchall()]


def test_switch_user_with_password_reloads_pages_and_logs_as_the_new_user(window, demo_desk, qtbot):
    demo_desk.office.set_password("管理员", "pw-admin")
    demo_desk.office.add_user("赵丽娜", "填报人", "pw-zhao")
    assert QKeySequence("Ctrl+L") in window.switch_user_action.shortcuts()
    assert window.switch_user_action in window.menuBar().actions()[0].menu().actions()  # 文件
    settings_page = window.navigate("settings")
    assert settings_page.tab("用户与角色").add_button.isEnabled()  # 管理员

    window.switch_user_action.trigger()
    dialog = window.login_dialog
    assert dialog.windowTitle() == "切换用户" and dialog.isVisible()
    dialog.user.setCurrentIndex(dialog.user.findData("赵丽娜"))
    qtbot.keyClicks(dialog.password, "wrong")
    qtbot.keyClick(dialog.password, Qt.Key_Return)  # Enter logs in: refused, nothing switched
    assert "不正确" in dialog.error.text() and dialog.isVisible()
    assert demo_desk.user == "管理员" and "管理员" in window.user_label.text()
    dialog.password.clear()
    qtbot.keyClicks(dialog.password, "pw-zhao")
    qtbot.keyClick(dialog.password, Qt.Key_Return)
    assert not dialog.isVisible()
    assert demo_desk.user == "赵丽娜"
    assert "赵丽娜（填报人）" in window.user_label.text()

    # The pages are built again for the clerk: the settings page she sees is a new one, without 添加用户.
    page = window.pages["settings"]
    assert page is not settings_page and window.stack.currentWidget() is page
    users_tab = page.tab("用户与角色")
    assert not users_tab.add_button.isEnabled() and "只有管理员" in users_tab.note.text()
    users_tab.table.selectRow(1)
    users_tab.change_password("zhao-new")
    assert demo_desk.office.login("赵丽娜", "zhao-new")
    assert _audit_users(demo_desk, "修改密码 赵丽娜%") == ["赵丽娜"]


def test_escape_cancels_switching(window, demo_desk, qtbot):
    demo_desk.office.set_password("管理员", "pw-admin")
    demo_desk.office.add_user("赵丽娜", "填报人", "pw-zhao")
    home = window.navigate("home")
    qtbot.keyClick(window, Qt.Key_L, Qt.ControlModifier)
    dialog = window.login_dialog
    assert dialog.isVisible()
    dialog.user.setCurrentIndex(dialog.user.findData("赵丽娜"))
    qtbot.keyClicks(dialog.password, "pw-zhao")
    qtbot.keyClick(dialog.password, Qt.Key_Escape)
    assert not dialog.isVisible()
    assert demo_desk.user == "管理员" and window.pages["home"] is home


def test_a_password_less_administrator_among_several_users_sets_a_password_at_login(desk, ops, settings, qtbot):
    """A file from before the rule: the 管理员 without a password is no longer let in without one."""
    from ipdesk.ui.app import Launcher
    from ipdesk.ui.login import LoginDialog

    desk.db.execute("INSERT INTO users (name, role, password_hash) VALUES ('赵丽娜', '填报人', NULL)")
    desk.user = None
    launcher = Launcher(desk, ops, settings=settings)
    launcher.start()
    dialog = launcher.dialog
    assert isinstance(dialog, LoginDialog)
    qtbot.addWidget(dialog)
    dialog.user.setCurrentIndex(dialog.user.findData("管理员"))
    assert dialog.password2.isVisibleTo(dialog) and "尚未设置密码" in dialog.first_note.text()
    qtbot.keyClick(dialog.password, Qt.Key_Return)  # an empty password no longer opens the window
    assert "请设置密码" in dialog.error.text() and launcher.window is None and desk.user is None
    qtbot.keyClicks(dialog.password, "pw-admin")
    qtbot.keyClicks(dialog.password2, "pw-admim")
    qtbot.keyClick(dialog.password, Qt.Key_Return)
    assert "不一致" in dialog.error.text() and launcher.window is None
    dialog.password2.setText("pw-admin")
    with qtbot.waitSignal(launcher.ready, timeout=3000):
        qtbot.keyClick(dialog.password, Qt.Key_Return)
    qtbot.addWidget(launcher.window)
    assert desk.user == "管理员" and desk.office.check_password("管理员", "pw-admin")
    entry = desk.db.execute("SELECT user_name FROM audit_log WHERE op_label = '设置密码 管理员'").fetchone()
    assert entry == ("管理员",)


def test_escape_while_the_password_is_checked_switches_nobody(demo_desk, app, qtbot):
    """Enter, then Esc before the worker has checked the password: the switch does not happen behind a closed
    dialog (the check runs on the worker, queued behind whatever it is doing)."""
    import threading

    from ipdesk.ui.login import LoginDialog
    from ipdesk.ui.ops import OpRunner

    demo_desk.office.set_password("管理员", "pw-admin")
    demo_desk.office.add_user("赵丽娜", "填报人", "pw-zhao")
    ops = OpRunner(app)
    try:
        dialog = LoginDialog(demo_desk, ops=ops, switching=True)
        qtbot.addWidget(dialog)
        dialog.show()
        gate, started = threading.Event(), threading.Event()
        ops.run(lambda: (started.set(), gate.wait(10)), emit_changes=False)  # the worker is busy meanwhile
        started.wait(5)
        dialog.user.setCurrentIndex(dialog.user.findData("赵丽娜"))
        qtbot.keyClicks(dialog.password, "pw-zhao")
        qtbot.keyClick(dialog.password, Qt.Key_Return)
        qtbot.keyClick(dialog, Qt.Key_Escape)
        assert not dialog.isVisible()
        gate.set()
        done = threading.Event()
        ops.run(done.set, emit_changes=False)
        qtbot.waitUntil(done.is_set, timeout=10_000)
        assert demo_desk.user == "管理员" and demo_desk.setting("last_user") != "赵丽娜"
    finally:
        ops.shutdown()
