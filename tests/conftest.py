import os
from datetime import date

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

try:
    from hypothesis import settings
except ImportError:  # the Windows check's Python (installer/windows_check.py) runs no fuzz test
    settings = None
if settings is not None:
    # CI (HYPOTHESIS_PROFILE=ci in .ci/run) draws the same examples every run, so a landing is judged on the code,
    # not on the draw; a developer's run draws new ones and keeps what fails in .hypothesis/ to replay.
    settings.register_profile("ci", derandomize=True, database=None)
    settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

from tests.cli_harness import register as _register_cli_options  # noqa: E402

_register_cli_options()  # --today for every in-process ipdesk.cli.main of the tests

TODAY = date(2026, 11, 22)


@pytest.fixture
def make_desk(tmp_path):
    """A fresh office database on disk (東胜区 under 鄂尔多斯市) with 'today' fixed at 2026-11-22."""
    from ipdesk.desk import Desk

    opened = []

    def make(name="office.db", code="150602", unit_name="东胜区市场监督管理局", parent="150600", today=TODAY):
        desk = Desk.open(tmp_path / name, create=True, today=lambda: today)
        desk.initialize(code, unit_name, parent)
        opened.append(desk)
        return desk

    yield make
    for desk in opened:
        try:
            desk.close()
        except Exception:
            pass


@pytest.fixture
def desk(make_desk):
    return make_desk()


REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def subprocess_env(**extra):
    """Environment for a child ``python -m ipdesk``: this checkout's package first, Qt offscreen."""
    env = dict(os.environ)
    env["PYTHONPATH"] = REPO + os.pathsep + env.get("PYTHONPATH", "")
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env["PYTHONIOENCODING"] = "utf-8"
    env.update(extra)
    return env


def data_tables(desk) -> dict:
    """Every table's rows but the audit log's and the backup bookkeeping (``audit.BACKED_UP_MARKER``: an import
    backs up first, refused or not), to show that a refusal changes nothing."""
    from ipdesk.db.audit import BACKED_UP_MARKER

    names = [r[0] for r in desk.db.execute("SELECT name FROM sqlite_master WHERE type='table' "
                                          "AND name NOT LIKE 'sqlite_%' AND name <> 'audit_log'").fetchall()]
    return {n: desk.db.execute(f"SELECT * FROM {n} WHERE {'key <> ?' if n == 'settings' else '?'} ORDER BY 1",
                               [BACKED_UP_MARKER if n == "settings" else 1]).fetchall() for n in names}
