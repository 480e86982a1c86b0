"""Legacy import of a hand-kept Excel case ledger (the ``import-ledger`` command, README).

Three steps, so nothing is written before the user has seen what will be:

1. :func:`read_ledger` reads the workbook (untrusted: size-checked, its XML read directly by
   :mod:`.xlsx_cells`, formulas never evaluated): every sheet that carries a case table, its header
   row below any title rows, the money unit stated above it, hidden rows and columns, merged cells
   filled into every row they span, and a proposed mapping of columns to case fields.
2. :func:`preview_ledger` reads every row under a mapping (the GUI may change it and run this again):
   readable rows (some 待补正), rows already in the database (the case number is the key), and every
   row not imported — unreadable, doubtful, hidden, totals — as its Excel row number with the reason.
3. :func:`import_ledger` writes every readable row in one transaction (or none).

Nothing is imported silently wrong: what cannot be read, or read only by guessing, is named.
"""
from __future__ import annotations

import re
import zipfile
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Callable, NamedTuple

from ..db import records
from ..desk import Changes, Desk
from ..domain import enums
from ..domain.fields import DATE, ENUM, FLAG, LONGTEXT, MONEY, MULTI
from ..errors import Cancelled, IpdeskError, too_large
from ..recordbook import CheckedRecord
from . import ledger_fields as LF
from .ledger_values import (YUAN, LedgerValueError, clean_text, fen_as_yuan_text, is_blank,
                            money_unit_of, parse_flag, parse_ledger_amount, parse_ledger_date, read_party_id,
                            typed_text, unit_line_of)
from .xlsx_cells import SheetCells, TooBig, XlsxError, read_sheets, sheet_names
from ..db.backup import backup_before_import

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 300 * 1024 * 1024  # a zip bomb stops here, before any XML is parsed
MAX_ROWS = 50_000
MAX_COLUMNS = 120
HEADER_SEARCH_ROWS = 30
MIN_HEADER_SCORE = 2
SECTION_MIN_WIDTH = 3  # a one-cell row merged across this many columns is a section title (2023年), not a case

Progress = Callable[[int, int], None]
ColumnKey = tuple[str, int]  # (sheet name, 0-based column)


class RowNote(NamedTuple):
    """A row not imported (or imported with a remark): its sheet, Excel row number and the reason."""

    sheet: str
    row: int
    reason: str


@dataclass
class LedgerColumn:
    sheet: str
    index: int  # 0-based position in the sheet
    letter: str  # A, B, … as Excel shows it
    header: str  # the header text as written (both header rows joined when there are two)
    named: str | None  # the field the header names, None when it names nothing we know
    unit: str | None  # 元 / 万元 when the header says so
    hidden: bool = False
    sureness: tuple = ()  # how surely the header names the field: (exact, synonym rank); compared per field
    outscored_by: str | None = None  # the letter of the column proposed for the same field instead

    @property
    def key(self) -> ColumnKey:
        return self.sheet, self.index


@dataclass
class LedgerSheet:
    """One sheet's case table as read: header, columns and the rows below, with what is hidden in it."""

    name: str
    header_row: int  # Excel row number of the last header row
    columns: list[LedgerColumn]
    default_unit: str  # money unit of columns whose header names none
    unit_line: str  # where that unit was stated (第2行“金额单位：万元”), empty when nowhere (then 元)
    rows: list[tuple[int, tuple]]  # (Excel row number, cell values) below the header, merged cells filled
    hidden: bool = False  # the sheet itself is hidden
    hidden_rows: set[int] = field(default_factory=set)
    formulas: set[tuple[int, int]] = field(default_factory=set)  # formulas without a cached value
    errors: dict[tuple[int, int], str] = field(default_factory=dict)  # #REF! …
    section_rows: set[int] = field(default_factory=set)
    filtered: bool = False
    merged_cells_filled: int = 0

    @property
    def hidden_columns(self) -> list[LedgerColumn]:
        return [c for c in self.columns if c.hidden]


@dataclass
class LedgerBook:
    """The case tables of one workbook; read once, previewed many times."""

    path: Path
    sheets: list[LedgerSheet]
    other_sheets: list[tuple[str, str]]  # (sheet, why it is not read)

    @property
    def columns(self) -> list[LedgerColumn]:
        return [c for s in self.sheets for c in s.columns]

    def proposed_mapping(self, include_hidden: bool = False) -> dict[ColumnKey, str | None]:
        """Each field from the column that names it most surely: visible before hidden (hidden ones only with
        ``include_hidden``), an exact header before one containing a wording, a sure wording (立案号) before
        a loose one (编号), then the leftmost."""
        mapping: dict[ColumnKey, str | None] = {}
        for sheet in self.sheets:
            best: dict[str, LedgerColumn] = {}
            for col in sheet.columns:
                col.outscored_by = None
                mapping[col.key] = None
                if not col.named or (col.hidden and not include_hidden):
                    continue
                held = best.get(col.named)
                if held is None or (not col.hidden, col.sureness) > (not held.hidden, held.sureness):
                    best[col.named] = col
            for col in sheet.columns:
                winner = best.get(col.named) if col.named else None
                if winner is col:
                    mapping[col.key] = col.named
                elif winner is not None:
                    col.outscored_by = winner.letter
        return mapping

    def sheet(self, name: str) -> LedgerSheet:
        return next(s for s in self.sheets if s.name == name)


@dataclass
class LedgerRow:
    sheet: str
    row: int
    checked: CheckedRecord  # the case as the preview checked it (desk.records.check_new), saved as such
    fen: dict[str, int] = field(default_factory=dict)  # the money fields in 分, for the totals

    @property
    def record(self) -> dict:
        """The raw case (money in 元 text, dates ISO)."""
        return self.checked.raw

    @property
    def missing(self) -> list[str]:
        """The 待补正 items."""
        return list(self.checked.pending)


@dataclass
class LedgerPreview:
    book: LedgerBook
    mapping: dict[ColumnKey, str | None]
    include_hidden: bool = False
    readable: list[LedgerRow] = field(default_factory=list)
    unreadable: list[RowNote] = field(default_factory=list)  # refused: the basics cannot be read
    doubtful: list[RowNote] = field(default_factory=list)  # not imported: a value cannot be trusted
    present: list[RowNote] = field(default_factory=list)  # already in the database: skipped
    skipped: list[RowNote] = field(default_factory=list)  # 合计 / 说明 / repeated header lines
    hidden: list[RowNote] = field(default_factory=list)  # hidden rows, not imported unless asked
    notes: list[str] = field(default_factory=list)

    # A finished preview does not change: what is worked out from all its rows is worked out once (on the worker
    # that made it, see ui/ledger_import.py), not again by each reader on the GUI thread.
    @cached_property
    def incomplete(self) -> list[LedgerRow]:
        return [r for r in self.readable if r.missing]

    @property
    def sheets(self) -> list[LedgerSheet]:
        """The sheets this preview reads (hidden sheets only when asked)."""
        return [s for s in self.book.sheets if self.include_hidden or not s.hidden]

    def where(self, sheet: str, row: int) -> str:
        """第5行, or “2023”第5行 when several sheets are read."""
        return f"“{sheet}”第{row}行" if len(self.sheets) > 1 else f"第{row}行"

    def line(self, note: RowNote) -> str:
        return f"{self.where(note.sheet, note.row)}：{note.reason}"

    def mapping_lines(self) -> list[str]:
        """``A列 案件名称 → 案件名称`` per column, for the CLI and logs."""
        lines = []
        many = len(self.sheets) > 1
        for sheet in self.sheets:
            for col in sheet.columns:
                target = self.mapping.get(col.key)
                label = LF.LEDGER_FIELD_BY_NAME[target].label if target else "（不导入）"
                unit = f"［{self.unit_of(col)}］" if target in LF.MONEY_FIELDS else ""
                why = ""
                if not target and col.named:
                    named = LF.LEDGER_FIELD_BY_NAME[col.named].label
                    why = (f"（隐藏列，表头对应“{named}”）" if col.hidden and not self.include_hidden else
                           f"（“{named}”取{col.outscored_by}列）" if col.outscored_by else "")
                elif col.hidden:
                    why = "（隐藏列）"
                prefix = f"“{sheet.name}”" if many else ""
                lines.append(f"{prefix}{col.letter}列 {col.header or '（无标题）'} → {label}{unit}{why}")
        return lines

    def unit_of(self, col: LedgerColumn) -> str:
        return col.unit or self.book.sheet(col.sheet).default_unit

    @cached_property
    def totals(self) -> dict[str, int]:
        """What will be imported: the number of cases and the money fields' sums in 分."""
        out = {"案件": len(self.readable)}
        for name in LF.CASE_MONEY_FIELDS:
            out[LF.LEDGER_FIELD_BY_NAME[name].label] = sum(r.fen.get(name, 0) for r in self.readable)
        return out

    def counts(self) -> dict[str, int]:
        return {"可导入": len(self.readable), "其中待补正": len(self.incomplete), "已在数据库中": len(self.present),
                "无法读取": len(self.unreadable), "存疑未导入": len(self.doubtful), "隐藏行未导入": len(self.hidden),
                "合计/说明行": len(self.skipped)}


@dataclass
class LedgerImport:
    changes: Changes
    imported: int
    incomplete: int
    present: int


# ---- reading the workbook ----------------------------------------------------------------------
def _check_file(path: Path) -> None:
    if not path.is_file():
        raise IpdeskError(f"文件不存在：{path}", f"file not found: {path}")
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise IpdeskError(*too_large(size, MAX_FILE_BYTES))
    with open(path, "rb") as fh:
        magic = fh.read(8)
    if magic.startswith(b"\xd0\xcf\x11\xe0"):
        raise IpdeskError("这是旧版 Excel（.xls）文件：请在 Excel 中“另存为”.xlsx 格式后再导入",
                          "old .xls format: save as .xlsx first")
    if not magic.startswith(b"PK\x03\x04"):
        raise IpdeskError("不是 Excel 工作簿（.xlsx）文件", "not an .xlsx workbook")
    try:
        with zipfile.ZipFile(path) as zf:
            total = sum(info.file_size for info in zf.infolist())
            names = set(zf.namelist())
    except zipfile.BadZipFile:
        raise IpdeskError("Excel 文件已损坏，无法打开", "damaged .xlsx file") from None
    if total > MAX_UNCOMPRESSED_BYTES:
        raise IpdeskError("Excel 文件解压后过大，拒绝读取", "workbook expands too much (zip bomb?)")
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise IpdeskError("不是 Excel 工作簿（.xlsx）文件", "not an .xlsx workbook")


def _normalize_header(text: str) -> str:
    """Header text without spaces and without a bracketed unit."""
    text = re.sub(r"\s+", "", clean_text(text))
    text = re.sub(r"[(（\[【][^)）\]】]*[)）\]】]", lambda m: "" if _is_unit_note(m.group(0)) else m.group(0), text)
    return text.strip("：:*＊")


def _is_unit_note(bracketed: str) -> bool:
    inner = bracketed[1:-1]
    return inner in ("元", "万元", "万", "件", "人民币元", "年月日", "是/否", "是否", "√") or "元" in inner or \
        inner.startswith("单位")


_SYNONYMS = [(syn, f.name, rank) for f in LF.LEDGER_FIELDS for rank, syn in enumerate(f.synonyms)]
_EXACT: dict[str, tuple] = {}
for _syn, _name, _rank in _SYNONYMS:
    _EXACT.setdefault(_syn, (_name, _rank))


def match_header(text: str) -> tuple[str | None, tuple]:
    """The field a header names and how surely: (2, -rank) for an exact wording, (1, length) for a contained
    one; a higher tuple is surer. (None, ()) when it names nothing."""
    norm = _normalize_header(text)
    if not norm:
        return None, ()
    if norm in _EXACT:
        name, rank = _EXACT[norm]
        return name, (2, -rank)
    hits = [(len(syn), -rank, name) for syn, name, rank in _SYNONYMS
            if syn in norm and (len(syn) >= 3 or len(norm) <= 4)]
    if hits:
        length, rank, name = max(hits)
        return name, (1, length, rank)
    return None, ()


def _named(value) -> str | None:
    return match_header(value)[0] if isinstance(value, str) else None


def _row_score(values) -> int:
    return sum(1 for v in values if _named(v))


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def _cell(values, i: int):
    return values[i] if i < len(values) else None


def _find_header(rows: list[tuple[int, list]]) -> tuple[int, int] | None:
    """(position of the header row in ``rows``, number of header rows) among the first rows, or None."""
    best, best_score = None, 0
    for i, (_, values) in enumerate(rows[:HEADER_SEARCH_ROWS]):
        score = _row_score(values)
        if score > best_score:
            best, best_score = i, score
    if best is None or best_score < MIN_HEADER_SCORE:
        return None
    # A two-row header (金额 over 涉案金额 | 罚没金额): the next row names fields the top row does not.
    if best + 1 < len(rows) and rows[best + 1][0] == rows[best][0] + 1:
        top, below = rows[best][1], rows[best + 1][1]
        if _row_score(below) >= 1 and any(_named(v) and not _named(_cell(top, i)) for i, v in enumerate(below)):
            return best, 2
    return best, 1


def _columns(sheet: SheetCells, top_row: tuple[int, list], below_row: tuple[int, list] | None) -> list[LedgerColumn]:
    top = top_row[1]
    below = below_row[1] if below_row else []
    # The text of a header cell merged across columns (金额（万元） over three columns), per column it covers.
    spans: dict[int, str] = {}
    for r1, c1, r2, c2 in sheet.merges:
        if r1 == top_row[0] and c2 > c1 and r2 == r1 and isinstance(_cell(top, c1), str):
            for c in range(c1 + 1, c2 + 1):
                spans[c] = typed_text(top[c1])
    carry = not sheet.merges  # without merge information an empty top cell belongs to the group on its left
    columns, group = [], ""
    for i in range(max(len(top), len(below))):
        upper = typed_text(_cell(top, i)) if not is_blank(_cell(top, i)) else ""
        lower = typed_text(_cell(below, i)) if not is_blank(_cell(below, i)) else ""
        group = upper or spans.get(i, "") or (group if carry else "")
        named, sure = match_header(lower) if lower else (None, ())
        if named:
            text = f"{group}/{lower}" if group and group != lower else lower
            unit = money_unit_of(lower) or (money_unit_of(group) if group else None)
        else:
            text = upper or lower
            named, sure = match_header(text)
            unit = money_unit_of(text) if text else None
        columns.append(LedgerColumn(sheet.name, i, _letter(i), text, named, unit, i in sheet.hidden_columns, sure))
    return columns


def _unit_above(rows: list[tuple[int, list]], header_at: int) -> tuple[str, str]:
    """The money unit a line above the header states (金额单位：万元, even beside 填报单位：…), and where."""
    for row_no, values in rows[:header_at]:
        for v in values:
            unit = unit_line_of(v)
            if unit:
                return unit, f"第{row_no}行“{typed_text(v)[:40]}”"
    return YUAN, ""


def _fill_merges(sheet: SheetCells, rows: dict[int, list], first_data_row: int) -> tuple[int, set[int]]:
    """Copy a vertically merged cell's value into every row it spans (one 结案日期 for two cases); returns
    how many cells were filled and the rows that are one section title merged across the table."""
    filled, sections, budget = 0, set(), MAX_ROWS * MAX_COLUMNS
    numbers = sorted(rows)
    for r1, c1, r2, c2 in sheet.merges:
        source = rows.get(r1)
        value = _cell(source, c1) if source else None
        if r2 > r1 and value is not None and r1 >= first_data_row:  # (the header is read before, merges and all)
            # Only the rows that exist: a row with nothing else in it stays empty.
            for r in numbers[bisect_left(numbers, r1):bisect_right(numbers, r2)]:
                values = rows[r]
                budget -= c2 - c1 + 1
                if budget < 0:  # overlapping merges over the whole sheet: not a ledger anyone typed
                    raise IpdeskError("工作表中合并单元格过多，无法读取", "too many merged cells")
                for c in range(c1, c2 + 1):
                    if r == r1 and c == c1:
                        continue
                    if c >= len(values):
                        values.extend([None] * (c + 1 - len(values)))
                    values[c] = value
                    filled += 1
        elif (r1 == r2 and r1 >= first_data_row and c2 - c1 + 1 >= SECTION_MIN_WIDTH and source is not None
              and sum(1 for v in source if not is_blank(v)) == 1):
            sections.add(r1)
    return filled, sections


def _table_of(sheet: SheetCells) -> LedgerSheet | str:
    """The case table of one sheet, or why the sheet has none."""
    rows = sheet.rows
    header = _find_header(rows)
    if header is None:
        return "找不到台账表头"
    at, height = header
    by_row = {n: values for n, values in rows}
    # A header cell merged downwards (案件名称 over two header rows) ends the header where the merge ends.
    last = rows[at + height - 1][0]
    for r1, _c1, r2, _c2 in sheet.merges:
        if rows[at][0] <= r1 <= last < r2 <= last + 2:
            last = r2
    columns = _columns(sheet, rows[at], rows[at + 1] if height == 2 else None)
    if not {c.named for c in columns} & {"name", "case_no"}:
        return "表头没有案件名称或立案号列"
    filled, sections = _fill_merges(sheet, by_row, last + 1)
    unit, where = _unit_above(rows, at)
    width = len(columns)
    data = [(n, tuple(values[:max(width, 1)])) for n, values in rows if n > last]
    return LedgerSheet(sheet.name, last, columns, unit, where, data, sheet.hidden, sheet.hidden_rows, sheet.formulas,
                       sheet.errors, sections, sheet.filtered, filled)


def read_ledger(path: str | Path, sheet: str | None = None) -> LedgerBook:
    """Open a ledger workbook and find the case table of each sheet; refuses files that are not a readable .xlsx."""
    path = Path(path)
    _check_file(path)
    try:
        cells = read_sheets(path, max_rows=MAX_ROWS + HEADER_SEARCH_ROWS, max_columns=MAX_COLUMNS, only=sheet)
    except KeyError:
        names = "、".join(sheet_names(path))
        raise IpdeskError(f"工作簿中没有名为“{sheet}”的工作表（有：{names}）", f"no sheet {sheet}") from None
    except TooBig as exc:
        raise IpdeskError(f"工作表“{exc.sheet}”行数过多（上限 {MAX_ROWS} 行）", "too many rows") from None
    except XlsxError as exc:
        raise IpdeskError(f"无法读取 Excel 文件：{exc}", f"cannot read workbook: {exc}") from None
    sheets, others = [], []
    for one in cells:
        table = _table_of(one)
        if isinstance(table, str):
            others.append((one.name, table))
        else:
            table.hidden = table.hidden and sheet is None  # a hidden sheet named on purpose is read
            sheets.append(table)
    if not sheets:
        where = f"工作表“{sheet}”" if sheet else "工作簿"
        raise IpdeskError(f"{where}中找不到台账的表头行（如 案件名称、立案号、立案日期 等）",
                          "no header row found (案件名称, 立案号, 立案日期 …)")
    return LedgerBook(path, sheets, others)


# ---- reading the rows --------------------------------------------------------------------------
_BRACKETS = re.compile(r"[〔〕\[\]【】()（）{}［］]")


def case_no_key(text: str) -> str:
    """A case number compared as a clerk reads it: without spaces, every bracket form alike
    (〔2022〕 = [2022] = 【2022】 = （2022）), full-width digits as digits, 第1号 = 1号 = 01号."""
    text = re.sub(r"\s+", "", clean_text(text))
    text = _BRACKETS.sub("#", text)
    return re.sub(r"第?0*(\d+)号", r"\1号", text)


def _name_key(name: str, day: str | None) -> tuple[str, str]:
    return re.sub(r"\s+", "", clean_text(name)), day or ""


def _is_column_numbers(cells: list) -> bool:
    """栏次 row under an official form's header: 1 2 3 …, 甲 乙 丙 …, or 甲 乙 then 1 2 3 …"""
    if len(cells) < 4 or not (cells[0] == 1 or cells[0] == "甲"):
        return False
    i = 0
    while i < min(len(cells), len(_STEMS)) and isinstance(cells[i], str) and cells[i].strip() == _STEMS[i]:
        i += 1
    rest = cells[i:]
    return all(type(v) is int for v in rest) and rest == list(range(1, len(rest) + 1))


_STEMS = "甲乙丙丁戊己庚辛壬癸"


def _row_kind(values: tuple, header_texts: frozenset[str]) -> str | None:
    """'blank', 'total', 'footer', 'header' or 'numbers' for rows that are not cases, else None."""
    cells, first_text, repeated = [], None, 0
    for v in values:
        if v is None:
            continue
        if isinstance(v, str):
            text = v.strip()
            if len(text) <= 6 and is_blank(text):
                continue
            if first_text is None:
                first_text = text
            if len(text) <= 16:
                if "计" in text and LF.TOTAL_ROW.match(re.sub(r"\s+", "", clean_text(text))):
                    return "total"  # 合计, 本页合计, 小 计, 合计：12件 …
                repeated += text in header_texts
        cells.append(v)
    if not cells:
        return "blank"
    if len(cells) <= 3 and first_text and any(w in clean_text(first_text) for w in LF.FOOTER_WORDS):
        return "footer"
    if repeated >= MIN_HEADER_SCORE and repeated >= len(cells) * 0.6:
        return "header"  # the header repeated on every printed page
    if len(cells) >= 4 and _is_column_numbers(cells):
        return "numbers"
    return None


def _filler_columns(sheet: LedgerSheet, columns: list[_Column]) -> dict[int, bool]:
    """Columns a ledger template fills in advance — 序号 (typed or =ROW()) and 是/否 columns whose drop-down
    shows 否 — by index: True where only 否/0 counts as filler."""
    out = {c.index: False for c in sheet.columns if c.named == LF.SEQUENCE}
    out.update({c.index: c.field.kind == FLAG for c in columns if c.field.name == LF.SEQUENCE or c.field.kind == FLAG})
    return out


def _template_row(values: tuple, filler: dict[int, bool]) -> bool:
    """A row of the template not yet used: nothing in it but a 序号 or 否 in a 是/否 column."""
    for i, v in enumerate(values):
        if v is None or (isinstance(v, str) and is_blank(v)):
            continue
        if i not in filler:
            return False
        if filler[i] and not (v == 0 or (isinstance(v, str) and clean_text(v) in ("否", "0"))):
            return False
    return True


_SKIP_REASON = {"total": "合计行", "footer": "说明行", "header": "重复的表头行", "numbers": "栏次行",
                "section": "分段标题行"}


def _category_of(text: str) -> str | None:
    return LF.lookup(LF.CATEGORY_SYNONYMS, re.sub(r"\s+", "", text))


class _Column(NamedTuple):
    index: int  # type: ignore[assignment]  # shadows tuple.index, never called here
    field: LF.LedgerField
    unit: str
    letter: str


def _read_row(values: tuple, columns: list[_Column]) -> tuple[dict, dict[str, int]]:
    """A raw case from one row and its money in 分; raises LedgerValueError with the Chinese reason."""
    raw: dict = {}
    fen: dict[str, int] = {}
    notes: list[str] = []
    referred = 0
    for col in columns:
        index, lf = col.index, col.field
        name = lf.name
        value = values[index] if index < len(values) else None
        if value is None or name == LF.SEQUENCE or name in raw or name in fen or (
                isinstance(value, str) and is_blank(value)):
            continue  # two columns mapped to one field: the first non-empty wins
        try:
            if lf.kind == DATE:
                raw[name] = parse_ledger_date(value)
            elif lf.kind == MONEY:
                fen[name] = parse_ledger_amount(value, col.unit)
                if name != LF.PENALTY_TOTAL:
                    raw[name] = fen_as_yuan_text(fen[name])
            elif lf.kind == FLAG:
                flag = parse_flag(value, platforms=name == "flag_ecommerce")
                if name == LF.REFERRED:
                    referred = flag
                else:
                    raw[name] = flag
            elif name == "category":
                text = clean_text(value)
                category = _category_of(text)
                if category is None:
                    if any(w in text for w in LF.NON_IP_WORDS):
                        raise LedgerValueError(f"不是知识产权案件（案件类别：{text[:30]}）")
                    raise LedgerValueError(f"无法识别的案件类别：{text[:30]}")
                raw[name] = category
            elif name == "party_id_no":
                raw[name] = read_party_id(value)
            elif lf.kind == ENUM:
                text = re.sub(r"\s+", "", clean_text(value))
                synonyms = {"source": LF.SOURCE_SYNONYMS, "procedure": LF.PROCEDURE_SYNONYMS}.get(name)
                if synonyms is None:  # a choice without synonyms (当事人类型): its own choices, as written
                    synonyms = {c: c for c in LF.CASE_FIELD_MAP[name].choices}
                found = LF.outcome_of(text) if name == "outcome" else LF.lookup(synonyms, text)
                if found:
                    raw[name] = found
                else:  # kept, not guessed: the clerk completes it later
                    notes.append(f"{lf.label}“{typed_text(value)[:30]}”")
            elif lf.kind == MULTI:
                text = clean_text(value)
                kinds = [k for k in enums.PENALTY_KINDS if k in text or k.split("/")[0] in text]
                if kinds:
                    raw[name] = kinds
                else:
                    notes.append(f"{lf.label}“{typed_text(value)[:30]}”")
            else:
                raw[name] = typed_text(value, multiline=lf.kind == LONGTEXT)
        except LedgerValueError as exc:
            raise LedgerValueError(_with_label(str(exc), lf.label)) from None
    if referred and not raw.get("outcome"):
        raw["outcome"] = enums.OUTCOME_REFER_JUDICIAL
    if notes:
        raw["remarks"] = "；".join(filter(None, [raw.get("remarks"), "原台账" + "，".join(notes)]))
    return raw, fen


def _with_label(message: str, label: str) -> str:
    """"日期无法识别：…" on the 立案日期 column reads "立案日期无法识别：…"."""
    if label in message or message.startswith("身份证号"):
        return message
    for word in ("日期", "金额"):
        if message.startswith(word):
            return label + message[len(word):]
    return f"{label}：{message}"


def _complete_row(raw: dict) -> None:
    """Fill what the row implies: a name from its party and category, the category from its name,
    行政裁决 for a patent dispute. Raises for a row without basics."""
    name, number = (raw.get("name") or "").strip(), (raw.get("case_no") or "").strip()
    if not name and not number:
        raise LedgerValueError("无案件名称和案件编号")
    if not raw.get("category"):
        guess = _category_of(name + (raw.get("facts") or ""))
        if guess is None:
            raise LedgerValueError("无案件类别，且无法从案件名称判断")
        raw["category"] = guess
    if not name:
        raw["name"] = f"{raw.get('party_name') or ''}{raw['category']}案（{number}）"
    if raw["category"] == enums.DISPUTE_CATEGORY and not raw.get("procedure"):
        raw["procedure"] = enums.PROCEDURE_RULING


def _yuan(fen: int) -> str:
    return f"{fen_as_yuan_text(fen)}元"


def _penalty_check(fen: dict[str, int], has_parts: bool, total_unit: str) -> str | None:
    """Why the 罚没款合计 column does not agree with 罚款 + 没收违法所得, or None."""
    total = fen.get(LF.PENALTY_TOTAL)
    if total is None:
        return None
    if not has_parts:
        if total == 0:
            return None
        return (f"只有罚没款合计（{_yuan(total)}），分不出罚款与没收违法所得：请在列对应中把该列指定为"
                f"“罚款”或“没收违法所得”")
    parts = fen.get("fine_fen", 0) + fen.get("confiscated_fen", 0)
    slack = 50 if total_unit != YUAN else 0  # a total in 万元 to 4 decimals is exact to the 元
    if abs(parts - total) > slack:
        return (f"罚没款合计 {_yuan(total)} ≠ 罚款 {_yuan(fen.get('fine_fen', 0))} + 没收违法所得 "
                f"{_yuan(fen.get('confiscated_fen', 0))}")
    return None


def _doubtful_cells(sheet: LedgerSheet, row_no: int, columns: list[_Column]) -> str | None:
    """A mapped cell that holds no value to trust: a formula the file keeps no result of, or an error."""
    reasons = []
    for col in columns:
        if (row_no, col.index) in sheet.formulas:
            reasons.append(f"{col.letter}列（{col.field.label}）是公式，文件中没有计算结果"
                           f"（请在 Excel/WPS 中打开、保存后再导入）")
        elif (row_no, col.index) in sheet.errors:
            reasons.append(f"{col.letter}列（{col.field.label}）是错误值 {sheet.errors[(row_no, col.index)]}")
    return "；".join(reasons) or None


def _brief(values: tuple) -> str:
    texts = [typed_text(v) for v in values if not is_blank(v) and isinstance(v, str)]
    return "、".join(t[:20] for t in texts[:2])


def preview_ledger(desk: Desk, book: LedgerBook, mapping: dict[ColumnKey, str | None] | None = None,
                   progress: Progress | None = None, *, include_hidden: bool = False) -> LedgerPreview:
    """Read every row under ``mapping`` ((sheet, column index) → field name or None); writes nothing.

    Hidden rows, columns and sheets are listed and left out unless ``include_hidden``."""
    mapping = dict(book.proposed_mapping(include_hidden) if mapping is None else mapping)
    unknown = [v for v in mapping.values() if v and v not in LF.LEDGER_FIELD_BY_NAME]
    if unknown:
        raise IpdeskError(f"无法识别的字段：{'、'.join(unknown)}", f"unknown fields: {unknown}")
    preview = LedgerPreview(book, mapping, include_hidden)
    for name, why in book.other_sheets:
        preview.notes.append(f"工作表“{name}”未读取：{why}")
    sheets = preview.sheets
    for sheet in book.sheets:
        if sheet.hidden and not include_hidden:
            preview.notes.append(f"工作表“{sheet.name}”是隐藏的工作表，未导入（{len(sheet.rows)} 行；"
                                 f"选择“导入隐藏的行、列和工作表”可导入）")

    unit_code = desk.unit["code"]
    existing_numbers = {case_no_key(n) for n in records.case_numbers(desk.db, unit_code)}
    existing_names = {_name_key(n, d) for n, d in records.case_names_and_dates(desk.db, unit_code)}
    seen_numbers: dict[str, tuple[str, int]] = {}
    seen_names: dict[tuple[str, str], tuple[str, int]] = {}
    total = sum(len(s.rows) for s in sheets)
    done = 0
    for sheet in sheets:
        columns = [_Column(c.index, LF.LEDGER_FIELD_BY_NAME[mapping[c.key]], preview.unit_of(c), c.letter)
                   for c in sheet.columns if mapping.get(c.key)]
        mapped = {c.field.name for c in columns}
        _sheet_notes(preview, sheet, mapped, many=len(sheets) > 1)
        has_parts = bool(mapped & {"fine_fen", "confiscated_fen"})
        total_unit = next((c.unit for c in columns if c.field.name == LF.PENALTY_TOTAL), YUAN)
        number_at = next((c.index for c in columns if c.field.name == "case_no"), None)
        filler = _filler_columns(sheet, columns)
        header_texts = frozenset(part.strip() for c in sheet.columns if c.header for part in c.header.split("/"))
        for row_no, values in sheet.rows:
            done += 1
            if progress and done % 200 == 0:
                progress(done, total)
            kind = "section" if row_no in sheet.section_rows else _row_kind(values, header_texts)
            if kind == "blank" or (kind is None and _template_row(values, filler)):
                continue
            if kind:
                preview.skipped.append(RowNote(sheet.name, row_no, _SKIP_REASON[kind]))
                continue
            if row_no in sheet.hidden_rows and not include_hidden:
                hidden_why = "隐藏行（可能是筛选隐藏）" if sheet.filtered else "隐藏行"
                preview.hidden.append(RowNote(sheet.name, row_no, f"{hidden_why}：{_brief(values)}"))
                continue
            # The case number first: a number met twice is a duplicate whatever else is wrong in either row.
            number = typed_text(values[number_at]) if number_at is not None and number_at < len(values) \
                and not is_blank(values[number_at]) else ""
            key = case_no_key(number) if number else None
            if key in existing_numbers:
                preview.present.append(RowNote(sheet.name, row_no, number))
                continue
            if key:
                if key in seen_numbers:
                    preview.unreadable.append(RowNote(sheet.name, row_no, f"案件编号“{number}”与"
                                                      f"{preview.where(*seen_numbers[key])}重复"))
                    continue
                seen_numbers[key] = (sheet.name, row_no)
            doubt = _doubtful_cells(sheet, row_no, columns)
            if doubt:
                preview.doubtful.append(RowNote(sheet.name, row_no, doubt))
                continue
            try:
                raw, fen = _read_row(values, columns)
                _complete_row(raw)
            except LedgerValueError as exc:
                preview.unreadable.append(RowNote(sheet.name, row_no, str(exc)))
                continue
            doubt = _penalty_check(fen, has_parts, total_unit)
            if doubt:
                preview.doubtful.append(RowNote(sheet.name, row_no, doubt))
                continue
            if not number:
                name_key = _name_key(raw["name"], raw.get("filed_date") or raw.get("lead_date"))
                if name_key in existing_names:
                    preview.present.append(RowNote(sheet.name, row_no, raw["name"]))
                    continue
                if name_key in seen_names:
                    preview.unreadable.append(RowNote(sheet.name, row_no, f"与{preview.where(*seen_names[name_key])}"
                                                      f"重复（同名、同立案日期、无案件编号）"))
                    continue
                seen_names[name_key] = (sheet.name, row_no)
            # The rules the save applies (desk.records.check_new): the import does not run them again.
            checked = desk.records.check_new("cases", raw, complete_later=True)
            if checked.errors:
                preview.unreadable.append(RowNote(sheet.name, row_no, "；".join(checked.errors.values())))
                continue
            preview.readable.append(LedgerRow(sheet.name, row_no, checked,
                                              {k: v for k, v in fen.items() if k != LF.PENALTY_TOTAL}))
    if progress:
        progress(total, total)
    return preview


def _sheet_notes(preview: LedgerPreview, sheet: LedgerSheet, mapped: set[str], many: bool) -> None:
    prefix = f"工作表“{sheet.name}”：" if many else ""
    if not mapped & {"name", "case_no"}:
        preview.notes.append(f"{prefix}没有列对应“案件名称”或“立案号”：请在列对应中指定")
    if "category" not in mapped:
        preview.notes.append(f"{prefix}没有列对应“案件类别”：按案件名称判断类别")
    if LF.PENALTY_TOTAL in mapped and not mapped & {"fine_fen", "confiscated_fen"}:
        preview.notes.append(f"{prefix}罚没款合计列只用于核对罚款与没收违法所得，不作为罚款导入；"
                             "若该列就是罚款，请在列对应中改为“罚款”")
    hidden = [c for c in sheet.columns if c.hidden]
    if hidden and not preview.include_hidden:
        preview.notes.append(prefix + "隐藏列未导入：" + "、".join(f"{c.letter}列（{c.header or '无标题'}）"
                                                              for c in hidden))


def import_ledger(desk: Desk, preview: LedgerPreview, *, strict: bool = False,
                  progress: Progress | None = None) -> LedgerImport:
    """Write every readable row in one transaction (or none); ``strict`` refuses a file with any row
    unreadable or doubtful. ``progress(done, total)`` may stop it (取消) before anything is written (the
    backup made before an import stays: it is a copy of the file as it was)."""
    bad = len(preview.unreadable) + len(preview.doubtful)
    if strict and bad:
        raise IpdeskError(f"台账中有 {bad} 行无法读取或存疑，严格模式下未导入任何记录",
                          f"{bad} unreadable or doubtful rows; strict mode imports nothing")
    rows = preview.readable
    label = f"导入台账 {preview.book.path.name}（{len(rows)}件）"
    if not rows:
        return LedgerImport(Changes(set(), label=label), 0, 0, len(preview.present))

    backup_before_import(desk)
    try:
        # Checked by the preview; save_checked checks again a row changed since, and what depends on the
        # database (a number taken since, a month approved since).
        changes = desk.records.save_checked("cases", [r.checked for r in rows], label=label, progress=progress)
    except Cancelled:
        raise
    except IpdeskError as exc:
        # save_checked names records by position; say which Excel row it was.
        detail = []
        for key, message in list(exc.field_errors.items())[:20]:
            row = rows[int(key.split(".")[0])]
            detail.append(f"{preview.where(row.sheet, row.row)}：{message}")
        raise IpdeskError("导入失败，未写入任何记录：" + ("；".join(detail) or exc.zh),
                          f"import failed, nothing written: {exc.en}") from None
    return LedgerImport(changes, len(rows), len(preview.incomplete), len(preview.present))
