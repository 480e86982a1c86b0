"""Excel round trip: a unit without ipdesk fills in the 附件1 Excel form and sends it; the city
imports the workbook with the same checks as a package and stores it the same way.

The workbook is untrusted: size-limited, opened with cached values only (formulas are never
evaluated), every number read from a known cell and checked. Cells are found through the
hidden ``_ipdesk`` sheet the form carries; when a person deleted it, the layout is rebuilt
from the catalogue and each row's label must still be where the form put it.
"""
from __future__ import annotations

import hashlib
import io
import uuid
import zipfile
from datetime import datetime
from pathlib import Path

from ..catalog import CATALOGS, get_catalog
from ..catalog.model import MANUAL, RATIO, SPAN_LABELS, Catalog
from ..domain.money import wan_to_fen
from ..domain.periods import MONTH, Period
from ..errors import IpdeskError, too_large
from ..stats.annex1 import Annex1Table, CellValue, fill_ratios
from ..stats.annex2 import Annex2Table
from ..stats.checks import check_table
from .package import Package
from .tables import PackageError
from ..reports.export import write_annex1_form

FORM_FORMAT = "ipdesk-excel-form"
MAX_FORM_BYTES = 5 * 1024 * 1024
MAX_UNCOMPRESSED = 60 * 1024 * 1024
NO_DATA_MARKS = ("", "—", "-", "－", "/", "无")


def _load(path: Path):
    import openpyxl

    try:
        size = path.stat().st_size
    except OSError:
        raise PackageError(f"无法读取文件：{path.name}", f"cannot read {path}") from None
    if size > MAX_FORM_BYTES:
        zh, en = too_large(size, MAX_FORM_BYTES)
        raise PackageError(f"{zh}，不是正常的统计表", f"{en}: not a statistics form")
    data = path.read_bytes()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            if sum(i.file_size for i in zf.infolist()) > MAX_UNCOMPRESSED:
                raise PackageError("工作簿解压后过大，疑似压缩炸弹，已拒收", "workbook expands too much")
            if "xl/workbook.xml" not in zf.namelist():
                raise PackageError(f"{path.name} 不是 Excel 工作簿（.xlsx）", "not an xlsx workbook")
        wb = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except PackageError:
        raise
    except Exception as exc:  # openpyxl raises many kinds on malformed files
        raise PackageError(f"{path.name} 无法作为 Excel 工作簿打开：{str(exc)[:80]}", "unreadable workbook") from None
    return wb, data


def refuse_non_month(p: Period, doing: str = "接收") -> None:
    """Units report month by month (the city sums quarters and years from the months): a form of another
    period would be stored beside the months and counted twice."""
    if p.kind != MONTH:
        raise PackageError(
            f"统计期间为{p.label}（{p.code}），不能{doing}：下级单位的附件1按月报送，填报表只按月{doing}"
            f"（期间如 {p.year}-{p.last_month:02d}），季度、半年和全年的数字由各月汇总得出",
            f"period {p.code} is not a month: only monthly forms are received")


def _blank_form_map(catalog: Catalog, unit: dict, period: Period) -> dict:
    """Where a form of this catalogue puts each cell: the blank form rebuilt and its map read back."""
    import tempfile

    import openpyxl

    # Imported here: XlsxWriter loads only when needed (heavy).
    from ..reports.xlsx import read_ipdesk_map

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "form.xlsx"
        write_annex1_form(path, unit, period)
        _, cells = read_ipdesk_map(openpyxl.load_workbook(path))
    return cells


def _number(raw, where: str, *, integer: bool):
    if raw is None or (isinstance(raw, str) and raw.strip() in NO_DATA_MARKS):
        return None
    if isinstance(raw, bool):
        raise PackageError(f"{where} 应为数字，现为“{raw}”", "not a number")
    if isinstance(raw, str):
        text = raw.strip().replace(",", "").replace("，", "")
        try:
            raw = float(text)
        except ValueError:
            raise PackageError(f"{where} 应为数字，现为“{raw[:20]}”", "not a number") from None
    if not isinstance(raw, (int, float)) or raw != raw or raw in (float("inf"), float("-inf")):
        raise PackageError(f"{where} 应为数字，现为“{str(raw)[:20]}”", "not a number")
    if raw < 0:
        raise PackageError(f"{where} 不能为负数（{raw}）", "negative number")
    if integer:
        if float(raw) != int(raw):
            raise PackageError(f"{where} 应为整数（{raw}）", "not an integer")
        return int(raw)
    return raw


def read_form_table(path: str | Path, *, unit: dict | None = None, period: str | None = None) -> tuple[Annex1Table, str]:
    """The 附件1 a workbook holds and the workbook's SHA-256. ``unit`` ({code, name}) and ``period``
    are needed only when the hidden map is gone. Raises PackageError with the cell that is wrong."""
    # Imported here: XlsxWriter loads only when needed (heavy).
    from ..reports.xlsx import read_ipdesk_map

    path = Path(path)
    wb, data = _load(path)
    meta, cells = read_ipdesk_map(wb)
    if meta and meta.get("table") not in (None, "annex1"):
        raise PackageError("该工作簿不是附件1统计表", "not an annex 1 workbook")
    version = str(meta.get("catalog_version") or "") or None
    if version and version not in CATALOGS:
        raise PackageError(f"未知的统计表版本：{version}", f"unknown catalogue version {version}")
    catalog = get_catalog(version)
    unit_code = (unit or {}).get("code") or str(meta.get("unit_code") or "")
    unit_name = (unit or {}).get("name") or str(meta.get("unit_name") or "")
    period_code = period or str(meta.get("period") or "")
    if not unit_code:
        raise PackageError("工作簿中没有填报单位代码，请指定单位", "no unit code: give --unit-code")
    if not period_code:
        raise PackageError("工作簿中没有统计期间，请指定期间", "no period: give --period")
    try:
        p = Period.parse(period_code)
    except IpdeskError:
        raise PackageError(f"统计期间无法识别：{period_code[:20]}", "bad period") from None
    refuse_non_month(p)
    verify_labels = not cells
    if not cells:
        cells = _blank_form_map(catalog, {"code": unit_code, "name": unit_name}, p)
    defs = catalog.cells()
    values: dict[str, CellValue] = {cid: CellValue() for cid in defs}
    unworked: list[tuple[str, str]] = []
    typed = 0  # figures found in the cells a person fills in (a typed 0 counts; a worked-out total does not)
    for (cid, which), (sheet, coord) in cells.items():
        if cid not in defs or which not in ("current", "ytd"):
            raise PackageError(f"工作簿的单元格对照表含有未知项：{cid[:40]}", "unknown cell in map")
        if sheet not in wb.sheetnames:
            raise PackageError(f"工作簿缺少工作表“{sheet}”", f"missing sheet {sheet}")
        ws = wb[sheet]
        cell = defs[cid]
        where = f"{sheet}!{coord}（{cell.place}，{SPAN_LABELS[which]}）"
        if verify_labels and which == "current":
            row = ws[coord].row
            labels = {str(c.value).strip() for c in ws[row] if c.value is not None}
            short = cell.indicator.label if cell.indicator else cell.row.label
            if short not in labels:
                raise PackageError(f"表格结构已被改动：第{row}行应为“{short}”，无法可靠读取，请使用原表格填写",
                                   "form layout changed")
        if cell.ytd == RATIO:
            continue  # recomputed below from its numerator and denominator
        value = _number(ws[coord].value, where, integer=not cell.is_money and cell.unit != "%")
        derived = catalog.derived_terms(cid)
        if value is not None and not derived:
            typed += 1
        if value is None and derived:
            unworked.append((cid, which))  # a formula never calculated (the file was not saved by Excel)
        if value is None and cell.measure is not None and cell.measure.agg != MANUAL:
            value = 0  # a person leaves zero cells blank; only hand-reported cells can be 未填报
        if value is not None and cell.is_money:
            value = wan_to_fen(value)
        setattr(values[cid], which, value)
    if not typed:
        # Blank cells count as 0 only beside figures a person typed: a form with none is no report at all,
        # never an all-zero month (that one is sent with 0 typed in, as the app's own export writes it).
        raise PackageError(f"表格中没有填写任何数字：{path.name} 的填报格（浅黄色底纹）全部为空，不能作为全零报表接收；"
                           "本月确无工作量的，请在填报格中填写 0 后再报送", "blank form: no figures filled in")
    _work_out(catalog, values, unworked)
    fill_ratios(defs, values, ("current", "ytd"))
    table = Annex1Table(catalog, unit_code, unit_name, p, values, money_precision_fen=100)
    return table, hashlib.sha256(data).hexdigest()


def _work_out(catalog: Catalog, values: dict[str, CellValue], unworked: list[tuple[str, str]]) -> None:
    """The form's derived cells (小计, 合计, 期末未结, 罚没款合计) that hold a formula without a calculated
    value: worked out from their parts as the formula would (parts that are themselves derived first)."""
    pending = list(unworked)
    for _ in range(4):  # a 合计 of 小计s of 罚没款合计s: a few rounds at most
        left = []
        waiting = set(pending)
        for cid, which in pending:
            terms = catalog.derived_terms(cid)
            if any((part, which) in waiting for _, part in terms):
                left.append((cid, which))
                continue
            parts = [(sign, getattr(values[part], which)) for sign, part in terms]
            present = [(sign, v) for sign, v in parts if v is not None]
            setattr(values[cid], which, sum(sign * v for sign, v in present) if present else None)
            waiting.discard((cid, which))
        if not left:
            return
        pending = left


def read_form_package(path: str | Path, *, parent: dict, unit: dict | None = None,
                      period: str | None = None) -> Package:
    """A workbook as a verified package (format ``ipdesk-excel-form``) so the city stores it the
    one way packages are stored. Hard check failures refuse it; its id comes from the file's bytes,
    so importing the same workbook twice changes nothing."""
    table, digest = read_form_table(path, unit=unit, period=period)
    errors = [f for f in check_table(table) if f.is_error]
    if errors:
        listing = "；".join(f.message for f in errors[:5])
        raise PackageError(f"统计表未通过校验（{len(errors)} 处错误）：{listing}", "annex 1 fails its checks")
    if not table.unit_name:
        table.unit_name = (unit or {}).get("name") or table.unit_code
    annex2 = Annex2Table(table.catalog, table.unit_code, table.unit_name, table.period.label, table.period.code, [])
    a1, a2 = table.to_json(), annex2.to_json()
    manifest = {
        "format": FORM_FORMAT, "format_version": 1,
        "package_uuid": str(uuid.uuid5(uuid.NAMESPACE_URL, f"ipdesk-excel-form:{digest}")),
        "unit": {"code": table.unit_code, "name": table.unit_name, "parent_code": parent.get("code")},
        "period": table.period.code, "period_label": table.period.label,
        "catalog_version": table.catalog.version,
        "created_at": datetime.now().isoformat(timespec="seconds"),
        "revision": 1, "correction_of": None, "members": {},
        "counts": {"annex1_cells": len(a1["cells"]), "annex2_rows": 0},
        "source_file": Path(path).name[:120],
    }
    checks = {"findings": [f.to_json() for f in check_table(table)]}
    return Package(manifest, digest, a1, a2, checks, table, annex2)


def is_form_file(path: str | Path) -> bool:
    return str(path).lower().endswith((".xlsx", ".xlsm"))

