"""Exchange subcommands: approve, reopen, export-package, import-package, status, consolidate, bulletin."""
from __future__ import annotations

import argparse
from pathlib import Path

from ..errors import IpdeskError
from . import command
from .core import open_desk, write_json


@command("approve", "审核并锁定某月 / approve and lock a month")
def _approve(p: argparse.ArgumentParser):
    p.add_argument("--period", required=True, help="月份，如 2026-03")
    p.add_argument("--user", required=True, help="审核人（角色 审核人 或 管理员）")

    def run(args):
        from ..exchange.approval import approve

        desk = open_desk(args)
        try:
            changes = approve(desk, args.period, args.user)
        finally:
            desk.close()
        print(f"已审核：{changes.label}")
        return 0
    return run


@command("reopen", "发起更正（解锁已审核的月份）/ reopen an approved month for correction")
def _reopen(p):
    p.add_argument("--period", required=True)
    p.add_argument("--user", required=True)
    p.add_argument("--reason", required=True, help="更正原因")

    def run(args):
        from ..exchange.approval import reopen

        desk = open_desk(args)
        try:
            changes = reopen(desk, args.period, args.user, args.reason)
        finally:
            desk.close()
        print(f"已{changes.label}：记录可以修改，改好后请重新审核并导出报送包")
        return 0
    return run


@command("export-package", "导出报送包 .ipdx / export the submission package")
def _export(p):
    p.add_argument("--period", required=True)
    p.add_argument("--out", required=True, help="输出文件 *.ipdx")
    p.add_argument("--no-mask", action="store_true", help="不隐藏个人身份证号")

    def run(args):
        from ..exchange.package import export_package

        desk = open_desk(args)
        try:
            manifest = export_package(desk, args.period, Path(args.out), mask=not args.no_mask)
        finally:
            desk.close()
        extra = f"，更正 {manifest['correction_of']}" if manifest.get("correction_of") else ""
        print(f"已导出：{args.out}（{manifest['unit']['name']} {manifest['period_label']} 第{manifest['revision']}版，"
              f"编号 {manifest['package_uuid']}{extra}）")
        return 0
    return run
