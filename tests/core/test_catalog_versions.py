"""Adding an indicator is one catalogue entry; earlier periods keep the form they were reported on."""
import dataclasses

from ipdesk import catalog as catalogs
from ipdesk.catalog import CURRENT, catalog_for
from ipdesk.catalog.model import COUNT, Indicator, Measure


def next_version():
    gi = Indicator("gi_actions", "地理标志专项检查", "次",
                   Measure(table="inspections", agg=COUNT, date="date", where=(("campaign", "=", "地理标志专项"),)))
    part_a = CURRENT.part("A")
    parts = tuple(p._replace(indicators=p.indicators + (gi,)) if p.id == "A" else p
                  for p in CURRENT.parts)
    return dataclasses.replace(CURRENT, version="2026.2", parts=parts, effective_from="2026-07"), part_a


def test_catalogue_ids_are_unique_and_complete():
    cells = CURRENT.cells()
    assert len(cells) == len(set(cells))
    part_b = CURRENT.part("B")
    assert len(cells) == sum(len(p.indicators) for p in CURRENT.parts) + len(part_b.rows) * len(part_b.columns)
    assert all(c.unit for c in cells.values())


def test_new_indicator_is_one_entry_and_old_periods_keep_their_form(desk, monkeypatch):
    v2, _ = next_version()
    monkeypatch.setitem(catalogs.CATALOGS, v2.version, v2)
    assert catalog_for("2026-06").version == "2026.1" and catalog_for("2026-07").version == "2026.2"
    for day in ("2026-05-10", "2026-07-10", "2026-07-11"):
        desk.records.save("inspections", {"date": day, "kind": "专项检查", "campaign": "地理标志专项", "place_kind": "农村市场",
                                  "officers": 3})
    june, july = desk.figures.annex1("2026-06"), desk.figures.annex1("2026-07")
    assert "A.gi_actions" not in june.values and june.catalog.version == "2026.1"
    assert july.value("A.gi_actions") == 2 and july.value("A.gi_actions", "ytd") == 3
    assert any(c["id"] == "A.gi_actions" for c in july.to_json()["cells"])
    _, rows = desk.figures.records_behind("2026-07", "A.gi_actions")
    assert len(rows) == 2


def test_approved_period_keeps_the_version_it_was_approved_with(desk, monkeypatch):
    v2, _ = next_version()
    v2 = dataclasses.replace(v2, effective_from="2026-01")
    monkeypatch.setitem(catalogs.CATALOGS, v2.version, v2)
    desk.db.execute("INSERT INTO submissions (unit_code, period, catalog_version, approved_by, approved_at, "
                    "annex1_json, annex2_json) VALUES ('150602', '2026-03', '2026.1', '管理员', 'x', '{}', '{}')")
    assert desk.figures.annex1("2026-03").catalog.version == "2026.1"
    assert desk.figures.annex1("2026-04").catalog.version == "2026.2"
