"""Every exported form of 24 months of demo data, read back as printed: totals are the sums of their
printed parts, and 附件1's money equals 附件2's matching total — in the Excel files (openpyxl) and the PDFs
(pdfplumber), for every month, quarter and half. 附件1 prints on two A4 landscape pages."""
import re
from decimal import Decimal

import pdfplumber
from openpyxl import load_workbook

from ipdesk.domain.periods import Period
from ipdesk.reports.export import write_table
from ipdesk.exchange.excel_form import read_ipdesk_map
from ipdesk.reports.xlsx import MIN_PRINT_SCALE, print_scale
from ipdesk.stats.annex2 import ANNEX1_LABEL, LISTED_LABEL

from .report_helpers import column_px

NUMBER = re.compile(r"^-?\d+(\.\d+)?$|^—$")


def _periods(today) -> list[Period]:
    codes = [f"{y}-{m:02d}" for y in (2025, 2026) for m in range(1, 13)]
    codes += [f"{y}-Q{q}" for y in (2025, 2026) for q in range(1, 5)] + [f"{y}-H{h}" for y in (2025, 2026)
                                                                       for h in (1, 2)]
    return [p for p in map(Period.parse, codes) if p.start <= today]


def _d(v) -> Decimal:
    return Decimal(str(v)).quantize(Decimal("0.0001"))


def _check_grid(cat, printed: dict, where: str) -> int:
    """``printed[(cell id, which)]`` (Decimal or int) foots along every 小计/合计 row and total column."""
    checked = 0
    part = cat.part("B")
    for which in ("current", "ytd"):
        for row in part.rows:
            for col in part.columns:
                cid = f"B.{row.id}.{col.id}"
                terms = cat.derived_terms(cid)
                if not terms:
                    continue
                total = sum(sign * printed[(t, which)] for sign, t in terms)
                assert printed[(cid, which)] == total, f"{where} {cid} {which}: {printed[(cid, which)]} != {total}"
                checked += 1
                if row.sum_of and col.sum_of:  # 合计·罚没款合计 is also its own row's 罚款 + 没收
                    across = sum((-1 if c[0] == "-" else 1) * printed[(f"B.{row.id}.{c.lstrip('-')}", which)]
                                 for c in col.sum_of)
                    assert printed[(cid, which)] == across, f"{where} {cid} {which} across"
    return checked


def _xlsx_annex1(path, cat) -> dict:
    wb = load_workbook(path)
    _, cells = read_ipdesk_map(wb)
    out = {}
    for (cid, which), (sheet, coord) in cells.items():
        v = wb[sheet][coord].value
        cell = cat.cell(cid)
        out[(cid, which)] = None if v is None else (_d(v) if cell.is_money else v)
    ws = wb[wb.sheetnames[0]]
    _prints_readably(ws)
    assert len(ws.row_breaks.brk) == 1 and ws.page_setup.scale  # two pages, at a set scale
    return out


def _prints_readably(ws) -> None:
    """The sheet's columns, as stored, fit one A4 landscape page wide at ≥ 70 %, and its scale fits them."""
    widths = [column_px(ws, c) / 7 for c in range(1, ws.max_column + 1)]  # px back to characters (w·7+5)/7
    fit = print_scale([w - 5 / 7 for w in widths])
    assert fit >= MIN_PRINT_SCALE, fit
    if ws.page_setup.scale:
        assert int(ws.page_setup.scale) <= fit


def _xlsx_annex2(path) -> tuple[list[list], dict[str, list]]:
    ws = load_workbook(path).worksheets[0]
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    head = next(i for i, r in enumerate(rows) if r[0] == "序号")
    cols = rows[head]
    money = [i for i, label in enumerate(cols) if label and "万元" in str(label)]
    body, totals = [], {}
    for r in rows[head + 1:]:
        if r[0] in (LISTED_LABEL, ANNEX1_LABEL):
            totals[r[0]] = [r[i] for i in money]
        elif isinstance(r[0], int) and not totals:
            body.append([r[i] for i in money])
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    _prints_readably(ws)
    return body, totals


def _pdf_grid_lines(path) -> tuple[int, list[list[str]]]:
    """附件1's part B as printed: pages, and each 本月/本年累计 line's figures in order."""
    with pdfplumber.open(path) as pdf:
        pages = len(pdf.pages)
        lines = []
        for page in pdf.pages:
            text = page.extract_text() or ""
            if "二、案件查办" not in text:
                continue
            for line in text.splitlines():
                words = line.split()
                for k, w in enumerate(words):
                    if w in ("本月", "本期", "本年累计"):
                        nums = words[k + 1:]
                        if len(nums) == 19 and all(NUMBER.match(n) for n in nums):
                            lines.append(nums)
                        break
    return pages, lines


def _pdf_annex2_totals(path) -> dict[str, list[str]]:
    with pdfplumber.open(path) as pdf:
        text = "\n".join(page.extract_text() or "" for page in pdf.pages)
    out = {}
    for line in text.splitlines():
        for label in (LISTED_LABEL, ANNEX1_LABEL):
            if line.replace(" ", "").startswith(label):
                out[label] = [w for w in line.split() if NUMBER.match(w)][-2:]
    return out


def test_every_exported_form_foots_and_the_attachments_agree(demo_desk, tmp_path):
    checked = 0
    periods = _periods(demo_desk.today())
    assert len(periods) >= 34  # 23 months, 8 quarters, 4 halves (today is 2026-11-22)
    for p in periods:
        a1, a2 = demo_desk.figures.annex1(p), demo_desk.figures.annex2(p)
        cat = a1.catalog
        x1 = write_table(demo_desk, a1, "xlsx", tmp_path / f"a1-{p.code}.xlsx")
        x2 = write_table(demo_desk, a2, "xlsx", tmp_path / f"a2-{p.code}.xlsx")
        f1 = write_table(demo_desk, a1, "pdf", tmp_path / f"a1-{p.code}.pdf")
        f2 = write_table(demo_desk, a2, "pdf", tmp_path / f"a2-{p.code}.pdf")
        # Excel 附件1: every cell as displayed; every total the sum of its printed parts.
        printed = _xlsx_annex1(x1, cat)
        for (cid, which), v in printed.items():
            if isinstance(v, (int, float)) and cat.cell(cid).unit == "%":
                v = f"{v:.1f}"  # as its 0.0 number format shows it
            assert ("—" if v is None else str(v)) == a1.display(cid, which), (p.code, cid, which)
        checked += _check_grid(cat, printed, f"{p.code} xlsx")
        # PDF 附件1: two pages; part B read back line by line foots the same way.
        pages, lines = _pdf_grid_lines(f1)
        assert pages <= 2, p.code
        part = cat.part("B")
        assert len(lines) == 2 * len(part.rows), p.code
        from_pdf = {}
        for i, nums in enumerate(lines):
            row, which = part.rows[i // 2], ("current", "ytd")[i % 2]
            for col, n in zip(part.columns, nums):
                cid = f"B.{row.id}.{col.id}"
                from_pdf[(cid, which)] = _d(n) if cat.cell(cid).is_money else int(n)
                assert n == a1.display(cid, which), (p.code, cid, which)
        checked += _check_grid(cat, from_pdf, f"{p.code} pdf")
        # 附件2 Excel: the listed total is the sum of the printed rows; the second total is 附件1's figure.
        body, totals = _xlsx_annex2(x2)
        for k in range(2):
            listed = sum((_d(r[k]) for r in body if r[k] not in (None, "—")), Decimal("0.0000"))
            assert _d(totals[LISTED_LABEL][k]) == listed, (p.code, k)
        assert [_d(v) for v in totals[ANNEX1_LABEL]] == [printed[("B.total.amount", "current")],
                                                        printed[("B.total.penalty_total", "current")]], p.code
        # 附件2 PDF: the same two totals as printed.
        pdf_totals = _pdf_annex2_totals(f2)
        assert set(pdf_totals) == {LISTED_LABEL, ANNEX1_LABEL}, (p.code, pdf_totals)
        assert [_d(v) for v in pdf_totals[LISTED_LABEL]] == [_d(v) for v in totals[LISTED_LABEL]], p.code
        assert [_d(v) for v in pdf_totals[ANNEX1_LABEL]] == [from_pdf[("B.total.amount", "current")],
                                                             from_pdf[("B.total.penalty_total", "current")]], p.code
    assert checked > 10_000
