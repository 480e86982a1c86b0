"""打印报表 as one document: 附件1 + 附件2 (+ 审核说明) of a period in one PDF (each numbered from its own first
page) or one workbook (a sheet each), read back."""
from __future__ import annotations

import pdfplumber
from openpyxl import load_workbook
from pypdf import PdfReader

from ipdesk.exchange import approval
from ipdesk.reports.export import write_table
from ipdesk.reports.pack import write_pack


def _demo(make_desk):
    from ipdesk.demo import generate_demo

    desk = make_desk()
    generate_demo(desk, 12, 3)
    return desk


def test_pack_pdf_holds_both_attachments_and_the_explanations(make_desk, tmp_path):
    desk = _demo(make_desk)
    findings = [f for f in approval.period_findings(desk, "2026-10") if not f.is_error]
    for f in findings:
        desk.explanations.explain("2026-10", f.key, f"已核实：{f.key}")
    n1 = len(PdfReader(write_table(desk, desk.figures.annex1("2026-10"), "pdf", tmp_path / "a1.pdf")).pages)
    n2 = len(PdfReader(write_table(desk, desk.figures.annex2("2026-10"), "pdf", tmp_path / "a2.pdf")).pages)
    path = write_pack(desk, "2026-10", "pdf", tmp_path / "pack.pdf")
    with pdfplumber.open(path) as pdf:
        texts = [page.extract_text() or "" for page in pdf.pages]
    extra = 1 if findings else 0
    assert len(texts) == n1 + n2 + extra
    assert texts[0].startswith("附件1") and texts[n1].startswith("附件2")
    assert "— 1 —" in texts[0] and "— 1 —" in texts[n1]  # each attachment numbered from its first page
    assert f"— {n1} —" in texts[n1 - 1]
    if findings:
        assert "审核说明" in texts[-1] and f"已核实：{findings[0].key}" in texts[-1]
    assert not list(tmp_path.glob(".*.tmp"))


def test_pack_xlsx_has_a_sheet_each(make_desk, tmp_path):
    desk = _demo(make_desk)
    f = next(f for f in approval.period_findings(desk, "2026-10") if not f.is_error)
    desk.explanations.explain("2026-10", f.key, "季节性波动")
    path = write_pack(desk, "2026-10", "xlsx", tmp_path / "pack.xlsx")
    wb = load_workbook(path)
    assert wb.sheetnames[:3] == ["附件1", "附件2", "审核说明"]
    values = [c.value for row in wb["审核说明"].iter_rows() for c in row]
    assert "季节性波动" in values and f.message in values


def test_pack_of_a_quarter_and_without_explanations(make_desk, tmp_path):
    desk = _demo(make_desk)
    path = write_pack(desk, "2026-Q3", "pdf", tmp_path / "q.pdf")
    with pdfplumber.open(path) as pdf:
        text = "\n".join(page.extract_text() or "" for page in pdf.pages)
    assert "附件1" in text and "附件2" in text and "审核说明" not in text
