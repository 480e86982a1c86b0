"""Report subcommands: summary (阶段性总结 / 全年总结 pack). annex1/annex2 PDF and Excel live in core."""
from __future__ import annotations

from .registry import command
from .core import opened_desk
from ..reports.summary import write_summary_pack


@command("summary", "总结材料（阶段性总结 2026-H1 / 全年总结 2026）/ half-year or annual summary pack")
def _summary(p):
    p.add_argument("--period", required=True, help="2026-H1（阶段性总结，1-6月）或 2026（全年总结）")
    p.add_argument("--out", required=True, help="输出文件夹（写入 PDF 和 Excel 各一个）")

    def run(args):
        with opened_desk(args) as desk:
            for path in write_summary_pack(desk, args.period, args.out):
                print(f"已输出：{path}")
        return 0
    return run
