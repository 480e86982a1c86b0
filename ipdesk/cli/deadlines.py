"""Time limits and the working-day calendar: ``deadlines``, ``holidays``."""
from __future__ import annotations

from . import command
from .core import opened_desk, write_json


@command("deadlines", "办案时限 / time limits of open leads and cases")
def _deadlines(p):
    p.add_argument("--all", action="store_true", help="也列出已作出决定的线索和案件")
    p.add_argument("--format", choices=("text", "json"), default="text")

    def run(args):
        from ..domain.time_limits import LEAD, to_json

        with opened_desk(args) as desk:
            rows = desk.deadline_rows(include_decided=args.all)
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
