"""The shell on real widgets over real SQLite files: first start, login, navigation, undo, window state."""
from __future__ import annotations

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox

from ipdesk.desk import Desk
from ipdesk.ui.app import Launcher, cjk_font_family, needs_login, translation_file
from ipdesk.ui.first_start import FirstStartDialog
from ipdesk.ui.login import LoginDialog
from ipdesk.ui.main_window import MainWindow
from ipdesk.ui.pages import PAGES

from datetime import date

TODAY = date(2026, 11, 22)


def _fresh_desk(tmp_path):
    return Desk.open(tmp_path / "new.db", create=True, today=lambda: TODAY)


def _ok(dialog):
    return dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.Ok)


def test_first_start_end_to_end_lands_in_main_window(tmp_path, ops, settings, qtbot):
    desk = _fresh_desk(tmp_path)
    launcher = Launcher(desk, ops, settings=settings)
    launcher.start()
    dialog = launcher.dialog
    assert isinstance(dialog, FirstStartDialog)
    qtbot.addWidget(dialog)
    # Pick 东胜区 from the division list: code, name and parent unit are filled from it.
    dialog.division.setCurrentIndex(dialog.division.findData("150602"))
    assert dialog.code.text() == "150602"
    assert dialog.name.text() == "东胜区市场监督管理局"
    assert dialog.parent_unit.currentData() == "150600"
    dialog.contact.setText("王凤英")
    qtbot.keyClicks(dialog.phone, "0477-8512345")
    qtbot.keyClicks(dialog.email, "ds@example.cn")
    dialog.user.setText("张瑞")
    qtbot.keyClicks(dialog.password, "secret1")
    qtbot.keyClicks(dialog.password2, "secret1")
    with qtbot.waitSignal(launcher.ready, timeout=3000):
        qtbot.mouseClick(_ok(dialog), Qt.LeftButton)
    window = launcher.window
    qtbot.addWidget(window)
    assert isinstance(window, MainWindow) and window.isVisible()
    unit = desk.unit
    assert (unit["code"], unit["name"], unit["parent_code"]) == ("150602", "东胜区市场监督管理局", "150600")
    assert (unit["contact_person"], unit["phone"], unit["email"]) == ("王凤英", "0477-8512345", "ds@example.cn")
    assert [(u["name"], u["role"], u["has_password"]) for u in desk.office.users()] == [("张瑞", "管理员", 1)]
    assert desk.user == "张瑞"
    assert "张瑞" in window.user_label.text() and "150602" in window.unit_label.text()
    assert str(desk.path) in window.path_label.text()
    desk.close()


def test_first_start_city_office_gets_its_banners(tmp_path, ops, qtbot):
    desk = _fresh_desk(tmp_path)
    dialog = FirstStartDialog(desk, ops)
    qtbot.addWidget(dialog)
    dialog.division.setCurrentIndex(dialog.division.findData("150600"))
    assert dialog.parent_unit.currentData() == "150000"
    dialog.user.setText("李斌")
    qtbot.mouseClick(_ok(dialog), Qt.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted
    codes = [u["code"] for u in desk.office.subordinate_units()]
    assert len(codes) == 9 and "150602" in codes  # Ordos: 9 banners/districts
    assert not needs_login(desk)  # one user without a password
    desk.close()


def test_first_start_refuses_mismatched_passwords_and_bad_code(tmp_path, ops, qtbot):
    desk = _fresh_desk(tmp_path)
    dialog = FirstStartDialog(desk, ops)
    qtbot.addWidget(dialog)
    dialog.code.setText("1506")
    dialog.name.setText("某局")
    dialog.user.setText("张瑞")
    qtbot.keyClicks(dialog.password, "a1")
    qtbot.keyClicks(dialog.password2, "a2")
    qtbot.mouseClick(_ok(dialog), Qt.LeftButton)
    assert "不一致" in dialog.error.text()
    dialog.password2.clear()
    qtbot.keyClicks(dialog.password2, "a1")
    qtbot.mouseClick(_ok(dialog), Qt.LeftButton)
    assert "6位数字" in dialog.error.text()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert not desk.is_initialized
    desk.close()


def test_login_when_several_users(desk, ops, settings, qtbot):
    desk.office.add_user("赵丽娜", "填报人", "pw-zhao", own_password="pw-admin")
    assert needs_login(desk)
    launcher = Launcher(desk, ops, settings=settings)
    launcher.start()
    dialog = launcher.dialog
    assert isinstance(dialog, LoginDialog)
    qtbot.addWidget(dialog)
    dialog.user.setCurrentIndex(dialog.user.findData("赵丽娜"))
    qtbot.keyClicks(dialog.password, "wrong")
    qtbot.keyClick(dialog.password, Qt.Key_Return)
    assert "不正确" in dialog.error.text() and launcher.window is None
    dialog.password.clear()
    qtbot.keyClicks(dialog.password, "pw-zhao")
    with qtbot.waitSignal(launcher.ready, timeout=3000):
        qtbot.keyClick(dialog.password, Qt.Key_Return)
    qtbot.addWidget(launcher.window)
    assert desk.user == "赵丽娜"
    assert "赵丽娜（填报人）" in launcher.window.user_label.text()
    assert desk.setting("last_user") == "赵丽娜"


def test_single_user_without_password_goes_straight_in(desk, ops, settings, qtbot):
    desk.user = None
    launcher = Launcher(desk, ops, settings=settings)
    launcher.start()
    assert launcher.dialog is None and launcher.window is not None
    qtbot.addWidget(launcher.window)
    assert desk.user == "管理员"


def test_navigation_creates_pages_lazily(window, qtbot):
    assert list(window.pages) == [window.current_key()]
    for n, spec in enumerate(PAGES):
        page = window.navigate(spec.key)
        assert window.stack.currentWidget() is page
        assert window.nav.currentRow() == n
        assert type(page).__name__ == spec.class_name
    assert set(window.pages) == {p.key for p in PAGES}
    # Keyboard: Ctrl+1 goes home.
    window.navigate("settings")
    home_action = next(a for a in window.menuBar().actions()[2].menu().actions() if a.text() == "工作台")
    home_action.trigger()
    assert window.current_key() == "home"


def test_undo_through_the_shell(window, demo_desk, ops, qtbot):
    before = demo_desk.db.execute("SELECT COUNT(*) FROM work_items").fetchone()[0]
    ops.run(lambda: demo_desk.records.save("work_items", {"date": "2026-11-20", "kind": "培训", "title": "商标法培训",
                                                  "count_a": 1, "count_b": 40}))
    assert window.undo_action.isEnabled()
    assert window.undo_action.text() == demo_desk.records.undo_label()
    assert window.undo_action.text().startswith("撤销 新增工作事项")
    assert demo_desk.db.execute("SELECT COUNT(*) FROM work_items").fetchone()[0] == before + 1
    window.undo_action.trigger()
    assert demo_desk.db.execute("SELECT COUNT(*) FROM work_items").fetchone()[0] == before
    assert "已撤销" in window.statusBar().currentMessage()
    assert window.undo_action.text() != "撤销 新增工作事项 培训"


def test_changes_refresh_visible_page_and_mark_hidden_ones(window, demo_desk, ops):
    seen = []
    home = window.navigate("home")
    home.refresh = lambda changes: seen.append(("home", changes))
    window.navigate("annex1")
    annex = window.pages["annex1"]
    annex.refresh = lambda changes: seen.append(("annex1", changes))
    ops.run(lambda: demo_desk.records.set_manual_cell("A.key_markets", "2026-11", 7))
    assert [k for k, _ in seen] == ["annex1"] and "manual_cells" in seen[0][1].tables
    window.navigate("home")  # refreshes on show with what it missed
    assert seen[-1][0] == "home" and seen[-1][1] is not None and "manual_cells" in seen[-1][1].tables


def test_window_state_is_remembered(demo_ctx, tmp_path, qtbot):
    path = str(tmp_path / "w.ini")
    first = MainWindow(demo_ctx, settings=QSettings(path, QSettings.IniFormat))
    qtbot.addWidget(first)
    first.show()
    first.resize(1111, 707)
    first.navigate("annex2")
    first.close()
    second = MainWindow(demo_ctx, settings=QSettings(path, QSettings.IniFormat))
    qtbot.addWidget(second)
    assert second.current_key() == "annex2"
    # The offscreen screen is 800 px wide, so Qt fits the width back to the window's minimum; the height stays.
    assert second.height() == 707
    assert QSettings(path, QSettings.IniFormat).value("main/geometry") is not None


def test_window_state_is_written_only_when_it_changed(demo_ctx, tmp_path, qtbot):
    """Each write of the settings file is a replacement with two fsyncs: a start that leaves the window and its
    page as it found them writes nothing (it wrote three times)."""
    path = tmp_path / "w.ini"
    for _ in range(3):  # the offscreen test screen is narrower than the window: it settles by the third start
        first = MainWindow(demo_ctx, settings=QSettings(str(path), QSettings.IniFormat))
        qtbot.addWidget(first)
        first.show()
        first.close()
    written = path.read_bytes()
    path.write_bytes(written + b"; untouched\n")  # any write would replace the file and drop this line
    again = MainWindow(demo_ctx, settings=QSettings(str(path), QSettings.IniFormat))
    qtbot.addWidget(again)
    again.show()
    again.close()
    assert path.read_bytes().endswith(b"; untouched\n")
    again.navigate("annex2")
    again.save_state()
    assert QSettings(str(path), QSettings.IniFormat).value("main/page") == "annex2"


def test_qt_dialogs_are_chinese(app):
    qm = translation_file()
    assert qm is not None and qm.name == "qtbase_zh_CN.qm"
    from PySide6.QtCore import QCoreApplication

    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "取消"
    # A font with Chinese glyphs is the application default (WenQuanYi here, 微软雅黑 on Windows).
    # The application font names the CJK families in order of preference; what Qt resolves it to is
    # an installed one that has Chinese glyphs.
    from PySide6.QtGui import QFontDatabase, QFontInfo

    resolved = QFontInfo(app.font()).family()
    assert resolved == cjk_font_family()
    assert QFontDatabase.WritingSystem.SimplifiedChinese in QFontDatabase.writingSystems(resolved)


def test_void_qt_calls_keep_none_alive(app):
    """PySide6 6.12 on Python 3.11 drops a reference to None on every void call until the process aborts; the
    dependencies pin a combination without that (pyproject.toml). 200,000 calls leave None's count as it was
    (give or take the few references the loop itself makes)."""
    import sys

    from PySide6.QtWidgets import QLabel

    label = QLabel()
    before = sys.getrefcount(None)
    for _ in range(200_000):
        label.setText("x")
    assert abs(sys.getrefcount(None) - before) < 100


def test_ipdesk_without_subcommand_starts_the_gui(tmp_path):
    """`ipdesk --db FILE` (run_gui): opens the office, shows the main window, exits cleanly."""
    import subprocess
    import sys

    from tests.conftest import subprocess_env

    db = tmp_path / "办公室" / "office.db"
    desk = Desk.open(db, create=True, today=lambda: TODAY)
    desk.initialize("150602", "东胜区市场监督管理局", "150600")
    desk.close()
    env = subprocess_env(HOME=str(tmp_path), XDG_CONFIG_HOME=str(tmp_path / "cfg"))
    # `ipdesk --db FILE` that quits once its window is shown and usable, as a user closing it at once would
    proc = subprocess.run([sys.executable, "-m", "bench.shown", "--db", str(db)], env=env, capture_output=True,
                          text=True, encoding="utf-8", timeout=60, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    # Every connection (the 工作台's reader too) closed before the desk's own: no -wal file left behind,
    # which the next start would take for a crash (and check the whole file before opening it).
    assert not (db.parent / "office.db-wal").exists()
    # The window state was saved where QSettings keeps it for this user, even though it quit without closing.
    conf = next((tmp_path / "cfg").rglob("*.conf")).read_text(encoding="utf-8")
    assert "geometry=" in conf and "page=home" in conf


def test_an_older_file_is_upgraded_behind_a_notice(tmp_path, monkeypatch, qtbot):
    """Opening a file of an older schema for the GUI says so in a window while it is backed up and upgraded
    (seconds for a city's file), and the window is gone once the file is open."""
    from PySide6.QtWidgets import QApplication, QProgressDialog

    from ipdesk.db import backup, migrations
    from ipdesk.ui.app import UpgradeNotice, open_for_gui

    old = Desk.open(tmp_path / "旧 版本.db", create=True, today=lambda: TODAY)
    old.initialize("150602", "东胜区市场监督管理局", "150600")
    old.close()
    monkeypatch.setattr(migrations, "STEPS", [*migrations.STEPS, ["CREATE TABLE extra_test (x)"]])
    monkeypatch.setattr(migrations, "SCHEMA_VERSION", len(migrations.STEPS))
    shown, real_backup = [], backup.backup_before_migration

    def backing_up(path, version):
        shown.extend(w.labelText() for w in QApplication.topLevelWidgets()
                     if isinstance(w, QProgressDialog) and w.isVisible())
        return real_backup(path, version)

    monkeypatch.setattr(backup, "backup_before_migration", backing_up)
    desk = open_for_gui(tmp_path / "旧 版本.db")
    try:
        assert shown == [UpgradeNotice.TEXT]
        assert migrations.schema_version(desk.db) == len(migrations.STEPS)
        assert [i.reason for i in backup.list_backups(tmp_path / "backups")] == [f"migration-v{len(migrations.STEPS) - 1}"]
        assert not [w for w in QApplication.topLevelWidgets() if isinstance(w, QProgressDialog) and w.isVisible()]
    finally:
        desk.close()
    again = open_for_gui(tmp_path / "旧 版本.db")  # current now: no notice, no backup
    again.close()
    assert len(shown) == 1


def test_a_locked_step_is_passed_over_for_an_older_one_after_asking(window, demo_desk, ops):
    """The newest step lies in a month approved since: 撤销 offers the user's step before it, naming the one
    passed over, and asks before undoing it; the locked record stays."""
    from ipdesk.exchange import approval

    for finding in approval.period_findings(demo_desk, "2026-10"):
        assert not finding.is_error, finding.message
        ops.run(lambda f=finding: demo_desk.explanations.explain("2026-10", f.key, "已核实"))
    ops.run(lambda: demo_desk.records.save("work_items", {"date": "2026-10-20", "kind": "培训", "title": "商标法培训",
                                                  "count_a": 1, "count_b": 40}))
    assert window.undo_action.isEnabled() and window.undo_action.text() == "撤销 新增工作事项 培训"
    ops.run(lambda: approval.approve(demo_desk, "2026-10"))
    older = demo_desk.records.undo_state()
    assert window.undo_action.isEnabled() and window.undo_action.text() == older.label != "撤销 新增工作事项 培训"
    assert "较新的“新增工作事项 培训”不能撤销（2026年10月已审核报送并锁定" in window.undo_action.toolTip()
    before = demo_desk.db.execute("SELECT COUNT(*) FROM work_items").fetchone()[0]
    asked = []
    window.ask_undo_older = lambda text: asked.append(text) and False  # 否: nothing changes
    window.undo()
    assert asked and older.label in asked[0] and demo_desk.records.undo_state() == older
    window.ask_undo_older = lambda text: True
    window.undo()
    assert window.statusBar().currentMessage() == f"已{older.label}"
    assert demo_desk.db.execute("SELECT COUNT(*) FROM work_items").fetchone()[0] == before  # the locked one stays


def test_undo_is_disabled_with_the_reason_when_no_step_can_be_undone(make_desk, ops, settings, qtbot):
    from ipdesk.exchange import approval
    from ipdesk.ui.context import AppContext
    from ipdesk.ui.main_window import MainWindow

    desk = make_desk()
    desk.records.save("work_items", {"date": "2026-10-20", "kind": "培训", "title": "商标法培训", "count_a": 1})
    for finding in approval.period_findings(desk, "2026-10"):
        desk.explanations.explain("2026-10", finding.key, "已核实")
    approval.approve(desk, "2026-10")
    window = MainWindow(AppContext(desk, ops), settings=settings)
    window.ask_unsaved = lambda _text: "discard"
    qtbot.addWidget(window)
    assert not window.undo_action.isEnabled()
    assert window.undo_action.toolTip().startswith(f"不能{desk.records.undo_state().label}：")
    assert "2026年10月已审核报送并锁定" in window.undo_action.toolTip()
    before = desk.db.execute("SELECT COUNT(*) FROM work_items").fetchone()[0]
    window.undo()  # a shortcut arriving anyway: says why, changes nothing
    assert "已审核报送并锁定" in window.statusBar().currentMessage()
    assert desk.db.execute("SELECT COUNT(*) FROM work_items").fetchone()[0] == before
