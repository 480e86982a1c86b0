"""Qt enum values for the code that runs before the first paint, as plain ints.

Naming anything in PySide6's ``Qt`` namespace (``Qt.AlignCenter``, ``Qt.QueuedConnection``…) builds all 94 of
its Python enums at once: ~15 ms, a tenth of a cold start. The main window, the 工作台's frame and the operation
runner are built without it: where Qt takes an int (a data role, a connection type) or a property value, they
pass these; everything after the first paint names ``Qt`` as usual. tests/ui/test_first_paint.py checks each value
against Qt and that a start paints its window with ``Qt`` still unbuilt.
"""
ALIGN_CENTER = 0x0084  # Qt.AlignmentFlag.AlignCenter, for QLabel's "alignment" property
FOREGROUND_ROLE = 9  # Qt.ItemDataRole.ForegroundRole: an item's text colour (QColor)
QUEUED_CONNECTION = 2  # Qt.ConnectionType.QueuedConnection
TEXT_SELECTABLE_BY_MOUSE = 1  # Qt.TextInteractionFlag.TextSelectableByMouse, for "textInteractionFlags"
