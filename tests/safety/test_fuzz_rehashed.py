"""A careful forger and a careless loader file, fuzzed with hypothesis (1,000 inputs each):

* received packages whose JSON members or manifest were changed and then re-hashed (member hashes and the
  manifest digest recomputed), so only the content checks stand between them and the database;
* the ``load`` JSON input, through the file reader and the loader.

Every input is either accepted or refused with a Chinese reason (a REFUSED verdict / an IpdeskError), never a
traceback, and a refusal changes no table."""
import io
import json
import re
import time
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from ipdesk.domain import fields as F
from ipdesk.errors import IpdeskError
from ipdesk.exchange import approval, package
from ipdesk.exchange.load_json import load_records, read_load_file
from ipdesk.exchange.package import export_package, sha256
from ipdesk.exchange.receive import REFUSED, import_packages

from tests.conftest import data_tables
from tests.exchange.conftest import banner, office  # noqa: F401  (fixture)

RUNS = settings(max_examples=1000, deadline=None, suppress_health_check=list(HealthCheck))
CHINESE = re.compile(r"[\u4e00-\u9fff]")
MEMBERS = ("annex1.json", "annex2.json", "checks.json", "manifest.json")

weird = st.one_of(
    st.none(), st.booleans(), st.integers(-10**6, 10**6), st.sampled_from([2**70, -2**70, 2**63, 10**400, -1, 0]),
    st.floats(allow_nan=True, allow_infinity=True), st.sampled_from([float("inf"), float("nan"), 1e308, -0.0]),
    st.text(max_size=20), st.sampled_from(["\ud800", "x" * 100_000, "", "2026-10", "2026-13", "150602",
                                           "B.total.filed", "=1+1", "not-a-date", "2026-10-05T00:00:00"]))
values = st.recursive(weird, lambda inner: st.lists(inner, max_size=3)
                      | st.dictionaries(st.text(max_size=6), inner, max_size=3), max_leaves=6)


def _at(doc, path):
    for step in path:
        doc = doc[step]
    return doc


def mutate(doc, data):
    """One change at a place drawn by hypothesis; returns the new document."""
    where, node = (), doc
    while isinstance(node, (dict, list)) and node and not data.draw(st.integers(0, 4), label="depth") == 0:
        step = data.draw(st.sampled_from(list(node) if isinstance(node, dict) else range(len(node))), label="step")
        where, node = (*where, step), node[step]
    how = data.draw(st.sampled_from(["replace", "replace", "delete", "add", "duplicate", "swap", "nudge"]),
                    label="how")
    if not where:
        return data.draw(values) if how == "replace" else doc
    parent, key = _at(doc, where[:-1]), where[-1]
    if how == "replace":
        parent[key] = data.draw(values, label="value")
    elif how == "delete":
        del parent[key]
    elif how == "add" and isinstance(parent, dict):
        parent[data.draw(st.text(max_size=12), label="key")] = data.draw(values, label="value")
    elif how == "duplicate" and isinstance(parent, list):
        parent.insert(key, json.loads(json.dumps(parent[key])))
    elif how == "swap" and isinstance(parent, list) and len(parent) > 1:
        other = data.draw(st.integers(0, len(parent) - 1), label="other")
        parent[key], parent[other] = parent[other], parent[key]
    elif how == "nudge" and isinstance(parent[key], (int, float)) and not isinstance(parent[key], bool):
        parent[key] = parent[key] + data.draw(st.sampled_from([1, -1, 0.5, 10**9, -10**9]), label="by")
    return doc


def forge(content: dict[str, bytes], member: str, change, raw: bytes | None = None) -> bytes:
    """The package with ``member`` changed (``change(doc) -> doc``, or replaced by ``raw``) and every hash
    (members, manifest digest) made to match again."""
    content = dict(content)
    m = json.loads(content.pop("manifest.json"))
    if raw is not None:
        content[member] = raw
    elif member != "manifest.json":
        content[member] = json.dumps(change(json.loads(content[member]))).encode()
    for name in m["members"]:
        m["members"][name] = {"sha256": sha256(content[name]), "size": len(content[name])}
    if member == "manifest.json" and raw is None:
        m = change(m)
    if isinstance(m, dict) and package.MANIFEST_DIGEST in m:
        try:
            m[package.MANIFEST_DIGEST] = package.manifest_digest(m)
        except (TypeError, ValueError, UnicodeEncodeError):
            pass  # not canonical JSON any more (nan keys, lone surrogates): the digest cannot be made to match
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as out:  # stored: 1,000 of them compress slowly
        out.writestr("manifest.json", json.dumps(m))  # ASCII escapes: a lone surrogate survives as \ud800
        for name, blob in content.items():
            out.writestr(name, blob)
    return buf.getvalue()


@pytest.fixture
def received(office, tmp_path):  # noqa: F811
    b = banner(office, "150602")
    approval.approve(b, "2026-10")
    good = tmp_path / "好的 包.ipdx"
    export_package(b, "2026-10", good)
    with zipfile.ZipFile(good) as zf:
        content = {n: zf.read(n) for n in zf.namelist()}
    city = office("150600", "鄂尔多斯市市场监督管理局", "150000", subordinates=True)
    city.set_setting("backup_interval_minutes", 10**6)
    return city, content


def test_rehashed_package_mutations_never_crash(received, tmp_path):
    city, content = received
    path = tmp_path / "伪造 包.ipdx"
    tally = {"refused": 0, "other": 0}
    started = time.monotonic()

    @RUNS
    @given(st.sampled_from(MEMBERS), st.data())
    def run(member, data):
        path.write_bytes(forge(content, member, lambda doc: mutate(doc, data)))
        before = data_tables(city)
        [v] = import_packages(city, [path])  # must not raise
        if v.status == REFUSED:
            tally["refused"] += 1
            assert CHINESE.search(v.reason), v.reason
            assert data_tables(city) == before, "a refused package changed the database"
            assert not city.db.conn.in_transaction
        else:
            tally["other"] += 1
    run()
    print(f"\nre-hashed package fuzz: {tally}, {time.monotonic() - started:.1f} s")
    assert tally["refused"] > 300  # the mutations reach the content checks, not just the hash check


def _set(path, value):
    def change(doc):
        parent = _at(doc, path[:-1])
        parent[path[-1]] = value
        return doc
    return change


@pytest.mark.parametrize("member, change, raw", [
    ("annex1.json", _set(("cells", 3, "id"), []), None),  # an unhashable cell id
    ("annex1.json", _set(("catalog_version",), {"a": 1}), None),  # an unhashable catalogue version
    ("annex1.json", _set(("cells", 3, "base", "current"), 10**400), None),  # an int beyond a float
    ("annex2.json", None, b'{"rows": [], "total": ' + b"7" * 5000 + b"}"),  # over Python's 4,300 digits
    ("annex1.json", _set(("catalog_version",), "\ud800"), None),  # a lone surrogate quoted in the reason
], ids=["list-cell-id", "dict-catalogue", "int-10e400", "5000-digits", "lone-surrogate"])
def test_forged_package_found_by_fuzzing_is_refused(received, tmp_path, member, change, raw):
    city, content = received
    path = tmp_path / "伪造 包.ipdx"
    path.write_bytes(forge(content, member, change, raw))
    before = data_tables(city)
    [v] = import_packages(city, [path])
    assert v.status == REFUSED and CHINESE.search(v.reason), (v.status, v.reason)
    assert data_tables(city) == before


def test_load_file_with_a_5000_digit_number_is_refused(tmp_path):
    path = tmp_path / "导入.json"
    path.write_text('{"cases": [{"fine": ' + "9" * 5000 + "}]}", encoding="utf-8")
    with pytest.raises(IpdeskError) as err:
        read_load_file(path)
    assert "JSON" in err.value.zh and CHINESE.search(err.value.zh)


def _record(table):
    names = [f.name for f in F.FIELDS_BY_TABLE[table]] + ["id", "bogus"]
    return st.dictionaries(st.sampled_from(names), weird, max_size=10)


load_input = st.one_of(
    values,
    st.fixed_dictionaries({}, optional={
        "cases": st.lists(_record("cases"), max_size=3) | values,
        "inspections": st.lists(_record("inspections"), max_size=3) | values,
        "work_items": st.lists(_record("work_items"), max_size=3) | values,
        "manual_cells": st.lists(st.dictionaries(st.sampled_from(["indicator", "period", "value", "note"]),
                                                 weird | st.sampled_from(["A.key_markets", "2026-03", "2026-Q1"]),
                                                 max_size=4), max_size=3) | values,
        "format": values, "version": values}))


def test_load_json_never_crashes(office, tmp_path):  # noqa: F811
    desk = office("150602", "东胜区市场监督管理局", "150600")
    desk.set_setting("backup_interval_minutes", 10**6)
    path = tmp_path / "导入 记录.json"
    tally = {"refused": 0, "accepted": 0}
    started = time.monotonic()

    @RUNS
    @given(load_input)
    def run(doc):
        try:
            text = json.dumps(doc)
        except ValueError:
            return
        path.write_text(text, encoding="utf-8")
        before = data_tables(desk)
        try:
            load_records(desk, read_load_file(path))
        except IpdeskError as exc:
            tally["refused"] += 1
            assert CHINESE.search(exc.zh), exc.zh
            assert data_tables(desk) == before, "a refused load changed the database"
            assert not desk.db.conn.in_transaction
        else:
            tally["accepted"] += 1
    run()
    print(f"\nload JSON fuzz: {tally}, {time.monotonic() - started:.1f} s")
