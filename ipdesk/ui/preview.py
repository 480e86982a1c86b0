"""In-app preview of a report PDF (QtPdf), with 打印, 另存为 PDF/Excel and 打开所在文件夹.

The PDF is built on the background worker (a 1,000-row 附件2 takes seconds) into a temporary folder;
the dialog shows that file. Printing rasterises each page at 300 dpi (TOOLCHAIN.md: HighResolution
takes ten times longer and ~7× the spool size for no visible gain on an office printer).
"""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Callable

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, QStandardPaths, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QKeySequence, QPageLayout, QPainter, QShortcut
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (QApplication, QDialog, QFileDialog, QHBoxLayout, QLabel, QMessageBox,
                               QProgressDialog, QPushButton, QVBoxLayout, QWidget)

from ..db.identity import refuse_protected_output
from ..outputs import replace_output
from .context import AppContext
from .screen_fit import fit_size
from . import ops
from .ops import OperationCancelled

PRINT_DPI = 300
_open_previews: set = set()  # previews without a parent widget stay alive until closed


def _documents_dir() -> str:
    return QStandardPaths.writableLocation(QStandardPaths.DocumentsLocation) or str(Path.home())


class ReportPreview(QDialog):
    """Shows ``pdf_path``; ``build_xlsx(path)`` (run on the worker) writes the same report as Excel."""

    def __init__(self, ctx: AppContext, pdf_path: str | Path, *, build_xlsx: Callable[[Path], object] | None = None,
                 parent: QWidget | None = None, title: str = "报表预览", file_stem: str = "报表",
                 temp_dir: str | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.pdf_path = Path(pdf_path)
        self.build_xlsx = build_xlsx
        self.file_stem = file_stem
        self.temp_dir = temp_dir
        self.last_saved: Path | None = None
        self.setWindowTitle(title)
        self.setWindowFlag(Qt.WindowMaximizeButtonHint, True)
        fit_size(self, 1100, 780)

        self.document = QPdfDocument(self)
        self.document.load(str(self.pdf_path))
        self.view = QPdfView(self)
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)

        self.print_button = QPushButton("打印(&P)…")
        self.print_button.clicked.connect(self.print_dialog)
        self.save_pdf_button = QPushButton("另存为 PDF(&S)…")
        self.save_pdf_button.clicked.connect(self._save_pdf_clicked)
        self.save_xlsx_button = QPushButton("另存为 Excel(&E)…")
        self.save_xlsx_button.clicked.connect(self._save_xlsx_clicked)
        self.save_xlsx_button.setVisible(build_xlsx is not None)
        self.folder_button = QPushButton("打开所在文件夹(&F)")
        self.folder_button.clicked.connect(self.open_folder)
        self.folder_button.setToolTip("另存后打开保存的文件夹；未另存时打开预览用的临时文件夹")
        close = QPushButton("关闭")
        close.clicked.connect(self.close)
        self.info = QLabel(f"共 {self.page_count()} 页")
        # Zoom: the page's width filling the window (reading), the whole page (layout), or step by step.
        self.fit_width_button = QPushButton("适合宽度")
        self.fit_page_button = QPushButton("整页")
        for b, mode in ((self.fit_width_button, QPdfView.ZoomMode.FitToWidth),
                        (self.fit_page_button, QPdfView.ZoomMode.FitInView)):
            b.setCheckable(True)
            b.setAutoDefault(False)
            b.clicked.connect(lambda _=False, m=mode: self.set_zoom_mode(m))
        self.zoom_out_button = QPushButton("−")
        self.zoom_in_button = QPushButton("+")
        self.zoom_label = QLabel()
        for b, step, keys in ((self.zoom_out_button, -1, QKeySequence.ZoomOut),
                              (self.zoom_in_button, 1, QKeySequence.ZoomIn)):
            b.setAutoDefault(False)
            b.setFixedWidth(b.fontMetrics().horizontalAdvance("＋") + 24)
            b.clicked.connect(lambda _=False, k=step: self.zoom_step(k))
            b.setToolTip("缩小（Ctrl+−）" if step < 0 else "放大（Ctrl++）")
            for key in QKeySequence.keyBindings(keys):
                QShortcut(key, self, activated=lambda k=step: self.zoom_step(k))
        bar = QHBoxLayout()
        for b in (self.print_button, self.save_pdf_button, self.save_xlsx_button, self.folder_button):
            bar.addWidget(b)
        bar.addStretch(1)
        for w in (self.fit_width_button, self.fit_page_button, self.zoom_out_button, self.zoom_label,
                  self.zoom_in_button):
            bar.addWidget(w)
        bar.addSpacing(16)
        bar.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.info)
        self.view.zoomFactorChanged.connect(lambda _f: self._show_zoom())
        self.view.viewport().installEventFilter(self)
        self.set_zoom_mode(QPdfView.ZoomMode.FitToWidth)
        self.print_button.setDefault(True)
        self.finished.connect(self._cleanup)

    def page_count(self) -> int:
        return self.document.pageCount()

    # ---- zoom ----------------------------------------------------------------------------------
    ZOOM_STEPS = (0.25, 0.33, 0.5, 0.67, 0.75, 0.9, 1.0, 1.1, 1.25, 1.5, 1.75, 2.0, 2.5, 3.0, 4.0)

    def set_zoom_mode(self, mode) -> None:
        self.view.setZoomMode(mode)
        self._show_zoom()

    def effective_zoom(self) -> float:
        """The zoom shown: QPdfView's factor, or in a fit mode the one the fit gives (page width or height)."""
        mode = self.view.zoomMode()
        if mode == QPdfView.ZoomMode.Custom or not self.page_count():
            return self.view.zoomFactor()
        size = self.document.pagePointSize(0)
        dpi = self.logicalDpiX() / 72.0  # QPdfView draws a point as 1/72 inch at 100 %
        viewport = self.view.viewport().size()
        margins = self.view.documentMargins()
        width = (viewport.width() - margins.left() - margins.right()) / (size.width() * dpi)
        if mode == QPdfView.ZoomMode.FitToWidth:
            return width
        height = (viewport.height() - margins.top() - margins.bottom()) / (size.height() * dpi)
        return min(width, height)

    def zoom_step(self, direction: int) -> None:
        """To the next zoom step up (1) or down (-1) from what is shown."""
        current = self.effective_zoom()
        steps = self.ZOOM_STEPS if direction > 0 else tuple(reversed(self.ZOOM_STEPS))
        target = next((z for z in steps if (z - current) * direction > 0.01), steps[-1])
        self.view.setZoomMode(QPdfView.ZoomMode.Custom)
        self.view.setZoomFactor(target)
        self._show_zoom()

    def _show_zoom(self) -> None:
        mode = self.view.zoomMode()
        self.fit_width_button.setChecked(mode == QPdfView.ZoomMode.FitToWidth)
        self.fit_page_button.setChecked(mode == QPdfView.ZoomMode.FitInView)
        self.zoom_label.setText(f"{round(self.effective_zoom() * 100)}%")

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.Resize and hasattr(self, "zoom_label"):
            self._show_zoom()  # a fit mode's zoom follows the window (the view's viewport)
        return super().eventFilter(watched, event)

    # ---- saving ------------------------------------------------------------------------------
    def _ask_path(self, caption: str, suffix: str, filt: str) -> str:
        start = str((self.last_saved.parent if self.last_saved else Path(_documents_dir())) / f"{self.file_stem}{suffix}")
        path, _ = QFileDialog.getSaveFileName(self, caption, start, filt)
        if path and not path.lower().endswith(suffix):
            path += suffix
        return path

    def save_pdf(self, path: str | Path) -> Path:
        """Copy the previewed PDF to ``path`` (via a temporary file: never half a PDF)."""
        refuse_protected_output(path)
        path = Path(path)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        try:
            shutil.copyfile(self.pdf_path, tmp)
            replace_output(tmp, path)
        finally:
            if tmp.exists():
                tmp.unlink()
        self._saved(path)
        return path

    def save_xlsx(self, path: str | Path) -> None:
        """Build the Excel workbook at ``path`` on the worker."""
        path = Path(path)
        build = self.build_xlsx
        self.ctx.ops.run(lambda: build(path), lambda _r: self._saved(path), self._failed, parent=self,
                         progress="正在生成 Excel…", emit_changes=False)

    def _saved(self, path: Path) -> None:
        self.last_saved = path
        self.info.setText(f"共 {self.page_count()} 页　已保存：{path}")

    def _failed(self, exc: BaseException) -> None:
        ops.show_error(exc, self)

    def _save_pdf_clicked(self) -> None:
        path = self._ask_path("另存为 PDF", ".pdf", "PDF 文件 (*.pdf)")
        if path:
            try:
                self.save_pdf(path)
            except OSError as exc:
                QMessageBox.warning(self, "无法保存", f"无法保存到 {path}：{exc.strerror or exc}")

    def _save_xlsx_clicked(self) -> None:
        path = self._ask_path("另存为 Excel", ".xlsx", "Excel 工作簿 (*.xlsx)")
        if path:
            self.save_xlsx(path)

    def folder(self) -> Path:
        return (self.last_saved or self.pdf_path).parent

    def open_folder(self) -> bool:
        return QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.folder())))

    # ---- printing ----------------------------------------------------------------------------
    def make_printer(self) -> QPrinter:
        printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
        printer.setResolution(PRINT_DPI)
        printer.setDocName(self.windowTitle())
        if self.page_count():
            size = self.document.pagePointSize(0)
            landscape = size.width() > size.height()
            printer.setPageOrientation(QPageLayout.Landscape if landscape else QPageLayout.Portrait)
        printer.setFromTo(1, max(1, self.page_count()))
        return printer

    def print_dialog(self) -> None:
        printer = self.make_printer()
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle("打印")
        dialog.setMinMax(1, max(1, self.page_count()))
        if dialog.exec() == QDialog.Accepted:
            self.print_to(printer)

    def print_to(self, printer: QPrinter) -> int:
        """Draw the chosen pages into ``printer``; returns the number of pages printed."""
        n = self.page_count()
        first, last = printer.fromPage(), printer.toPage()
        if first <= 0 or last <= 0:
            first, last = 1, n
        pages = list(range(first - 1, min(last, n)))
        if not pages:
            return 0
        progress = QProgressDialog("正在打印…", "取消", 0, len(pages), self)
        progress.setWindowTitle("打印")
        progress.setWindowModality(Qt.WindowModal)
        progress.setMinimumDuration(500)
        painter = QPainter()
        if not painter.begin(printer):
            QMessageBox.warning(self, "无法打印", "无法连接打印机，请检查打印机设置。")
            return 0
        done = 0
        try:
            for k, index in enumerate(pages):
                if progress.wasCanceled():
                    break
                if k:
                    printer.newPage()
                self._draw_page(painter, printer, index)
                done += 1
                progress.setValue(k + 1)
                QApplication.processEvents()
        finally:
            painter.end()
            progress.reset()
        return done

    def _draw_page(self, painter: QPainter, printer: QPrinter, index: int) -> None:
        area = QRectF(painter.viewport())  # the printable area in device pixels at PRINT_DPI
        size = self.document.pagePointSize(index)
        scale = min(area.width() / size.width(), area.height() / size.height())
        w, h = size.width() * scale, size.height() * scale
        image = self.document.render(index, QSize(int(w), int(h)))
        target = QRectF(QPointF(area.x() + (area.width() - w) / 2, area.y() + (area.height() - h) / 2), image.size())
        painter.drawImage(target, image)

    def _cleanup(self, _result=None) -> None:
        self.document.close()
        _open_previews.discard(self)
        if self.temp_dir:
            shutil.rmtree(self.temp_dir, ignore_errors=True)


def show_report_preview(ctx: AppContext, build_pdf: Callable[[Path, Callable], object],
                        build_xlsx: Callable[[Path], object] | None = None, parent: QWidget | None = None,
                        title: str = "报表预览", file_stem: str | None = None,
                        on_open: Callable[[ReportPreview], None] | None = None) -> None:
    """Build the PDF on the worker (with progress), then show it in a :class:`ReportPreview`. ``build_pdf(path,
    progress)`` hands ``progress`` to the PDF writer, so that 取消 stops it at its next page."""
    temp_dir = tempfile.mkdtemp(prefix="ipdesk-preview-")
    stem = file_stem or title
    safe = "".join(ch for ch in stem if ch not in '\\/:*?"<>|') or "报表"
    path = Path(temp_dir) / f"{safe}.pdf"

    def opened(_result) -> None:
        dialog = ReportPreview(ctx, path, build_xlsx=build_xlsx, parent=parent, title=title, file_stem=safe,
                               temp_dir=temp_dir)
        dialog.setAttribute(Qt.WA_DeleteOnClose)
        _open_previews.add(dialog)
        dialog.show()
        if on_open:
            on_open(dialog)

    def failed(exc: BaseException) -> None:
        shutil.rmtree(temp_dir, ignore_errors=True)

        if not isinstance(exc, OperationCancelled):  # 取消: the preview simply does not open
            ops.show_error(exc, parent)

    def build(report):
        report()
        result = build_pdf(path, report)  # a temporary file only, stopped at its next page: cancelling is safe
        report()
        return result
    ctx.ops.run(build, opened, failed, parent=parent, progress="正在生成…", emit_changes=False, cancellable=True)
