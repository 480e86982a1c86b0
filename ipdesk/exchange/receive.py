"""City mode: receive the packages of subordinate units.

Each package is verified (:func:`ipdesk.exchange.package.read_package`) and then judged
against this office: the sender must be one of its subordinate units, the month must
have started, and the package must be new. It is accepted, replaces an older revision
(kept, marked ``replaced_by``), is a no-op re-import, or is refused — as a whole, with a
Chinese reason, changing nothing but the audit log, which records every outcome.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Callable

from ..db import audit
from ..db import received as received_db
from ..db.received import store_annex2, store_cells
from ..desk import Changes, Desk
from ..domain.periods import Period
from ..errors import IpdeskError
from ..stats.annex1 import Annex1Table
from .approval import active_submission, mark_stale, now_text
from .diff import CellChange, table_diff
from .excel_form import FORM_FORMAT, is_form_file, read_form_package
from .package import Package, read_package
from .tables import annex1_from_json, annex2_from_json
from ..db.backup import backup_before_import
from ..domain import enums

NEW, REPLACE, DUPLICATE, REFUSED = "new", "replace", "duplicate", "refused"
STATUS_LABEL = {NEW: "接收", REPLACE: "更正替换", DUPLICATE: "已接收过（无变化）", REFUSED: "拒收"}

_RECEIVED_COLUMNS = received_db.COLUMNS
# How far a package's revision may run ahead of the one received before it (a banner re-approving a month
# a few times before sending is normal; revision 999 would block every genuine correction after it).
MAX_REVISION_STEP = 5


@dataclass
class Verdict:
    """What importing one file does (or did)."""

    path: str
    status: str
    reason: str = ""
    package: Package | None = None  # the package read, until :meth:`settled`
    replaces: dict | None = None  # the received row it replaces
    diff: list[CellChange] = field(default_factory=list)
    annex2_change: str = ""
    # This office's own approval of the month (city mode): accepting the package changes what it approved.
    after_approval: dict | None = None
    manifest: dict | None = None  # the package's, kept by a settled verdict

    def __post_init__(self) -> None:
        if self.manifest is None and self.package is not None:
            self.manifest = self.package.manifest

    @property
    def uuid(self) -> str | None:
        return self.manifest["package_uuid"] if self.manifest is not None else None

    @property
    def label(self) -> str:
        m = self.manifest
        if m is None:
            return Path(self.path).name
        return f"{m['unit']['name']} {m['period_label'] if 'period_label' in m else m['period']} 第{m['revision']}版"

    def settled(self) -> Verdict:
        """This verdict without the package's parsed contents (~600 objects a package: its JSON and tables),
        for a list of verdicts that stays in memory — a screen's, one waiting for confirmation. Every full
        garbage collection walks every live object while the window waits for the interpreter lock: 144
        packages kept whole made each one take ~100 ms (bench gui_max_stall)."""
        self.package = None
        return self

    def summary(self) -> str:
        text = f"{STATUS_LABEL[self.status]}：{self.label}"
        return text + (f"——{self.reason}" if self.reason else "")


def received_rows(desk: Desk, period: str | None = None, *, active_only: bool = True) -> list[dict]:
    return received_db.rows(desk.db, Period.parse(period).code if period else None, counting_only=active_only)


def received_annex1(desk: Desk, received_id: int) -> Annex1Table:
    return annex1_from_json(json.loads(received_db.annex_json(desk.db, received_id)[0]))


def _active(desk: Desk, unit_code: str, period: str) -> dict | None:
    rows = received_db.rows(desk.db, Period.parse(period).code, unit_code=unit_code)
    return rows[-1] if rows else None


def _annex2_change(old_json: dict, new: Package) -> str:
    key = "立案号"
    old_rows = {r.get(key) or json.dumps(r, ensure_ascii=False, sort_keys=True): r for r in old_json["rows"]}
    new_rows = {r.get(key) or json.dumps(r, ensure_ascii=False, sort_keys=True): r for r in new.annex2_json["rows"]}
    added = len(new_rows.keys() - old_rows.keys())
    removed = len(old_rows.keys() - new_rows.keys())
    changed = sum(1 for k in new_rows.keys() & old_rows.keys()
                  if {c: v for c, v in new_rows[k].items() if c != "序号"}
                  != {c: v for c, v in old_rows[k].items() if c != "序号"})
    if not (added or removed or changed):
        return "附件2无变化"
    return f"附件2：新增 {added} 行，删除 {removed} 行，修改 {changed} 行"


def _read(desk: Desk, path: str | Path, form_unit: str | None, form_period: str | None) -> Package:
    """A package file, or a filled-in 附件1 workbook read as one (Excel round trip)."""
    if not is_form_file(path):
        return read_package(path)
    unit = None
    if form_unit:
        subs = {u["code"]: u for u in desk.office.subordinate_units()}
        unit = subs.get(form_unit, {"code": form_unit, "name": ""})
    return read_form_package(path, parent=desk.unit, unit=unit, period=form_period)


def inspect_package(desk: Desk, path: str | Path, *, form_unit: str | None = None,
                    form_period: str | None = None, replace_forms: bool = False,
                    subordinates: dict[str, dict] | None = None) -> Verdict:
    """Verify one file and say what importing it would do, with a correction's difference; writes nothing.

    ``form_unit``/``form_period`` say whose a workbook is when it lost its hidden map. A workbook for a unit
    and month already received is refused unless ``replace_forms`` (it carries no revision and no 附件2: it
    must never silently replace a package); replacing, it keeps the replaced package's 附件2 rows.
    ``subordinates`` (code → unit) is this office's subordinate units when the caller already read them.
    """
    try:
        pkg = _read(desk, path, form_unit, form_period)
    except IpdeskError as exc:
        return Verdict(str(path), REFUSED, exc.zh)
    v = _judge(desk, Verdict(str(path), NEW, package=pkg), replace_forms, subordinates)
    if v.status in (NEW, REPLACE) and pkg.manifest.get("format") == FORM_FORMAT and _all_zero(pkg.annex1):
        # Typed zeros are a report (a blank form is refused when read), but one the receiver should see.
        v.reason = "注意：表中填写的数字全部为 0，按该单位该月无工作量接收" + (f"；{v.reason}" if v.reason else "")
    return v


def _all_zero(table: Annex1Table) -> bool:
    return all(not getattr(cv, which) for cv in table.values.values() for which in ("current", "ytd"))


def subordinates_by_code(desk: Desk) -> dict[str, dict]:
    return {u["code"]: u for u in desk.office.subordinate_units()}


def _judge(desk: Desk, v: Verdict, replace_forms: bool, subs: dict[str, dict] | None = None) -> Verdict:
    pkg = v.package
    me = desk.unit
    subs = subordinates_by_code(desk) if subs is None else subs
    m = pkg.manifest
    if pkg.unit_code == me["code"]:
        return _refuse(v, "这是本单位自己的报送包，应发送给上级单位")
    if pkg.unit_code not in subs or m["unit"].get("parent_code") != me["code"]:
        return _refuse(v, f"{pkg.unit_name}（{pkg.unit_code}）不是本单位（{me['name']}）的下级单位"
                          f"{'，其上级为 ' + str(m['unit'].get('parent_code')) if m['unit'].get('parent_code') else ''}")
    period = Period.parse(pkg.period)
    if period.end >= desk.today():
        return _refuse(v, f"{period.label}尚未结束，不可能已有报送数据")
    if period.year < desk.today().year - 10:
        return _refuse(v, f"期间 {period.label} 过早")
    created = pkg.manifest["created_at"][:10] if m.get("format") != FORM_FORMAT else desk.today().isoformat()
    if created > (desk.today() + timedelta(days=1)).isoformat():
        return _refuse(v, f"报送包的生成时间 {created} 晚于今天，发送方的电脑日期可能有误")
    if created < period.start.isoformat():
        return _refuse(v, f"报送包的生成时间 {created} 早于其期间 {period.label}，不可能")
    same = received_db.by_uuid(desk.db, pkg.uuid)
    if same:
        if same["withdrawn_at"]:
            return _refuse(v, f"此报送包已于 {same['withdrawn_at'].replace('T', ' ')} 撤回（{same['withdrawn_reason']}），"
                              "不再接收")
        if same["sha256"] == pkg.sha256:
            v.status, v.reason = DUPLICATE, "同一报送包此前已接收，本次不作任何改动"
            return v
        return _refuse(v, "已接收过编号相同但内容不同的报送包，疑似被改动")

    v.after_approval = active_submission(desk, period)
    active = _active(desk, pkg.unit_code, pkg.period)
    if active is None:
        if pkg.revision > MAX_REVISION_STEP and m.get("format") != FORM_FORMAT:
            return _refuse(v, f"本包为{period.label}的第{pkg.revision}版，但本单位未接收过该单位该月的任何一版；"
                              f"版次不应跳跃（最多第{MAX_REVISION_STEP}版）")
        return v
    if m.get("format") == FORM_FORMAT:
        if not replace_forms:
            return _refuse(v, f"已接收{pkg.unit_name}{period.label}的第{active['revision']}版报送"
                              f"（{active['received_at'].replace('T', ' ')}）；Excel 填报表不会自动替换已接收的数据，"
                              "确需以此表替换请加 --replace（替换后保留原附件2明细）")
        # A workbook carries no revision: a different one for the same month corrects the one before; it has
        # no 附件2, so the replaced package's rows stay.
        m["revision"] = active["revision"] + 1
        m["correction_of"] = active["package_uuid"]
        kept = json.loads(received_db.annex_json(desk.db, active["id"])[1])
        pkg.annex2_json, pkg.annex2 = kept, annex2_from_json(kept)
        m["counts"]["annex2_rows"] = len(kept["rows"])
    if pkg.revision <= active["revision"]:
        return _refuse(v, f"已接收该单位{period.label}的第{active['revision']}版（{active['received_at']}），"
                          f"本包为第{pkg.revision}版，不是更新的版本")
    if pkg.revision > active["revision"] + MAX_REVISION_STEP:
        return _refuse(v, f"已接收该单位{period.label}的第{active['revision']}版，本包为第{pkg.revision}版，"
                          f"版次跳跃过大，疑似清单被改动")
    v.status, v.replaces = REPLACE, active
    old1, old2 = received_db.annex_json(desk.db, active["id"])
    v.diff = table_diff(annex1_from_json(json.loads(old1)), pkg.annex1)
    v.annex2_change = _annex2_change(json.loads(old2), pkg)
    if m.get("correction_of") and m["correction_of"] != active["package_uuid"]:
        v.reason = "注意：该更正包声明更正的版本与本单位已接收的版本不同"
    return v


def _refuse(v: Verdict, reason: str) -> Verdict:
    v.status, v.reason = REFUSED, reason
    return v


def _log_refusal(desk: Desk, v: Verdict) -> None:
    # The reason may quote the package (a file name from the disk): no lone surrogate may reach the log.
    v.reason = v.reason.encode("utf-8", "replace").decode("utf-8")
    with audit.operation(desk.db, desk.user, f"拒收报送包 {Path(v.path).name}") as op:
        op.log("refuse", "received_packages", None, None,
               {"file": Path(v.path).name.encode("utf-8", "replace").decode("utf-8"), "reason": v.reason,
                "package_uuid": v.uuid})


def accept(desk: Desk, v: Verdict) -> None:
    """Store a package judged NEW or REPLACE (one transaction, logged)."""
    pkg, m = v.package, v.package.manifest
    now = now_text(desk)
    label = (f"更正替换报送包 {pkg.unit_name} {pkg.period} 第{pkg.revision}版" if v.status == REPLACE
             else f"接收报送包 {pkg.unit_name} {pkg.period} 第{pkg.revision}版")
    annex2_text = json.dumps(pkg.annex2_json, ensure_ascii=False)
    with audit.operation(desk.db, desk.user, label) as op:
        new_id = received_db.insert(desk.db, {
            "package_uuid": pkg.uuid, "sha256": pkg.sha256, "unit_code": pkg.unit_code, "unit_name": pkg.unit_name,
            "parent_code": m["unit"].get("parent_code"), "period": pkg.period, "revision": pkg.revision,
            "catalog_version": m["catalog_version"], "created_at": m["created_at"], "received_at": now,
            "correction_of": m.get("correction_of"), "manifest_json": json.dumps(m, ensure_ascii=False),
            # The member's text when there is one; else the document, parsed from JSON text, so it has no cycle
            # to look for (15–20 % of the ~0.8 ms dump).
            "annex1_json": pkg.annex1_text or json.dumps(pkg.annex1_json, ensure_ascii=False, check_circular=False),
            "annex2_json": annex2_text,
            "checks_json": json.dumps(pkg.checks, ensure_ascii=False)})
        store_cells(desk.db, new_id, pkg.annex1_json["cells"])
        store_annex2(desk.db, new_id, annex2_text)
        op.log("insert", "received_packages", new_id, None,
               {"package_uuid": pkg.uuid, "unit": pkg.unit_code, "period": pkg.period, "revision": pkg.revision,
                "file": Path(v.path).name})
        if v.after_approval:
            mark_stale(desk, pkg.period, f"{now.replace('T', ' ')} 接收{pkg.unit_name}第{pkg.revision}版后，"
                                         "已审核的汇总数与现在不符，须发起更正", op)
        if v.status == REPLACE:
            received_db.mark_replaced(desk.db, v.replaces["id"], pkg.uuid, now)
            op.log("replace", "received_packages", v.replaces["id"],
                   {"package_uuid": v.replaces["package_uuid"], "revision": v.replaces["revision"]},
                   {"replaced_by": pkg.uuid, "revision": pkg.revision,
                    "changes": [f"{c.where}: {c.old} → {c.new}" for c in v.diff[:200]]})


def import_packages(desk: Desk, paths: list[str | Path], *, dry_run: bool = False,
                    confirm: Callable[[Verdict], bool] | None = None,
                    accept_after_approval: Callable[[Verdict], bool] | bool = False,
                    progress: Callable[[int, int, Verdict], None] | None = None,
                    form_unit: str | None = None, form_period: str | None = None,
                    replace_forms: bool = False) -> list[Verdict]:
    """Import many packages, each accepted or refused as a whole.

    ``confirm(verdict)`` is asked before a correction replaces what it corrects (the GUI
    shows the difference); returning False leaves it out. ``dry_run`` writes nothing.
    """
    out = []
    if paths and not dry_run:
        backup_before_import(desk)
    subs = subordinates_by_code(desk)  # read once: 0.1–0.3 ms of each of a region's 1,236 packages
    for n, path in enumerate(paths, 1):
        v = inspect_package(desk, path, form_unit=form_unit, form_period=form_period, replace_forms=replace_forms,
                            subordinates=subs)
        if v.status == REPLACE and confirm is not None and not confirm(v):
            v.status, v.reason = REFUSED, "用户未确认更正，未接收"
        if v.status in (NEW, REPLACE) and v.after_approval:
            ok = accept_after_approval(v) if callable(accept_after_approval) else accept_after_approval
            if not ok:
                sub = v.after_approval
                v.status, v.reason = REFUSED, (
                    f"本单位已于{sub['approved_at'].replace('T', ' ')}审核{Period.parse(sub['period']).label}的汇总"
                    f"（第{sub['revision']}版），接收此包会改变已审核并上报的数字；确需接收请确认"
                    "（命令行：--accept-after-approval），接收后本单位该月须发起更正并重新上报")
        if not dry_run:
            if v.status in (NEW, REPLACE):
                accept(desk, v)
            elif v.status == REFUSED:
                _log_refusal(desk, v)
        out.append(v.settled())
        if progress:
            progress(n, len(paths), v)
    return out


def import_changes(verdicts: list[Verdict]) -> Changes:
    changed = any(v.status in (NEW, REPLACE) for v in verdicts)
    return Changes({"received_packages"} if changed else set(), label="接收报送包")


def withdraw(desk: Desk, received_id: int, reason: str) -> Changes:
    """Withdraw a received package (forged, sent by mistake, or from the wrong unit): it no longer counts
    anywhere, its row and bytes stay for the record, and the revision it had replaced counts again.

    Only the active revision can be withdrawn (an older one is already out of the figures); 审核人 or 管理员
    only; the reason is required and logged."""
    reason = (reason or "").strip()
    if not reason:
        raise IpdeskError("请填写撤回原因", "a reason is required", {"reason": "请填写撤回原因"})
    if len(reason) > 500:
        raise IpdeskError("撤回原因过长（最多 500 字）", "reason too long", {"reason": "撤回原因过长（最多 500 字）"})
    if desk.office.user_role() not in (enums.ROLE_REVIEWER, enums.ROLE_ADMIN):
        raise IpdeskError("只有审核人或管理员可以撤回已接收的报送包", "only a reviewer or administrator may withdraw")
    rows = [r for r in received_rows(desk, active_only=False) if r["id"] == received_id]
    if not rows:
        raise IpdeskError(f"没有编号为 {received_id} 的已接收报送包", f"no received package {received_id}")
    row = rows[0]
    if row["withdrawn_at"]:
        raise IpdeskError("此报送包已撤回", "already withdrawn")
    if row["replaced_by"]:
        raise IpdeskError("此报送包已被更正版本替换，只能撤回当前有效的版本", "only the active revision can be withdrawn")
    now = now_text(desk)
    label = f"撤回报送包 {row['unit_name']} {row['period']} 第{row['revision']}版"
    with audit.operation(desk.db, desk.user, label) as op:
        received_db.mark_withdrawn(desk.db, received_id, now, desk.user, reason)
        op.log("withdraw", "received_packages", received_id, {"package_uuid": row["package_uuid"]},
               {"withdrawn_at": now, "reason": reason})
        earlier = received_db.reinstate_replaced(desk.db, row["package_uuid"])
        if earlier:
            op.log("reinstate", "received_packages", earlier[0], {"replaced_by": row["package_uuid"]},
                   {"replaced_by": None, "revision": earlier[1]})
    return Changes({"received_packages"}, label=label)
