"""Report preview: a real PDF shown in QPdfView, save as PDF/Excel, print to a PDF-format printer,
and the 附件1/附件2 screens' 预览/打印 buttons."""
from __future__ import annotations

from openpyxl import load_workbook
from pypdf import PdfReader
from PySide6.QtPrintSupport import QPrinter

from ipdesk.reports.export import write_table
from ipdesk.ui.preview import ReportPreview, show_report_preview


def _preview(ctx, qtbot, build_pdf, build_xlsx=None):
    opened = []
    show_report_preview(ctx, build_pdf, build_xlsx, title="附件2 预览", on_open=opened.append)
    assert len(opened) == 1
    dialog = opened[0]
    return dialog


def test_preview_shows_pdf_saves_and_prints(demo_ctx, qtbot, tmp_path):
    desk = demo_ctx.desk
    expected = len(PdfReader(write_table(desk, desk.figures.annex2("2026"), "pdf", tmp_path / "ref.pdf")).pages)
    dialog = _preview(demo_ctx, qtbot,
                      lambda p, progress=None: write_table(desk, desk.figures.annex2("2026"), "pdf", p, progress),
                      lambda p: write_table(desk, desk.figures.annex2("2026"), "xlsx", p))
    assert isinstance(dialog, ReportPreview) and dialog.isVisible()
    assert dialog.page_count() == expected >= 2
    assert dialog.view.document() is dialog.document and dialog.save_xlsx_button.isVisibleTo(dialog)
    temp_pdf = dialog.pdf_path
    assert temp_pdf.exists()

    (tmp_path / "另存").mkdir()
    saved = dialog.save_pdf(tmp_path / "另存" / "附件2.pdf")
    assert len(PdfReader(saved).pages) == expected and dialog.folder() == saved.parent
    dialog.save_xlsx(tmp_path / "附件2.xlsx")
    wb = load_workbook(tmp_path / "附件2.xlsx")
    assert wb.sheetnames[0] == "附件2" and wb.active.max_row > 10 and dialog.last_saved == tmp_path / "附件2.xlsx"

    printer = dialog.make_printer()
    assert printer.resolution() == 300
    printer.setOutputFormat(QPrinter.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    assert dialog.print_to(printer) == expected
    printed = PdfReader(tmp_path / "printed.pdf")
    assert len(printed.pages) == expected
    page = printed.pages[0]
    assert float(page.mediabox.width) > float(page.mediabox.height)  # landscape like the report
    assert (tmp_path / "printed.pdf").stat().st_size > 50_000  # rasterised pages, not empty ones

    dialog.close()
    assert not temp_pdf.parent.exists()  # the temporary preview folder is removed


def test_preview_without_excel_hides_the_button(ctx, qtbot, tmp_path):
    desk = ctx.desk
    dialog = _preview(ctx, qtbot, lambda p, progress=None: write_table(desk, desk.figures.annex1("2026-03"), "pdf", p, progress))
    assert dialog.page_count() >= 1 and not dialog.save_xlsx_button.isVisibleTo(dialog)
    dialog.close()


def test_preview_build_failure_shows_no_dialog(ctx, qtbot, monkeypatch):
    from ipdesk.errors import IpdeskError
    from ipdesk.ui import ops as ops_module

    shown = []
    monkeypatch.setattr(ops_module, "show_error", lambda exc, parent=None: shown.append(exc))

    def fail(_path, _progress=None):
        raise IpdeskError("没有可用的中文字体", "no font")
    opened = []
    show_report_preview(ctx, fail, on_open=opened.append)
    assert not opened and isinstance(shown[0], IpdeskError)


def test_annex_screens_open_the_preview(window, qtbot):
    page = window.navigate("annex1")
    page.preview_button.click()
    dialog = page.last_preview
    assert dialog.page_count() >= 2 and page.period().label in dialog.windowTitle()
    dialog.close()

    page2 = window.navigate("annex2")
    page2.preview_button.click()
    dialog2 = page2.last_preview
    assert dialog2.page_count() >= 1 and "附件2" in dialog2.windowTitle()
    dialog2.close()


def test_annex1_summary_button_previews_the_half_year_or_year(window):
    page = window.navigate("annex1")
    page.set_period("2026-03")
    page.summary_button.click()
    dialog = page.last_preview
    assert "2026年上半年" in dialog.windowTitle() and dialog.page_count() >= 3
    assert dialog.save_xlsx_button.isVisibleTo(dialog) and dialog.file_stem.endswith("总结材料-2026-H1")
    dialog.close()
    page.set_period("2026-10")
    page.summary_button.click()
    assert page.last_preview.windowTitle().endswith("2026年") and page.last_preview is not dialog
    page.last_preview.close()


def test_print_reports_previews_and_prints_both_attachments_in_one_action(window, demo_desk, qtbot, tmp_path):
    """文件 → 打印报表 on the 附件1 page: 附件1 and 附件2 of the month shown, in one preview, printed (to PDF) in one
    go and saved as one PDF and one workbook."""
    import pdfplumber

    page = window.navigate("annex1")
    page.set_period("2026-09")
    n1 = len(PdfReader(write_table(demo_desk, demo_desk.figures.annex1("2026-09"), "pdf", tmp_path / "a1.pdf")).pages)
    n2 = len(PdfReader(write_table(demo_desk, demo_desk.figures.annex2("2026-09"), "pdf", tmp_path / "a2.pdf")).pages)
    assert window.print_action in window.menuBar().actions()[0].menu().actions()
    opened = []
    window.print_reports(on_open=opened.append)
    dialog = opened[0]
    qtbot.addWidget(dialog)
    assert "2026年9月" in dialog.windowTitle() and dialog.page_count() >= n1 + n2
    printer = dialog.make_printer()
    printer.setOutputFormat(QPrinter.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    assert dialog.print_to(printer) == dialog.page_count()  # both attachments, one print job
    assert len(PdfReader(tmp_path / "printed.pdf").pages) == dialog.page_count()
    saved = dialog.save_pdf(tmp_path / "报表.pdf")
    with pdfplumber.open(saved) as pdf:
        texts = [p.extract_text() or "" for p in pdf.pages]
    assert texts[0].startswith("附件1") and texts[n1].startswith("附件2")
    dialog.save_xlsx(tmp_path / "报表.xlsx")
    assert load_workbook(tmp_path / "报表.xlsx").sheetnames[:2] == ["附件1", "附件2"]
    dialog.close()
