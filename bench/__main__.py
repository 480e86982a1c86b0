"""``python -m bench``: ipdesk at city scale, each figure against its floor.

Prints a table for people; the LAST line is one JSON object
``{name: {value, unit, floor, ratio, goal, ok}}`` for machines.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time

from .generate import FULL, QUICK, TINY, city_db, open_city
from .timing import Result

NAMES = ("ledger", "annex1", "exports", "load", "packages", "region", "ledger_import", "start", "stall")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="smaller city (~20k cases), 3 runs each: under 3 minutes")
    parser.add_argument("--tiny", action="store_true", help=argparse.SUPPRESS)  # the smoke test
    parser.add_argument("--repeat", type=int, help="runs per measurement (median reported)")
    parser.add_argument("--only", help=f"comma-separated subset of: {', '.join(NAMES)}")
    parser.add_argument("--rebuild", action="store_true", help="regenerate the cached city database")
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    scale = TINY if args.tiny else QUICK if args.quick else FULL
    repeat = args.repeat or (1 if args.tiny else 3 if args.quick else 5)
    only = set(args.only.split(",")) if args.only else set(NAMES)
    unknown = only - set(NAMES)
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(sorted(unknown))}")
    log = lambda text: print(text, file=sys.stderr, flush=True)  # noqa: E731  progress, not the report

    started = time.perf_counter()
    db = city_db(scale, rebuild=args.rebuild, log=log)
    results: list[Result] = []
    desk = open_city(db)
    try:
        counts = {t: desk.db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
                  for t in ("cases", "inspections", "work_items")}
        if "ledger" in only:
            from . import ledger

            log("ledger …")
            results += ledger.run(desk, repeat)
        if "annex1" in only:
            from . import annex

            log("附件1 …")
            results += annex.run(desk, repeat, 2025, annex.Period(2026, 10, "month"))
        if "exports" in only:
            from . import exports

            log("exports …")
            # Seconds-long exports: once each in --quick (no warm-up run), so it stays under 3 minutes.
            results += exports.run(desk, 1 if args.quick or args.tiny else repeat,
                                   pdf_cases=100 if args.tiny else 1000, xlsx_rows=300 if args.tiny else 10000,
                                   warmup=0 if args.quick or args.tiny else 1)
    finally:
        desk.close()
    if "load" in only:
        from . import load

        log("load 1,000 cases …")
        results += load.run(db, repeat, n=100 if args.tiny else 1000)
    if "packages" in only:
        from . import packages

        log("packages …")
        results += packages.run(repeat, n=5 if args.tiny else 103)
    if "region" in only:
        from . import region

        log("region year: packages × 12 months …")
        results += region.run(1 if args.quick or args.tiny else min(repeat, 3), n=5 if args.tiny else 103, log=log)
    if "ledger_import" in only:
        from . import ledger_import

        log("导入台账 …")
        results += ledger_import.run(repeat, n=300 if args.tiny else 10_000, warmup=0 if args.quick or args.tiny else 1)
    if "stall" in only and not args.tiny:
        from . import stall

        log("GUI stall while importing and exporting …")
        results += stall.run(log)
    if "start" in only:
        from . import start

        log("start and memory …")
        results += start.run(db, repeat)

    print(f"ipdesk bench — {scale.name}: {counts['cases']:,} cases, {counts['inspections']:,} inspections, "
          f"{counts['work_items']:,} work items ({db.stat().st_size / 1e6:.0f} MB); median of {repeat}; "
          f"Python {platform.python_version()}, {os.cpu_count()} CPUs; {time.perf_counter() - started:.0f} s")
    print(table(results))
    print(json.dumps({r.name: r.to_json() for r in results}, ensure_ascii=False))
    return 0


def _fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    return f"{value:.0f} {unit}" if unit in ("ms", "MB") and value >= 10 else f"{value:.3g} {unit}"


def table(results: list[Result]) -> str:
    header = ("measurement", "value", "floor", "ratio", "goal", "ok", "note")
    rows = [(r.label, _fmt(r.value, r.unit), _fmt(r.floor, r.unit), "" if r.ratio is None else f"{r.ratio:.2f}×",
             r.goal, {True: "yes", False: "NO", None: "—"}[r.ok], r.note) for r in results]
    widths = [max(_width(str(row[i])) for row in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(_pad(str(cell), w) for cell, w in zip(row, widths)).rstrip() for row in [header, *rows]]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _width(text: str) -> int:
    """Display width: CJK characters take two columns."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


if __name__ == "__main__":
    sys.exit(main())
