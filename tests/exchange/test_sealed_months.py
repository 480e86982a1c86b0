"""Approved figures are sealed: check recomputes each approved month and reports drift (exit non-zero); a city
importing a correction for a month it has approved asks (GUI) / refuses without --accept-after-approval (CLI)
and marks its own approval as needing a 更正."""
import sqlite3
from datetime import date

import pytest

from ipdesk.checkup import check_database
from ipdesk.cli import main
from ipdesk.errors import IpdeskError
from ipdesk.exchange import approval
from ipdesk.exchange.package import export_package
from ipdesk.exchange.receive import NEW, REFUSED, REPLACE, import_packages

from .conftest import banner


def test_a_direct_edit_of_an_approved_month_is_reported_by_check(office, tmp_path, capsys):
    b = banner(office, "150602")
    approval.approve(b, "2026-10")
    ok, lines = check_database(str(b.path), today=date(2026, 11, 22))
    assert ok, lines
    assert any("已审核月份核对：" in line and "全部与记录一致" in line for line in lines)
    case_id = b.db.execute("SELECT id FROM cases WHERE substr(filed_date, 1, 7) = '2026-10' LIMIT 1").fetchone()[0]
    b.close()
    conn = sqlite3.connect(b.path)  # what escapes every guard: an edit of the file itself
    conn.execute("UPDATE cases SET category = '假冒专利' WHERE id = ?", [case_id])
    conn.commit()
    conn.close()
    ok, lines = check_database(str(b.path), today=date(2026, 11, 22))
    assert not ok
    drift = [line for line in lines if line.startswith("错误 已审核的2026年10月与现有记录不符")]
    assert drift and "→" in drift[0]
    assert main(["--db", str(b.path), "--today", "2026-11-22", "check"]) != 0


def _approved_city_with_one_banner(office, tmp_path):
    b = banner(office, "150602")
    b.clock["today"] = date(2026, 11, 10)
    approval.approve(b, "2026-10")
    r1 = tmp_path / "r1.ipdx"
    export_package(b, "2026-10", r1)
    c = office("150600", "鄂尔多斯市市场监督管理局", "150000", subordinates=True)
    c.clock["today"] = date(2026, 11, 10)
    assert import_packages(c, [r1])[0].status == NEW
    c.clock["today"] = date(2026, 11, 22)
    for key in [f.key for f in approval.period_findings(c, "2026-10") if not f.is_error]:
        c.explanations.explain("2026-10", key, "其余旗区未报送，已电话催报")
    approval.approve(c, "2026-10")
    b.clock["today"] = date(2026, 11, 23)
    approval.reopen(b, "2026-10", b.user, "补录一件案件")
    b.records.save("work_items", {"date": "2026-10-12", "kind": "维权援助", "count_a": 2})
    approval.approve(b, "2026-10")
    r2 = tmp_path / "r2.ipdx"
    export_package(b, "2026-10", r2)
    c.clock["today"] = date(2026, 11, 23)
    return b, c, r2


def test_a_city_refuses_a_correction_for_a_month_it_approved_unless_told(office, tmp_path):
    b, c, r2 = _approved_city_with_one_banner(office, tmp_path)
    [v] = import_packages(c, [r2])
    assert v.status == REFUSED and "已审核" in v.reason and "--accept-after-approval" in v.reason
    assert approval.active_submission(c, "2026-10")["stale_reason"] is None
    assert main(["--db", str(c.path), "--today", "2026-11-23", "import-package", str(r2)]) != 0
    assert main(["--db", str(c.path), "--today", "2026-11-23", "import-package", "--accept-after-approval",
                 str(r2)]) == 0
    sub = approval.active_submission(c, "2026-10")
    assert sub["stale_reason"] and "须发起更正" in sub["stale_reason"]
    # What was approved is not re-sent as it was; check names the month; a 更正 clears it.
    with pytest.raises(IpdeskError, match="请先发起更正"):
        export_package(c, "2026-10", tmp_path / "city.ipdx")
    ok, lines = check_database(str(c.path), today=date(2026, 11, 23))
    assert not ok and any("已审核的2026年10月与现有记录不符" in line for line in lines)
    approval.reopen(c, "2026-10", c.user, "下级单位更正")
    approval.approve(c, "2026-10")
    export_package(c, "2026-10", tmp_path / "city.ipdx")
    assert check_database(str(c.path), today=date(2026, 11, 23))[0]


def test_the_gui_asks_before_accepting_after_approval(office, tmp_path, qtbot, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from ipdesk.ui.pages.submissions import SubmissionsPage

    b, c, r2 = _approved_city_with_one_banner(office, tmp_path)
    assert SubmissionsPage.ask_after_approval  # the page's question, answered below
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a[2]) or QMessageBox.No)
    [v] = import_packages(c, [r2], dry_run=True)
    assert v.status == REFUSED
    from ipdesk.exchange.receive import inspect_package

    verdict = inspect_package(c, r2)
    assert verdict.status == REPLACE and verdict.after_approval
    assert SubmissionsPage.ask_after_approval(None, verdict) is False
    assert "须发起更正" in asked[0]
