"""Money in 分 and period arithmetic, with property tests."""
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, strategies as st

from ipdesk.domain.money import MoneyError, fen_to_wan, fen_to_wan_text, parse_yuan
from ipdesk.domain.periods import Period, months_back
from ipdesk.errors import IpdeskError


def test_parse_yuan_forms():
    assert parse_yuan("1234.5") == 123450
    assert parse_yuan("1,234.56元") == 123456
    assert parse_yuan("1.25万元") == 1_250_000
    assert parse_yuan("3", unit="万元") == 3_000_000
    assert parse_yuan(12.3) == 1230
    assert parse_yuan(None) == 0 and parse_yuan("") == 0
    for bad in ("-1", "1.001", "abc", "NaN", "1e400"):
        with pytest.raises(MoneyError):
            parse_yuan(bad)


@given(st.integers(min_value=0, max_value=10**12))
def test_fen_round_trip_through_yuan_text(fen):
    text = f"{fen // 100}.{fen % 100:02d}"
    assert parse_yuan(text) == fen


@given(st.integers(min_value=0, max_value=10**12))
def test_wan_display_has_four_decimals(fen):
    text = fen_to_wan_text(fen)
    assert len(text.split(".")[1]) == 4
    # Rounded to 0.0001 万元 = 1 元 = 100 分, half-up: at most 50 分 off. Compared in Decimal: the float's
    # product is off by a few millionths (16558.3692 × 10^6 − 16,558,369,150 gave 50.0000019).
    assert abs(Decimal(str(fen_to_wan(fen))) * 1_000_000 - fen) <= 50


@pytest.mark.parametrize("code, start, end, label", [
    ("2026-03", date(2026, 3, 1), date(2026, 3, 31), "2026年3月"),
    ("2026-B2", date(2026, 3, 1), date(2026, 4, 30), "2026年3—4月"),
    ("2026-Q1", date(2026, 1, 1), date(2026, 3, 31), "2026年第一季度"),
    ("2026-H1", date(2026, 1, 1), date(2026, 6, 30), "2026年上半年"),
    ("2026", date(2026, 1, 1), date(2026, 12, 31), "2026年"),
    ("2024-02", date(2024, 2, 1), date(2024, 2, 29), "2024年2月"),
])
def test_period_spans(code, start, end, label):
    p = Period.parse(code)
    assert (p.start, p.end, p.label, p.code) == (start, end, label, code)


@pytest.mark.parametrize("bad", ["2026-13", "2026-00", "2026-B7", "2026-Q5", "2026-H3", "26-03", "", "2026-3-1"])
def test_bad_periods_refused(bad):
    with pytest.raises(IpdeskError):
        Period.parse(bad)


periods = st.builds(lambda y, kind, n: Period.parse(
    {"m": f"{y}-{n % 12 + 1:02d}", "b": f"{y}-B{n % 6 + 1}", "q": f"{y}-Q{n % 4 + 1}", "h": f"{y}-H{n % 2 + 1}",
     "y": f"{y}"}[kind]), st.integers(2000, 2090), st.sampled_from("mbqhy"), st.integers(0, 100))


@given(periods)
def test_period_properties(p):
    assert Period.parse(p.code) == p
    assert p.start <= p.end and p.ytd_start <= p.start
    assert p.start.year == p.end.year == p.year
    months = p.month_periods()
    assert len(months) == p.months and months[0].start == p.start and months[-1].end == p.end
    prev = p.previous()
    assert prev.end + timedelta(days=1) == p.start
    assert p.previous_year().start.replace(year=p.year) == p.start
    assert p.deadline() > p.end and p.deadline().day == 20
    assert (p.deadline() - p.end).days <= 51


@given(st.integers(2001, 2090), st.integers(1, 12), st.integers(1, 24))
def test_months_back_is_contiguous(y, m, n):
    p = Period(y, m, "month")
    back = months_back(p, n)
    assert len(back) == n and back[-1].end + timedelta(days=1) == p.start
    for a, b in zip(back, back[1:]):
        assert a.end + timedelta(days=1) == b.start


def test_a_run_of_whole_months_is_a_period():
    from ipdesk.domain.periods import MONTHS, Period

    p = Period.from_dates("2026-03-01", "2026-05-31")
    assert p.kind == MONTHS and p.months == 3 and p.code == "2026-03~2026-05" and p.label == "2026年3—5月"
    assert Period.parse(p.code) == p and Period.parse("2026-3~2026-5") == p
    assert (p.start.isoformat(), p.end.isoformat(), p.ytd_start.isoformat()) == ("2026-03-01", "2026-05-31", "2026-01-01")
    assert [m.code for m in p.month_periods()] == ["2026-03", "2026-04", "2026-05"]
    assert p.previous_year().code == "2025-03~2025-05"
    # The months before it within its year (a period never crosses a year): January–February is a bimonth.
    assert p.previous().code == "2026-B1" and Period.parse("2026-04~2026-08").previous().code == "2026-Q1"
    assert Period.parse("2026-01~2026-05").previous().code == "2025-08~2025-12"
    # The standard periods stay what they are.
    assert Period.from_dates("2026-04-01", "2026-04-30").code == "2026-04"
    assert Period.from_dates("2026-07-01", "2026-12-31").code == "2026-H2"
    assert Period.parse("2026-01~2026-12").code == "2026"
    for start, end in (("2026-03-02", "2026-05-31"), ("2026-03-01", "2026-05-30"), ("2025-12-01", "2026-01-31"),
                       ("2026-05-01", "2026-03-31"), ("2026-02-30", "2026-03-31")):
        with pytest.raises(IpdeskError):
            Period.from_dates(start, end)
    for text in ("2026-05~2026-03", "2025-12~2026-01", "2026-00~2026-02"):
        with pytest.raises(IpdeskError):
            Period.parse(text)


def test_month_runs_label_consecutive_months_as_one():
    from ipdesk.domain.periods import month_runs

    labels = lambda codes: [p.label for p in month_runs(codes)]  # noqa: E731
    assert labels(["2026-03", "2026-01", "2026-02"]) == ["2026年1—3月"]  # never 第一季度: the months themselves
    assert labels(["2026-01", "2026-03", "2026-04", "2026-09"]) == ["2026年1月", "2026年3—4月", "2026年9月"]
    assert labels(["2025-11", "2025-12", "2026-01"]) == ["2025年11—12月", "2026年1月"]  # a run stays in its year
    assert labels([]) == []
    whole = month_runs([f"2026-{m:02d}" for m in range(1, 13)])
    assert [p.months for p in whole] == [12] and whole[0].label == "2026年1—12月"
