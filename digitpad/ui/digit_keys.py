"""Which digit a key press types: the one rule for "type the digit" everywhere."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent


def typed_digit(event: QKeyEvent) -> int | None:
    """The digit a key press types (main row or keypad, no Ctrl/Alt/Shift), else None."""
    if event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
        return None
    key = event.key()
    return key - Qt.Key.Key_0 if Qt.Key.Key_0 <= key <= Qt.Key.Key_9 else None
