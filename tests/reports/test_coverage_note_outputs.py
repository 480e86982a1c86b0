"""The 附件1 of a banner whose 本年累计 counts from its 启用月份 (2026-03) says so wherever it leaves the app: the
PDF (on its 填报单位/统计期间 line, still two pages) and the Excel form (the row under it), the command line's JSON
and its PDF run, the package, the summary's 说明."""
import json

from openpyxl import load_workbook

from ipdesk.cli import main
from ipdesk.exchange import approval
from ipdesk.exchange.package import export_package, read_package
from ipdesk.reports.export import write_annex1_form, write_table

from tests.core.test_coverage_note import YTD, first_year
from tests.reports.test_prev_year_outputs import pdf_lines, squash


def sheet_text(path) -> str:
    wb = load_workbook(path)
    return squash("".join(str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row
                          if c.value is not None))


def test_pdf_and_excel_state_the_coverage(desk, tmp_path):
    t = first_year(desk).figures.annex1("2026-03")
    lines = pdf_lines(write_table(desk, t, "pdf", tmp_path / "a1.pdf"))
    assert f"统计范围：{YTD}" in squash("".join(lines))
    assert sum(li.startswith("第 ") and "页 共" in li for li in lines) == 2  # the paper form keeps two pages
    h1 = pdf_lines(write_table(desk, desk.figures.annex1("2026-H1"), "pdf", tmp_path / "h1.pdf"))
    assert "本期、" + YTD in squash("".join(h1)) and h1[-1].endswith("共 2 页")
    assert YTD in sheet_text(write_table(desk, t, "xlsx", tmp_path / "a1.xlsx"))
    assert YTD in sheet_text(write_annex1_form(tmp_path / "form.xlsx", desk.unit, "2026-03", t))
    whole = desk.figures.annex1("2027-01")
    assert "启用月份" not in squash("".join(pdf_lines(write_table(desk, whole, "pdf", tmp_path / "b.pdf"))))
    assert "启用月份" not in sheet_text(write_table(desk, whole, "xlsx", tmp_path / "b.xlsx"))


def test_command_line(desk, tmp_path, capsys):
    first_year(desk)
    out = tmp_path / "a1.json"
    assert main(["--db", str(desk.path), "annex1", "--period", "2026-Q1", "--format", "json", "--out", str(out)]) == 0
    assert json.loads(out.read_text(encoding="utf-8"))["coverage_note"] == "本期、" + YTD
    capsys.readouterr()
    assert main(["--db", str(desk.path), "annex1", "--period", "2026-03", "--format", "pdf",
                 "--out", str(tmp_path / "a1.pdf")]) == 0
    assert YTD in capsys.readouterr().out
    assert YTD in squash("".join(pdf_lines(tmp_path / "a1.pdf")))


def test_package_carries_it(desk, tmp_path):
    first_year(desk)
    for f in approval.period_findings(desk, "2026-03"):
        if not f.is_error:
            desk.explanations.explain("2026-03", f.key, "已核实")
    approval.approve(desk, "2026-03")
    export_package(desk, "2026-03", tmp_path / "p.ipdx")
    package = read_package(tmp_path / "p.ipdx")
    assert package.annex1_json["coverage_note"] == YTD
    assert package.annex1.coverage_note == YTD


def test_summary_of_the_year_states_it(desk, tmp_path):
    from ipdesk.reports.summary import write_summary

    first_year(desk)
    text = squash("".join(pdf_lines(write_summary(desk, "2026-H1", "pdf", tmp_path / "s.pdf"))))
    assert f"附件1统计范围：本期、{YTD}（本表本期即附件1的本年累计）" in text
    assert "本期、" + YTD in sheet_text(write_summary(desk, "2026-H1", "xlsx", tmp_path / "s.xlsx"))
