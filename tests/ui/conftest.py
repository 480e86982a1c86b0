"""Fixtures for the GUI tests: a synchronous op runner, window settings in tmp_path, a demo office."""
from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QSettings

TODAY = date(2026, 11, 22)


@pytest.fixture
def app(qapp):
    from ipdesk.ui.app import make_app

    return make_app()


@pytest.fixture
def ops(app):
    from ipdesk.ui.ops import OpRunner

    return OpRunner(synchronous=True)


@pytest.fixture
def settings(tmp_path):
    return QSettings(str(tmp_path / "window.ini"), QSettings.IniFormat)


@pytest.fixture
def ctx(desk, ops):
    from ipdesk.ui.context import AppContext

    return AppContext(desk, ops)


@pytest.fixture(scope="session")
def demo_db_template(tmp_path_factory):
    """One demo office (24 months ending 2026-11) built once; each test gets its own copy."""
    from ipdesk.demo import generate_demo
    from ipdesk.desk import Desk

    path = tmp_path_factory.mktemp("demo") / "demo.db"
    desk = Desk.open(path, create=True, today=lambda: TODAY)
    desk.initialize("150602", "东胜区市场监督管理局", "150600")
    generate_demo(desk, 24, 1)
    desk.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    desk.close()
    return path


@pytest.fixture
def demo_desk(demo_db_template, tmp_path):
    import shutil

    from ipdesk.desk import Desk

    path = tmp_path / "demo.db"
    shutil.copy(demo_db_template, path)
    desk = Desk.open(path, today=lambda: TODAY)
    desk.user = "管理员"
    yield desk
    desk.close()


@pytest.fixture
def demo_ctx(demo_desk, ops):
    from ipdesk.ui.context import AppContext

    return AppContext(demo_desk, ops)


@pytest.fixture
def window(demo_ctx, settings, qtbot):
    from ipdesk.ui.main_window import MainWindow

    w = MainWindow(demo_ctx, settings=settings)
    w.ask_unsaved = lambda _text: "discard"  # never a modal box when the test closes the window
    qtbot.addWidget(w)
    w.show()
    return w
