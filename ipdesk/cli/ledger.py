"""``ipdesk import-ledger``: a hand-kept Excel case ledger, previewed then imported in one transaction."""
from __future__ import annotations

import re

from ..errors import IpdeskError
from .registry import command
from .core import opened_desk
from ..domain.money import fen_to_yuan_text
from ..exchange import ledger_fields as LF


def _yuan(fen: int) -> str:
    return f"{fen_to_yuan_text(fen)} 元"


def print_preview(preview) -> None:
    for sheet in preview.sheets:
        unit = f"按{sheet.default_unit}（{sheet.unit_line}）" if sheet.unit_line else f"按{sheet.default_unit}（未注明）"
        extra = f"，合并单元格已填入 {sheet.merged_cells_filled} 格" if sheet.merged_cells_filled else ""
        print(f"工作表：{sheet.name}　表头在第{sheet.header_row}行　数据 {len(sheet.rows)} 行　"
              f"未注明单位的金额{unit}{extra}")
    print("列对应：")
    for line in preview.mapping_lines():
        print("  " + line)
    for note in preview.notes:
        print(f"注意：{note}")
    sections = (("无法读取的行（不导入）", preview.unreadable), ("存疑的行（不导入）", preview.doubtful),
                ("隐藏的行（不导入；--include-hidden 可导入）", preview.hidden),
                ("已在数据库中（跳过）", preview.present), ("合计/说明行（跳过）", preview.skipped))
    for title, notes in sections:
        if notes:
            print(f"{title}：")
            for note in notes:
                print("  " + preview.line(note))
    if preview.incomplete:
        print("待补正的行（导入后须补全）：")
        for r in preview.incomplete:
            print(f"  {preview.where(r.sheet, r.row)}：{r.record.get('name')}　缺：{'、'.join(r.missing)}")
    totals = preview.totals
    print("将导入：" + "　".join(f"{k} {v} 件" if k == "案件" else f"{k} {_yuan(v)}" for k, v in totals.items()))
    print("　".join(f"{k} {v}" for k, v in preview.counts().items()))


def parse_mapping(book, items: list[str]) -> dict:
    """``--map J=罚款`` (or ``2023!J=罚款``, ``J=不导入``) over the proposed mapping."""
    by_label: dict[str, str] = {}
    for lf in LF.LEDGER_FIELDS:
        by_label.setdefault(lf.label, lf.name)
        by_label.setdefault(lf.name, lf.name)
        for syn in lf.synonyms:
            by_label.setdefault(syn, lf.name)
    overrides = {}
    for item in items:
        m = re.fullmatch(r"\s*(?:(.+)!)?([A-Za-z]{1,3})\s*=\s*(.+?)\s*", item)
        if not m:
            raise IpdeskError(f"--map 的写法应为 列=字段，如 J=罚款：{item}", f"bad --map: {item}")
        sheet_name, letter, target = m.group(1), m.group(2).upper(), m.group(3)
        sheets = [s for s in book.sheets if sheet_name in (None, s.name)]
        if not sheets:
            raise IpdeskError(f"--map：没有名为“{sheet_name}”的台账工作表", f"--map: no sheet {sheet_name}")
        if target in ("不导入", "-", "none"):
            name = None
        elif target in by_label:
            name = by_label[target]
        else:
            raise IpdeskError(f"--map：无法识别的字段“{target}”", f"--map: unknown field {target}")
        for sheet in sheets:
            col = next((c for c in sheet.columns if c.letter == letter), None)
            if col is None:
                raise IpdeskError(f"--map：工作表“{sheet.name}”没有 {letter} 列表头", f"--map: no column {letter}")
            overrides[col.key] = name
    return overrides


@command("import-ledger", "导入原有Excel案件台账 / import a legacy Excel case ledger")
def _import_ledger(p):
    p.add_argument("ledger", help="台账文件（.xlsx）")
    p.add_argument("--sheet", help="只读这一个工作表（默认：读有台账表头的每个工作表）")
    p.add_argument("--dry-run", action="store_true", help="只预览，不写入")
    p.add_argument("--strict", action="store_true", help="有任何无法读取或存疑的行则整个文件不导入")
    p.add_argument("--include-hidden", action="store_true", help="也导入隐藏的行、列和工作表（默认列出但不导入）")
    p.add_argument("--map", action="append", default=[], metavar="列=字段",
                   help="改变列对应，如 --map J=罚款、--map B=不导入、--map 2023!J=没收违法所得（可重复）")

    def run(args):
        # Imported here: openpyxl loads only when needed (heavy).
        from ..exchange.ledger import import_ledger, preview_ledger, read_ledger

        book = read_ledger(args.ledger, args.sheet)
        mapping = book.proposed_mapping(args.include_hidden)
        mapping.update(parse_mapping(book, args.map))
        with opened_desk(args) as desk:
            preview = preview_ledger(desk, book, mapping, include_hidden=args.include_hidden)
            print_preview(preview)
            bad = len(preview.unreadable) + len(preview.doubtful)
            if args.strict and bad:
                raise IpdeskError(f"有 {bad} 行无法读取或存疑，严格模式下未导入任何记录",
                                  f"{bad} unreadable or doubtful rows; --strict imports nothing")
            if args.dry_run:
                print("试运行：未写入任何记录")
                return 0
            result = import_ledger(desk, preview, strict=args.strict)
        print(f"已导入 {result.imported} 件案件（其中待补正 {result.incomplete} 件），"
              f"已在数据库中跳过 {result.present} 件")
        return 0
    return run
