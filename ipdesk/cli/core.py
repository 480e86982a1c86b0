"""Core subcommands: init, demo, load, annex1, annex2, check, user."""
from __future__ import annotations

import argparse
import json
import sys
import time
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Iterator

from ..db.identity import write_replacing
from ..desk import Desk, resource_path
from ..domain import enums
from ..errors import IpdeskError
from .registry import command
from ..demo import generate_demo
from ..exchange.load_json import load_records, read_load_file
from ..reports.export import write_table
from .. import checkup
from ..db.connection import integrity_problems


def today_of(args) -> date:
    return date.fromisoformat(args.today) if getattr(args, "today", None) else date.today()


def open_desk(args, *, create: bool = False) -> Desk:
    """Open ``--db`` (or the default file) as the first administrator unless ``--user`` says otherwise."""
    fixed = today_of(args)
    desk = Desk.open(args.db, create=create, today=(lambda: fixed) if getattr(args, "today", None) else date.today)
    user = getattr(args, "user", None)
    if user is None:
        admins = [u["name"] for u in desk.office.users() if u["role"] == enums.ROLE_ADMIN]
        user = admins[0] if admins else None
    try:
        _authenticate(desk, args, user)
    except BaseException:
        desk.close()
        raise
    desk.user = user
    return desk


def _authenticate(desk: Desk, args, user: str | None) -> None:
    """A user with a password acts only with it, as in the GUI: from ``--password-file`` or typed at a prompt,
    never as a command-line argument (it would stay in the shell's history and the process list). Without
    this, ``reopen --user 王科长`` acted, and was logged, as 王科长."""
    record = next((u for u in desk.office.users() if u["name"] == user), None)
    if record is not None and desk.office.password_missing(user):
        # Once several people share the file, a user without a password is not let in (as in the GUI): they
        # set one first — the one command that lets them in (user password, for themselves).
        if getattr(args, "first_password_of", None) == user:
            return
        raise IpdeskError(f"用户“{user}”尚未设置密码：已有多个用户，每个用户都须有密码。请先运行 "
                          f"ipdesk user password {user} --new-password-file 文件（文件第一行为新密码）",
                          f"user {user} has no password yet; several users share this file: set one first with "
                          f"'user password {user} --new-password-file FILE'")
    if record is None or not record["has_password"]:
        return
    password_file = getattr(args, "password_file", None)
    if password_file:
        password = read_password_file(password_file)
    elif _can_prompt():
        import getpass

        password = getpass.getpass(f"用户“{user}”的密码：")
    else:
        raise IpdeskError(f"用户“{user}”设有密码：请用 --password-file 文件 提供密码，或在终端中运行并按提示输入",
                          f"user {user} has a password: give --password-file or run in a terminal")
    if not desk.office.login(user, password):
        raise IpdeskError(f"用户“{user}”的密码不正确，未做任何操作", f"wrong password for {user}; nothing done")


def _can_prompt() -> bool:
    """Someone can type a password: standard input is a terminal. On Windows isatty() is true for NUL too
    (``ipdesk … < NUL`` in a batch file or a scheduled task), where getpass waited for ever on a console
    nobody sees; only a console handle counts there."""
    if sys.stdin is None or not sys.stdin.isatty():
        return False
    if sys.platform != "win32":
        return True
    # Python reads a Windows console through io._WindowsConsoleIO and anything else (NUL, a file, a pipe) through
    # FileIO (PEP 528), so the type of standard input's raw stream tells a console from NUL.
    raw = getattr(getattr(sys.stdin, "buffer", None), "raw", None)
    return type(raw).__name__ == "_WindowsConsoleIO"


def _first_line(data: bytes) -> str:
    """A password file's first line as Notepad saves it on a Chinese Windows: UTF-8 with or without a
    byte-order mark, or ANSI (GBK); the mark was read as part of the password, which was then wrong."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("gb18030")
    return text.splitlines()[0] if text else ""


def read_password_file(path: str) -> str:
    """The first line of a password file (empty for an empty file)."""
    try:
        return _first_line(Path(path).read_bytes())
    except (OSError, UnicodeDecodeError) as exc:
        raise IpdeskError(f"无法读取密码文件 {path}：{exc}", f"cannot read password file: {exc}") from exc


@contextmanager
def opened_desk(args, *, create: bool = False) -> Iterator[Desk]:
    """``with opened_desk(args) as desk:`` — :func:`open_desk`, closed again however the command ends."""
    desk = open_desk(args, create=create)
    try:
        yield desk
    finally:
        desk.close()


def out_path(args) -> Path:
    """``--out``, which a file format other than JSON needs (JSON may go to standard output)."""
    if not args.out:
        raise IpdeskError("请用 --out 指定输出文件", "--out is required for pdf/xlsx")
    return Path(args.out)


def write_json(data, out: str | None) -> None:
    text = json.dumps(data, ensure_ascii=False, indent=2)
    if out:
        write_replacing(out, lambda tmp: tmp.write_text(text + "\n", encoding="utf-8"), suffix=".tmp")
    else:
        sys.stdout.write(text + "\n")


@command("init", "建立本单位数据库 / create the office database")
def _init(p: argparse.ArgumentParser):
    p.add_argument("--unit-code", required=True, help="6位行政区划代码，如 150602")
    p.add_argument("--unit-name", required=True, help="单位名称")
    p.add_argument("--parent-code", help="上级单位代码，如 150600")
    p.add_argument("--admin", default="管理员", help="第一个用户（角色 管理员）")
    p.add_argument("--password", default="", help="第一个用户的密码（可留空）")

    def run(args):
        with opened_desk(args, create=True) as desk:
            desk.initialize(args.unit_code, args.unit_name, args.parent_code, admin=args.admin,
                            password=args.password)
            _register_known_subordinates(desk)
        print(f"已建立：{args.unit_name}（{args.unit_code}） 数据库 {desk.path}")
        return 0
    return run


def _register_known_subordinates(desk: Desk) -> None:
    """A city or region office knows its subordinate units from the shipped division list."""
    import csv

    code = desk.unit["code"]
    with open(resource_path("data", "divisions-inner-mongolia.csv"), encoding="utf-8") as fh:
        subs = [r for r in csv.DictReader(fh) if r["parent_code"] == code]
    for row in subs:
        desk.office.add_subordinate_unit(row["code"], row["name"] + "市场监督管理局")


@command("demo", "生成演示数据 / fill with realistic demo records")
def _demo(p):
    p.add_argument("--months", type=int, default=24)
    p.add_argument("--seed", type=int, default=1)

    def run(args):
        if not 1 <= args.months <= 240:
            raise IpdeskError("--months 应在 1–240 之间", "--months must be 1-240")
        with opened_desk(args) as desk:
            started = time.perf_counter()
            generate_demo(desk, args.months, args.seed)
            n = desk.db.execute("SELECT COUNT(*) FROM cases").fetchone()[0]
            print(f"已生成演示数据：{n} 件案件（{time.perf_counter() - started:.1f} 秒）")
        return 0
    return run


@command("load", "导入JSON格式的记录 / load records from JSON")
def _load(p):
    p.add_argument("file")

    def run(args):
        data = read_load_file(args.file)
        with opened_desk(args) as desk:
            _, counts = load_records(desk, data)
        print("已导入：" + "，".join(f"{k} {v}" for k, v in counts.items()))
        return 0
    return run


def _table_command(p, which: str):
    p.add_argument("--period", required=True, help="2026-03 / 2026-B2 / 2026-Q1 / 2026-H1 / 2026")
    p.add_argument("--format", choices=("json", "xlsx", "pdf"), default="json")
    p.add_argument("--out", help="输出文件（json 可省略，输出到屏幕）")
    if which == "annex2":
        p.add_argument("--from", dest="start", help="起始日期（自选区间）")
        p.add_argument("--to", dest="end", help="截止日期（自选区间）")
        p.add_argument("--mask-ids", action="store_true", help="隐藏个人身份证号")

    def run(args):
        with opened_desk(args) as desk:
            if which == "annex1":
                table = desk.figures.annex1(args.period)
            else:
                table = desk.figures.annex2(args.period, mask_personal_ids=args.mask_ids, start=args.start, end=args.end)
            if args.format == "json":
                write_json(table.to_json(), args.out)
                return 0
            out = out_path(args)

            write_table(desk, table, args.format, out)
            print(f"已输出：{args.out}")
            if getattr(table, "coverage_note", ""):  # printed in the 说明 too
                print(f"注意：{table.coverage_note}")
        return 0
    return run


@command("annex1", "附件1 数据统计表 / monthly statistics table")
def _annex1(p):
    return _table_command(p, "annex1")


@command("annex2", "附件2 查办案件明细表 / case detail table")
def _annex2(p):
    return _table_command(p, "annex2")


@command("check", "数据库完整性与数据校验 / integrity and validation report")
def _check(p):
    p.add_argument("--period", help="只校验该期间（默认：本年各月）")
    p.add_argument("--format", choices=("text", "json"), default="text",
                   help="json：各期间的审核发现（key、severity、message、是否已说明），供自动处理")

    def run(args):
        if args.format == "json":
            with opened_desk(args) as desk:
                report = checkup.findings_report(desk, args.period)
                report["database_ok"] = not integrity_problems(desk.path)
            write_json(report, None)
            return 0 if report["database_ok"] and not any(p["errors"] for p in report["periods"]) else 1
        today = today_of(args) if getattr(args, "today", None) else None
        ok, lines = checkup.check_database(args.db, period=args.period, today=today)
        for line in lines:
            print(line)
        return 0 if ok else 1
    return run


@command("user", "用户管理 / users")
def _user(p):
    sub = p.add_subparsers(dest="action", required=True)
    add = sub.add_parser("add", help="添加用户（已有用户时须为新用户设置密码）")
    add.add_argument("name")
    add.add_argument("--role", required=True, choices=enums.ROLES)
    add.add_argument("--password", default="", help="新用户的密码（最好改用 --new-password-file）")
    add.add_argument("--new-password-file", help="新用户的密码文件（第一行为密码）")
    password = sub.add_parser("password", help="设置或修改密码（管理员可为任何用户设置；其他用户只能改自己的）")
    password.add_argument("name")
    password.add_argument("--new-password-file", required=True, help="新密码文件（第一行为新密码）")
    password.add_argument("--user", help="执行操作的用户（默认为该用户本人；管理员为他人设置时填管理员）")
    sub.add_parser("list", help="列出用户")

    def run(args):
        if args.action == "password" and getattr(args, "user", None) in (None, args.name):
            # A user without a password among several sets it as their first act (see _authenticate).
            args.first_password_of = args.name
            if getattr(args, "user", None) is None:
                args.user = args.name
        new_password = read_password_file(args.new_password_file) if getattr(args, "new_password_file", None) else None
        with opened_desk(args) as desk:
            if args.action == "add":
                desk.office.add_user(args.name, args.role, new_password if new_password is not None else args.password)
                print(f"已添加用户：{args.name}（{args.role}）")
            elif args.action == "password":
                if desk.office.password_missing(args.name):
                    desk.office.set_first_password(args.name, new_password or "")
                else:
                    desk.office.set_password(args.name, new_password or "")
                print(f"已设置用户“{args.name}”的密码")
            else:
                for u in desk.office.users():
                    print(f"{u['name']}\t{u['role']}\t{'启用' if u['active'] else '停用'}\t"
                          f"{'已设密码' if u['has_password'] else '未设密码'}")
        return 0
    return run
