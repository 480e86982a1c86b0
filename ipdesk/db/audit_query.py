"""Reading the audit log: filter by date range, user, table, text; export to CSV or XLSX (text stays text)."""
from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path

from ..domain.fields import FLAG, MONEY, MULTI, column_kind, column_label, setting_label
from ..domain.money import fen_to_yuan_text
from .identity import write_replacing
from ..errors import IpdeskError

ACTION_LABELS = {"insert": "新增", "update": "修改", "delete": "删除", "restore": "恢复备份", "export": "导出",
                 "resend": "重新发送", "refuse": "拒收", "replace": "替换", "backup": "备份"}
TABLE_LABELS = {"cases": "案件", "case_adjustments": "中止/延期", "inspections": "检查记录", "work_items": "工作事项",
                "manual_cells": "手工填报", "explanations": "说明", "users": "用户", "units": "单位",
                "settings": "设置", "holidays": "节假日", "submissions": "审核报送", "received_packages": "接收报送包"}
COLUMNS = ("时间", "用户", "操作", "动作", "表", "记录", "原值", "新值")


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: str
    user: str | None
    label: str | None
    action: str
    table: str | None
    record_id: str | None
    old: dict | None
    new: dict | None
    undone: bool

    def row(self) -> tuple[str, ...]:
        """The entry as the viewer and the export show it."""
        record, label = self.record_id or "", self.label or ""
        if self.table == "settings" and record:  # a setting by its name, also in entries written before it had one
            label = label.replace(f"修改设置 {record}", f"修改设置 {setting_label(record)}")
            record = setting_label(record)
        return (self.at.replace("T", " "), self.user or "", label, ACTION_LABELS.get(self.action, self.action),
                TABLE_LABELS.get(self.table or "", self.table or ""), record,
                _short(self.table, self.old), _short(self.table, self.new))


def _short(table: str | None, value: dict | None) -> str:
    """``标签=值；…`` with the field catalogue's Chinese labels; amounts in 元, flags 是/否, a password hidden."""
    if not value:
        return ""
    return "；".join(f"{column_label(table, k)}={_value_text(table, k, v)}" for k, v in value.items())


def _value_text(table: str | None, name: str, value) -> str:
    if value is None:
        return ""
    kind = column_kind(table, name)
    if name in ("password_hash", "password"):
        return "（已设置）" if value else "（无）"
    if kind == MONEY and isinstance(value, int):
        return fen_to_yuan_text(value)
    if kind == FLAG:
        return "是" if value else "否"
    if kind == MULTI:
        items = json.loads(value) if isinstance(value, str) and value.startswith("[") else value
        return "、".join(map(str, items)) if isinstance(items, list) else str(items)
    return str(value)


def _load(text: str | None):
    if not text:
        return None
    try:
        value = json.loads(text)
    except ValueError:
        return {"?": text}
    return value if isinstance(value, dict) else {"值": value}


def search(db, *, start: str | None = None, end: str | None = None, user: str | None = None,
           table: str | None = None, text: str | None = None, limit: int = 5000) -> list[AuditEntry]:
    """Entries newest first. ``start``/``end`` are dates (YYYY-MM-DD, inclusive); ``text`` matches the
    operation label, the record id and the old/new values."""
    where, args = [], []
    if start:
        where.append("at >= ?")
        args.append(start)
    if end:
        where.append("at < ?")
        args.append(end + "T99")  # inclusive of the whole end day
    if user:
        where.append("user_name = ?")
        args.append(user)
    if table:
        where.append("table_name = ?")
        args.append(table)
    if text:
        where.append("(op_label LIKE ? OR record_id = ? OR old_json LIKE ? OR new_json LIKE ?)")
        like = f"%{text}%"
        args += [like, text, like, like]
    sql = ("SELECT id, at, user_name, op_label, action, table_name, record_id, old_json, new_json, undone "
           f"FROM audit_log {'WHERE ' + ' AND '.join(where) if where else ''} ORDER BY id DESC LIMIT ?")
    rows = db.execute(sql, [*args, limit]).fetchall()
    return [AuditEntry(r[0], r[1], r[2], r[3], r[4], r[5], r[6], _load(r[7]), _load(r[8]), bool(r[9]))
            for r in rows]


def users_in_log(db) -> list[str]:
    return [r[0] for r in db.execute("SELECT DISTINCT user_name FROM audit_log WHERE user_name IS NOT NULL "
                                     "ORDER BY user_name").fetchall()]


def tables_in_log(db) -> list[str]:
    return [r[0] for r in db.execute("SELECT DISTINCT table_name FROM audit_log WHERE table_name IS NOT NULL "
                                     "ORDER BY table_name").fetchall()]


def export(entries: list[AuditEntry], path: str | Path) -> Path:
    """CSV (UTF-8 with BOM, opens in Excel) or XLSX by the file's suffix; cell text never becomes a formula."""
    path = Path(path)
    if path.suffix.lower() not in (".xlsx", ".csv"):
        raise IpdeskError("请选择 .csv 或 .xlsx 文件", "export to .csv or .xlsx")

    def write(tmp: Path) -> None:
        if path.suffix.lower() == ".xlsx":
            _write_xlsx(entries, tmp)
            return
        with open(tmp, "w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(COLUMNS)
            for e in entries:
                writer.writerow([csv_safe(v) for v in e.row()])
    return write_replacing(path, write, suffix=".tmp")


def csv_safe(text: str) -> str:
    """A leading = + - @ (or tab/CR) would make Excel evaluate the cell: quote it with an apostrophe."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _write_xlsx(entries: list[AuditEntry], path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "操作日志"
    ws.append(list(COLUMNS))
    for cell in ws[1]:
        cell.font = Font(bold=True, name="宋体")
    for e in entries:
        ws.append(list(e.row()))
        for cell in ws[ws.max_row]:
            cell.data_type = "s"  # openpyxl would store "=..." as a formula
    for letter, width in zip("ABCDEFGH", (20, 10, 30, 8, 10, 8, 50, 50)):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A2"
    wb.save(path)
