"""Separate real office databases (banners, a city, the region) for the exchange tests."""
from datetime import date

import pytest

from ipdesk.cli.core import _register_known_subordinates
from ipdesk.demo import generate_demo
from ipdesk.desk import Desk

ORDOS_BANNERS = {"150602": "东胜区", "150603": "康巴什区", "150621": "达拉特旗", "150622": "准格尔旗",
                 "150623": "鄂托克前旗", "150624": "鄂托克旗", "150625": "杭锦旗", "150626": "乌审旗",
                 "150627": "伊金霍洛旗"}


@pytest.fixture
def office(tmp_path):
    """``office(code, name, parent, today=, months=, seed=)`` → an open Desk on its own file."""
    opened = []

    def make(code, name, parent, *, today=date(2026, 11, 22), months=0, seed=1, subordinates=False):
        clock = {"today": today}
        desk = Desk.open(tmp_path / f"{code}.db", create=True, today=lambda: clock["today"])
        desk.clock = clock  # tests move the day forward
        desk.initialize(code, name, parent)
        if subordinates:
            _register_known_subordinates(desk)
        if months:
            generate_demo(desk, months, seed)
        opened.append(desk)
        return desk

    yield make
    for desk in opened:
        desk.close()


def banner(office, code="150602", **kw):
    kw.setdefault("months", 3)
    kw.setdefault("seed", int(code) % 97)
    return office(code, ORDOS_BANNERS[code] + "市场监督管理局", "150600", **kw)
