"""Records: cases, inspections, work items and manually reported cells — reading them for the screens, saving
them through the field rules, undo — and the locks that keep an approved month's figures as they were sent
(``desk.records``; the SQL is in :mod:`ipdesk.db.records` and :mod:`ipdesk.db.audit`)."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Callable, NamedTuple

from .changes import Changes
from .db import audit, records, submissions
from .domain import fields as F
from .domain.periods import MONTH, Period
from .errors import IpdeskError
from .manager import Manager

if TYPE_CHECKING:
    from .catalog.model import Catalog

_TABLE_LABEL = {"cases": "案件", "inspections": "检查记录", "work_items": "工作事项"}
_EMPTY_TEXTS = {(None, ""), ("", None)}  # a stored NULL and a form's empty text: the same nothing
_VALIDATORS = {"cases": "validate_case", "inspections": "validate_inspection", "work_items": "validate_work_item"}


def _open_counts(case: dict | None, p: Period) -> tuple:
    """How a case counts in a month's open figures (aggregate.open_cases_at): its category where it is open at the
    month's start and at its end, else None."""
    if not case or not case.get("filed_date"):
        return None, None
    filed, closed, start, end = case["filed_date"], case.get("closed_date"), p.start.isoformat(), p.end.isoformat()
    open_at_start = filed < start and (not closed or closed >= start)
    open_at_end = filed <= end and (not closed or closed > end)
    return (case.get("category") if open_at_start else None), (case.get("category") if open_at_end else None)


def _ytd_refusal(p: Period, day: date) -> IpdeskError:
    return IpdeskError(f"{p.label}已审核报送并锁定，其本年累计包含{day.isoformat()}的记录，这样修改会改变已报送的"
                       f"数字；如需更改，请先在“报送”中发起{p.label}的更正",
                       f"period {p.code} is approved and its year-to-date includes {day}; open a correction")


def _same(a, b) -> bool:
    """Equal as stored: a form's empty text is a stored NULL, a flag's True is 1."""
    return (a if a not in ("", None) else None) == (b if b not in ("", None) else None)


_COUNTED: dict[str, dict[str, dict[str, tuple[str, ...]]]] = {}


def _counted_fields(catalog: Catalog) -> dict[str, dict[str, tuple[str, ...]]]:
    """table → date field → the fields a 附件1 measure dated by it reads (values summed, conditions, row field)."""
    if catalog.version not in _COUNTED:
        out: dict[str, dict[str, set]] = {}
        for cell in catalog.cells().values():
            m = cell.measure
            if m is None or not m.date:
                continue
            fields = out.setdefault(m.table, {}).setdefault(m.date, set())
            fields.update(m.value)
            fields.update(w[0] for w in m.where)
            if cell.row and cell.part.row_field:
                fields.add(cell.part.row_field)
        _COUNTED[catalog.version] = {t: {d: tuple(sorted(f)) for d, f in by.items()} for t, by in out.items()}
    return _COUNTED[catalog.version]


def _count_dates(table: str) -> tuple[str, ...]:
    """The dates ``table``'s records count by in the catalogue's measures (cases: 立案, 结案, 处罚决定 and 移送
    dates): a record with one of them in an approved month counts in that month's figures. Every version's,
    so no query per save; a date only another version counts by refuses more, never less."""
    if table not in _DATES:
        # Imported here: not loaded before the main window shows (cold start).
        from .catalog import CATALOGS

        out: list[str] = []
        for catalog in CATALOGS.values():
            out += [d for d in catalog.count_dates().get(table, ()) if d not in out]
        _DATES[table] = tuple(out)
    return _DATES[table]


_DATES: dict[str, tuple[str, ...]] = {}


UNDO_SEARCH = 20  # how far back 撤销 looks past steps that cannot be undone (each check reads the step's rows)


class UndoState(NamedTuple):
    """What 撤销 offers: ``label`` (撤销 …) of the step it would undo — of the newest step when none can be
    undone, then ``refused`` says why; ``skipped`` the newer steps passed over, each (label, why)."""

    label: str | None
    refused: str | None
    skipped: tuple[tuple[str, str], ...] = ()
    op_id: int | None = None
    op_label: str = ""

    @property
    def skipped_note(self) -> str:
        return "；".join(f"较新的“{label}”不能撤销（{why}）" for label, why in self.skipped[:3])


def _snapshot(raw: dict) -> dict:
    """The input as checked, so that a later edit of it (a list inside included) is noticed."""
    return {k: tuple(v) if isinstance(v, list) else v for k, v in raw.items()}


@dataclass(frozen=True)
class CheckedRecord:
    """A new record as :meth:`RecordManager.check_new` found it: typed, with the field errors that refuse it
    (none: it may be saved) and the 待补正 items waived. :meth:`RecordManager.save_checked` trusts the field
    rules' verdict only while ``raw`` is as it was checked and the day is the same."""

    table: str
    raw: dict  # the input itself, not a copy: an import's preview row
    typed: dict
    errors: dict[str, str]
    pending: tuple[str, ...]
    today: date
    as_checked: dict = field(repr=False)  # _snapshot(raw) at the check

    def changed_since(self, today: date) -> bool:
        return today != self.today or _snapshot(self.raw) != self.as_checked


class RecordManager(Manager):
    # ---- locks ---------------------------------------------------------------------------------
    def locked_periods(self) -> list[str]:
        """Periods approved and not reopened for correction: their records cannot change."""
        return submissions.locked_periods(self.db, self.desk.unit["code"])

    def submitted_periods(self) -> dict[str, dict]:
        """Approved periods (latest revision, not superseded): code → revision, approved_by/at, exported_at,
        reopened_at (the home screen's "already sent")."""
        return submissions.submitted(self.db, self.desk.unit["code"])

    def locked(self) -> list[Period]:
        return [Period.parse(p) for p in self.locked_periods()]

    def guard_unlocked(self, table: str, *rows: dict | None, locked: list[Period] | None = None) -> None:
        locked = self.locked() if locked is None else locked
        if not locked:
            return
        date_fields = _count_dates(table)
        for row in rows:
            if not row:
                continue
            days = [row.get(f) for f in date_fields if row.get(f)]
            if table in ("manual_cells", "explanations") and row.get("period"):
                days.append(Period.parse(row["period"]).start.isoformat())
            for day in days:
                d = date.fromisoformat(day)
                for p in locked:
                    if p.contains(d):
                        raise IpdeskError(
                            f"{p.label}已审核报送并锁定，不能修改其中的记录；如需更改，请先在“报送”中发起更正",
                            f"period {p.code} is approved and locked; open a correction first")
                    if table == "manual_cells" and p.ytd_start <= d <= p.end:  # a stock cell carries forward
                        raise _ytd_refusal(p, d)

    def _guard_open_spans(self, table: str, before: dict | None, after: dict | None, *,
                          locked: list[Period] | None = None) -> None:
        """A case open across an approved month counts in its 期初/期末未结 by category without any of its dates
        lying in the month: moving its closing date to before the month, changing its category or deleting it
        would change what was approved. Refused unless the case counts in the month's open figures the same way
        before and after (closing it later than the month, as usual, keeps them)."""
        locked = self.locked() if locked is None else locked
        if not locked:
            return
        self._guard_year_to_date(table, before, after, locked)
        if table != "cases":
            return
        for p in locked:
            year_start = Period(p.year, 1, MONTH)  # its 本年累计 期初 is the open count at 1 January
            if (_open_counts(before, p) != _open_counts(after, p)
                    or _open_counts(before, year_start)[0] != _open_counts(after, year_start)[0]):
                raise IpdeskError(
                    f"该案件计入{p.label}的期初或期末未结案件数，{p.label}已审核报送并锁定，这样修改会改变已报送的"
                    f"数字；如需更改，请先在“报送”中发起更正", f"case is open across locked period {p.code}")

    def _guard_year_to_date(self, table: str, before: dict | None, after: dict | None,
                            locked: list[Period]) -> None:
        """An approved month also sent its 本年累计: a change to a record dated earlier that year (a month not
        approved, reopened, or before the 启用月份) is refused when it would change what that month counted —
        the record's date moving into, out of or within those months, or a field counted at that date
        (the catalogue's measures say which) changing."""
        counted = _counted_fields(self.desk.figures.catalog_for(locked[0]))
        for date_field, fields in counted.get(table, {}).items():
            days = {(row or {}).get(date_field) for row in (before, after)} - {None, ""}
            for p in locked:
                window = (p.ytd_start.isoformat(), p.end.isoformat())
                inside = [d for d in days if window[0] <= str(d)[:10] <= window[1]]
                if not inside:
                    continue
                if before is None or after is None or any(
                        _same(before.get(f), after.get(f)) is False for f in (date_field, *fields)):
                    raise _ytd_refusal(p, date.fromisoformat(str(inside[0])[:10]))

    # ---- records -------------------------------------------------------------------------------
    def get_case(self, case_id: int) -> dict:
        case = records.get_case(self.db, case_id)
        if case is None:
            raise IpdeskError(f"案件不存在（#{case_id}）", f"no such case: {case_id}")
        return case

    # ---- lists for the screens (the GUI never writes SQL) -----------------------------------------
    def list_cases(self, flt: records.CaseFilter | None = None, order: str = "filed_date", descending: bool = True,
                   limit: int = 200, offset: int = 0) -> list[dict]:
        """A page of the case ledger, filtered and sorted in SQL, each row with its ``status``."""
        return records.list_cases(self.db, self.desk.unit["code"], flt, order=order, descending=descending,
                                  limit=limit, offset=offset)

    def case_ids(self, flt: records.CaseFilter | None = None, order: str = "filed_date",
                 descending: bool = True) -> list[int]:
        """Every matching case id in ledger order; read the rows a page at a time with ``cases_by_ids``."""
        return records.case_ids(self.db, self.desk.unit["code"], flt, order=order, descending=descending)

    def cases_by_ids(self, ids: list[int]) -> list[dict]:
        """Cases in the order of ``ids``, each with its ``status``."""
        return records.cases_by_ids(self.db, ids)

    def count_cases(self, flt: records.CaseFilter | None = None) -> int:
        return records.count_cases(self.db, self.desk.unit["code"], flt)

    def case_years(self) -> list[int]:
        """The years the ledger can filter on, newest first."""
        span = records.case_year_range(self.db, self.desk.unit["code"])
        return list(range(span[1], span[0] - 1, -1)) if span else []

    def list_records(self, table: str, *, year: int | None = None, kind: str | None = None, text: str = "",
                     limit: int = 200, offset: int = 0) -> list[dict]:
        """A page of inspections or work items, newest first."""
        return records.list_rows(self.db, table, self.desk.unit["code"], year=year, kind=kind, text=text,
                                 limit=limit, offset=offset)

    def count_records(self, table: str, *, year: int | None = None, kind: str | None = None, text: str = "") -> int:
        return records.count_rows(self.db, table, self.desk.unit["code"], year=year, kind=kind, text=text)

    def record_years(self, table: str) -> list[int]:
        return records.row_years(self.db, table, self.desk.unit["code"])

    def get_record(self, table: str, record_id: int) -> dict:
        """One case, inspection or work item; refuses an unknown id."""
        if table == "cases":
            return self.get_case(record_id)
        row = records.get_row(self.db, table, record_id)
        if row is None:
            raise IpdeskError(f"记录不存在（#{record_id}）", f"no such record: {record_id}")
        return row

    def completions(self, table: str, field_name: str, limit: int = 500) -> list[str]:
        """Earlier entries of a text field, most used first (QCompleter in the forms)."""
        return records.distinct_values(self.db, table, field_name, limit)

    def case_handlers(self) -> list[str]:
        """The people named as 承办人 in this unit's cases, most cases first."""
        return records.handler_names(self.db, self.desk.unit["code"])

    def validate(self, table: str, raw: dict, record_id: int | None = None) -> tuple[dict, dict[str, str]]:
        """Typed record merged over the stored one, and every field error (nothing is written)."""
        # Imported here: not loaded before the main window shows (cold start).
        from .domain import rules

        fields = F.FIELDS_BY_TABLE[table]
        typed, errors = rules.coerce(fields, raw)
        base = records.get_row(self.db, table, record_id) if record_id else {}
        if record_id and base is None:
            raise IpdeskError(f"记录不存在（#{record_id}）", f"no such record: {record_id}")
        if table == "cases" and base:
            base = records.decode_case(base)
        merged = {**(base or {}), **typed}
        for name in errors:
            merged.pop(name, None)
        rule_errors = getattr(rules, _VALIDATORS[table])(merged, today=self.desk.today())
        for name, message in rule_errors.items():
            errors.setdefault(name, message)
        if table == "cases":
            case_no = (merged.get("case_no") or "").strip()
            if case_no and records.case_no_taken(self.db, self.desk.unit["code"], case_no, record_id):
                errors["case_no"] = f"案件编号“{case_no}”已存在"
        return merged, errors

    def save(self, table: str, raw: dict, record_id: int | None = None, *, label: str | None = None,
             needs_completion: list[str] | None = None) -> Changes:
        """Insert or update a case, inspection or work item after every rule passes."""
        # Imported here: not loaded before the main window shows (cold start).
        from .domain import rules

        merged, errors = self.validate(table, raw, record_id)
        pending = (needs_completion if needs_completion is not None else merged.get("needs_completion")) or []
        if table == "cases" and pending:
            # An imported case may lack what the form requires; it is kept marked 待补正 instead.
            errors = rules.unwaived(errors, pending, merged)
        if errors:
            raise IpdeskError("；".join(errors.values()), "validation failed", errors)
        row = self._stored_row(table, merged, record_id, pending)
        now = audit.now_text()
        title = merged.get("name") or merged.get("subject_name") or merged.get("kind") or ""
        what = _TABLE_LABEL[table]
        if record_id:
            old = records.get_row(self.db, table, record_id)
            self.guard_unlocked(table, old, merged)
            self._guard_open_spans(table, old, merged)
            label = label or f"修改{what} {title}".strip()
            # An empty text the form sends for a column stored as NULL is no change: saving an untouched form
            # writes nothing and leaves no step to undo that would undo nothing.
            changed = {k: v for k, v in row.items() if old.get(k) != v and (old.get(k), v) not in _EMPTY_TEXTS}
            if not changed:
                return Changes(set(), record_id, label)
            with audit.operation(self.db, self.desk.user, label) as op:
                op.update(table, record_id, {**changed, "updated_at": now, "updated_by": self.desk.user})
            return Changes({table}, record_id, label)
        self.guard_unlocked(table, merged)
        self._guard_open_spans(table, None, merged)
        label = label or f"新增{what} {title}".strip()
        with audit.operation(self.db, self.desk.user, label) as op:
            rid = op.insert(table, {**row, "unit_code": self.desk.unit["code"], "created_at": now, "updated_at": now,
                                    "created_by": self.desk.user, "updated_by": self.desk.user})
        return Changes({table}, rid, label)

    @staticmethod
    def _stored_row(table: str, merged: dict, record_id: int | None, pending: list[str]) -> dict:
        """The columns a validated record is written as (JSON for the case lists)."""
        # Imported here: not loaded before the main window shows (cold start).
        from .domain import rules

        fields = F.FIELDS_BY_TABLE[table]
        row = {f.name: merged[f.name] if merged.get(f.name) is not None else F.default_value(f) for f in fields
               if f.name in merged or not record_id}
        if table == "cases":
            row["penalty_kinds"] = json.dumps(merged.get("penalty_kinds") or [], ensure_ascii=False)
            still_missing = rules.missing_for_form(merged)
            row["needs_completion"] = json.dumps([m for m in pending if m in still_missing], ensure_ascii=False)
        return row

    def file_case_from_inspection(self, inspection_id: int, raw: dict) -> Changes:
        """立案 from an inspection: the new case and the link both ways, as one undoable step."""
        inspection = self.get_record("inspections", inspection_id)
        if inspection.get("case_id") and records.get_row(self.db, "cases", inspection["case_id"]):
            raise IpdeskError("该检查记录已立案，不能重复立案", "inspection already led to a case")
        merged, errors = self.validate("cases", raw)
        if errors:
            raise IpdeskError("；".join(errors.values()), "validation failed", errors)
        row = self._stored_row("cases", merged, None, [])
        self.guard_unlocked("cases", merged)
        self._guard_open_spans("cases", None, merged)
        now = audit.now_text()
        label = f"新增案件 {merged.get('name') or ''}".strip()
        with audit.operation(self.db, self.desk.user, label) as op:
            rid = op.insert("cases", {**row, "inspection_id": inspection_id, "unit_code": self.desk.unit["code"],
                                      "created_at": now, "updated_at": now, "created_by": self.desk.user,
                                      "updated_by": self.desk.user})
            op.update("inspections", inspection_id, {"case_id": rid, "updated_at": now, "updated_by": self.desk.user})
        return Changes({"cases", "inspections"}, rid, label)

    def check_new(self, table: str, raw: dict, *, pending=(), complete_later: bool = False) -> CheckedRecord:
        """A new record through the field rules (nothing is written, the database is not read): its typed
        fields and the errors that refuse it. ``pending`` are the 待补正 items waived until completed;
        ``complete_later`` (an import) waives what is absent that the form requires (:func:`rules.absent_required`).
        Save it with :meth:`save_checked`, which checks what depends on the database."""
        # Imported here: not loaded before the main window shows (cold start).
        from .domain import rules

        today = self.desk.today()
        typed, errors = rules.coerce(F.FIELDS_BY_TABLE[table], raw)  # a field it cannot read is left out
        for name, message in getattr(rules, _VALIDATORS[table])(typed, today=today).items():
            errors.setdefault(name, message)
        if complete_later and table == "cases":
            pending = rules.absent_required(typed, errors)
        if pending:
            errors = rules.unwaived(errors, pending, typed)
        return CheckedRecord(table, raw, typed, errors, tuple(pending), today, _snapshot(raw))

    def save_many(self, table: str, raws: list[dict], *, label: str,
                  needs_completion: list[list[str]] | None = None,
                  progress: Callable[..., None] | None = None) -> Changes:
        """Insert many records in one transaction, or none: every record is validated first.

        Raises with ``field_errors`` keyed ``"<index>.<field>"`` when any record is refused. ``progress``: as
        :meth:`save_checked`'s.
        """
        checked = [self.check_new(table, raw, pending=needs_completion[i] if needs_completion else ())
                   for i, raw in enumerate(raws)]
        return self.save_checked(table, checked, label=label, progress=progress)

    def save_checked(self, table: str, checked: list[CheckedRecord], *, label: str,
                     progress: Callable[..., None] | None = None) -> Changes:
        """Insert records checked by :meth:`check_new` in one transaction, or none.

        The field rules are not run again for a record whose input is as it was checked, on the same day (an
        import's preview checked every row); a record changed since is checked again. What depends on the
        database is checked here, for every record: a case number already taken or repeated in the batch, a
        month approved and locked. Raises with ``field_errors`` keyed ``"<index>.<field>"`` when any is refused.
        ``progress(done, total)`` follows those checks; what it raises (取消) stops before anything is written.
        """
        # Imported here: not loaded before the main window shows (cold start).
        from .domain import rules

        rows, errors, seen_numbers = [], {}, set()
        locked = self.locked()  # once, not per record
        now, unit_code, today = audit.now_text(), self.desk.unit["code"], self.desk.today()
        # The batch's case numbers already taken, looked up together; a record changed since it was checked
        # may bring another number, looked up on its own below.
        asked = {n for c in checked if (n := (c.typed.get("case_no") or "").strip())} if table == "cases" else set()
        taken = records.case_numbers_taken(self.db, unit_code, sorted(asked)) if asked else set()
        fields = F.FIELDS_BY_TABLE[table]
        for i, c in enumerate(checked):
            if progress is not None and i % 100 == 0:
                progress(i, len(checked))
            if c.table != table:
                raise ValueError(f"a {c.table} record saved as {table}")
            if c.changed_since(today):
                c = self.check_new(table, c.raw, pending=c.pending)
            merged, errs = c.typed, dict(c.errors)
            if table == "cases":
                number = (merged.get("case_no") or "").strip()
                if number and number not in asked:
                    asked.add(number)
                    if records.case_no_taken(self.db, unit_code, number, None):
                        taken.add(number)
                if number and number in taken:
                    errs["case_no"] = f"案件编号“{number}”已存在"
                if number and number in seen_numbers:
                    errs["case_no"] = f"案件编号“{number}”重复"
                seen_numbers.add(number or None)
            for name, message in errs.items():
                errors[f"{i}.{name}"] = message
            row = {f.name: merged[f.name] if merged.get(f.name) is not None else F.default_value(f) for f in fields}
            if table == "cases":
                row["penalty_kinds"] = json.dumps(merged.get("penalty_kinds") or [], ensure_ascii=False)
                # Only an item waived can still be missing (most imported rows have none to look for).
                still = rules.missing_for_form(merged) if c.pending else ()
                row["needs_completion"] = json.dumps([m for m in c.pending if m in still], ensure_ascii=False)
            row.update(unit_code=unit_code, created_at=now, updated_at=now, created_by=self.desk.user,
                       updated_by=self.desk.user)
            self.guard_unlocked(table, merged, locked=locked)
            self._guard_open_spans(table, None, merged, locked=locked)
            rows.append(row)
        if errors:
            first = next(iter(errors.items()))
            raise IpdeskError(f"共 {len(errors)} 处错误，未写入任何记录；第一处：第{int(first[0].split('.')[0]) + 1}条 "
                              f"{first[1]}", f"{len(errors)} errors, nothing written", errors)
        if not rows:
            return Changes(set(), label=label)
        if progress is not None:
            progress(len(checked), len(checked))  # the last moment 取消 is heard: the insert is one short transaction
        cols = list(rows[0])
        with audit.operation(self.db, self.desk.user, label) as op:
            first_id = audit.next_ids(self.db, table)
            audit.claim_ids(self.db, table, first_id + len(rows) - 1)
            records.insert_many(self.db, table, cols, rows, first_id)
            audit.log_inserts(self.db, now, self.desk.user, op.op_id, label, table,
                              [(first_id + n, {"id": first_id + n, **r}) for n, r in enumerate(rows)])
        return Changes({table}, label=label)

    def delete(self, table: str, record_id: int) -> Changes:
        old = records.get_row(self.db, table, record_id)
        if old is None:
            raise IpdeskError(f"记录不存在（#{record_id}）", f"no such record: {record_id}")
        self.guard_unlocked(table, old)
        self._guard_open_spans(table, old, None)
        label = f"删除{_TABLE_LABEL[table]} {old.get('name') or old.get('subject_name') or old.get('kind') or ''}"
        with audit.operation(self.db, self.desk.user, label.strip()) as op:
            op.delete(table, record_id)
        return Changes(set(op.tables), record_id, label)  # with the rows its foreign keys released

    def set_manual_cell(self, indicator_id: str, period: str, value: float | None, note: str = "") -> Changes:
        """Enter a manual cell for a month; ``None`` records 未填报 (not zero)."""
        p = Period.parse(period)
        catalog = self.desk.figures.catalog_for(p)
        if indicator_id not in {c.id for c in catalog.manual_cells()}:
            raise IpdeskError(f"“{indicator_id}”不是手工填报的指标", f"{indicator_id} is not a manual cell")
        if p.kind != MONTH:
            raise IpdeskError("手工填报的指标按月填写", "manual cells are entered per month")
        cell = catalog.cell(indicator_id)
        if value is not None:
            # A number typed as 1e400 is float('inf'): stored, printed as "inf" and refused by every Excel writer.
            if value != value or value in (float("inf"), float("-inf")):
                raise IpdeskError("请输入有效的数值", "value must be a finite number", {"value": "请输入有效的数值"})
            if value < 0:
                raise IpdeskError("数值不能为负数", "value must not be negative", {"value": "数值不能为负数"})
            if not cell.is_money and value != int(value):
                message = f"“{cell.row_label}”以“{cell.unit}”计，须为整数"
                raise IpdeskError(message, "a count must be a whole number", {"value": message})
        label = f"填报 {cell.row_label}（{p.label}）"
        row = {"unit_code": self.desk.unit["code"], "indicator_id": indicator_id, "period": p.code, "value": value,
               "note": note, "entered_by": self.desk.user, "entered_at": audit.now_text()}
        self.guard_unlocked("manual_cells", row)
        with audit.operation(self.db, self.desk.user, label) as op:
            existing = records.manual_cell(self.db, row["unit_code"], indicator_id, p.code)
            if existing:
                op.update("manual_cells", existing["id"], row)
            else:
                op.insert("manual_cells", row)
        return Changes({"manual_cells"}, label=label)

    def manual_cell(self, indicator_id: str, period: str) -> dict | None:
        row = records.manual_cell(self.db, self.desk.unit["code"], indicator_id, Period.parse(period).code)
        return {k: row[k] for k in ("value", "note", "entered_by", "entered_at")} if row else None

    def _undo_guard(self):
        locked = self.locked()  # once per undo, not per row

        def guard(table: str, before: dict | None, after: dict | None) -> None:
            self.guard_unlocked(table, before, after, locked=locked)
            self._guard_open_spans(table, before, after, locked=locked)
        return guard, locked

    def undo_last(self, state: UndoState | None = None) -> Changes | None:
        """Undo the newest operation of the current user that can be undone (newer ones that cannot are passed
        over, see :meth:`undo_state`); None when there is nothing to undo, IpdeskError when nothing can be."""
        state = state or self.undo_state()
        if state.label is None:
            return None
        if state.op_id is None:
            raise IpdeskError(f"不能{state.label}：{state.refused}", "no step of this user can be undone")
        tables = audit.undo(self.db, self.desk.user, state.op_id, state.op_label, guard=self._undo_guard()[0])
        return Changes(tables, label=state.label)

    def undo_label(self) -> str | None:
        last = audit.last_undoable(self.db, self.desk.user)
        return f"撤销 {last[1]}" if last else None

    def undo_state(self) -> UndoState:
        """The step 撤销 would undo: the user's newest that can be undone. A step whose rows now lie in an
        approved, locked month, or were changed since by someone else, cannot (:meth:`undo_last` refuses it);
        it is passed over — listed in ``skipped`` with why — so one stuck step does not block the user's
        undo. When none of the newest :data:`UNDO_SEARCH` can be undone, ``refused`` says why."""
        steps = audit.undoable_steps(self.db, self.desk.user, UNDO_SEARCH)
        if not steps:
            return UndoState(None, None)
        guard, locked = self._undo_guard()
        check = guard if locked else (lambda *_row: None)
        skipped: list[tuple[str, str]] = []
        for op_id, label in steps:
            try:
                audit.check_undo(self.db, op_id, check)
            except IpdeskError as exc:
                skipped.append((label, exc.zh))
                continue
            return UndoState(f"撤销 {label}", None, tuple(skipped), op_id, label)
        if len(skipped) == 1:
            refused = skipped[0][1]
        else:
            listed = "；".join(f"“{label}”——{why}" for label, why in skipped[:3])
            refused = (f"最近 {len(skipped)} 步操作都不能撤销：{listed}" + ("；……" if len(skipped) > 3 else "")
                       + ("（更早的操作不再提供撤销）" if len(skipped) == UNDO_SEARCH else ""))
        return UndoState(f"撤销 {steps[0][1]}", refused, tuple(skipped))
