"""导入原有台账 of a 10,000-row county ledger (dry run, and the import into a fresh office database) against
the floor: openpyxl's read-only mode reading the same cells and doing nothing with them.

The ledger is laid out as offices keep it: a title, 填报单位 and 金额单位：万元 on one row, a header, dates in
several forms, amounts in 万元, 是/否 flags, a 本页合计 row every 50 rows. It is made once and cached.
"""
from __future__ import annotations

import shutil
import statistics
import tempfile
from datetime import date, timedelta
from pathlib import Path

from ipdesk.desk import Desk

from .generate import CACHE, TODAY
from .timing import Result, median_seconds

VERSION = 1
HEADER = ["序号", "立案号", "案件名称", "案件类别", "案件来源", "当事人", "统一社会信用代码", "立案日期", "处罚决定日期",
          "结案日期", "涉案金额", "罚款", "没收违法所得", "罚没款合计", "处罚决定书文号", "处理结果", "程序", "是否电商",
          "承办人", "备注"]
CATEGORIES = ("商标侵权", "侵犯注册商标专用权", "假冒专利", "地理标志", "其他商标违法", "奥林匹克标志")
SOURCES = ("检查发现", "投诉举报", "上级交办", "12315", "双随机")
HANDLERS = ("刘海军、赵丽娜", "王强、李娜", "张伟、陈静", "杨帆、周敏")


def make_ledger(path: Path, n: int) -> Path:
    import openpyxl

    from ipdesk.domain.identifiers import uscc_check_char

    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("2025")
    ws.append(["东胜区市场监督管理局知识产权行政执法案件台账"])
    ws.append(["填报单位：东胜区市场监督管理局", None, None, None, None, None, None, None, None, None, "金额单位：万元"])
    ws.append(HEADER)
    start = date(2015, 1, 1)
    for i in range(1, n + 1):
        filed = start + timedelta(days=i * 3650 // n)
        decided, closed = filed + timedelta(days=30), filed + timedelta(days=40)
        body = f"9115060{i:010d}"[:17]
        fine, confiscated = (i % 7) * 0.05, (i % 3) * 0.01
        dated = (f"{filed.year}.{filed.month}.{filed.day}", f"{filed.year}年{filed.month}月{filed.day}日", filed)[i % 3]
        ws.append([i, f"东市监立字〔{filed.year}〕{i}号", f"某商贸有限公司{i}销售侵犯注册商标专用权商品案",
                   CATEGORIES[i % len(CATEGORIES)], SOURCES[i % len(SOURCES)], f"东胜区某商贸有限公司{i}",
                   body + uscc_check_char(body), dated, decided.isoformat(), closed.isoformat(),
                   round(0.5 + (i % 50) * 0.1, 4), round(fine, 4), round(confiscated, 4), round(fine + confiscated, 4),
                   f"东市监罚字〔{filed.year}〕{i}号", "作出行政处罚" if fine + confiscated else "不予行政处罚", "一般程序",
                   "是（淘宝）" if i % 5 == 0 else "否", HANDLERS[i % len(HANDLERS)], None])
        if i % 50 == 0:
            ws.append(["本页合计"])
    wb.save(path)
    return path


def floor_read(path: Path) -> int:
    import openpyxl

    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    n = 0
    for ws in wb.worksheets:
        for _ in ws.iter_rows(values_only=True):
            n += 1
    wb.close()
    return n


def run(repeat: int, n: int = 10_000, warmup: int = 1) -> list[Result]:
    from ipdesk.exchange.ledger import import_ledger, preview_ledger, read_ledger

    ledger = CACHE / f"ledger-{n}-v{VERSION}.xlsx"
    if not ledger.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        make_ledger(ledger.with_suffix(".partial.xlsx"), n).replace(ledger)
    with tempfile.TemporaryDirectory(prefix="ipdesk-bench-ledger-") as tmp:
        tmp = Path(tmp)
        template = tmp / "template.db"
        desk = Desk.open(template, create=True, today=lambda: TODAY)
        desk.initialize("150602", "东胜区市场监督管理局", "150600")
        desk.close()
        state: dict = {}

        def fresh() -> None:
            if state.get("desk"):
                state["desk"].close()
            for old in tmp.glob("office*"):
                old.unlink()
            shutil.rmtree(tmp / "backups", ignore_errors=True)
            shutil.copy(template, tmp / "office.db")
            state["desk"] = Desk.open(tmp / "office.db", today=lambda: TODAY)

        def dry():
            state["preview"] = preview_ledger(state["desk"], read_ledger(ledger))

        def full():
            dry()
            state["result"] = import_ledger(state["desk"], state["preview"])

        # Interleaved (floor, dry run, import) rounds: on a shared machine the load drifts within seconds, and
        # measuring all floors first would put the drift into the ratio.
        times: dict[str, list[float]] = {"floor": [], "dry": [], "full": []}
        for round_no in range(warmup + repeat):
            for key, fn, setup in (("floor", lambda: floor_read(ledger), None), ("dry", dry, fresh),
                                   ("full", full, fresh)):
                seconds = median_seconds(fn, 1, warmup=0, setup=setup)
                if round_no >= warmup:
                    times[key].append(seconds)
        floor, dry_s, full_s = (statistics.median(times[k]) for k in ("floor", "dry", "full"))
        imported = state["result"].imported
        state["desk"].close()
    note = f"{imported:,} cases imported; floor: openpyxl read-only reading the same cells"
    name = f"ledger_import_{n // 1000}k" if n % 1000 == 0 else f"ledger_import_{n}"
    return [Result(f"{name}_dry", f"导入台账 {n:,} 行 试运行（读取 + 检查）", dry_s, "s",
                   floor=floor, goal="≤ 1.5× floor", max_ratio=1.5, note=note),
            Result(name, f"导入台账 {n:,} 行（读取 + 检查 + 写入）", full_s, "s",
                   floor=floor, goal="≤ 1.5× floor", max_ratio=1.5, note=note)]
