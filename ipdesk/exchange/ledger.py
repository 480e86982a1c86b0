"""Legacy import of a hand-kept Excel case ledger (PRODUCT.md §7 "Legacy import", §10 ``import-ledger``).

Three steps, so nothing is written before the user has seen what will be:

1. :func:`read_ledger` opens the workbook (untrusted: size-checked, read-only, formulas not
   evaluated), picks the sheet, finds the header row below any title rows and proposes a
   mapping of columns to case fields from the synonyms in :mod:`.ledger_fields`.
2. :func:`preview_ledger` reads every row under a mapping (the GUI may change it and run
   this again): readable rows, rows already in the database (the case number is the key),
   and every unreadable row as its Excel row number with the reason.
3. :func:`import_ledger` writes every readable row in one transaction (or none); rows that
   lack what the form now requires come in marked 待补正.
"""
from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from ..desk import Changes, Desk
from ..domain import enums, rules
from ..domain.fields import DATE, ENUM, FLAG, MONEY, MULTI
from ..errors import IpdeskError, too_large
from . import ledger_fields as LF
from .ledger_values import (YUAN, LedgerValueError, clean_text, fen_as_yuan_text, is_blank, money_unit_of,
                            parse_flag, parse_ledger_amount, parse_ledger_date)

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 300 * 1024 * 1024  # a zip bomb stops here, before openpyxl sees it
MAX_ROWS = 50_000
MAX_COLUMNS = 120
HEADER_SEARCH_ROWS = 30
MIN_HEADER_SCORE = 2

Progress = Callable[[int, int], None]


@dataclass
class LedgerColumn:
    index: int  # 0-based position in the sheet
    letter: str  # A, B, … as Excel shows it
    header: str  # the header text as written (both header rows joined when there are two)
    guess: str | None  # the field the header suggests, None when it names nothing we know
    unit: str | None  # 元 / 万元 when the header says so


@dataclass
class LedgerSheet:
    """The cells of the chosen sheet and what its header says; read once, previewed many times."""

    path: Path
    sheet_name: str
    other_ledger_sheets: list[str]
    header_row: int  # Excel row number of the last header row
    columns: list[LedgerColumn]
    default_unit: str  # money unit of columns whose header names none (from a 单位：万元 row, else 元)
    rows: list[tuple[int, tuple]]  # (Excel row number, cell values) below the header

    def proposed_mapping(self) -> dict[int, str | None]:
        return {c.index: c.guess for c in self.columns}


@dataclass
class LedgerRow:
    row: int
    record: dict  # raw case for Desk.save_many (money in 元 text, dates ISO)
    missing: list[str]  # the 待补正 items


@dataclass
class LedgerPreview:
    sheet: LedgerSheet
    mapping: dict[int, str | None]
    readable: list[LedgerRow] = field(default_factory=list)
    unreadable: list[tuple[int, str]] = field(default_factory=list)
    present: list[tuple[int, str]] = field(default_factory=list)  # already in the database: skipped
    skipped: list[tuple[int, str]] = field(default_factory=list)  # 合计 / 填表人 lines
    notes: list[str] = field(default_factory=list)

    @property
    def incomplete(self) -> list[LedgerRow]:
        return [r for r in self.readable if r.missing]

    def mapping_lines(self) -> list[str]:
        """``A 案件名称 → 案件名称`` per column, for the CLI and logs."""
        lines = []
        for col in self.sheet.columns:
            target = self.mapping.get(col.index)
            label = LF.LEDGER_FIELD_BY_NAME[target].label if target else "（不导入）"
            unit = f"［{self.unit_of(col)}］" if target in LF.MONEY_FIELDS else ""
            lines.append(f"{col.letter}列 {col.header or '（无标题）'} → {label}{unit}")
        return lines

    def unit_of(self, col: LedgerColumn) -> str:
        return col.unit or self.sheet.default_unit

    def counts(self) -> dict[str, int]:
        return {"可导入": len(self.readable), "其中待补正": len(self.incomplete), "已在数据库中": len(self.present),
                "无法读取": len(self.unreadable), "合计/说明行": len(self.skipped)}


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
    if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
        raise IpdeskError("不是 Excel 工作簿（.xlsx）文件", "not an .xlsx workbook")


def _normalize_header(text: str) -> tuple[str, str | None]:
    """Header text without spaces and without a bracketed unit, and that unit."""
    text = clean_text(text)
    unit = money_unit_of(text)
    text = re.sub(r"\s+", "", text)
    text = re.sub(r"[(（\[【][^)）\]】]*[)）\]】]", lambda m: "" if _is_unit_note(m.group(0)) else m.group(0), text)
    return text.strip("：:*＊"), unit


def _is_unit_note(bracketed: str) -> bool:
    inner = bracketed[1:-1]
    return inner in ("元", "万元", "万", "件", "人民币元", "单位：元", "单位：万元", "单位:元", "单位:万元", "年月日",
                     "是/否", "是否", "√") or "元" in inner or inner.startswith("单位")


_SYNONYMS = [(syn, f.name) for f in LF.LEDGER_FIELDS for syn in f.synonyms]


def match_header(text: str) -> tuple[str | None, int]:
    """The field a header names and how sure: 2 for an exact synonym, 1 for a contained one."""
    norm, _ = _normalize_header(text)
    if not norm:
        return None, 0
    for syn, name in _SYNONYMS:
        if norm == syn:
            return name, 2
    hits = [(len(syn), name) for syn, name in _SYNONYMS
            if syn in norm and (len(syn) >= 3 or len(norm) <= 4)]
    if hits:
        return max(hits)[1], 1
    return None, 0


def _row_score(values: tuple) -> int:
    return sum(1 for v in values if isinstance(v, str) and match_header(v)[0])


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def _trim(values: tuple) -> tuple:
    values = tuple(values[:MAX_COLUMNS])
    end = len(values)
    while end and is_blank(values[end - 1]):
        end -= 1
    return values[:end]


def _find_header(rows: list[tuple[int, tuple]]) -> tuple[int, int] | None:
    """(index of the header row, number of header rows) among the first rows, or None."""
    best, best_score = None, 0
    for i, (_, values) in enumerate(rows[:HEADER_SEARCH_ROWS]):
        score = _row_score(values)
        if score > best_score:
            best, best_score = i, score
    if best is None or best_score < MIN_HEADER_SCORE:
        return None
    # A two-row header (金额 over 涉案金额 | 罚没金额): the row below names fields the top row does not.
    if best + 1 < len(rows):
        top, below = rows[best][1], rows[best + 1][1]
        if _row_score(below) >= MIN_HEADER_SCORE and any(
                isinstance(v, str) and match_header(v)[0] and
                (i >= len(top) or not (isinstance(top[i], str) and match_header(top[i])[0]))
                for i, v in enumerate(below)):
            return best, 2
    return best, 1


def _columns(rows: list[tuple[int, tuple]], at: int, height: int) -> list[LedgerColumn]:
    top = rows[at][1]
    below = rows[at + 1][1] if height == 2 else ()
    columns, sureness, group = [], [], ""
    for i in range(max(len(top), len(below))):
        upper = clean_text(top[i]) if i < len(top) and not is_blank(top[i]) else ""
        lower = clean_text(below[i]) if i < len(below) and not is_blank(below[i]) else ""
        group = upper or group  # a merged group header (金额（万元）) spans the empty cells to its right
        guess, sure = match_header(lower) if lower else (None, 0)
        if guess:
            text, unit = (f"{group}/{lower}" if group and group != lower else lower), \
                money_unit_of(lower) or money_unit_of(group)
        else:
            text = upper or lower
            guess, sure = match_header(text)
            unit = money_unit_of(text)
        columns.append(LedgerColumn(i, _letter(i), text, guess, unit))
        sureness.append(sure)
    # One column per field: an exact header beats a contained one, then the leftmost wins.
    best: dict[str, tuple[int, int]] = {}
    for col, sure in zip(columns, sureness):
        if col.guess and (col.guess not in best or sure > best[col.guess][0]):
            best[col.guess] = (sure, col.index)
    for col in columns:
        if col.guess and best[col.guess][1] != col.index:
            col.guess = None
    return columns


def _default_unit(rows: list[tuple[int, tuple]], header_at: int) -> str:
    for _, values in rows[:header_at]:
        for v in values:
            text = clean_text(v) if isinstance(v, str) else ""
            if "单位" in text and money_unit_of(text):
                return money_unit_of(text)
    return YUAN


def read_ledger(path: str | Path, sheet: str | None = None) -> LedgerSheet:
    """Open a ledger workbook and find its header; refuses files that are not a readable .xlsx."""
    path = Path(path)
    _check_file(path)
    import openpyxl

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True, keep_links=False)
    except Exception as exc:  # noqa: BLE001 - any parse failure of an untrusted file is a refusal
        raise IpdeskError(f"无法读取 Excel 文件：{exc}", f"cannot read workbook: {exc}") from None
    try:
        names = wb.sheetnames
        if sheet is not None and sheet not in names:
            raise IpdeskError(f"工作簿中没有名为“{sheet}”的工作表（有：{'、'.join(names)}）", f"no sheet {sheet}")
        found: list[tuple[str, list, tuple[int, int]]] = []
        for name in ([sheet] if sheet else names):
            ws = wb[name]
            rows = []
            for n, values in enumerate(ws.iter_rows(values_only=True), start=1):
                if n > MAX_ROWS + HEADER_SEARCH_ROWS:
                    raise IpdeskError(f"工作表“{name}”行数过多（上限 {MAX_ROWS} 行）", "too many rows")
                rows.append((n, _trim(values)))
            header = _find_header(rows)
            if header:
                found.append((name, rows, header))
    finally:
        wb.close()
    if not found:
        where = f"工作表“{sheet}”" if sheet else "工作簿"
        raise IpdeskError(f"{where}中找不到台账的表头行（如 案件名称、立案号、立案日期 等）",
                          "no header row found (案件名称, 立案号, 立案日期 …)")
    found.sort(key=lambda item: -_row_score(item[1][item[2][0]][1]))
    name, rows, (at, height) = found[0]
    data = [(n, values) for n, values in rows[at + height:]]
    return LedgerSheet(path, name, [f[0] for f in found[1:]], rows[at + height - 1][0], _columns(rows, at, height),
                       _default_unit(rows, at), data)


# ---- reading the rows --------------------------------------------------------------------------
def case_no_key(text: str) -> str:
    """A case number compared without spaces and with every bracket form alike (〔2022〕 = [2022] = （2022）)."""
    text = re.sub(r"\s+", "", clean_text(text))
    return re.sub(r"[〔〕\[\]【】()（）{}]", "#", text)


def _name_key(name: str, day: str | None) -> tuple[str, str]:
    return re.sub(r"\s+", "", clean_text(name)), day or ""


def _row_kind(values: tuple) -> str | None:
    """'blank', 'total' or 'footer' for rows that are not cases, else None."""
    cells = [clean_text(v) for v in values if not is_blank(v)]
    if not cells:
        return "blank"
    first = re.sub(r"\s+", "", cells[0])
    if any(first.startswith(w) for w in LF.TOTAL_WORDS):
        return "total"
    if len(cells) <= 3 and any(w in cells[0] for w in LF.FOOTER_WORDS):
        return "footer"
    return None


def _category_of(text: str) -> str | None:
    return LF.lookup(LF.CATEGORY_SYNONYMS, re.sub(r"\s+", "", text))


def _read_row(values: tuple, mapping: dict[int, str | None], units: dict[int, str]) -> dict:
    """A raw case from one row; raises LedgerValueError with the Chinese reason."""
    raw: dict = {}
    notes: list[str] = []
    referred = 0
    for index, name in mapping.items():
        if not name or name == LF.SEQUENCE or index >= len(values) or is_blank(values[index]):
            continue
        value = values[index]
        lf = LF.LEDGER_FIELD_BY_NAME[name]
        if name in raw:  # two columns mapped to one field: the first non-empty wins
            continue
        try:
            if lf.kind == DATE:
                raw[name] = parse_ledger_date(value)
            elif lf.kind == MONEY:
                raw[name] = fen_as_yuan_text(parse_ledger_amount(value, units[index]))
            elif lf.kind == FLAG:
                flag = parse_flag(value)
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
            elif lf.kind == ENUM:
                text = re.sub(r"\s+", "", clean_text(value))
                table = {"source": LF.SOURCE_SYNONYMS, "procedure": LF.PROCEDURE_SYNONYMS,
                         "outcome": LF.OUTCOME_SYNONYMS}[name]
                found = LF.lookup(table, text)
                if found:
                    raw[name] = found
                else:  # kept, not guessed: the clerk completes it later
                    notes.append(f"{lf.label}“{text[:30]}”")
            elif lf.kind == MULTI:
                text = clean_text(value)
                kinds = [k for k in enums.PENALTY_KINDS if k in text or k.split("/")[0] in text]
                if kinds:
                    raw[name] = kinds
                else:
                    notes.append(f"{lf.label}“{text[:30]}”")
            elif isinstance(value, float) and value.is_integer():
                raw[name] = str(int(value))  # 身份证号/文号 typed as numbers
            else:
                raw[name] = re.sub(r"[ \t]+", " ", clean_text(value))
        except LedgerValueError as exc:
            raise LedgerValueError(_with_label(str(exc), lf.label)) from None
    if referred and not raw.get("outcome"):
        raw["outcome"] = enums.OUTCOME_REFER_JUDICIAL
    if notes:
        raw["remarks"] = "；".join(filter(None, [raw.get("remarks"), "原台账" + "，".join(notes)]))
    return raw


def _with_label(message: str, label: str) -> str:
    """"日期无法识别：…" on the 立案日期 column reads "立案日期无法识别：…"."""
    if label in message:
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


def preview_ledger(desk: Desk, sheet: LedgerSheet, mapping: dict[int, str | None] | None = None,
                   progress: Progress | None = None) -> LedgerPreview:
    """Read every row under ``mapping`` (column index → field name or None); writes nothing."""
    mapping = dict(sheet.proposed_mapping() if mapping is None else mapping)
    unknown = [v for v in mapping.values() if v and v not in LF.LEDGER_FIELD_BY_NAME]
    if unknown:
        raise IpdeskError(f"无法识别的字段：{'、'.join(unknown)}", f"unknown fields: {unknown}")
    preview = LedgerPreview(sheet, mapping)
    units = {c.index: preview.unit_of(c) for c in sheet.columns}
    mapped = set(filter(None, mapping.values()))
    if not mapped & {"name", "case_no"}:
        preview.notes.append("没有列对应“案件名称”或“立案号”：请在列对应中指定")
    if "category" not in mapped:
        preview.notes.append("没有列对应“案件类别”：按案件名称判断类别")
    if sheet.other_ledger_sheets:
        preview.notes.append(f"工作簿中还有其他台账工作表：{'、'.join(sheet.other_ledger_sheets)}（需分别导入）")

    unit_code = desk.unit["code"]
    existing_numbers = {case_no_key(n) for (n,) in desk.db.execute(
        "SELECT case_no FROM cases WHERE unit_code = ? AND case_no IS NOT NULL AND case_no <> ''", [unit_code])}
    existing_names = {_name_key(n, d) for n, d in desk.db.execute(
        "SELECT name, COALESCE(filed_date, lead_date) FROM cases WHERE unit_code = ?", [unit_code])}
    seen_numbers: dict[str, int] = {}
    seen_names: dict[tuple[str, str], int] = {}
    total = len(sheet.rows)
    for done, (row_no, values) in enumerate(sheet.rows, start=1):
        if progress and done % 200 == 0:
            progress(done, total)
        kind = _row_kind(values)
        if kind == "blank":
            continue
        if kind:
            preview.skipped.append((row_no, "合计行" if kind == "total" else "说明行"))
            continue
        try:
            raw = _read_row(values, mapping, units)
            _complete_row(raw)
        except LedgerValueError as exc:
            preview.unreadable.append((row_no, str(exc)))
            continue
        number = (raw.get("case_no") or "").strip()
        key = case_no_key(number) if number else None
        name_key = _name_key(raw["name"], raw.get("filed_date") or raw.get("lead_date"))
        if key in existing_numbers or (not number and name_key in existing_names):
            preview.present.append((row_no, number or raw["name"]))
            continue
        if key and key in seen_numbers:
            preview.unreadable.append((row_no, f"案件编号“{number}”与第{seen_numbers[key]}行重复"))
            continue
        if not number and name_key in seen_names:
            preview.unreadable.append((row_no, f"与第{seen_names[name_key]}行重复（同名、同立案日期、无案件编号）"))
            continue
        merged, errors = desk.validate("cases", raw)
        missing = rules.missing_for_form(merged)
        errors = {k: v for k, v in errors.items() if rules.COMPLETION_FIELDS.get(k) not in missing}
        if errors:
            preview.unreadable.append((row_no, "；".join(errors.values())))
            continue
        if key:
            seen_numbers[key] = row_no
        else:
            seen_names[name_key] = row_no
        preview.readable.append(LedgerRow(row_no, raw, missing))
    if progress:
        progress(total, total)
    return preview


def import_ledger(desk: Desk, preview: LedgerPreview, *, strict: bool = False) -> LedgerImport:
    """Write every readable row in one transaction (or none); ``strict`` refuses a file with any bad row."""
    if strict and preview.unreadable:
        raise IpdeskError(f"台账中有 {len(preview.unreadable)} 行无法读取，严格模式下未导入任何记录",
                          f"{len(preview.unreadable)} unreadable rows; strict mode imports nothing")
    rows = preview.readable
    label = f"导入台账 {preview.sheet.path.name}（{len(rows)}件）"
    if not rows:
        return LedgerImport(Changes(set(), label=label), 0, 0, len(preview.present))
    from ..db.backup import backup_now

    backup_now(desk, "import")
    try:
        changes = desk.save_many("cases", [r.record for r in rows], label=label,
                                 needs_completion=[r.missing for r in rows])
    except IpdeskError as exc:
        # save_many names records by position; say which Excel row it was.
        detail = []
        for key, message in list(exc.field_errors.items())[:20]:
            index = int(key.split(".")[0])
            detail.append(f"第{rows[index].row}行：{message}")
        raise IpdeskError("导入失败，未写入任何记录：" + ("；".join(detail) or exc.zh),
                          f"import failed, nothing written: {exc.en}") from None
    return LedgerImport(changes, len(rows), len(preview.incomplete), len(preview.present))
