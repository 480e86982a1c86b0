"""A whole region's month: 103 banner/district packages imported by the region bureau and consolidated.

The packages are made once (each unit: its own database, demo records, approval, export) and cached.
"""
from __future__ import annotations

import csv
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from ipdesk.demo import generate_demo
from ipdesk.desk import Desk, resource_path

from .generate import CACHE, TODAY
from .timing import Result

PERIOD = "2026-10"
REGION = ("150000", "内蒙古自治区市场监督管理局")
PACKAGES_VERSION = 1


def counties(n: int) -> list[tuple[str, str]]:
    with open(resource_path("data", "divisions-inner-mongolia.csv"), encoding="utf-8") as fh:
        rows = [(r["code"], r["name"]) for r in csv.DictReader(fh) if r["level"] == "county"]
    return rows[:n]


def _make_package(code: str, name: str, seed: int, folder: Path, work: Path) -> Path:
    from ipdesk.exchange.approval import approve, period_findings
    from ipdesk.exchange.package import export_package

    desk = Desk.open(work / f"{code}.db", create=True, today=lambda: TODAY)
    try:
        desk.initialize(code, f"{name}市场监督管理局", REGION[0])
        generate_demo(desk, months=2, seed=seed)
        for finding in period_findings(desk, PERIOD):
            if not finding.is_error:
                desk.explanations.explain(PERIOD, finding.key, "基准测试数据")
        approve(desk, PERIOD)
        out = folder / f"{code}-{PERIOD}.ipdx"
        export_package(desk, PERIOD, out)
        return out
    finally:
        desk.close()


def packages(n: int = 103, log=print) -> tuple[list[Path], Path]:
    """The cached packages and the region's database template (its subordinate units registered)."""
    folder = CACHE / f"packages-{n}-v{PACKAGES_VERSION}"
    template = folder / "region.db"
    units = counties(n)
    if not template.exists():
        started = time.perf_counter()
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        with tempfile.TemporaryDirectory(prefix="ipdesk-bench-units-") as work:
            for seed, (code, name) in enumerate(units, 1):
                _make_package(code, name, seed, folder, Path(work))
        make_region_template(template, units)
        log(f"made {n} packages in {time.perf_counter() - started:.1f} s")
    return sorted(folder.glob("*.ipdx")), template


def make_region_template(template: Path, units: list[tuple[str, str]]) -> None:
    """The region bureau's database with ``units`` registered as its subordinates, written whole at ``template``."""
    partial = template.with_name("region.partial.db")
    desk = Desk.open(partial, create=True, today=lambda: TODAY)
    desk.initialize(*REGION)
    for code, name in units:
        desk.office.add_subordinate_unit(code, f"{name}市场监督管理局")
    desk.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    desk.close()
    partial.replace(template)


def import_and_consolidate(paths: list[Path], template: Path, work: Path) -> tuple[float, int, int]:
    from ipdesk.exchange.consolidate import consolidate
    from ipdesk.exchange.receive import NEW, import_packages

    db = work / "region.db"
    shutil.copy(template, db)
    desk = Desk.open(db, today=lambda: TODAY)
    desk.user = desk.office.users()[0]["name"]
    started = time.perf_counter()
    verdicts = import_packages(desk, paths)
    annex1, annex2 = consolidate(desk, PERIOD)
    seconds = time.perf_counter() - started
    desk.close()
    for suffix in ("", "-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    accepted = sum(v.status == NEW for v in verdicts)
    if accepted != len(paths):
        raise RuntimeError(f"only {accepted} of {len(paths)} packages accepted: "
                           f"{[v.reason for v in verdicts if v.status != NEW][:3]}")
    return seconds, accepted, len(annex2.rows)


def run(repeat: int, n: int = 103) -> list[Result]:
    try:
        import ipdesk.exchange.consolidate  # noqa: F401
        import ipdesk.exchange.receive  # noqa: F401
    except ImportError:
        return [Result("packages", f"导入并汇总 {n} 个报送包", None, "s", note="ipdesk.exchange not available")]
    paths, template = packages(n)
    times = []
    with tempfile.TemporaryDirectory(prefix="ipdesk-bench-region ") as work:
        for _ in range(repeat):
            seconds, accepted, rows = import_and_consolidate(paths, template, Path(work))
            times.append(seconds)
    return [Result("packages", f"导入并汇总 {n} 个报送包（{PERIOD}）", statistics.median(times), "s",
                   goal="< 3 s", max_value=3.0, note=f"{accepted} packages, consolidated 附件2 {rows:,} rows")]
