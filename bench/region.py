"""A region's year: 103 banner/district packages for each of the 12 months of 2026 (1,236 packages) imported
into the region bureau's file, then the year consolidated.

Three units make their 12 months for real (demo records, approval in order, export: PDF and Excel
included); the other units' packages are those packages re-addressed (unit code and name in the
manifest and both JSON members, a new package id, every hash and the manifest digest recomputed), so
every package is a valid, distinct one the region verifies in full. Made once and cached.
"""
from __future__ import annotations

import io
import json
import shutil
import statistics
import tempfile
import time
import uuid
import zipfile
from datetime import date
from pathlib import Path

from ipdesk.demo import generate_demo
from ipdesk.desk import Desk

from .generate import CACHE
from .packages import REGION, counties, make_region_template
from .timing import Result

TODAY = date(2027, 1, 25)  # the year 2026 has ended and its December is due
YEAR = 2026
MONTHS = [f"{YEAR}-{m:02d}" for m in range(1, 13)]
TEMPLATES = 3
VERSION = 3  # 3: JSON members compact, PDF and xlsx stored (not deflated)


def _template_packages(code: str, name: str, seed: int, work: Path, folder: Path) -> list[Path]:
    from ipdesk.exchange.approval import approve, period_findings
    from ipdesk.exchange.package import export_package

    desk = Desk.open(work / f"{code}.db", create=True, today=lambda: TODAY)
    try:
        desk.initialize(code, f"{name}市场监督管理局", REGION[0])
        generate_demo(desk, months=14, seed=seed)
        out = []
        for month in MONTHS:
            for finding in period_findings(desk, month):
                if not finding.is_error:
                    desk.explanations.explain(month, finding.key, "基准测试数据")
            approve(desk, month)
            path = folder / f"template-{code}-{month}.ipdx"
            export_package(desk, month, path)
            out.append(path)
        return out
    finally:
        desk.close()


def readdress(template: Path, code: str, name: str, out: Path) -> None:
    """The template package as another unit's: a new id, its code and name, every hash recomputed."""
    from ipdesk.exchange.package import MANIFEST, MANIFEST_DIGEST, _dump, manifest_digest, sha256

    with zipfile.ZipFile(template) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    manifest = json.loads(members.pop(MANIFEST))
    old_name = manifest["unit"]["name"]
    for member in ("annex1.json", "annex2.json"):
        data = json.loads(members[member])
        data["unit_code"], data["unit_name"] = code, name
        for row in data.get("rows", []):
            if row.get("办案单位") == old_name:
                row["办案单位"] = name
        members[member] = _dump(data)
    manifest["unit"] = {"code": code, "name": name, "parent_code": REGION[0]}
    manifest["package_uuid"] = str(uuid.uuid5(uuid.NAMESPACE_URL, f"ipdesk-bench:{code}:{manifest['period']}"))
    manifest["members"] = {n: {"sha256": sha256(d), "size": len(d)} for n, d in members.items()}
    manifest.pop(MANIFEST_DIGEST, None)
    manifest[MANIFEST_DIGEST] = manifest_digest(manifest)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(MANIFEST, _dump(manifest))
        for n, d in members.items():
            zf.writestr(n, d)
    out.write_bytes(buf.getvalue())


def packages(n: int = 103, log=print) -> tuple[list[Path], Path]:
    """The cached packages (n units × 12 months) and the region's database template."""
    folder = CACHE / f"region-year-{n}-v{VERSION}"
    template = folder / "region.db"
    units = counties(n)
    if not template.exists():
        started = time.perf_counter()
        shutil.rmtree(folder, ignore_errors=True)
        (folder / "templates").mkdir(parents=True)
        with tempfile.TemporaryDirectory(prefix="ipdesk-bench-region-") as work:
            made = [_template_packages(code, name, seed, Path(work), folder / "templates")
                    for seed, (code, name) in enumerate(units[:TEMPLATES], 1)]
        for i, (code, name) in enumerate(units):
            for month, path in zip(MONTHS, made[i % len(made)]):
                readdress(path, code, f"{name}市场监督管理局", folder / f"{code}-{month}.ipdx")
        make_region_template(template, units)
        log(f"made {n} × 12 packages in {time.perf_counter() - started:.1f} s")
    return sorted(folder.glob("*.ipdx")), template


def run(repeat: int, n: int = 103, log=print) -> list[Result]:
    from ipdesk.exchange.consolidate import consolidate, consolidation
    from ipdesk.exchange.receive import NEW, import_packages

    paths, template = packages(n, log)
    imports, years, annex1_only = [], [], []
    rows = 0
    with tempfile.TemporaryDirectory(prefix="ipdesk-bench-region-year ") as work:
        db = Path(work) / "region.db"
        for _ in range(repeat):
            shutil.copy(template, db)
            desk = Desk.open(db, today=lambda: TODAY)
            desk.user = desk.office.users()[0]["name"]
            try:
                started = time.perf_counter()
                verdicts = import_packages(desk, paths)
                imports.append(time.perf_counter() - started)
                accepted = sum(v.status == NEW for v in verdicts)
                if accepted != len(paths):
                    raise RuntimeError(f"only {accepted} of {len(paths)} packages accepted: "
                                       f"{[v.reason for v in verdicts if v.status != NEW][:3]}")
                times = []
                for _ in range(3):
                    started = time.perf_counter()
                    _, annex2 = consolidate(desk, str(YEAR))
                    times.append(time.perf_counter() - started)
                years.append(min(times))
                times = []
                for _ in range(3):
                    started = time.perf_counter()
                    consolidation(desk, str(YEAR))
                    times.append(time.perf_counter() - started)
                annex1_only.append(min(times))
                rows = len(annex2.rows)
            finally:
                desk.close()
            for suffix in ("", "-wal", "-shm"):
                Path(str(db) + suffix).unlink(missing_ok=True)
    return [Result("region_packages_import", f"区局导入 {n} 个单位 × 12 个月报送包（{len(paths):,} 个）",
                   statistics.median(imports), "s", goal="≤ 10 s", max_value=10.0,
                   note=f"{len(paths)} packages"),
            Result("region_year_consolidate", f"区局汇总{YEAR}年（附件1、附件2）", statistics.median(years), "s",
                   goal="≤ 1 s", max_value=1.0,
                   note=f"附件1 alone {statistics.median(annex1_only):.3f} s; 附件2 {rows:,} rows")]
