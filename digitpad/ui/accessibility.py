"""Telling screen readers about a new answer without moving the focus."""

from __future__ import annotations

from PySide6 import QtGui
from PySide6.QtGui import QAccessible, QAccessibleEvent
from PySide6.QtWidgets import QWidget

# Qt 6.8 added announcements; older Qt gets a description-changed event instead.
_ANNOUNCEMENT = getattr(QtGui, "QAccessibleAnnouncementEvent", None)


def announce_to_screen_readers(widget: QWidget, message: str) -> None:
    """Have assistive technology read ``message`` (set as the widget's description too)."""
    widget.setAccessibleDescription(message)
    if _ANNOUNCEMENT is not None:
        QAccessible.updateAccessibility(_ANNOUNCEMENT(widget, message))
    else:
        QAccessible.updateAccessibility(
            QAccessibleEvent(widget, QAccessible.Event.DescriptionChanged)
        )
