"""Draw a :class:`~ipdesk.reports.layout.Report` as an A4 landscape PDF (reportlab): title in the
黑体 role, body in 仿宋/宋体, header rows repeated on every page, CJK wrapping, "第 X 页 共 Y 页" page numbers,
说明 and the signature block under the table. Fonts are embedded TrueType subsets."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Callable

from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (CondPageBreak, Flowable, KeepTogether, PageBreak, Paragraph, SimpleDocTemplate, Spacer,
                                Table, TableStyle)

from ..outputs import replace_output
from .fonts import ReportFonts, find_fonts
from .layout import Block, Cell, Report, place as _place
from .pdf_grid import GridTable
from ..db.identity import refuse_protected_output

PAGE = landscape(A4)
MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = 14 * mm, 12 * mm, 16 * mm
FRAME_PADDING = 6  # reportlab's frames keep 6 pt inside each edge
_ALIGN = {"left": TA_LEFT, "center": TA_CENTER, "right": TA_RIGHT}


class _Styles:
    """Paragraph styles per (font role, size, alignment), made once per document."""

    def __init__(self, fonts: ReportFonts):
        self.fonts = fonts
        self._cache: dict[tuple, ParagraphStyle] = {}

    def get(self, size: float, align: str = "center", bold: bool = False, leading: float | None = None):
        key = (size, align, bold, leading)
        if key not in self._cache:
            self._cache[key] = ParagraphStyle(
                f"s{len(self._cache)}", fontName=(self.fonts.title if bold else self.fonts.body).name,
                fontSize=size, leading=leading or size * 1.25, alignment=_ALIGN[align], wordWrap="CJK",
                splitLongWords=True)
        return self._cache[key]


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\n", "<br/>")


SIGNATURE_PER_LINE = 3  # 填报单位（盖章）/填报人/审核人, then 单位负责人/联系电话/填报日期


def _signature(report: Report, styles: _Styles, width: float) -> Table:
    size = 10.5
    fields = report.signature
    per = SIGNATURE_PER_LINE if len(fields) > 5 else len(fields)
    lines = [fields[i:i + per] for i in range(0, len(fields), per)]
    # Each column as wide as its longest printed text (a blank one leaves room to write six characters by
    # hand), the rest shared out: counting characters gave a long unit name too little room.
    need = [0.0] * per
    for line in lines:
        for k, (label, value) in enumerate(line):
            need[k] = max(need[k], stringWidth(f"{label}：{value}", styles.fonts.body.name, size)
                          + (6 * size if not value else 0) + 8)
    spare = width - sum(need)
    widths = [n + spare / per for n in need] if spare >= 0 else [width * n / sum(need) for n in need]
    data = [[Paragraph(_escape(f"{label}：{value}"), styles.get(size, "left")) for label, value in line]
            + [""] * (per - len(line)) for line in lines]
    table = Table(data, colWidths=widths)
    table.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
                               ("FONT", (0, 0), (-1, -1), styles.fonts.body.name, 10.5)]))
    return table


def _coverage_cell(text: str, report: Report, styles: _Styles, width: float, widths: list[float]) -> Paragraph:
    """The coverage line between 填报单位 and 统计期间, on their line (``widths`` becomes three columns): the
    forms fill their pages (a line more moved part 二's last rows and the signatures to a third page), so
    it shrinks from 9 pt to fit the room left, down to 6.5 pt."""
    font = styles.fonts.body.name
    sides = [stringWidth(t, font, 10.5) + 12 for t in (report.subtitle_left, report.subtitle_right)]
    room = max(width * 0.3, width - sum(sides))
    widths[:] = [sides[0], room, width - sides[0] - room]
    size = max(6.5, min(9.0, int(room / stringWidth(text, font, 1) * 2) / 2))
    return Paragraph(_escape(text), styles.get(size, "center", leading=min(size * 1.2, 12)))


def build_story(report: Report, fonts: ReportFonts, width: float, height: float | None = None) -> list:
    """The report as flowables for a frame ``width`` wide and ``height`` high (rows taller than
    ``height`` are cut to fit)."""
    styles = _Styles(fonts)
    story: list = []
    if report.annex_label:
        story.append(Paragraph(_escape(report.annex_label), ParagraphStyle(
            "annex", fontName=fonts.title.name, fontSize=12, leading=15)))
    story.append(Paragraph(_escape(report.title), ParagraphStyle(
        "title", fontName=fonts.title.name, fontSize=18, leading=24, alignment=TA_CENTER, spaceAfter=4)))
    if report.subtitle_left or report.subtitle_right or report.coverage:
        row = [Paragraph(_escape(report.subtitle_left), styles.get(10.5, "left")),
               Paragraph(_escape(report.subtitle_right), styles.get(10.5, "right"))]
        widths = [width * 0.6, width * 0.4]
        if report.coverage:
            row.insert(1, _coverage_cell(report.coverage, report, styles, width, widths))
        sub = Table([row], colWidths=widths)
        sub.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), fonts.body.name, 10.5),
                                 ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                                 ("BOTTOMPADDING", (0, 0), (-1, -1), 3)]))
        story.append(sub)
    for i, block in enumerate(report.blocks):
        if block.new_page and i:
            story.append(PageBreak())
        elif i:
            story.append(Spacer(1, 4 * mm))
            story.append(CondPageBreak(40 * mm))  # never a caption and a header alone at a page's foot
        if block.caption:
            story.append(Paragraph(_escape(block.caption), ParagraphStyle(
                f"cap{i}", fontName=fonts.title.name, fontSize=11, leading=15, spaceAfter=2)))
        story.append(GridTable.of(block, fonts, width, height))
        for figure in block.figures:
            drawing = figure(fonts, width)
            story.append(Spacer(1, 3 * mm))
            story.append(CondPageBreak(getattr(drawing, "height", 0) + 2 * mm))
            story.append(drawing)
    tail: list = []
    if report.notes:
        note_style = styles.get(9, "left", leading=12.5)
        tail.append(Spacer(1, 2.5 * mm))
        tail.append(Paragraph("说明：", ParagraphStyle("notes", parent=note_style, fontName=fonts.title.name)))
        tail += [Paragraph(_escape(f"{n}. {text}"), note_style) for n, text in enumerate(report.notes, 1)]
    if report.signature:
        tail.append(Spacer(1, 4 * mm))
        tail.append(_signature(report, styles, width))
    if tail:
        last = story[-1] if story else None
        if isinstance(last, GridTable):  # the signatures go with the table's last rows, never alone
            story[-1] = KeepWithTail(last, tail, height)
        else:
            story.append(KeepTogether(tail))
    return story


KEEP_ROWS = 3  # rows of a table (with its total rows) that go over with the signature block


class KeepWithTail(Flowable):
    """A table followed by its 说明 and signature block: when the tail does not fit under the table's
    last rows, a few of those rows move to the next page with it, so the signatures never stand alone."""

    def __init__(self, table: GridTable, tail: list, page_height: float | None = None):
        super().__init__()
        self.table, self.tail, self.page_height = table, tail, page_height
        self._sizes: list = []

    def wrap(self, avail_width, avail_height):
        self._sizes = [f.wrap(avail_width, avail_height) for f in (self.table, *self.tail)]
        self.width = avail_width
        self.height = sum(h for _, h in self._sizes)
        return self.width, self.height

    def draw(self):
        y = self.height
        for f, (_, h) in zip((self.table, *self.tail), self._sizes):
            y -= h
            f.drawOn(self.canv, 0, y)

    def split(self, avail_width, avail_height):
        _, table_height = self.table.wrap(avail_width, avail_height)
        if table_height > avail_height:
            pieces = self.table.split(avail_width, avail_height, min_rest=KEEP_ROWS)
            if len(pieces) < 2:
                return []
            return [pieces[0], KeepWithTail(pieces[1], self.tail, self.page_height)]
        head = self.table.split_last(KEEP_ROWS)
        if head is None:  # too few rows to part with: all of it on the next page (if a page can hold it)
            return [] if self.page_height is None or self.height <= self.page_height else [self.table, *self.tail]
        first, rest = head
        return [first, PageBreak(), KeepWithTail(rest, self.tail, self.page_height)]


def page_label(n: int, total: int) -> str:
    return f"第 {n} 页 共 {total} 页"


def _numbered_canvas(fonts: ReportFonts):
    """A canvas that holds its pages until the end, then writes 第 X 页 共 Y 页 on each (the total is known
    only once the story is laid out)."""
    from reportlab.pdfgen.canvas import Canvas

    class NumberedCanvas(Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._held: list[dict] = []

        def showPage(self):
            self._held.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._held)
            for state in self._held:
                self.__dict__.update(state)
                self.saveState()
                self.setFont(fonts.body.name, 10.5)
                self.drawCentredString(PAGE[0] / 2, 8 * mm, page_label(self._pageNumber, total))
                self.restoreState()
                super().showPage()
            super().save()

    return NumberedCanvas


def follow_pages(doc, progress: Callable[[str], None]) -> None:
    """Each page drawn is a report: a year's 附件2 (hundreds of pages) stops soon after 取消 — what ``progress``
    raises leaves reportlab, and the caller removes its temporary file."""
    doc.setProgressCallBack(lambda kind, value: progress(f"正在排版：第 {value} 页") if kind == "PAGE" else None)


def render_report(report: Report, path: str | Path, fonts: ReportFonts | None = None,
                  progress: Callable[[str], None] | None = None) -> Path:
    """Write ``report`` to ``path`` atomically (a temporary file in the same folder, then replace)."""
    refuse_protected_output(path)
    fonts = fonts or find_fonts()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    width = PAGE[0] - 2 * MARGIN_X
    doc = SimpleDocTemplate(str(tmp), pagesize=PAGE, leftMargin=MARGIN_X, rightMargin=MARGIN_X,
                            topMargin=MARGIN_TOP, bottomMargin=MARGIN_BOTTOM, title=report.title,
                            author=report.meta.get("unit_name", ""), creator="ipdesk 知识产权行政保护工作台",
                            subject=report.subtitle_right, initialFontName=fonts.body.name)
    try:
        if progress:
            progress("正在排版…")
            follow_pages(doc, progress)
        story = build_story(report, fonts, width, doc.height - 2 * FRAME_PADDING)
        doc.build(story, canvasmaker=_numbered_canvas(fonts))
        replace_output(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
    return path


def render_grid_pdf(title: str, subtitle: str, header_rows: list[list[Cell]], body_rows: list[list[Cell]],
                    footer: list[tuple[str, str]], path: str | Path, *, widths: list[float] | None = None,
                    notes: list[str] | None = None, subtitle_right: str = "", font_size: float = 9.0,
                    fonts: ReportFonts | None = None) -> Path:
    """One table as an official form: for consolidated tables, bulletins and other later reports."""
    ncols = max(sum(cell.colspan if isinstance(cell, Cell) else 1 for cell in row) for row in header_rows)
    _place(header_rows, ncols)  # fail early on a malformed header
    block = Block(header_rows, body_rows, widths or [1.0] * ncols, font_size=font_size)
    report = Report(title, [block], subtitle_left=subtitle, subtitle_right=subtitle_right, notes=notes or [],
                    signature=footer)
    return render_report(report, path, fonts)
