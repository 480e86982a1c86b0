"""The indicator catalogue, versioned: a period keeps the version it was reported on."""
from __future__ import annotations

from ..errors import IpdeskError
from .model import Catalog
from .v2026_1 import CATALOG as V2026_1

CATALOGS: dict[str, Catalog] = {V2026_1.version: V2026_1}
CURRENT: Catalog = V2026_1


def get_catalog(version: str | None = None) -> Catalog:
    if version is None:
        return CURRENT
    try:
        return CATALOGS[version]
    except KeyError:
        raise IpdeskError(f"未知的统计表版本：{version}", f"unknown catalogue version: {version}") from None
