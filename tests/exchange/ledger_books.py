"""Messy hand-kept case ledgers, built with openpyxl the way offices actually keep them."""
from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import openpyxl

# Valid 统一社会信用代码 (check digits computed by ipdesk.domain.identifiers).
USCC_A = "91150602MA0N00001X"


def valid_uscc(seed: int) -> str:
    from ipdesk.domain.identifiers import uscc_check_char

    first = f"9115060{seed:010d}"[:17]
    return first + uscc_check_char(first)


def valid_id(first17: str = "15060219800101123") -> str:
    from ipdesk.domain.identifiers import id_check_char

    return first17 + id_check_char(first17)


def save(rows: list[list], path: Path, *, sheet: str = "台账", merges: tuple[str, ...] = (),
         extra_sheets: dict[str, list[list]] | None = None) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    for row in rows:
        ws.append(row)
    for rng in merges:
        ws.merge_cells(rng)
    for name, extra in (extra_sheets or {}).items():
        other = wb.create_sheet(name)
        for row in extra:
            other.append(row)
    wb.save(path)
    return path


def ledger_one(path: Path) -> Path:
    """Title rows, a unit row (万元), dates in every form, √ flags, blank rows, a 合计 row and bad rows."""
    rows = [
        ["东胜区市场监督管理局知识产权案件台账（2022年）"],                       # 1
        ["填报单位：东胜区市场监督管理局", None, None, None, None, "金额单位：万元"],  # 2
        [],                                                                          # 3
        ["序号", "立案号", "案由", "案件类别", "当事人名称", "统一社会信用代码", "立案时间", "结案时间",
         "案值", "罚没金额", "处罚文书号", "处理结果", "是否电商", "办案人"],        # 4 header
        [1, "鄂东市监立字〔2022〕1号", "某商贸公司销售侵犯注册商标专用权商品案", "侵犯注册商标专用权",
         "东胜区某商贸有限公司", valid_uscc(1), "2022.3.5", "2022年6月1日", 1.5, 0.3, "鄂东市监罚字〔2022〕1号",
         "罚款", "√", "张三"],                                                      # 5 readable, complete
        [2, "鄂东市监立字〔2022〕2号", "某超市假冒专利案", "假冒专利", "某超市", None, "2022-03-07",
         "2022/7/1", "0.8", "0.2", None, "罚款", None, "李四"],                      # 6 readable, 待补正 文号
        [],                                                                          # 7 blank
        [3, "鄂东市监立字〔2022〕3号", "某饭店食品安全案", "食品安全", "某饭店", None, "2022/4/2",
         None, 0.1, 0, None, None, None, "王五"],                                    # 8 non-IP
        [4, "鄂东市监立字〔2022〕4号", "某店销售假冒奥林匹克标志商品案", "奥林匹克标志", "某店", None, 44660,
         None, "1,200元", None, None, None, "✓", "张三"],                            # 9 serial date, cell in 元
        [5, "鄂东市监立字〔2022〕5号", "某公司商标侵权案", "商标侵权", "某公司", None, "2022.13.45",
         None, 1, None, None, None, None, "李四"],                                   # 10 bad date
        [6, "鄂东市监立字〔2022〕1号", "重复录入的案件", "商标侵权", "某公司", None, "2022-05-05",
         None, 1, None, None, None, None, "李四"],                                   # 11 duplicate number
        [7, None, None, "商标侵权", "无名氏", None, "2022-05-06", None, None, None, None, None, None, None],  # 12 no name/number
        [8, "鄂东市监立字〔2022〕8号", "某厂专利侵权纠纷案", "专利纠纷", "某厂", None, datetime(2022, 8, 9),
         "20221010", None, None, None, "调解", None, "王五"],                        # 13 dispute, datetime cell
        [9, "鄂东市监立字〔2022〕9号", "某店涉案金额无法识别案", "商标侵权", "某店", None, "2022年9月1日",
         None, "约两万", None, None, None, None, "王五"],                           # 14 bad amount
        ["合计", None, None, None, None, None, None, None, 3.41, 0.5],               # 15 total
        ["填表人：张三", None, None, None, "审核人：李四"],                          # 16 footer
    ]
    return save(rows, path)


def ledger_two(path: Path) -> Path:
    """A two-row header (金额（元） over three money columns), another column order and wording,
    no category column (read from the name), 是/否 flags, a 移送司法机关 column, dates as text
    in several forms and as date cells, a bad 身份证号 and a formula that must not be evaluated."""
    rows = [
        ["2021年度知识产权行政执法案件登记表"],                                        # 1
        ["案件名称", "被处罚人", "身份证号", "案件来源", "立案日期", "金额（元）", None, None,
         "决定书文号", "结案日期", "是否移送司法机关", "电商", "承办人", "备注"],       # 2 header top
        [None, None, None, None, None, "涉案金额", "罚款金额", "没收违法所得"],         # 3 header below
        ["张某销售假冒注册商标的白酒案", "张某", valid_id(), "投诉举报", "2021/3/5",
         "12,345.50", "5000", "1000", "鄂东市监罚字〔2021〕7号", "20210610", "否", "否", "赵六", None],  # 4
        ["某药店假冒专利案", "某药店", None, "日常检查", "20210305", 800, None, None, None,
         "二〇二一年六月十一日", "否", "是", "赵六", "原登记表"],                       # 5 int date, cn date
        ["刘某销售侵犯商标专用权的服装案", "刘某", None, "12315", date(2021, 4, 1), 60000, None, None,
         None, None, "是", None, "钱七", None],                                       # 6 referred: 待补正
        ["某公司涉嫌商标侵权案", "某公司", "150602198001011230", "检查", "2021-04-02 00:00:00", 100,
         None, None, None, None, None, None, "钱七", None],                           # 7 bad 身份证号
        ["某企业仿冒特殊标志案", "某企业", None, "上级交办", "2021.5.6", "=1+1", None, None,
         None, None, None, None, "赵六", None],                                       # 8 formula amount
        ["某门市部价格违法案", "某门市部", None, "检查", "2021.5.7", 100, None, None,
         None, None, None, None, "赵六", None],                                       # 9 no IP category in name
    ]
    return save(rows, path, sheet="2021", merges=("F2:H2",))


def ledger_three(path: Path) -> Path:
    """No title, amounts in 元 from the header, some rows without a case number, 小计 rows,
    a patent dispute, a name missing but a number present, and an unknown category."""
    rows = [
        ["案件编号", "案件类别", "当事人", "立案日期", "结案日期", "涉案金额（元）", "罚没款（元）",
         "处理结果", "处罚决定书文号", "处罚决定日期", "程序", "案件名称"],             # 1 header
        ["D-2023-01", "商标侵权", "甲公司", "2023-01-05", "2023-02-10", "1.2万元", "3,000.00", "作出行政处罚",
         "鄂东市监罚字〔2023〕1号", "2023-02-01", "一般程序", "甲公司商标侵权案"],       # 2 complete
        ["D-2023-02", "专利侵权纠纷", "乙厂", "2023-01-06", None, None, None, None, None, None, None,
         "乙厂专利侵权纠纷案"],                                                        # 3 dispute, open
        [None, "地理标志", "丙店", "2023-01-07", None, 500, None, None, None, None, "简易程序",
         "丙店地理标志案"],                                                            # 4 no number
        ["小计", None, None, None, None, 12500, 3000],                                 # 5 subtotal
        ["D-2023-03", "商标侵权", "丁店", "2023-02-01", None, 0, None, None, None, None, "一般程序", None],  # 6 no name
        ["D-2023-04", "不知道什么案", "戊店", "2023-02-02", None, None, None, None, None, None, None,
         "戊店案"],                                                                     # 7 unknown category
        ["D-2023-05", "商标侵权", "己店", "2023-02-03", None, "-5", None, None, None, None, "一般程序",
         "己店案"],                                                                     # 8 negative amount
        ["总计", None, None, None, None, 12500, 3000],                                  # 9 total
    ]
    return save(rows, path, sheet="Sheet1")


# ---- ledgers as county offices keep them (issue: nothing imported silently wrong) ---------------
def _book(rows: list[list], *, title: str = "台账"):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    for row in rows:
        ws.append(row)
    return wb, ws


def ledger_county(path: Path) -> Path:
    """元宝山区's ledger: 填报单位 and 金额单位：万元 on one row; a hidden internal 编号 column left of 立案号;
    a hidden row (a voided duplicate the clerk hid); a 罚没金额 total before 罚款 and 没收违法所得 (one row
    where they do not add up); 本页合计 and 小计 rows."""
    wb, ws = _book([
        ["元宝山区市场监督管理局知识产权行政执法案件台账"],                                       # 1
        ["填报单位：元宝山区市场监督管理局", None, None, None, None, None, None, "金额单位：万元"],  # 2
        ["编号", "立案号", "案件名称", "案件类别", "当事人", "立案日期", "罚没金额", "罚款", "没收违法所得",
         "涉案金额（元）", "处罚决定书文号", "处罚决定日期", "处理结果", "程序"],                 # 3 header
        ["YB-001", "赤元市监立字〔2023〕1号", "某烟酒店销售侵犯注册商标专用权白酒案", "商标侵权", "某烟酒店",
         "2023-02-03", 1.5, 1.2, 0.3, 8000, "赤元市监罚字〔2023〕5号", "2023-04-01", "作出行政处罚", "一般程序"],  # 4
        ["YB-002", "赤元市监立字〔2023〕2号", "某超市销售假冒专利产品案", "假冒专利", "某超市",
         "2023-03-04", 0.5, 0.5, None, 2000.5, "赤元市监罚字〔2023〕9号", "2023-05-06", "罚款", "一般程序"],  # 5
        ["YB-002", "赤元市监立字〔2023〕2号", "某超市销售假冒专利产品案（作废）", "假冒专利", "某超市",
         "2023-03-04", 0.5, 0.5, None, 2000.5, None, None, None, "一般程序"],                    # 6 hidden
        ["YB-003", "赤元市监立字〔2023〕3号", "某商行销售侵犯注册商标专用权服装案", "商标侵权", "某商行",
         "2023-04-05", 2, 1, 0.5, 30000, "赤元市监罚字〔2023〕11号", "2023-06-07", "作出行政处罚", "一般程序"],  # 7 ≠
        ["本页合计", None, None, None, None, None, 4, 2.7, 0.8, 40001],                              # 8
        ["YB-004", "赤元市监立字〔2023〕4号", "某药房销售侵犯注册商标专用权商品案", "商标侵权", "某药房",
         "2023-05-06", None, None, None, 150, None, None, "免予行政处罚", "一般程序"],             # 9
        ["小 计", None, None, None, None, None, 4, 2.7, 0.8, 40151],                                 # 10
    ])
    ws.column_dimensions["A"].hidden = True
    ws.row_dimensions[6].hidden = True
    wb.save(path)
    return path


def ledger_merged(path: Path) -> Path:
    """A two-row header with cells merged down across both header rows, a 栏次 row (1 2 3 …), a section title
    merged across the table, one 结案日期/处理结果/承办人 merged over two cases, and the header repeated
    where the printed page breaks."""
    header_top = ["序号", "案件名称", "立案号", "案件类别", "立案日期", "金额（元）", None, None, "结案日期", "处理结果",
                  "承办人"]
    header_low = [None, None, None, None, None, "涉案金额", "罚款", "没收违法所得"]
    wb, ws = _book([
        ["2023年知识产权案件登记簿"],                                                            # 1
        header_top,                                                                               # 2
        header_low,                                                                               # 3
        [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11],                                                      # 4 栏次
        ["二〇二三年上半年"],                                                                      # 5 section
        [1, "甲店销售假冒注册商标的香烟案", "东市监立字〔2023〕11号", "商标侵权", "2023-01-10", 3000, 1000, 200,
         "2023-03-01", "作出行政处罚", "刘海军、赵丽娜"],                                          # 6
        [2, "乙店销售假冒注册商标的香烟案", "东市监立字〔2023〕12号", "商标侵权", "2023-01-11", 5000, 1500, 300],  # 7
        header_top,                                                                               # 8 repeated
        header_low,                                                                               # 9 repeated
        [3, "丙厂假冒专利案", "东市监立字〔2023〕13号", "假冒专利", "2023-02-01", 800, None, None,
         "2023-04-01", "不予处罚", "王强"],                                                        # 10
        [4, "丁店假冒专利案", "东市监立字〔2023〕14号", "假冒专利", "2023-02-02", 900],            # 11
    ])
    for rng in ("A2:A3", "B2:B3", "C2:C3", "D2:D3", "E2:E3", "F2:H2", "I2:I3", "J2:J3", "K2:K3", "A5:K5",
                "I6:I7", "J6:J7", "K6:K7", "I10:I11", "J10:J11", "K10:K11"):
        ws.merge_cells(rng)
    wb.save(path)
    return path


def ledger_years(path: Path) -> Path:
    """A sheet per year (2022, 2023), a 说明 sheet with no table, a hidden sheet of voided cases, and the same
    case number typed with [] on one sheet and 〔〕 on the other."""
    header = ["立案号", "案件名称", "案件类别", "立案日期", "程序", "罚款", "处罚决定书文号", "处罚决定日期", "处理结果",
              "结案日期"]
    wb, _ = _book([["填表说明：每年一张表，金额单位为元。"]], title="说明")
    for title, rows in (
        ("2022", [["东市监立字[2022]1号", "甲公司商标侵权案", "商标侵权", "2022-05-01", "一般程序", 2000,
                   "东市监罚字[2022]1号", "2022-06-01", "作出行政处罚", "2022-06-10"],
                  ["东市监立字[2022]2号", "乙公司假冒专利案", "假冒专利", "2022-07-01", "一般程序"]]),
        ("2023", [["东市监立字〔2023〕1号", "丙公司商标侵权案", "商标侵权", "2023-03-01", "简易程序"],
                  ["东市监立字〔2022〕1号", "甲公司商标侵权案（重录）", "商标侵权", "2022-05-01", "一般程序"]]),
        ("作废", [["东市监立字〔2023〕99号", "作废的案件", "商标侵权", "2023-01-01", "一般程序"]]),
    ):
        sheet = wb.create_sheet(title)
        sheet.append(header)
        for row in rows:
            sheet.append(row)
        if title == "作废":
            sheet.sheet_state = "hidden"
    wb.save(path)
    return path


def ledger_values(path: Path) -> Path:
    """Values a clerk types: outcome wordings, 是（淘宝）and a platform's name in the 电商 column, full-width
    digits, Chinese punctuation, a 15-digit 注册号, 身份证号 stored by Excel as numbers, a formula without a
    cached value, an error value."""
    wb, _ = _book([
        ["立案号", "案件名称", "案件类别", "当事人", "统一社会信用代码/身份证号", "立案日期", "涉案金额", "罚款",
         "处罚决定书文号", "处罚决定日期", "处理结果", "结案日期", "是否电商", "移送日期", "接收机关", "程序"],  # 1
        ["东市监立字（2024）1号", "张某（个体）销售“茅台”酒案", "商标侵权", "张某", valid_id(), "２０２４．３．５",
         "１２，３４５．５", None, None, None, "免予行政处罚", "2024-04-01", "是（淘宝）", None, None, "一般程序"],  # 2
        ["东市监立字（2024）2号", "某网店销售侵权童装案", "商标侵权", "某网店", "150602000012345", "2024年3月6号",
         "2万元", "５０００", "东市监罚字（2024）3号", "2024-04-02", "罚款", "2024-04-10", "拼多多", None, None,
         "一般程序"],                                                                             # 3
        ["东市监立字（2024）3号", "李某销售假冒注册商标的白酒案", "商标侵权", "李某", None, "2024-03-07", 600000,
         None, None, None, "移送公安", "2024-05-01", "否（线下）", "2024-04-20", "赤峰市公安局", "一般程序"],  # 4
        ["东市监立字（2024）4号", "王某销售侵权商品案", "商标侵权", "王某", 1.50602199001011e17, "2024-03-08",
         None, None, None, None, None, None, None, None, None, "一般程序"],                      # 5
        ["东市监立字（2024）5号", "赵某销售侵权商品案", "商标侵权", "赵某", 150602198806061000, "2024-03-09",
         None, None, None, None, None, None, None, None, None, "一般程序"],                      # 6
        ["东市监立字（2024）6号", "某公司销售侵权商品案", "商标侵权", "某公司", "91150602MA0N00001Y", "2024-03-10",
         None, None, None, None, None, None, None, None, None, "一般程序"],                      # 7
        ["东市监立字（2024）7号", "某店销售侵权商品案", "商标侵权", "某店", None, "2024-03-11", "=G2*2",
         None, None, None, None, None, None, None, None, "一般程序"],                            # 8
        ["东市监立字（2024）8号", "某摊销售侵权商品案", "商标侵权", "某摊", None, "2024-03-12", "#REF!",
         None, None, None, None, None, None, None, None, "一般程序"],                            # 9
    ])
    wb.save(path)
    return path


# A workbook as Excel and WPS write it (shared strings, date styles, cells without positions) with a stale
# <dimension>, which openpyxl's read-only mode trusts.
_SHEET = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"
 xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
<dimension ref="A1:C3"/><sheetData>{rows}</sheetData></worksheet>"""


def ledger_stale(path: Path) -> Path:
    """Header and five cases over columns A–H, but the stored dimension says A1:C3. Dates are serials in a
    date style (built-in 14, the CJK built-in 31 and a custom 年月日 format), names are shared strings (one
    in rich text with a phonetic run), one amount is a formula with its cached result, one row has cells
    without an ``r`` attribute."""
    strings = ["案件名称", "立案号", "案件类别", "立案日期", "结案日期", "涉案金额", "程序", "处理结果",
               "甲案", "东市监立字〔2021〕1号", "商标侵权", "一般程序", "乙案", "东市监立字〔2021〕2号", "假冒专利",
               "丙案", "东市监立字〔2021〕3号", "丁案", "东市监立字〔2021〕4号", "戊案", "东市监立字〔2021〕5号",
               "作出行政处罚"]
    index = {s: i for i, s in enumerate(strings)}

    def s(text, ref=None):
        at = f' r="{ref}"' if ref else ""
        return f'<c{at} t="s"><v>{index[text]}</v></c>'

    def n(value, ref=None, style=None, formula=None):
        at = (f' r="{ref}"' if ref else "") + (f' s="{style}"' if style is not None else "")
        f = f"<f>{formula}</f>" if formula else ""
        return f"<c{at}>{f}<v>{value}</v></c>"

    header = "".join(s(t, f"{c}1") for c, t in zip("ABCDEFGH", strings[:8]))
    rows = [f'<row r="1">{header}</row>']
    cases = [("甲案", "东市监立字〔2021〕1号", "商标侵权", 44256, 1, 44300, 2, 1500),
             ("乙案", "东市监立字〔2021〕2号", "假冒专利", 44257, 2, None, None, 800),
             ("丙案", "东市监立字〔2021〕3号", "商标侵权", 44258, 3, None, None, 100),
             ("丁案", "东市监立字〔2021〕4号", "商标侵权", 44259, 1, None, None, 200)]
    for r, (name, number, category, filed, style, closed, cstyle, amount) in enumerate(cases, start=2):
        cells = [s(name, f"A{r}"), s(number, f"B{r}"), s(category, f"C{r}"), n(filed, f"D{r}", style)]
        if closed:
            cells += [n(closed, f"E{r}", cstyle), n(amount, f"F{r}", formula="1000+500"), s("一般程序", f"G{r}"),
                      s("作出行政处罚", f"H{r}")]
        else:
            cells += [n(amount, f"F{r}"), s("一般程序", f"G{r}")]
        rows.append(f'<row r="{r}">{"".join(cells)}</row>')
    # Row 6 without cell positions (some tools omit them): A… in order.
    rows.append('<row r="6">' + s("戊案") + s("东市监立字〔2021〕5号") + s("商标侵权") + n(44260, style=1) + "<c/>"
                + n(300) + s("一般程序") + "</row>")
    rich = ('<si><r><t>甲案</t></r><rPh sb="0" eb="1"><t>JIA</t></rPh></si>')
    shared = "".join(f"<si><t>{t}</t></si>" if t != "甲案" else rich for t in strings)
    styles = ('<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="http://schemas.openxmlformats.org/'
              'spreadsheetml/2006/main"><numFmts count="1"><numFmt numFmtId="176" formatCode="yyyy&quot;年&quot;m'
              '&quot;月&quot;d&quot;日&quot;"/></numFmts><cellXfs count="4"><xf numFmtId="0"/><xf numFmtId="14"/>'
              '<xf numFmtId="176"/><xf numFmtId="31"/></cellXfs></styleSheet>')
    # Row 5 (丁案) is filed on a date in the CJK built-in style 31.
    rows[4] = rows[4].replace('<c r="D5" s="1">', '<c r="D5" s="3">')
    files = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="xml" ContentType="application/xml"/><Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            'spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml"'
            ' ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
            '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            'spreadsheetml.styles+xml"/></Types>'),
        "_rels/.rels": ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
                        'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
                        'officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'),
        "xl/workbook.xml": '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/'
                           'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
                           'relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
                                      'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="'
                                      'http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"'
                                      ' Target="worksheets/sheet1.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": _SHEET.format(rows="".join(rows)),
        "xl/sharedStrings.xml": '<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/'
                                f'spreadsheetml/2006/main">{shared}</sst>',
        "xl/styles.xml": styles,
    }
    import zipfile

    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, text in files.items():
            zf.writestr(name, text)
    return path


def ledger_template(path: Path) -> Path:
    """The office's template, used for three cases: 序号 filled down to row 30 (typed, then =ROW()-2 with a cached
    value as Excel keeps it), 否 as the 是否电商 drop-down's default on every row, a 填表人 line at the foot, and
    the header's cells wrapped onto two lines (立案\\n日期)."""
    rows = [["某旗市场监督管理局知识产权案件台账（模板）"],
            ["序号", "案件\n名称", "立案号", "案件\n类别", "立案\n日期", "是否\n电商", "承办人"]]
    cases = [["甲店商标侵权案", "乙市监立字〔2025〕1号", "商标侵权", "2025-01-05", "是", "张三"],
             ["乙店假冒专利案", "乙市监立字〔2025〕2号", "假冒专利", "2025-02-06", "否", "李四"],
             [None, None, "商标侵权", "2025-03-07", "否", "王五"]]  # started, never finished: refused
    for n in range(1, 29):
        rows.append([n, *(cases[n - 1] if n <= len(cases) else [None, None, None, None, "否", None])])
    rows.append(["填表人：张三　　审核人：李四"])
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "台账"
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path
