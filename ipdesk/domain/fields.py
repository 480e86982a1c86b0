"""The fields of each record kind, as data: label, kind, choices and form group.

Forms, the JSON loader, the ledger importer and the audit log all read these lists
instead of naming fields again.
"""
from __future__ import annotations

from typing import NamedTuple

from . import enums
from .identifiers import PARTY_KINDS

TEXT, LONGTEXT, DATE, MONEY, FLAG, ENUM, MULTI, INT = (
    "text", "longtext", "date", "money", "flag", "enum", "multi", "int")


# The longest text each kind of field takes, in characters: one line of a form, or a paragraph (违法事实摘要, 备注).
# Entry, files loaded and imported, and the 附件2 of a package received upward all hold to the same limits, so a
# record accepted at entry is never refused when its month is exported.
MAX_LENGTH = {TEXT: 200, LONGTEXT: 2_000}
MAX_COUNT = 10_000_000  # a count field (人次, 场次 …): far above any office, far below what breaks a sum


class Field(NamedTuple):
    name: str
    label: str
    kind: str = TEXT
    choices: tuple[str, ...] = ()
    group: str = ""
    required: bool = False
    complete: bool = False  # offer completion from earlier entries

    @property
    def max_length(self) -> int | None:
        return MAX_LENGTH.get(self.kind)


def _f(name, label, kind=TEXT, choices=(), group="", required=False, complete=False):
    return Field(name, label, kind, tuple(choices), group, required, complete)


CASE_FIELDS: tuple[Field, ...] = (
    _f("name", "案件名称", group="基本信息", required=True),
    _f("case_no", "立案号/案件编号", group="基本信息"),
    _f("category", "案件类别", ENUM, enums.CATEGORY_LABELS, "基本信息", required=True),
    _f("source", "案源", ENUM, enums.CASE_SOURCES, "基本信息"),
    _f("procedure", "程序", ENUM, enums.PROCEDURES, "基本信息"),
    _f("handler", "承办人", group="基本信息", complete=True),
    _f("party_name", "当事人", group="当事人与权利人", complete=True),
    _f("party_kind", "当事人类型", ENUM, PARTY_KINDS, "当事人与权利人"),
    _f("party_id_no", "统一社会信用代码/身份证号", group="当事人与权利人"),
    _f("party_address", "当事人地址", group="当事人与权利人", complete=True),
    _f("right_holder", "权利人", group="当事人与权利人", complete=True),
    _f("ip_object", "涉案商标/专利号/标志", group="当事人与权利人", complete=True),
    _f("goods", "涉案商品", group="当事人与权利人", complete=True),
    _f("facts", "违法事实摘要", LONGTEXT, group="当事人与权利人"),
    _f("violation_provision", "违法行为（法律条款）", group="当事人与权利人", complete=True),
    *(_f(name, label, FLAG, group="标记") for name, label in enums.CASE_FLAGS.items()),
    _f("lead_date", "线索登记日期", DATE, group="日期"),
    _f("declined_date", "不予立案日期", DATE, group="日期"),
    _f("filed_date", "立案日期", DATE, group="日期"),
    _f("decision_date", "处罚决定日期", DATE, group="日期"),
    _f("closed_date", "结案日期", DATE, group="日期"),
    _f("amount_involved_fen", "涉案金额（元）", MONEY, group="金额"),
    _f("fine_fen", "罚款（元）", MONEY, group="金额"),
    _f("confiscated_fen", "没收违法所得（元）", MONEY, group="金额"),
    _f("recovered_fen", "挽回经济损失（元）", MONEY, group="金额"),
    _f("decision_no", "处罚决定书文号", group="处理结果"),
    _f("outcome", "处理结果", ENUM, enums.OUTCOMES, "处理结果"),
    _f("penalty_kinds", "处罚种类", MULTI, enums.PENALTY_KINDS, "处理结果"),
    _f("referral_date", "移送日期", DATE, group="处理结果"),
    _f("referral_body", "接收机关", group="处理结果", complete=True),
    _f("extension_approved", "已批准延期", FLAG, group="时限"),
    _f("remarks", "备注", LONGTEXT, group="其他"),
)

INSPECTION_FIELDS: tuple[Field, ...] = (
    _f("date", "检查日期", DATE, required=True),
    _f("kind", "检查方式", ENUM, enums.INSPECTION_KINDS, required=True),
    _f("campaign", "专项行动", ENUM, enums.CAMPAIGNS, complete=True),
    _f("place_kind", "检查场所", ENUM, enums.PLACE_KINDS, required=True),
    _f("subject_name", "检查对象名称", complete=True),
    _f("subject_id_no", "统一社会信用代码"),
    _f("subject_address", "检查对象地址", complete=True),
    _f("subject_count", "检查主体（户次）/监测店铺链接数", INT),
    _f("officers", "出动执法人员（人次）", INT),
    _f("findings", "检查情况", LONGTEXT),
    _f("case_id", "引发案件", INT),
)

WORK_ITEM_FIELDS: tuple[Field, ...] = (
    _f("date", "日期", DATE, required=True),
    _f("kind", "工作类别", ENUM, tuple(k.label for k in enums.WORK_ITEM_KINDS), required=True),
    _f("title", "事项", complete=True),
    _f("count_a", "数量一", INT),
    _f("count_b", "数量二", INT),
    _f("remarks", "备注", LONGTEXT),
)

FIELDS_BY_TABLE = {"cases": CASE_FIELDS, "inspections": INSPECTION_FIELDS, "work_items": WORK_ITEM_FIELDS}


# Columns outside the record forms, as the 操作日志 names them (the forms' own fields come from the lists above).
OTHER_COLUMN_LABELS = {
    "id": "编号", "unit_code": "单位代码", "unit_name": "单位名称", "parent_code": "上级单位代码",
    "created_at": "创建时间", "updated_at": "修改时间", "created_by": "创建人", "updated_by": "修改人",
    "needs_completion": "待补充项", "inspection_id": "来源检查记录",
    # 中止/延期
    "case_id": "案件", "start_date": "开始日期", "end_date": "结束日期", "reason": "原因", "cause": "不计入期限的事由",
    "due_date": "继续延期至",
    # 手工填报、说明
    "indicator_id": "指标", "period": "期间", "value": "数值", "note": "备注", "entered_by": "填写人",
    "entered_at": "填写时间", "check_key": "校验项", "text": "说明",
    # 审核报送、接收报送包
    "revision": "版次", "catalog_version": "统计表版本", "approved_by": "审核人", "approved_at": "审核时间",
    "warnings_explained": "已说明警告数", "package_uuid": "报送包编号", "package_sha256": "报送包校验码",
    "exported_at": "报送包导出时间", "superseded_at": "被替换时间", "reopened_at": "发起更正时间",
    "reopened_by": "发起更正人", "reopen_reason": "更正原因", "received_at": "接收时间", "correction_of": "更正的版本",
    "replaced_by": "替换为", "replaced_at": "替换时间",
    # 单位、用户、设置、节假日
    "code": "代码", "contact_person": "联系人", "phone": "电话", "email": "邮箱", "is_self": "本单位",
    "role": "角色", "password_hash": "密码", "password": "密码", "active": "启用", "key": "设置项",
    "date": "日期", "kind": "类型", "from": "来源文件", "to": "目标文件", "path": "文件", "parent": "上级单位",
    "file_uuid": "文件标识",
}
# The settings by their Chinese names (the 操作日志 and 撤销 name a setting; its key is internal).
SETTING_LABELS = {
    "last_user": "上次登录用户", "file_path": "数据库文件位置", "file_uuid": "文件标识", "first_month": "启用月份",
    "backup_dir": "备份文件夹", "backup_interval_minutes": "自动备份间隔（分钟）", "print_font": "打印字体",
    "print_title_font": "打印标题字体", "duties_done": "已完成的待办事项",
}


def setting_label(key: str) -> str:
    return SETTING_LABELS.get(key, key)
# The same column name meaning something else in one table.
TABLE_COLUMN_LABELS = {("users", "name"): "姓名", ("units", "name"): "单位名称", ("holidays", "name"): "名称"}


def column_label(table: str | None, name: str) -> str:
    """The Chinese label of a stored column: the record form's label, else the common one, else the name."""
    for f in FIELDS_BY_TABLE.get(table or "", ()):
        if f.name == name:
            return f.label
    if (table, name) in TABLE_COLUMN_LABELS:
        return TABLE_COLUMN_LABELS[table, name]
    return OTHER_COLUMN_LABELS.get(name, name)


def column_kind(table: str | None, name: str) -> str:
    for f in FIELDS_BY_TABLE.get(table or "", ()):
        if f.name == name:
            return f.kind
    return TEXT


def field_map(fields: tuple[Field, ...]) -> dict[str, Field]:
    return {f.name: f for f in fields}


CASE_FIELD_MAP = field_map(CASE_FIELDS)


def default_value(f: Field):
    """What an absent field is stored as: 0 for money, flags and counts, else NULL."""
    if f.kind in (MONEY, FLAG) or (f.kind == INT and f.name != "case_id"):
        return 0
    if f.kind == MULTI:
        return []
    return None
