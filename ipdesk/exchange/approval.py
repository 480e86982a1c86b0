"""Approval (审核) and correction (更正) of a month: the figures are frozen as sent and the month is locked.

A 审核人 or 管理员 approves once no hard error remains and every warning has an
explanation; the tables, checks and explanations are stored in ``submissions``.
``reopen`` unlocks a month for a logged correction; approving again stores revision+1
and supersedes the earlier one. A unit with subordinates (city mode) approves its
consolidated tables, so its own package goes upward by the same mechanism.
"""
from __future__ import annotations

import json
from datetime import datetime

from ..db import audit
from ..db import submissions as subs_db
from ..desk import FIRST_MONTH, Changes, Desk
from ..domain import enums
from ..domain.periods import MONTH, Period
from ..errors import IpdeskError
from ..stats import checks
from ..stats.annex1 import Annex1Table
from ..stats.annex2 import Annex2Table
from .consolidate import consolidate, consolidation
from .diff import table_diff
from .status import completeness
from .tables import annex1_from_json

_SUB_COLUMNS = subs_db.COLUMNS


def now_text(desk: Desk) -> str:
    """Now, on the desk's calendar day (tests fix the day; the clock time stays real)."""
    return datetime.combine(desk.today(), datetime.now().time()).isoformat(timespec="seconds")


def month_period(period: str | Period) -> Period:
    p = period if isinstance(period, Period) else Period.parse(period)
    if p.kind != MONTH:
        raise IpdeskError(f"报送按月进行，{p.label}不是一个月份（应为如 2026-03）",
                          f"submissions are monthly; {p.code} is not a month")
    return p


def is_city(desk: Desk) -> bool:
    """A unit with subordinate units receives and consolidates their packages."""
    return bool(desk.office.subordinate_units())


def _require_approver(desk: Desk, user: str | None) -> str:
    user = user or desk.user
    role = desk.office.user_role(user) if user else None
    if role is None:
        raise IpdeskError(f"用户“{user or ''}”不存在或已停用", f"unknown or inactive user: {user}")
    if role not in enums.APPROVER_ROLES:
        raise IpdeskError(f"用户“{user}”的角色是{role}，只有审核人或管理员可以审核、更正报送",
                          f"user {user} ({role}) may not approve or reopen")
    return user


def submission_tables(desk: Desk, period: str | Period) -> tuple[Annex1Table, Annex2Table]:
    """The tables a unit sends: its own, or in city mode the consolidation including its own records."""
    p = month_period(period)
    if is_city(desk):
        return consolidate(desk, p)
    return desk.figures.annex1(p), desk.figures.annex2(p)


def period_findings(desk: Desk, period: str | Period, table: Annex1Table | None = None) -> list[checks.Finding]:
    """What approval looks at: every hard error and warning for the month."""
    p = month_period(period)
    if not is_city(desk):
        return desk.figures.check_period(p, table)

    table = table or submission_tables(desk, p)[0]
    found = checks.check_rules(table)
    # The city's own records still have their own record-level findings (待补正, overdue, outliers).
    found += [f for f in desk.figures.check_period(p) if not f.key.startswith(("rule:", "rowsum:", "ytd:"))]
    rows = completeness(desk, p)
    for row in rows:
        if not row["sent"]:
            found.append(checks.Finding(checks.WARNING, f"missing:{row['code']}",
                                        f"{row['name']}尚未报送{p.label}数据，汇总表不含该单位"))
    if rows and not any(row["sent"] for row in rows):
        found.append(checks.Finding(checks.WARNING, f"no_data:{p.code}",
                                    f"{p.label}没有收到任何下级单位的报送数据，汇总表不含下级单位数据"))
    return found


def findings_for(desk: Desk, period: str | Period) -> list[checks.Finding]:
    """Every finding for any period: a month as approval sees it; a longer span of a city or region on its
    consolidation (rules, and a span without any package), of a banner on its own records."""
    p = period if isinstance(period, Period) else Period.parse(period)
    if p.kind == MONTH:
        return period_findings(desk, p)
    if not is_city(desk):
        return desk.figures.check_period(p)

    c = consolidation(desk, p)
    return checks.check_rules(c.annex1) + c.findings


def explain_warnings(desk: Desk, period: str | Period, text: str, *, key: str | None = None) -> list[str]:
    """Explain one soft warning (``key``) or every unexplained one of a month; hard errors stay errors.
    Returns the keys explained (each its own logged change)."""
    p = month_period(period)
    if not (text or "").strip():
        raise IpdeskError("请填写说明文字（--text）", "an explanation text is required")
    findings = period_findings(desk, p)
    if key is not None:
        found = next((f for f in findings if f.key == key), None)
        if found is None:
            keys = "、".join(f.key for f in findings if not f.is_error)[:300] or "无"
            raise IpdeskError(f"{p.label}没有键为“{key}”的审核提示（现有提示：{keys}）", f"no finding {key} in {p.code}")
        if found.is_error:
            raise IpdeskError(f"“{found.message}”是错误，不能以说明代替更正", f"{key} is a hard error")
        targets = [found]
    else:
        done = desk.explanations.for_period(p.code)
        targets = [f for f in findings if not f.is_error and not done.get(f.key, "").strip()]
    for f in targets:
        desk.explanations.explain(p.code, f.key, text)
    return [f.key for f in targets]


def _latest(desk: Desk, p: Period) -> dict | None:
    return subs_db.latest(desk.db, desk.unit["code"], p.code)


def active_submission(desk: Desk, period: str | Period) -> dict | None:
    """The approved, not reopened submission of a month (what locks it), or None."""
    row = _latest(desk, month_period(period))
    return row if subs_db.is_active(row) else None


def submission_history(desk: Desk, period: str | None = None) -> list[dict]:
    """Every approval of this unit (newest first): revision, who/when, package sent, reopened."""
    return subs_db.history(desk.db, desk.unit["code"], month_period(period).code if period else None)


def frozen_json(desk: Desk, submission_id: int) -> tuple[dict, dict]:
    a1, a2 = subs_db.frozen_json(desk.db, submission_id)
    return json.loads(a1), json.loads(a2)


def approval_blockers(desk: Desk, findings: list[checks.Finding], explanations: dict[str, str]) -> list[str]:
    """Why approval is refused: each hard error, each warning without an explanation."""
    out = [f"错误：{f.message}" for f in findings if f.is_error]
    out += [f"需说明：{f.message}" for f in findings if not f.is_error and not explanations.get(f.key, "").strip()]
    return out


def months_to_approve_first(desk: Desk, p: Period) -> list[Period]:
    """The earlier months of ``p``'s year that must be approved before it: every month from the unit's 启用月份
    (or, while none is set, from the first month approved that year) up to ``p``, not approved or reopened."""
    first = desk.setting(FIRST_MONTH)
    approved = set(desk.records.locked_periods())
    if first:
        start = max(Period.parse(first), Period(p.year, 1, MONTH), key=lambda m: m.code)
    else:
        ever = subs_db.periods_ever_approved(desk.db, desk.unit["code"], p.year, before=p.code)
        if not ever:
            return []
        start = Period.parse(min(ever))
    if start.year != p.year:
        return []  # p lies before the 启用月份: nothing is required of it
    return [m for m in (Period(p.year, n, MONTH) for n in range(start.first_month, p.first_month))
            if m.code not in approved]


def approve(desk: Desk, period: str | Period, user: str | None = None) -> Changes:
    """Approve and lock a month; a reopened month gets the next revision (a correction). Months are approved in
    order: every earlier month of the year from the 启用月份 must be approved first."""
    p = month_period(period)
    user = _require_approver(desk, user)
    if p.end >= desk.today():
        raise IpdeskError(f"{p.label}尚未结束，不能审核", f"{p.code} has not ended yet")
    missing = months_to_approve_first(desk, p)
    if missing:
        names = "、".join(m.label for m in missing[:6]) + ("等" if len(missing) > 6 else "")
        raise IpdeskError(f"{p.label}不能审核：按月份顺序审核，请先审核{names}",
                          f"{p.code} cannot be approved before {', '.join(m.code for m in missing)}")
    latest = _latest(desk, p)
    if subs_db.is_active(latest):
        raise IpdeskError(f"{p.label}已于{latest['approved_at']}审核（第{latest['revision']}版），如需更改请先发起更正",
                          f"{p.code} is already approved")
    annex1, annex2 = submission_tables(desk, p)
    findings = period_findings(desk, p, annex1)
    explanations = desk.explanations.for_period(p.code)
    blockers = approval_blockers(desk, findings, explanations)
    if blockers:
        more = f"（另有 {len(blockers) - 5} 项）" if len(blockers) > 5 else ""
        raise IpdeskError(f"{p.label}不能审核：" + "；".join(blockers[:5]) + more,
                          f"{p.code} cannot be approved: {len(blockers)} open findings",
                          {f"finding{n}": b for n, b in enumerate(blockers)})
    revision = (latest["revision"] + 1) if latest else 1
    now = now_text(desk)
    label = f"审核报送 {p.label}" + (f"（更正，第{revision}版）" if revision > 1 else "")
    warnings = {f.key: explanations[f.key] for f in findings if not f.is_error}
    with audit.operation(desk.db, user, label) as op:
        if latest:
            subs_db.supersede(desk.db, latest["id"], now)
            op.log("update", "submissions", latest["id"], {"superseded_at": None}, {"superseded_at": now})
        new_id = subs_db.insert(desk.db, {
            "unit_code": desk.unit["code"], "period": p.code, "revision": revision,
            "catalog_version": annex1.catalog.version, "approved_by": user, "approved_at": now,
            "annex1_json": json.dumps(annex1.to_json(), ensure_ascii=False),
            "annex2_json": json.dumps(annex2.to_json(), ensure_ascii=False),
            "checks_json": json.dumps([f.to_json() for f in findings], ensure_ascii=False),
            "explanations_json": json.dumps(warnings, ensure_ascii=False),
            "reason": latest["reopen_reason"] if latest else None})
        op.log("insert", "submissions", new_id, None,
               {"period": p.code, "revision": revision, "approved_by": user, "approved_at": now,
                "warnings_explained": len(warnings)})
    return Changes({"submissions"}, new_id, label)


def reopen(desk: Desk, period: str | Period, user: str | None, reason: str) -> Changes:
    """Unlock an approved month for a correction (更正); the reason travels with the next revision."""
    p = month_period(period)
    user = _require_approver(desk, user)
    if not (reason or "").strip():
        raise IpdeskError("请填写更正原因", "a reason is required", {"reason": "请填写更正原因"})
    active = active_submission(desk, p)
    if active is None:
        raise IpdeskError(f"{p.label}没有已审核的报送，无需更正", f"{p.code} is not approved")
    now = now_text(desk)
    label = f"发起更正 {p.label}"
    with audit.operation(desk.db, user, label) as op:
        subs_db.mark_reopened(desk.db, active["id"], now, user, reason.strip())
        op.log("update", "submissions", active["id"], {"reopened_at": None},
               {"reopened_at": now, "reopened_by": user, "reopen_reason": reason.strip()})
    return Changes({"submissions"}, active["id"], label)


def sealed_drift(desk: Desk) -> list[tuple[Period, list]]:
    """Approved months whose figures, computed now, differ from what was approved and sent: (month, the
    differing 附件1 cells as diff.CellChange). The guards refuse such changes; this finds what escaped
    them (a direct edit of the file, or a city's consolidation after a subordinate's late correction)."""
    out = []
    for sub in reversed(submission_history(desk)):
        if sub["reopened_at"] or sub["superseded_at"]:
            continue
        p = Period.parse(sub["period"])
        sealed = annex1_from_json(frozen_json(desk, sub["id"])[0])
        diff = table_diff(sealed, submission_tables(desk, p)[0])
        if diff:
            out.append((p, diff))
    return out


def mark_stale(desk: Desk, period: str | Period, reason: str, op) -> None:
    """Inside ``op``: note that this unit's approved month no longer matches its consolidation (it needs a
    更正 before it is sent again)."""
    active = active_submission(desk, period)
    if active is None:
        return
    subs_db.mark_stale(desk.db, active["id"], reason)
    op.log("update", "submissions", active["id"], {"stale_reason": active["stale_reason"]}, {"stale_reason": reason})
