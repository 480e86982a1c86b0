"""The shipped list of Inner Mongolia's administrative divisions (GB/T 2260), for picking a unit."""
from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache

from .desk import Desk, resource_path

UNIT_SUFFIX = "市场监督管理局"


@dataclass(frozen=True)
class Division:
    code: str
    name: str
    parent_code: str
    level: str  # region / league / county

    @property
    def unit_name(self) -> str:
        """The bureau's usual name, e.g. 东胜区市场监督管理局."""
        return self.name + UNIT_SUFFIX


@lru_cache(maxsize=1)
def divisions() -> tuple[Division, ...]:
    with open(resource_path("data", "divisions-inner-mongolia.csv"), encoding="utf-8") as fh:
        return tuple(Division(r["code"], r["name"], r["parent_code"] or "", r["level"]) for r in csv.DictReader(fh))


def division(code: str) -> Division | None:
    return next((d for d in divisions() if d.code == code), None)


def register_known_subordinates(desk: Desk) -> int:
    """A city or region office knows its subordinate units from the list; returns how many."""
    subs = [d for d in divisions() if d.parent_code == desk.unit["code"]]
    for d in subs:
        desk.office.add_subordinate_unit(d.code, d.unit_name)
    return len(subs)
