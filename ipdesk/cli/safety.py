"""Safety subcommands: backup, restore, audit."""
from __future__ import annotations

from pathlib import Path

from ..db import backup as B
from ..db.connection import default_db_path
from ..errors import IpdeskError
from .registry import command
from .core import opened_desk
from ..db.restore import restore


@command("backup", "备份数据库 / back up the database (verified copy)")
def _backup(p):
    p.add_argument("--out", help="备份到此文件（.db）或文件夹（默认：设置的备份文件夹）")
    p.add_argument("--list", action="store_true", help="列出已有备份")

    def run(args):
        with opened_desk(args) as desk:
            if args.list:
                for info in desk.backups():
                    print(f"{info.made_at:%Y-%m-%d %H:%M:%S}\t{info.size / 1024:.0f} KB\t{info.reason_label}\t"
                          f"{info.path}")
                return 0
            out = Path(args.out) if args.out else None
            if out is not None and out.suffix.lower() == ".db":
                if out.exists():
                    raise IpdeskError(f"文件已存在：{out}", f"file exists: {out}")
                path = B.copy_database(desk.db.conn, out.parent, "manual", target=out)
            else:
                path = B.backup_now(desk, "manual", folder=out)
        print(f"已备份并校验：{path}（{path.stat().st_size / 1024:.0f} KB）")
        return 0
    return run


@command("restore", "从备份恢复数据库 / restore the database from a backup")
def _restore(p):
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument("--latest", action="store_true", help="最近一份通过校验的备份")
    which.add_argument("file", nargs="?", help="备份文件")
    p.add_argument("--dir", help="备份所在文件夹（默认：数据库设置的备份文件夹）")
    p.add_argument("--force", action="store_true", help="允许恢复另一个单位的备份")
    p.add_argument("--user", help=argparse_suppress())

    def run(args):
        db = Path(args.db) if args.db else default_db_path()
        result = restore(db, None if args.latest else args.file, folder=args.dir, force=args.force, user=args.user)
        print(f"已从备份恢复：{result.restored_from}")
        if result.previous_copy:
            what = "已损坏的原文件另存于" if result.previous_was_damaged else "原文件已备份为"
            print(f"{what}：{result.previous_copy}")
        return 0
    return run


def argparse_suppress():
    import argparse

    return argparse.SUPPRESS
