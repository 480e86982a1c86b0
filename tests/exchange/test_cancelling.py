"""取消 of a long operation leaves nothing behind: no output file (each is written under a temporary name and
moved at the end), no row (every write is one transaction), no backup. Real files, real SQLite."""
from __future__ import annotations

import pdfplumber
import pytest

from ipdesk.errors import Cancelled
from ipdesk.reports.consolidated import write_consolidated
from ipdesk.exchange.ledger import import_ledger, preview_ledger, read_ledger

from .conftest import banner
from .ledger_books import ledger_one


class StopAt:
    """A progress callback that stops (as 取消 does) at the first report ``when(args)`` accepts."""

    def __init__(self, when):
        self.when, self.seen = when, []

    def __call__(self, *args):
        self.seen.append(args)
        if self.when(args):
            raise Cancelled()


def _files(folder):
    return sorted(p.name for p in folder.rglob("*") if p.is_file())


@pytest.mark.parametrize("stage", ["正在输出附件2…", "第 2 页", "正在保存…"])
def test_cancelled_consolidation_writes_neither_file(office, tmp_path, stage):
    desk = banner(office)
    out = tmp_path / "汇总" / "东胜区-汇总-2026.pdf"
    stop = StopAt(lambda args: any(isinstance(a, str) and stage in a for a in args))
    with pytest.raises(Cancelled):
        write_consolidated(desk, "2026", "pdf", out, stop)
    assert _files(tmp_path / "汇总") == []  # neither 附件1 alone nor a temporary file
    done = write_consolidated(desk, "2026", "pdf", out, lambda *_a: None)
    assert [p.name for p in done] == ["东胜区-汇总-2026.pdf", "东胜区-汇总-2026-附件2.pdf"]
    assert _files(tmp_path / "汇总") == sorted(p.name for p in done)
    for path in done:
        with pdfplumber.open(path) as pdf:
            assert len(pdf.pages) >= 1
    with pdfplumber.open(done[0]) as pdf:
        assert "附件1" in pdf.pages[0].extract_text()


def test_cancelled_bulletin_and_json_consolidation_leave_no_file(office, tmp_path):
    from ipdesk.exchange.bulletin import build_bulletin, write_bulletin

    city = office("150600", "鄂尔多斯市市场监督管理局", "150000", subordinates=True)
    bulletin = build_bulletin(city, "2026-B5")
    with pytest.raises(Cancelled):
        write_bulletin(city, bulletin, "pdf", tmp_path / "通报.pdf", StopAt(lambda args: "第 1 页" in args[0]))
    with pytest.raises(Cancelled):
        write_consolidated(city, "2026-10", "json", tmp_path / "汇总.json", StopAt(lambda args: "正在保存…" in args))
    assert _files(tmp_path) == sorted(p.name for p in tmp_path.glob("*.db*"))
    assert write_bulletin(city, bulletin, "pdf", tmp_path / "通报.pdf", lambda *_a: None).exists()


def test_cancelled_ledger_import_writes_no_case(office, tmp_path):
    desk = office("150602", "东胜区市场监督管理局", "150600")
    book = read_ledger(ledger_one(tmp_path / "l1.xlsx"))
    preview = preview_ledger(desk, book)
    before = desk.db.execute("SELECT COUNT(*), (SELECT COUNT(*) FROM audit_log) FROM cases").fetchone()
    stop = StopAt(lambda args: args[0] == args[1])  # the last report: every row checked, nothing written yet
    with pytest.raises(Cancelled):
        import_ledger(desk, preview, progress=stop)
    assert desk.db.execute("SELECT COUNT(*), (SELECT COUNT(*) FROM audit_log) FROM cases").fetchone() == before
    assert desk.records.undo_label() is None or "导入台账" not in desk.records.undo_label()
    assert import_ledger(desk, preview, progress=lambda *_a: None).imported == len(preview.readable) > 0


@pytest.mark.parametrize("stage", ["copy", "check", "name"])
def test_cancelled_backup_leaves_no_file(office, stage):
    desk = banner(office, months=12)
    folder = desk.backup_folder()
    before = _files(folder) if folder.exists() else []
    when = {"copy": lambda args: len(args) == 2 and isinstance(args[0], int),
            "check": lambda args: args == (),  # a report from inside SQLite's integrity check
            "name": lambda args: args == ("正在保存备份…",)}[stage]
    stop = StopAt(when)
    with pytest.raises(Cancelled):
        desk.backup_now("manual", progress=stop)
    assert (_files(folder) if folder.exists() else []) == before
    made = desk.backup_now("manual", progress=lambda *_a: None)
    assert made.exists() and _files(folder) == sorted([*before, made.name])


def test_cancelled_print_pack_stops_at_a_page_and_leaves_no_file(office, tmp_path):
    """打印报表 (附件1 + 附件2 in one PDF), as its preview builds it: 取消 is heard at the next page drawn."""
    from ipdesk.reports.pack import write_pack

    desk = banner(office, months=12)
    stop = StopAt(lambda args: args == ("正在排版：第 2 页",))
    with pytest.raises(Cancelled):
        write_pack(desk, "2026-10", "pdf", tmp_path / "报表.pdf", stop)
    assert ("正在排版：第 1 页",) in stop.seen and _files(tmp_path) == sorted(p.name for p in tmp_path.glob("*.db*"))
    pages = []
    write_pack(desk, "2026-10", "pdf", tmp_path / "报表.pdf", lambda *args: pages.append(args))
    with pdfplumber.open(tmp_path / "报表.pdf") as pdf:
        assert len(pdf.pages) == sum(1 for a in pages if a and str(a[0]).startswith("正在排版：第"))
