"""Write a statistics table to a file a person prints or sends: PDF or Excel, atomically."""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from ..domain.periods import MONTH, Period
from ..errors import IpdeskError
from ..stats.annex1 import Annex1Table
from ..stats.annex2 import Annex2Table
from .annex_layout import PDF_MAX_COLUMNS, annex1_report, annex2_report
from .layout import Report
from ..exchange.approval import active_submission
from .fonts import fonts_for

FORMATS = ("pdf", "xlsx")


def approval_for(desk, unit_code: str, period_code: str) -> dict | None:
    """Who entered, who approved and when, for the signature block of an approved month of this unit."""
    if desk is None or unit_code != desk.unit.get("code"):
        return None
    try:
        p = Period.parse(period_code)
    except IpdeskError:
        return None
    if p.kind != MONTH:
        return None

    sub = active_submission(desk, p)
    if not sub:
        return None
    return {"entered_by": desk.unit.get("contact_person") or None, "approved_by": sub["approved_by"],
            "approved_at": sub["approved_at"]}


def report_for(desk, table, fmt: str) -> Report:
    """The form layout of ``table`` for ``fmt``; an approved month's signature block is filled in."""
    unit = desk.unit if desk is not None else {"name": table.unit_name, "code": table.unit_code}
    today = desk.today() if desk is not None else None
    if isinstance(table, Annex1Table):
        return annex1_report(table, unit=unit, period=table.period, today=today,
                             max_columns=PDF_MAX_COLUMNS if fmt == "pdf" else None,
                             approval=approval_for(desk, table.unit_code, table.period.code))
    if isinstance(table, Annex2Table):
        whole_period = table.period_label == Period.parse(table.period_code).label if table.period_code else False
        return annex2_report(table, unit=unit, today=today, signature_of=approval_for(
            desk, table.unit_code, table.period_code) if whole_period else None)
    raise IpdeskError("不支持输出此类表格", f"cannot export {type(table).__name__}")


def write_report(report: Report, fmt: str, path: str | Path, *, desk=None,
                 progress: Callable[[str], None] | None = None) -> Path:
    """Draw any laid-out report as PDF (fonts from the desk's settings or the system) or Excel."""
    if fmt == "pdf":
        # Imported here: reportlab loads only when needed (heavy).
        from .pdf import render_report

        return render_report(report, path, fonts_for(desk), progress=progress)
    if fmt == "xlsx":
        # Imported here: XlsxWriter loads only when needed (heavy).
        from .xlsx import write_workbook

        return write_workbook([report], path)
    raise IpdeskError(f"不支持的输出格式：{fmt}（应为 pdf 或 xlsx）", f"unsupported format: {fmt}")


def write_table(desk, table: Annex1Table | Annex2Table, fmt: str, path: str | Path,
                progress: Callable[[str], None] | None = None) -> Path:
    """附件1/附件2 as PDF or Excel at ``path`` (a temporary file replaced into place: never half-written)."""
    if fmt not in FORMATS:
        raise IpdeskError(f"不支持的输出格式：{fmt}（应为 pdf 或 xlsx）", f"unsupported format: {fmt}")
    return write_report(report_for(desk, table, fmt), fmt, Path(path), desk=desk, progress=progress)


def write_annex1_form(path: str | Path, unit: dict, period: str | Period, table: Annex1Table | None = None) -> Path:
    """The 附件1 Excel form — blank when ``table`` is None — with the hidden ``_ipdesk`` cell map, for a
    unit without the app to fill in and send back."""
    # Imported here: XlsxWriter loads only when needed (heavy).
    from .xlsx import write_workbook

    p = period if isinstance(period, Period) else Period.parse(period)
    report = annex1_report(table, unit=unit, period=p, today=None, max_columns=None)
    if table is None:
        report.signature = [(label, "") if label != "填报日期" else (label, value)
                            for label, value in report.signature]
    return write_workbook([report], path)
