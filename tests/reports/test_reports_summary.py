"""Summary pack (阶段性总结 / 全年总结) from demo data: figures read back from the PDF equal 附件1,
the charts are drawn, the Excel sheets reopen with numbers; CLI summary end to end."""
import re
import subprocess
import sys

import pdfplumber
import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from ipdesk.catalog import CURRENT
from ipdesk.errors import IpdeskError
from ipdesk.reports.summary import build_summary, summary_period, write_summary, write_summary_pack

from tests.conftest import subprocess_env
from .report_helpers import ink_fraction, render_png


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_summary_period_choice():
    assert summary_period("2026-03").code == "2026-H1" and summary_period("2026-Q2").code == "2026-H1"
    assert summary_period("2026-07").code == "2026" and summary_period("2026-H2").code == "2026"
    assert summary_period("2026").code == "2026"


def test_summary_pack_pdf_and_excel(demo_desk, tmp_path):
    pdf, xlsx = write_summary_pack(demo_desk, "2026-H1", tmp_path)
    assert pdf.name == "东胜区市场监督管理局-阶段性总结-2026-H1.pdf" and xlsx.suffix == ".xlsx"
    from .test_reports_pdf import assert_fonts_embedded_truetype

    assert_fonts_embedded_truetype(pdf)  # the charts too: no unembedded Helvetica
    table = demo_desk.figures.annex1("2026-H1")
    pages = [page.extract_text() for page in PdfReader(pdf).pages]
    text = squash("".join(pages))
    assert "2026年上半年知识产权行政保护工作阶段性总结数据" in text
    for part in CURRENT.parts:
        assert squash(part.title) in text
    # 本期, 上年同期, 同比 of 立案 (合计) as 附件1 computes them.
    v = table.values["B.total.filed"]
    assert v.current > 0 and v.prev_current > 0
    yoy = f"{v.yoy_current:+.1f}" if v.yoy_current else "0.0"
    with pdfplumber.open(pdf) as doc:
        lines = [li for page in doc.pages for li in (page.extract_text() or "").splitlines()]
    filed_line = next(li for li in lines if li.startswith("立案 件"))
    assert filed_line.split()[-3:] == [str(v.current), str(v.prev_current), yoy]
    penalty = table.display("B.total.penalty_total")
    assert penalty in text
    # Each month of the half year has its row; months add up to the period.
    months = [demo_desk.figures.annex1(f"2026-{m:02d}").value("B.total.filed") for m in range(1, 7)]
    assert sum(months) == v.current
    for m in range(1, 7):
        assert f"2026年{m}月" in text
    # Charts: titles printed, and the chart pages carry vector bars (filled rectangles).
    assert "图1" in text and "图2" in text and "立案数量按案件类别" in text
    with pdfplumber.open(pdf) as doc:
        chart_page = next(p for p in doc.pages if "图1" in (p.extract_text() or ""))
        filled = [r for r in chart_page.rects if r.get("fill") and r["height"] > 3 and r["width"] < 60]
        assert len(filled) >= 4
        for n, page in enumerate(doc.pages, 1):
            assert f"第 {n} 页 共" in (page.extract_text() or "")
    pngs = render_png(pdf, tmp_path / "sum", 1, len(pages))
    assert all(ink_fraction(p) > 0.005 for p in pngs)

    wb = load_workbook(xlsx)
    assert wb.sheetnames[:3] == ["主要数据同比", "案件分类", "按月立案结案"]
    ws = wb["主要数据同比"]
    assert ws.page_setup.orientation == "landscape" and ws.merged_cells.ranges
    row = next(r for r in ws.iter_rows() if any(c.value == "　立案" for c in r))
    numbers = [c.value for c in row if isinstance(c.value, (int, float))]
    assert numbers[:2] == [v.current, v.prev_current]
    money = [c for r in ws.iter_rows() for c in r if c.number_format == "0.0000" and isinstance(c.value, float)]
    assert money
    month_sheet = wb["按月立案结案"]
    assert sum(1 for r in month_sheet.iter_rows() for c in r if isinstance(c.value, str) and
               re.fullmatch(r"2026年[1-6]月", c.value)) == 6


def test_year_summary_marks_unfinished_year_and_refuses_a_month(demo_desk, tmp_path):
    data = build_summary(demo_desk, "2026")
    # Today is 2026-11-22: the year is counted to 31 October, against 1 January–31 October 2025.
    assert [m.code for m, t in data.months if t is None] == ["2026-11", "2026-12"]
    october = demo_desk.figures.annex1("2026-10").values["B.total.filed"]
    assert data.table.values["B.total.filed"].current == october.ytd
    assert data.table.values["B.total.filed"].prev_current == october.prev_ytd
    out = write_summary(demo_desk, "2026", "pdf", tmp_path / "y.pdf", data=data)
    text = squash("".join(p.extract_text() for p in PdfReader(out).pages))
    assert "2026年（截至10月31日）知识产权行政保护工作全年总结数据" in text and "数据截至2026年10月31日" in text
    with pytest.raises(IpdeskError):
        build_summary(demo_desk, "2026-03")


def test_cli_summary(demo_desk, tmp_path):
    db = demo_desk.path
    demo_desk.close()
    out = tmp_path / "总结"
    run = subprocess.run([sys.executable, "-m", "ipdesk", "--db", str(db), "summary", "--period", "2025",
                          "--out", str(out)], capture_output=True, text=True, env=subprocess_env(), timeout=120)
    assert run.returncode == 0, run.stderr
    pdf = out / "东胜区市场监督管理局-全年总结-2025.pdf"
    assert pdf.exists() and (out / "东胜区市场监督管理局-全年总结-2025.xlsx").exists()
    assert "已输出" in run.stdout
    assert "2025年知识产权行政保护工作全年总结数据" in squash(PdfReader(pdf).pages[0].extract_text())
    bad = subprocess.run([sys.executable, "-m", "ipdesk", "--db", str(db), "summary", "--period", "2025-05",
                          "--out", str(out)], capture_output=True, text=True, env=subprocess_env(), timeout=120)
    assert bad.returncode != 0 and "上半年" in bad.stdout + bad.stderr
