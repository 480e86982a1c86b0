"""A :class:`~ipdesk.reports.layout.Block` as one flowable that draws its table straight on the canvas:
cell text broken into lines once with cached character widths, row heights measured once, the grid
drawn as merged line runs, all text of a page in one text object. Splits between rows (never inside a
row span) and repeats the header rows on every page.

reportlab's Table with a flowable per cell spent most of a 1,000-row 附件2 in per-cell
wrap/draw calls and state saves; this draws the same form in a fraction of that.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from itertools import accumulate

from reportlab.lib.rl_accel import escapePDF
from reportlab.pdfbase.pdfmetrics import getFont, stringWidth
from reportlab.platypus import Flowable

from .fonts import ReportFonts
from .layout import Block, place

# Runs of Latin letters and digits (dates, amounts, codes) stay whole where they fit; anything else
# (Chinese) may break between any two characters.
_TOKEN = re.compile(r"[A-Za-z0-9.\-/:%]+|\s+|.")
_NO_LINE_START = frozenset("，。、；：）》」』】”’！？,.;:)!?%")  # closing punctuation never starts a line
X_PAD = 2.0
GRID_WIDTH, BOX_WIDTH = 0.5, 1.0


class _Metrics:
    """Advance widths of one font at one size, measured once per character."""

    def __init__(self, font: str, size: float):
        self.font, self.size = font, size
        self._widths: dict[str, float] = {}

    def width(self, text: str) -> float:
        widths = self._widths
        total = 0.0
        for ch in text:
            w = widths.get(ch)
            if w is None:
                w = widths[ch] = stringWidth(ch, self.font, self.size)
            total += w
        return total


# Words of a name list or a case number: a run up to and including a separator (、，；, spaces) —
# lines break between them. Inside a word too wide for a cell: bracketed groups and Latin/digit runs whole.
_WORD = re.compile(r"[^、，；,;\s]+[、，；,;]*|\s+|[、，；,;]+")
_PIECE = re.compile(r"[〔（(【\[《][^〕）)】\]》]{0,12}[〕）)】\]》][号]?|[A-Za-z0-9.\-/:%]+[号]?|\s+|.")


def break_words(text: str, limit: float, m: _Metrics) -> list[tuple[str, float]]:
    """Like :func:`break_lines`, but a line ends only between words unless a word alone is wider."""
    lines: list[tuple[str, float]] = []
    for para in text.split("\n"):
        line, used = "", 0.0
        for word in _WORD.findall(para):
            w = m.width(word)
            fit = m.width(word.rstrip("、，；,;"))  # a separator may hang past the edge, as in print
            if used + fit <= limit or (used == 0 and word.isspace()):
                line, used = line + word, used + w
                continue
            if word.isspace():
                lines.append((line, used))
                line, used = "", 0.0
                continue
            if line:  # the word starts a line of its own (split below only if wider than the cell)
                lines.append((line.rstrip(), m.width(line.rstrip())))
                line, used = "", 0.0
                if fit <= limit:
                    line, used = word, w
                    continue
            pieces = []
            for piece in _PIECE.findall(word):  # a word wider than the cell: by pieces (by characters if need be)
                pieces += list(piece) if m.width(piece) > limit else [piece]
            for piece in pieces:
                pw = m.width(piece)
                if used + pw > limit and line and piece not in _NO_LINE_START:  # punctuation hangs
                    lines.append((line.rstrip(), m.width(line.rstrip())))
                    line, used = "", 0.0
                line, used = line + piece, used + pw
        lines.append((line.rstrip(), m.width(line.rstrip())))
    return lines


def break_lines(text: str, limit: float, m: _Metrics) -> list[tuple[str, float]]:
    """``text`` as lines no wider than ``limit`` (a single character may be): ``[(line, width)]``."""
    lines: list[tuple[str, float]] = []

    def push(line: str, used: float) -> None:
        kept = line.rstrip()
        lines.append((kept, used - m.width(line[len(kept):]) if len(kept) != len(line) else used))

    for para in text.split("\n"):
        line, used = "", 0.0
        for tok in _TOKEN.findall(para):
            w = m.width(tok)
            if used + w <= limit or (tok in _NO_LINE_START and used + w <= limit * 1.08):
                line, used = line + tok, used + w
                continue
            if line:
                push(line, used)
                tok = tok.lstrip()
                line, used, w = "", 0.0, m.width(tok)
            if w <= limit or len(tok) <= 1:
                line, used = tok, w
                continue
            for ch in tok:  # a token wider than the cell: break it by characters
                cw = m.width(ch)
                if used + cw > limit and line:
                    push(line, used)
                    line, used = "", 0.0
                line, used = line + ch, used + cw
        push(line, used)
    return lines


def _unbreakable(text: str) -> bool:
    """Dates, amounts, codes: text that reads badly when wrapped (ASCII without spaces)."""
    return bool(text) and text.isascii() and " " not in text and len(text) <= 24


def column_widths(block: Block, body, width: float, m: _Metrics, bold: _Metrics) -> list[float]:
    """The block's relative widths, widened where a column's dates/amounts/codes would wrap (totals
    in the footer are measured in their bold font: a sum is wider than any one amount)."""
    ncols = len(block.widths)
    need = [0.0] * ncols
    for row in body:
        for c, item in enumerate(row):
            if item is not None and item.colspan == 1 and _unbreakable(item.text):
                need[c] = max(need[c], (bold if item.bold else m).width(item.text) + 5)
    widths = [w * width / sum(block.widths) for w in block.widths]
    for _ in range(4):  # widen the narrow ones, take the room from the others in proportion
        short = [c for c in range(ncols) if widths[c] < need[c]]
        if not short:
            break
        extra = sum(need[c] - widths[c] for c in short)
        rest = [c for c in range(ncols) if c not in short and widths[c] > need[c]]
        spare = sum(widths[c] - need[c] for c in rest)
        take = min(extra, spare * 0.6)
        if take <= 0:
            break
        for c in short:
            widths[c] += (need[c] - widths[c]) * take / extra
        for c in rest:
            widths[c] -= (widths[c] - need[c]) * take / spare
    return widths


class _Laid:
    """A block measured once: column positions, each cell's lines, row heights, where pages may break."""

    def __init__(self, block: Block, fonts: ReportFonts, width: float, max_height: float | None = None):
        rows = block.header + block.body + block.footer
        ncols = len(block.widths)
        grid, _ = place(rows, ncols)
        self.nhead, self.nrows, self.ncols = len(block.header), len(grid), ncols
        size = self.size = block.font_size
        self.leading = size * (1.15 if size < 8 else 1.25)
        self.pad = 1.5 if size < 8 else 2.5
        body, bold = _Metrics(fonts.body.name, size), _Metrics(fonts.title.name, size)
        self.col_x = [0.0, *accumulate(column_widths(block, grid[self.nhead:], width, body, bold))]
        self.width = self.col_x[-1]
        # Top-left corner of the cell covering each position: no grid line inside a span.
        self.owner_row = [[r] * ncols for r in range(self.nrows)]
        self.owner_col = [list(range(ncols)) for _ in range(self.nrows)]
        self.cells: list[list[tuple]] = []
        heights = []
        wrapped: dict[tuple, list] = {}
        for r, row in enumerate(grid):
            out = []
            h = size * 1.15
            for c, item in enumerate(row):
                if item is None:
                    continue
                r1, c1 = min(r + item.rowspan, self.nrows) - 1, min(c + item.colspan, ncols) - 1
                if r1 > r or c1 > c:
                    for rr in range(r, r1 + 1):
                        for cc in range(c, c1 + 1):
                            self.owner_row[rr][cc], self.owner_col[rr][cc] = r, c
                if not item.text:
                    continue
                m = bold if item.bold or r < self.nhead else body
                limit = self.col_x[c1 + 1] - self.col_x[c] - 2 * X_PAD
                key = (item.text, m.font, limit, item.keep_words)
                lines = wrapped.get(key)
                if lines is None:
                    lines = wrapped[key] = (break_words if item.keep_words else break_lines)(item.text, limit, m)
                out.append((c, r1, c1, lines, m.font, item.align))
                if r1 == r:
                    h = max(h, self.leading * len(lines))
            self.cells.append(out)
            heights.append(h + 2 * self.pad)
        self.heights = heights
        self.cum = [0.0, *accumulate(heights)]  # cum[r]: height of rows before r
        self.head_height = self.cum[self.nhead]
        # A page may end before row r when no span crosses from r-1 into r.
        self.breaks = [all(o == r for o in self.owner_row[r]) for r in range(self.nrows)] + [True]
        self.joined = [False] * self.nrows  # a row continuing the one above (no line between them)
        if max_height:
            self._cut_tall_rows(max_height - self.head_height - 1)
        self._doc = self._encoded = None

    def _cut_tall_rows(self, room: float) -> None:
        """A body row taller than a page under the header (a very long 备注) continues over several
        rows that may fall on different pages; otherwise it could be placed nowhere. Pieces of a
        quarter page: the row starts right under the rows before it, not on a page of its own."""
        per_piece = max(1, int((room / 4 - 2 * self.pad) // self.leading))
        if not any(h > room for h in self.heights[self.nhead:]):
            return
        cells: list = []
        heights, owner_row, owner_col, breaks, joined = [], [], [], [], []
        for r in range(self.nrows):
            n = len(cells)
            alone = self.breaks[r] and self.breaks[r + 1]  # no row span crosses it
            if r < self.nhead or self.heights[r] <= room or not alone:
                cells.append([(c, n + r1 - r, c1, lines, font, align)
                              for c, r1, c1, lines, font, align in self.cells[r]])
                heights.append(self.heights[r])
                owner_row.append([n + o - r for o in self.owner_row[r]])
                owner_col.append(self.owner_col[r])
                breaks.append(self.breaks[r])
                joined.append(False)
                continue
            most = max(len(cell[3]) for cell in self.cells[r])
            for k, first in enumerate(range(0, most, per_piece)):
                piece = [(c, n + k, c1, lines[first:first + per_piece], font, align)
                         for c, _, c1, lines, font, align in self.cells[r] if lines[first:first + per_piece]]
                cells.append(piece)
                tallest = max(len(cell[3]) for cell in piece)
                heights.append(max(self.size * 1.15, self.leading * tallest) + 2 * self.pad)
                owner_row.append([n + k] * self.ncols)
                owner_col.append(self.owner_col[r])
                breaks.append(True)
                joined.append(k > 0)
        self.cells, self.heights, self.owner_row, self.owner_col, self.joined = \
            cells, heights, owner_row, owner_col, joined
        self.nrows = len(cells)
        self.breaks = breaks + [True]
        self.cum = [0.0, *accumulate(heights)]

    def encoder(self, canv):
        """``encode(font, text) -> [(subset font, 'Tj' operator)]`` for the canvas's document, each
        string encoded once: the documented way to write a dynamic (subset) TrueType font, as the
        canvas does for every string (the cells of a 附件2 repeat dates, units and categories)."""
        doc = canv._doc
        if doc is not self._doc:
            self._doc, self._encoded = doc, {}
        cache = self._encoded

        def encode(font_name: str, text: str):
            key = (font_name, text)
            ops = cache.get(key)
            if ops is None:
                font = getFont(font_name)
                ops = cache[key] = [(font.getSubsetInternalName(subset, doc), f"({escapePDF(chunk)}) Tj")
                                    for subset, chunk in font.splitString(text, doc)]
            return ops
        return encode


class GridTable(Flowable):
    """Rows ``start``..``end`` of a laid-out block (the header rows always come first)."""

    def __init__(self, laid: _Laid, start: int | None = None, end: int | None = None):
        super().__init__()
        self.laid = laid
        self.start = laid.nhead if start is None else start
        self.end = laid.nrows if end is None else end
        self.width = laid.width
        self.height = laid.head_height + laid.cum[self.end] - laid.cum[self.start]

    @classmethod
    def of(cls, block: Block, fonts: ReportFonts, width: float, max_height: float | None = None) -> "GridTable":
        """The whole block; ``max_height`` (a page's frame) cuts rows that would not fit on any page."""
        return cls(_Laid(block, fonts, width, max_height))

    def wrap(self, avail_width, avail_height):
        return self.width, self.height

    def split(self, avail_width, avail_height, min_rest: int = 0):
        """Rows that fit under the header here, and the rest (at least ``min_rest`` rows of it, when the
        rest goes to the next page with the signature block)."""
        laid = self.laid
        room = avail_height - laid.head_height - 1e-6
        k = min(self.end, bisect_right(laid.cum, laid.cum[self.start] + room) - 1)
        if k < self.end:
            k = min(k, self.end - min_rest)
        while k > self.start and not laid.breaks[k]:
            k -= 1
        if k <= self.start:
            return []  # not even one row fits under the header: next page
        if k >= self.end:
            return [self]
        return [GridTable(laid, self.start, k), GridTable(laid, k, self.end)]

    def split_last(self, rows: int = 3) -> tuple["GridTable", "GridTable"] | None:
        """These rows as two tables, the second holding (about) the last ``rows`` rows: what goes over to the
        next page with the signature block. None when there is no place to part them."""
        laid = self.laid
        k = self.end - rows
        while k > self.start and not laid.breaks[k]:
            k -= 1
        if k <= self.start:
            return None
        return GridTable(laid, self.start, k), GridTable(laid, k, self.end)

    def _rows(self) -> list[int]:
        return [*range(self.laid.nhead), *range(self.start, self.end)]

    def draw(self):
        laid = self.laid
        rows = self._rows()
        top, y = {}, self.height
        for r in rows:
            top[r] = y
            y -= laid.heights[r]
        self._draw_grid(rows, top)
        self._draw_text(rows, top)

    def _draw_grid(self, rows: list[int], top: dict[int, float]) -> None:
        laid, canv = self.laid, self.canv
        x = laid.col_x
        segments = []
        for r in rows[1:]:  # lines between rows; a row span has none inside it
            if laid.joined[r] and r != self.start:
                continue
            y, owner = top[r], laid.owner_row[r]
            run = None
            for c in range(laid.ncols):
                if owner[c] == r:
                    run = run if run is not None else c
                elif run is not None:
                    segments.append((x[run], y, x[c], y))
                    run = None
            if run is not None:
                segments.append((x[run], y, x[-1], y))
        for c in range(1, laid.ncols):  # lines between columns, merged down consecutive rows
            run_top = None
            for r in rows:
                if laid.owner_col[r][c] == c:
                    if run_top is None:
                        run_top = top[r]
                    run_bottom = top[r] - laid.heights[r]
                elif run_top is not None:
                    segments.append((x[c], run_top, x[c], run_bottom))
                    run_top = None
            if run_top is not None:
                segments.append((x[c], run_top, x[c], run_bottom))
        canv.setLineWidth(GRID_WIDTH)
        canv.lines(segments)
        canv.setLineWidth(BOX_WIDTH)
        canv.rect(0, 0, self.width, self.height, stroke=1, fill=0)
        if laid.nhead and self.start < self.end:
            canv.line(0, self.height - laid.head_height, self.width, self.height - laid.head_height)

    def _draw_text(self, rows: list[int], top: dict[int, float]) -> None:
        laid = self.laid
        x, heights, pad, leading, size = laid.col_x, laid.heights, laid.pad, laid.leading, laid.size
        ascent = size * 0.95
        encode = laid.encoder(self.canv)
        ops = ["BT"]
        current = None  # the font subset last set in this text object
        for r in rows:
            for c, r1, c1, lines, font, align in laid.cells[r]:
                x0, x1 = x[c], x[c1 + 1]
                inner = top[r] - (top[r1] - heights[r1]) - 2 * pad
                y = top[r] - pad - (inner - leading * len(lines)) / 2 - ascent  # centred in the cell
                for line, w in lines:
                    if line:
                        if align == "left":
                            tx = x0 + X_PAD
                        elif align == "right":
                            tx = x1 - X_PAD - w
                        else:
                            tx = (x0 + x1 - w) / 2
                        ops.append(f"1 0 0 1 {tx:.2f} {y:.2f} Tm")
                        for subset, chunk in encode(font, line):
                            if subset != current:
                                ops.append(f"{subset} {size:g} Tf")
                                current = subset
                            ops.append(chunk)
                    y -= leading
        ops.append("ET")
        self.canv.addLiteral("\n".join(ops))
