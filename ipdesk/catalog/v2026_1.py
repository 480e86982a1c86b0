"""Catalogue 2026.1: 附件1 知识产权行政保护工作数据统计表 and 附件2 查办案件明细表,
as the Ordos 2022 action plan (鄂知发〔2022〕2号) asks for them, with the SAMR case categories."""
from __future__ import annotations

from typing import Any

from ..domain import enums
from ..domain.money import ROUNDING_NOTE
from .model import (CLOSING, COUNT, FLOW, MANUAL, MONEY_UNIT, OPEN_AT_END, OPEN_AT_START, OPENING, RATIO,
                    STOCK, SUM, Annex2Column, Catalog, Column, Headlines, Indicator, Measure, Part, Row, Rule)

_INSPECTION: dict[str, Any] = dict(table="inspections", date="date")
_PHYSICAL = ("place_kind", "in", enums.PHYSICAL_MARKET_PLACES)


def _work(kind: str, count: str = "count_a") -> Measure:
    return Measure(table="work_items", agg=SUM, date="date", value=(count,), where=(("kind", "=", kind),))


PART_A = Part("A", "一、执法行动", indicators=(
    Indicator("actions", "开展执法行动", "次", Measure(agg=COUNT, **_INSPECTION), date_note="检查日期"),
    Indicator("officers", "出动执法人员", "人次", Measure(agg=SUM, value=("officers",), **_INSPECTION)),
    Indicator("subjects", "检查经营主体", "户次",
              Measure(agg=SUM, value=("subject_count",), where=(("kind", "in", tuple(
                  k for k in enums.INSPECTION_KINDS if k != "电商监测")),), **_INSPECTION)),
    Indicator("market_actions", "实体市场执法行动", "次", Measure(agg=COUNT, where=(_PHYSICAL,), **_INSPECTION)),
    Indicator("market_officers", "实体市场出动执法人员", "人次",
              Measure(agg=SUM, value=("officers",), where=(_PHYSICAL,), **_INSPECTION)),
    Indicator("fairs", "检查展会", "场次", Measure(agg=COUNT, where=(("place_kind", "=", "展会"),), **_INSPECTION)),
    Indicator("online_monitored", "电商平台监测", "店铺/链接数",
              Measure(agg=SUM, value=("subject_count",), where=(("kind", "=", "电商监测"),), **_INSPECTION)),
    Indicator("key_markets", "辖区重点实体市场数量", "个", Measure(table="manual_cells", agg=MANUAL), ytd=STOCK,
              date_note="手工填报，本年累计取最新值"),
))

_FILED: dict[str, Any] = dict(date="filed_date")
_TM = enums.categories_of_group(enums.TRADEMARK)
_PT = enums.categories_of_group(enums.PATENT)

_ROWS = tuple(
    [Row(f"tm{i + 1}", c, (c,)) for i, c in enumerate(_TM)]
    + [Row("tm_subtotal", "商标小计", _TM, sum_of=tuple(f"tm{i + 1}" for i in range(len(_TM))), level=1)]
    + [Row(f"pt{i + 1}", c, (c,)) for i, c in enumerate(_PT)]
    + [Row("pt_subtotal", "专利小计", _PT, sum_of=tuple(f"pt{i + 1}" for i in range(len(_PT))), level=1)]
    + [Row("total", "合计", _TM + _PT, sum_of=("tm_subtotal", "pt_subtotal"), level=2)]
)


def _flag(field: str) -> tuple:
    return ((field, "=", 1),)


_FLAG = enums.CASE_FLAGS  # a flag column is headed by the flag's own label


_COLUMNS = (
    Column("open_start", "上期未结", "件", Measure(agg=OPEN_AT_START), ytd=OPENING, group="案件数",
           date_note="立案日期早于期初且期初未结案"),
    Column("filed", "立案", "件", Measure(agg=COUNT, **_FILED), group="案件数", date_note="立案日期"),
    Column("filed_general", "一般程序", "件",
           Measure(agg=COUNT, where=(("procedure", "=", enums.PROCEDURE_GENERAL),), **_FILED), group="立案其中"),
    Column("filed_simple", "简易程序", "件",
           Measure(agg=COUNT, where=(("procedure", "=", enums.PROCEDURE_SIMPLE),), **_FILED), group="立案其中"),
    Column("filed_ruling", "行政裁决", "件",
           Measure(agg=COUNT, where=(("procedure", "=", enums.PROCEDURE_RULING),), **_FILED), group="立案其中"),
    Column("closed", "结案", "件", Measure(agg=COUNT, date="closed_date"), group="案件数", date_note="结案日期"),
    Column("open_end", "期末未结", "件", Measure(agg=OPEN_AT_END), ytd=CLOSING, group="案件数",
           date_note="期末已立案未结案", sum_of=("open_start", "filed", "-closed")),
    Column("amount", "涉案金额", MONEY_UNIT,
           Measure(agg=SUM, date="decision_date", value=("amount_involved_fen",)), group="金额",
           date_note="处罚决定日期"),
    Column("fine", "罚款", MONEY_UNIT, Measure(agg=SUM, date="decision_date", value=("fine_fen",)), group="金额"),
    Column("confiscated", "没收违法所得", MONEY_UNIT,
           Measure(agg=SUM, date="decision_date", value=("confiscated_fen",)), group="金额"),
    Column("penalty_total", "罚没款合计", MONEY_UNIT,
           Measure(agg=SUM, date="decision_date", value=("fine_fen", "confiscated_fen")), group="金额",
           sum_of=("fine", "confiscated")),
    Column("recovered", "挽回经济损失", MONEY_UNIT,
           Measure(agg=SUM, date="decision_date", value=("recovered_fen",)), group="金额"),
    Column("referred_judicial", "移送司法机关", "件",
           Measure(agg=COUNT, date="referral_date", where=(("outcome", "=", enums.OUTCOME_REFER_JUDICIAL),)),
           group="其中（件）", date_note="移送日期"),
    Column("ecommerce", _FLAG["flag_ecommerce"], "件", Measure(agg=COUNT, where=_flag("flag_ecommerce"), **_FILED),
           group="其中（件）", is_flag=True, date_note="立案日期"),
    Column("key_market", _FLAG["flag_key_market"], "件", Measure(agg=COUNT, where=_flag("flag_key_market"), **_FILED),
           group="其中（件）", is_flag=True),
    Column("rural", _FLAG["flag_rural"], "件", Measure(agg=COUNT, where=_flag("flag_rural"), **_FILED),
           group="其中（件）", is_flag=True),
    Column("foreign", _FLAG["flag_foreign"], "件", Measure(agg=COUNT, where=_flag("flag_foreign"), **_FILED),
           group="其中（件）", is_flag=True),
    Column("over_500k", "案值50万元以上", "件",
           Measure(agg=COUNT, where=(("amount_involved_fen", ">=", 50_000_000),), **_FILED),
           group="其中（件）", is_flag=True),
    Column("foreign_recovered", "挽回外商投资企业经济损失", MONEY_UNIT,
           Measure(agg=SUM, date="decision_date", value=("recovered_fen",), where=_flag("flag_foreign")),
           group="其中"),
)

PART_B = Part("B", "二、案件查办", rows=_ROWS, columns=_COLUMNS)

PART_C = Part("C", "三、其他工作", indicators=(
    Indicator("mediation_accepted", "受理", "件", _work("行政调解"), group="行政调解"),
    Indicator("mediation_succeeded", "调解成功", "件", _work("行政调解", "count_b"), group="行政调解"),
    Indicator("judicial_confirmation", "司法确认", "件", _work("司法确认")),
    Indicator("abnormal_checked", "核查", "件", _work("非正常专利申请核查"), group="非正常专利申请"),
    Indicator("abnormal_withdrawn", "撤回", "件", _work("非正常专利申请核查", "count_b"), group="非正常专利申请"),
    Indicator("abnormal_rate", "撤回率", "%", ytd=RATIO, ratio_of=("abnormal_withdrawn", "abnormal_checked"),
              group="非正常专利申请"),
    Indicator("transferred", "上级转办", "件", _work("上级转办")),
    Indicator("transferred_online", "其中电商", "件", _work("上级转办", "count_b"), group="上级转办"),
    Indicator("complaints", "投诉举报受理", "件", _work("投诉举报受理")),
    Indicator("assistance", "维权援助", "件", _work("维权援助")),
    Indicator("publicity_events", "场次", "场次", _work("宣传活动"), group="宣传活动"),
    Indicator("publicity_people", "参与人次", "人次", _work("宣传活动", "count_b"), group="宣传活动"),
    Indicator("training_sessions", "期数", "期", _work("培训"), group="培训"),
    Indicator("training_people", "人次", "人次", _work("培训", "count_b"), group="培训"),
    Indicator("typical_cases", "典型案例报送", "件", _work("典型案例报送")),
))

_FLOW_COLUMNS = tuple(c.id for c in _COLUMNS if c.ytd == FLOW)

RULES = (
    Rule("eq", "open_end", ("open_start", "filed", "-closed"), "期末未结应等于上期未结＋立案－结案", part="B"),
    Rule("nonneg", "open_end", (), "期末未结不能为负数", part="B"),
    Rule("eq", "filed", ("filed_general", "filed_simple", "filed_ruling"),
         "一般程序＋简易程序＋行政裁决应等于立案数", part="B"),
    *(Rule("le", c.id, ("filed",), f"{c.label}不能大于立案数", part="B")
      for c in _COLUMNS if c.is_flag or c.group == "立案其中"),
    Rule("eq", "penalty_total", ("fine", "confiscated"), "罚没款合计应等于罚款＋没收违法所得", part="B"),
    Rule("le", "foreign_recovered", ("recovered",), "挽回外商投资企业经济损失不能大于挽回经济损失", part="B"),
    Rule("rowsum", "", (), "小计/合计应等于所含各行之和", part="B"),
    Rule("le", "abnormal_withdrawn", ("abnormal_checked",), "撤回件数不能大于核查件数", part="C"),
    Rule("le", "mediation_succeeded", ("mediation_accepted",), "调解成功件数不能大于受理件数", part="C"),
    Rule("le", "transferred_online", ("transferred",), "其中电商不能大于上级转办件数", part="C"),
    Rule("le", "market_actions", ("actions",), "实体市场执法行动不能多于开展执法行动", part="A"),
    Rule("le", "market_officers", ("officers",), "实体市场出动执法人员不能多于出动执法人员", part="A"),
)

# 附件2: each column's case field (``source``; none for those stats.annex2.case_row computes), alignment
# and, on paper, whether it wraps only between words (names and numbers).
_LEFT: dict[str, Any] = dict(align="left")


def _text(id_: str, label: str, width: float, *, words: bool = False, **kw) -> Annex2Column:
    return Annex2Column(id_, label, width, source=id_, keep_words=words, **kw)


ANNEX2_COLUMNS = (
    Annex2Column("seq", "序号", 0.5),
    Annex2Column("unit_name", "办案单位", 1.4, keep_words=True, **_LEFT),
    _text("name", "案件名称", 2.0, words=True, **_LEFT),
    _text("case_no", "立案号", 1.6, words=True),
    _text("category", "案件类别", 1.2),
    _text("party_name", "当事人", 1.5, words=True, **_LEFT),
    Annex2Column("party_id_no", "统一社会信用代码/身份证号", 1.6, keep_words=True),  # masked going upward
    _text("right_holder", "权利人", 1.3, words=True, **_LEFT),
    _text("source", "案源", 0.8),
    _text("filed_date", "立案日期", 1.0),
    _text("ip_object", "涉案商标/专利号", 1.3, words=True, **_LEFT),
    _text("goods", "涉案商品", 1.1, words=True, **_LEFT),
    Annex2Column("amount_wan", "涉案金额（万元）", 1.0, is_money=True, annex1_column="amount"),
    Annex2Column("penalty_wan", "罚没款金额（万元）", 1.0, is_money=True, annex1_column="penalty_total"),
    _text("decision_no", "处罚决定书文号", 1.6, words=True),
    _text("closed_date", "结案日期", 1.0),
    _text("outcome", "处理结果", 1.1),
    Annex2Column("is_ecommerce", "是否电商", 0.6),
    Annex2Column("is_referred", "是否移送司法机关", 0.7),
    _text("handler", "承办人", 1.0, words=True),
    _text("remarks", "备注", 0.9, **_LEFT),
)
ANNEX2_LISTED, ANNEX2_IN_ANNEX1 = "合计（本表所列案件）", "计入本期附件1"
ANNEX2_NOTES = (
    "列入本表的为统计期内立案或结案的案件，按立案日期排序。",
    "涉案金额、罚没款金额与附件1同口径，按处罚决定日期计入：处罚决定日期在统计期内的填写金额；"
    "尚未作出处罚决定或处罚决定不在统计期内的填“—”（不是0）。",
    f"“{ANNEX2_LISTED}”为本表各行显示金额之和；“{ANNEX2_IN_ANNEX1}”为本期附件1合计行的对应金额，"
    "还包括处罚决定在统计期内、但立案和结案均不在统计期内而未列入本表的案件；附件1各类别分别四舍五入后相加，两者可有尾数差。",
)

HEADLINES = Headlines(
    home=("B.total.filed", "B.total.closed", "B.total.open_end", "B.total.penalty_total", "A.actions",
          "A.officers", "A.subjects", "B.total.referred_judicial"),
    bulletin=("A.actions", "A.subjects", "B.total.filed", "B.total.closed", "B.total.amount", "B.total.penalty_total"),
    bulletin_ytd=("B.total.filed", "B.total.closed", "B.total.penalty_total"),
    rank_by=("B.total.filed", "B.total.penalty_total"),
    filed="filed", closed="closed",
    by_category=("filed", "closed", "amount", "penalty_total"),
)

CATALOG = Catalog(
    version="2026.1",
    title="知识产权行政保护工作数据统计表",
    parts=(PART_A, PART_B, PART_C),
    rules=RULES,
    annex2_title="知识产权行政保护工作查办案件明细表",
    annex2_columns=ANNEX2_COLUMNS,
    headlines=HEADLINES,
    notes=(
        "立案数及电商领域、重点实体市场、农村市场、外商投资企业被侵权、案值50万元以上各列按立案日期统计；",
        "结案数按结案日期统计；涉案金额、罚没款、挽回经济损失按处罚决定日期统计；移送司法机关按移送日期统计；",
        "上期未结、期末未结为期初、期末已立案未结案件数；“其中”各列可交叉，不计入合计；",
        "金额单位为万元；“—”表示未填报或不适用，“0”表示实际为零。",
        ROUNDING_NOTE,
    ),
    annex2_notes=ANNEX2_NOTES,
    annex2_listed_label=ANNEX2_LISTED,
    annex2_annex1_label=ANNEX2_IN_ANNEX1,
)
