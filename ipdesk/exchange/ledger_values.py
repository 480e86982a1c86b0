"""Reading the values of a hand-kept ledger: dates in every common form, 元/万元 amounts, 是/否 flags.

Each reader returns a value or raises :class:`LedgerValueError` with a Chinese reason;
nothing else may escape (the property tests feed them arbitrary input).
"""
from __future__ import annotations

import math
import re
import unicodedata
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from ..domain.money import FEN_PER_WAN, FEN_PER_YUAN
from ..domain.identifiers import is_valid_id_number, is_valid_uscc

YUAN, WAN = "元", "万元"
MIN_YEAR, MAX_YEAR = 1980, 2100
MAX_FEN = 10**15
_EXCEL_EPOCH = date(1899, 12, 30)  # Excel's 1900 date system, after its fake 1900-02-29
# What hand-kept ledgers write for "nothing here".
BLANKS = frozenset({"", "-", "—", "——", "－", "/", "／", "\\", "无", "空", "暂无", "null", "None", "NULL", "n/a", "N/A"})
_LONGEST_BLANK = max(map(len, BLANKS)) + 2  # a longer text is never blank (spaces inside count)


class LedgerValueError(ValueError):
    """A cell that cannot be read; the message is the Chinese reason shown to the user."""


def clean_text(value) -> str:
    """Cell text with full-width forms folded (NFKC), spaces and line breaks removed at the ends."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFKC", str(value))
    return text.strip().strip("\u3000").strip()


def typed_text(value, *, multiline: bool = False) -> str:
    """Text as the clerk typed it (Chinese punctuation and full-width brackets kept): only the spaces at
    the ends go, and in a one-line field a line break (Alt+Enter in a narrow column) joins the lines."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # 文号 or a number typed into a text column
    text = str(value).strip().strip("\u3000").strip()
    if not multiline and "\n" in text:
        text = _LINE_BREAK.sub(_join_lines, text)
    return text


_LINE_BREAK = re.compile(r"[ \t\u3000]*\r?\n[ \t\u3000\r\n]*")


def _join_lines(m: re.Match) -> str:
    before = m.string[m.start() - 1] if m.start() else ""
    after = m.string[m.end()] if m.end() < len(m.string) else ""
    return "" if _is_cjk(before) or _is_cjk(after) else " "


def _is_cjk(ch: str) -> bool:
    return bool(ch) and ("\u3000" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef")


def is_blank(value) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        text = value.strip()
        return len(text) <= _LONGEST_BLANK and clean_text(text) in BLANKS
    return False


# ---- dates -------------------------------------------------------------------------------------
_CN_DIGITS = {"〇": 0, "零": 0, "○": 0, "Ｏ": 0, "O": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6,
              "七": 7, "八": 8, "九": 9}
_YMD = re.compile(r"^(\d{4})\s*[年.\-/。]\s*(\d{1,2})\s*[月.\-/。]\s*(\d{1,2})\s*[日号.。]?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_SERIAL = re.compile(r"^\d{5}(\.\d+)?$")
_TIME_TAIL = re.compile(r"[\sT]+\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$")
_CN_DATE = re.compile(r"^([〇零○O一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})[日号]$")


def _cn_number(text: str) -> int:
    """一 … 三十一 (month and day numbers as written in Chinese)."""
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)
    return _CN_DIGITS[text] if len(text) == 1 else int("".join(str(_CN_DIGITS[c]) for c in text))


def _make_date(year: int, month: int, day: int, shown) -> str:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise LedgerValueError(f"日期超出合理范围：{shown}")
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        raise LedgerValueError(f"日期不存在：{shown}") from None


def _serial_date(number: float, shown) -> str:
    if not math.isfinite(number) or number < 1 or number >= 2958466:
        raise LedgerValueError(f"日期无法识别：{shown}")
    day = _EXCEL_EPOCH + timedelta(days=int(number))
    return _make_date(day.year, day.month, day.day, shown)


def parse_ledger_date(value) -> str | None:
    """ISO ``YYYY-MM-DD`` for 2022.3.5, 2022-03-05, 2022/3/5, 2022年3月5日, 二〇二二年三月五日, 20220305,
    an Excel serial number or a date cell; None for an empty cell."""
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise LedgerValueError(f"日期无法识别：{value}")
    if isinstance(value, datetime):
        return _make_date(value.year, value.month, value.day, value.date().isoformat())
    if isinstance(value, date):
        return _make_date(value.year, value.month, value.day, value.isoformat())
    if isinstance(value, (int, float)):
        if isinstance(value, float) and not math.isfinite(value):
            raise LedgerValueError(f"日期无法识别：{value}")
        if value == int(value) and 10000101 <= value <= 99991231:
            n = int(value)
            return _make_date(n // 10000, n // 100 % 100, n % 100, n)
        return _serial_date(float(value), value)
    shown = str(value).strip()
    text = _TIME_TAIL.sub("", clean_text(value)).replace(" ", "") if len(shown) < 64 else shown
    m = _YMD.match(text) or _COMPACT.match(text)
    if m:
        return _make_date(int(m.group(1)), int(m.group(2)), int(m.group(3)), shown)
    m = _CN_DATE.match(text)
    if m:
        try:
            return _make_date(_cn_number(m.group(1)), _cn_number(m.group(2)), _cn_number(m.group(3)), shown)
        except KeyError:
            pass
    if _SERIAL.match(text):
        return _serial_date(float(text), shown)
    raise LedgerValueError(f"日期无法识别：{shown[:40]}")


# ---- amounts -----------------------------------------------------------------------------------
_CURRENCY = re.compile(r"^[¥￥]|人民币")


# 金额单位：万元 / （单位：元）/ 单位为万元, but not 填报单位：元宝山区… (a unit of the bureau, not of money):
# 单位 stands alone or after 金额/货币, and 元 is not the first character of a place name.
_UNIT_LINE = re.compile(r"(?:(金额|货币|计量|计价)|(?<![\u4e00-\u9fff]))单位\s*(?:[:：]|为|是)\s*(?:人民币)?\s*(万元|元)"
                        r"(?![\u4e00-\u9fff])")


def unit_line_of(text) -> str | None:
    """The money unit a line above a table states (``金额单位：万元``), else None."""
    if not isinstance(text, str):
        return None
    m = _UNIT_LINE.search(clean_text(text))
    return m.group(2) if m else None


def money_unit_of(text: str) -> str | None:
    """The money unit a header or a unit row names: 万元, 元, or None."""
    text = clean_text(text)
    if "万元" in text or re.search(r"[(（]\s*万\s*[)）]", text):
        return WAN
    if "元" in text:
        return YUAN
    return None


def parse_ledger_amount(value, unit: str = YUAN) -> int:
    """分 for an amount in ``unit`` (元 or 万元); the cell may say its own unit (1.5万元, 3,000元).

    An empty cell is 0. Negative amounts and amounts finer than 1 分 are refused; a float
    cell's binary noise below 0.01 分 is rounded away (Excel stores 0.35 as 0.35000000000000003).
    """
    if is_blank(value):
        return 0
    if isinstance(value, bool):
        raise LedgerValueError(f"金额无法识别：{value}")
    from_float = isinstance(value, float)
    if isinstance(value, (int, float)):
        if from_float and not math.isfinite(value):
            raise LedgerValueError(f"金额无法识别：{value}")
        text = repr(value) if from_float else str(value)
    else:
        text = _CURRENCY.sub("", clean_text(value)).replace(",", "").replace(" ", "").strip()
        if text.count("。") == 1:  # the decimal point as a Chinese input method types it
            text = text.replace("。", ".")
        for suffix, suffix_unit in (("万元", WAN), ("万", WAN), ("元", YUAN)):
            if text.endswith(suffix):
                text, unit = text[: -len(suffix)], suffix_unit
                break
    shown = str(value).strip()[:40]
    if len(text) > 40:
        raise LedgerValueError(f"金额无法识别：{shown}")
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise LedgerValueError(f"金额无法识别：{shown}") from None
    if not amount.is_finite():
        raise LedgerValueError(f"金额无法识别：{shown}")
    if amount < 0:
        raise LedgerValueError(f"金额不能为负数：{shown}")
    if amount > Decimal(MAX_FEN):
        raise LedgerValueError(f"金额过大：{shown}")
    fen = amount * (FEN_PER_WAN if unit == WAN else FEN_PER_YUAN)
    whole = fen.to_integral_value()
    if fen != whole:
        if not (from_float and abs(fen - whole) < Decimal("0.01")):
            raise LedgerValueError(f"金额精度超过1分：{shown}（{unit}）")
    if whole > MAX_FEN:
        raise LedgerValueError(f"金额过大：{shown}")
    return int(whole)


def fen_as_yuan_text(fen: int) -> str:
    """The 元 text the desk's money fields read (``Desk.save`` takes money in 元)."""
    return str(Decimal(fen) / FEN_PER_YUAN)


# ---- flags -------------------------------------------------------------------------------------
_YES = frozenset({"是", "√", "✓", "✔", "☑", "y", "yes", "1", "有", "true", "对", "●"})
_NO = frozenset({"否", "×", "✗", "✘", "x", "n", "no", "0", "不是", "false", "非"})


# Where an e-commerce case was found: a platform named in the 是否电商 column means 是.
PLATFORMS = ("淘宝", "天猫", "京东", "拼多多", "抖音", "快手", "微信", "闲鱼", "1688", "阿里巴巴", "苏宁", "唯品会",
             "小红书", "美团", "饿了么", "微店", "网店", "直播", "电商", "网络销售", "网购", "网上")


def parse_flag(value, *, platforms: bool = False) -> int:
    """1 for 是/√/✓/Y/有, 0 for 否/×/N/空, 是（淘宝）; with ``platforms`` (the 电商 column) a platform's name
    (拼多多, 抖音直播 …) is 是. Anything else is refused."""
    if is_blank(value):
        return 0
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if value in (0, 1):
            return int(value)
        raise LedgerValueError(f"无法识别的是/否：{value}")
    text = clean_text(value).lower()
    if text in _YES:
        return 1
    if text in _NO:
        return 0
    bare = re.sub(r"[(（\[【].*$", "", text).strip()  # 是（淘宝）, 否(线下)
    if bare in _YES or text.startswith("是"):
        return 1
    if bare in _NO or text.startswith(("否", "不", "非", "无")):
        return 0
    if platforms and any(p in text for p in PLATFORMS):
        return 1
    raise LedgerValueError(f"无法识别的是/否：{str(value).strip()[:20]}")


# ---- party identifiers -------------------------------------------------------------------------
_SCIENTIFIC = re.compile(r"^\d(\.\d+)?[eE]\+?\d+$")
REGISTRATION_DIGITS = 15  # 工商注册号, the code before the 统一社会信用代码 (GB 32100-2015)


def read_party_id(value) -> str:
    """The 统一社会信用代码 / 身份证号 / 注册号 as text; refuses a number whose last digits Excel lost.

    Excel keeps 15 significant digits of a number: an 18-digit 身份证号 typed into a number cell is stored
    as 1.50602199001011E+17 (or shows 150602199001011000), and the digits it dropped cannot be recovered.
    A 15-digit 注册号 fits and is kept.
    """
    if isinstance(value, bool):
        raise LedgerValueError(f"统一社会信用代码/身份证号无法识别：{value}")
    if isinstance(value, (int, float)):
        if isinstance(value, float) and (not math.isfinite(value) or not value.is_integer()):
            raise LedgerValueError(f"统一社会信用代码/身份证号无法识别：{value}")
        digits = str(int(value))
        if len(digits) > REGISTRATION_DIGITS:
            raise LedgerValueError(_lost_digits(f"{value:.14E}" if isinstance(value, float) else digits))
        return digits
    text = clean_text(value).replace(" ", "").upper()
    if _SCIENTIFIC.match(text):
        raise LedgerValueError(_lost_digits(str(value).strip()))
    if len(text) == 18 and text.isdigit() and text.endswith("000"):
        if not (is_valid_id_number(text) or is_valid_uscc(text)):
            raise LedgerValueError(_lost_digits(text))
    return typed_text(value).replace(" ", "")


def _lost_digits(shown: str) -> str:
    return (f"身份证号/统一社会信用代码被 Excel 存成了数字，末几位已丢失（{shown[:24]}）："
            "请把该列设为“文本”格式，按原件重新录入")
