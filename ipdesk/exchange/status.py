"""Completeness and timeliness (city mode): per month, which subordinate units sent, when, late or not
(deadline: the 20th of the next month), and which corrected later.

Timeliness is judged by this office's receipt of the first package for the month: the sender's
``created_at`` is the sender's clock and is shown, never trusted. Later revisions are corrections and do not
make it late; a withdrawn package does not count as sent.
"""
from __future__ import annotations

from datetime import date

from ..db import received as received_db
from ..desk import Desk
from ..domain.periods import Period

SENT_ON_TIME, SENT_LATE, MISSING, MISSING_LATE = "按时", "逾期报送", "未报送", "逾期未报"


def completeness(desk: Desk, period: str | Period) -> list[dict]:
    """One row per subordinate unit: code, name, sent, sent_at, received_at, late, revision,
    corrected, corrected_at, status (按时 / 逾期报送 / 未报送 / 逾期未报)."""
    p = period if isinstance(period, Period) else Period.parse(period)
    deadline = p.deadline()
    rows = received_db.sent(desk.db, p.code)
    by_unit: dict[str, list] = {}
    for r in rows:
        by_unit.setdefault(r[0], []).append(r)
    out = []
    for unit in desk.office.subordinate_units():
        got = by_unit.get(unit["code"], [])
        row = {"code": unit["code"], "name": unit["name"], "deadline": deadline.isoformat(), "sent": bool(got),
               "sent_at": None, "received_at": None, "late": False, "revision": None, "corrected": False,
               "corrected_at": None}
        if got:
            first, last = got[0], got[-1]
            row.update(sent_at=first[2], received_at=first[3], revision=last[1],
                       late=date.fromisoformat(first[3][:10]) > deadline,
                       corrected=len(got) > 1 or last[1] > 1,
                       corrected_at=last[2] if (len(got) > 1 or last[1] > 1) else None)
            row["status"] = SENT_LATE if row["late"] else SENT_ON_TIME
        else:
            row["late"] = desk.today() > deadline
            row["status"] = MISSING_LATE if row["late"] else MISSING
        out.append(row)
    return out


def completeness_summary(rows: list[dict]) -> dict:
    return {"units": len(rows), "sent": sum(r["sent"] for r in rows),
            "on_time": sum(r["status"] == SENT_ON_TIME for r in rows),
            "late": sum(r["status"] == SENT_LATE for r in rows),
            "missing": sum(not r["sent"] for r in rows),
            "corrected": sum(r["corrected"] for r in rows)}
