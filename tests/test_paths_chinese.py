"""Chinese user names and spaces in paths: the data folder, the database, exports, file dialogs."""
import subprocess
import sys
from pathlib import Path

from tests.conftest import subprocess_env

USER_HOME = "用户 张三 (市监局)"


def test_default_db_path_under_a_chinese_home(tmp_path, monkeypatch):
    from ipdesk.db.connection import default_db_path

    home = tmp_path / USER_HOME
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    monkeypatch.setenv("LOCALAPPDATA", str(home / "AppData" / "Local"))  # what Windows would use
    path = default_db_path()
    assert path.name == "ipdesk.db" and str(path).startswith(str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "数据 目录"))
    assert default_db_path() == tmp_path / "数据 目录" / "ipdesk" / "ipdesk.db"


def test_cli_creates_and_reads_the_default_database_under_a_chinese_home(tmp_path):
    home = tmp_path / USER_HOME
    env = subprocess_env(HOME=str(home), LOCALAPPDATA=str(home / "AppData" / "Local"))
    env.pop("XDG_DATA_HOME", None)
    run = lambda *args: subprocess.run([sys.executable, "-m", "tests.cli_harness", "--today", "2026-11-22", *args],  # noqa: E731
                                       capture_output=True, text=True, encoding="utf-8", env=env, timeout=120)
    made = run("init", "--unit-code", "150602", "--unit-name", "东胜区市场监督管理局", "--parent-code", "150600")
    assert made.returncode == 0, made.stderr
    assert run("demo", "--months", "3").returncode == 0
    databases = list(home.rglob("ipdesk.db"))
    assert len(databases) == 1 and databases[0].stat().st_size > 0
    out = tmp_path / "导出 文件" / "附件2 十月.json"
    shown = run("annex2", "--period", "2026-10", "--format", "json", "--out", str(out))
    assert shown.returncode == 0, shown.stderr
    assert "东胜区市场监督管理局" in out.read_text(encoding="utf-8")


def test_database_in_chinese_folders_reopens(tmp_path):
    from ipdesk.demo import generate_demo
    from ipdesk.desk import Desk

    folder = tmp_path / "张三 的文档" / "知识产权 统计"
    desk = Desk.open(folder / "东胜 区.db", create=True)
    desk.initialize("150602", "东胜区市场监督管理局", "150600")
    generate_demo(desk, months=2)
    desk.close()
    again = Desk.open(folder / "东胜 区.db")
    assert again.db.execute("SELECT COUNT(*) FROM cases").fetchone()[0] > 0
    again.close()
    assert Path(folder / "东胜 区.db").exists()


def test_file_dialog_returns_a_chinese_path_with_spaces(tmp_path, qtbot):
    from PySide6.QtWidgets import QFileDialog

    folder = tmp_path / "张三 的桌面" / "报表 导出"
    folder.mkdir(parents=True)
    existing = folder / "附件1 2026年10月.xlsx"
    existing.write_bytes(b"x")
    dialog = QFileDialog(None, "打开", str(folder), "Excel 文件 (*.xlsx)")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
    qtbot.addWidget(dialog)
    dialog.selectFile(existing.name)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.directory().absolutePath() == str(folder))
    dialog.accept()
    assert [Path(p) for p in dialog.selectedFiles()] == [existing]

    save = QFileDialog(None, "另存为", str(folder))
    save.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    save.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    qtbot.addWidget(save)
    save.selectFile("附件2 明细 十月.pdf")
    save.show()
    save.accept()
    assert [Path(p) for p in save.selectedFiles()] == [folder / "附件2 明细 十月.pdf"]
