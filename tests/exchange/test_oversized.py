"""Every reader of an untrusted file refuses one just over its size limit, before reading it, with a Chinese
reason that names the size and the limit, and changes nothing.

Each file is a real one (a JSON load file, a legacy ledger, a package, an annex 1 form) grown to one byte over
the limit with a sparse tail: no disk blocks are written, and only its size can be what is refused.
"""
import shutil
from pathlib import Path

import pytest

from ipdesk.cli import main
from ipdesk.exchange import approval, excel_form, ledger, load_json, package
from ipdesk.exchange.package import export_package
from ipdesk.reports.export import write_annex1_form

from tests.conftest import data_tables

from .conftest import banner
from .ledger_books import ledger_one

REPO = Path(__file__).resolve().parents[2]


def grown(src: Path, dst: Path, size: int) -> Path:
    shutil.copyfile(src, dst)
    with open(dst, "r+b") as fh:
        fh.truncate(size)  # a hole: the file claims the size without occupying it
    assert dst.stat().st_size == size
    return dst


def state(desk) -> tuple:
    audit = desk.db.execute("SELECT action, table_name, record_id FROM audit_log ORDER BY id").fetchall()
    backups = sorted(p.name for p in (desk.path.parent / "backups").glob("*.db"))
    return data_tables(desk), audit, backups


def cli(desk, *args) -> int:
    return main(["--db", str(desk.path), "--today", "2026-11-22", *args])


@pytest.mark.parametrize("command, limit, make", [
    ("load", load_json.MAX_BYTES, lambda tmp: REPO / "examples" / "load-example.json"),
    ("import-ledger", ledger.MAX_FILE_BYTES, lambda tmp: ledger_one(tmp / "台账.xlsx")),
])
def test_oversized_records_file_is_refused_before_anything_is_written(office, tmp_path, capsys, command, limit, make):
    desk = banner(office, "150602")
    before = state(desk)
    real = make(tmp_path)
    big = grown(real, tmp_path / f"大 文件{real.suffix}", limit + 1)
    assert cli(desk, command, str(big)) == 2
    err = capsys.readouterr().err
    assert f"错误：文件过大（{(limit + 1) / 1024 / 1024:.1f} MB，上限 {limit // 1024 // 1024} MB）" in err, err
    assert state(desk) == before  # no record, no audit entry, not even the pre-import backup


def test_one_byte_under_the_limit_is_read(office, tmp_path, capsys):
    """The limit is where the constant says: the same kind of file just inside it gets past the size check."""
    desk = banner(office, "150602")
    ok = grown(REPO / "examples" / "load-example.json", tmp_path / "ok.json", load_json.MAX_BYTES)
    assert cli(desk, "load", str(ok)) == 2
    assert "不是有效的JSON" in capsys.readouterr().err  # the NUL tail is read, and refused as JSON


@pytest.mark.parametrize("command, limit, words", [
    ("import-package", package.MAX_PACKAGE_BYTES, "不是正常的报送包"),
    ("import-form", excel_form.MAX_FORM_BYTES, "不是正常的统计表"),
])
def test_oversized_package_or_form_is_refused_and_only_the_refusal_is_logged(office, tmp_path, capsys,
                                                                               command, limit, words):
    sender = banner(office, "150625")
    city = office("150600", "鄂尔多斯市市场监督管理局", "150000", subordinates=True)
    real = tmp_path / ("real.ipdx" if command == "import-package" else "real.xlsx")
    if command == "import-package":
        approval.approve(sender, "2026-10")
        export_package(sender, "2026-10", real)
    else:
        write_annex1_form(real, sender.unit, "2026-10")
    big = grown(real, tmp_path / f"大 文件{real.suffix}", limit + 1)
    tables, audit, _ = state(city)
    assert cli(city, command, str(big)) == 1
    out = capsys.readouterr().out
    assert f"文件过大（{(limit + 1) / 1024 / 1024:.1f} MB，上限 {limit // 1024 // 1024} MB），{words}" in out, out
    assert "拒收 1 个" in out
    tables_after, audit_after, _ = state(city)
    assert tables_after == tables
    assert audit_after[:len(audit)] == audit and [a[0] for a in audit_after[len(audit):]] == ["refuse"]
