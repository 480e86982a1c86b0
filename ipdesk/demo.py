"""Realistic demo records for a banner bureau: cases in the proportions of the region's 2023 figures
(seed 001), inspections, other work and the manual cells, ending in the current month.
Everything passes the hard checks."""
from __future__ import annotations

import random
from datetime import date, timedelta

from .desk import Changes, Desk
from .domain import enums
from .domain.identifiers import USCC_CHARS, id_check_char, infer_party_kind, uscc_check_char
from .domain.periods import Period

# Seed 001: 商标侵权假冒 302, 专利侵权纠纷 242, 奥林匹克标志 93, 假冒专利 20 (region, 2023).
CATEGORY_WEIGHTS = {
    "商标侵权": 300, "地理标志": 12, "官方标志/特殊标志/奥林匹克标志": 90, "商标代理违法": 5, "其他商标违法": 10,
    "假冒专利": 20, "专利侵权纠纷（行政裁决）": 240, "专利代理违法": 3, "其他专利违法": 4,
}
SURNAMES = ("王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎"
            "余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文")
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红娥玲芬燕飞鹏斌宇浩凯健俊帆帅旭宁龙林欣晨阳波"
TRADE_WORDS = ("鑫源", "恒通", "金鼎", "瑞丰", "宏达", "草原", "蒙源", "天骄", "德顺", "永盛", "华联", "万家", "福康",
               "东方", "兴隆", "汇丰", "佳美", "祥云", "博远", "嘉禾")
BUSINESS = ("商贸有限公司", "商行", "超市", "便利店", "服装店", "五金建材店", "食品店", "电子商务有限公司", "酒行",
            "日用品经营部", "家电销售中心", "农资店")
BRANDS = (("耐克", "耐克创新有限合伙公司"), ("阿迪达斯", "阿迪达斯有限公司"), ("五粮液", "宜宾五粮液股份有限公司"),
          ("茅台", "中国贵州茅台酒厂（集团）有限责任公司"), ("伊利", "内蒙古伊利实业集团股份有限公司"),
          ("蒙牛", "内蒙古蒙牛乳业（集团）股份有限公司"), ("鄂尔多斯", "内蒙古鄂尔多斯资源股份有限公司"),
          ("小米", "小米科技有限责任公司"), ("华为", "华为技术有限公司"), ("LV", "路易威登马利蒂"),
          ("香奈儿", "香奈儿股份有限公司"), ("红牛", "红牛维他命饮料有限公司"))
GOODS = ("运动鞋", "白酒", "乳制品", "羊绒衫", "手机配件", "箱包", "饮料", "服装", "化妆品", "电动工具", "食用油", "农药")
GI_PRODUCTS = (("鄂托克阿尔巴斯山羊肉", "鄂托克旗阿尔巴斯绒山羊协会"), ("杭锦旗甘草", "杭锦旗甘草产业协会"),
               ("达拉特旗黄河鲤鱼", "达拉特旗渔业协会"))
PATENTS = ("ZL2021 2 0345678.9", "ZL2020 1 0123456.7", "ZL2022 3 0567890.1", "ZL2019 2 1456789.0")
HANDLERS = ("张瑞", "王凤英", "李斌", "刘海军", "赵丽娜", "高志强")
JUDICIAL_BODIES = ("公安局经济犯罪侦查大队", "公安分局")


class _Maker:
    def __init__(self, desk: Desk, seed: int):
        self.desk, self.rng = desk, random.Random(seed)
        unit = desk.unit
        self.unit_code, self.unit_name = unit["code"], unit["name"]
        self.place = self.unit_name.replace("市场监督管理局", "").replace("（知识产权局）", "")
        self.abbr = self.place[:1] or "本"
        self.numbers: dict[int, int] = {}
        self.today = desk.today()

    def pick(self, seq):
        return self.rng.choice(seq)

    def uscc(self) -> str:
        body = "91" + self.unit_code + "".join(self.rng.choice(USCC_CHARS[:10] + "ABCDEFGHJK") for _ in range(9))
        return body + uscc_check_char(body)

    def id_number(self) -> str:
        born = date(1960, 1, 1) + timedelta(days=self.rng.randrange(0, 365 * 40))
        body = self.unit_code + born.strftime("%Y%m%d") + f"{self.rng.randrange(0, 1000):03d}"
        return body + id_check_char(body)

    def person(self) -> str:
        return self.pick(SURNAMES) + "".join(self.pick(GIVEN) for _ in range(self.rng.choice((1, 2))))

    def party(self) -> tuple[str, str]:
        if self.rng.random() < 0.25:
            return f"{self.person()}（个体工商户）", self.id_number()
        return f"{self.place}{self.pick(TRADE_WORDS)}{self.pick(BUSINESS)}", self.uscc()

    def day_in(self, period: Period) -> date:
        last = min(period.end, self.today)
        return period.start + timedelta(days=self.rng.randrange(0, (last - period.start).days + 1))

    def case_no(self, year: int) -> str:
        self.numbers[year] = self.numbers.get(year, 0) + 1
        return f"{self.abbr}市监立字〔{year}〕{self.numbers[year]}号"

    def yuan(self, low: int, high: int) -> str:
        return f"{self.rng.randint(low, high)}.{self.rng.randrange(0, 100):02d}"

    def case(self, lead: date) -> dict:
        rng = self.rng
        category = rng.choices(list(CATEGORY_WEIGHTS), weights=list(CATEGORY_WEIGHTS.values()))[0]
        is_dispute = enums.CATEGORY_BY_LABEL[category].is_dispute
        party, party_id = self.party()
        brand, holder = self.pick(BRANDS)
        goods = self.pick(GOODS)
        ip_object = f"“{brand}”注册商标"
        if category == "地理标志":
            goods, holder = self.pick(GI_PRODUCTS)
            ip_object = f"“{goods}”地理标志"
        elif category.startswith("官方标志"):
            brand, holder, ip_object = "奥林匹克标志", "国际奥林匹克委员会", "奥林匹克五环标志"
        elif enums.CATEGORY_BY_LABEL[category].group == enums.PATENT:
            ip_object = self.pick(PATENTS)
            holder = f"{self.pick(TRADE_WORDS)}科技有限公司"
        ecommerce = rng.random() < (0.6 if is_dispute else 0.15)
        case = {
            "name": f"{party}涉嫌{category.split('（')[0]}案" if not is_dispute else f"{holder}与{party}专利侵权纠纷案",
            "category": category,
            "source": "电商平台转办" if ecommerce and rng.random() < 0.5 else
            rng.choices(enums.CASE_SOURCES, weights=(45, 30, 10, 8, 4, 3))[0],
            "procedure": enums.PROCEDURE_RULING if is_dispute else
            (enums.PROCEDURE_SIMPLE if rng.random() < 0.2 else enums.PROCEDURE_GENERAL),
            "handler": "、".join(rng.sample(HANDLERS, 2)),
            "party_name": party, "party_id_no": party_id, "party_kind": infer_party_kind(party_id),
            "party_address": f"{self.place}{self.pick(('伊金霍洛西街', '鄂尔多斯东街', '天骄路', '宝日陶亥街', '达拉特南路'))}"
                             f"{rng.randint(1, 199)}号",
            "right_holder": holder, "ip_object": ip_object, "goods": goods,
            "facts": f"当事人销售侵犯{ip_object}专用权的{goods}。",
            "flag_ecommerce": int(ecommerce), "flag_key_market": int(rng.random() < 0.2),
            "flag_rural": int(rng.random() < 0.12), "flag_foreign": int(brand in ("耐克", "阿迪达斯", "LV", "香奈儿")),
            "lead_date": lead.isoformat(),
        }
        if rng.random() < 0.06:  # some leads are not filed
            declined = lead + timedelta(days=rng.randint(3, 14))
            if declined <= self.today:
                case["declined_date"] = declined.isoformat()
                case["remarks"] = "经核查不符合立案条件"
            return case
        filed = lead + timedelta(days=rng.randint(0, 12))
        if filed > self.today:
            return case  # still a lead
        case["filed_date"] = filed.isoformat()
        case["case_no"] = self.case_no(filed.year)
        amount = self.yuan(800, 60000) if rng.random() < 0.97 else self.yuan(500000, 900000)
        case["amount_involved"] = amount
        duration = rng.randint(0, 3) if case["procedure"] == enums.PROCEDURE_SIMPLE else rng.randint(20, 85)
        closed = filed + timedelta(days=duration)
        if closed > self.today:
            return case  # open
        if is_dispute:
            case["outcome"] = rng.choices(enums.RULING_OUTCOMES, weights=(40, 5, 35, 15, 5))[0]
            case["decision_date"] = closed.isoformat()
            case["closed_date"] = closed.isoformat()
            if case["outcome"] in ("处理决定—认定侵权", "调解结案"):
                case["recovered"] = self.yuan(2000, 50000)
            return case
        roll = rng.random()
        decision = closed - timedelta(days=min(duration, rng.randint(0, 5)))
        if roll < 0.03:
            case["outcome"] = enums.OUTCOME_REFER_JUDICIAL
            case["referral_date"] = closed.isoformat()
            case["referral_body"] = f"{self.place}{self.pick(JUDICIAL_BODIES)}"
        elif roll < 0.10:
            case["outcome"] = rng.choice(("不予行政处罚", "违法事实不成立", "撤销立案"))
        else:
            case["outcome"] = enums.OUTCOME_PENALTY
            case["decision_date"] = decision.isoformat()
            case["decision_no"] = f"{self.abbr}市监处罚〔{decision.year}〕{self.numbers[filed.year]}号"
            case["fine"] = self.yuan(500, 30000)
            kinds = ["罚款", "责令停止侵权/改正"]
            if rng.random() < 0.4:
                case["confiscated"] = self.yuan(100, 5000)
                kinds.insert(1, "没收违法所得")
            if rng.random() < 0.5:
                kinds.append("没收非法财物")
            case["penalty_kinds"] = kinds
            if case["flag_foreign"] or rng.random() < 0.3:
                case["recovered"] = self.yuan(1000, 40000)
        case["closed_date"] = closed.isoformat()
        return case

    def inspection(self, day: date) -> dict:
        rng = self.rng
        kind = rng.choices(enums.INSPECTION_KINDS, weights=(15, 35, 30, 4, 12, 4))[0]
        place = {"展会检查": "展会", "电商监测": "电商平台"}.get(
            kind, rng.choices(("实体市场", "商场超市", "专业市场", "农村市场", "生产企业"), weights=(40, 25, 15, 12, 8))[0])
        subjects = rng.randint(20, 120) if kind == "电商监测" else rng.randint(1, 15)
        party, party_id = self.party()
        return {
            "date": day.isoformat(), "kind": kind,
            "campaign": rng.choices(enums.CAMPAIGNS, weights=(30, 10, 10, 10, 15, 8, 5, 12))[0],
            "place_kind": place, "subject_name": party if subjects == 1 else f"{party}等{subjects}户",
            "subject_id_no": party_id if party_id[:2] == "91" else "",
            "subject_count": subjects, "officers": rng.randint(2, 8),
            "findings": rng.choice(("未发现违法行为", "发现涉嫌侵权商品，已登记", "责令整改", "已现场指导规范经营")),
        }

    def work_items(self, period: Period) -> list[dict]:
        rng, out = self.rng, []

        def add(kind, a, b=0, title=""):
            if a or b:
                out.append({"date": self.day_in(period).isoformat(), "kind": kind, "count_a": a, "count_b": b,
                            "title": title})
        accepted = rng.randint(0, 3)
        add("行政调解", accepted, rng.randint(0, accepted), "知识产权纠纷行政调解")
        add("司法确认", int(rng.random() < 0.15))
        checked = rng.randint(0, 30) if rng.random() < 0.5 else 0
        add("非正常专利申请核查", checked, round(checked * rng.uniform(0.8, 0.95)), "国家知识产权局下发核查任务")
        transferred = rng.randint(0, 3)
        add("上级转办", transferred, rng.randint(0, transferred), "上级转办线索")
        add("投诉举报受理", rng.randint(0, 4))
        add("维权援助", rng.randint(0, 2))
        if rng.random() < 0.5 or period.first_month == 4:
            add("宣传活动", rng.randint(1, 2), rng.randint(50, 400), "知识产权宣传进市场")
        if rng.random() < 0.3:
            add("培训", 1, rng.randint(20, 80), "知识产权执法业务培训")
        add("典型案例报送", int(rng.random() < 0.2))
        return out


def generate_demo(desk: Desk, months: int = 24, seed: int = 1) -> Changes:
    """Fill the desk with ``months`` months of records ending in the current month."""
    maker = _Maker(desk, seed)
    today = desk.today()
    first = Period.month_of(today)
    periods = [first]
    for _ in range(months - 1):
        periods.insert(0, periods[0].previous())
    cases, inspections, work = [], [], []
    for period in periods:
        for _ in range(maker.rng.randint(2, 5)):
            cases.append(maker.case(maker.day_in(period)))
        for _ in range(maker.rng.randint(12, 25)):
            inspections.append(maker.inspection(maker.day_in(period)))
        work += maker.work_items(period)
    cases.sort(key=lambda c: c.get("filed_date") or c["lead_date"])
    changes = Changes(set(), label="生成演示数据")
    for table, rows in (("cases", cases), ("inspections", inspections), ("work_items", work)):
        changes.tables |= desk.records.save_many(table, rows, label=f"生成演示数据：{len(rows)}条").tables
    markets = maker.rng.randint(6, 14)
    for period in periods[::3]:
        desk.records.set_manual_cell("A.key_markets", period.code, markets)
        markets += maker.rng.choice((0, 0, 1))
    changes.tables.add("manual_cells")
    return changes
