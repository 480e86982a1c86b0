"""gui_max_stall: how long the GUI stops answering while it does the long jobs of a busy day — import a
5,000-row case ledger, import 144 报送包, export a year's 附件2 as PDF — each through the GUI's own code
(dialog, page, preview) on a real background runner. The measure is the worst lateness of a 10 ms timer
on the GUI thread (what a user feels as a frozen window); the goal is 100 ms, the limit of "instant"."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from ipdesk.desk import Desk

from .generate import CACHE, TODAY
from .packages import _make_package, counties, make_region_template
from .timing import Result

REPO = Path(__file__).resolve().parent.parent
LEDGER_ROWS = 5000
PACKAGE_MONTHS = ("2026-09", "2026-10")
STALL_VERSION = 2
EXPORT_YEAR = "2025"  # the ledger's cases run 2015–2025

def ledger_file(rows: int = LEDGER_ROWS) -> Path:
    """A hand-kept ledger of ``rows`` cases over ten years, as bench/ledger_import.py makes it (cached)."""
    from .ledger_import import make_ledger

    path = CACHE / f"stall-ledger-{rows}-v{STALL_VERSION}.xlsx"
    if not path.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        make_ledger(path.with_suffix(".partial.xlsx"), rows).replace(path)
    return path


def packages_144(log=print) -> tuple[list[Path], Path]:
    """144 packages — 72 units × two months — and the region's database with those units registered (cached)."""
    from ipdesk.exchange.approval import approve, period_findings
    from ipdesk.exchange.package import export_package

    folder = CACHE / "stall-packages-v1"
    template = folder / "region.db"
    units = counties(72)
    if not template.exists():
        started = time.perf_counter()
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        with tempfile.TemporaryDirectory(prefix="ipdesk-bench-stall-") as work:
            for seed, (code, name) in enumerate(units, 1):
                _make_package(code, name, seed, folder, Path(work))  # 2026-10, with its unit's database
                desk = Desk.open(Path(work) / f"{code}.db", today=lambda: TODAY)
                desk.user = desk.office.users()[0]["name"]
                try:
                    for finding in period_findings(desk, PACKAGE_MONTHS[0]):
                        if not finding.is_error:
                            desk.explanations.explain(PACKAGE_MONTHS[0], finding.key, "基准测试数据")
                    approve(desk, PACKAGE_MONTHS[0])
                    export_package(desk, PACKAGE_MONTHS[0], folder / f"{code}-{PACKAGE_MONTHS[0]}.ipdx")
                finally:
                    desk.close()
        make_region_template(template, units)
        log(f"made {len(units) * 2} packages in {time.perf_counter() - started:.1f} s")
    return sorted(folder.glob("*.ipdx")), template


def run(log=print) -> list[Result]:
    """The child's report as one result (its note: each step's worst lateness and duration)."""
    ledger = ledger_file()
    paths, template = packages_144(log)
    with tempfile.TemporaryDirectory(prefix="ipdesk-bench-stall ") as work:
        db = Path(work) / "region.db"
        shutil.copy(template, db)
        listing = Path(work) / "packages.json"
        listing.write_text(json.dumps([str(p) for p in paths]), encoding="utf-8")
        proc = subprocess.run([sys.executable, "-m", "bench.stall_child", str(db), str(ledger), str(listing),
                               EXPORT_YEAR],
                              capture_output=True, text=True, cwd=REPO, timeout=1800)
    if proc.returncode != 0:
        raise RuntimeError(f"stall child failed: {proc.stderr[-2000:]}")
    report = json.loads(proc.stdout.strip().splitlines()[-1])
    steps = "; ".join(f"{name} {v['max_ms']:.0f} ms in {v['seconds']:.1f} s" for name, v in report["steps"].items())
    note = (f"{steps}; {report['cases']:,} cases imported, {report['packages']} packages, "
            f"{report['pdf_pages']} PDF pages")
    return [Result("gui_max_stall", "界面最长无响应（导入台账、报送包，导出全年附件2 PDF）", report["max_ms"], "ms",
                   goal="≤ 100 ms", max_value=100.0, note=note)]
