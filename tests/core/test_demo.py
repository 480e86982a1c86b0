"""Demo data is realistic and passes every hard check, whatever the seed."""
from datetime import date

import pytest

from ipdesk.demo import generate_demo
from ipdesk.domain import enums
from ipdesk.domain.identifiers import is_valid_id_number, is_valid_uscc
from ipdesk.domain.periods import Period


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_demo_passes_every_hard_check(make_desk, seed):
    desk = make_desk(f"demo{seed}.db")
    generate_demo(desk, months=14, seed=seed)
    cases = desk.db.execute("SELECT category, party_id_no, closed_date, outcome, filed_date, lead_date "
                            "FROM cases").fetchall()
    assert len(cases) >= 14 * 2
    assert all(is_valid_uscc(c[1]) or is_valid_id_number(c[1]) for c in cases)
    assert all(c[0] in enums.CATEGORY_LABELS for c in cases)
    assert any(c[2] is None and c[4] for c in cases), "some cases are still open"
    today = desk.today()
    assert max(c[4] or c[5] for c in cases) <= today.isoformat()
    for m in range(1, today.month + 1):
        errors = [f.message for f in desk.figures.check_period(Period(today.year, m, "month")) if f.is_error]
        assert errors == [], errors
    from ipdesk.checkup import check_database

    desk.close()
    ok, lines = check_database(str(desk.path), today=date(2026, 11, 22))
    assert ok, lines


def test_demo_proportions_follow_the_region(make_desk):
    desk = make_desk()
    generate_demo(desk, months=120, seed=5)
    counts = dict(desk.db.execute("SELECT category, COUNT(*) FROM cases GROUP BY category").fetchall())
    assert counts["商标侵权"] > counts[enums.DISPUTE_CATEGORY] > counts["官方标志/特殊标志/奥林匹克标志"] > counts["假冒专利"]
    assert desk.db.execute("SELECT COUNT(*) FROM cases WHERE outcome = '移送司法机关'").fetchone()[0] > 0
