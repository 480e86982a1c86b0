"""设置 → 备份与恢复 and 操作日志, the damaged-file offer at start and the automatic backup after changes."""
from openpyxl import load_workbook

from ipdesk.desk import Changes, Desk
from ipdesk.errors import DatabaseDamaged


def work(desk, title):
    return desk.records.save("work_items", {"date": "2026-03-05", "kind": "宣传活动", "title": title, "count_a": 1})


def titles(desk):
    return [r[0] for r in desk.db.execute("SELECT title FROM work_items ORDER BY id")]


def test_backup_panel_backs_up_restores_and_chooses_folder(ctx, qtbot, tmp_path):
    from ipdesk.ui.backup_panel import BackupPanel

    desk = ctx.desk
    work(desk, "备份前")
    panel = BackupPanel(ctx)
    qtbot.addWidget(panel)
    assert panel.table.rowCount() == 0 and not panel.restore_button.isEnabled()
    assert "还没有备份" in panel.folder.text()  # an empty list says why
    panel.backup_button.click()
    assert panel.table.rowCount() == 1 and "已备份并校验" in panel.message.text()
    assert "还没有备份" not in panel.folder.text()
    assert panel.table.item(0, 2).text() == "手动备份" and panel.table.item(0, 1).text().endswith("KB")
    work(desk, "备份后")
    seen = []
    ctx.ops.changed.connect(seen.append)
    panel.table.selectRow(0)
    panel.restore_selected(confirm=False)
    assert titles(desk) == ["备份前"]  # the desk was reopened in place on the restored file
    assert "已从" in panel.message.text() and seen and seen[-1].cases
    kinds = sorted(panel.table.item(r, 2).text() for r in range(panel.table.rowCount()))
    assert kinds == ["恢复前备份", "手动备份"]
    restore_copy = next(b for b in desk.backups() if b.reason == "restore")
    panel.table.selectRow([b.path for b in panel.backups].index(restore_copy.path))
    panel.restore_selected(confirm=False)  # and back again
    assert titles(desk) == ["备份前", "备份后"]
    folder = tmp_path / "U盘 备份" / "东胜"
    panel.choose_folder(str(folder))
    assert desk.setting("backup_dir") == str(folder) and str(folder) in panel.folder.text()
    panel.backup_button.click()
    assert len(list(folder.glob("ipdesk-*.db"))) == 1
    panel.grab().save(str(tmp_path / "backup_panel.png"))


def test_only_an_administrator_restores(ctx, qtbot):
    from ipdesk.ui.backup_panel import BackupPanel

    ctx.desk.office.add_user("小王", "填报人", "pw-小王", own_password="pw-admin")
    ctx.desk.backup_now()
    ctx.desk.user = "小王"
    panel = BackupPanel(ctx)
    qtbot.addWidget(panel)
    assert panel.table.rowCount() == 1 and not panel.restore_button.isEnabled()
    panel.restore_selected(confirm=False)
    assert "只有管理员" in panel.message.text()


def test_audit_view_filters_and_exports(ctx, qtbot, tmp_path):
    from ipdesk.ui.audit_view import AuditView

    desk = ctx.desk
    work(desk, "=HYPERLINK(\"http://x\")")
    rid = work(desk, "旧名").record_id
    desk.records.save("work_items", {"title": "新名"}, rid)
    view = AuditView(ctx)
    qtbot.addWidget(view)
    assert view.permitted and view.grid.rowCount() >= 4
    view.text.setText("新名")
    view.search_button.click()
    assert view.grid.rowCount() == 1
    assert "旧名" in view.grid.item(0, 6).text() and "新名" in view.grid.item(0, 7).text()
    assert view.grid.item(0, 1).text() == "管理员" and view.grid.item(0, 3).text() == "修改"
    view.text.setText("")
    view.table_filter.setCurrentIndex(view.table_filter.findData("work_items"))
    view.search_button.click()
    assert view.grid.rowCount() == 3
    out = tmp_path / "操作 日志.xlsx"
    view.export_to(str(out))
    ws = load_workbook(out).active
    assert ws.max_row == 4 and all(c.data_type == "s" for row in ws.iter_rows() for c in row if c.value)
    view.grab().save(str(tmp_path / "audit_view.png"))


def test_audit_view_refuses_a_clerk(ctx, qtbot):
    from ipdesk.ui.audit_view import AuditView

    ctx.desk.office.add_user("小王", "填报人", "pw-小王", own_password="pw-admin")
    ctx.desk.user = "小王"
    view = AuditView(ctx)
    qtbot.addWidget(view)
    assert not view.permitted and view.grid.rowCount() == 0 and not view.export_button.isEnabled()
    assert "只有管理员和审核人" in view.status.text()


def test_settings_page_has_both_tabs(ctx, qtbot):
    from ipdesk.ui.pages.settings import SettingsPage

    page = SettingsPage(ctx)
    qtbot.addWidget(page)
    titles_ = [page.tabs.tabText(i) for i in range(page.tabs.count())]
    assert "备份与恢复" in titles_ and "操作日志" in titles_


def test_damaged_file_at_start_offers_the_latest_backup(make_desk, qtbot):
    from ipdesk.ui.app import offer_restore

    desk = make_desk()
    work(desk, "要保住的记录")
    desk.backup_now()
    path = desk.path
    desk.close()
    with open(path, "r+b") as fh:
        fh.write(b"\x00" * 100)
    try:
        Desk.open(path)
    except DatabaseDamaged as exc:
        damaged = exc
    asked = []
    assert offer_restore(damaged, ask=lambda q: asked.append(q) or False) is None
    assert "数据库文件已损坏" in asked[0]
    again = offer_restore(damaged, ask=lambda q: True)
    assert titles(again) == ["要保住的记录"]
    again.close()


def test_changes_trigger_an_automatic_backup(ctx):
    from ipdesk.ui.app import watch_safety

    watch_safety(ctx.desk, ctx.ops)
    ctx.ops.run(lambda: work(ctx.desk, "自动"))
    made = ctx.desk.backups()
    assert [b.reason for b in made] == ["auto"]
    ctx.ops.run(lambda: Changes({"settings"}))  # nothing new changed since: no second backup
    assert len(ctx.desk.backups()) == 1


def start_watched_gui(desk, settings, qtbot):
    """What run_gui does after opening the file: the launcher with automatic backups and the deferred check."""
    from ipdesk.ui.app import Launcher, watch_safety
    from ipdesk.ui.ops import OpRunner

    ops = OpRunner()
    launcher = Launcher(desk, ops, settings=settings)
    watch_safety(desk, ops, launcher)
    launcher.start()
    qtbot.addWidget(launcher.window)
    return launcher, ops


def test_large_damaged_file_warns_once_the_window_shows_and_is_never_written(tmp_path, settings, qtbot, monkeypatch):
    """A large file opens at once; its integrity check runs after the window's first paint and its verdict is
    shown; a save meanwhile or after is refused and the file stays as it was."""
    import sqlite3

    from PySide6.QtWidgets import QMessageBox

    from ipdesk.db import connection

    path = tmp_path / "大文件.db"
    desk = Desk.open(path, create=True)
    desk.initialize("150602", "东胜区市场监督管理局", "150600")
    work(desk, "已有")
    desk.close()
    conn = sqlite3.connect(path)
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'received_packages'").fetchone()[0]
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    with open(path, "r+b") as fh:
        fh.seek((root - 1) * page_size)
        fh.write(b"\xa5" * page_size)
    damaged = path.read_bytes()

    monkeypatch.setattr(connection, "QUICK_CHECK_AT_OPEN_MAX_BYTES", 0)
    warnings = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: warnings.append(text))
    desk = Desk.open(path, check_later=True)  # what run_gui does
    launcher, ops = start_watched_gui(desk, settings, qtbot)
    try:
        assert not desk.db.gate._started  # not while the window is being built
        qtbot.waitUntil(lambda: bool(warnings), timeout=10_000)
        assert "数据库文件已损坏" in warnings[0] and "不会再写入" in warnings[0]
        failed = []
        ops.run(lambda: work(desk, "不应写入"), on_error=failed.append)
        qtbot.waitUntil(lambda: bool(failed), timeout=10_000)
        assert isinstance(failed[0], DatabaseDamaged)
    finally:
        ops.shutdown()
        desk.close()
    assert path.read_bytes() == damaged


def test_deferred_integrity_check_starts_after_the_home_figures(tmp_path, settings, qtbot, monkeypatch):
    """On a two-core PC the check (reading the whole file) and the 工作台's figures would share the core the
    GUI thread does not use: the check waits until the figures have arrived, then runs and finds the file sound."""
    from ipdesk.db import connection

    path = tmp_path / "大文件.db"
    desk = Desk.open(path, create=True)
    desk.initialize("150602", "东胜区市场监督管理局", "150600")
    work(desk, "已有")
    desk.close()
    monkeypatch.setattr(connection, "QUICK_CHECK_AT_OPEN_MAX_BYTES", 0)
    desk = Desk.open(path, check_later=True)
    gate = desk.db.gate
    figures_in_when_started = []
    real_start = gate.start
    # Called from the event loop once the window has painted, by when `launcher` below is assigned.
    monkeypatch.setattr(gate, "start", lambda: (figures_in_when_started.append(
        launcher.window.pages["home"].data is not None), real_start()))
    launcher, ops = start_watched_gui(desk, settings, qtbot)
    try:
        qtbot.waitUntil(lambda: gate.sound is not None, timeout=10_000)
        assert figures_in_when_started == [True] and gate.sound is True
    finally:
        ops.shutdown()
        desk.close()


def test_audit_log_names_fields_in_chinese(window, demo_desk, ops):
    from ipdesk.exchange import approval

    for finding in approval.period_findings(demo_desk, "2026-10"):
        ops.run(lambda f=finding: demo_desk.explanations.explain("2026-10", f.key, "已核实"))
    case_id = demo_desk.db.execute("SELECT id FROM cases ORDER BY id LIMIT 1").fetchone()[0]
    ops.run(lambda: demo_desk.records.save("cases", {"fine_fen": "12345.67", "flag_rural": 1}, case_id))
    ops.run(lambda: approval.approve(demo_desk, "2026-10"))
    view = window.navigate("settings").tab("操作日志")
    view.load_choices()
    texts = ["\n".join(view.grid.item(r, c).text() for c in (6, 7)) for r in range(view.grid.rowCount())]
    joined = "\n".join(texts)
    assert "审核人=管理员" in joined and "审核时间=" in joined and "校验项=" in joined
    assert "罚款（元）=12345.67" in joined and "农村市场=是" in joined
    assert "姓名=管理员" in joined and "单位名称=东胜区市场监督管理局" in joined
    for internal in ("approved_at=", "check_key=", "fine_fen=", "flag_rural=", "name="):
        assert internal not in joined


def test_backup_page_lists_only_this_files_backups(make_desk, ops, qtbot):
    """Two database files of the same unit backing up into one folder: each 备份与恢复 page lists its own."""
    from ipdesk.ui.backup_panel import BackupPanel
    from ipdesk.ui.context import AppContext

    office, training = make_desk("office.db"), make_desk("training.db")
    assert office.backup_folder() == training.backup_folder() and office.unit["code"] == training.unit["code"]
    mine = {office.backup_now("manual").name, office.backup_now("manual").name}
    theirs = {training.backup_now("manual").name}
    for desk, expected in ((office, mine), (training, theirs)):
        panel = BackupPanel(AppContext(desk, ops))
        qtbot.addWidget(panel)
        assert {panel.table.item(r, 3).text() for r in range(panel.table.rowCount())} == expected


def test_cancelled_backup_leaves_no_file(ctx, app, qtbot):
    """取消 in the progress dialog of 立即备份: the copy was under a temporary name, nothing is left."""
    import threading

    from ipdesk.ui.backup_panel import BackupPanel
    from ipdesk.ui.context import AppContext
    from ipdesk.ui.ops import OpRunner

    desk = ctx.desk
    work(desk, "备份前")
    ops = OpRunner(app)  # a real worker thread: the dialog's 取消 reaches the running backup
    try:
        panel = BackupPanel(AppContext(desk, ops))
        qtbot.addWidget(panel)
        qtbot.waitUntil(lambda: panel.folder.text() != "", timeout=5000)
        folder = desk.backup_folder()
        gate, started = threading.Event(), threading.Event()
        ops.run(lambda: (started.set(), gate.wait(10)), emit_changes=False)  # the worker is busy meanwhile
        started.wait(5)
        panel.backup_button.click()  # queued behind it, with its progress dialog
        ops.last_progress.cancel()  # 取消 pressed before the copy's first step
        gate.set()
        qtbot.waitUntil(lambda: "已取消备份" in panel.message.text(), timeout=10000)
        assert not folder.exists() or list(folder.iterdir()) == []
        panel.backup_button.click()
        qtbot.waitUntil(lambda: "已备份并校验" in panel.message.text(), timeout=10000)
        assert len(list(folder.glob("ipdesk-*.db"))) == 1
    finally:
        ops.shutdown()
