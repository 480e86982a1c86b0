"""The one rounding policy (domain.money) and printed totals that foot, on 24 months of demo data."""
from decimal import Decimal

import pytest

from ipdesk.domain.money import footed, percent, round_percent, wan, wan_text, wan_to_fen
from ipdesk.domain.periods import Period
from ipdesk.stats.annex1 import CellValue


def test_half_up_not_float_round():
    assert round(12.25, 1) == 12.2  # what float round() printed before
    assert percent(49, 400) == 12.3 and round_percent(12.25) == 12.3 and round_percent(-12.25) == -12.3
    assert CellValue.change(449, 400) == 12.3  # 同比 12.25 %
    assert wan(50) == Decimal("0.0001") and wan(49) == Decimal("0.0000") and wan(150) == Decimal("0.0002")
    assert wan_text(wan(338_589_050)) == "338.5891" and wan(None) is None
    assert footed([wan(50), wan(50), None]) == Decimal("0.0002")  # the sum of printed parts, not wan(100)
    assert wan_to_fen(36.0139) == 36_013_900 and wan_to_fen("0.0001") == 100


def _foots(table, which: str) -> list[str]:
    """Every printed money total of part B that is not the sum of its printed parts."""
    cat = table.catalog
    bad = []
    for part in (p for p in cat.parts if p.is_grid):
        for row in part.rows:
            for col in part.columns:
                cid = f"{part.id}.{row.id}.{col.id}"
                if not cat.cell(cid).is_money:
                    continue
                shown = Decimal(table.display(cid, which))
                if row.sum_of:
                    parts = [Decimal(table.display(f"{part.id}.{r}.{col.id}", which)) for r in row.sum_of]
                    if shown != sum(parts):
                        bad.append(f"{cid} {which}: {shown} != {' + '.join(map(str, parts))}")
                if col.sum_of:
                    parts = [Decimal(table.display(f"{part.id}.{row.id}.{c}", which)) for c in col.sum_of]
                    if shown != sum(parts):
                        bad.append(f"{cid} {which}: {shown} != {' + '.join(map(str, parts))}")
                if not row.sum_of and not col.sum_of:
                    assert shown == wan(table.value(cid, which)), cid  # a leaf: its exact value, half-up
    return bad


def test_every_printed_total_foots_every_month(demo_desk):
    months = [Period.parse(f"{y}-{m:02d}") for y in (2025, 2026) for m in range(1, 13)]
    months = [p for p in months if p.start <= demo_desk.today()]
    assert len(months) >= 20
    differs = 0  # totals where footing changes the figure (the printed parts' rounding adds up)
    for p in months + [Period.parse("2026-Q3"), Period.parse("2026-H1")]:
        t = demo_desk.figures.annex1(p)
        for which in ("current", "ytd", "prev_current"):
            assert _foots(t, which) == [], p.code
        js = {c["id"]: c for c in t.to_json()["cells"]}
        for cid, cell in t.catalog.cells().items():
            if cell.is_money:
                assert js[cid]["current"] == pytest.approx(float(t.display(cid))), cid
                assert js[cid]["base"]["current"] == t.value(cid) and js[cid]["base"]["unit"] == "分"
                differs += Decimal(t.display(cid, "ytd")) != wan(t.value(cid, "ytd"))
    assert differs > 0  # the demo has totals whose own rounding would not have footed


@pytest.mark.parametrize("which", ["current", "ytd"])
def test_json_round_trip_keeps_printed_and_exact(demo_desk, which):
    from ipdesk.exchange.tables import annex1_from_json

    t = demo_desk.figures.annex1("2026-10")
    back = annex1_from_json(t.to_json())
    for cid in t.catalog.cells():
        assert back.value(cid, which) == t.value(cid, which)
        assert back.value(cid, "prev_" + which) == t.value(cid, "prev_" + which)  # exact, from base
        assert back.display(cid, which) == t.display(cid, which)


def test_form_notes_state_the_rule(demo_desk):
    notes = "".join(demo_desk.figures.annex1("2026-10").catalog.notes)
    assert "四舍五入保留四位小数" in notes and "显示值之和" in notes and "一位小数" in notes
