"""Explanations of soft warnings (审核警告说明): an approval needs one for each warning of the period, and they
are sent with it, so they lock with the month (``desk.explanations``)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from .changes import Changes
from .db import audit, explanations
from .domain.periods import Period
from .manager import Manager

if TYPE_CHECKING:
    pass


class ExplanationManager(Manager):
    def for_period(self, period: str) -> dict[str, str]:
        """Each soft warning's explanation for the period, by check key."""
        return explanations.texts(self.db, self.desk.unit["code"], Period.parse(period).code)

    def explain(self, period: str, check_key: str, text: str) -> Changes:
        """Attach (or with empty text remove) the explanation of a soft warning."""
        p = Period.parse(period)
        code = p.code
        label = f"填写审核警告说明（{p.label}）"
        self.desk.records.guard_unlocked("explanations", {"period": code})  # approved with the month: part of what was sent
        with audit.operation(self.db, self.desk.user, label) as op:
            found = explanations.find(self.db, self.desk.unit["code"], code, check_key)
            if found and not text.strip():
                op.delete("explanations", found)
            elif found:
                op.update("explanations", found, {"text": text.strip(), "entered_by": self.desk.user,
                                                   "entered_at": audit.now_text()})
            elif text.strip():
                op.insert("explanations", {"unit_code": self.desk.unit["code"], "period": code, "check_key": check_key,
                                           "text": text.strip(), "entered_by": self.desk.user,
                                           "entered_at": audit.now_text()})
        return Changes({"explanations"}, label=label)
