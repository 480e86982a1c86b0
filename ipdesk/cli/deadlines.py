"""Time limits and the working-day calendar: ``deadlines``, ``holidays``."""
from __future__ import annotations

from .registry import command
from .core import opened_desk, write_json
from ..domain.time_limits import LEAD, to_json
from ..errors import IpdeskError


@command("deadlines", "办案时限 / time limits of open leads and cases")
def _deadlines(p):
    p.add_argument("--all", action="store_true", help="也列出已作出决定的线索和案件")
    p.add_argument("--format", choices=("text", "json"), default="text")

    def run(args):
        with opened_desk(args) as desk:
            rows = desk.limits.deadline_rows(include_decided=args.all)
        if args.format == "json":
            write_json([to_json(case, dl) for case, dl in rows], None)
            return 0
        if not rows:
            print("没有正在计算时限的线索或案件")
        for case, dl in rows:
            what = "线索" if dl.kind == LEAD else "案件"
            paused = f"，不计入{dl.paused_days}{'个工作日' if dl.kind == LEAD else '天'}" if dl.paused_days else ""
            print(f"#{case['id']}\t{what}\t{case.get('name') or ''}\t{dl.message}{paused}")
        return 0
    return run


@command("holidays", "节假日（工作日历）/ the working-day calendar: list or import a year's holidays")
def _holidays(p):
    p.add_argument("action", choices=("list", "import"), help="list：列出；import：导入CSV（管理员）")
    p.add_argument("file", nargs="?", help="节假日表 CSV（表头 date,kind,name，与随程序提供的相同）")
    p.add_argument("--year", type=int, help="只列出这一年")
    p.add_argument("--user", help="执行导入的用户（默认第一个管理员）")

    def run(args):
        with opened_desk(args) as desk:
            if args.action == "import":
                if not args.file:
                    raise IpdeskError("请指定要导入的 CSV 文件", "a CSV file is required")
                changes = desk.limits.import_holidays(args.file)
                print(f"已{changes.label}")
                return 0
            rows = desk.limits.holidays(args.year)
        labels = {"holiday": "放假", "workday": "调休上班"}
        for h in rows:
            print(f"{h['date']}\t{labels.get(h['kind'], h['kind'])}\t{h['name'] or ''}")
        return 0
    return run
