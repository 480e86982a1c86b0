"""What every manager of the desk shares (desk.records, desk.office, …): the desk it belongs to and its file."""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .db.connection import Database
    from .desk import Desk


class Manager:
    def __init__(self, desk: Desk):
        self.desk = desk

    @property
    def db(self) -> Database:
        return self.desk.db  # read each time: restoring a backup reopens the desk's connection
