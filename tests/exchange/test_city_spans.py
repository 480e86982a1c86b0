"""City consolidation over any period: three banners send January–June; the quarter and the half add up
their months cell by cell, say which units they include and which have not sent, and the chain goes up
to the region unchanged."""
import json
import subprocess
import sys
from datetime import date

import pytest

from ipdesk.catalog.model import CLOSING, FLOW, OPENING, RATIO, STOCK
from ipdesk.domain.periods import Period
from ipdesk.exchange import approval
from ipdesk.exchange.consolidate import consolidate, consolidation
from ipdesk.exchange.package import export_package, read_package
from ipdesk.exchange.receive import NEW, import_packages

from tests.conftest import subprocess_env

from .test_city import printed

JULY = date(2026, 7, 25)
MONTHS = [f"2026-{m:02d}" for m in range(1, 7)]


def send_months(desk, folder, months=MONTHS, skip=None):
    """Approve the months in order and export each (but ``skip``, approved and not sent)."""
    paths = []
    for m in months:
        for f in approval.period_findings(desk, m):
            if not f.is_error:
                desk.explanations.explain(m, f.key, "已核实")
        approval.approve(desk, m)
        if m == skip:
            continue
        path = folder / f"{desk.unit['code']}-{m}.ipdx"
        export_package(desk, m, path)
        paths.append(path)
    return paths


@pytest.fixture(scope="module")
def half_year(tmp_path_factory):
    """Three Ordos banners' packages for January–June (the third skips March), made once."""
    from ipdesk.desk import Desk
    from ipdesk.demo import generate_demo

    folder = tmp_path_factory.mktemp("half")
    made = {}
    for code, name, skip in (("150602", "东胜区", None), ("150621", "达拉特旗", None), ("150627", "伊金霍洛旗", "2026-03")):
        desk = Desk.open(folder / f"{code}.db", create=True, today=lambda: JULY)
        desk.initialize(code, f"{name}市场监督管理局", "150600")
        generate_demo(desk, 19, int(code) % 97)
        desk.records.set_manual_cell("A.key_markets", "2026-02", 3 + int(code) % 5)
        made[code] = send_months(desk, folder, skip=skip)
        desk.close()
    return folder, made


def ordos(office, folder, made):
    c = office("150600", "鄂尔多斯市市场监督管理局", "150000", subordinates=True, today=JULY)
    verdicts = import_packages(c, [p for paths in made.values() for p in paths])
    assert {v.status for v in verdicts} == {NEW}, [v.reason for v in verdicts if v.status != NEW]
    return c


def _total(values):
    present = [v for v in values if v is not None]
    return sum(present) if present else None


def assert_sum_of_months(c, span: str):
    """Each cell of the span from the months' consolidations: flows add up over the months each unit sent,
    上期未结 is each unit's first sent month's, 期末未结 and the stock its last one's, 本年累计 its latest."""
    whole = consolidation(c, span).annex1
    per_month = [{u.code: u for u in consolidation(c, m.code).units if u.sent}
                 for m in Period.parse(span).month_periods()]
    codes = sorted({code for month in per_month for code in month})
    for cid, cell in whole.catalog.cells().items():
        if cell.ytd == RATIO:
            continue
        for which in ("current", "prev_current", "ytd", "prev_ytd"):
            by_unit = []
            for code in codes:
                sent = [month[code] for month in per_month if code in month]
                if which in ("ytd", "prev_ytd"):
                    by_unit.append(sent[-1].value(cid, which))
                elif cell.ytd == FLOW:
                    by_unit.append(_total(u.value(cid, which) for u in sent))
                elif cell.ytd == OPENING:
                    by_unit.append(sent[0].value(cid, which))
                else:
                    assert cell.ytd in (CLOSING, STOCK)
                    by_unit.append(sent[-1].value(cid, which))
            assert whole.value(cid, which) == _total(by_unit), (span, cid, which)


def test_quarter_and_half_are_the_sum_of_their_months(office, half_year):
    folder, made = half_year
    c = ordos(office, folder, made)
    assert_sum_of_months(c, "2026-Q1")
    assert_sum_of_months(c, "2026-H1")
    assert_sum_of_months(c, "2026-B2")
    q1 = consolidation(c, "2026-Q1")
    included = {u["unit_code"]: u["months"] for u in q1.units_included}
    assert included == {"150602": MONTHS[:3], "150621": MONTHS[:3], "150627": ["2026-01", "2026-02"]}
    missing = {u["unit_code"]: u["months"] for u in q1.units_missing}
    assert missing["150627"] == ["2026-03"] and missing["150603"] == MONTHS[:3] and len(missing) == 7
    # What was sent is what is summed: the printed totals are the sum of the units' printed figures.
    sent_wan = sum(next(x["current"] for x in read_package(p).annex1_json["cells"] if x["id"] == "B.total.penalty_total")
                   for paths in made.values() for p in paths)
    h1 = consolidation(c, "2026-H1")
    assert h1.annex1.display("B.total.penalty_total") == f"{sent_wan:.4f}"
    assert h1.annex1.value("B.total.penalty_total") == sum(u.value("B.total.penalty_total") or 0 for u in h1.units)
    # The check list names who has not sent, as a month's approval does, with the months missing.
    assert {f.key for f in h1.findings} == {f"missing:{u['unit_code']}" for u in h1.units_missing}
    [ejin] = [f.message for f in h1.findings if f.key == "missing:150627"]
    assert ejin == "伊金霍洛旗市场监督管理局尚未报送2026年3月数据，汇总表不含这些月份"
    assert "尚未报送2026年上半年数据，汇总表不含该单位" in next(f.message for f in h1.findings if f.key == "missing:150603")
    assert not any(f.is_error for f in h1.findings)


def test_span_without_packages_says_so(office, half_year, tmp_path):
    folder, made = half_year
    c = ordos(office, folder, made)
    c.clock["today"] = date(2026, 11, 2)
    empty = consolidation(c, "2026-Q3")
    assert not empty.has_packages and [f.key for f in empty.findings][-1] == "no_data:2026-Q3"
    assert len(empty.findings) == len(empty.units) + 1  # every unit is named as not having sent
    assert empty.annex1.value("B.total.filed") is None and empty.annex1.display("B.total.filed") == "—"
    assert "未收到任何下级单位报送的数据" in empty.annex1.scope["coverage"]
    # The stock cell keeps each unit's latest earlier value (June), the flows stay 未填报.
    assert empty.annex1.value("A.key_markets") == consolidation(c, "2026-06").annex1.value("A.key_markets")


def test_cli_consolidate_quarter_json_and_pdf(office, half_year, tmp_path):
    import pdfplumber

    folder, made = half_year
    c = ordos(office, folder, made)
    expected = consolidation(c, "2026-Q1").annex1
    c.close()

    def run(*args):
        return subprocess.run([sys.executable, "-m", "tests.cli_harness", "--db", str(c.path), "--today", "2026-07-25", *args],
                              capture_output=True, text=True, env=subprocess_env())
    r = run("consolidate", "--period", "2026-Q1", "--out", str(tmp_path / "q1.json"))
    assert r.returncode == 0, r.stderr
    data = json.loads((tmp_path / "q1.json").read_text(encoding="utf-8"))
    a1 = data["annex1"]
    assert a1["consolidated"] is True and a1["period"] == "2026-Q1"
    assert {u["unit_code"] for u in a1["units_included"]} == {"150602", "150621", "150627"}
    assert {"unit_code": "150627", "unit_name": "伊金霍洛旗市场监督管理局", "months": ["2026-03"]} in a1["units_missing"]
    filed = next(x for x in a1["cells"] if x["id"] == "B.total.filed")
    assert filed["current"] == expected.value("B.total.filed") > 0
    assert data["annex2"]["units_included"] == a1["units_included"]
    r = run("consolidate", "--period", "2026-Q1", "--format", "pdf", "--table", "annex1", "--out", str(tmp_path / "q.pdf"))
    assert r.returncode == 0, r.stderr
    with pdfplumber.open(tmp_path / "q.pdf") as doc:
        text = "".join(p.extract_text() or "" for p in doc.pages).replace("\n", "")
    assert "知识产权行政保护工作数据统计表（汇总）" in text
    assert "汇总单位：东胜区、达拉特旗、伊金霍洛旗（1、2月）；未报送：康巴什区" in text
    assert "2026年第一季度" in text


def test_region_consolidating_two_leagues_equals_all_banners(office, half_year, tmp_path):
    """Two leagues consolidate their banners and send up; the region's figures are every banner's."""
    folder, made = half_year
    b_hohhot = office("150102", "新城区市场监督管理局", "150100", today=JULY, months=10, seed=5)
    hohhot_paths = send_months(b_hohhot, tmp_path, ["2026-01", "2026-02"])
    ordos_city = ordos(office, folder, made)
    hohhot = office("150100", "呼和浩特市市场监督管理局", "150000", subordinates=True, today=JULY)
    import_packages(hohhot, hohhot_paths)
    region = office("150000", "内蒙古自治区市场监督管理局", None, subordinates=True, today=JULY)
    for league in (ordos_city, hohhot):
        paths = send_months(league, tmp_path, ["2026-01", "2026-02"])
        assert {v.status for v in import_packages(region, paths)} == {NEW}
    r = consolidation(region, "2026-B1")
    assert {u["unit_code"] for u in r.units_included} == {"150600", "150100"}
    cities = [consolidation(ordos_city, "2026-B1").annex1, consolidation(hohhot, "2026-B1").annex1]
    for cid, cell in r.annex1.catalog.cells().items():
        if cell.ytd in (FLOW, OPENING, CLOSING):
            for which in ("current", "ytd"):
                parts = [t.value(cid, which) for t in cities if t.value(cid, which) is not None]
                assert r.annex1.value(cid, which) == (sum(parts) if parts else None), (cid, which)
    banner_filed = sum(printed(t, "B.total.filed") for t in
                       [consolidation(ordos_city, "2026-B1").annex1]) + sum(
        b_hohhot.figures.annex1(m).value("B.total.filed") for m in ("2026-01", "2026-02"))
    assert r.annex1.value("B.total.filed") == banner_filed
    _, a2 = consolidate(region, "2026-B1")
    assert {row["unit_name"] for row in a2.rows} >= {"新城区市场监督管理局", "东胜区市场监督管理局"}


def test_city_half_year_summary_is_the_consolidation(office, half_year, tmp_path):
    from ipdesk.reports.summary import build_summary, write_summary

    folder, made = half_year
    c = ordos(office, folder, made)
    data = build_summary(c, "2026-H1")
    h1 = consolidation(c, "2026-H1").annex1
    filed = data.table.values["B.total.filed"]
    assert filed.current == h1.value("B.total.filed", "ytd") > 0
    assert filed.prev_current == h1.value("B.total.filed", "prev_ytd")
    assert [t.value("B.total.filed") for _, t in data.months] == [
        consolidation(c, m).annex1.value("B.total.filed") for m in MONTHS]
    import pdfplumber

    pdf = write_summary(c, "2026-H1", "pdf", tmp_path / "h1.pdf", data=data)
    with pdfplumber.open(pdf) as doc:
        text = "".join(p.extract_text() or "" for p in doc.pages).replace("\n", "")
    assert "2026年上半年知识产权行政保护工作阶段性总结数据（汇总）" in text and "汇总单位：东胜区" in text
    # Before June ends the half year is counted to 31 May on both sides.
    c.clock["today"] = date(2026, 6, 18)
    early = build_summary(c, "2026-H1")
    may = consolidation(c, "2026-05").annex1
    assert early.partial and early.table.values["B.total.filed"].current == may.value("B.total.filed", "ytd")
    assert early.table.values["B.total.filed"].prev_current == may.value("B.total.filed", "prev_ytd")


def test_upgraded_city_file_keeps_its_received_figures(office, half_year, tmp_path):
    """A city file from before the cell table: the upgrade fills it from the packages already received."""
    from ipdesk.desk import Desk

    folder, made = half_year
    c = ordos(office, folder, made)
    before = consolidation(c, "2026-H1").annex1.to_json()
    cells_sql = "SELECT * FROM received_cells ORDER BY received_id, cell_id"
    stored = c.db.execute(cells_sql).fetchall()  # as each import stored them, from the parsed JSON
    c.db.execute("DROP TABLE received_cells")
    c.db.execute("DROP INDEX received_period")
    c.db.execute("DROP TABLE id_counters")  # step 16's, as a file before step 15 has none
    c.db.execute("PRAGMA user_version = 14")  # before step 15 (received_cells)
    c.close()
    again = Desk.open(c.path, today=lambda: JULY)
    try:
        assert again.db.execute("SELECT COUNT(*) FROM received_cells").fetchone()[0] == 17 * len(
            again.figures.catalog_for("2026-01").cells())
        assert consolidation(again, "2026-H1").annex1.to_json() == before
        # The upgrade's SQL reads the stored JSON: the same rows, value for value (and type for type).
        filled = again.db.execute(cells_sql).fetchall()
        assert [tuple((v, type(v)) for v in r) for r in filled] == [tuple((v, type(v)) for v in r) for r in stored]
    finally:
        again.close()


def test_consolidation_over_a_date_range_of_whole_months(office, half_year, tmp_path):
    """March–May (no standard period) from the command line's --from/--to: the sum of its months, stated
    as 2026年3—5月; a range that is not whole months, or crosses a year, is refused and writes nothing."""
    import openpyxl

    folder, made = half_year
    c = ordos(office, folder, made)
    assert_sum_of_months(c, "2026-03~2026-05")
    span = consolidation(c, Period.from_dates("2026-03-01", "2026-05-31"))
    assert span.period.code == "2026-03~2026-05" and span.period.label == "2026年3—5月"
    assert {u["unit_code"]: u["months"] for u in span.units_included}["150627"] == ["2026-04", "2026-05"]
    assert Period.from_dates("2026-01-01", "2026-03-31").code == "2026-Q1"  # a standard period stays one
    c.close()

    def run(*args):
        return subprocess.run([sys.executable, "-m", "tests.cli_harness", "--db", str(c.path), "--today", "2026-07-25",
                               "consolidate", *args], capture_output=True, text=True, env=subprocess_env())
    r = run("--from", "2026-03-01", "--to", "2026-05-31", "--out", str(tmp_path / "mam.json"))
    assert r.returncode == 0, r.stderr
    a1 = json.loads((tmp_path / "mam.json").read_text(encoding="utf-8"))["annex1"]
    assert a1["period"] == "2026-03~2026-05" and a1["months"] == ["2026-03", "2026-04", "2026-05"]
    filed = next(x for x in a1["cells"] if x["id"] == "B.total.filed")
    assert filed["current"] == span.annex1.value("B.total.filed") > 0
    r = run("--from", "2026-03-01", "--to", "2026-05-31", "--format", "xlsx", "--table", "annex1",
            "--out", str(tmp_path / "mam.xlsx"))
    assert r.returncode == 0, r.stderr
    cells = [str(x.value) for row in openpyxl.load_workbook(tmp_path / "mam.xlsx").active.iter_rows() for x in row
             if x.value is not None]
    assert any("2026年3—5月" in v for v in cells) and any("汇总单位：" in v for v in cells)
    for args, says in ((("--from", "2026-03-05", "--to", "2026-05-31"), "整月"),
                       (("--from", "2026-03-01", "--to", "2026-05-30"), "整月"),
                       (("--from", "2025-12-01", "--to", "2026-02-28"), "同一年"),
                       (("--from", "2026-05-01", "--to", "2026-03-31"), "晚于"),
                       (("--from", "2026-03-01",), "同时给出"),
                       (("--period", "2026-Q1", "--from", "2026-03-01", "--to", "2026-05-31"), "只能选其一"),
                       (("--from", "2026-3-1x", "--to", "2026-05-31"), "不是日期")):
        out = tmp_path / "refused.json"
        r = run(*args, "--out", str(out))
        assert r.returncode != 0 and says in r.stderr + r.stdout and "Traceback" not in r.stderr, (args, r.stderr)
        assert not out.exists()


def test_upgraded_city_file_keeps_its_received_case_rows(office, half_year, tmp_path):
    """A city file from before received_annex2: the upgrade copies each received package's 附件2, and the
    consolidation's 附件2 is what it was; a package received afterwards is stored there too."""
    from ipdesk.desk import Desk

    folder, made = half_year
    c = ordos(office, folder, made)
    before = consolidate(c, "2026-H1")[1].to_json()
    assert before["rows"]
    c.db.execute("DROP TABLE received_annex2")
    c.db.execute("PRAGMA user_version = 16")  # before step 17
    c.close()
    again = Desk.open(c.path, today=lambda: JULY)
    try:
        stored = again.db.execute("SELECT COUNT(*) FROM received_annex2 a JOIN received_packages r "
                                  "ON r.id = a.received_id AND r.annex2_json = a.annex2_json").fetchone()[0]
        assert stored == again.db.execute("SELECT COUNT(*) FROM received_packages").fetchone()[0] == 17
        assert consolidate(again, "2026-H1")[1].to_json() == before
    finally:
        again.close()
