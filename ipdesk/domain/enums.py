"""Every enumeration of the domain, defined once.

Stored values are the Chinese labels themselves: they are what the forms, the
packages and the legacy ledgers all say, so a record reads the same everywhere.
"""
from __future__ import annotations

from typing import NamedTuple

TRADEMARK = "商标"
PATENT = "专利"


class Category(NamedTuple):
    label: str
    group: str  # TRADEMARK or PATENT
    is_dispute: bool = False  # 专利侵权纠纷 is decided by 行政裁决, not punished


CASE_CATEGORIES: tuple[Category, ...] = (
    Category("商标侵权", TRADEMARK),
    Category("地理标志", TRADEMARK),
    Category("官方标志/特殊标志/奥林匹克标志", TRADEMARK),
    Category("商标代理违法", TRADEMARK),
    Category("其他商标违法", TRADEMARK),
    Category("假冒专利", PATENT),
    Category("专利侵权纠纷（行政裁决）", PATENT, is_dispute=True),
    Category("专利代理违法", PATENT),
    Category("其他专利违法", PATENT),
)
CATEGORY_LABELS = tuple(c.label for c in CASE_CATEGORIES)
CATEGORY_BY_LABEL = {c.label: c for c in CASE_CATEGORIES}
DISPUTE_CATEGORY = next(c.label for c in CASE_CATEGORIES if c.is_dispute)


def categories_of_group(group: str) -> tuple[str, ...]:
    return tuple(c.label for c in CASE_CATEGORIES if c.group == group)


CASE_SOURCES = ("检查发现", "投诉举报", "上级交办", "其他部门移送", "电商平台转办", "其他")

PROCEDURE_SIMPLE = "简易程序"
PROCEDURE_GENERAL = "一般程序"
PROCEDURE_RULING = "行政裁决"
PROCEDURES = (PROCEDURE_SIMPLE, PROCEDURE_GENERAL, PROCEDURE_RULING)

OUTCOME_PENALTY = "作出行政处罚"
OUTCOME_REFER_ADMIN = "移送其他行政机关"
OUTCOME_REFER_JUDICIAL = "移送司法机关"
PENALTY_OUTCOMES = (
    OUTCOME_PENALTY,
    "不予行政处罚",
    "违法事实不成立",
    "撤销立案",
    OUTCOME_REFER_ADMIN,
    OUTCOME_REFER_JUDICIAL,
)
RULING_OUTCOMES = ("处理决定—认定侵权", "处理决定—不构成侵权", "调解结案", "撤回请求", "驳回/终止")
OUTCOMES = PENALTY_OUTCOMES + RULING_OUTCOMES
# Outcomes after which no money may have been imposed.
NO_PENALTY_OUTCOMES = ("不予行政处罚", "违法事实不成立", "撤销立案")
REFERRAL_OUTCOMES = (OUTCOME_REFER_ADMIN, OUTCOME_REFER_JUDICIAL)

PENALTY_KINDS = ("警告", "罚款", "没收违法所得", "没收非法财物", "责令停止侵权/改正")

STATUS_LEAD = "线索"
STATUS_FILED = "已立案"
STATUS_CLOSED = "已结案"
STATUS_DECLINED = "不予立案"
STATUS_REFERRED = "已移送"
CASE_STATUSES = (STATUS_LEAD, STATUS_FILED, STATUS_CLOSED, STATUS_DECLINED, STATUS_REFERRED)

# A case's flags, field -> label: the one place their labels are written (the case form and ledger import
# through domain.fields, 附件1's flag columns through the catalogue).
CASE_FLAGS = {
    "flag_ecommerce": "电商领域",
    "flag_key_market": "重点实体市场",
    "flag_rural": "农村市场",
    "flag_foreign": "外商投资企业被侵权",
}

INSPECTION_KINDS = ("双随机抽查", "专项检查", "日常巡查", "展会检查", "电商监测", "其他")
CAMPAIGNS = ("铁拳", "蓝天", "昆仑", "剑网", "龙腾", "地理标志专项", "奥林匹克标志保护", "其他")
PLACE_KINDS = ("实体市场", "商场超市", "专业市场", "农村市场", "展会", "电商平台", "生产企业", "其他")
# Places that count as 实体市场 in 附件1 part A.
PHYSICAL_MARKET_PLACES = ("实体市场", "商场超市", "专业市场", "农村市场")


class WorkItemKind(NamedTuple):
    label: str
    count_a: str  # label of the first count
    count_b: str | None = None  # label of the second count, if the kind has one


WORK_ITEM_KINDS: tuple[WorkItemKind, ...] = (
    WorkItemKind("行政调解", "受理（件）", "调解成功（件）"),
    WorkItemKind("司法确认", "确认（件）"),
    WorkItemKind("非正常专利申请核查", "核查（件）", "撤回（件）"),
    WorkItemKind("上级转办", "转办（件）", "其中电商（件）"),
    WorkItemKind("投诉举报受理", "受理（件）"),
    WorkItemKind("维权援助", "援助（件）"),
    WorkItemKind("宣传活动", "场次", "参与人次"),
    WorkItemKind("培训", "期数", "人次"),
    WorkItemKind("典型案例报送", "报送（件）"),
)
WORK_ITEM_BY_LABEL = {k.label: k for k in WORK_ITEM_KINDS}

ROLE_CLERK = "填报人"
ROLE_REVIEWER = "审核人"
ROLE_ADMIN = "管理员"
ROLES = (ROLE_CLERK, ROLE_REVIEWER, ROLE_ADMIN)
APPROVER_ROLES = (ROLE_REVIEWER, ROLE_ADMIN)
