"""Helpers shared by the report tests."""
import subprocess
from datetime import date, timedelta


def add_cases(desk, count: int, year: int = 2026, seed: int = 5) -> int:
    """Save ``count`` filed cases spread over ``year`` (demo generator's realistic records)."""
    from ipdesk.demo import _Maker

    maker = _Maker(desk, seed)
    rows = []
    day = date(year, 1, 1)
    while len(rows) < count:
        case = maker.case(day)
        if case.get("filed_date", "").startswith(str(year)):
            rows.append(case)
        day = date(year, 1, 1) + timedelta(days=(len(rows) * 7 + maker.rng.randrange(0, 3)) % 300)
    rows.sort(key=lambda c: c["filed_date"])
    desk.save_many("cases", rows, label="测试案件")
    return count


def render_png(pdf, out_prefix, first=1, last=1, dpi=40):
    """Render pages with poppler; returns the PNG paths."""
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", "-f", str(first), "-l", str(last), str(pdf),
                    str(out_prefix)], check=True, timeout=60)
    return sorted(out_prefix.parent.glob(out_prefix.name + "*.png"))


def ink_fraction(png) -> float:
    """Share of non-white pixels: a blank page is ~0."""
    from PySide6.QtGui import QImage

    img = QImage(str(png))
    assert not img.isNull()
    dark = total = 0
    for y in range(0, img.height(), 2):
        for x in range(0, img.width(), 2):
            total += 1
            if img.pixelColor(x, y).lightness() < 200:
                dark += 1
    return dark / total


