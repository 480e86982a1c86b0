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
import re
import uuid
import zipfile
from datetime import datetime
from pathlib import Path

from ..catalog import CATALOGS, get_catalog
from ..catalog.model import MANUAL, RATIO, SPAN_LABELS, Catalog
from ..domain.money import MoneyError, wan_to_fen
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
# A 附件1 form is ~70 rows × 21 columns (its sheet ~50 KB of XML, the hidden map ~120 KB): far past these it is
# no form, and reading on would only cost memory and time.
MAX_FORM_ROWS, MAX_FORM_COLUMNS = 1000, 64
MAX_MAP_ROWS = 5000
MAP_SHEET = "_ipdesk"  # reports.xlsx.MAP_SHEET; not imported from there (that loads xlsxwriter at start-up)
_COORD = re.compile(r"^([A-Z]{1,3})([1-9][0-9]{0,6})$")
MAX_SHEET_XML = 8 * 1024 * 1024
NO_DATA_MARKS = ("", "—", "-", "－", "/", "无")


class _Form:
    """The sheets a form is read from, streamed (:mod:`.xlsx_cells`): the hidden map and the sheets it points
    into, nothing else. openpyxl's full load of a 5 MB workbook padded with figures took 372–723 MB and a
    minute; streaming keeps only the cells of these sheets, and refuses an oversized one as it reads."""

    def __init__(self, path: Path, book, sheets: dict):
        self.path, self.book, self.sheets = path, book, sheets  # name → (member, hidden)
        self._read: dict[str, tuple[dict, object]] = {}  # name → (rows, SheetCells)

    @property
    def sheetnames(self) -> list[str]:
        return list(self.sheets)

    def sheet(self, name: str, *, max_rows: int = MAX_FORM_ROWS, max_columns: int = MAX_FORM_COLUMNS):
        """``(rows, cells)``: {row number: values by column} and the sheet's :class:`SheetCells`."""
        from .xlsx_cells import TooBig, XlsxError  # imported here: it loads openpyxl (heavy), only to read a form

        if name not in self._read:
            member, hidden = self.sheets[name]
            try:
                info = self.book.zf.getinfo(member)
            except KeyError:
                raise PackageError(f"工作簿缺少工作表“{name}”", f"missing sheet {name}") from None
            if info.file_size > MAX_SHEET_XML:
                raise PackageError(f"工作表“{name[:31]}”内容过多（解压后 {info.file_size / 1048576:.1f} MB），"
                                   "不是附件1填报表", f"sheet {name} too large")
            try:
                cells = self.book.sheet(name, member, hidden, max_rows, max_columns, strict_columns=True)
            except TooBig as big:
                what = "行" if big.what == "rows" else "列"
                raise PackageError(f"工作表“{name[:31]}”超过 {big.limit} {what}，附件1填报表不会这样大，已拒收",
                                   f"sheet {name}: more than {big.limit} {big.what}") from None
            except (XlsxError, SyntaxError, UnicodeDecodeError, zipfile.BadZipFile) as exc:
                raise PackageError(f"{self.path.name} 无法作为 Excel 工作簿读取：{str(exc)[:80]}",
                                   "unreadable workbook") from None
            self._read[name] = (dict(cells.rows), cells)
        return self._read[name]

    def value(self, name: str, coord: str):
        """A cell's value as Excel shows it: its cached value, an error value's text (#REF!), or None."""
        rows, cells = self.sheet(name)
        row, col = _place(coord)
        if (row, col) in cells.errors:
            return cells.errors[(row, col)]
        values = rows.get(row, ())
        return values[col] if col < len(values) else None

    def uncalculated(self, name: str, coord: str) -> bool:
        """A formula the file keeps no calculated value of (saved by a program that does not calculate)."""
        _, cells = self.sheet(name)
        return _place(coord) in cells.formulas

    def error(self, name: str, coord: str) -> str | None:
        """The error value (#REF!, #VALUE! …) the cell shows, or None."""
        _, cells = self.sheet(name)
        return cells.errors.get(_place(coord))

    def row_texts(self, name: str, row: int) -> set[str]:
        rows, _ = self.sheet(name)
        return {str(v).strip() for v in rows.get(row, ()) if v is not None}

    def ipdesk_map(self) -> tuple[dict, dict[tuple[str, str], tuple[str, str]]]:
        """The hidden ``_ipdesk`` sheet (:func:`parse_ipdesk_map`)."""
        if MAP_SHEET not in self.sheets:
            return {}, {}
        rows, _ = self.sheet(MAP_SHEET, max_rows=MAX_MAP_ROWS, max_columns=4)
        return parse_ipdesk_map(values for _, values in sorted(rows.items()))


def read_ipdesk_map(wb) -> tuple[dict, dict[tuple[str, str], tuple[str, str]]]:
    """``(meta, {(cell_id, which): (sheet, coordinate)})`` from an openpyxl workbook's ``_ipdesk`` sheet;
    ``({}, {})`` when the workbook has none."""
    if MAP_SHEET not in wb.sheetnames:
        return {}, {}
    return parse_ipdesk_map(wb[MAP_SHEET].iter_rows(values_only=True))


def parse_ipdesk_map(rows) -> tuple[dict, dict[tuple[str, str], tuple[str, str]]]:
    """The map from the ``_ipdesk`` sheet's rows (tuples of cell values, in order) as
    :mod:`ipdesk.reports.xlsx` writes it: ``key, value`` lines of meta, then after a ``cell_id`` header one
    ``cell_id, which, sheet, coordinate`` line per cell."""
    meta: dict = {}
    cells: dict = {}
    in_cells = False
    for values in rows:
        row = list(values or ()) + [None] * (4 - len(values or ()))
        if row[0] is None:
            continue
        if in_cells:
            cells[(str(row[0]), str(row[1]))] = (str(row[2]), str(row[3]))
        elif row[0] == "cell_id":
            in_cells = True
        else:
            meta[str(row[0])] = row[1]
    return meta, cells


def _place(coord: str) -> tuple[int, int]:
    """(row number, 0-based column) of a map's ``N22``; a forged one is refused."""
    m = _COORD.match(str(coord))
    if not m:
        raise PackageError(f"工作簿的单元格对照表含有无效的位置：{str(coord)[:20]}", "bad coordinate in map")
    col = 0
    for ch in m.group(1):
        col = col * 26 + ord(ch) - 64
    return int(m.group(2)), col - 1


def _load(path: Path) -> tuple[_Form, str]:
    """The workbook, opened for streaming, and its SHA-256; refused before anything is parsed when it is too
    large, expands too much or is no workbook."""
    try:
        size = path.stat().st_size
    except OSError:
        raise PackageError(f"无法读取文件：{path.name}", f"cannot read {path}") from None
    if size > MAX_FORM_BYTES:
        zh, en = too_large(size, MAX_FORM_BYTES)
        raise PackageError(f"{zh}，不是正常的统计表", f"{en}: not a statistics form")
    data = path.read_bytes()
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        members = zf.infolist()
        if sum(i.file_size for i in members) > MAX_UNCOMPRESSED:
            raise PackageError("工作簿解压后过大，疑似压缩炸弹，已拒收", "workbook expands too much")
        if "xl/workbook.xml" not in zf.namelist():
            raise PackageError(f"{path.name} 不是 Excel 工作簿（.xlsx）", "not an xlsx workbook")
        for name in ("xl/sharedStrings.xml", "xl/styles.xml", "xl/workbook.xml"):  # read whole, not streamed
            if name in zf.namelist() and zf.getinfo(name).file_size > MAX_SHEET_XML:
                raise PackageError(f"工作簿的 {name.rsplit('/', 1)[-1]} 过大，不是附件1填报表", f"{name} too large")
        from .xlsx_cells import _Book  # imported here: it loads openpyxl (heavy), only to read a form

        book = _Book(zf)
    except PackageError:
        raise
    except Exception as exc:  # zipfile and the XML parser raise many kinds on malformed files
        raise PackageError(f"{path.name} 无法作为 Excel 工作簿打开：{str(exc)[:80]}", "unreadable workbook") from None
    return _Form(path, book, {name: (member, hidden) for name, member, hidden in book.sheets}), \
        hashlib.sha256(data).hexdigest()


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

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "form.xlsx"
        write_annex1_form(path, unit, period)
        form, _ = _load(path)
        _, cells = form.ipdesk_map()
        form.book.zf.close()
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
    path = Path(path)
    wb, digest = _load(path)
    try:
        return _read_table(wb, path, unit, period), digest
    finally:
        wb.book.zf.close()


def _read_table(wb: _Form, path: Path, unit: dict | None, period: str | None) -> Annex1Table:
    meta, cells = wb.ipdesk_map()
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
    uncalculated: list[str] = []  # cells to type in that hold a formula without a calculated value
    for (cid, which), (sheet, coord) in cells.items():
        if cid not in defs or which not in ("current", "ytd"):
            raise PackageError(f"工作簿的单元格对照表含有未知项：{cid[:40]}", "unknown cell in map")
        if sheet not in wb.sheetnames:
            raise PackageError(f"工作簿缺少工作表“{sheet}”", f"missing sheet {sheet}")
        cell = defs[cid]
        where = f"{sheet}!{coord}（{cell.place}，{SPAN_LABELS[which]}）"
        if verify_labels and which == "current":
            row = _place(coord)[0]
            labels = wb.row_texts(sheet, row)
            short = cell.indicator.label if cell.indicator else cell.row.label
            if short not in labels:
                raise PackageError(f"表格结构已被改动：第{row}行应为“{short}”，无法可靠读取，请使用原表格填写",
                                   "form layout changed")
        if cell.ytd == RATIO:
            continue  # recomputed below from its numerator and denominator
        derived = catalog.derived_terms(cid)
        if derived and (wb.uncalculated(sheet, coord) or wb.error(sheet, coord)):
            # The form's own 小计/合计 formula never calculated (the file was not saved by Excel), or showing an
            # error: worked out from its parts below, each of which is read and checked on its own.
            unworked.append((cid, which))
            continue
        if wb.uncalculated(sheet, coord):  # a formula in a cell to type in: its value is unknown, never blank
            uncalculated.append(where)
            continue
        error = wb.error(sheet, coord)
        if error:
            raise PackageError(f"{where} 显示错误值 {error}，请改正后再报送", "error value in a cell")
        value = _number(wb.value(sheet, coord), where, integer=not cell.is_money and cell.unit != "%")
        if value is not None and not derived:
            typed += 1
        if value is None and derived:
            unworked.append((cid, which))  # a formula never calculated (the file was not saved by Excel)
        if value is None and cell.measure is not None and cell.measure.agg != MANUAL:
            value = 0  # a person leaves zero cells blank; only hand-reported cells can be 未填报
        if value is not None and cell.is_money:
            try:
                value = wan_to_fen(value)
            except MoneyError as e:
                raise PackageError(f"{where} {e}", "money out of range") from None
        setattr(values[cid], which, value)
    if uncalculated:
        raise PackageError(f"{len(uncalculated)} 个填报格是公式，文件中没有计算结果（不能当作空白或 0）："
                           f"{'、'.join(uncalculated[:5])}{'……' if len(uncalculated) > 5 else ''}；"
                           "请在 Excel/WPS 中打开、保存后再导入，或直接填写数字", "formulas without a calculated value")
    if not typed:
        # Blank cells count as 0 only beside figures a person typed: a form with none is no report at all,
        # never an all-zero month (that one is sent with 0 typed in, as the app's own export writes it).
        raise PackageError(f"表格中没有填写任何数字：{path.name} 的填报格（浅黄色底纹）全部为空，不能作为全零报表接收；"
                           "本月确无工作量的，请在填报格中填写 0 后再报送", "blank form: no figures filled in")
    _work_out(catalog, values, unworked)
    fill_ratios(defs, values, ("current", "ytd"))
    return Annex1Table(catalog, unit_code, unit_name, p, values, money_precision_fen=100)


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

