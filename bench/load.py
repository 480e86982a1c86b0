"""``load`` of 1,000 cases into the city-scale file against the same load into an empty file.

Adding cases must not slow down with the size of the file: the duplicate-number check reads the unique index
of case numbers (it walked every case of the unit before, 47.6 s for 1,000 into a 30,000-case file). Both
files start as a session finds them, their newest backup current (made when the program last closed), so the
load makes no new restore point; with a stale backup the copy of the whole file comes first (reported too).
"""
from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from ipdesk.db.backup import backup_now
from ipdesk.desk import Desk
from ipdesk.exchange.load_json import load_records

from .generate import TODAY
from .timing import Result, median_seconds


def cases(n: int, batch: int) -> dict:
    """``n`` valid 一般程序 cases of November 2026 (an open month), numbered apart for each ``batch``."""
    return {"cases": [{"name": f"基准测试案件{batch}-{i}", "case_no": f"基准市监立字〔2026〕{batch}-{i}号",
                       "category": "商标侵权", "source": "检查发现", "procedure": "一般程序",
                       "lead_date": "2026-11-02", "filed_date": "2026-11-05", "party_name": f"某商行{i}"}
                      for i in range(n)]}


def run(city: Path, repeat: int, n: int = 1000) -> list[Result]:
    with tempfile.TemporaryDirectory(prefix="ipdesk-bench-load-") as work:
        work = Path(work)
        copy = work / "city.db"
        shutil.copyfile(city, copy)
        big = Desk.open(copy, today=lambda: TODAY)
        big.user = big.office.users()[0]["name"]
        batches = iter(range(1, 10_000))
        empties: list[Desk] = []

        def empty_desk() -> None:
            desk = Desk.open(work / f"empty-{len(empties)}.db", create=True, today=lambda: TODAY)
            desk.initialize("150602", "东胜区市场监督管理局", "150600")
            empties.append(desk)

        def fresh_empty() -> None:
            empty_desk()
            backup_now(empties[-1], "close")

        try:
            into_city = median_seconds(lambda: load_records(big, cases(n, next(batches))), repeat,
                                       setup=lambda: backup_now(big, "close"))
            with_copy = median_seconds(lambda: load_records(big, cases(n, next(batches))), 1, warmup=0)
            into_empty = median_seconds(lambda: load_records(empties[-1], cases(n, next(batches))), repeat,
                                        setup=fresh_empty)
        finally:
            big.close()
            for desk in empties:
                desk.close()
    return [Result("load_1000_into_city", f"load {n:,} cases into the city file (floor: into an empty file)",
                   into_city, "s", floor=into_empty, goal="≤ 2× floor", max_ratio=2.0,
                   note=f"after a change since the newest backup: {with_copy:.2f} s (the copy of the file first)")]
