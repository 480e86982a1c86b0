"""Money: kept as integer 分 (fen), read from 元 or 万元, shown in 万元 with 4 decimals.

The one rounding policy of every printed figure (README: “How figures are rounded”), used by the screen, PDF,
Excel, consolidation, bulletin and summaries alike:

- money is stored in 分 and printed in 万元 with 4 decimals, half-up (四舍五入): :func:`wan`;
- a percentage (同比, 撤回率) is printed with 1 decimal, half-up: :func:`percent`;
- a printed total (小计/合计/罚没款合计) is the sum of its printed parts, :func:`footed`, so a form adds
  up on paper; it may then differ from the rounded exact total by a few 0.0001 万元.

Always Decimal with ROUND_HALF_UP: float ``round()`` rounds half to even on binary fractions
(12.25 → 12.2, 0.00005 → 0.0).
"""
from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation, ROUND_HALF_UP
from typing import Iterable

FEN_PER_YUAN = 100
FEN_PER_WAN = 1_000_000
WAN_DECIMALS = 4
PERCENT_DECIMALS = 1
# The largest amount any form can carry: 10^10 万元 (10^14 元, above a year's national output). Beyond it a
# figure is a typo or a forgery, and 分 of a consolidation of such figures would overflow SQLite's 64-bit integer.
MAX_WAN = 10 ** 10
_WAN_STEP = Decimal(1).scaleb(-WAN_DECIMALS)
_PCT_STEP = Decimal(1).scaleb(-PERCENT_DECIMALS)
# The rule as printed in every form's 说明 (the catalogue adds it to its notes).
ROUNDING_NOTE = ("金额以分记录，以万元为单位四舍五入保留四位小数，百分比四舍五入保留一位小数；"
                 "小计、合计、罚没款合计为所含各项显示值之和（与各项精确值之和四舍五入的结果可能相差几个0.0001万元）。")


def wan(fen: int | None) -> Decimal | None:
    """分 → 万元 as printed: 4 decimals, half-up. ``None`` (未填报) stays ``None``."""
    if fen is None:
        return None
    return (Decimal(int(fen)) / FEN_PER_WAN).quantize(_WAN_STEP, rounding=ROUND_HALF_UP)


def footed(parts: Iterable[Decimal | None]) -> Decimal | None:
    """A printed total: the sum of the printed parts (``None`` parts skipped; all ``None`` → ``None``)."""
    present = [p for p in parts if p is not None]
    return sum(present, Decimal(0)).quantize(_WAN_STEP) if present else None


def wan_text(value: Decimal | float | None, *, blank: str = "—") -> str:
    """A printed 万元 figure with its 4 decimals (``blank`` for no value)."""
    if value is None:
        return blank
    return f"{Decimal(str(value)).quantize(_WAN_STEP, rounding=ROUND_HALF_UP)}"


def wan_to_fen(value) -> int:
    """A printed/typed 万元 number back to 分 (exact for 4 decimals; 万元 with more is rounded half-up to 1 分).
    Raises :class:`MoneyError` for a value that is not a finite amount within ±:data:`MAX_WAN` 万元."""
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        raise MoneyError(f"“{str(value)[:20]}”不是金额") from None
    if not amount.is_finite() or abs(amount) > MAX_WAN:
        raise MoneyError(f"金额超出合理范围（不超过{MAX_WAN:,}万元）")
    return int((amount * FEN_PER_WAN).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def round_percent(value) -> float | None:
    """A percentage rounded to 1 decimal, half-up (12.25 → 12.3)."""
    if value is None:
        return None
    d = value if isinstance(value, Decimal) else Decimal(str(value))
    return float(d.quantize(_PCT_STEP, rounding=ROUND_HALF_UP))


def percent(numerator, denominator) -> float | None:
    """``numerator ÷ denominator × 100`` rounded to 1 decimal half-up; ``None`` when either is missing or
    the denominator is 0 (then there is nothing to compare with)."""
    if numerator is None or not denominator:
        return None
    exact = Decimal(str(numerator)) * 100 / Decimal(str(denominator))
    return float(exact.quantize(_PCT_STEP, rounding=ROUND_HALF_UP))


class MoneyError(ValueError):
    """The text is not an amount this module accepts; the message is Chinese."""


_THOUSANDS = re.compile(r"\d{1,3}(,\d{3})+(\.\d*)?")
_PLAIN = re.compile(r"\d+(\.\d*)?|\.\d+")
COMMA_MESSAGE = "逗号只能用作千位分隔符（如 1,234.50），小数请用小数点"


def _as_text(value) -> str:
    """NFKC (１０００．５ → 1000.5, ，→ ,), without the surrounding spaces and a leading ¥."""
    return unicodedata.normalize("NFKC", str(value)).strip().lstrip("¥").strip()


def parse_yuan(value, *, unit: str = "元") -> int:
    """Read an amount in 元 (or 万元 when ``unit='万元'`` or written 万/万元) and return 分.

    Full-width digits are read as digits; commas only as thousands separators (``1,00`` is refused, not read as
    100); refuses negative amounts and more precision than 1 分, never rounds silently.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return 0
    if isinstance(value, bool):
        raise MoneyError("金额不能是是/否")
    if isinstance(value, float):
        text = repr(value)
    else:
        text = _as_text(value)
        for suffix in ("万元", "元", "万"):
            if text.endswith(suffix):
                if suffix in ("万元", "万"):
                    unit = "万元"
                text = text[: -len(suffix)].strip()
                break
        if "," in text:
            if not _THOUSANDS.fullmatch(text) and _PLAIN.fullmatch(text.replace(",", "")):
                raise MoneyError(f"金额“{value}”无法识别：{COMMA_MESSAGE}")
            if not _THOUSANDS.fullmatch(text):
                raise MoneyError(f"无法识别的金额：{value}（只能填数字，可带“元”或“万元”）")
            text = text.replace(",", "")
        if not _PLAIN.fullmatch(text):
            if text.startswith("-") and _PLAIN.fullmatch(text[1:]):
                raise MoneyError("金额不能为负数")
            raise MoneyError(f"无法识别的金额：{value}（只能填数字，可带“元”或“万元”）")
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise MoneyError(f"无法识别的金额：{value}") from None
    if not amount.is_finite():
        raise MoneyError(f"无法识别的金额：{value}")
    if amount < 0:
        raise MoneyError("金额不能为负数")
    fen = amount * (FEN_PER_WAN if unit == "万元" else FEN_PER_YUAN)
    if fen != fen.to_integral_value():
        raise MoneyError("金额最多保留到分（元后两位小数）")
    if fen > 10**15:
        raise MoneyError("金额过大")
    return int(fen)


def money_problem(text: str) -> str | None:
    """Why a typed or pasted amount cannot be read (the money field says it), or None."""
    try:
        parse_yuan(text)
    except MoneyError as exc:
        return str(exc)
    return None


def fen_to_yuan_text(fen: int | None) -> str:
    if fen is None:
        return ""
    return f"{Decimal(fen) / FEN_PER_YUAN:.2f}"


def fen_to_wan(fen: int | None) -> float | None:
    """万元 with 4 decimals, as printed on the forms (:func:`wan` as a float, for JSON and Excel)."""
    w = wan(fen)
    return None if w is None else float(w)


def fen_to_wan_text(fen: int | None) -> str:
    w = wan(fen)
    return "" if w is None else f"{w}"
