"""The bimonthly bulletin (通报, period ``2026-B3``): per-unit key figures for the two months and
the year so far, a ranking, completeness and timeliness of submissions, and a short
generated text of the main figures.

Figures come from the accepted packages of the subordinate units (and the city's own
records, shown as 本级 and not ranked); which figures is read from the catalogue via
:data:`FIGURES`, so labels and units are never typed here.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from ..catalog.model import SPAN_LABELS, Catalog
from ..db.identity import refuse_protected_output
from ..db import received as received_db
from ..desk import Desk
from ..domain.periods import BIMONTH, Period
from ..errors import IpdeskError
from ..stats.annex1 import format_value
from .status import MISSING, MISSING_LATE, SENT_LATE, SENT_ON_TIME, completeness
from .tables import annex1_from_json

# Key figures: catalogue cell ids. Ranking is by the first, then the second listed in RANK_BY.
FIGURES = ("A.actions", "A.subjects", "B.total.filed", "B.total.closed", "B.total.amount", "B.total.penalty_total")
RANK_BY = ("B.total.filed", "B.total.penalty_total")


def figure_label(catalog: Catalog, cid: str) -> str:
    cell = catalog.cell(cid)
    return cell.column.label if cell.column else cell.indicator.label


@dataclass
class BulletinRow:
    code: str
    name: str
    period_values: dict[str, float | int | None]  # the two months
    ytd_values: dict[str, float | int | None]
    months: dict[str, str]  # month code -> 按时 / 逾期报送 / 未报送 / 逾期未报
    corrected: bool = False
    rank: int | None = None  # None: not ranked (the city's own office)


@dataclass
class Bulletin:
    period: Period
    unit: dict
    catalog: Catalog
    rows: list[BulletinRow]
    total: BulletinRow
    text: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def month_periods(self) -> list[Period]:
        return self.period.month_periods()

    def show(self, cid: str, value) -> str:
        return format_value(self.catalog.cell(cid), value)

    def to_json(self) -> dict:
        def row_json(r: BulletinRow) -> dict:
            return {"unit_code": r.code, "unit_name": r.name, "rank": r.rank,
                    "period": {cid: self.show(cid, r.period_values[cid]) for cid in FIGURES},
                    "ytd": {cid: self.show(cid, r.ytd_values[cid]) for cid in FIGURES},
                    "submissions": r.months, "corrected": r.corrected}
        return {"title": f"{self.unit['name']}知识产权行政保护工作通报", "period": self.period.code,
                "period_label": self.period.label,
                "figures": [{"id": cid, "label": figure_label(self.catalog, cid),
                             "unit": self.catalog.cell(cid).unit} for cid in FIGURES],
                "rows": [row_json(r) for r in self.rows], "total": row_json(self.total),
                "text": self.text, "notes": self.notes}


def _sum(values):
    present = [v for v in values if v is not None]
    return sum(present) if present else None


def _unit_month_tables(desk: Desk, months: list[Period]) -> dict[tuple[str, str], object]:
    out = {}
    for m in months:
        for code, a1 in received_db.counting_annex1(desk.db, m.code):
            out[(code, m.code)] = annex1_from_json(json.loads(a1))
    return out


def _row(code, name, tables_by_month: list, months: dict, corrected=False) -> BulletinRow:
    present = [t for t in tables_by_month if t is not None]
    period_values = {cid: _sum(t.value(cid) for t in present) for cid in FIGURES}
    last = present[-1] if present else None
    ytd_values = {cid: (last.value(cid, "ytd") if last else None) for cid in FIGURES}
    return BulletinRow(code, name, period_values, ytd_values, months, corrected)


def build_bulletin(desk: Desk, period: str | Period) -> Bulletin:
    p = period if isinstance(period, Period) else Period.parse(period)
    if p.kind != BIMONTH:
        raise IpdeskError(f"通报按双月编制，期间应为如 2026-B3（{p.label}不是双月）", "bulletin period must be a bimonth")
    if not desk.subordinate_units():
        raise IpdeskError("本单位没有下级单位，不编制通报", "no subordinate units")
    months = p.month_periods()
    catalog = desk.catalog_for(months[-1])
    tables = _unit_month_tables(desk, months)
    status = {m.code: {r["code"]: r for r in completeness(desk, m)} for m in months}
    rows = []
    for unit in desk.subordinate_units():
        per_month = [tables.get((unit["code"], m.code)) for m in months]
        rows.append(_row(unit["code"], unit["name"], per_month,
                         {m.code: status[m.code][unit["code"]]["status"] for m in months},
                         any(status[m.code][unit["code"]]["corrected"] for m in months)))
    ranked = sorted(rows, key=lambda r: tuple(-(r.period_values[c] or 0) for c in RANK_BY))
    for n, r in enumerate(ranked):
        before = ranked[n - 1] if n else None
        same = before is not None and all(before.period_values[c] == r.period_values[c] for c in RANK_BY)
        r.rank = before.rank if same else n + 1
    me = desk.unit
    own_tables = [desk.annex1(m) for m in months if m.end < desk.today()]
    own = _row(me["code"], f"{me['name']}（本级）", own_tables, {})
    all_rows = ranked + ([own] if any(v for v in own.period_values.values()) else [])
    total = BulletinRow(me["code"], "合计", {c: _sum(r.period_values[c] for r in all_rows) for c in FIGURES},
                        {c: _sum(r.ytd_values[c] for r in all_rows) for c in FIGURES}, {})
    b = Bulletin(p, me, catalog, all_rows, total)
    b.text = _text(b, ranked)
    b.notes = [f"排名按{p.label}{'、'.join(figure_label(catalog, c) for c in RANK_BY)}依次排序，"
               "数值相同的并列；本级数据不参与排名。",
               f"报送截止时间为次月20日（{'；'.join(f'{m.label}：{m.deadline().isoformat()}' for m in months)}），"
               "以各单位生成报送包的时间为准；更正不影响是否按时。",
               "本年累计取各单位最近一个已报送月份的累计数；“—”表示未报送或未填报。"]
    return b


def _text(b: Bulletin, ranked: list[BulletinRow]) -> str:
    c = b.catalog
    t = b.total

    def fig(cid, values):
        cell = c.cell(cid)
        return f"{figure_label(c, cid)}{b.show(cid, values[cid])}{cell.unit}"

    scope = "全市" if b.unit["code"].endswith("00") and not b.unit["code"].endswith("0000") else "全区"
    parts = [f"{b.period.label}，{scope}" + "，".join(fig(cid, t.period_values) for cid in FIGURES) + "。"]
    parts.append(SPAN_LABELS["ytd"] + "，".join(fig(cid, t.ytd_values) for cid in ("B.total.filed", "B.total.closed",
                                                                           "B.total.penalty_total")) + "。")
    top = [r for r in ranked if r.period_values[RANK_BY[0]]][:3]
    if top:
        parts.append(f"{figure_label(c, RANK_BY[0])}数居前的是" + "、".join(
            f"{r.name.replace('市场监督管理局', '')}（{b.show(RANK_BY[0], r.period_values[RANK_BY[0]])}件）"
            for r in top) + "。")
    n = len(ranked)
    all_on_time = [r for r in ranked if all(s == SENT_ON_TIME for s in r.months.values())]
    late = [r for r in ranked if SENT_LATE in r.months.values()]
    missing = [r for r in ranked if set(r.months.values()) & {MISSING, MISSING_LATE}]
    short = lambda rs: "、".join(r.name.replace("市场监督管理局", "") for r in rs)  # noqa: E731
    sentence = f"报送方面，{n}个单位中{len(all_on_time)}个两个月均按时报送"
    if late:
        sentence += f"，{len(late)}个有逾期报送（{short(late)}）"
    if missing:
        sentence += f"，{len(missing)}个有月份未报送（{short(missing)}）"
    corrected = [r for r in ranked if r.corrected]
    if corrected:
        sentence += f"，{len(corrected)}个报送后作了更正（{short(corrected)}）"
    parts.append(sentence + "。")
    return "".join(parts)


def bulletin_report(b: Bulletin):
    """The bulletin laid out for the reports renderers (PDF and Excel from one layout)."""
    from ..reports.layout import Block, Cell, Report

    c = b.catalog
    k = len(FIGURES)
    months = b.month_periods
    header = [
        [Cell("排名", rowspan=2), Cell("单位", rowspan=2), Cell(b.period.label, colspan=k),
         Cell(SPAN_LABELS["ytd"], colspan=k), Cell("报送情况", colspan=len(months))],
        [Cell(f"{figure_label(c, cid)}（{c.cell(cid).unit}）") for cid in FIGURES] * 2
        + [Cell(f"{m.first_month}月") for m in months],
    ]

    def number(cid, v):
        cell = c.cell(cid)
        return Cell(b.show(cid, v), align="right", value=v / 1_000_000 if (v is not None and cell.is_money) else v,
                    number_format="0.0000" if cell.is_money else None)

    def body_row(r: BulletinRow, bold=False):
        name = r.name + ("（已更正）" if r.corrected else "")
        return ([Cell("" if r.rank is None else str(r.rank), bold=bold), Cell(name, align="left", bold=bold)]
                + [number(cid, r.period_values[cid]) for cid in FIGURES]
                + [number(cid, r.ytd_values[cid]) for cid in FIGURES]
                + [Cell(r.months.get(m.code, "")) for m in months])

    body = [body_row(r) for r in b.rows]
    footer = [body_row(b.total, bold=True)]
    widths = [0.6, 2.6] + [1.0] * (2 * k) + [0.9] * len(months)
    table = Block(header, body, widths, caption="一、" + b.text, font_size=8.5, footer=footer)
    return Report(f"{b.unit['name']}知识产权行政保护工作通报", [table], subtitle_left=f"编制单位：{b.unit['name']}",
                  subtitle_right=f"通报期间：{b.period.label}", notes=b.notes, sheet_name="通报")


def write_bulletin(desk: Desk, b: Bulletin, fmt: str, out: str | Path) -> Path:
    if fmt == "json":
        refuse_protected_output(out)
        out = Path(out)
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = out.with_name(out.name + ".part")
        tmp.write_text(json.dumps(b.to_json(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        tmp.replace(out)
        return out
    from ..reports.export import write_report

    return write_report(bulletin_report(b), fmt, Path(out), desk=desk)
