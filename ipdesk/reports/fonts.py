"""Embeddable TrueType CJK fonts for the printed forms: a title font (黑体 / 小标宋 role) and a body
font (仿宋 / 宋体 role), found on the system or set in 设置 (``print_font`` / ``print_title_font``).

Only TrueType outlines are used: reportlab embeds a subset, so the PDF prints and copies the same on
every PC. The CID fonts (STSong-Light) are never used (not embedded), and CFF fonts (Noto CJK, Source
Han, most .otf) cannot be read by reportlab.
"""
from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

from ..errors import IpdeskError

# (file name, subfont index) in order of preference; names are matched case-insensitively.
TITLE_FILES = (
    ("FZXBSJW.TTF", 0), ("方正小标宋简体.ttf", 0), ("方正小标宋_GBK.ttf", 0),
    ("simhei.ttf", 0),
    ("wqy-microhei.ttc", 0), ("wqy-zenhei.ttc", 0), ("uming.ttc", 0),
)
BODY_FILES = (
    ("仿宋_GB2312.ttf", 0), ("FS_GB2312.ttf", 0), ("simfang.ttf", 0), ("simsun.ttc", 0),
    ("simkai.ttf", 0), ("uming.ttc", 0), ("wqy-zenhei.ttc", 0), ("wqy-microhei.ttc", 0),
    ("simhei.ttf", 0),
)

INSTALL_HINT = ("请安装中文字体后重试：Windows 系统自带 仿宋（simfang.ttf）、黑体（simhei.ttf）、宋体（simsun.ttc），"
                "位于 C:\\Windows\\Fonts；Linux 请安装 fonts-wqy-microhei 或 fonts-arphic-uming。"
                "也可在“设置—打印字体”中指定一个 TrueType 字体文件（.ttf/.ttc；"
                "思源、Noto 等 OpenType/CFF 字体不能嵌入）。")


@dataclass(frozen=True)
class FontChoice:
    """A registered reportlab font: ``name`` is what styles use; ``path`` what was found."""

    name: str
    path: str
    subfont: int = 0


@dataclass(frozen=True)
class ReportFonts:
    title: FontChoice  # 黑体 role: titles, headers of parts, bold rows
    body: FontChoice   # 仿宋/宋体 role: cells and notes


def font_dirs() -> list[Path]:
    """Where system and per-user fonts live on this platform."""
    dirs: list[Path] = []
    if sys.platform.startswith("win"):
        windir = os.environ.get("WINDIR") or os.environ.get("SystemRoot") or r"C:\Windows"
        dirs.append(Path(windir) / "Fonts")
        local = os.environ.get("LOCALAPPDATA")
        if local:
            dirs.append(Path(local) / "Microsoft" / "Windows" / "Fonts")
    elif sys.platform == "darwin":
        dirs += [Path("/Library/Fonts"), Path.home() / "Library" / "Fonts", Path("/System/Library/Fonts")]
    else:
        dirs += [Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), Path.home() / ".fonts",
                 Path.home() / ".local" / "share" / "fonts"]
    return [d for d in dirs if d.is_dir()]


def _index(dirs: list[Path]) -> dict[str, Path]:
    """Font file name (lower case) -> first path found; sub-folders are searched (Linux keeps fonts in them)."""
    found: dict[str, Path] = {}
    for d in dirs:
        for root, _, files in os.walk(d):
            for f in files:
                if f.lower().endswith((".ttf", ".ttc")):
                    found.setdefault(f.lower(), Path(root) / f)
    return found


_REGISTERED: dict[tuple[str, int], str] = {}


def register(path: str | Path, subfont: int = 0) -> FontChoice:
    """Register a TrueType font with reportlab (once per file); refuses what cannot be embedded."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFError, TTFont

    path = str(path)
    key = (os.path.abspath(path), subfont)
    if key in _REGISTERED:
        return FontChoice(_REGISTERED[key], path, subfont)
    if not os.path.isfile(path):
        raise IpdeskError(f"字体文件不存在：{path}。" + INSTALL_HINT, f"font file not found: {path}")
    name = f"ipdesk-{len(_REGISTERED) + 1}-{Path(path).stem}-{subfont}"
    try:
        font = TTFont(name, path, subfontIndex=subfont)
    except (TTFError, OSError, ValueError, KeyError) as exc:
        raise IpdeskError(f"字体文件不能嵌入PDF：{path}（{exc}）。" + INSTALL_HINT,
                          f"font cannot be embedded: {path}: {exc}") from None
    if 0x4E2D not in font.face.charToGlyph:  # '中': a font without Chinese prints empty boxes
        raise IpdeskError(f"字体文件不含中文字形：{path}。" + INSTALL_HINT, f"font has no CJK glyphs: {path}")
    pdfmetrics.registerFont(font)
    _REGISTERED[key] = name
    return FontChoice(name, path, subfont)


def _first_usable(candidates, index: dict[str, Path]) -> FontChoice | None:
    for file_name, subfont in candidates:
        path = index.get(file_name.lower())
        if path is None:
            continue
        try:
            return register(path, subfont)
        except IpdeskError:
            continue  # a damaged or CFF file: try the next one
    return None


_CACHE: dict[tuple, ReportFonts] = {}


def find_fonts(body_path: str | None = None, title_path: str | None = None,
               dirs: list[Path] | None = None) -> ReportFonts:
    """The fonts to print with. A path set by the user must work (else a clear refusal); otherwise the
    best system font for each role, the body font doubling as title font when no 黑体 is present."""
    key = (body_path or "", title_path or "", tuple(map(str, dirs)) if dirs is not None else None)
    if key in _CACHE:
        return _CACHE[key]
    index = _index(font_dirs() if dirs is None else dirs)
    body = register(body_path) if body_path else _first_usable(BODY_FILES, index)
    title = register(title_path) if title_path else _first_usable(TITLE_FILES, index)
    if body is None and title is None:
        raise IpdeskError("找不到可以嵌入PDF的中文字体。" + INSTALL_HINT, "no embeddable CJK TrueType font found")
    fonts = ReportFonts(title=title or body, body=body or title)
    _CACHE[key] = fonts
    return fonts


def fonts_for(desk=None) -> ReportFonts:
    """The fonts for a desk: its 设置 first (``print_font``, ``print_title_font``), then the system."""
    body = title = None
    if desk is not None:
        body = desk.setting("print_font") or None
        title = desk.setting("print_title_font") or None
    return find_fonts(body, title)
