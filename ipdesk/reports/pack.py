"""打印报表: what a period's report consists of — 附件1, 附件2 and the explanations of its warnings — as one
document: one PDF (each attachment starting on a new page and numbered from its own first page) or one
Excel workbook (a sheet each). One job for the clerk instead of two previews and two dialogs."""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Callable

from ..domain.periods import MONTH, Period
from ..errors import IpdeskError
from ..outputs import replace_output
from .export import FORMATS, report_for
from .layout import Block, Cell, Report
from ..exchange import approval
from .fonts import fonts_for

EXPLANATIONS_LABEL = "审核说明"


def pack_reports(desk, period: str | Period, fmt: str,
                 progress: Callable[[str], None] | None = None) -> list[Report]:
    """附件1, 附件2 and (when any warning was explained) the explanations of ``period``, laid out for ``fmt``."""
    p = period if isinstance(period, Period) else Period.parse(period)
    if progress:
        progress("正在计算附件1…")
    reports = [report_for(desk, desk.figures.annex1(p), fmt)]
    if progress:
        progress("正在整理附件2…")
    reports.append(report_for(desk, desk.figures.annex2(p), fmt))
    explained = explanations_report(desk, p)
    if explained is not None:
        reports.append(explained)
    return reports


def _explained(desk, month: Period) -> list[tuple[str, str]]:
    """(the warning, its explanation) of a month: as approved when it was, else as entered so far."""
    active = approval.active_submission(desk, month)
    if active is not None:  # what was approved and sent, not what has been typed since
        findings = {f["key"]: f["message"] for f in json.loads(active["checks_json"] or "[]")}
        texts = json.loads(active["explanations_json"] or "{}")
    else:
        texts = desk.explanations.for_period(month.code)
        findings = {}
        if texts and month.end < desk.today():
            findings = {f.key: f.message for f in approval.period_findings(desk, month)}
    return [(findings.get(key, key), text) for key, text in texts.items() if (text or "").strip()]


def explanations_report(desk, period: Period) -> Report | None:
    """The explanations of the warnings of each month in ``period``; None when there are none."""
    months = [period] if period.kind == MONTH else period.month_periods()
    body = []
    for month in months:
        for n, (message, text) in enumerate(_explained(desk, month), 1):
            body.append([Cell(month.label if len(months) > 1 else str(n)), Cell(message, align="left"),
                         Cell(text, align="left")])
    if not body:
        return None
    first = "月份" if len(months) > 1 else "序号"
    block = Block([[Cell(first), Cell("审核警告"), Cell("说明")]], body, [1.2, 5.0, 5.0], font_size=10)
    unit = desk.unit
    return Report(title=f"{period.label}统计数据审核说明", blocks=[block], subtitle_left=f"填报单位：{unit['name']}",
                  subtitle_right=f"统计期间：{period.label}", sheet_name=EXPLANATIONS_LABEL)


def write_pack(desk, period: str | Period, fmt: str, path: str | Path,
               progress: Callable[[str], None] | None = None) -> Path:
    """The period's 附件1 + 附件2 (+ 审核说明) as one PDF or one Excel workbook at ``path``, atomically."""
    if fmt not in FORMATS:
        raise IpdeskError(f"不支持的输出格式：{fmt}（应为 pdf 或 xlsx）", f"unsupported format: {fmt}")
    reports = pack_reports(desk, period, fmt, progress)
    if fmt == "xlsx":
        # Imported here: XlsxWriter loads only when needed (heavy).
        from .xlsx import write_workbook

        return write_workbook(reports, path)

    if progress:
        progress("正在排版…")
    return render_pack_pdf(reports, path, fonts_for(desk), progress)


def render_pack_pdf(reports: list[Report], path: str | Path, fonts,
                    progress: Callable[[str], None] | None = None) -> Path:
    """Several reports in one PDF: each starts a new page and its pages are numbered from 1."""
    from reportlab.lib.units import mm
    from reportlab.platypus import Flowable, PageBreak, SimpleDocTemplate

    # Imported here: reportlab loads only when needed (heavy).
    from .pdf import FRAME_PADDING, MARGIN_BOTTOM, MARGIN_TOP, MARGIN_X, PAGE, build_story, follow_pages

    class _NextSection(Flowable):
        """Zero-size mark at the end of a report: the next page begins the next report's numbering."""

        def wrap(self, *_args):
            return 0, 0

        def draw(self):
            doc.section_pending = True

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    doc = SimpleDocTemplate(str(tmp), pagesize=PAGE, leftMargin=MARGIN_X, rightMargin=MARGIN_X,
                            topMargin=MARGIN_TOP, bottomMargin=MARGIN_BOTTOM,
                            title="、".join(r.annex_label or r.sheet_name for r in reports),
                            author=reports[0].meta.get("unit_name", "") if reports else "",
                            creator="ipdesk 知识产权行政保护工作台", subject=reports[0].subtitle_right if reports else "",
                            initialFontName=fonts.body.name)
    doc.section_pending, doc.section_first = False, 1
    if progress:
        follow_pages(doc, progress)
    width = PAGE[0] - 2 * MARGIN_X
    story: list = []
    for i, report in enumerate(reports):
        if i:
            story += [_NextSection(), PageBreak()]
        story += build_story(report, fonts, width, doc.height - 2 * FRAME_PADDING)

    def on_page(canvas, document):
        if document.section_pending:
            document.section_pending, document.section_first = False, document.page
        canvas.saveState()
        canvas.setFont(fonts.body.name, 10.5)
        canvas.drawCentredString(PAGE[0] / 2, 8 * mm, f"— {document.page - document.section_first + 1} —")
        canvas.restoreState()

    try:
        doc.build(story, onFirstPage=on_page, onLaterPages=on_page)
        replace_output(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
    return path
