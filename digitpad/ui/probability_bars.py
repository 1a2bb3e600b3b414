"""Ten horizontal probability bars, one per digit, painted from the palette."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QFont, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QSizePolicy, QWidget

ROW_HEIGHT = 22
LABEL_WIDTH = 18
PERCENT_WIDTH = 44


class ProbabilityBars(QWidget):
    """Bars for the digits 0-9; the most probable one is drawn in the highlight colour."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._probabilities: tuple[float, ...] | None = None
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAccessibleName("Probabilities for the digits 0 to 9")

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

    def sizeHint(self) -> QSize:
        return QSize(220, ROW_HEIGHT * 10)

    def minimumSizeHint(self) -> QSize:
        return QSize(140, ROW_HEIGHT * 10)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        palette = self.palette()
        top = self.highlighted_digit()
        bar_left = LABEL_WIDTH + 6
        bar_width = max(1.0, self.width() - bar_left - PERCENT_WIDTH - 4)
        row = self.height() / 10
        bold = QFont(painter.font())
        bold.setBold(True)
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
        painter.end()
