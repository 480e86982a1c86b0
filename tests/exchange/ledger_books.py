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
