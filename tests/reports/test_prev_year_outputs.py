"""A banner in its first year (启用月份 2026-03, nothing recorded in 2025): 上年同期 and 同比 print — in the
summaries' PDF and Excel and in the annex1 JSON of the command line; a legacy ledger's 2025 cases print as
figures in part B only."""
import json
import re

import pdfplumber
from openpyxl import load_workbook

from ipdesk.cli import main
from ipdesk.domain import enums
from ipdesk.reports.summary import build_summary, write_summary

from tests.core.test_prev_year_no_data import first_year_records


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def first_year(desk):
    desk.set_first_month("2026-03")
    first_year_records(desk)
    return desk


def pdf_lines(path):
    with pdfplumber.open(path) as doc:
        return [li for page in doc.pages for li in (page.extract_text() or "").splitlines()]


def test_summary_pdf_prints_no_previous_year_as_a_dash(desk, tmp_path):
    pdf = write_summary(first_year(desk), "2026-H1", "pdf", tmp_path / "s.pdf")
    lines = pdf_lines(pdf)
    filed = next(li for li in lines if li.startswith("立案 件"))
    assert filed.split()[-3:] == ["1", "—", "—"]
    assert next(li for li in lines if li.startswith("开展执法行动 次")).split()[-3:] == ["1", "—", "—"]
    assert next(li for li in lines if li.startswith("金额·罚款 万元")).split()[-3:] == ["0.0000", "—", "—"]
    assert next(li for li in lines if li.startswith("商标侵权 ")).split()[1:4] == ["1", "—", "—"]
    assert "上年同期记“—”为无数据" in squash("".join(lines))
    # The category chart draws no previous-year bars (and no 0 labels for them): one series, one legend entry.
    assert "2025年同期" not in squash("".join(lines))


def test_summary_excel_reopens_with_dashes(desk, tmp_path):
    path = write_summary(first_year(desk), "2026-H1", "xlsx", tmp_path / "s.xlsx")
    wb = load_workbook(path)
    ws = wb["主要数据同比"]
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    filed = next(r for r in rows if isinstance(r[0], str) and r[0].strip() == "立案")
    assert filed[2:5] == [1, "—", "—"]
    months = wb["按月立案结案"]
    march = next([c.value for c in row] for row in months.iter_rows() if row[0].value == "2026年3月")
    assert march[1:4] == [1, "—", "—"]


def test_summary_of_a_banner_whose_first_month_is_long_ago_prints_zero(desk, tmp_path):
    desk.set_first_month("2024-01")
    first_year_records(desk)
    data = build_summary(desk, "2026-H1")
    assert data.table.display("B.total.filed", "prev_current") == "0"
    assert data.category_chart()[2] == [0] * len(data.category_chart()[2])
    lines = pdf_lines(write_summary(desk, "2026-H1", "pdf", tmp_path / "s.pdf"))
    assert next(li for li in lines if li.startswith("立案 件")).split()[-3:] == ["1", "0", "—"]
    assert "2025年同期" in squash("".join(lines))  # the chart's previous-year bars and their legend


def test_annex1_json_of_the_command_line(desk, tmp_path):
    first_year(desk)
    desk.records.save("cases", {"name": "丙店案", "category": "商标侵权", "procedure": enums.PROCEDURE_GENERAL,
                                "filed_date": "2026-03-20"})
    out = tmp_path / "a1.json"
    assert main(["--db", str(desk.path), "--today", "2026-11-22", "annex1", "--period", "2026-03", "--format", "json",
                 "--out", str(out)]) == 0
    cells = {c["id"]: c for c in json.loads(out.read_text(encoding="utf-8"))["cells"]}
    filed = cells["B.total.filed"]
    assert filed["current"] == 2 and filed["prev_current"] is None and filed["prev_ytd"] is None
    assert filed["yoy_current_pct"] is None and filed["base"]["prev_current"] is None
