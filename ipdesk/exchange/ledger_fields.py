"""What a hand-kept case ledger calls things, as data: header synonyms per case field, and the
synonyms of the values in the category, source, procedure and outcome columns.

The importer, its CLI and its dialog read these tables; add a wording here and every face
understands it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..domain import enums
from ..domain.fields import CASE_FIELD_MAP, DATE, FLAG, MONEY


@dataclass(frozen=True)
class LedgerField:
    name: str  # a case field of ipdesk.domain.fields, or one of the ledger-only names below
    label: str  # as shown in the mapping
    kind: str  # text/date/money/flag/enum/multi
    synonyms: tuple[str, ...]  # header wordings, compared after removing spaces and the unit in brackets;
    # the first are the surest: a column headed 立案号 beats one headed 编号 (often the office's running number)


def _case(name: str, *synonyms: str) -> LedgerField:
    f = CASE_FIELD_MAP[name]
    return LedgerField(name, f.label.replace("（元）", ""), f.kind, (f.label.replace("（元）", ""), *synonyms))


# Ledger-only columns: 序号 is recognised (it helps find the header) but not imported;
# 是否移送司法机关 sets the outcome when the ledger has no 处理结果 column; 罚没款合计 (罚款 + 没收违法所得,
# as 附件2 has it) is never taken as 罚款: it only checks the two columns it adds up.
SEQUENCE = "_sequence"
REFERRED = "_referred_judicial"
PENALTY_TOTAL = "_penalty_total"

LEDGER_FIELDS: tuple[LedgerField, ...] = (
    LedgerField(SEQUENCE, "序号（不导入）", "text", ("序号", "顺序号", "No", "NO")),
    _case("name", "案由", "案件名称", "案件", "案名"),
    _case("case_no", "立案号", "案件编号", "案号", "立案编号", "案件号", "立案文号", "立案决定书文号", "编号"),
    _case("category", "案件类别", "案件类型", "类别", "违法类型", "案件性质", "违法类别"),
    _case("source", "案件来源", "案源", "线索来源", "来源"),
    _case("procedure", "程序", "办案程序", "适用程序", "程序类型", "案件程序"),
    _case("handler", "办案人", "承办人", "办案人员", "执法人员", "经办人", "主办人"),
    _case("party_name", "当事人名称", "当事人", "被处罚人", "被处罚单位", "当事人姓名", "违法主体", "被查处单位",
          "涉案主体", "经营者"),
    _case("party_kind", "当事人类型", "当事人性质", "主体类型"),
    _case("party_id_no", "统一社会信用代码", "信用代码", "社会信用代码", "身份证号", "身份证号码", "证件号码",
          "统一社会信用代码/身份证号", "统一社会信用代码（身份证号）", "注册号"),
    _case("party_address", "当事人地址", "地址", "住所", "经营地址", "经营场所"),
    _case("right_holder", "权利人", "商标权利人", "专利权人", "权利人名称"),
    _case("ip_object", "涉案商标", "涉案专利", "涉案商标/专利", "商标名称", "专利号", "涉案标志", "注册商标"),
    _case("goods", "涉案商品", "涉案物品", "侵权商品", "商品名称", "涉案产品"),
    _case("facts", "违法事实", "案情", "主要违法事实", "案情摘要", "简要案情", "违法事实摘要"),
    _case("violation_provision", "违法行为", "法律条款", "违反条款", "法律依据"),
    _case("flag_ecommerce", "是否电商", "电商", "电商领域", "是否电商领域", "电子商务", "是否电商案件"),
    _case("flag_key_market", "重点实体市场", "是否重点实体市场", "重点市场"),
    _case("flag_rural", "农村市场", "是否农村市场", "农村"),
    _case("flag_foreign", "外商投资企业被侵权", "外商投资", "是否外商投资企业", "外资企业被侵权", "外资"),
    _case("lead_date", "线索登记日期", "线索日期", "受理日期", "受理时间", "登记日期", "发现日期"),
    _case("declined_date", "不予立案日期"),
    _case("filed_date", "立案时间", "立案日期", "立案"),
    _case("decision_date", "处罚决定日期", "决定日期", "处罚日期", "处理决定日期", "作出决定日期", "处罚时间"),
    _case("closed_date", "结案时间", "结案日期", "结案"),
    _case("amount_involved_fen", "涉案金额", "案值", "货值金额", "涉案货值", "违法经营额", "涉案价值", "货值",
          "案值金额"),
    _case("fine_fen", "罚款金额", "罚款", "罚款数额", "罚款额"),
    LedgerField(PENALTY_TOTAL, "罚没款合计（仅用于核对）", MONEY, ("罚没款合计", "罚没金额合计", "罚没款金额", "罚没金额",
                                                          "罚没款", "罚没合计", "罚没款总额", "罚没总额", "罚没")),
    _case("confiscated_fen", "没收违法所得", "没收金额", "没收违法所得金额", "没收"),
    _case("recovered_fen", "挽回经济损失", "挽回损失", "挽回经济损失金额"),
    _case("decision_no", "处罚决定书文号", "决定书文号", "处罚文书号", "文书号", "处罚决定书号", "行政处罚决定书文号",
          "决定书编号", "处罚决定文号", "文号"),
    _case("outcome", "处理结果", "处理情况", "结案方式", "处罚结果", "办理结果", "处理方式"),
    _case("penalty_kinds", "处罚种类", "处罚内容"),
    _case("referral_date", "移送日期", "移送时间"),
    _case("referral_body", "接收机关", "移送机关", "移送单位", "接收单位"),
    LedgerField(REFERRED, "是否移送司法机关", FLAG, ("是否移送司法机关", "移送司法机关", "是否移送", "移送司法",
                                                   "移送公安")),
    _case("remarks", "备注", "说明"),
)
LEDGER_FIELD_BY_NAME = {f.name: f for f in LEDGER_FIELDS}
MONEY_FIELDS = tuple(f.name for f in LEDGER_FIELDS if f.kind == MONEY)
CASE_MONEY_FIELDS = tuple(name for name in MONEY_FIELDS if name != PENALTY_TOTAL)
DATE_FIELDS = tuple(f.name for f in LEDGER_FIELDS if f.kind == DATE)

# 案件类别 as ledgers write it → the category label. Compared as substrings, longest first,
# so 假冒注册商标 is a 商标侵权 before 假冒 could look like 假冒专利.
CATEGORY_SYNONYMS: dict[str, str] = {
    "侵犯注册商标专用权": "商标侵权", "注册商标专用权": "商标侵权", "商标侵权": "商标侵权", "假冒注册商标": "商标侵权",
    "侵犯商标": "商标侵权", "商标专用权": "商标侵权", "侵权商标": "商标侵权", "冒用商标": "商标侵权",
    "地理标志": "地理标志", "地理标识": "地理标志",
    "奥林匹克标志": "官方标志/特殊标志/奥林匹克标志", "特殊标志": "官方标志/特殊标志/奥林匹克标志",
    "官方标志": "官方标志/特殊标志/奥林匹克标志", "奥林匹克": "官方标志/特殊标志/奥林匹克标志",
    "世界博览会标志": "官方标志/特殊标志/奥林匹克标志",
    "商标代理": "商标代理违法",
    "其他商标违法": "其他商标违法", "商标违法": "其他商标违法", "商标使用违法": "其他商标违法",
    "冒充注册商标": "其他商标违法", "商标印制": "其他商标违法", "违法使用商标": "其他商标违法",
    "假冒专利": "假冒专利", "冒充专利": "假冒专利",
    "专利侵权纠纷": "专利侵权纠纷（行政裁决）", "专利纠纷": "专利侵权纠纷（行政裁决）",
    "专利侵权": "专利侵权纠纷（行政裁决）", "行政裁决": "专利侵权纠纷（行政裁决）",
    "专利代理": "专利代理违法",
    "其他专利违法": "其他专利违法", "专利违法": "其他专利违法",
}
for _label in enums.CATEGORY_LABELS:
    CATEGORY_SYNONYMS.setdefault(_label, _label)
    CATEGORY_SYNONYMS.setdefault(_label.replace("（行政裁决）", ""), _label)

# Categories an office's general ledger also holds that are not IP cases (a clearer refusal).
NON_IP_WORDS = ("食品", "药品", "药械", "化妆品", "医疗器械", "价格", "广告", "产品质量", "质量", "计量", "标准",
                "特种设备", "无照", "登记", "合同", "消费者", "不正当竞争", "传销", "直销", "网络交易", "认证",
                "烟草", "农资", "野生动物", "电梯", "燃气", "疫情")

SOURCE_SYNONYMS: dict[str, str] = {
    "检查发现": "检查发现", "检查": "检查发现", "巡查": "检查发现", "双随机": "检查发现", "专项检查": "检查发现",
    "监督检查": "检查发现", "日常监管": "检查发现", "自查": "检查发现", "执法检查": "检查发现",
    "投诉举报": "投诉举报", "投诉": "投诉举报", "举报": "投诉举报", "12315": "投诉举报", "12345": "投诉举报",
    "上级交办": "上级交办", "交办": "上级交办", "上级": "上级交办", "转办": "上级交办",
    "其他部门移送": "其他部门移送", "部门移送": "其他部门移送", "移送": "其他部门移送", "公安": "其他部门移送",
    "电商平台转办": "电商平台转办", "电商平台": "电商平台转办", "平台转办": "电商平台转办", "网络监测": "电商平台转办",
    "其他": "其他",
}

PROCEDURE_SYNONYMS: dict[str, str] = {
    "一般程序": "一般程序", "一般": "一般程序", "普通程序": "一般程序", "普通": "一般程序",
    "简易程序": "简易程序", "简易": "简易程序", "当场处罚": "简易程序", "当场": "简易程序",
    "行政裁决": "行政裁决", "裁决": "行政裁决",
}

# 处理结果 by meaning, first rule that matches: a negation is read before the word it negates, so
# 免予行政处罚 is 不予行政处罚 (the longest contained synonym, 行政处罚, would make it 作出行政处罚) and
# 不构成侵权 is not 构成侵权. 《行政处罚法》第三十三条 (不予/免予处罚), 《市场监督管理行政处罚程序规定》
# 第六十条 (移送司法机关 when a crime is suspected). None: the text is kept in 备注 and the case is 待补正.
OUTCOME_RULES: tuple[tuple[re.Pattern, str | None], ...] = tuple((re.compile(p), v) for p, v in (
    (r"不予立案|尚未|未结|办理中|在办", None),
    (r"(不予|免予|免于|免除|不作|不再|不给予)(行政)?处罚|免罚|不罚|不予处理", "不予行政处罚"),
    (r"不成立|不构成违法|不存在违法", "违法事实不成立"),
    (r"撤销立案|撤销案件|撤案|销案", "撤销立案"),
    (r"(移送|移交|移至).*(公安|司法|检察|法院|刑事)|(公安|司法|检察).*(移送|移交)|涉嫌犯罪|涉刑", "移送司法机关"),
    (r"移送|移交", "移送其他行政机关"),
    (r"不构成侵权|侵权不成立|不侵权|未侵权", "处理决定—不构成侵权"),
    (r"认定侵权|构成侵权|侵权成立|责令停止侵权", "处理决定—认定侵权"),
    (r"调解", "调解结案"),
    (r"撤回", "撤回请求"),
    (r"驳回|终止", "驳回/终止"),
    (r"处罚|罚款|警告|没收|罚没", "作出行政处罚"),
))


def outcome_of(text: str) -> str | None:
    """The 处理结果 a ledger's wording means, or None when it names none."""
    if text in enums.OUTCOMES:
        return text
    for pattern, value in OUTCOME_RULES:
        if pattern.search(text):
            return value
    return None


def lookup(table: dict[str, str], text: str) -> str | None:
    """The value whose synonym is the text, else whose longest synonym the text contains."""
    if not text:
        return None
    if text in table:
        return table[text]
    hits = [key for key in table if key in text]
    return table[max(hits, key=len)] if hits else None


# A row that adds up the rows above it: 合计, 本页合计, 小 计, 本月小计, 合计：12件 … (in any cell of the row).
TOTAL_ROW = re.compile(r"^(本页|本表|本月|本季度?|本年|全年|本年度|以上|上页|本期|累计)?(合计|总计|小计|累计|共计)"
                       r"([:：].*|\d+件)?$")
FOOTER_WORDS = ("填表人", "填报人", "制表人", "审核人", "负责人", "填表日期", "填报日期", "制表日期", "注：", "注:",
                "说明：", "说明:", "填报单位")
