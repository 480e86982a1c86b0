"""Draw a :class:`~ipdesk.reports.layout.Report` as an A4 landscape PDF (reportlab): title in the
黑体 role, body in 仿宋/宋体, header rows repeated on every page, CJK wrapping, "— N —" page numbers,
说明 and the signature line under the table. Fonts are embedded TrueType subsets."""
from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Callable

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (CondPageBreak, Flowable, KeepTogether, LongTable, PageBreak, Paragraph, SimpleDocTemplate,
                                Spacer, Table, TableStyle)

from .fonts import ReportFonts, find_fonts
from .layout import Block, Cell, Report, place

PAGE = landscape(A4)
MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = 14 * mm, 12 * mm, 16 * mm
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


_TOKEN = re.compile(r"[A-Za-z0-9.\-/:%]+|\s+|.")
_NO_LINE_START = set("，。、；：）》」』】”’！？,.;:)!?%")


class _Lines(Flowable):
    """Cell text broken into lines once and drawn directly. Chinese breaks between any two characters,
    runs of Latin letters and digits (dates, amounts, codes) stay whole where they fit, closing
    punctuation never starts a line. A Paragraph costs ~10× more per cell, which made a 1,000-row
    附件2 take half a minute."""

    def __init__(self, text: str, font: str, size: float, align: str, leading: float):
        super().__init__()
        self.text, self.font, self.size, self.align, self.leading = text, font, size, align, leading
        self._for_width = None
        self.lines: list[str] = []

    def _break(self, width: float) -> list[str]:
        lines: list[str] = []
        for para in self.text.split("\n"):
            line, used = "", 0.0
            for tok in _TOKEN.findall(para):
                w = stringWidth(tok, self.font, self.size)
                if used + w <= width or not line or (tok in _NO_LINE_START and used + w <= width * 1.08):
                    if w > width and len(tok) > 1:  # a token wider than the cell: break it by characters
                        for ch in tok:
                            cw = stringWidth(ch, self.font, self.size)
                            if used + cw > width and line:
                                lines.append(line)
                                line, used = "", 0.0
                            line, used = line + ch, used + cw
                        continue
                    line, used = line + tok, used + w
                else:
                    lines.append(line.rstrip())
                    tok = tok.lstrip()
                    line, used = tok, stringWidth(tok, self.font, self.size)
            lines.append(line.rstrip())
        return lines

    def wrap(self, avail_width, avail_height):
        if self._for_width != avail_width:  # tables ask again at draw time: answer from the cache
            self.lines = self._break(avail_width)
            self._for_width = avail_width
        self.width, self.height = avail_width, self.leading * len(self.lines)
        return self.width, self.height

    def draw(self):
        c = self.canv
        c.setFont(self.font, self.size)
        y = self.height - self.size * 0.95
        for line in self.lines:
            if self.align == "left":
                c.drawString(0, y, line)
            elif self.align == "right":
                c.drawRightString(self.width, y, line)
            else:
                c.drawCentredString(self.width / 2, y, line)
            y -= self.leading


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\n", "<br/>")


def _tables(block: Block, styles: _Styles, width: float) -> list[Table]:
    """The block's table, and its footer rows (totals) as a second table drawn flush below: spans in
    a long table make reportlab recompute them at every page break."""
    # Column widths also make room for the footer's totals (a sum is wider than any one amount).
    extra = place(block.footer, len(block.widths))[0] if block.footer else []
    main = _table(block, block.header, block.body, styles, width, measure_extra=extra)
    if not block.footer:
        return [main]
    foot = _table(block, [], block.footer, styles, width, col_widths=main._argW)
    return [main, foot]


def _table(block: Block, header, body, styles: _Styles, width: float, col_widths=None, measure_extra=()) -> Table:
    ncols = len(block.widths)
    nhead = len(header)
    grid, spans = place(header + body, ncols)
    size = block.font_size
    leading = size * (1.15 if size < 8 else 1.25)
    pad = 1.5 if size < 8 else 2.5
    col_widths = col_widths or _column_widths(block, grid[nhead:] + list(measure_extra), width,
                                              styles.fonts.body.name, size, bold_font=styles.fonts.title.name)
    data = []
    for r, row in enumerate(grid):
        out = []
        for c, item in enumerate(row):
            if item is None:
                out.append("")
                continue
            bold = item.bold or r < nhead
            if not item.text:
                out.append("")
                continue
            font = (styles.fonts.title if bold else styles.fonts.body).name
            out.append(_Lines(item.text, font, size, item.align, leading))
        data.append(out)
    style = [
        ("FONT", (0, 0), (-1, -1), styles.fonts.body.name, size),  # else empty cells pull in Helvetica
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("BOX", (0, 0), (-1, -1), 1.0, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 2),
        ("RIGHTPADDING", (0, 0), (-1, -1), 2),
        ("TOPPADDING", (0, 0), (-1, -1), pad),
        ("BOTTOMPADDING", (0, 0), (-1, -1), pad),
    ]
    style += [("SPAN", (c0, r0), (c1, r1)) for r0, c0, r1, c1 in spans]
    if nhead:
        style.append(("LINEBELOW", (0, nhead - 1), (-1, nhead - 1), 1.0, colors.black))
    cls = LongTable if len(data) > 200 else Table
    heights = _row_heights(grid, data, col_widths, pad, size)
    return cls(data, colWidths=col_widths, rowHeights=heights, repeatRows=nhead, style=TableStyle(style))


def _row_heights(grid, data, col_widths, pad: float, size: float) -> list[float]:
    """Each row's height, measured once: reportlab would re-measure every remaining row at every
    page break (quadratic in the rows of a long 附件2)."""
    heights = []
    for r, row in enumerate(grid):
        h = size * 1.15
        for c, item in enumerate(row):
            if item is None or item.rowspan > 1 or not data[r][c]:
                continue
            width = sum(col_widths[c:c + item.colspan]) - 4
            h = max(h, data[r][c].wrap(width, 10_000)[1])
        heights.append(h + 2 * pad)
    return heights


def _unbreakable(text: str) -> bool:
    """Dates, amounts, codes: text that reads badly when wrapped (ASCII without spaces)."""
    return bool(text) and text.isascii() and " " not in text and len(text) <= 24


def _column_widths(block: Block, body, width: float, font: str, size: float, bold_font: str | None = None) -> list[float]:
    """The block's relative widths, widened where a column's dates/amounts/codes would wrap."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    ncols = len(block.widths)
    need = [0.0] * ncols
    for row in body:
        for c, item in enumerate(row):
            if item is not None and item.colspan == 1 and _unbreakable(item.text):
                used = bold_font if item.bold and bold_font else font  # totals are drawn in the title font
                need[c] = max(need[c], stringWidth(item.text, used, size) + 5)
    widths = [w * width / sum(block.widths) for w in block.widths]
    for _ in range(4):  # widen the narrow ones, take the room from the others in proportion
        short = [c for c in range(ncols) if widths[c] < need[c]]
        if not short:
            break
        extra = sum(need[c] - widths[c] for c in short)
        rest = [c for c in range(ncols) if c not in short and widths[c] > need[c]]
        spare = sum(widths[c] - need[c] for c in rest)
        take = min(extra, spare * 0.6)
        if take <= 0:
            break
        for c in short:
            widths[c] += (need[c] - widths[c]) * take / extra
        for c in rest:
            widths[c] -= (widths[c] - need[c]) * take / spare
    return widths


def _signature(report: Report, styles: _Styles, width: float) -> Table:
    items = [Paragraph(_escape(f"{label}：{value}"), styles.get(10.5, "left")) for label, value in report.signature]
    weights = [len(label) + max(len(value), 6) for label, value in report.signature]
    table = Table([items], colWidths=[width * w / sum(weights) for w in weights])
    table.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("FONT", (0, 0), (-1, -1), styles.fonts.body.name, 10.5)]))
    return table


def build_story(report: Report, fonts: ReportFonts, width: float) -> list:
    styles = _Styles(fonts)
    story: list = []
    if report.annex_label:
        story.append(Paragraph(_escape(report.annex_label), ParagraphStyle(
            "annex", fontName=fonts.title.name, fontSize=12, leading=15)))
    story.append(Paragraph(_escape(report.title), ParagraphStyle(
        "title", fontName=fonts.title.name, fontSize=18, leading=24, alignment=TA_CENTER, spaceAfter=4)))
    if report.subtitle_left or report.subtitle_right:
        sub = Table([[Paragraph(_escape(report.subtitle_left), styles.get(10.5, "left")),
                      Paragraph(_escape(report.subtitle_right), styles.get(10.5, "right"))]],
                    colWidths=[width * 0.6, width * 0.4])
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
        story += _tables(block, styles, width)
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
        story.append(KeepTogether(tail))
    return story


def _page_number(fonts: ReportFonts):
    def draw(canvas, doc):
        canvas.saveState()
        canvas.setFont(fonts.body.name, 10.5)
        canvas.drawCentredString(PAGE[0] / 2, 8 * mm, f"— {doc.page} —")
        canvas.restoreState()
    return draw


def render_report(report: Report, path: str | Path, fonts: ReportFonts | None = None,
                  progress: Callable[[str], None] | None = None) -> Path:
    """Write ``report`` to ``path`` atomically (a temporary file in the same folder, then replace)."""
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
        story = build_story(report, fonts, width)
        on_page = _page_number(fonts)
        doc.build(story, onFirstPage=on_page, onLaterPages=on_page)
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
    return path


def render_grid_pdf(title: str, subtitle: str, header_rows: list[list[Cell]], body_rows: list[list[Cell]],
                    footer: list[tuple[str, str]], path: str | Path, *, widths: list[float] | None = None,
                    notes: list[str] | None = None, subtitle_right: str = "", font_size: float = 9.0,
                    fonts: ReportFonts | None = None) -> Path:
    """One table as an official form: for consolidated tables, bulletins and other later reports."""
    from .layout import place as _place

    ncols = max(sum(cell.colspan if isinstance(cell, Cell) else 1 for cell in row) for row in header_rows)
    _place(header_rows, ncols)  # fail early on a malformed header
    block = Block(header_rows, body_rows, widths or [1.0] * ncols, font_size=font_size)
    report = Report(title, [block], subtitle_left=subtitle, subtitle_right=subtitle_right, notes=notes or [],
                    signature=footer)
    return render_report(report, path, fonts)
