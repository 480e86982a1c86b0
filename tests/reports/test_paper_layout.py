"""The forms print like the paper ones: the fill-in form's formulas and protection, signatures from the
approval, names wrapped between words, no missing glyphs."""
import openpyxl
import pdfplumber

from ipdesk.exchange.approval import approve
from ipdesk.exchange.excel_form import read_form_table
from ipdesk.reports.export import write_annex1_form, write_table
from ipdesk.reports.fonts import find_fonts
from ipdesk.reports.pdf_grid import _Metrics, break_words
from ipdesk.exchange.excel_form import read_ipdesk_map
from ipdesk.reports.xlsx import INPUT_FILL

UNIT = {"code": "150625", "name": "杭锦旗市场监督管理局"}


def test_blank_form_has_formulas_in_derived_cells_and_protects_them(tmp_path):
    path = write_annex1_form(tmp_path / "blank.xlsx", UNIT, "2026-10")
    wb = openpyxl.load_workbook(path)
    _, cells = read_ipdesk_map(wb)
    ws = wb[cells[("B.total.fine", "current")][0]]
    at = {key: ws[coord] for key, (_, coord) in cells.items()}
    assert ws.protection.sheet  # only the shaded cells can be typed in
    formula = at[("B.tm1.penalty_total", "current")].value
    assert formula == f"={at[('B.tm1.fine', 'current')].coordinate}+{at[('B.tm1.confiscated', 'current')].coordinate}"
    total = at[("B.total.penalty_total", "current")].value  # 合计 = 商标小计 + 专利小计
    assert total == (f"={at[('B.tm_subtotal.penalty_total', 'current')].coordinate}"
                     f"+{at[('B.pt_subtotal.penalty_total', 'current')].coordinate}")
    sub = at[("B.tm_subtotal.filed", "ytd")].value
    assert sub.startswith("=") and at[("B.tm1.filed", "ytd")].coordinate in sub and sub.count("+") == 4
    open_end = at[("B.pt1.open_end", "current")].value
    assert open_end == (f"={at[('B.pt1.open_start', 'current')].coordinate}+{at[('B.pt1.filed', 'current')].coordinate}"
                        f"-{at[('B.pt1.closed', 'current')].coordinate}")
    assert "ROUND(" in at[("C.abnormal_rate", "current")].value
    for key in (("B.total.penalty_total", "current"), ("B.tm_subtotal.filed", "ytd")):
        assert at[key].protection.locked
    for key in (("B.tm1.fine", "current"), ("A.actions", "ytd"), ("A.key_markets", "current")):
        cell = at[key]
        assert cell.value is None and not cell.protection.locked
        assert cell.fill.fgColor.rgb.endswith(INPUT_FILL.lstrip("#").upper())


def test_typed_form_whose_formulas_were_never_calculated_reads_its_sums(tmp_path):
    path = write_annex1_form(tmp_path / "blank.xlsx", UNIT, "2026-10")
    wb = openpyxl.load_workbook(path)
    _, cells = read_ipdesk_map(wb)
    for (cid, which), value in {("B.tm1.filed", "current"): 2, ("B.tm1.filed_general", "current"): 2,
                                ("B.tm1.fine", "current"): 1.5, ("B.tm1.confiscated", "current"): 0.25,
                                ("B.tm1.filed", "ytd"): 2, ("B.tm1.filed_general", "ytd"): 2}.items():
        sheet, coord = cells[(cid, which)]
        wb[sheet][coord] = value
    wb.save(path)  # openpyxl keeps the formulas but computes nothing (Excel would)
    table, _ = read_form_table(path)
    assert table.value("B.total.penalty_total") == 1_750_000 and table.value("B.tm_subtotal.filed") == 2
    assert table.value("B.tm1.open_end") == 2 and table.value("B.total.open_end", "ytd") == 2


def test_approved_month_signature_is_filled_from_the_approval(demo_desk, tmp_path):
    approve(demo_desk, "2025-01", "管理员")
    out = write_table(demo_desk, demo_desk.figures.annex1("2025-01"), "pdf", tmp_path / "a1.pdf")
    with pdfplumber.open(out) as pdf:
        assert len(pdf.pages) == 2
        last = "".join((pdf.pages[-1].extract_text() or "").split())
    assert "审核人：管理员" in last and "填报人：赵丽娜" in last and "单位负责人：" in last
    assert "填报日期：2026年11月22日" in last and "第2页共2页" in last
    # the signatures share the page with the table's rows, never alone
    assert "二、案件查办" in last and "合计" in last


def test_names_and_bracketed_numbers_wrap_between_words():
    m = _Metrics(find_fonts().body.name, 7.5)
    assert [t for t, _ in break_words("刘海军、赵丽娜", 24, m)] == ["刘海军、", "赵丽娜"]
    assert [t for t, _ in break_words("耐克 NIKE 第3号、阿迪达斯（第25类）", 40, m)] == \
        ["耐克 NIKE", "第3号、", "阿迪达斯", "（第25类）"]
    assert any("〔2026〕" in t for t, _ in break_words("鄂东市监立字〔2026〕12号", 40, m))


def test_every_printed_note_has_its_glyphs_in_the_font(demo_desk):
    """A character the embedded font lacks prints as a box (the summary's U+2212 minus did)."""
    from reportlab.pdfbase.pdfmetrics import getFont

    from ipdesk.reports.annex_layout import annex1_report, annex2_report
    from ipdesk.reports.summary import build_summary, summary_report

    fonts = find_fonts()
    october = demo_desk.figures.annex1("2026-10")
    reports = [annex1_report(october, unit=demo_desk.unit, period=october.period),
               annex2_report(demo_desk.figures.annex2("2026-10"), unit=demo_desk.unit),
               summary_report(build_summary(demo_desk, "2026-H1"))]
    for font in (fonts.body, fonts.title):
        have = getFont(font.name).face.charToGlyph
        for report in reports:
            text = "".join(report.notes) + report.title + "".join(f"{a}{b}" for a, b in report.signature)
            missing = {ch for ch in text if ord(ch) not in have and not ch.isspace()}
            assert not missing, (font.name, report.title, missing)


def test_a_lone_of_which_row_is_printed_under_its_indicator():
    """三、其他工作 printed 上级转办, then a group cell 上级转办 beside 其中电商: the name twice, one under the other."""
    from ipdesk.catalog import get_catalog
    from ipdesk.reports.annex_layout import _list_block

    catalog = get_catalog()
    part = next(p for p in catalog.parts if p.id == "C")
    block = _list_block(part, catalog, None, "本月", [1, 1, 1, 1, 1])
    labels = [[c.text for c in row[:2]] for row in block.body]
    first = [row[0] for row in labels]
    assert first.count("上级转办") == 1
    at = first.index("上级转办")
    assert labels[at + 1][0].strip() == "其中电商" and block.body[at + 1][0].colspan == 2
    assert "行政调解" in first  # a real group keeps its group cell
