"""The cells of an untrusted .xlsx as a hand-kept ledger needs them, read from its XML in one pass.

openpyxl's read-only mode trusts the sheet's stored ``<dimension>`` (a stale one, common in files
written by other tools, cuts off rows and columns) and cannot say which rows and columns are hidden
or which cells are merged; its full mode is slow and, with ``data_only``, shows a formula without a
cached value as an empty cell. This reader streams each sheet once (``iterparse``, the rows cleared
as they are read) and keeps what the import must not lose:

- every cell where it is, whatever the dimension says;
- hidden rows and columns (``hidden="1"``, or a height/width of 0) and hidden sheets;
- merged ranges, to fill a value into every row a vertical merge spans;
- formulas without a cached value and error values (``#REF!``), which are not values at all;
- dates: numbers in a date format become ``datetime`` (1900 or 1904 date system).

Nothing is evaluated and no external entity is resolved (ElementTree never fetches one).
"""
from __future__ import annotations

import posixpath
import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from xml.etree.ElementTree import iterparse

from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel

_MAIN = ("http://schemas.openxmlformats.org/spreadsheetml/2006/main",
         "http://purl.oclc.org/ooxml/spreadsheetml/main")  # transitional and strict OOXML
_REL = ("http://schemas.openxmlformats.org/officeDocument/2006/relationships",
        "http://purl.oclc.org/ooxml/officeDocument/relationships")
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"


class XlsxError(ValueError):
    """The workbook's structure cannot be read (the caller words the refusal)."""


class TooBig(XlsxError):
    def __init__(self, sheet: str, what: str, limit: int):
        super().__init__(f"{sheet}: more than {limit} {what}")
        self.sheet, self.what, self.limit = sheet, what, limit


@dataclass
class SheetCells:
    """One sheet: its non-empty rows and what a user sees (or does not) of them."""

    name: str
    hidden: bool = False  # the sheet itself (state hidden / veryHidden)
    rows: list[tuple[int, list]] = field(default_factory=list)  # (row number, values by 0-based column)
    hidden_rows: set[int] = field(default_factory=set)
    hidden_columns: set[int] = field(default_factory=set)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # first row, first col, last row, last col
    formulas: set[tuple[int, int]] = field(default_factory=set)  # (row, col) formulas without a cached value
    errors: dict[tuple[int, int], str] = field(default_factory=dict)  # (row, col) → #REF! …
    filtered: bool = False  # an AutoFilter is set: some hidden rows may be filtered out, not hidden by hand


def _col_index(ref: str) -> int:
    n = 0
    for ch in ref:
        o = ord(ch)
        if 65 <= o <= 90:
            n = n * 26 + o - 64
        elif 97 <= o <= 122:
            n = n * 26 + o - 96
        else:
            break
    return n - 1


def _split_ref(ref: str) -> tuple[int, int]:
    """(row number, 0-based column) of ``B12``."""
    i = 0
    while i < len(ref) and not ref[i].isdigit():
        i += 1
    return int(ref[i:]), _col_index(ref[:i])


def _range(ref: str) -> tuple[int, int, int, int] | None:
    first, _, last = ref.partition(":")
    try:
        r1, c1 = _split_ref(first)
        r2, c2 = _split_ref(last or first)
    except ValueError:
        return None
    return min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2)


class _Book:
    def __init__(self, zf: zipfile.ZipFile):
        self.zf = zf
        self.names = set(zf.namelist())
        self.ns = _MAIN[0]
        self.sheets: list[tuple[str, str, bool]] = []  # (name, member path, hidden)
        self.epoch = CALENDAR_WINDOWS_1900
        self._workbook()
        self.strings = self._shared_strings()
        self.date_styles = self._date_styles()

    def _parse(self, member: str):
        with self.zf.open(member) as fh:
            for _, elem in iterparse(fh):
                yield elem

    def _tag(self, local: str) -> str:
        return f"{{{self.ns}}}{local}"

    def _workbook(self) -> None:
        member = "xl/workbook.xml"
        rels_member = "xl/_rels/workbook.xml.rels"
        if member not in self.names:
            raise XlsxError("no xl/workbook.xml")
        targets = {}
        if rels_member in self.names:
            for elem in self._parse(rels_member):
                if elem.tag == _PKG_REL:
                    targets[elem.get("Id")] = elem.get("Target") or ""
        found = []
        for elem in self._parse(member):
            ns, _, local = elem.tag[1:].partition("}")
            if local == "workbookPr" and elem.get("date1904") in ("1", "true"):
                self.epoch = CALENDAR_MAC_1904
            elif local == "sheet":
                self.ns = ns
                rid = next((elem.get(f"{{{r}}}id") for r in _REL if elem.get(f"{{{r}}}id")), None)
                target = targets.get(rid, "")
                path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
                    posixpath.join("xl", target))
                found.append((elem.get("name") or "", path, elem.get("state") in ("hidden", "veryHidden")))
        self.sheets = [s for s in found if s[1] in self.names]

    def _shared_strings(self) -> list[str]:
        member = "xl/sharedStrings.xml"
        if member not in self.names:
            return []
        si, t, r = self._tag("si"), self._tag("t"), self._tag("r")
        out = []
        for elem in self._parse(member):
            if elem.tag != si:
                continue
            plain = elem.find(t)
            if plain is not None:
                out.append(plain.text or "")
            else:  # rich text: the runs' text, without the phonetic (rPh) hints
                out.append("".join((run.findtext(t) or "") for run in elem.iter(r)))
            elem.clear()
        return out

    def _date_styles(self) -> set[int]:
        """Indexes of the cell formats (``s``) whose number format shows a date."""
        member = "xl/styles.xml"
        if member not in self.names:
            return set()
        custom: dict[int, str] = {}
        xfs: list[int] = []
        in_cell_xfs = False
        with self.zf.open(member) as fh:
            for event, elem in iterparse(fh, events=("start", "end")):
                local = elem.tag.rpartition("}")[2]
                if local == "cellXfs":
                    in_cell_xfs = event == "start"
                elif event == "end" and local == "numFmt":
                    try:
                        custom[int(elem.get("numFmtId", "-1"))] = elem.get("formatCode") or ""
                    except ValueError:
                        pass
                elif event == "start" and local == "xf" and in_cell_xfs:
                    try:
                        xfs.append(int(elem.get("numFmtId") or 0))
                    except ValueError:
                        xfs.append(0)
        dates = set()
        for i, fmt_id in enumerate(xfs):
            code = custom.get(fmt_id, BUILTIN_FORMATS.get(fmt_id))
            # 27–36 and 50–58 are the built-in CJK date formats (年月日), absent from openpyxl's table.
            if (code and is_date_format(code)) or 27 <= fmt_id <= 36 or 50 <= fmt_id <= 58:
                dates.add(i)
        return dates

    def sheet(self, name: str, member: str, hidden: bool, max_rows: int, max_columns: int, *,
              strict_columns: bool = False) -> SheetCells:
        """One sheet's cells; rows past ``max_rows`` raise :class:`TooBig`, cells past ``max_columns`` are left
        out — or, ``strict_columns``, raise TooBig when they hold a value."""
        out = SheetCells(name, hidden)
        tag = self._tag
        row_tag, c_tag, v_tag, f_tag, is_tag, t_tag = tag("row"), tag("c"), tag("v"), tag("f"), tag("is"), tag("t")
        col_tag, merge_tag, filter_tag = tag("col"), tag("mergeCell"), tag("autoFilter")
        strings, date_styles, epoch = self.strings, self.date_styles, self.epoch
        rows, formulas, errors = out.rows, out.formulas, out.errors
        letters: dict[str, int] = {}
        last_row = 0
        with self.zf.open(member) as fh:
            for _, elem in iterparse(fh):
                t = elem.tag
                if t == c_tag:
                    continue  # read with its row
                if t == row_tag:
                    r_attr = elem.get("r")
                    row_no = int(r_attr) if r_attr and r_attr.isdigit() and int(r_attr) > 0 else last_row + 1
                    last_row = row_no
                    values: list = []
                    row_hidden = elem.get("hidden") in ("1", "true") or (
                        elem.get("ht") in ("0", "0.0") and elem.get("customHeight") in ("1", "true"))
                    col = -1
                    for c in elem:
                        if c.tag != c_tag:
                            continue
                        ref = c.get("r")
                        if ref:
                            head = ref.rstrip("0123456789")
                            at = letters.get(head)
                            if at is None:
                                at = letters[head] = _col_index(head)
                            col = at if at >= 0 else col + 1  # a malformed reference: next in order
                        else:
                            col += 1
                        if col >= max_columns:
                            if strict_columns and (c.find(v_tag) is not None or c.find(is_tag) is not None):
                                raise TooBig(name, "columns", max_columns)
                            continue
                        kind = c.get("t")
                        v = c.find(v_tag)
                        text = v.text if v is not None else None
                        if kind == "inlineStr":
                            node = c.find(is_tag)
                            value: object = None if node is None else "".join(x.text or "" for x in node.iter(t_tag)) or None
                        elif text is None:
                            if c.find(f_tag) is not None:
                                formulas.add((row_no, col))
                            continue
                        elif kind == "s":
                            try:
                                value = strings[int(text)]
                            except (ValueError, IndexError):
                                value = None
                        elif kind == "str":
                            value = text
                        elif kind == "b":
                            value = text in ("1", "true")
                        elif kind == "e":
                            errors[(row_no, col)] = text
                            continue
                        elif kind == "d":
                            try:
                                value = datetime.fromisoformat(text.rstrip("Z"))
                            except ValueError:
                                value = text
                        else:
                            try:
                                value = int(text) if text.lstrip("-").isdigit() else float(text)
                            except ValueError:
                                value = text
                            s = c.get("s")
                            if s and date_styles and s.isdigit() and int(s) in date_styles \
                                    and not isinstance(value, str):
                                try:
                                    value = from_excel(value, epoch)
                                except (ValueError, OverflowError, TypeError):
                                    pass
                        if value is None or value == "":
                            continue
                        if col >= len(values):
                            values.extend([None] * (col + 1 - len(values)))
                        values[col] = value
                    elem.clear()
                    if values:  # an empty row (formatted, or hidden below the table) is no row at all
                        if row_no > max_rows:
                            raise TooBig(name, "rows", max_rows)
                        if row_hidden:
                            out.hidden_rows.add(row_no)
                        rows.append((row_no, values))
                elif t == col_tag:
                    if elem.get("hidden") in ("1", "true") or elem.get("width") in ("0", "0.0"):
                        try:
                            first, last = int(elem.get("min")), int(elem.get("max"))
                        except (TypeError, ValueError):
                            continue
                        out.hidden_columns.update(range(first - 1, min(last, max_columns)))
                elif t == merge_tag:
                    rng = _range(elem.get("ref") or "")
                    if rng and rng[1] < max_columns and rng[0] <= max_rows:  # A1:XFD1048576 is cut to the limits
                        out.merges.append((rng[0], rng[1], min(rng[2], max_rows), min(rng[3], max_columns - 1)))
                elif t == filter_tag:
                    out.filtered = True
        return out


def read_sheets(path, *, max_rows: int, max_columns: int, only: str | None = None) -> list[SheetCells]:
    """Every sheet of the workbook (or the one named ``only``), in workbook order.

    Raises :class:`XlsxError` when the package is not a readable workbook, :class:`TooBig` past the limits,
    KeyError when ``only`` names no sheet.
    """
    try:
        with zipfile.ZipFile(path) as zf:
            book = _Book(zf)
            chosen = [s for s in book.sheets if only is None or s[0] == only]
            if only is not None and not chosen:
                raise KeyError(only)
            return [book.sheet(name, member, hidden, max_rows, max_columns) for name, member, hidden in chosen]
    except (zipfile.BadZipFile, SyntaxError, UnicodeDecodeError, OSError) as exc:
        # ElementTree's ParseError is a SyntaxError.
        raise XlsxError(str(exc)) from None


def sheet_names(path) -> list[str]:
    with zipfile.ZipFile(path) as zf:
        return [s[0] for s in _Book(zf).sheets]
