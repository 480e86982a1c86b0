"""The bimonthly bulletin (通报, period ``2026-B3``): per-unit key figures for the two months and
the year so far, a ranking, completeness and timeliness of submissions, and a short
generated text of the main figures, laid out as an official document (文号, 主送, numbered sections,
落款 and date).

Figures are the consolidation's (:mod:`.consolidate`): each unit's months as it sent them and its latest
本年累计, the city's own records shown as 本级 and not ranked — one basis with the consolidated 附件1 and
the summaries. Only units with data are ranked; a unit ranked on one month of the two is marked. A
bimonth that has not ended is refused (its figures would be partial and every unit 未报送). Which
figures is read from the catalogue's headlines, so labels and units are never typed here.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Callable

from ..catalog.model import SPAN_LABELS, Catalog
from ..db.identity import write_replacing
from ..desk import Desk
from ..domain.periods import BIMONTH, Period
from ..errors import IpdeskError
from ..stats.annex1 import format_value
from .status import MISSING, MISSING_LATE, SENT_LATE, SENT_ON_TIME, completeness
from .consolidate import as_printed, consolidation, short_name
from ..reports.layout import Block, Cell, Report
from ..reports.export import write_report



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
    rank: int | None = None  # None: not ranked (the city's own office, a unit without data)
    months_sent: int = 0  # months of the bimonth with data (a unit ranked on one month is marked)

    @property
    def one_month(self) -> bool:
        return self.rank is not None and self.months_sent == 1


@dataclass
class Bulletin:
    period: Period
    unit: dict
    catalog: Catalog
    rows: list[BulletinRow]
    total: BulletinRow
    text: str = ""
    notes: list[str] = field(default_factory=list)
    issued: date | None = None
    timeliness: str = ""
    scope: dict = field(default_factory=dict)

    @property
    def month_periods(self) -> list[Period]:
        return self.period.month_periods()

    @property
    def figures(self) -> tuple[str, ...]:
        """The key figures, as cell ids (the catalogue's headlines)."""
        return self.catalog.headlines.bulletin

    def show(self, cid: str, value) -> str:
        return format_value(self.catalog.cell(cid), value)

    def to_json(self) -> dict:
        def row_json(r: BulletinRow) -> dict:
            return {"unit_code": r.code, "unit_name": r.name, "rank": r.rank, "months_sent": r.months_sent,
                    "ranked_on_one_month": r.one_month,
                    "period": {cid: self.show(cid, r.period_values[cid]) for cid in self.figures},
                    "ytd": {cid: self.show(cid, r.ytd_values[cid]) for cid in self.figures},
                    "submissions": r.months, "corrected": r.corrected}
        return {"title": f"{self.unit['name']}知识产权行政保护工作通报", "period": self.period.code,
                "document_number": document_number(self), "to": addressees(self), "date": self.issued.isoformat(),
                "period_label": self.period.label,
                "figures": [{"id": cid, "label": figure_label(self.catalog, cid),
                             "unit": self.catalog.cell(cid).unit} for cid in self.figures],
                "rows": [row_json(r) for r in self.rows], "total": row_json(self.total),
                "text": self.text, "notes": self.notes}


def last_complete_bimonth(today: date) -> Period:
    """The latest bimonth that has ended by ``today`` (the bulletin's default)."""
    p = Period(today.year, 2 * ((today.month - 1) // 2) + 1, BIMONTH)
    while p.end >= today:
        p = p.previous()
    return p


def bulletin_period(desk: Desk, period: str | Period | None) -> Period:
    """The bimonth asked for (default: the last complete one); a bimonth not yet ended is refused."""
    if period is None:
        return last_complete_bimonth(desk.today())
    p = period if isinstance(period, Period) else Period.parse(period)
    if p.kind != BIMONTH:
        raise IpdeskError(f"通报按双月编制，期间应为如 2026-B3（{p.label}不是双月）", "bulletin period must be a bimonth")
    if p.end >= desk.today():
        done = last_complete_bimonth(desk.today())
        raise IpdeskError(f"{p.label}尚未结束，不能编制通报（最近一个已结束的双月是{done.label}，即 {done.code}）",
                          f"{p.code} has not ended yet")
    return p


def build_bulletin(desk: Desk, period: str | Period | None = None) -> Bulletin:
    if not desk.office.subordinate_units():
        raise IpdeskError("本单位没有下级单位，不编制通报", "no subordinate units")
    p = bulletin_period(desk, period)
    months = p.month_periods()
    c = consolidation(desk, p)
    catalog = c.catalog
    figures, rank_by = catalog.headlines.bulletin, catalog.headlines.rank_by
    status = {m.code: {r["code"]: r for r in completeness(desk, m)} for m in months}
    rows = []
    for unit in c.units:
        st = {m.code: status[m.code][unit.code]["status"] if unit.code in status[m.code] else MISSING for m in months}
        rows.append(BulletinRow(
            unit.code, unit.name, {cid: unit.printed_value(cid) for cid in figures},
            {cid: unit.printed_value(cid, "ytd") for cid in figures}, st,
            any(status[m.code].get(unit.code, {}).get("corrected") for m in months), months_sent=len(unit.sent)))
    with_data = [r for r in rows if r.months_sent]
    ranked = sorted(with_data, key=lambda r: tuple(-(r.period_values[c_] or 0) for c_ in rank_by))
    for n, r in enumerate(ranked):
        before = ranked[n - 1] if n else None
        same = before is not None and all(before.period_values[k] == r.period_values[k] for k in rank_by)
        r.rank = before.rank if same else n + 1
    me = desk.unit
    all_rows = ranked + [r for r in rows if not r.months_sent]
    if c.own is not None:
        printed = as_printed(c.own)
        all_rows.append(BulletinRow(me["code"], f"{me['name']}（本级）", {k: printed[k].current for k in figures},
                                    {k: printed[k].ytd for k in figures}, {}))
    total_printed = as_printed(c.annex1)  # the sum of the rows as printed
    total = BulletinRow(me["code"], "合计", {k: total_printed[k].current for k in figures},
                        {k: total_printed[k].ytd for k in figures}, {})
    b = Bulletin(p, me, catalog, all_rows, total, issued=desk.today(), scope=c.annex1.scope)
    b.text = _text(b, ranked)
    b.timeliness = _timeliness(b, rows)
    one = [short_name(r.name) for r in ranked if r.one_month]
    ranking = (f"排名按{p.label}{'、'.join(figure_label(catalog, k) for k in rank_by)}依次排序，"
               "数值相同的并列；只对有报送数据的单位排名，本级数据不参与排名")
    if one:
        ranking += f"；{'、'.join(one)}仅报送了其中一个月，按一个月的数据排名（表中标“仅1个月”）"
    deadlines = "；".join(f"{m.label}：{m.deadline().isoformat()}" for m in months)
    b.notes = [ranking + "。",
               f"报送截止时间为次月20日（{deadlines}），以各单位生成报送包的时间为准；更正不影响是否按时。",
               f"本期为各单位已报送月份之和；{c.annex1.scope['ytd_basis'].split('；')[0]}；“—”表示未报送或未填报。",
               c.annex1.scope["coverage"] + "。"]
    return b


def _text(b: Bulletin, ranked: list[BulletinRow]) -> str:
    c = b.catalog
    t = b.total
    first = c.headlines.rank_by[0]

    def fig(cid, values):
        cell = c.cell(cid)
        return f"{figure_label(c, cid)}{b.show(cid, values[cid])}{cell.unit}"

    scope = "全市" if b.unit["code"].endswith("00") and not b.unit["code"].endswith("0000") else "全区"
    parts = [f"{b.period.label}，{scope}" + "，".join(fig(cid, t.period_values) for cid in b.figures) + "。"]
    parts.append(SPAN_LABELS["ytd"] + "，".join(fig(cid, t.ytd_values) for cid in c.headlines.bulletin_ytd) + "。")
    top = [r for r in ranked if r.period_values[first]][:3]
    if top:
        parts.append(f"{figure_label(c, first)}数居前的是" + "、".join(
            f"{r.name.replace('市场监督管理局', '')}（{b.show(first, r.period_values[first])}件）"
            for r in top) + "。")
    return "".join(parts)


def _timeliness(b: Bulletin, units: list[BulletinRow]) -> str:
    n = len(units)
    all_on_time = [r for r in units if all(s == SENT_ON_TIME for s in r.months.values())]
    late = [r for r in units if SENT_LATE in r.months.values()]
    missing = [r for r in units if set(r.months.values()) & {MISSING, MISSING_LATE}]
    short = lambda rs: "、".join(r.name.replace("市场监督管理局", "") for r in rs)  # noqa: E731
    sentence = f"报送方面，{n}个单位中{len(all_on_time)}个两个月均按时报送"
    if late:
        sentence += f"，{len(late)}个有逾期报送（{short(late)}）"
    if missing:
        sentence += f"，{len(missing)}个有月份未报送（{short(missing)}）"
    corrected = [r for r in units if r.corrected]
    if corrected:
        sentence += f"，{len(corrected)}个报送后作了更正（{short(corrected)}）"
    return sentence + "。"


def document_number(b: Bulletin) -> str:
    """The 文号 line, left for the office to number: 〔2026〕  号."""
    return f"〔{b.issued.year if b.issued else b.period.year}〕    号"


def addressees(b: Bulletin) -> str:
    """主送: the subordinate units (旗县市区 of a city, 盟市 of the region)."""
    if b.unit["code"].endswith("0000"):
        return "各盟市市场监督管理局"
    return "各旗县（市、区）市场监督管理局"


def bulletin_report(b: Bulletin):
    """The bulletin laid out for the reports renderers (PDF and Excel from one layout), as an official
    document: 文号, title, 主送, 一、总体情况 (the city's totals), 二、各单位主要数据及排名, 三、报送情况,
    说明, 落款 and date."""
    c = b.catalog
    k = len(b.figures)
    months = b.month_periods

    def number(cid, v, bold=False):
        cell = c.cell(cid)
        return Cell(b.show(cid, v), align="right", value=v / 1_000_000 if (v is not None and cell.is_money) else v,
                    number_format="0.0000" if cell.is_money else None, bold=bold)

    labels = [Cell(f"{figure_label(c, cid)}（{c.cell(cid).unit}）") for cid in b.figures]
    overview = Block([[Cell("")] + labels],
                     [[Cell(b.period.label)] + [number(cid, b.total.period_values[cid]) for cid in b.figures],
                      [Cell(SPAN_LABELS["ytd"])] + [number(cid, b.total.ytd_values[cid]) for cid in b.figures]],
                     [2.2] + [1.2] * k, caption="一、总体情况。" + b.text, font_size=9)
    header = [
        [Cell("排名", rowspan=2), Cell("单位", rowspan=2), Cell(b.period.label, colspan=k),
         Cell(SPAN_LABELS["ytd"], colspan=k)],
        labels * 2,
    ]

    def body_row(r: BulletinRow, bold=False):
        name = r.name + ("（已更正）" if r.corrected else "") + ("（仅1个月）" if r.one_month else "")
        rank = "" if r.rank is None and r.name.endswith("（本级）") or r is b.total else (
            "—" if r.rank is None else str(r.rank))
        return ([Cell(rank, bold=bold), Cell(name, align="left", bold=bold)]
                + [number(cid, r.period_values[cid], bold) for cid in b.figures]
                + [number(cid, r.ytd_values[cid], bold) for cid in b.figures])

    ranking = Block(header, [body_row(r) for r in b.rows], [0.6, 2.6] + [1.0] * (2 * k),
                    caption="二、各单位主要数据及排名", font_size=8.5, footer=[body_row(b.total, bold=True)])
    sent_rows = [r for r in b.rows if r.months]
    timeliness = Block([[Cell("单位")] + [Cell(f"{m.first_month}月（截止{m.deadline():%-m月%-d日}）") for m in months]
                        + [Cell("更正")]],
                       [[Cell(r.name, align="left")] + [Cell(r.months.get(m.code, "")) for m in months]
                        + [Cell("是" if r.corrected else "")] for r in sent_rows],
                       [3.0] + [1.6] * len(months) + [0.8], caption="三、报送情况。" + b.timeliness, font_size=9)
    day = b.issued
    return Report(f"{b.unit['name']}知识产权行政保护工作通报", [overview, ranking, timeliness],
                  annex_label=document_number(b), subtitle_left=f"主送：{addressees(b)}",
                  subtitle_right=f"通报期间：{b.period.label}", notes=b.notes,
                  signature=[("印发单位", b.unit["name"]),
                             ("印发日期", f"{day.year}年{day.month}月{day.day}日" if day else "    年  月  日")],
                  sheet_name="通报")


def write_bulletin(desk: Desk, b: Bulletin, fmt: str, out: str | Path,
                   progress: Callable[..., None] | None = None) -> Path:
    """The bulletin at ``out`` (written under a temporary name, then moved: never half a file); ``progress``
    follows the PDF's pages and may stop it (取消)."""
    if fmt == "json":
        text = json.dumps(b.to_json(), ensure_ascii=False, indent=2) + "\n"
        return write_replacing(out, lambda tmp: tmp.write_text(text, encoding="utf-8"))

    return write_report(bulletin_report(b), fmt, Path(out), desk=desk, progress=progress)
