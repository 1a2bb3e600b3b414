"""Ten horizontal probability bars, one per digit, painted from the palette.

From the keyboard: Tab shows a focus frame round the bars; a digit key keeps the drawing
as that digit; the arrows move a ring over the rows and say which digit Enter or Space
would keep; Enter or Space with no row picked keeps nothing and says how to pick one.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFocusEvent,
    QFont,
    QHelpEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
)
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from digitpad.ui.digit_keys import typed_digit
from digitpad.ui.verdict import a_digit

ROW_HEIGHT = 22
LABEL_WIDTH = 18
PERCENT_WIDTH = 44


ACCESSIBLE_NAME = "Probabilities for the digits 0 to 9"
CHOOSE_HINT = "Click a digit (or type it) to keep this drawing as that digit in your samples"
PICK_FIRST = "Type the digit this drawing really is, or pick it with \u2191 \u2193 and press Enter"


class ProbabilityBars(QWidget):
    """Bars for the digits 0-9; the most probable one is drawn in the highlight colour.

    Once ``set_choosable(True)``, a bar can be picked (clicked, or with the digit keys,
    the arrows and Enter while the bars have focus) to say which digit the drawing really
    is; the pick is emitted as ``digitChosen(int)``.
    """

    digitChosen = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._probabilities: tuple[float, ...] | None = None
        self._choosable = False
        self._greyed = False
        self._current_row: int | None = None  # the keyboard's row while the bars have focus
        self._pressed_row: int | None = None
        self._hover_row: int | None = None  # the row under the mouse, shown as pickable
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAccessibleName(ACCESSIBLE_NAME)

    def is_choosable(self) -> bool:
        return self._choosable

    def set_choosable(self, choosable: bool) -> None:
        """Let a person pick a digit's bar (pointing-hand cursor, focus, tooltip)."""
        self._choosable = choosable
        if choosable:
            self.setCursor(Qt.CursorShape.PointingHandCursor)
            self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            self.setAccessibleName(f"{ACCESSIBLE_NAME}. {CHOOSE_HINT}.")
            self.setToolTip(CHOOSE_HINT)
            self.setMouseTracking(True)
        else:
            self.unsetCursor()
            self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            self.setAccessibleName(ACCESSIBLE_NAME)
            self.setToolTip("")
            self.setMouseTracking(False)
            self._hover_row = None
        self.update()

    def is_greyed(self) -> bool:
        return self._greyed

    def set_greyed(self, greyed: bool) -> None:
        """Paint the bars in the palette's disabled colours, no highlight (the model says
        the picture is not a digit); they can still be picked."""
        self._greyed = greyed
        self.update()

    def digit_at(self, y: float) -> int | None:
        """The digit whose row holds the widget's y coordinate, or None outside them."""
        if not 0 <= y < self.height():
            return None
        return min(9, int(y * 10 // max(1, self.height())))

    def row_rect(self, digit: int) -> QRectF:
        """The widget area of ``digit``'s row (label, bar and percentage)."""
        row = self.height() / 10
        return QRectF(0, digit * row, self.width(), row)

    def probabilities(self) -> tuple[float, ...] | None:
        """The probabilities shown, or None when the bars are empty."""
        return self._probabilities

    def highlighted_digit(self) -> int | None:
        """The digit whose bar is highlighted (the most probable), or None."""
        if self._probabilities is None:
            return None
        return max(range(10), key=self._probabilities.__getitem__)

    def set_probabilities(self, probabilities: Sequence[float] | None) -> None:
        """Show ten probabilities, or empty bars for None."""
        if probabilities is not None and len(probabilities) != 10:
            raise ValueError(f"expected 10 probabilities, got {len(probabilities)}")
        self._probabilities = None if probabilities is None else tuple(map(float, probabilities))
        self.update()

    # ----- picking a digit ------------------------------------------------------------
    def mousePressEvent(self, event: QMouseEvent) -> None:
        if self._choosable and event.button() == Qt.MouseButton.LeftButton:
            self._pressed_row = self.digit_at(event.position().y())
            event.accept()
        else:
            super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        row = self.digit_at(event.position().y()) if self._choosable else None
        if row != self._hover_row:
            self._hover_row = row
            self.update()
        super().mouseMoveEvent(event)

    def leaveEvent(self, event: QEvent) -> None:
        self._hover_row = None
        self.update()
        super().leaveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        pressed, self._pressed_row = self._pressed_row, None
        if self._choosable and event.button() == Qt.MouseButton.LeftButton:
            # Released on the row it was pressed on: a click, not a drag away.
            if pressed is not None and self.digit_at(event.position().y()) == pressed:
                self.digitChosen.emit(pressed)
            event.accept()
        else:
            super().mouseReleaseEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key, digit = event.key(), typed_digit(event)
        if not self._choosable or event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            super().keyPressEvent(event)
        elif digit is not None:
            self._current_row = digit
            self.update()
            self.digitChosen.emit(digit)
        elif key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            up = key == Qt.Key.Key_Up
            if self._current_row is None:
                self._current_row = 9 if up else 0
            else:
                self._current_row = (self._current_row + (-1 if up else 1)) % 10
            self.update()
            row = self._current_row
            self._say(f"Enter keeps this drawing as {a_digit(row)} in your samples", row)
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            if self._current_row is None:
                self._say(PICK_FIRST)  # never a sample of a digit nobody named
            else:
                self.digitChosen.emit(self._current_row)
        else:
            super().keyPressEvent(event)

    def _say(self, text: str, row: int | None = None) -> None:
        """Show ``text`` beside the bars (at ``row``), and tell screen readers."""
        area = self.rect() if row is None else self.row_rect(row).toRect()
        # Not tied to this widget: a tooltip kept pointing at a widget deleted while it
        # faded out corrupted memory (seen as crashes in later windows of the tests).
        QToolTip.showText(self.mapToGlobal(area.topRight()), text)
        self.setAccessibleDescription(text)

    def focusInEvent(self, event: QFocusEvent) -> None:
        self.update()  # the focus frame
        super().focusInEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        self._current_row = None  # a row picked earlier is no answer to a later Enter
        self.setAccessibleDescription("")
        self.update()
        super().focusOutEvent(event)

    def event(self, event: QEvent) -> bool:
        if self._choosable and event.type() == QEvent.Type.ToolTip:
            assert isinstance(event, QHelpEvent)
            digit = self.digit_at(event.pos().y())
            if digit is not None:
                QToolTip.showText(
                    event.globalPos(),
                    f"Not right? Click to keep this drawing as {a_digit(digit)} in your samples",
                    self,
                    self.row_rect(digit).toRect(),
                )
                return True
        return super().event(event)

    def sizeHint(self) -> QSize:
        return QSize(220, ROW_HEIGHT * 10)

    def minimumSizeHint(self) -> QSize:
        return QSize(140, ROW_HEIGHT * 10)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        palette = QPalette(self.palette())
        if self._greyed:
            palette.setCurrentColorGroup(QPalette.ColorGroup.Disabled)
        top = None if self._greyed else self.highlighted_digit()
        bar_left = LABEL_WIDTH + 6
        bar_width = max(1.0, self.width() - bar_left - PERCENT_WIDTH - 4)
        row = self.height() / 10
        bold = QFont(painter.font())
        bold.setBold(True)
        if self._hover_row is not None:
            hover = QColor(palette.color(QPalette.ColorRole.Highlight))
            hover.setAlphaF(0.14)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(hover)
            painter.drawRoundedRect(self.row_rect(self._hover_row), 3, 3)
        for digit in range(10):
            y = digit * row
            value = 0.0 if self._probabilities is None else self._probabilities[digit]
            is_top = digit == top
            painter.setFont(bold if is_top else self.font())
            painter.setPen(palette.color(QPalette.ColorRole.WindowText))
            painter.drawText(
                QRectF(0, y, LABEL_WIDTH, row), Qt.AlignmentFlag.AlignCenter, str(digit)
            )
            track = QRectF(bar_left, y + row * 0.2, bar_width, row * 0.6)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(palette.color(QPalette.ColorRole.AlternateBase))
            painter.drawRoundedRect(track, 3, 3)
            if value >= 0.005:  # a bar for anything that rounds to at least 1%
                filled = QRectF(track)
                filled.setWidth(max(2.0, track.width() * value))
                role = QPalette.ColorRole.Highlight if is_top else QPalette.ColorRole.Mid
                painter.setBrush(palette.color(role))
                painter.drawRoundedRect(filled, 3, 3)
            if self._probabilities is not None:
                painter.setPen(palette.color(QPalette.ColorRole.WindowText))
                painter.drawText(
                    QRectF(bar_left + bar_width + 4, y, PERCENT_WIDTH, row),
                    Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                    f"{value:.0%}",
                )
        if self._choosable and self.hasFocus():
            painter.setBrush(Qt.BrushStyle.NoBrush)
            focus = QColor(palette.color(QPalette.ColorRole.Highlight))
            painter.setPen(focus)
            if self._current_row is not None:
                row_rect = self.row_rect(self._current_row).adjusted(1, 1, -1, -1)
                painter.drawRoundedRect(row_rect, 3, 3)
            focus.setAlphaF(0.6)
            painter.setPen(focus)
            painter.drawRoundedRect(QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5), 4, 4)
        painter.end()
