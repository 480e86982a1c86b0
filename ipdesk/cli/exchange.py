"""Exchange subcommands: approve, first-month, reopen, export-package, import-package, status, consolidate, bulletin."""
from __future__ import annotations

import argparse
from pathlib import Path

from ..errors import IpdeskError
from .registry import command
from .core import opened_desk, out_path, write_json
from ..exchange.approval import approve, explain_warnings, reopen
from ..desk import FIRST_MONTH
from ..exchange.package import export_package
from ..exchange.receive import REFUSED, REPLACE, import_packages, received_rows, withdraw
from ..reports.export import write_annex1_form, write_table
from ..exchange.status import completeness, completeness_summary
from ..domain.periods import Period
from ..exchange.consolidate import consolidate
from ..exchange.bulletin import build_bulletin, write_bulletin
from ..exchange.excel_form import refuse_non_month


@command("approve", "审核并锁定某月 / approve and lock a month")
def _approve(p: argparse.ArgumentParser):
    p.add_argument("--period", required=True, help="月份，如 2026-03")
    p.add_argument("--user", required=True, help="审核人（角色 审核人 或 管理员）")

    def run(args):
        with opened_desk(args) as desk:
            changes = approve(desk, args.period, args.user)
        print(f"已审核：{changes.label}")
        return 0
    return run


@command("first-month", "启用月份：此后各月按顺序审核，之前的月份不算逾期 / the first month reported with ipdesk")
def _first_month(p):
    p.add_argument("month", nargs="?", help="月份，如 2026-03；省略则显示当前设置；none 清除")
    p.add_argument("--user", help="管理员（默认第一个管理员）")

    def run(args):
        with opened_desk(args) as desk:
            if args.month:
                desk.set_first_month(None if args.month.lower() == "none" else args.month)
            current = desk.setting(FIRST_MONTH)
        print(f"启用月份：{current or '未设置'}")
        return 0
    return run


@command("explain", "为审核提示填写说明 / explain soft warnings so the month can be approved")
def _explain(p):
    p.add_argument("--period", required=True, help="月份，如 2026-03")
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument("--key", help="提示的键（见 check --period P --format json）")
    which.add_argument("--all-warnings", action="store_true", help="为所有尚未说明的提示填写同一说明")
    p.add_argument("--text", required=True, help="说明文字")

    def run(args):
        with opened_desk(args) as desk:
            keys = explain_warnings(desk, args.period, args.text, key=args.key)
        print(f"已说明 {len(keys)} 项提示" + (f"：{'、'.join(keys)}" if keys else "（没有尚未说明的提示）"))
        return 0
    return run


@command("reopen", "发起更正（解锁已审核的月份）/ reopen an approved month for correction")
def _reopen(p):
    p.add_argument("--period", required=True)
    p.add_argument("--user", required=True)
    p.add_argument("--reason", required=True, help="更正原因")

    def run(args):
        with opened_desk(args) as desk:
            changes = reopen(desk, args.period, args.user, args.reason)
        print(f"已{changes.label}：记录可以修改，改好后请重新审核并导出报送包")
        return 0
    return run


@command("export-package", "导出报送包 .ipdx / export the submission package")
def _export(p):
    p.add_argument("--period", required=True)
    p.add_argument("--out", required=True, help="输出文件 *.ipdx")
    p.add_argument("--no-mask", action="store_true", help="不隐藏个人身份证号")

    def run(args):
        with opened_desk(args) as desk:
            manifest = export_package(desk, args.period, Path(args.out), mask=not args.no_mask)
        extra = f"，更正 {manifest['correction_of']}" if manifest.get("correction_of") else ""
        print(f"已导出：{args.out}（{manifest['unit']['name']} {manifest['period_label']} 第{manifest['revision']}版，"
              f"编号 {manifest['package_uuid']}{extra}）")
        return 0
    return run


def _import_files(p, *, forms: bool):
    p.add_argument("paths", nargs="+", metavar="PATH.xlsx" if forms else "PATH.ipdx")
    p.add_argument("--dry-run", action="store_true", help="只检查并显示差异，不写入")
    if forms:
        p.add_argument("--unit-code", help="填报单位代码（工作簿缺少隐藏对照表时需要）")
        p.add_argument("--period", help="统计期间（工作簿缺少隐藏对照表时需要）")
        p.add_argument("--replace", action="store_true",
                       help="以此表替换该单位该月已接收的报送（默认拒收；替换后保留原附件2明细）")
    p.add_argument("--accept-after-approval", action="store_true",
                   help="本单位已审核该月时仍接收（之后须对本单位该月发起更正）")

    def run(args):
        with opened_desk(args) as desk:
            verdicts = import_packages(desk, args.paths, dry_run=args.dry_run,
                                       accept_after_approval=args.accept_after_approval,
                                       form_unit=getattr(args, "unit_code", None),
                                       form_period=getattr(args, "period", None),
                                       replace_forms=getattr(args, "replace", False))
        for v in verdicts:
            print(f"{v.path}: {v.summary()}")
            if v.status == REPLACE:
                print(f"  更正差异（附件1 {len(v.diff)} 处；{v.annex2_change}）：")
                for c in v.diff:
                    print(f"    {c.where}：{c.old} → {c.new}")
        refused = sum(v.status == REFUSED for v in verdicts)
        print(("（试运行，未写入）" if args.dry_run else "") +
              f"共 {len(verdicts)} 个文件，拒收 {refused} 个")
        return 1 if refused else 0
    return run


@command("import-package", "接收下级单位的报送包 / import subordinate units' packages")
def _import(p):
    return _import_files(p, forms=False)


@command("withdraw-package", "撤回已接收的报送包 / withdraw a received package")
def _withdraw(p):
    p.add_argument("--unit", required=True, help="下级单位代码，如 150602")
    p.add_argument("--period", required=True, help="月份，如 2026-03")
    p.add_argument("--reason", required=True, help="撤回原因（记入操作日志）")
    p.add_argument("--user", help="审核人或管理员")

    def run(args):
        with opened_desk(args) as desk:
            rows = [r for r in received_rows(desk, args.period) if r["unit_code"] == args.unit]
            if not rows:
                raise IpdeskError(f"没有 {args.unit} {args.period} 的有效报送包可撤回",
                                  f"no active package of {args.unit} for {args.period}")
            changes = withdraw(desk, rows[-1]["id"], args.reason)
            now = [r for r in received_rows(desk, args.period) if r["unit_code"] == args.unit]
        after = f"现以第{now[-1]['revision']}版为准" if now else "该单位该月现为未报送"
        print(f"已{changes.label}；{after}")
        return 0
    return run


@command("import-form", "接收下级单位填报的附件1 Excel 表 / import filled-in annex 1 workbooks")
def _import_form(p):
    return _import_files(p, forms=True)


@command("export-form", "导出附件1 Excel 填报表（可为空表）/ export the annex 1 form to fill in")
def _export_form(p):
    p.add_argument("--period", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--blank", action="store_true", help="空白表（供无本程序的单位填写）")
    p.add_argument("--unit-code", help="空白表的填报单位（下级单位代码，默认本单位）")

    def run(args):
        with opened_desk(args) as desk:
            unit = desk.unit
            if args.unit_code:
                subs = {u["code"]: u for u in desk.office.subordinate_units()}
                if args.unit_code not in subs:
                    raise IpdeskError(f"{args.unit_code} 不是本单位的下级单位", "not a subordinate unit")
                if not args.blank:
                    raise IpdeskError("为下级单位导出的只能是空白表（请加 --blank）", "use --blank for another unit")
                unit = subs[args.unit_code]
            if args.blank:  # a blank form is for a unit to fill in and send back: a month's, as received

                refuse_non_month(Period.parse(args.period), "导出")
            table = None if args.blank else desk.figures.annex1(args.period)
            write_annex1_form(Path(args.out), unit, args.period, table)
        print(f"已导出：{args.out}")
        return 0
    return run


@command("status", "报送完整性与及时性 / who sent, when, late or not")
def _status(p):
    p.add_argument("--period", required=True)
    p.add_argument("--format", choices=("text", "json"), default="text")

    def run(args):
        with opened_desk(args) as desk:
            rows = completeness(desk, args.period)
        if args.format == "json":
            write_json({"period": args.period, "units": rows, "summary": completeness_summary(rows)}, None)
            return 0
        period = Period.parse(args.period)
        print(f"{period.label} 报送情况（截止 {period.deadline().isoformat()}）")
        for r in rows:
            when = r["sent_at"].replace("T", " ") if r["sent_at"] else ""
            fix = f"  已更正（第{r['revision']}版，{r['corrected_at'].replace('T', ' ')}）" if r["corrected"] else ""
            print(f"  {r['code']} {r['name']}\t{r['status']}\t{when}{fix}")
        s = completeness_summary(rows)
        print(f"共 {s['units']} 个单位：已报 {s['sent']}（按时 {s['on_time']}，逾期 {s['late']}），未报 {s['missing']}，"
              f"更正 {s['corrected']}")
        return 0
    return run


@command("consolidate", "汇总下级单位和本单位的报表 / consolidated tables")
def _consolidate(p):
    p.add_argument("--period", help="2026-03 / 2026-B2 / 2026-Q1 / 2026-H1 / 2026，或 2026-03~2026-05（自选月份）")
    p.add_argument("--from", dest="start", help="起始日期（自选区间，须为某月1日，如 2026-03-01）")
    p.add_argument("--to", dest="end", help="截止日期（自选区间，须为某月最后一日，如 2026-05-31）")
    p.add_argument("--format", choices=("json", "xlsx", "pdf"), default="json")
    p.add_argument("--out", help="输出文件（json 可省略）")
    p.add_argument("--table", choices=("annex1", "annex2", "both"), default="both",
                   help="xlsx/pdf 时输出哪张表（both：附件1写入 --out，附件2写入同名加 -附件2）")

    def run(args):
        period = consolidation_period(args)
        with opened_desk(args) as desk:
            annex1, annex2 = consolidate(desk, period)
            if args.format == "json":
                write_json({"annex1": annex1.to_json(), "annex2": annex2.to_json()}, args.out)
                return 0
            out = out_path(args)

            targets = {"annex1": [(annex1, out)], "annex2": [(annex2, out)],
                       "both": [(annex1, out), (annex2, out.with_name(f"{out.stem}-附件2{out.suffix}"))]}
            for table, path in targets[args.table]:
                write_table(desk, table, args.format, path)
                print(f"已输出：{path}")
        return 0
    return run


def consolidation_period(args):
    """``--period``, or the whole months ``--from``..``--to`` (both, within a year); refused otherwise."""
    if args.start or args.end:
        if args.period:
            raise IpdeskError("--period 与 --from/--to 只能选其一", "--period and --from/--to both given")
        if not (args.start and args.end):
            raise IpdeskError("自选区间须同时给出 --from 和 --to", "--from and --to go together")
        return Period.from_dates(args.start, args.end)
    if not args.period:
        raise IpdeskError("请用 --period 给出期间，或用 --from、--to 给出起止日期", "no period given")
    return Period.parse(args.period)


@command("bulletin", "双月通报 / bimonthly bulletin of the subordinate units")
def _bulletin(p):
    p.add_argument("--period", help="双月，如 2026-B3（5—6月）；默认为最近一个已结束的双月")
    p.add_argument("--format", choices=("json", "xlsx", "pdf"), default="json")
    p.add_argument("--out", help="输出文件（json 可省略）")

    def run(args):
        with opened_desk(args) as desk:
            b = build_bulletin(desk, args.period)
            if args.format == "json" and not args.out:
                write_json(b.to_json(), None)
                return 0
            write_bulletin(desk, b, args.format, out_path(args))
        print(f"已输出：{args.out}")
        return 0
    return run
