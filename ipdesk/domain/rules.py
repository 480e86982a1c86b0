"""Field rules as plain functions returning ``{field: Chinese message}``.

Records here are plain dicts keyed by the names in :mod:`ipdesk.domain.fields`:
dates as ISO text (``YYYY-MM-DD``) or None, money as integer 分, flags as 0/1,
``penalty_kinds`` as a list of labels.
"""
from __future__ import annotations

import re
from datetime import date

from . import enums, fields as F
from .identifiers import identifier_message, normalize_identifier
from .money import MoneyError, parse_yuan

_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATE_ORDER = ("lead_date", "filed_date", "decision_date", "closed_date")


def parse_date(value) -> str | None:
    """ISO text for a date given as date, ISO text or None; ValueError otherwise."""
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value.isoformat()
    text = str(value).strip()
    if not _DATE_RE.match(text):
        raise ValueError(text)
    day = date.fromisoformat(text)
    if day.year < EARLIEST_YEAR:  # 0001-01-01 was accepted: a typo, and years before 1980 break the calendar
        raise TextError(f"早于 {EARLIEST_YEAR} 年，请检查：{text}")
    return day.isoformat()


# No IP enforcement record predates China's first trademark law (1982, in force 1983): an earlier year is a typo.
EARLIEST_YEAR = 1980


ID_FIELDS = ("party_id_no", "subject_id_no")  # 统一社会信用代码 / 身份证号


def coerce(fields: tuple[F.Field, ...], raw: dict) -> tuple[dict, dict[str, str]]:
    """Turn user or file input into a typed record; returns (record, errors).

    Unknown keys are ignored; a value that cannot be read gives a message on its field
    and the field is left out of the record.
    """
    record, errors = {}, {}
    for f in fields:
        # Money may be given under its plain name (``fine`` for ``fine_fen``); the value is in 元.
        key = f.name if f.name in raw else (f.name[:-4] if f.kind == F.MONEY and f.name[:-4] in raw else None)
        if key is None:
            continue
        value = raw[key]
        if f.name in ID_FIELDS and isinstance(value, str):
            value = normalize_identifier(value)  # ＡＢ１２-34 … is read as AB1234 before it is checked
        try:
            record[f.name] = _coerce_value(f, value)
        except (ValueError, MoneyError, TypeError, OverflowError, UnicodeError) as exc:
            # TypeError/OverflowError: a file gave e.g. true or 1e400 where a list or a number belongs
            # (found by tests/safety/test_safety_fuzz.py); it is the same refusal on the field.
            if isinstance(exc, (TypeError, OverflowError, UnicodeError)):
                exc = ValueError(repr(value)[:30])
            errors[f.name] = _coerce_message(f, value, exc)
    return record, errors


def _coerce_value(f: F.Field, value):
    if f.kind == F.DATE:
        return parse_date(value)
    if f.kind == F.MONEY:
        return parse_yuan(value)
    if f.kind == F.FLAG:
        if value in (None, ""):
            return 0
        if isinstance(value, str):
            text = value.strip()
            if text in ("是", "√", "✓", "1", "true", "True", "Y", "y", "yes"):
                return 1
            if text in ("否", "×", "0", "false", "False", "N", "n", "no", ""):
                return 0
            raise ValueError(value)
        return 1 if value else 0
    if f.kind == F.INT:
        if value in (None, ""):
            return None if f.name == "case_id" else 0
        if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
            raise ValueError(value)
        number = int(str(value).strip()) if isinstance(value, str) else int(value)
        if not 0 <= number <= F.MAX_COUNT:  # 2**70 in a count broke the sums
            raise ValueError(value)
        return number
    if f.kind == F.MULTI:
        if value in (None, ""):
            return []
        items = re.split(r"[、，,;；/]+", value) if isinstance(value, str) else list(value)
        items = [str(i).strip() for i in items if str(i).strip()]
        # 责令停止侵权/改正 contains a slash; put it back together.
        joined = "/".join(items)
        found = [k for k in f.choices if k in joined]
        leftover = joined
        for k in found:
            leftover = leftover.replace(k, "")
        if leftover.strip("/ "):
            raise ValueError(value)
        return found
    if f.kind == F.ENUM:
        if value in (None, ""):
            return None
        text = str(value).strip()
        if text not in f.choices:
            raise ValueError(value)
        return text
    if value is None:
        return None
    text = str(value).strip() if not isinstance(value, str) else value.strip()
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise TextError("含有无法识别的字符（可能是复制时损坏的文字），请重新输入") from None
    if f.max_length is not None and len(text) > f.max_length:
        raise TextError(f"不能超过 {f.max_length} 字（现有 {len(text)} 字）")
    return text


class TextError(ValueError):
    """A text refused with its own reason (too long, broken characters)."""


def _coerce_message(f: F.Field, value, exc) -> str:
    # Shown as typed, but never so long or so broken (a lone surrogate) that printing the message fails.
    value = str(value)[:60].encode("utf-8", "replace").decode("utf-8")
    if f.kind == F.DATE:
        if isinstance(exc, TextError):
            return f"{f.label}{exc}"
        return f"{f.label}无法识别：{value}（应为 年-月-日）"
    if f.kind == F.MONEY:
        return f"{f.label}：{exc}"
    if f.kind == F.ENUM:
        return f"{f.label}不在可选范围内：{value}"
    if f.kind == F.MULTI:
        return f"{f.label}含有无法识别的项：{value}"
    if f.kind == F.INT:
        return f"{f.label}应为 0 至 {F.MAX_COUNT:,} 的整数：{str(value)[:30]}"
    if isinstance(exc, TextError):
        return f"{f.label}{exc}"
    return f"{f.label}无法识别：{str(value)[:30]}"


def case_status(case: dict) -> str:
    if case.get("closed_date"):
        if case.get("outcome") in enums.REFERRAL_OUTCOMES:
            return enums.STATUS_REFERRED
        return enums.STATUS_CLOSED
    if case.get("filed_date"):
        return enums.STATUS_FILED
    if case.get("declined_date"):
        return enums.STATUS_DECLINED
    return enums.STATUS_LEAD


def validate_case(case: dict, *, today: date) -> dict[str, str]:
    """Hard rules of §3 on a typed case; an empty dict means the case may be saved."""
    errors: dict[str, str] = {}
    label = F.CASE_FIELD_MAP
    if not (case.get("name") or "").strip():
        errors["name"] = "请填写案件名称"
    category = case.get("category")
    if not category:
        errors["category"] = "请选择案件类别"
    elif category not in enums.CATEGORY_LABELS:
        errors["category"] = f"案件类别不在可选范围内：{category}"
    for name in ("lead_date", "declined_date", "filed_date", "decision_date", "closed_date", "referral_date"):
        value = case.get(name)
        if value and value > today.isoformat():
            errors[name] = f"{label[name].label}不能晚于今天（{today.isoformat()}）"
    present = [(n, case.get(n)) for n in _DATE_ORDER if case.get(n)]
    for (a, da), (b, db) in zip(present, present[1:]):
        if db < da and b not in errors:
            errors[b] = f"{label[b].label}（{db}）不能早于{label[a].label}（{da}）"
    if case.get("declined_date") and case.get("filed_date"):
        errors["declined_date"] = "已立案的案件不能同时登记不予立案"
    if case.get("declined_date") and case.get("lead_date") and case["declined_date"] < case["lead_date"]:
        errors["declined_date"] = "不予立案日期不能早于线索登记日期"
    for name in ("decision_date", "closed_date"):
        if case.get(name) and not case.get("filed_date") and "filed_date" not in errors:
            errors["filed_date"] = f"有{label[name].label}的案件须填写立案日期"
    if not case.get("lead_date") and not case.get("filed_date"):
        errors.setdefault("lead_date", "请填写线索登记日期或立案日期")
    for name in ("amount_involved_fen", "fine_fen", "confiscated_fen", "recovered_fen"):
        value = case.get(name) or 0
        if value < 0:
            errors[name] = f"{label[name].label}不能为负数"
    # Checked as the kind of party it is (个人 → 身份证号, 单位/个体工商户 → 统一社会信用代码); either when not given.
    message = identifier_message(case.get("party_id_no") or "", case.get("party_kind"), today)
    if message:
        errors["party_id_no"] = message
    procedure = case.get("procedure")
    if category and procedure:
        is_dispute = enums.CATEGORY_BY_LABEL.get(category, None)
        if is_dispute and is_dispute.is_dispute and procedure != enums.PROCEDURE_RULING:
            errors["procedure"] = "专利侵权纠纷应适用行政裁决程序"
        elif is_dispute and not is_dispute.is_dispute and procedure == enums.PROCEDURE_RULING:
            errors["procedure"] = "只有专利侵权纠纷适用行政裁决程序"
    outcome = case.get("outcome")
    if outcome:
        dispute = bool(category) and enums.CATEGORY_BY_LABEL.get(category, enums.CASE_CATEGORIES[0]).is_dispute
        allowed = enums.RULING_OUTCOMES if dispute else enums.PENALTY_OUTCOMES
        if outcome not in allowed:
            errors["outcome"] = f"“{outcome}”不适用于{'专利侵权纠纷' if dispute else '行政处罚案件'}"
    if case.get("closed_date") and not outcome:
        errors["outcome"] = "已结案的案件须选择处理结果"
    penalty = (case.get("fine_fen") or 0) + (case.get("confiscated_fen") or 0)
    if penalty > 0:
        if not (case.get("decision_no") or "").strip():
            errors["decision_no"] = "有罚没款的案件须填写处罚决定书文号"
        if not case.get("decision_date"):
            errors.setdefault("decision_date", "有罚没款的案件须填写处罚决定日期")
        if outcome in enums.NO_PENALTY_OUTCOMES:
            errors["outcome"] = f"处理结果为“{outcome}”的案件不能有罚没款"
    if outcome in enums.REFERRAL_OUTCOMES or case.get("referral_date") or case.get("referral_body"):
        if not case.get("referral_date"):
            errors.setdefault("referral_date", "移送须填写移送日期")
        if not (case.get("referral_body") or "").strip():
            errors["referral_body"] = "移送须填写接收机关"
        if case.get("referral_date") and case.get("filed_date") and case["referral_date"] < case["filed_date"]:
            errors.setdefault("referral_date", "移送日期不能早于立案日期")
    if case.get("filed_date") and not procedure:
        errors.setdefault("procedure", "已立案的案件须选择程序")
    return errors


# Fields a legacy ledger may lack that the form now requires; such a case comes in 待补正.
COMPLETION_FIELDS = {"outcome": "处理结果", "decision_no": "处罚决定书文号", "decision_date": "处罚决定日期",
                     "referral_date": "移送日期", "referral_body": "接收机关", "procedure": "程序",
                     "party_id_no": "统一社会信用代码"}  # an old 15-digit 注册号 (the importer decides)


def is_registration_number(code: str) -> bool:
    """A 15-digit 工商注册号, the code before the 统一社会信用代码 (GB 32100-2015)."""
    return len(code) == 15 and code.isdigit()


def unwaived(errors: dict[str, str], pending, case: dict) -> dict[str, str]:
    """The errors of a case marked 待补正 for ``pending`` that still refuse it: an item it lacks is waived until
    completed; its party code only while it is still an old 注册号 (a code with a wrong check digit never is)."""
    return {k: v for k, v in errors.items() if COMPLETION_FIELDS.get(k) not in pending
            or (k == "party_id_no" and not is_registration_number((case.get(k) or "").strip()))}


def absent_required(case: dict, errors: dict[str, str]) -> list[str]:
    """What an imported case lacks that the form requires, so it may come in 待补正 (labels of
    :data:`COMPLETION_FIELDS`): only an item that is absent — an empty 处理结果, 文号, date — and an old 15-digit
    注册号; a value that is there and wrong (a date out of order, a wrong check digit) still refuses it."""
    return [label for name, label in COMPLETION_FIELDS.items() if name in errors and (
        not case.get(name) or (name == "party_id_no" and is_registration_number(case[name])))]


def missing_for_form(case: dict) -> list[str]:
    """What a case lacks that the form requires (the 待补正 items), as Chinese labels."""
    errors = validate_case(case, today=date.max)
    return [label for name, label in COMPLETION_FIELDS.items() if name in errors]


def validate_inspection(rec: dict, *, today: date) -> dict[str, str]:
    errors = {}
    if not rec.get("date"):
        errors["date"] = "请填写检查日期"
    elif rec["date"] > today.isoformat():
        errors["date"] = f"检查日期不能晚于今天（{today.isoformat()}）"
    for name, label in (("kind", "检查方式"), ("place_kind", "检查场所")):
        if not rec.get(name):
            errors[name] = f"请选择{label}"
    message = identifier_message(rec.get("subject_id_no") or "", None, today)
    if message:
        errors["subject_id_no"] = message
    return errors


def validate_work_item(rec: dict, *, today: date) -> dict[str, str]:
    errors = {}
    if not rec.get("date"):
        errors["date"] = "请填写日期"
    elif rec["date"] > today.isoformat():
        errors["date"] = f"日期不能晚于今天（{today.isoformat()}）"
    kind = enums.WORK_ITEM_BY_LABEL.get(rec.get("kind") or "")
    if not kind:
        errors["kind"] = "请选择工作类别"
    elif kind.count_b is None and rec.get("count_b"):
        errors["count_b"] = f"{kind.label}只有一个数量"
    elif kind.label in ("行政调解", "非正常专利申请核查", "上级转办") and (rec.get("count_b") or 0) > (rec.get("count_a") or 0):
        errors["count_b"] = f"{kind.count_b}不能大于{kind.count_a}"
    if not (rec.get("count_a") or rec.get("count_b")):
        errors.setdefault("count_a", "请填写数量")
    return errors
