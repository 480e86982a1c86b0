import json
import subprocess
import sys
from datetime import date

import pytest

from ipdesk.errors import IpdeskError
from ipdesk.exchange import approval
from ipdesk.exchange.bulletin import build_bulletin
from ipdesk.exchange.package import export_package
from ipdesk.exchange.receive import import_packages

from tests.conftest import subprocess_env
from tests.reports.report_helpers import assert_rows_fit

from .conftest import banner
from .test_city import printed


def _send(desk, period, path, day):
    desk.clock["today"] = day
    approval.approve(desk, period)
    export_package(desk, period, path)
    return path


@pytest.fixture
def city_with_bimonth(office, tmp_path):
    """B5 = Sep–Oct 2026: 东胜 sends both months on time, 达拉特 sends October late, the rest nothing."""
    b1 = banner(office, "150602")
    b2 = banner(office, "150621")
    c = office("150600", "鄂尔多斯市市场监督管理局", "150000", subordinates=True)
    sent = [(_send(b1, "2026-09", tmp_path / "a9.ipdx", date(2026, 10, 15)), date(2026, 10, 15)),
            (_send(b1, "2026-10", tmp_path / "a10.ipdx", date(2026, 11, 18)), date(2026, 11, 18)),
            (_send(b2, "2026-10", tmp_path / "b10.ipdx", date(2026, 11, 21)), date(2026, 11, 21))]
    for path, day in sent:  # timeliness is the city's receipt: each is received the day it is sent
        c.clock["today"] = day
        assert [v.status for v in import_packages(c, [path])] == ["new"]
    c.clock["today"] = date(2026, 11, 22)
    return c, b1, b2


def test_bulletin_figures_ranking_and_timeliness(city_with_bimonth):
    c, b1, b2 = city_with_bimonth
    b = build_bulletin(c, "2026-B5")
    rows = {r.code: r for r in b.rows}
    assert len(b.rows) == 9
    east, dalat = rows["150602"], rows["150621"]
    filed = lambda d, m: d.figures.annex1(m).value("B.total.filed")  # noqa: E731
    assert east.period_values["B.total.filed"] == filed(b1, "2026-09") + filed(b1, "2026-10")
    assert dalat.period_values["B.total.filed"] == filed(b2, "2026-10")
    assert east.ytd_values["B.total.penalty_total"] == printed(b1.figures.annex1("2026-10"), "B.total.penalty_total", "ytd")
    assert rows["150627"].period_values["B.total.filed"] is None  # nothing sent: — not 0
    assert east.months == {"2026-09": "按时", "2026-10": "按时"}
    assert dalat.months == {"2026-09": "逾期未报", "2026-10": "逾期报送"}
    ranked = sorted([east, dalat], key=lambda r: r.rank)
    assert ranked[0].period_values["B.total.filed"] >= ranked[1].period_values["B.total.filed"]
    # Only units with data are ranked; 达拉特旗 is ranked on October alone, and marked so.
    assert {r.rank for r in b.rows if r.code not in ("150602", "150621")} == {None}
    assert dalat.one_month and not east.one_month and "达拉特旗仅报送了其中一个月" in b.notes[0]
    assert b.total.period_values["B.total.filed"] == east.period_values["B.total.filed"] + dalat.period_values[
        "B.total.filed"]
    total_filed = b.total.period_values["B.total.filed"]
    assert "2026年9—10月，全市开展执法行动" in b.text and f"立案{total_filed}件" in b.text
    assert "9个单位中1个两个月均按时报送" in b.timeliness and "1个有逾期报送（达拉特旗）" in b.timeliness
    assert "有月份未报送" in b.timeliness and "伊金霍洛旗" in b.timeliness
    data = b.to_json()
    assert [f["label"] for f in data["figures"]][:3] == ["开展执法行动", "检查经营主体", "立案"]
    assert data["rows"][0]["rank"] == 1


def test_bulletin_refuses_non_bimonth_and_banner(city_with_bimonth, office):
    c, b1, _ = city_with_bimonth
    # Today is 2026-11-22: the last complete bimonth is September–October, the default; November–December
    # has not ended and is refused.
    assert build_bulletin(c).period.code == "2026-B5"
    with pytest.raises(IpdeskError, match="2026年11—12月尚未结束.*2026-B5"):
        build_bulletin(c, "2026-B6")
    with pytest.raises(IpdeskError, match="双月"):
        build_bulletin(c, "2026-10")
    with pytest.raises(IpdeskError, match="没有下级单位"):
        build_bulletin(b1, "2026-B5")


def test_cli_bulletin_json(city_with_bimonth, tmp_path):
    c, _, _ = city_with_bimonth
    out = tmp_path / "b.json"
    r = subprocess.run([sys.executable, "-m", "tests.cli_harness", "--db", str(c.path), "--today", "2026-11-22", "bulletin",
                        "--period", "2026-B5", "--format", "json", "--out", str(out)],
                       capture_output=True, text=True, env=subprocess_env())
    assert r.returncode == 0, r.stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["period_label"] == "2026年9—10月" and len(data["rows"]) == 9


def test_bulletin_pdf_and_excel(city_with_bimonth, tmp_path):
    import openpyxl
    import pdfplumber

    from ipdesk.exchange.bulletin import write_bulletin

    c, _, _ = city_with_bimonth
    b = build_bulletin(c, "2026-B5")
    pdf = write_bulletin(c, b, "pdf", tmp_path / "b.pdf")
    with pdfplumber.open(pdf) as doc:
        text = "".join(page.extract_text() or "" for page in doc.pages)
    flat = text.replace("\n", "")
    assert "鄂尔多斯市市场监督管理局知识产权行政保护工作通报" in flat
    assert "伊金霍洛旗市场监督管理局" in flat and "逾期未报" in flat and "立案数居前的是" in flat
    for part in ("〔2026〕", "主送：各旗县（市、区）市场监督管理局", "一、总体情况", "二、各单位主要数据及排名",
                 "三、报送情况", "印发单位：鄂尔多斯市市场监督管理局", "印发日期：2026年11月22日"):
        assert part in flat, part
    xlsx = write_bulletin(c, b, "xlsx", tmp_path / "b.xlsx")
    ws = openpyxl.load_workbook(xlsx).active
    values = [v for row in ws.iter_rows(values_only=True) for v in row if v is not None]
    assert "东胜区市场监督管理局" in values and "合计" in values
    assert "达拉特旗市场监督管理局（仅1个月）" in values
    assert b.total.period_values["B.total.filed"] in values  # numbers stay numbers in Excel
    assert_rows_fit(ws)  # unit names, merged notes: every wrapped row tall enough for its lines
