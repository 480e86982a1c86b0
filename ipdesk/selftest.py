"""``ipdesk --self-test``: the check an installer build runs before it ships.

In a temporary folder whose path has Chinese characters and a space (like a Chinese
Windows user name), it creates an office database, loads records, derives 附件1 and
附件2, writes them as PDF and Excel and reads both back, then proves Qt widgets and
QtPdf work. Each step is printed; the exit status is 0 only when every step passed.
"""
from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
import traceback
from datetime import date
from pathlib import Path
from typing import Callable

from .demo import generate_demo
from .desk import Desk, resource_path
from .reports.export import write_table

TODAY = date(2026, 11, 22)
PERIOD = "2026-10"
UNIT = ("150602", "东胜区市场监督管理局", "150600")


class _Run:
    """Runs named steps in order, prints each, stops at the first failure."""

    def __init__(self, out=None):
        self.out = out or sys.stdout
        self.failed: str | None = None

    def step(self, label: str, fn: Callable[[], str | None]) -> bool:
        if self.failed:
            return False
        started = time.perf_counter()
        try:
            detail = fn()
        except BaseException as exc:  # noqa: BLE001 — any failure is the answer, report it
            self.failed = label
            print(f"[失败] {label}: {type(exc).__name__}: {exc}", file=self.out, flush=True)
            traceback.print_exc(file=self.out)
            return False
        ms = (time.perf_counter() - started) * 1000
        print(f"[通过] {label}（{ms:.0f} ms）{'：' + detail if detail else ''}", file=self.out, flush=True)
        return True


def _temp_dir() -> Path:
    return Path(tempfile.mkdtemp(prefix="ipdesk 自检 ")) / "用户 数据"


def run_self_test(keep: bool = False) -> int:
    """Run every step; 0 on success, 1 with the failing step named."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    run = _Run()
    print(f"ipdesk 自检 — Python {sys.version.split()[0]}，{'安装包' if getattr(sys, 'frozen', False) else '源码'}",
          flush=True)
    state: dict = {}
    folder = Path()

    def open_db():
        nonlocal folder

        folder = _temp_dir()
        folder.mkdir(parents=True)
        state["desk"] = Desk.open(folder / "自检 数据库.db", create=True, today=lambda: TODAY)
        return str(state["desk"].path)

    def initialize():
        desk = state["desk"]
        desk.initialize(*UNIT)
        holidays = desk.db.execute("SELECT COUNT(*) FROM holidays").fetchone()[0]
        if not holidays:
            raise AssertionError("节假日表为空（resources/data/holidays-cn.csv 未随程序安装）")
        return f"{desk.unit['name']}，节假日 {holidays} 天"


    def load_records():
        desk = state["desk"]
        generate_demo(desk, months=14, seed=7)
        counts = {t: desk.db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
                  for t in ("cases", "inspections", "work_items")}
        if not counts["cases"] or not counts["inspections"]:
            raise AssertionError(f"记录未写入：{counts}")
        return f"案件 {counts['cases']}，检查 {counts['inspections']}，其他工作 {counts['work_items']}"

    def derive_annex1():
        desk = state["desk"]
        table = desk.figures.annex1("2026")
        state["annex1"] = table
        filled = sum(1 for v in table.values.values() if v.current)
        if not filled:
            raise AssertionError("附件1 没有非零数值")
        errors = [f for f in desk.figures.check_period("2026", table) if f.severity == "error"]
        return f"{len(table.values)} 个单元格，{filled} 个非零，{len(errors)} 个错误级审核提示"

    def derive_annex2():
        table = state["desk"].figures.annex2(PERIOD)
        state["annex2"] = table
        if not table.rows:
            raise AssertionError(f"附件2 {PERIOD} 没有案件")
        return f"{len(table.rows)} 行，涉案金额合计 {table.total_row()['amount_wan']} 万元"

    def write_pdf():
        path = folder / "附件2 明细.pdf"
        write_table(state["desk"], state["annex2"], "pdf", path)
        state["pdf"] = path
        return f"{path.name} {path.stat().st_size // 1024} KB"

    def write_xlsx():
        path = folder / "附件1 统计表.xlsx"
        write_table(state["desk"], state["annex1"], "xlsx", path)
        state["xlsx"] = path
        return f"{path.name} {path.stat().st_size // 1024} KB"

    def read_xlsx():
        import openpyxl

        wb = openpyxl.load_workbook(state["xlsx"], read_only=True)
        text = " ".join(str(c) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for c in row
                        if c is not None)
        wb.close()
        for expected in (UNIT[1], "商标"):
            if expected not in text:
                raise AssertionError(f"Excel 中找不到“{expected}”")
        return f"{len(text)} 个字符"

    def qt_widgets():
        from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QTableWidget

        app = QApplication.instance() or QApplication(["ipdesk-self-test"])
        state["app"] = app
        loaded = _load_qt_translation(app)
        window = QMainWindow()
        window.setWindowTitle("知识产权行政保护工作台")
        table = QTableWidget(3, 3, window)
        window.setCentralWidget(table)
        window.statusBar().addWidget(QLabel("自检"))
        window.resize(800, 600)
        window.show()
        app.processEvents()
        image = window.grab()
        window.close()
        if image.isNull() or image.width() < 100:
            raise AssertionError("窗口无法绘制")
        return f"平台 {app.platformName()}，Qt 中文翻译{'已' if loaded else '未'}加载"

    def qt_pdf():
        from PySide6.QtCore import QSize
        from PySide6.QtPdf import QPdfDocument

        doc = QPdfDocument()
        doc.load(str(state["pdf"]))
        if doc.status() != QPdfDocument.Status.Ready or doc.pageCount() < 1:
            raise AssertionError(f"QtPdf 无法打开 PDF：{doc.status()}，{doc.error()}")
        text = doc.getAllText(0).text()
        if UNIT[1] not in text:
            raise AssertionError(f"PDF 第1页文字中找不到“{UNIT[1]}”：{text[:80]!r}")
        image = doc.render(0, QSize(595, 420))
        if image.isNull():
            raise AssertionError("QtPdf 无法渲染第1页")
        pages = doc.pageCount()
        doc.close()
        return f"{pages} 页，第1页 {len(text)} 个字符"

    def cleanup():
        state.pop("desk").close()
        if not keep:
            shutil.rmtree(folder.parent, ignore_errors=True)

    steps = [
        ("打开临时数据库", open_db),
        ("建立单位", initialize),
        ("写入记录", load_records),
        ("生成附件1（2026年）", derive_annex1),
        (f"生成附件2（{PERIOD}）", derive_annex2),
        ("导出附件2 PDF", write_pdf),
        ("导出附件1 Excel", write_xlsx),
        ("读回 Excel", read_xlsx),
        ("创建 Qt 窗口", qt_widgets),
        ("QtPdf 打开并渲染 PDF", qt_pdf),
    ]
    started = time.perf_counter()
    for label, fn in steps:
        run.step(label, fn)
    if "desk" in state:
        run.step("关闭并清理", cleanup)
    if run.failed:
        print(f"自检失败：{run.failed}", flush=True)
        return 1
    print(f"自检通过（{time.perf_counter() - started:.1f} s）", flush=True)
    return 0


def _load_qt_translation(app) -> bool:
    """Qt's own Chinese texts (standard dialogs' buttons), shipped in resources/translations."""
    from PySide6.QtCore import QTranslator

    qm = resource_path("translations", "qtbase_zh_CN.qm")
    if not qm.exists():
        return False
    translator = QTranslator(app)
    if not translator.load(str(qm)):
        return False
    app.installTranslator(translator)
    app._ipdesk_translator = translator  # keep it alive
    return True
