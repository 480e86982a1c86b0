"""A city names on its coverage line the units whose package says their 本年累计 counts from their 启用月份 (after
January), for a month and a span; its own package says so in turn, and the region names the city."""
from ipdesk.exchange.consolidate import FROM_FIRST_MONTH, consolidation
from ipdesk.exchange.package import read_package
from ipdesk.exchange.receive import NEW, import_packages
from ipdesk.exchange import approval
from ipdesk.reports.export import write_table

from tests.exchange.test_city_prev_year import APRIL, banner, city, send
from tests.reports.test_prev_year_outputs import pdf_lines, squash


def test_the_city_names_a_unit_counting_from_its_first_month(office, tmp_path):
    new = banner(office, "150602", "2026-03", ["2026-03-05"])
    old = banner(office, "150621", "2024-01", ["2026-01-09", "2026-03-05"])
    for month in ("2026-01", "2026-02"):
        approval.approve(old, month)
    assert "coverage_note" in read_package(send(new, tmp_path, ["2026-03"])[0]).annex1_json
    received = city(office, [tmp_path / "150602-2026-03.ipdx"] + send(old, tmp_path, ["2026-03"]))
    for period in ("2026-03", "2026-Q1", "2026-02~2026-03"):
        c = consolidation(received, period)
        assert c.counted_from_first_month == ["东胜区"], period
        assert c.annex1.scope["coverage"].endswith(f"；{FROM_FIRST_MONTH}：东胜区"), period
    t = consolidation(received, "2026-03").annex1
    assert t.value("B.total.filed", "ytd") == 3  # the values are what was sent
    text = squash("".join(pdf_lines(write_table(received, t, "pdf", tmp_path / "city.pdf"))))
    assert f"{FROM_FIRST_MONTH}：东胜区" in text

    ordos = send(received, tmp_path, ["2026-03"])[0]  # the city's package says it, the region names the city
    assert read_package(ordos).annex1_json["coverage_note"] == f"东胜区的{FROM_FIRST_MONTH}"
    region = office("150000", "内蒙古自治区市场监督管理局", None, subordinates=True, today=APRIL)
    assert {v.status for v in import_packages(region, [ordos])} == {NEW}
    assert consolidation(region, "2026-03").counted_from_first_month == ["鄂尔多斯市"]


def test_no_unit_named_when_every_ytd_is_whole(office, tmp_path):
    old = banner(office, "150621", "2024-01", ["2026-03-05"])
    for month in ("2026-01", "2026-02"):
        approval.approve(old, month)
    c = consolidation(city(office, send(old, tmp_path, ["2026-03"])), "2026-03")
    assert c.counted_from_first_month == [] and FROM_FIRST_MONTH not in c.annex1.scope["coverage"]
    assert "coverage_note" not in c.annex1.to_json()
