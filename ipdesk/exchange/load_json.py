"""``ipdesk load FILE.json``: records in the documented JSON form (README, examples/load-example.json).

The file is untrusted: it is read whole, checked whole, and written in one
transaction per record kind — or not at all.
"""
from __future__ import annotations

import json
from pathlib import Path

from ..desk import Changes, Desk
from ..db.connection import transaction
from ..errors import IpdeskError, too_large
from ..db.backup import backup_before_import

MAX_BYTES = 50 * 1024 * 1024
KINDS = ("cases", "inspections", "work_items")


def read_load_file(path: str | Path) -> dict:
    path = Path(path)
    if not path.is_file():
        raise IpdeskError(f"文件不存在：{path}", f"file not found: {path}")
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise IpdeskError(*too_large(size, MAX_BYTES))
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:  # ValueError: an int of over 4,300 digits
        raise IpdeskError(f"不是有效的JSON文件：{exc}", f"not valid JSON: {exc}") from None
    return validate_shape(data)


def validate_shape(data) -> dict:
    if not isinstance(data, dict):
        raise IpdeskError("JSON顶层应为对象（含 cases / inspections / work_items / manual_cells）",
                          "top level must be an object")
    unknown = set(data) - set(KINDS) - {"manual_cells", "format", "version"}
    if unknown:
        raise IpdeskError(f"无法识别的部分：{'、'.join(sorted(unknown))}", f"unknown sections: {sorted(unknown)}")
    for key in (*KINDS, "manual_cells"):
        items = data.get(key, [])
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            raise IpdeskError(f"“{key}”应为对象的列表", f"{key} must be a list of objects")
    return data


def load_records(desk: Desk, data: dict) -> tuple[Changes, dict[str, int]]:
    """Write every record of ``data``; raises (writing nothing) if any record is refused."""
    data = validate_shape(data)
    backup_before_import(desk)
    counts = {}
    changes = Changes(set(), label="导入JSON")
    with transaction(desk.db):
        for kind in KINDS:
            rows = data.get(kind, [])
            if rows:
                try:
                    changes.tables |= desk.records.save_many(kind, rows, label=f"导入{len(rows)}条记录（{kind}）").tables
                except IpdeskError as exc:
                    raise IpdeskError(f"{kind}：{exc.zh}", f"{kind}: {exc.en}", exc.field_errors) from None
            counts[kind] = len(rows)
        for cell in data.get("manual_cells", []):
            value = cell.get("value")
            if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float))):
                raise IpdeskError(f"手工填报值应为数字：{value}", f"manual value must be a number: {value}")
            desk.records.set_manual_cell(str(cell.get("indicator", "")), str(cell.get("period", "")), value,
                                 str(cell.get("note", "")))
            changes.tables.add("manual_cells")
        counts["manual_cells"] = len(data.get("manual_cells", []))
    return changes, counts
