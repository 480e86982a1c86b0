"""附件1/附件2 tables rebuilt from their documented JSON (a frozen submission or a received package).

The JSON is untrusted when it comes from a package: every shape, cell id and number is
checked against the catalogue version it names, and a mismatch raises
:class:`PackageError` with a Chinese reason.
"""
from __future__ import annotations

import math
from decimal import Decimal

from ..catalog import CATALOGS
from ..catalog.model import PREVIOUS_YEAR, SPAN_LABELS, Catalog
from ..domain.fields import LONGTEXT, MAX_LENGTH
from ..domain.money import FEN_PER_WAN, MoneyError, wan_to_fen
from ..domain.periods import Period
from ..errors import IpdeskError
from ..stats.annex1 import Annex1Table, CellValue
from ..stats.annex2 import Annex2Table, row_money_from_json
from ..stats.footing import leaf_money_cells

MAX_ANNEX2_ROWS = 100_000
MAX_TEXT = MAX_LENGTH[LONGTEXT]  # what entry accepts is what a package may carry


class PackageError(IpdeskError):
    """A package (or its content) is refused; ``zh`` says why, for the user."""


def _number(value, where: str):
    if value is None:
        return None
    if (isinstance(value, bool) or not isinstance(value, (int, float))
            or (isinstance(value, float) and not math.isfinite(value))):
        raise PackageError(f"{where} 不是数字：{str(value)[:40]}", f"not a number at {where}")
    if isinstance(value, int) and abs(value) > 10 ** 300:  # beyond a float (10**400): later arithmetic overflows
        raise PackageError(f"{where} 数值超出合理范围", f"number out of range at {where}")
    if value < 0 and "yoy" not in where:
        raise PackageError(f"{where} 为负数：{value}", f"negative number at {where}")
    return value


_MAX_NUMBER = 10 ** 300
_PLAIN_TYPES = (int, float)  # by exact type: a bool is refused


def _cell_number(value, cid: str, label: str):
    """:func:`_number` for a 附件1 cell; what it accepts at a glance (no value, a number from 0 to 10**300) is
    passed without building the place's name, which only a refusal needs (~1,500 numbers a package)."""
    if value is None or (type(value) in _PLAIN_TYPES and 0 <= value <= _MAX_NUMBER):
        return value
    return _number(value, f"附件1 {cid} {label}" if label else f"附件1 {cid}")


def _catalog(version) -> Catalog:
    if not isinstance(version, str) or version not in CATALOGS:  # a list or dict is unhashable
        raise PackageError(f"统计表版本“{str(version)[:20]}”本程序不认识，请升级程序", f"unknown catalogue {version}")
    return CATALOGS[version]


def _printed_to_base(cell, value):
    """A printed number back to base units (万元 → 分)."""
    if value is None:
        return None
    if cell.is_money:
        try:
            return wan_to_fen(value)
        except MoneyError as e:
            raise PackageError(f"附件1 {cell.id} {e}", f"annex1 {cell.id}: money out of range") from None
    return value


_PREV_LABELS = tuple((k, SPAN_LABELS[k]) for k in PREVIOUS_YEAR.values())


def annex1_from_json(data, *, unit_code: str | None = None, period: str | None = None) -> Annex1Table:
    """The 附件1 table a ``to_json()`` document describes; checked cell by cell."""
    if not isinstance(data, dict) or not isinstance(data.get("cells"), list):
        raise PackageError("附件1数据格式不正确（缺少 cells）", "annex1: no cells list")
    catalog = _catalog(data.get("catalog_version"))
    if unit_code is not None and data.get("unit_code") != unit_code:
        raise PackageError("附件1中的单位与清单不一致", "annex1 unit differs from manifest")
    if period is not None and data.get("period") != period:
        raise PackageError("附件1中的期间与清单不一致", "annex1 period differs from manifest")
    cells = catalog.cells()
    seen: dict[str, CellValue] = {}
    printed_of: dict[str, dict] = {}
    partial_of: set[tuple[str, str]] = set()
    for item in data["cells"]:
        if not isinstance(item, dict) or not isinstance(item.get("id"), str) or item["id"] not in cells:
            raise PackageError(f"附件1含有本版统计表没有的单元格：{str(item.get('id') if isinstance(item, dict) else item)[:40]}",
                               "annex1: unknown cell")
        cid = item["id"]
        if cid in seen:
            raise PackageError(f"附件1单元格重复：{cid}", f"annex1: duplicate cell {cid}")
        cell = cells[cid]
        base = item.get("base")
        if not isinstance(base, dict):
            raise PackageError(f"附件1单元格 {cid} 缺少基础数值", f"annex1: {cid} has no base")
        # Packages before the exact 上年同期 was kept in ``base`` carry only its printed value.
        prev = {key: _cell_number(base[key], cid, label) if key in base
                else _printed_to_base(cell, _cell_number(item.get(key), cid, label))
                for key, label in _PREV_LABELS}
        v = CellValue(
            current=_cell_number(base.get("current"), cid, SPAN_LABELS["current"]),
            ytd=_cell_number(base.get("ytd"), cid, SPAN_LABELS["ytd"]),
            **prev,
        )
        for key in ("current", "ytd"):
            printed = _cell_number(item.get(key), cid, "")
            if (printed is None) != (getattr(v, key) is None):
                raise PackageError(f"附件1单元格 {cid} 的显示值与基础数值不一致", f"annex1: {cid} printed != base")
        seen[cid] = v
        printed_of[cid] = item
        if "prev_partial" in item:
            partial = item["prev_partial"]
            if not isinstance(partial, list) or not all(w in PREVIOUS_YEAR.values() for w in partial):
                raise PackageError(f"附件1单元格 {cid} 的上年同期标记格式不正确", f"annex1: {cid} bad prev_partial")
            partial_of |= {(cid, w) for w in partial}
    missing = [cid for cid in cells if cid not in seen]
    if missing:
        raise PackageError(f"附件1缺少单元格：{'、'.join(missing[:5])}{' 等' if len(missing) > 5 else ''}",
                           "annex1: missing cells")
    try:
        p = Period.parse(data.get("period"))
    except IpdeskError:
        raise PackageError(f"附件1期间无法识别：{str(data.get('period'))[:20]}", "annex1: bad period") from None
    note = data.get("coverage_note", "")  # absent from packages made before it was stated
    if not isinstance(note, str):
        raise PackageError("附件1的统计范围说明格式不正确", "annex1: bad coverage_note")
    table = Annex1Table(catalog, str(data.get("unit_code") or ""), str(data.get("unit_name") or "")[:MAX_TEXT], p,
                        seen, prev_partial=partial_of, coverage_note=note[:MAX_TEXT])
    if data.get("consolidated") is True:
        _consolidated(table, data, printed_of)
    _check_printed_money(table, printed_of)
    return table


def _scope(data) -> dict:
    """What a consolidation says it covers (exchange/consolidate.py), checked: it is printed on the forms."""
    def units(key) -> list[dict]:
        value = data.get(key, [])
        if not isinstance(value, list) or len(value) > 10_000 or not all(
                isinstance(u, dict) and isinstance(u.get("unit_code"), str) and isinstance(u.get("unit_name"), str)
                and isinstance(u.get("months"), list) and all(isinstance(m, str) for m in u["months"])
                for u in value):
            raise PackageError(f"汇总表的{key}格式不正确", f"consolidation: bad {key}")
        return [{"unit_code": u["unit_code"][:20], "unit_name": u["unit_name"][:MAX_TEXT],
                 "months": [m[:10] for m in u["months"][:12]]} for u in value]
    texts = {k: data.get(k, "") for k in ("coverage", "ytd_basis")}
    if not all(isinstance(t, str) for t in texts.values()):
        raise PackageError("汇总表的说明格式不正确", "consolidation: bad coverage text")
    return {"consolidated": True, "units_included": units("units_included"), "units_missing": units("units_missing"),
            "own_records_included": data.get("own_records_included") is True,
            "has_packages": data.get("has_packages") is not False,
            "months": [m for m in data.get("months", []) if isinstance(m, str)][:12] if isinstance(
                data.get("months"), list) else [],
            "ytd_basis": texts["ytd_basis"][:MAX_TEXT], "coverage": texts["coverage"][:MAX_TEXT]}


def _consolidated(table: Annex1Table, data: dict, items: dict[str, dict]) -> None:
    """A consolidation prints each money leaf as the sum of its units' printed figures (stats/footing.py): read
    back, those are its leaves, and its totals must foot from them; each leaf stays within 50 分 per unit of
    its exact value."""
    table.scope = _scope(data)
    parts = len(table.scope["units_included"]) + 1
    leaf = {}
    for cid in leaf_money_cells(table.catalog):
        for key in ("current", "ytd", "prev_current", "prev_ytd"):
            printed = _number(items[cid].get(key), f"附件1 {cid}")
            base = table.value(cid, key)
            if printed is not None and base is not None and abs(printed * FEN_PER_WAN - base) > 50 * parts + 1:
                raise PackageError(f"附件1单元格 {cid} 的显示值与基础数值不一致", f"annex1: {cid} printed != base")
            leaf[(cid, key)] = None if printed is None else Decimal(str(printed))
    table.leaf_printed = leaf
    table.money_precision_fen = 100 * parts


def _check_printed_money(table: Annex1Table, items: dict[str, dict]) -> None:
    """Each printed money figure is what its exact values print as (totals the sum of printed parts);
    a package made before totals footed printed each total rounded on its own, within 1 元 of it."""
    for cid, cell in table.catalog.cells().items():
        if not cell.is_money:
            continue
        for key in ("current", "ytd"):
            printed, base = items[cid].get(key), table.value(cid, key)
            if printed is None:
                continue
            # Within 1 元 of its exact value it passes either way: the footing (Decimal sums over the form) is
            # worked out only for a figure further off, a total of rounded parts.
            if abs(printed * FEN_PER_WAN - base) > 100 and abs(printed - float(table.printed(cid, key))) > 0.00005:
                raise PackageError(f"附件1单元格 {cid} 的显示值与基础数值不一致", f"annex1: {cid} printed != base")


# 附件2 columns of catalogue 2026.1 before 涉案商标/专利号 was added and 统一社会信用代码 became
# 统一社会信用代码/身份证号: packages already received keep opening (the new column reads empty).
_LEGACY_LABELS = {"统一社会信用代码": "party_id_no"}
_ADDED_COLUMNS = ("ip_object",)


def _annex2_labels(catalog: Catalog, columns) -> dict[str, str]:
    """column id -> label used in this document, for the catalogue's columns or their earlier set."""
    cols = catalog.annex2_columns
    if columns == [c.label for c in cols]:
        return {c.id: c.label for c in cols}
    legacy = {c.id: next((old for old, cid in _LEGACY_LABELS.items() if cid == c.id), c.label)
              for c in cols if c.id not in _ADDED_COLUMNS}
    if catalog.version == "2026.1" and columns == list(legacy.values()):
        return legacy
    raise PackageError("附件2的列与本版统计表不一致", "annex2: columns differ from the catalogue")


def _money(value, where: str):
    """A printed amount of 附件2: a number, or None (—: not counted in this period's 附件1)."""
    value = None if value is None else _number(value, where)
    if value is not None:
        try:
            wan_to_fen(value)  # 1e308 万元 has no 分 (and would overflow a sum): its range is money's
        except MoneyError as e:
            raise PackageError(f"{where} {e}", f"money out of range at {where}") from None
    return value


def annex2_from_json(data, *, unit_code: str | None = None, period: str | None = None) -> Annex2Table:
    """The 附件2 table a ``to_json()`` document describes; columns must be the catalogue's."""
    if not isinstance(data, dict) or not isinstance(data.get("rows"), list):
        raise PackageError("附件2数据格式不正确（缺少 rows）", "annex2: no rows list")
    catalog = _catalog(data.get("catalog_version"))
    cols = catalog.annex2_columns
    labels = _annex2_labels(catalog, data.get("columns"))
    if unit_code is not None and data.get("unit_code") != unit_code:
        raise PackageError("附件2中的单位与清单不一致", "annex2 unit differs from manifest")
    if period is not None and data.get("period") != period:
        raise PackageError("附件2中的期间与清单不一致", "annex2 period differs from manifest")
    if len(data["rows"]) > MAX_ANNEX2_ROWS:
        raise PackageError("附件2行数过多", "annex2: too many rows")
    rows = []
    for n, item in enumerate(data["rows"], 1):
        if not isinstance(item, dict) or set(item) != set(labels.values()):
            raise PackageError(f"附件2第{n}行的列不正确", f"annex2 row {n}: wrong keys")
        row = {}
        for c in cols:
            if c.id not in labels:
                row[c.id] = ""
                continue
            value = item[labels[c.id]]
            if c.is_money:
                value = _money(value, f"附件2第{n}行 {c.label}")
            elif c.id == "seq":
                if not isinstance(value, int) or isinstance(value, bool):
                    raise PackageError(f"附件2第{n}行序号不是整数", f"annex2 row {n}: bad seq")
            elif not isinstance(value, str) or len(value) > MAX_TEXT:
                raise PackageError(f"附件2第{n}行 {c.label} 不是文本或过长", f"annex2 row {n}: bad text")
            row[c.id] = value
        row["case_id"] = None
        row_money_from_json(row, catalog)
        rows.append(row)
    in_annex1 = None
    given = data.get("total_in_annex1")
    if given is not None:
        if not isinstance(given, dict):
            raise PackageError("附件2的“计入本期附件1”合计格式不正确", "annex2: bad total_in_annex1")
        in_annex1 = {}
        for c in cols:
            if c.is_money:
                v = _money(given.get(labels.get(c.id, c.label)), f"附件2 {catalog.annex2_annex1_label} {c.label}")
                in_annex1[c.id] = None if v is None else Decimal(str(v)).quantize(Decimal("0.0001"))
    return Annex2Table(catalog, str(data.get("unit_code") or ""), str(data.get("unit_name") or "")[:MAX_TEXT],
                       str(data.get("period_label") or "")[:MAX_TEXT], str(data.get("period") or ""), rows,
                       in_annex1)
