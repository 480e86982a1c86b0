"""Windows sized to the screen the clerk has.

The commonest office laptop is 1366×768; Windows' taskbar leaves ~728 pixels of it and each window's title bar
and border take ~31 and ~8 more. A window asks for the size it would like and gets at most what is there;
its contents scroll inside (QScrollArea) so its buttons stay on screen.
"""
from __future__ import annotations

from PySide6.QtCore import QRect
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

TITLE_BAR = 31  # the frame Windows adds above a window's client area (96 dpi; Qt sizes the client area)
BORDER = 8  # each side and the bottom, counted once for the left and right together


def available_geometry(widget: QWidget | None = None) -> QRect:
    """The usable part (without taskbar) of the screen ``widget`` is on, its parent's, or the primary one."""
    screen = None
    while widget is not None and screen is None:
        screen = widget.screen() if widget.isVisible() else None
        widget = widget.parentWidget()
    screen = screen or QGuiApplication.primaryScreen()
    return screen.availableGeometry()


def client_limit(widget: QWidget | None = None) -> tuple[int, int]:
    """The largest client area (width, height) whose framed window fits the available screen."""
    area = available_geometry(widget)
    return area.width() - 2 * BORDER, area.height() - TITLE_BAR - BORDER


def fit_size(widget: QWidget, width: int, height: int, *, parent: QWidget | None = None) -> None:
    """Resize ``widget`` to ``width``×``height``, or to the available screen where that is smaller, and keep
    it within the screen. Its minimum size is lowered to fit as well (the contents scroll instead)."""
    max_w, max_h = client_limit(parent or widget.parentWidget() or widget)
    w, h = min(width, max_w), min(height, max_h)
    minimum = widget.minimumSize()
    if minimum.width() > max_w or minimum.height() > max_h:
        widget.setMinimumSize(min(minimum.width(), max_w), min(minimum.height(), max_h))
    widget.resize(w, h)
    area = available_geometry(parent or widget.parentWidget() or widget)
    geo = widget.geometry()
    if not area.contains(QRect(geo.x(), geo.y() - TITLE_BAR, w, h + TITLE_BAR)):
        # Centred on the usable area (a dialog with a parent is re-centred over it by Qt when shown).
        widget.move(area.x() + max((area.width() - w) // 2, BORDER),
                    area.y() + max((area.height() - h - TITLE_BAR) // 2, 0) + TITLE_BAR)


def fits(widget: QWidget, area: QRect | None = None) -> bool:
    """Whether ``widget``'s window, with the frame Windows gives it, lies inside the usable screen."""
    area = area or available_geometry(widget)
    frame = widget.frameGeometry()
    if frame == widget.geometry():  # no window manager frame (offscreen): count Windows' own
        frame = frame.adjusted(-BORDER // 2, -TITLE_BAR, BORDER // 2, BORDER // 2)
    return frame.width() <= area.width() and frame.height() <= area.height()
