"""Excel round trip: a unit fills in the 附件1 Excel form without the app; the city imports it
with the same checks as a package, through the same storage."""
import zipfile

import openpyxl
import pytest

from ipdesk.cli import main
from ipdesk.exchange.consolidate import consolidate
from ipdesk.exchange.excel_form import read_form_table
from ipdesk.exchange.receive import DUPLICATE, NEW, REFUSED, REPLACE, import_packages, received_rows
from ipdesk.reports.export import write_annex1_form, write_table
from ipdesk.exchange.excel_form import read_ipdesk_map

from tests.conftest import data_tables

from .conftest import banner

PERIOD = "2026-10"


@pytest.fixture
def city(office):
    return office("150600", "鄂尔多斯市市场监督管理局", "150000", subordinates=True)


def fill(path, values: dict):
    """Type numbers into a form's mapped cells, as a person would in Excel."""
    wb = openpyxl.load_workbook(path)
    _, cells = read_ipdesk_map(wb)
    for (cid, which), value in values.items():
        sheet, coord = cells[(cid, which)]
        wb[sheet][coord] = value
    wb.save(path)
    return cells


def test_filled_export_round_trips_into_the_consolidation(office, city, tmp_path):
    b = banner(office, "150621", months=14)
    own = b.figures.annex1(PERIOD)
    path = tmp_path / "达拉特旗10月.xlsx"
    write_table(b, own, "xlsx", path)
    verdicts = import_packages(city, [path])
    assert verdicts[0].status == NEW, verdicts[0].reason
    table, _ = consolidate(city, PERIOD, include_own=False)
    for cid, cell in own.catalog.cells().items():
        for which in ("current", "ytd"):
            a, b_ = table.value(cid, which), own.value(cid, which)
            if cell.is_money:  # printed in 万元 with 4 decimals: the printed figures come back as printed
                assert table.display(cid, which) == own.display(cid, which), (cid, which)
            else:
                assert a == b_, (cid, which)
    assert import_packages(city, [path])[0].status == DUPLICATE


def test_blank_form_typed_in_by_hand(city, tmp_path):
    path = tmp_path / "blank.xlsx"
    write_annex1_form(path, {"code": "150625", "name": "杭锦旗市场监督管理局"}, PERIOD)
    typed = {("A.actions", "current"): 12, ("A.actions", "ytd"): 95, ("A.officers", "current"): "40",
             ("A.officers", "ytd"): 300}
    for row in ("tm1", "tm_subtotal", "total"):  # two cases filed, a fine of 1.5 万元: every row that adds up
        for col, value in (("filed", 2), ("filed_general", 2), ("open_end", 2), ("fine", 1.5),
                           ("penalty_total", 1.5)):
            typed[(f"B.{row}.{col}", "current")] = typed[(f"B.{row}.{col}", "ytd")] = value
    fill(path, typed)
    table, _ = read_form_table(path)
    assert table.unit_code == "150625" and table.period.code == PERIOD
    assert table.value("A.actions") == 12 and table.value("A.actions", "ytd") == 95
    assert table.value("A.officers") == 40  # a number typed as text is still a number
    assert table.value("B.tm1.fine") == 1_500_000  # 1.5 万元 in 分
    assert table.value("A.fairs") == 0  # a derived cell left blank is a zero a person did not type
    assert table.value("A.key_markets") is None  # a hand-reported cell left blank is 未填报
    assert import_packages(city, [path])[0].status == NEW
    assert received_rows(city, PERIOD)[0]["unit_code"] == "150625"


@pytest.mark.parametrize("values, words", [
    ({("A.actions", "current"): "十二"}, "应为数字"),
    ({("A.actions", "current"): -3}, "负数"),
    ({("A.actions", "current"): 2.5}, "整数"),
    ({("B.tm1.filed", "current"): 3}, "未通过校验"),  # 合计/小计 and 一般+简易 no longer add up
    ({("A.actions", "current"): 5, ("A.actions", "ytd"): 4}, "不能小于本期"),
    ({("B.tm1.fine", "current"): 1e308}, "超出合理范围"),  # no 分 for it: never a traceback
])
def test_bad_workbooks_are_refused_and_change_nothing(city, tmp_path, values, words):
    path = tmp_path / "bad.xlsx"
    write_annex1_form(path, {"code": "150625", "name": "杭锦旗市场监督管理局"}, PERIOD)
    fill(path, values)
    before = data_tables(city)
    v = import_packages(city, [path])[0]
    assert v.status == REFUSED and words in v.reason
    assert data_tables(city) == before


def test_wrong_unit_junk_and_oversized_files_are_refused(office, city, tmp_path):
    other = office("150202", "东河区市场监督管理局", "150200")
    path = tmp_path / "baotou.xlsx"
    write_table(other, other.figures.annex1(PERIOD), "xlsx", path)
    assert "不是本单位" in import_packages(city, [path])[0].reason
    junk = tmp_path / "junk.xlsx"
    with zipfile.ZipFile(junk, "w") as zf:
        zf.writestr("hello.txt", "not a workbook")
    assert "不是 Excel" in import_packages(city, [junk])[0].reason
    big = tmp_path / "big.xlsx"
    big.write_bytes(b"0" * (6 * 1024 * 1024))
    assert "过大" in import_packages(city, [big])[0].reason
    assert received_rows(city) == []


def test_a_second_workbook_corrects_the_first_with_its_difference(city, tmp_path):
    first, second = tmp_path / "v1.xlsx", tmp_path / "v2.xlsx"
    for path, n in ((first, 12), (second, 15)):
        write_annex1_form(path, {"code": "150625", "name": "杭锦旗市场监督管理局"}, PERIOD)
        fill(path, {("A.actions", "current"): n, ("A.actions", "ytd"): n})
    assert import_packages(city, [first])[0].status == NEW
    # A workbook never silently replaces what was received: refused, then accepted with --replace.
    refused = import_packages(city, [second])[0]
    assert refused.status == REFUSED and "--replace" in refused.reason
    v = import_packages(city, [second], replace_forms=True)[0]
    assert v.status == REPLACE
    assert [(c.cell_id, c.old, c.new) for c in v.diff] == [("A.actions", "12", "15")] * 2  # 本期 and 本年累计
    rows = received_rows(city, PERIOD)
    assert len(rows) == 1 and rows[0]["revision"] == 2


def test_lost_map_falls_back_to_the_catalogue_layout(city, tmp_path):
    path = tmp_path / "nomap.xlsx"
    write_annex1_form(path, {"code": "150625", "name": "杭锦旗市场监督管理局"}, PERIOD)
    fill(path, {("C.complaints", "current"): 4, ("C.complaints", "ytd"): 4})
    wb = openpyxl.load_workbook(path)
    del wb["_ipdesk"]
    wb.save(path)
    assert "请指定单位" in import_packages(city, [path])[0].reason
    v = import_packages(city, [path], form_unit="150625", form_period=PERIOD)[0]
    assert v.status == NEW, v.reason
    table, _ = read_form_table(path, unit={"code": "150625", "name": "杭锦旗"}, period=PERIOD)
    assert table.value("C.complaints") == 4
    wb = openpyxl.load_workbook(path)
    wb[wb.sheetnames[0]].insert_rows(8)  # someone added a row: the layout no longer matches
    wb.save(path)
    with pytest.raises(Exception, match="结构已被改动"):
        read_form_table(path, unit={"code": "150625", "name": "杭锦旗"}, period=PERIOD)


def test_formulas_are_not_evaluated(city, tmp_path):
    path = tmp_path / "formula.xlsx"
    write_annex1_form(path, {"code": "150625", "name": "杭锦旗市场监督管理局"}, PERIOD)
    fill(path, {("A.actions", "current"): "=1+1", ("A.officers", "current"): 3})
    _, cells = read_ipdesk_map(openpyxl.load_workbook(path))
    # Saved by a program that does not calculate: no value, reported with its cell, never read as blank or 0
    [v] = import_packages(city, [path])
    sheet, coord = cells[("A.actions", "current")]
    assert v.status == REFUSED and f"{sheet}!{coord}（开展执法行动，本期）" in v.reason, v.reason
    assert "1 个填报格是公式，文件中没有计算结果" in v.reason and "保存后再导入" in v.reason
    # As Excel saves it: the value it calculated is read (the formula itself never is)
    _cache(path, "1+1", b"2")
    table, _ = read_form_table(path)
    assert table.value("A.actions") == 2 and table.value("A.officers") == 3


def _cache(path, formula: str, value: bytes, *, error: bool = False):
    """Give a formula cell the value Excel would have saved with it (or an error value such as #REF!)."""
    import re

    with zipfile.ZipFile(path) as zf:
        members = {i.filename: zf.read(i) for i in zf.infolist()}
    pattern = rb'(<c [^>]*?)(?: t="\w+")?(>\s*<f>' + re.escape(formula.encode()) + rb'</f>)\s*(?:<v\s*/>|<v>[^<]*</v>)'
    done = 0
    for name in [n for n in members if n.startswith("xl/worksheets/")]:
        members[name], n = re.subn(pattern, rb'\1' + (b' t="e"' if error else b"") + rb"\2<v>" + value + b"</v>",
                                   members[name])
        done += n
    assert done, formula
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)


def test_error_values_are_reported_and_a_total_showing_one_is_worked_out(city, tmp_path):
    path = tmp_path / "errors.xlsx"
    write_annex1_form(path, {"code": "150625", "name": "杭锦旗市场监督管理局"}, PERIOD)
    fill(path, {("A.actions", "current"): "=1/0", ("A.officers", "current"): 3})
    _cache(path, "1/0", b"#DIV/0!", error=True)
    [v] = import_packages(city, [path], dry_run=True)
    assert v.status == REFUSED and "（开展执法行动，本期） 显示错误值 #DIV/0!" in v.reason, v.reason
    # The form's own 合计 showing an error (a part was typed as text, since fixed): worked out from its parts
    fill(path, {("A.actions", "current"): 2, ("B.tm1.filed", "current"): 2, ("B.tm1.filed_general", "current"): 2,
                ("B.tm1.open_end", "current"): 2})
    _, cells = read_ipdesk_map(openpyxl.load_workbook(path))
    total = openpyxl.load_workbook(path)[cells[("B.total.filed", "current")][0]][cells[("B.total.filed", "current")][1]]
    _cache(path, total.value.lstrip("="), b"#VALUE!", error=True)
    table, _ = read_form_table(path)
    assert table.value("B.total.filed") == 2 and table.value("B.tm_subtotal.filed") == 2


def test_cli_export_blank_and_import_form(city, tmp_path, capsys):
    db = str(city.path)
    city.close()
    out = tmp_path / "杭锦旗 空表.xlsx"
    assert main(["--db", db, "--today", "2026-11-22", "export-form", "--period", PERIOD, "--blank",
                 "--unit-code", "150625", "--out", str(out)]) == 0
    fill(out, {("A.actions", "current"): 7, ("A.actions", "ytd"): 7})
    assert main(["--db", db, "--today", "2026-11-22", "import-form", str(out), "--dry-run"]) == 0
    assert "接收" in capsys.readouterr().out
    assert main(["--db", db, "--today", "2026-11-22", "import-form", str(out)]) == 0
    assert main(["--db", db, "--today", "2026-11-22", "import-form", str(out)]) == 0
    assert "已接收过" in capsys.readouterr().out


def test_a_workbook_replacing_a_package_changes_only_what_it_changes(office, city, tmp_path):
    """A unit sent its package; the same figures typed into the Excel form arrive later. Without --replace the
    form is refused; with it, the difference lists only real changes (no 5.3771 → 5.3771: values compared
    as printed), and the unit's 附件2 rows stay in the consolidation."""
    from ipdesk.exchange import approval
    from ipdesk.exchange.consolidate import consolidate
    from ipdesk.exchange.package import export_package
    from ipdesk.reports.export import write_table

    from .conftest import banner

    b = banner(office, "150625", months=3)
    b.clock["today"] = city.today()
    approval.approve(b, PERIOD)
    export_package(b, PERIOD, tmp_path / "p.ipdx")
    assert import_packages(city, [tmp_path / "p.ipdx"])[0].status == NEW
    rows_before = len(consolidate(city, PERIOD)[1].rows)
    assert rows_before > 0
    form = tmp_path / "form.xlsx"
    write_table(b, b.figures.annex1(PERIOD), "xlsx", form)
    [refused] = import_packages(city, [form])
    assert refused.status == REFUSED and "不会自动替换" in refused.reason
    [same] = import_packages(city, [form], dry_run=True, replace_forms=True)
    assert same.status == REPLACE and same.diff == [], [(c.where, c.old, c.new) for c in same.diff[:3]]
    fill(form, {("A.actions", "current"): b.figures.annex1(PERIOD).value("A.actions") + 1})
    [v] = import_packages(city, [form], replace_forms=True)
    assert v.status == REPLACE and [c.cell_id for c in v.diff] == ["A.actions"]
    assert v.annex2_change == "附件2无变化"
    a1, a2 = consolidate(city, PERIOD)
    assert len(a2.rows) == rows_before and a1.value("A.actions") == b.figures.annex1(PERIOD).value("A.actions") + 1


def _as_saved_by_excel(path):
    """The form as Excel saves it untouched: every formula cell holds its calculated value (0 for a 合计 of
    empty cells), as a program that never recalculates (openpyxl, xlsxwriter) would not."""
    import re

    with zipfile.ZipFile(path) as zf:
        members = {i.filename: zf.read(i) for i in zf.infolist()}
    for name, data in members.items():
        if name.startswith("xl/worksheets/"):
            # <v/> (openpyxl) or <v></v> (xlsxwriter) after a sum formula; a ratio's IF(…,"",…) stays empty
            members[name] = re.sub(rb'(<c [^>]*?)(?: t="str")?(>\s*<f>[A-Z0-9+-]*</f>)\s*(?:<v\s*/>|<v>\s*</v>)',
                                   rb"\1\2<v>0</v>", data)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)


@pytest.mark.parametrize("saved_by_excel", [False, True])
def test_a_blank_form_is_no_report_not_an_all_zero_month(city, tmp_path, saved_by_excel):
    """Nothing typed in is refused (never stored as a report of zeros), also when Excel has filled every
    合计 with its calculated 0 and when the cells hold only the no-data marks (— 无)."""
    path = tmp_path / "空表.xlsx"
    write_annex1_form(path, {"code": "150625", "name": "杭锦旗市场监督管理局"}, PERIOD)
    fill(path, {("A.actions", "current"): "—", ("C.complaints", "ytd"): "无"})
    if saved_by_excel:
        _as_saved_by_excel(path)
        assert read_sheets_value(path, "B.total.filed") == 0  # the workbook really carries the cached 0
    before = data_tables(city)
    [v] = import_packages(city, [path])
    assert v.status == REFUSED and "表格中没有填写任何数字" in v.reason and "填写 0" in v.reason
    assert data_tables(city) == before
    with pytest.raises(Exception, match="表格中没有填写任何数字"):
        read_form_table(path)


def read_sheets_value(path, cid, which="current"):
    from ipdesk.exchange.xlsx_cells import read_sheets

    _, cells = read_ipdesk_map(openpyxl.load_workbook(path))
    sheet, coord = cells[(cid, which)]
    col = openpyxl.utils.column_index_from_string(coord.rstrip("0123456789")) - 1
    row = int(coord[len(coord.rstrip("0123456789")):])
    [cells_] = read_sheets(path, max_rows=5000, max_columns=100, only=sheet)
    values = dict(cells_.rows).get(row, [])
    return values[col] if col < len(values) else None


def test_typed_zeros_are_an_all_zero_month_and_the_receiver_is_told(office, city, tmp_path, capsys):
    """A month with nothing to report is a form with 0 typed in (one typed 0 is enough; the cells left blank
    beside it count as 0, as before). It is received, with a note that every figure is 0; the app's own
    export of an empty month writes its zeros and is received the same way."""
    typed = tmp_path / "零.xlsx"
    write_annex1_form(typed, {"code": "150625", "name": "杭锦旗市场监督管理局"}, PERIOD)
    fill(typed, {("A.actions", "current"): 0})
    [v] = import_packages(city, [typed], dry_run=True)
    assert v.status == NEW and "全部为 0" in v.reason
    empty = office("150621", "达拉特旗市场监督管理局", "150600")
    exported = tmp_path / "达拉特旗 零.xlsx"
    write_table(empty, empty.figures.annex1(PERIOD), "xlsx", exported)
    db = str(city.path)
    city.close()
    assert main(["--db", db, "--today", "2026-11-22", "import-form", str(typed), str(exported)]) == 0
    out = capsys.readouterr().out
    assert out.count("全部为 0") == 2 and "拒收 0 个" in out


def test_cli_refuses_a_blank_form_with_its_message(city, tmp_path, capsys):
    path = tmp_path / "blank.xlsx"
    db = str(city.path)
    city.close()
    assert main(["--db", db, "--today", "2026-11-22", "export-form", "--period", PERIOD, "--blank",
                 "--unit-code", "150625", "--out", str(path)]) == 0
    assert main(["--db", db, "--today", "2026-11-22", "import-form", str(path)]) == 1
    out = capsys.readouterr().out
    assert "拒收：blank.xlsx——表格中没有填写任何数字" in out and "拒收 1 个" in out


@pytest.mark.parametrize("period, label", [("2026-Q3", "2026年第三季度（2026-Q3）"), ("2026-H1", "2026年上半年（2026-H1）"),
                                           ("2025", "2025年（2025）"), ("2026-B4", "2026年7—8月（2026-B4）")])
def test_forms_of_other_periods_than_a_month_are_refused(office, city, tmp_path, period, label):
    """Units send months; a quarter's, half-year's or year's form would be stored beside its months."""
    typed = tmp_path / "typed.xlsx"
    write_annex1_form(typed, {"code": "150625", "name": "杭锦旗市场监督管理局"}, period)
    fill(typed, {("A.actions", "current"): 12, ("A.actions", "ytd"): 30})
    b = banner(office, "150621", months=14)
    exported = tmp_path / "exported.xlsx"
    write_table(b, b.figures.annex1(period), "xlsx", exported)
    before = data_tables(city)
    for v in import_packages(city, [typed, exported]):
        assert v.status == REFUSED and label in v.reason and "按月" in v.reason, v.reason
    assert data_tables(city) == before


def test_a_period_given_for_a_form_must_be_a_month_too(city, tmp_path, capsys):
    path = tmp_path / "十月.xlsx"
    write_annex1_form(path, {"code": "150625", "name": "杭锦旗市场监督管理局"}, PERIOD)
    fill(path, {("A.actions", "current"): 3, ("A.actions", "ytd"): 3})
    db = str(city.path)
    city.close()
    assert main(["--db", db, "--today", "2026-11-22", "import-form", str(path), "--period", "2026-Q1"]) == 1
    assert "2026年第一季度（2026-Q1），不能接收" in capsys.readouterr().out
    assert main(["--db", db, "--today", "2026-11-22", "export-form", "--period", "2026-Q1", "--blank",
                 "--unit-code", "150625", "--out", str(tmp_path / "q1.xlsx")]) != 0
    assert "不能导出" in capsys.readouterr().err and not (tmp_path / "q1.xlsx").exists()
    assert main(["--db", db, "--today", "2026-11-22", "import-form", str(path)]) == 0  # the month itself


def _with_sheet(path, rows: int, columns: int = 20, *, into_form: bool = False, first_row: int = 1,
                zeros: bool = False):
    """Add ``rows`` rows of figures to the workbook, as XML written straight into its zip (openpyxl would take
    a minute for a 5 MB workbook): a sheet 数据 of its own, or below the form on the form's sheet."""
    from openpyxl.utils import get_column_letter

    letters = [get_column_letter(c + 1) for c in range(columns)]
    body = "".join(f'<row r="{r}">' + "".join(f'<c r="{c}{r}"><v>{0 if zeros else (r * 2654435761 + i * 40503) % 1000003}</v></c>'
                                               for i, c in enumerate(letters)) + "</row>"
                   for r in range(first_row, first_row + rows))
    with zipfile.ZipFile(path) as zf:
        members = {i.filename: zf.read(i) for i in zf.infolist()}
    if into_form:
        name = "xl/worksheets/sheet1.xml"
        members[name] = members[name].replace(b"</sheetData>", body.encode() + b"</sheetData>")
    else:
        main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
        members["xl/worksheets/sheet9.xml"] = (f'<worksheet xmlns="{main}"><sheetData>{body}</sheetData></worksheet>'
                                               ).encode()
        members["xl/workbook.xml"] = members["xl/workbook.xml"].replace(
            b"</sheets>", '<sheet name="数据" sheetId="9" r:id="rId99"/></sheets>'.encode())
        members["xl/_rels/workbook.xml.rels"] = members["xl/_rels/workbook.xml.rels"].replace(
            b"</Relationships>", b'<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/officeDocument/'
            b'2006/relationships/worksheet" Target="worksheets/sheet9.xml"/></Relationships>')
        members["[Content_Types].xml"] = members["[Content_Types].xml"].replace(
            b"</Types>", b'<Override PartName="/xl/worksheets/sheet9.xml" ContentType="application/'
            b'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


def _typed_form(path):
    write_annex1_form(path, {"code": "150625", "name": "杭锦旗市场监督管理局"}, PERIOD)
    fill(path, {("A.actions", "current"): 12, ("A.actions", "ytd"): 30})
    return path


def test_a_5mb_workbook_is_read_streaming_in_little_memory(city, tmp_path):
    """A form with 5 MB of figures on another sheet (openpyxl's full load took 372 MB for such a file, 723 MB
    for 1.8 million zeros): only the form's sheet and its map are read, as a stream."""
    import tracemalloc

    path = _with_sheet(_typed_form(tmp_path / "大.xlsx"), 37_000)
    assert 4.0 < path.stat().st_size / 1048576 < 5.0
    tracemalloc.start()
    try:
        table, _ = read_form_table(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert table.value("A.actions") == 12 and table.value("A.actions", "ytd") == 30
    assert peak < 30 * 1024 * 1024, f"{peak / 1048576:.0f} MB"
    assert import_packages(city, [path], dry_run=True)[0].status == NEW


@pytest.mark.parametrize("rows, columns, first, words", [
    (1200, 10, 80, "超过 1000 行"),  # figures pasted below the form
    (3, 70, 80, "超过 64 列"),
    (60_000, 20, 80, "内容过多"),  # zeros: the sheet's XML alone is past 8 MB, refused before it is read
])
def test_a_form_sheet_far_larger_than_a_form_is_refused(city, tmp_path, rows, columns, first, words):
    path = _with_sheet(_typed_form(tmp_path / "超大.xlsx"), rows, columns, into_form=True, first_row=first,
                       zeros=rows > 10_000)
    before = data_tables(city)
    [v] = import_packages(city, [path])
    assert v.status == REFUSED and words in v.reason and "附件1" in v.reason, v.reason
    assert data_tables(city) == before
