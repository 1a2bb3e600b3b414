"""The window's toolbars: every button reachable with Tab, and rows that wrap.

One long toolbar overflowed a small window into a pop-up row that covered the answer
(and kept Esc from reaching the canvas). Instead the tools come in a few short
toolbars, and ``ToolbarWrapping`` starts a new row before any that would not fit, so
from the minimum size to full screen every control is on screen and nothing overlaps.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QObject, QRectF, Qt
from PySide6.QtGui import QActionEvent, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QMainWindow, QSlider, QToolBar, QToolButton, QWidget

# Room the toolbar area keeps beside its toolbars (handles and margins), in pixels.
_ROW_SLACK = 8
# The styles draw no focus frame on flat toolbar buttons; this one follows the theme.
_FOCUS_FRAME = "QToolButton:focus { border: 2px solid palette(highlight); border-radius: 4px; }"


class FocusableToolBar(QToolBar):
    """A fixed toolbar whose buttons take Tab focus like any other control.

    QToolBar makes its buttons unreachable from the keyboard; here every button, also
    one for an action added later (a newly loaded model's headline choice), gets
    ``TabFocus`` and so shows the style's focus frame when tabbed to.
    """

    def __init__(self, title: str, name: str, parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.setObjectName(name)
        self.setMovable(False)
        self.setFloatable(False)
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.setStyleSheet(_FOCUS_FRAME)

    def actionEvent(self, event: QActionEvent) -> None:
        super().actionEvent(event)
        if event.type() == QEvent.Type.ActionAdded:
            button = self.widgetForAction(event.action())
            # Buttons only: a separator or a label given focus is a Tab stop showing none.
            if isinstance(button, QToolButton) and button.focusPolicy() == Qt.FocusPolicy.NoFocus:
                button.setFocusPolicy(Qt.FocusPolicy.TabFocus)


class FocusSlider(QSlider):
    """A slider that shows keyboard focus with the same highlight ring as the buttons
    (the styles draw none on a toolbar slider)."""

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if self.hasFocus():
            painter = QPainter(self)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            painter.setPen(QPen(self.palette().color(QPalette.ColorRole.Highlight), 2))
            painter.drawRoundedRect(QRectF(self.rect()).adjusted(1, 1, -1, -1), 4, 4)
            painter.end()


def row_breaks(widths: Sequence[int], available: int) -> list[bool]:
    """For each toolbar, whether it starts a new row: greedy rows no wider than
    ``available``, the first toolbar always on the first row."""
    breaks: list[bool] = []
    row = 0
    for index, width in enumerate(widths):
        starts_row = index > 0 and row + width > available
        breaks.append(starts_row)
        row = width if starts_row else row + width
    return breaks


class ToolbarWrapping(QObject):
    """Keeps ``toolbars`` (all in the window's top area, in order) in as few rows as fit."""

    def __init__(self, window: QMainWindow, toolbars: Sequence[QToolBar]) -> None:
        super().__init__(window)
        self._window = window
        self._toolbars = list(toolbars)
        window.installEventFilter(self)

    def rows(self) -> int:
        return 1 + sum(self._window.toolBarBreak(toolbar) for toolbar in self._toolbars[1:])

    def update_rows(self) -> None:
        """Re-pack the toolbars for the window's current width."""
        widths = [toolbar.sizeHint().width() for toolbar in self._toolbars]
        available = self._window.width() - _ROW_SLACK
        for toolbar, starts_row in zip(self._toolbars, row_breaks(widths, available), strict=True):
            if starts_row != self._window.toolBarBreak(toolbar):
                if starts_row:
                    self._window.insertToolBarBreak(toolbar)
                else:
                    self._window.removeToolBarBreak(toolbar)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # The event's kind first, and the window looked up defensively: Qt still sends
        # events while the window is being destroyed, after this object's Python
        # attributes are gone.
        if event.type() in (QEvent.Type.Resize, QEvent.Type.Show) and watched is getattr(
            self, "_window", None
        ):
            self.update_rows()
        return False
