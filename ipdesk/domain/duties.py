"""What is due next (seed 002, 鄂知发〔2022〕2号): the monthly tables by the 20th of the next month,
the city's bulletin every two months, 阶段性总结 by 6-20, 全年总结 by 11-28, the action plan and
contact list by 3-26."""
from __future__ import annotations

from datetime import date
from typing import AbstractSet, NamedTuple

from .periods import BIMONTH, MONTH, Period

MONTHLY, BULLETIN, YEARLY = "monthly", "bulletin", "yearly"
# (key, title, month, day) of the duties that fall on a fixed day each year.
YEARLY_DUTIES = (
    ("plan", "专项行动方案及责任人、联络员名单", 3, 26),
    ("midyear", "阶段性总结", 6, 20),
    ("annual", "全年总结", 11, 28),
)


class Duty(NamedTuple):
    key: str  # stable id, e.g. "monthly:2026-10", "annual:2026"
    kind: str
    title: str
    due: date
    days_left: int
    sent: bool | None  # None: the app cannot know (marked by hand)

    @property
    def overdue(self) -> bool:
        return self.days_left < 0 and not self.sent


def _bulletin_due(p: Period) -> date:
    """The bulletin on a two-month period is expected by the end of the month after it."""
    y, m = (p.year, p.last_month + 1) if p.last_month < 12 else (p.year + 1, 1)
    return Period(y, m, MONTH).end


def upcoming_duties(today: date, submitted: set[str], marked_done: AbstractSet[str] = frozenset(),
                    first_month: str | None = None, *, bulletin: bool = False) -> list[Duty]:
    """The duties of the coming weeks, soonest first: the monthly tables still open (last month's and this
    month's, none before the unit's 启用月份 ``first_month``), the next bulletin (``bulletin``: only a unit with
    subordinates issues one) and the next occurrence of each yearly duty."""
    out: list[Duty] = []
    this_month = Period(today.year, today.month, MONTH)
    last_month = this_month.previous()
    for p in (last_month, this_month):
        if first_month and p.code < first_month:
            continue  # before the unit used ipdesk: never due here
        due = p.deadline()
        if p.code in submitted and due < today:
            continue  # sent and done with
        out.append(Duty(f"{MONTHLY}:{p.code}", MONTHLY, f"{p.label}统计表（附件1、附件2）", due,
                        (due - today).days, p.code in submitted))
    if bulletin:
        bim = Period(today.year, (today.month - 1) // 2 * 2 + 1, BIMONTH).previous()
        due = _bulletin_due(bim)
        dkey = f"{BULLETIN}:{bim.code}"
        out.append(Duty(dkey, BULLETIN, f"双月通报（{bim.label}）", due, (due - today).days,
                        True if dkey in marked_done else None))
    for key, title, month, day in YEARLY_DUTIES:
        year = today.year if date(today.year, month, day) >= today else today.year + 1
        due = date(year, month, day)
        dkey = f"{key}:{year}"
        out.append(Duty(dkey, YEARLY, f"{year}年{title}", due, (due - today).days,
                        True if dkey in marked_done else None))
    return sorted(out, key=lambda d: d.due)


def unsent_months(today: date, submitted: set[str], first_month: str | None = None) -> list[str]:
    """Months of this year whose deadline has passed without a submission (from the 启用月份 on)."""
    out = []
    for m in range(1, today.month + 1):
        p = Period(today.year, m, MONTH)
        if first_month and p.code < first_month:
            continue
        if p.deadline() < today and p.code not in submitted:
            out.append(p.code)
    return out
