"""统一社会信用代码 (GB 32100-2015) and 居民身份证号 (GB 11643-1999), checked as the kind of party they belong to.

Input is normalised first (NFKC: full-width digits and letters become ASCII; upper case; spaces and dashes inside
removed), and every refusal says what is wrong. Nothing here raises on any text.
"""
from __future__ import annotations

import re
import unicodedata
from datetime import date

USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # no I, O, Z, S, V
_USCC_VALUE = {ch: i for i, ch in enumerate(USCC_CHARS)}
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_DIGITS = "0123456789"
# GB/T 2260 province-level codes: the first two digits of an ID number's 地址码.
_PROVINCES = {11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53,
              54, 61, 62, 63, 64, 65, 71, 81, 82, 83}
_SEPARATORS = re.compile(r"[\s\-‐‑‒–—―−_·.]+")

PARTY_PERSON, PARTY_UNIT, PARTY_SOLE = "个人", "单位", "个体工商户"
PARTY_KINDS = (PARTY_UNIT, PARTY_SOLE, PARTY_PERSON)


def normalize_identifier(text) -> str:
    """NFKC (full-width ０-９, Ａ-Ｚ → ASCII), upper case, spaces and dashes removed."""
    return _SEPARATORS.sub("", unicodedata.normalize("NFKC", str(text or ""))).upper()


def _digits(text: str) -> bool:
    return bool(text) and all(ch in _DIGITS for ch in text)


def uscc_check_char(first17: str) -> str:
    """The 18th character that makes ``first17`` a valid code (``first17`` in USCC_CHARS)."""
    total = sum(_USCC_VALUE[ch] * w for ch, w in zip(first17, _USCC_WEIGHTS))
    return USCC_CHARS[(31 - total % 31) % 31]


def id_check_char(first17: str) -> str:
    return _ID_CHECK[sum(int(ch) * w for ch, w in zip(first17, _ID_WEIGHTS)) % 11]


def uscc_problem(code: str) -> str | None:
    """Why a normalised code is not a 统一社会信用代码, or None."""
    if len(code) != 18:
        return f"统一社会信用代码应为18位，现为{len(code)}位"
    bad = [ch for ch in code if ch not in USCC_CHARS]
    if bad:
        return f"统一社会信用代码含有不允许的字符：{'、'.join(dict.fromkeys(bad))}（不使用 I、O、S、V、Z）"
    if not _digits(code[2:8]):
        return f"统一社会信用代码第3—8位是登记管理机关的行政区划码，应为数字（现为“{code[2:8]}”）"
    if uscc_check_char(code[:17]) != code[17]:
        return f"统一社会信用代码校验位不正确（第18位应为 {uscc_check_char(code[:17])}）"
    return None


def id_number_problem(code: str, today: date | None = None) -> str | None:
    """Why a normalised code is not a 居民身份证号, or None: length, digits, 地址码, 出生日期, 校验码."""
    if len(code) != 18:
        return f"身份证号应为18位，现为{len(code)}位"
    if not _digits(code[:17]):
        bad = "".join(dict.fromkeys(ch for ch in code[:17] if ch not in _DIGITS))
        return f"身份证号前17位应为数字（含有“{bad}”）"
    if code[17] not in _DIGITS + "X":
        return f"身份证号最后一位应为数字或X（现为“{code[17]}”）"
    if int(code[:2]) not in _PROVINCES:
        return f"身份证号前两位“{code[:2]}”不是省级行政区划代码"
    try:
        born = date(int(code[6:10]), int(code[10:12]), int(code[12:14]))
    except ValueError:
        return f"身份证号中的出生日期“{code[6:14]}”不存在"
    if born.year < 1900 or born > (today or date.today()):
        return f"身份证号中的出生日期“{code[6:14]}”不可能"
    if id_check_char(code[:17]) != code[17]:
        return f"身份证号校验位不正确（第18位应为 {id_check_char(code[:17])}）"
    return None


def is_valid_uscc(code: str) -> bool:
    return uscc_problem(normalize_identifier(code)) is None


def is_valid_id_number(code: str, today: date | None = None) -> bool:
    return id_number_problem(normalize_identifier(code), today) is None


def infer_party_kind(code: str) -> str | None:
    """The kind of party a code belongs to when the record does not say (older records): an ID number is a
    person's; a USCC whose 机构类别码 (2nd character) is 2 under 工商 (9) is a 个体工商户's; any other a unit's."""
    code = normalize_identifier(code)
    if is_valid_id_number(code):
        return PARTY_PERSON
    if is_valid_uscc(code):
        return PARTY_SOLE if code[:2] == "92" else PARTY_UNIT
    return None


def identifier_message(code: str, kind: str | None = None, today: date | None = None) -> str | None:
    """None when ``code`` is empty or right for the party's ``kind`` (个人 → 身份证号; 单位/个体工商户 → 统一社会信用
    代码; unknown kind → either); else what is wrong, in Chinese."""
    code = normalize_identifier(code)
    if not code:
        return None
    if len(code) == 15 and _digits(code) and kind != PARTY_PERSON:  # 工商注册号, replaced by GB 32100-2015
        return "15位注册号已停用，请补正为18位统一社会信用代码"
    id_problem, uscc = id_number_problem(code, today), uscc_problem(code)
    if kind == PARTY_PERSON:
        if id_problem and uscc is None:
            return "当事人类型为个人，应填写居民身份证号（所填是统一社会信用代码）"
        return id_problem
    if kind in (PARTY_UNIT, PARTY_SOLE):
        if uscc and id_problem is None:
            return f"当事人类型为{kind}，应填写统一社会信用代码（所填是身份证号）"
        return uscc
    if id_problem is None or uscc is None:
        return None
    # Unknown kind: report the problem of what the text looks like.
    looks_like_id = _digits(code[:17]) and len(code) == 18
    if len(code) != 18:
        return f"统一社会信用代码或身份证号应为18位，现为{len(code)}位"
    return id_problem if looks_like_id else uscc


def mask_id_number(code: str) -> str:
    """Keep the region and the last four characters, hide the birth date and sequence; a number of another
    length keeps only its first and last character."""
    code = normalize_identifier(code)
    if len(code) == 18:
        return code[:6] + "*" * 8 + code[14:]
    if len(code) >= 4:
        return code[0] + "*" * (len(code) - 2) + code[-1]
    return "*" * len(code)


def masked_for_upward(code: str, kind: str | None) -> str:
    """What goes upward when personal identifiers are masked: an individual's ID always masked, a company's or a
    个体工商户's USCC never. Without a kind (frozen tables), anything but a valid USCC that is not also a valid ID
    number is masked."""
    if not code:
        return code
    if kind is None:
        personal = is_valid_id_number(code) or not is_valid_uscc(code)
    else:
        personal = kind == PARTY_PERSON
    return mask_id_number(code) if personal else code


# An 18-character ID number standing in free text (当事人 "张三（身份证号150602…）", 备注): digits, the last one
# possibly X, not part of a longer run of digits or letters.
_ID_IN_TEXT = re.compile(r"(?<![0-9A-Za-z])[0-9]{17}[0-9Xx](?![0-9A-Za-z])")


def mask_ids_in_text(text: str) -> str:
    """Every valid ID number written inside a text masked (a company's USCC is not an ID number and stays)."""
    if not text or not isinstance(text, str):
        return text
    return _ID_IN_TEXT.sub(lambda m: mask_id_number(m.group(0)) if is_valid_id_number(m.group(0)) else m.group(0),
                           text)
