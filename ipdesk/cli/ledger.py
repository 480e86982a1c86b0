"""``ipdesk import-ledger``: a hand-kept Excel case ledger, previewed then imported in one transaction."""
from __future__ import annotations

from ..errors import IpdeskError
from . import command
from .core import opened_desk


def print_preview(preview) -> None:
    sheet = preview.sheet
    print(f"工作表：{sheet.sheet_name}　表头在第{sheet.header_row}行　未注明单位的金额按{sheet.default_unit}")
    print("列对应：")
    for line in preview.mapping_lines():
        print("  " + line)
    for note in preview.notes:
        print(f"注意：{note}")
    if preview.unreadable:
        print("无法读取的行：")
        for row, reason in preview.unreadable:
            print(f"  第{row}行：{reason}")
    if preview.present:
        print("已在数据库中（跳过）：")
        for row, key in preview.present:
            print(f"  第{row}行：{key}")
    if preview.incomplete:
        print("待补正的行（导入后须补全）：")
        for r in preview.incomplete:
            print(f"  第{r.row}行：{r.record.get('name')}　缺：{'、'.join(r.missing)}")
    print("　".join(f"{k} {v}" for k, v in preview.counts().items()))


@command("import-ledger", "导入原有Excel案件台账 / import a legacy Excel case ledger")
def _import_ledger(p):
    p.add_argument("ledger", help="台账文件（.xlsx）")
    p.add_argument("--sheet", help="工作表名称（默认：自动选择）")
    p.add_argument("--dry-run", action="store_true", help="只预览，不写入")
    p.add_argument("--strict", action="store_true", help="有任何无法读取的行则整个文件不导入")

    def run(args):
        from ..exchange.ledger import import_ledger, preview_ledger, read_ledger

        sheet = read_ledger(args.ledger, args.sheet)
        with opened_desk(args) as desk:
            preview = preview_ledger(desk, sheet)
            print_preview(preview)
            if args.strict and preview.unreadable:
                raise IpdeskError(f"有 {len(preview.unreadable)} 行无法读取，严格模式下未导入任何记录",
                                  f"{len(preview.unreadable)} unreadable rows; --strict imports nothing")
            if args.dry_run:
                print("试运行：未写入任何记录")
                return 0
            result = import_ledger(desk, preview, strict=args.strict)
        print(f"已导入 {result.imported} 件案件（其中待补正 {result.incomplete} 件），"
              f"已在数据库中跳过 {result.present} 件")
        return 0
    return run
