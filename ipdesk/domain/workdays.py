"""The working-day calendar: Monday to Friday, minus official holidays, plus 调休 make-up days."""
from __future__ import annotations

import csv
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

HOLIDAY, WORKDAY = "holiday", "workday"


@dataclass
class WorkCalendar:
    holidays: set[date] = field(default_factory=set)
    workdays: set[date] = field(default_factory=set)  # weekend days that are worked (调休)

    @classmethod
    def from_rows(cls, rows) -> "WorkCalendar":
        """Rows of (date ISO text, kind) as stored in the ``holidays`` table or the CSV."""
        cal = cls()
        for day, kind in rows:
            d = date.fromisoformat(str(day))
            (cal.holidays if kind == HOLIDAY else cal.workdays).add(d)
        return cal

    @classmethod
    def from_csv(cls, path: Path) -> "WorkCalendar":
        with open(path, encoding="utf-8") as fh:
            return cls.from_rows((r["date"], r["kind"]) for r in csv.DictReader(fh))

    def years(self) -> set[int]:
        return {d.year for d in self.holidays | self.workdays}

    def is_workday(self, day: date) -> bool:
        if day in self.workdays:
            return True
        if day in self.holidays:
            return False
        return day.weekday() < 5

    def add_workdays(self, start: date, count: int) -> date:
        """The date ``count`` working days after ``start`` (start itself not counted)."""
        day = start
        while count > 0:
            day += timedelta(days=1)
            if self.is_workday(day):
                count -= 1
        return day

    def workdays_between(self, start: date, end: date) -> int:
        """Working days after ``start`` up to and including ``end``."""
        n, day = 0, start
        while day < end:
            day += timedelta(days=1)
            n += self.is_workday(day)
        return n


# 国务院办公厅 publishes the next year's 放假调休安排 around November; from then on a missing year is worth a warning.
SCHEDULE_WARN_MONTH = 11


def missing_schedule_warning(today: date, known_years: set[int]) -> str | None:
    """What the 工作台 says when the working-day calendar lacks this year's, or from 1 November next year's,
    放假调休安排 (the time limits on those days are then 估算)."""
    missing = [y for y in (today.year, today.year + 1) if y not in known_years
               and (y == today.year or today.month >= SCHEDULE_WARN_MONTH)]
    if not missing:
        return None
    years = "、".join(f"{y}年" for y in missing)
    return (f"尚未录入{years}放假调休安排：这些日子上的办案时限按普通周末估算（标“估算”）。"
            f"请管理员在“设置—节假日”中录入或导入。")


KIND_WORDS = {HOLIDAY: HOLIDAY, WORKDAY: WORKDAY, "放假": HOLIDAY, "调休上班": WORKDAY, "上班": WORKDAY}
MAX_CSV_BYTES = 1_000_000  # years of holidays are a few kB; anything larger is not such a file


def parse_holiday_csv(data: bytes) -> tuple[list[tuple[str, str, str]], list[str]]:
    """Rows ``(date, kind, name)`` of a holiday CSV in the shipped format (header ``date,kind,name``; kind
    ``holiday``/``workday`` or 放假/调休上班), and one Chinese message per line that cannot be read."""
    import io

    if len(data) > MAX_CSV_BYTES:
        return [], [f"文件过大（{len(data) // 1024} KB），不是节假日表"]
    for encoding in ("utf-8-sig", "gb18030"):  # Excel on a Chinese Windows saves CSV as GBK
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        return [], ["文件编码无法识别（应为 UTF-8 或 GBK 的 CSV 文件）"]
    reader = csv.reader(io.StringIO(text))
    header = [h.strip().lower() for h in next(reader, [])]
    if header[:2] != ["date", "kind"]:
        return [], ["第1行应为表头 date,kind,name（与随程序提供的节假日表相同）"]
    rows, errors, seen = [], [], set()
    for line, cells in enumerate(reader, 2):
        if not any(c.strip() for c in cells):
            continue
        day, kind = (cells + ["", ""])[0].strip(), (cells + ["", ""])[1].strip()
        name = cells[2].strip() if len(cells) > 2 else ""
        try:
            parsed = date.fromisoformat(day)
        except ValueError:
            errors.append(f"第{line}行：日期“{day}”无法识别（应为 YYYY-MM-DD）")
            continue
        if kind not in KIND_WORDS:
            errors.append(f"第{line}行：类型“{kind}”应为 holiday（放假）或 workday（调休上班）")
            continue
        if parsed in seen:
            errors.append(f"第{line}行：日期 {day} 重复")
            continue
        seen.add(parsed)
        rows.append((parsed.isoformat(), KIND_WORDS[kind], name[:40]))
    if not rows and not errors:
        errors.append("文件中没有节假日")
    return rows, errors
