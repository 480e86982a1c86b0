"""How tall an Excel row must be to show its wrapped text.

Excel (and LibreOffice) do not re-fit the rows of a file written by XlsxWriter: a wrapped cell in a row
of default height shows its first line only and the rest is cut off or overlaps. So the writer sets each
row's height itself, estimated from the text and the column width:

- text width in half-width units: a CJK / full-width character is 2, ASCII and digits 1 (宋体 draws
  ASCII at exactly half a CJK character). Measured as the text's length in GB18030 bytes: 2 for CJK
  characters and full-width punctuation, 1 for ASCII; rarer characters count 4, which only errs towards
  a taller row;
- a column ``w`` Excel characters wide is ``7w + 5`` pixels (the "0" of Calibri 11 is 7 px), of which
  ~5 px are margins and grid line, so a line holds ``7w`` px; a half-width unit of ``s``-point text is
  ``s × 2/3`` px at 96 dpi (6.7 px at 10 pt: a CJK character ≈ 2 column characters);
- lines = each explicit line (``\\n``) wrapped at that width; a wide character never splits, so a line
  holding one may lose its last unit (Latin word wrapping is not modelled: the forms' text is Chinese,
  codes and numbers);
- height = lines × 1.3 × font size + 2 pt (13 pt a line at 10 pt: a little above the pitch of 宋体 in Excel
  and of WenQuanYi in LibreOffice, ~12 pt; one line is exactly the 15 pt default), at least the default
  row height, at most Excel's 409 pt.

LibreOffice on a machine without Calibri's metric twin Carlito (``fonts-crosextra-carlito``) draws
columns ~1/3 wider than Excel does, and without 宋体 draws ASCII proportionally; Excel with 宋体 is what
the estimate is for.
"""
from __future__ import annotations

DEFAULT_ROW_HEIGHT = 15.0  # a row whose height is not set (XlsxWriter's and Excel's default)
MAX_ROW_HEIGHT = 409.0  # Excel refuses taller rows
LINE_PITCH = 1.3  # line height per point of font size
PADDING = 2.0  # points above and below the lines


def text_width(text: str) -> int:
    """Width of ``text`` in half-width units (CJK and full-width 2, ASCII 1)."""
    return len(text.encode("gb18030", errors="replace"))


def line_capacity(width: float, font_size: float) -> int:
    """Half-width units of ``font_size``-point text one line holds in a column ``width`` characters wide:
    7·width px over (size·2/3) px a unit, at least one wide character."""
    return max(2, int(width * 10.5 / font_size))


def line_count(text: str, cap: int) -> int:
    """Lines ``text`` takes when wrapped at ``cap`` half-width units a line (see :func:`line_capacity`)."""
    if "\n" not in text:
        if len(text) * 2 <= cap:  # fits on one line whatever its characters (the common case)
            return 1
        parts = [text]
    else:
        parts = [part.rstrip("\r") for part in text.split("\n")]
    lines = 0
    for part in parts:
        units = text_width(part)
        if units <= cap:
            lines += 1
            continue
        wide = units - len(part)  # characters of width 2 (GB18030 two-byte ones)
        # All-wide text in an even width fills lines exactly; otherwise a wide character may not fit
        # the last unit of a line.
        usable = cap if wide == 0 or (wide * 2 == units and cap % 2 == 0) else cap - 1
        lines += -(-units // usable)
    return lines


def row_height(lines: int, font_size: float, minimum: float = DEFAULT_ROW_HEIGHT) -> float:
    """Points needed for ``lines`` lines of ``font_size`` text, within [minimum, Excel's maximum]."""
    needed = round(lines * LINE_PITCH * font_size + PADDING, 2)
    return min(MAX_ROW_HEIGHT, max(minimum, needed))


def text_height(text: str, width: float, font_size: float, minimum: float = DEFAULT_ROW_HEIGHT) -> float:
    """Points a row needs to show ``text`` wrapped in a column (or merged columns) ``width`` wide."""
    return row_height(line_count(text, line_capacity(width, font_size)), font_size, minimum)
