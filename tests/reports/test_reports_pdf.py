"""附件1/附件2 PDFs read back: catalogue labels and values, embedded TrueType fonts, A4 landscape,
header on every page of a long 附件2, page numbers, and pixels on every page type."""
import re

import pdfplumber
import pytest
from pypdf import PdfReader

from ipdesk.catalog import CURRENT
from ipdesk.reports.export import write_table
from ipdesk.reports.layout import Cell
from ipdesk.reports.pdf import render_grid_pdf

from .report_helpers import add_cases, ink_fraction, render_png


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def assert_fonts_embedded_truetype(path):
    reader = PdfReader(path)
    seen = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            seen.add(font["/BaseFont"])
            assert font["/Subtype"] == "/TrueType", font
            assert "/FontFile2" in font["/FontDescriptor"].get_object(), font["/BaseFont"]  # embedded
            assert re.match(r"/[A-Z]{6}\+", font["/BaseFont"]), "a subset"
    assert seen


def assert_a4_landscape(path):
    for page in PdfReader(path).pages:
        w, h = float(page.mediabox.width), float(page.mediabox.height)
        assert (round(w), round(h)) == (842, 595)


def test_annex1_pdf(demo_desk, tmp_path):
    table = demo_desk.figures.annex1("2026-03")
    out = write_table(demo_desk, table, "pdf", tmp_path / "附件1.pdf")
    assert_fonts_embedded_truetype(out)
    assert_a4_landscape(out)
    with pdfplumber.open(out) as pdf:
        pages = [page.extract_text() or "" for page in pdf.pages]
    # pypdf keeps drawing order, so a header label wrapped over two lines stays together.
    text = squash("".join(page.extract_text() for page in PdfReader(out).pages))
    assert CURRENT.title in text and "附件1" in text and "东胜区市场监督管理局" in text and "2026年3月" in text
    for part in CURRENT.parts:
        assert squash(part.title) in text
        for ind in part.indicators:
            assert squash(ind.label) in text
        for row in part.rows:
            assert squash(row.label) in text
        for col in part.columns:
            assert squash(col.label) in text, col.label
    for note in CURRENT.notes:
        assert squash(note) in text
    for label in ("填报单位（盖章）", "填报人", "审核人", "联系电话", "填报日期", "0477-8321234", "赵丽娜"):
        assert label in text
    # The signature line gives each field its printed width: the unit's name is not wrapped.
    assert any("填报单位（盖章）：东胜区市场监督管理局" in squash(li) for li in pages[-1].splitlines())
    # Values as the table prints them (money in 万元, 4 decimals).
    total_filed = table.display("B.total.filed", "ytd")
    assert int(total_filed) > 0
    assert table.display("B.total.penalty_total", "ytd") in text
    for n, page in enumerate(pages, 1):
        assert f"第 {n} 页 共 {len(pages)} 页" in page
    pngs = render_png(out, tmp_path / "a1", 1, len(pages))
    assert len(pngs) == len(pages) and all(ink_fraction(p) > 0.01 for p in pngs)


def test_annex1_no_data_prints_dash_and_zero_prints_zero(desk, tmp_path):
    table = desk.figures.annex1("2026-03")
    assert table.display("A.key_markets") == "—" and table.display("A.actions") == "0"
    out = write_table(desk, table, "pdf", tmp_path / "empty.pdf")
    with pdfplumber.open(out) as pdf:
        text = pdf.pages[0].extract_text()
    line = next(li for li in text.splitlines() if "辖区重点实体市场数量" in li)
    assert line.rstrip().endswith("— —")
    line = next(li for li in text.splitlines() if li.startswith("开展执法行动"))
    assert line.rstrip().endswith("0 0")


def test_long_annex2_repeats_header_and_numbers_pages(desk, tmp_path):
    add_cases(desk, 300)
    table = desk.figures.annex2("2026")
    assert len(table.rows) >= 300
    out = write_table(desk, table, "pdf", tmp_path / "附件2.pdf")
    assert_fonts_embedded_truetype(out)
    assert_a4_landscape(out)
    pages = [page.extract_text() for page in PdfReader(out).pages]
    assert len(pages) > 10
    for n, page in enumerate(pages, 1):
        flat = squash(page)
        assert "统一社会信用代码" in flat and "处罚决定书文号" in flat, f"header missing on page {n}"
        assert f"第 {n} 页 共 {len(pages)} 页" in page
    last = squash(pages[-1])
    assert f"共{len(table.rows)}件" in last and f"{table.total_row()['amount_wan']:.4f}" in last
    assert table.rows[-1]["case_no"] in squash("".join(pages))
    # The totals are never wrapped inside their cells (columns are sized for the footer, in its bold font).
    with pdfplumber.open(out) as pdf:
        last_lines = pdf.pages[-1].extract_text().splitlines()
    total_line = next(li for li in last_lines if li.startswith("合计"))
    assert f"{table.total_row()['amount_wan']:.4f}" in total_line.split()
    pngs = render_png(out, tmp_path / "a2", 1, 2)
    assert all(ink_fraction(p) > 0.02 for p in pngs)


def test_generic_grid_renderer(tmp_path):
    header = [[Cell("盟市", rowspan=2), Cell("案件数", colspan=2)], [Cell("立案"), Cell("结案")]]
    body = [[Cell("鄂尔多斯市"), Cell("12"), Cell("9")], [Cell("合计", bold=True), Cell("12"), Cell("9")]]
    out = render_grid_pdf("全区知识产权行政保护工作情况通报", "填报单位：内蒙古自治区市场监督管理局", header, body,
                          [("审核人", "")], tmp_path / "g.pdf", widths=[2, 1, 1])
    text = squash(pdfplumber.open(out).pages[0].extract_text())
    assert "全区知识产权行政保护工作情况通报" in text and "鄂尔多斯市129" in text and "审核人" in text


def test_unknown_format_refused(desk, tmp_path):
    from ipdesk.errors import IpdeskError

    with pytest.raises(IpdeskError):
        write_table(desk, desk.figures.annex1("2026-03"), "docx", tmp_path / "x.docx")
    assert not (tmp_path / "x.docx").exists() and not list(tmp_path.glob(".x.docx*"))


def test_row_taller_than_a_page_continues_on_the_next(desk, tmp_path):
    """A very long 备注 (its narrow column makes the row several pages tall) is cut between lines
    instead of making the export fail; every character is printed, each page keeps the header."""
    add_cases(desk, 5)
    case = desk.records.get_case(desk.db.execute("SELECT id FROM cases ORDER BY id LIMIT 1").fetchone()[0])
    raw = {k: v for k, v in case.items() if k != "id"}
    desk.records.save("cases", {**raw, "remarks": "甲乙丙丁" * 150}, record_id=case["id"])
    out = write_table(desk, desk.figures.annex2("2026"), "pdf", tmp_path / "long.pdf")
    pages = [squash(page.extract_text()) for page in PdfReader(out).pages]
    assert len(pages) >= 3
    assert sum(page.count("丙") for page in pages) == 150
    for n, page in enumerate(pages, 1):
        assert "统一社会信用代码" in page and f"第{n}页共{len(pages)}页" in page


def test_grouped_header_repeats_and_row_spans_stay_on_one_page(tmp_path):
    header = [[Cell("单位", rowspan=2), Cell("期间", rowspan=2), Cell("案件数", colspan=2)],
              [Cell("立案"), Cell("结案")]]
    body = []
    for i in range(1, 61):
        body.append([Cell(f"第{i}单位", rowspan=2, align="left"), Cell("本月"), Cell(str(i)), Cell("0")])
        body.append([Cell("本年累计"), Cell(str(i * 3)), Cell("2")])
    out = render_grid_pdf("分组表头", "填报单位：测试", header, body, [("审核人", "")], tmp_path / "g.pdf",
                          widths=[3, 1.5, 1, 1])
    with pdfplumber.open(out) as pdf:
        pages = [page.extract_text().splitlines() for page in pdf.pages]
    assert len(pages) >= 3
    seen = []
    for lines in pages:
        flat = squash("".join(lines))
        assert "案件数" in flat and "立案" in flat and "结案" in flat  # both header rows on every page
        units = [i for i in range(1, 61) if f"第{i}单位" in [li.split()[0] for li in lines if li.strip()]]
        seen += units
        # A unit's two rows never part: each page holds 本月 and 本年累计 of every unit it names.
        assert sum(li.count("本月") for li in lines) == sum(li.count("本年累计") for li in lines) == len(units)
    assert seen == list(range(1, 61))
