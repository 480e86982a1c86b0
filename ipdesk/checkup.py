"""``ipdesk check``: is the file sound, and do its records and tables pass every rule?"""
from __future__ import annotations

from datetime import date
from pathlib import Path

from .db.connection import default_db_path, integrity_problems, write_refusal  # noqa: F401 (re-exported)
from .desk import Desk
from .domain import rules
from .domain.periods import MONTH, Period
from .errors import IpdeskError, ReadOnlyDatabase
from .exchange.approval import approval_blockers, findings_for, sealed_drift, submission_history


def check_database(db: str | None, *, period: str | None = None, today: date | None = None) -> tuple[bool, list[str]]:
    path = Path(db) if db else default_db_path()
    if not path.exists():
        raise IpdeskError(f"数据库文件不存在：{path}", f"database not found: {path}")
    problems = integrity_problems(path)
    if problems:
        return False, [f"数据库文件已损坏 / database damaged: {p}" for p in problems[:20]] + [
            "请用 ipdesk restore --latest 从最近的备份恢复 / restore from the latest backup"]
    why = write_refusal(path)
    if why:  # sound, but opening it for the record checks would write (its -wal/-shm, the identity)
        return False, ["数据库完整性：正常 / integrity ok", f"错误：{ReadOnlyDatabase(path, why).zh}",
                       "记录与统计表校验须在可写的文件上进行，未进行 / record checks need a writable file"]
    desk = Desk.open(path, today=(lambda: today) if today else date.today)
    lines, ok = ["数据库完整性：正常 / integrity ok"], True
    try:
        bad = 0
        for case in desk.db.execute("SELECT id FROM cases").fetchall():
            record = desk.records.get_case(case[0])
            errors = rules.validate_case(record, today=desk.today())
            pending = set(record.get("needs_completion") or [])
            errors = rules.unwaived(errors, pending, record)
            if errors:
                bad += 1
                ok = False
                lines.append(f"错误 案件#{record['id']}“{record['name']}”：" + "；".join(errors.values()))
        lines.append(f"案件记录校验：{'全部通过' if not bad else f'{bad} 件有错误'}")
        if period:
            periods = [Period.parse(period)]
        else:
            now = desk.today()
            periods = [Period(now.year, m, MONTH) for m in range(1, now.month + 1)]
        errors_n = warnings = 0
        for p in periods:
            for finding in desk.figures.check_period(p):
                if finding.is_error:
                    errors_n += 1
                    ok = False
                    lines.append(f"错误 {p.code}：{finding.message}")
                else:
                    warnings += 1
                    lines.append(f"提示 {p.code}：{finding.message}")
        lines.append(f"统计表校验（{periods[0].code}…{periods[-1].code}）：{errors_n} 个错误，{warnings} 个提示")
        lines += _sealed_lines(desk)
        ok = ok and not any(line.startswith("错误 已审核") for line in lines)
    finally:
        desk.close()
    lines.append("结论：通过 / passed" if ok else "结论：未通过 / failed")
    return ok, lines


def _sealed_lines(desk: Desk) -> list[str]:
    """Each approved month recomputed against what was approved: a difference is an error (the figures sent
    upward no longer match the record)."""
    approved = [s for s in submission_history(desk) if not s["reopened_at"] and not s["superseded_at"]]
    lines = []
    for period, diff in sealed_drift(desk):
        shown = "；".join(f"{c.where} {c.old} → {c.new}" for c in diff[:5])
        more = f"（另有 {len(diff) - 5} 处）" if len(diff) > 5 else ""
        lines.append(f"错误 已审核的{period.label}与现有记录不符（{len(diff)} 处）：{shown}{more}。"
                     "数据可能被绕过程序修改，或下级单位的更正在审核后才接收；请核实后发起更正")
    stale = [s for s in approved if s.get("stale_reason")]
    for sub in stale:
        lines.append(f"提示 {sub['period']}：{sub['stale_reason']}")
    lines.append(f"已审核月份核对：{len(approved)} 个月，{'全部与记录一致' if not lines else '有不一致'}")
    return lines


def findings_report(desk: Desk, period: str | None) -> dict:
    """``check --format json``: each period's findings (key, severity, message, cell, explained or not) and
    whether its month could be approved as things stand."""
    if period:
        periods = [Period.parse(period)]
    else:
        now = desk.today()
        periods = [Period(now.year, m, MONTH) for m in range(1, now.month + 1)]
    out = []
    for p in periods:
        findings = findings_for(desk, p)
        explained = desk.explanations.for_period(p.code) if p.kind == MONTH else {}
        items = [{**f.to_json(), "explanation": explained.get(f.key) or None} for f in findings]
        out.append({"period": p.code, "period_label": p.label, "findings": items,
                    "errors": sum(f.is_error for f in findings),
                    "warnings": sum(not f.is_error for f in findings),
                    "unexplained_warnings": sum(not f.is_error and not explained.get(f.key) for f in findings),
                    "blockers": approval_blockers(desk, findings, explained) if p.kind == MONTH else []})
    return {"unit_code": desk.unit["code"], "periods": out}
