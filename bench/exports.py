"""附件2 as PDF (1,000 cases) and as Excel (10,000 rows) against the plainest reportlab / openpyxl
writing the same cells (the floors), and against LibreOffice converting our xlsx, where installed."""
from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from ipdesk.domain.periods import Period

from .timing import Result, median_seconds

FONT_CANDIDATES = ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", r"C:\Windows\Fonts\simsun.ttc")


def annex2_of(desk, n: int, end: str = "2026-10-31"):
    """附件2 over the span ending ``end`` that holds ``n`` cases (cut to exactly ``n`` rows)."""
    row = desk.db.execute("SELECT filed_date FROM cases WHERE unit_code = ? AND filed_date <= ? "
                          "ORDER BY filed_date DESC LIMIT 1 OFFSET ?", [desk.unit["code"], end, n - 1]).fetchone()
    start = row[0] if row else "2000-01-01"
    table = desk.figures.annex2(Period.parse(end[:7]), start=start, end=end)
    table.rows = table.rows[:n]
    return table


def cells(table) -> list[list[str]]:
    cols = table.catalog.annex2_columns
    return [[c.label for c in cols]] + [["" if r[c.id] is None else str(r[c.id]) for c in cols] for r in table.rows]


def floor_pdf(rows: list[list[str]], path: Path) -> None:
    """A bare reportlab table of the same cells: embedded CJK font, grid, header repeated on each page."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import SimpleDocTemplate, Table

    if "BenchCJK" not in pdfmetrics.getRegisteredFontNames():
        font = next(p for p in FONT_CANDIDATES if Path(p).exists())
        pdfmetrics.registerFont(TTFont("BenchCJK", font, subfontIndex=0))
    table = Table(rows, repeatRows=1, style=[("FONT", (0, 0), (-1, -1), "BenchCJK", 5),
                                             ("GRID", (0, 0), (-1, -1), 0.25, colors.black)])
    SimpleDocTemplate(str(path), pagesize=landscape(A4), leftMargin=20, rightMargin=20).build([table])


def floor_xlsx(rows: list[list[str]], path: Path) -> None:
    import openpyxl

    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("附件2")
    for row in rows:
        ws.append(row)
    wb.save(path)


def libreoffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def libreoffice_pdf(xlsx: Path, outdir: Path, profile: Path) -> Path:
    subprocess.run([libreoffice(), f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(outdir), str(xlsx)], check=True, capture_output=True, timeout=600)
    return outdir / (xlsx.stem + ".pdf")


def run(desk, repeat: int, pdf_cases: int, xlsx_rows: int, warmup: int = 1) -> list[Result]:
    try:
        from ipdesk.reports.export import write_table
    except ImportError:
        note = "ipdesk.reports.export not available"
        return [Result("annex2_pdf", f"附件2 PDF {pdf_cases:,} 件", None, "s", note=note),
                Result("annex2_pdf_vs_libreoffice", "附件2 PDF 对比 LibreOffice", None, "s", note=note),
                Result("excel_export", f"Excel 导出 {xlsx_rows:,} 行", None, "s", note=note)]
    out = []
    with tempfile.TemporaryDirectory(prefix="ipdesk-bench-") as tmp:
        tmp = Path(tmp)
        small = annex2_of(desk, pdf_cases)
        rows = cells(small)
        pdf = median_seconds(lambda: write_table(desk, small, "pdf", tmp / "a2.pdf"), repeat, warmup=warmup)
        floor = median_seconds(lambda: floor_pdf(rows, tmp / "floor.pdf"), repeat, warmup=warmup)
        out.append(Result("annex2_pdf", f"附件2 PDF {len(small.rows):,} 件", pdf, "s", floor=floor,
                          goal="≤ 1.5× floor", max_ratio=1.5, note="floor: bare reportlab Table of the same cells"))
        lo = libreoffice()
        if lo:
            write_table(desk, small, "xlsx", tmp / "a2.xlsx")
            profile = tmp / "lo-profile"
            lo_s = median_seconds(lambda: libreoffice_pdf(tmp / "a2.xlsx", tmp / "lo", profile), min(repeat, 3),
                                  warmup=1)  # the warm-up run creates LibreOffice's profile
            out.append(Result("annex2_pdf_vs_libreoffice", "附件2 PDF 对比 LibreOffice 转换 xlsx", pdf, "s",
                              floor=lo_s, goal="< LibreOffice", max_ratio=0.999,
                              note="LibreOffice --headless --convert-to pdf of our xlsx"))
        else:
            out.append(Result("annex2_pdf_vs_libreoffice", "附件2 PDF 对比 LibreOffice", None, "s",
                              note="LibreOffice not installed"))
        big = annex2_of(desk, xlsx_rows)
        rows = cells(big)
        xlsx = median_seconds(lambda: write_table(desk, big, "xlsx", tmp / "a2-big.xlsx"), repeat, warmup=warmup)
        floor = median_seconds(lambda: floor_xlsx(rows, tmp / "floor.xlsx"), repeat, warmup=warmup)
        out.append(Result("excel_export", f"Excel 导出 {len(big.rows):,} 行", xlsx, "s", floor=floor,
                          goal="≤ 1.5× floor", max_ratio=1.5, note="floor: openpyxl write-only of the same cells"))
    return out
