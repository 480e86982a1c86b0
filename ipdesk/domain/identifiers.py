"""Check digits of the 统一社会信用代码 (GB 32100-2015) and the 居民身份证号 (GB 11643-1999)."""
from __future__ import annotations

USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # no I, O, Z, S, V
_USCC_VALUE = {ch: i for i, ch in enumerate(USCC_CHARS)}
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def uscc_check_char(first17: str) -> str:
    """The 18th character that makes ``first17`` a valid code."""
    total = sum(_USCC_VALUE[ch] * w for ch, w in zip(first17, _USCC_WEIGHTS))
    return USCC_CHARS[(31 - total % 31) % 31]


def is_valid_uscc(code: str) -> bool:
    code = (code or "").strip().upper()
    if len(code) != 18 or any(ch not in USCC_CHARS for ch in code):
        return False
    return uscc_check_char(code[:17]) == code[17]


def id_check_char(first17: str) -> str:
    return _ID_CHECK[sum(int(ch) * w for ch, w in zip(first17, _ID_WEIGHTS)) % 11]


def is_valid_id_number(code: str) -> bool:
    code = (code or "").strip().upper()
    if len(code) != 18 or not code[:17].isdigit():
        return False
    return id_check_char(code[:17]) == code[17]


def mask_id_number(code: str) -> str:
    """Keep the region and the check digit, hide the birth date and sequence."""
    code = (code or "").strip()
    if len(code) != 18:
        return code
    return code[:6] + "*" * 8 + code[14:]


def identifier_message(code: str) -> str | None:
    """None when ``code`` is empty, a valid USCC or a valid ID number; else why not."""
    code = (code or "").strip().upper()
    if not code:
        return None
    if len(code) == 15 and code.isdigit():  # 工商注册号, replaced by the code (GB 32100-2015)
        return "15位注册号已停用，请补正为18位统一社会信用代码"
    if len(code) != 18:
        return f"统一社会信用代码或身份证号应为18位，现为{len(code)}位"
    if is_valid_uscc(code) or is_valid_id_number(code):
        return None
    if code[:17].isdigit():
        return "身份证号或统一社会信用代码校验位不正确"
    bad = [ch for ch in code if ch not in USCC_CHARS]
    if bad:
        return f"统一社会信用代码含有不允许的字符：{''.join(dict.fromkeys(bad))}"
    return f"统一社会信用代码校验位不正确（应为 {uscc_check_char(code[:17])}）"
