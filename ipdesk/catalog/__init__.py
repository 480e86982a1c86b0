"""The indicator catalogue, versioned: a period keeps the version it was reported on."""
from __future__ import annotations

from ..errors import IpdeskError
from .model import Catalog
from .v2026_1 import CATALOG as V2026_1
from ..domain.periods import Period

CATALOGS: dict[str, Catalog] = {V2026_1.version: V2026_1}
CURRENT: Catalog = V2026_1


def catalog_for(period_code: str, catalogs: dict[str, Catalog] | None = None) -> Catalog:
    """The version in force for a period: the newest whose ``effective_from`` month is not after the period's
    first month. (An approved period keeps the version stored with its submission instead.)"""
    first_month = _first_month(period_code)
    found = [c for c in (catalogs or CATALOGS).values() if c.effective_from <= first_month]
    if not found:
        return CURRENT
    return max(found, key=lambda c: c.effective_from)


def _first_month(period_code: str) -> str:
    return Period.parse(period_code).start.strftime("%Y-%m")


def get_catalog(version: str | None = None) -> Catalog:
    if version is None:
        return CURRENT
    try:
        return CATALOGS[version]
    except KeyError:
        raise IpdeskError(f"未知的统计表版本：{version}", f"unknown catalogue version: {version}") from None
