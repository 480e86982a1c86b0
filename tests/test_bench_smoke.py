"""The benchmark code must not rot: --help, and a tiny run whose last line is the JSON report.

(Benchmarks are not tests: nothing here asserts a timing.)
"""
import json
import subprocess
import sys

from tests.conftest import REPO, subprocess_env


def _bench(*args, tmp_path):
    return subprocess.run([sys.executable, "-m", "bench", *args], cwd=REPO, capture_output=True, text=True,
                          encoding="utf-8", timeout=300, env=subprocess_env(IPDESK_BENCH_CACHE=str(tmp_path)))


def test_help(tmp_path):
    result = _bench("--help", tmp_path=tmp_path)
    assert result.returncode == 0 and "--quick" in result.stdout


def test_tiny_run_prints_a_table_then_one_json_line(tmp_path):
    result = _bench("--tiny", "--only", "ledger,annex1,packages,ledger_import", tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    lines = result.stdout.rstrip().splitlines()
    report = json.loads(lines[-1])
    assert {"ledger_first_page", "ledger_filter", "ledger_search_2", "ledger_search_4", "annex1_year",
            "annex1_month", "packages", "ledger_import_300", "ledger_import_300_dry"} <= set(report)
    for entry in report.values():
        assert set(entry) == {"value", "unit", "floor", "ratio", "goal", "ok"}
        assert entry["value"] > 0
    assert report["annex1_year"]["floor"] > 0 and report["annex1_year"]["ratio"] > 0
    assert any(line.startswith("附件1 2025年") for line in lines[:-1])  # the table for people
    assert list(tmp_path.glob("city-tiny-*.db")) and list(tmp_path.glob("packages-5-*/*.ipdx"))


def test_generated_records_pass_every_rule(tmp_path):
    """The bench's bulk writer produces rows the desk's own rules accept (every record validated)."""
    from bench.generate import TINY, TODAY, generate, open_city

    info = generate(tmp_path / "城市 tiny.db", TINY, validate_every=1, log=lambda _: None)
    assert info["counts"]["cases"] > 100
    desk = open_city(tmp_path / "城市 tiny.db")
    try:
        errors = [f for f in desk.figures.check_period(f"{TODAY.year - 1}") if f.is_error]
        assert errors == []
        case = desk.records.list_cases(limit=1)[0]
        assert desk.records.validate("cases", {}, case["id"])[1] == {}
    finally:
        desk.close()
