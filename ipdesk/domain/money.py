"""Money: kept as integer 分 (fen), read from 元 or 万元, shown in 万元 with 4 decimals."""
from __future__ import annotations

from decimal import Decimal, InvalidOperation, ROUND_HALF_UP

FEN_PER_YUAN = 100
FEN_PER_WAN = 1_000_000


class MoneyError(ValueError):
    """The text is not an amount this module accepts; the message is Chinese."""


def parse_yuan(value, *, unit: str = "元") -> int:
    """Read an amount in 元 (or 万元 when ``unit='万元'``) and return 分.

    Refuses negative amounts and more precision than 1 分, never rounds silently.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return 0
    if isinstance(value, bool):
        raise MoneyError("金额不能是是/否")
    if isinstance(value, float):
        value = repr(value)
    text = str(value).strip().replace(",", "").replace("，", "")
    for suffix in ("万元", "元", "万"):
        if text.endswith(suffix):
            if suffix in ("万元", "万"):
                unit = "万元"
            text = text[: -len(suffix)].strip()
            break
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


def fen_to_yuan_text(fen: int | None) -> str:
    if fen is None:
        return ""
    return f"{Decimal(fen) / FEN_PER_YUAN:.2f}"


def fen_to_wan(fen: int | None) -> float | None:
    """万元 with 4 decimals, as printed on the forms."""
    if fen is None:
        return None
    return float((Decimal(fen) / FEN_PER_WAN).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP))


def fen_to_wan_text(fen: int | None) -> str:
    if fen is None:
        return ""
    return f"{(Decimal(fen) / FEN_PER_WAN).quantize(Decimal('0.0001'), rounding=ROUND_HALF_UP)}"
