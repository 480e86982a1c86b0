"""Untrusted input, fuzzed with hypothesis: the JSON loader, the ledger importer and the package importer
either succeed or refuse cleanly (IpdeskError / a REFUSED verdict) — never another exception, never a
partial write."""
import json
import random
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from openpyxl import Workbook

from ipdesk.cli.core import _register_known_subordinates
from ipdesk.desk import Desk
from ipdesk.domain import fields as F
from ipdesk.errors import IpdeskError
from ipdesk.exchange import approval
from ipdesk.exchange.ledger import import_ledger, preview_ledger, read_ledger
from ipdesk.exchange.ledger_fields import LEDGER_FIELDS
from ipdesk.exchange.load_json import load_records, read_load_file
from ipdesk.exchange.package import export_package
from ipdesk.exchange.receive import REFUSED, import_packages

from tests.conftest import data_tables

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
STATS = {"examples": 0, "refusals": 0, "accepted": 0}


def outcome(desk, call) -> None:
    """Run ``call``; a refusal must leave every table as it was."""
    STATS["examples"] += 1
    before = data_tables(desk)
    try:
        call()
    except IpdeskError as exc:
        assert exc.zh
        STATS["refusals"] += 1
        assert data_tables(desk) == before, "a refused input changed the database"
        assert not desk.db.conn.in_transaction
    else:
        STATS["accepted"] += 1


scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**12, 10**12), st.floats(allow_nan=True),
                    st.text(max_size=30), st.sampled_from(["2026-03-05", "2026-13-45", "=1+1", "商标侵权", "宣传活动",
                                                           "1,000.50", "", "2026/3/5", "9" * 40]))
json_values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
    st.text(max_size=8), inner, max_size=4), max_leaves=12)


def record(table):
    names = [f.name for f in F.FIELDS_BY_TABLE[table]] + ["fine", "bogus"]
    return st.dictionaries(st.sampled_from(names), scalars, max_size=12)


loader_input = st.one_of(
    json_values,
    st.fixed_dictionaries({}, optional={
        "cases": st.lists(record("cases"), max_size=4) | json_values,
        "inspections": st.lists(record("inspections"), max_size=4),
        "work_items": st.lists(record("work_items"), max_size=4),
        "manual_cells": st.lists(st.dictionaries(st.sampled_from(["indicator", "period", "value", "note"]),
                                                 scalars | st.sampled_from(["A.key_markets", "2026-03"]),
                                                 max_size=4), max_size=3),
        "format": json_values}))


@pytest.fixture
def fuzz_desk(make_desk, tmp_path):
    desk = make_desk("模糊 测试.db")
    desk.set_setting("backup_interval_minutes", 10**6)
    return desk


def test_json_loader_refuses_cleanly(fuzz_desk):
    @FUZZ
    @given(loader_input)
    def run(data):
        outcome(fuzz_desk, lambda: load_records(fuzz_desk, data))
    run()


def test_json_file_reader_refuses_garbage(tmp_path):
    path = tmp_path / "输入 文件.json"

    @FUZZ
    @given(st.binary(max_size=300) | json_values.map(lambda v: json.dumps(v).encode()))
    def run(blob):
        path.write_bytes(blob)
        STATS["examples"] += 1
        try:
            data = read_load_file(path)
        except IpdeskError:
            STATS["refusals"] += 1
        else:
            assert isinstance(data, dict)
    run()


HEADERS = [f.synonyms[0] for f in LEDGER_FIELDS] + ["备注", "", "合计"]
cell_values = st.one_of(st.none(), st.integers(-10**9, 10**9), st.floats(allow_nan=False, allow_infinity=False),
                        st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=20),
                        st.dates(date(1900, 1, 1), date(2100, 1, 1)),
                        st.sampled_from(["商标侵权", "2026-03-05", "2026年3月5日", "一般程序", "作出行政处罚", "是",
                                         "=SUM(A1:A9)", "1,200", "壹万元"]))


def test_ledger_importer_refuses_cleanly(fuzz_desk, tmp_path):
    path = tmp_path / "台账 文件.xlsx"

    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.lists(st.sampled_from(HEADERS), min_size=1, max_size=10),
           st.lists(st.lists(cell_values, max_size=10), max_size=8), st.integers(0, 3))
    def run(header, rows, blank_rows):
        wb = Workbook()
        ws = wb.active
        for _ in range(blank_rows):
            ws.append([None])
        ws.append(header)
        for r in rows:
            ws.append(r)
        wb.save(path)

        def go():
            import_ledger(fuzz_desk, preview_ledger(fuzz_desk, read_ledger(path)))
        outcome(fuzz_desk, go)
    run()


def test_ledger_reader_refuses_non_workbooks(fuzz_desk, tmp_path):
    path = tmp_path / "坏 台账.xlsx"

    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.binary(max_size=2000) | st.just(b"PK\x03\x04" + b"\x00" * 100))
    def run(blob):
        path.write_bytes(blob)
        outcome(fuzz_desk, lambda: read_ledger(path))
    run()


def test_package_importer_refuses_mutations_cleanly(tmp_path):
    today = date(2026, 11, 22)
    banner = Desk.open(tmp_path / "东胜.db", create=True, today=lambda: today)
    banner.initialize("150602", "东胜区市场监督管理局", "150600")
    banner.records.save("work_items", {"date": "2026-10-05", "kind": "宣传活动", "title": "宣传", "count_a": 1})
    approval.approve(banner, "2026-10")
    good = tmp_path / "好的 包.ipdx"
    export_package(banner, "2026-10", good)
    banner.close()
    city = Desk.open(tmp_path / "鄂尔多斯.db", create=True, today=lambda: today)
    city.initialize("150600", "鄂尔多斯市市场监督管理局", "150000")
    _register_known_subordinates(city)
    blob = good.read_bytes()
    path = tmp_path / "变异 包.ipdx"
    verdicts = {"refused": 0, "other": 0}

    @settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.integers(0, 2**32), st.sampled_from(["flip", "truncate", "append", "zero", "shuffle"]))
    def run(seed, how):
        rng = random.Random(seed)
        data = bytearray(blob)
        if how == "flip":
            for _ in range(rng.randint(1, 8)):
                data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
        elif how == "truncate":
            data = data[:rng.randrange(len(data))]
        elif how == "append":
            data += bytes(rng.randrange(256) for _ in range(rng.randint(1, 500)))
        elif how == "zero":
            start = rng.randrange(len(data))
            data[start:start + rng.randint(1, 200)] = b"\x00" * len(data[start:start + rng.randint(1, 200)])
        else:
            cut = rng.randrange(len(data))
            data = data[cut:] + data[:cut]
        path.write_bytes(bytes(data))
        STATS["examples"] += 1
        before = data_tables(city)
        [v] = import_packages(city, [path])  # must not raise
        if v.status == REFUSED:
            verdicts["refused"] += 1
            STATS["refusals"] += 1
            assert v.reason
            assert data_tables(city) == before
        else:
            verdicts["other"] += 1
            STATS["accepted"] += 1
    run()
    city.close()
    assert verdicts["refused"] > 100
    print(f"\nfuzz totals so far: {STATS}")
