"""One transform's curves: each model's top probability and one digit's, across the range.

Painted with QPainter like the rest of the window. Solid lines are the probability of
whatever digit the model reads at each amount; dashed lines the probability of the digit
being followed (what the drawing is). Each model keeps its colour on every plot and next
to its bars, so two models' curves read apart at a glance.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPainterPath, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from digitpad.core import MODEL_COLOURS, Sweep

_MARGIN_LEFT, _MARGIN_RIGHT, _MARGIN_TOP, _MARGIN_BOTTOM = 30, 16, 20, 18


def model_colours(names: list[str]) -> dict[str, QColor]:
    """Each model's colour, by its place in the display order."""
    return {name: QColor(MODEL_COLOURS[i % len(MODEL_COLOURS)]) for i, name in enumerate(names)}


class RobustnessPlot(QWidget):
    """A small plot of one ``Sweep``; clicking it picks the transform and the amount.

    Signals
    -------
    amountPicked(int)
        The index of the amount nearest the click.
    """

    amountPicked = Signal(int)

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._title = title
        self._sweep: Sweep | None = None
        self._digit: int | None = None
        self._colours: dict[str, QColor] = {}
        self._position: int | None = None
        self._selected = False
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setAccessibleName(f"{title}: how each model's probability moves")

    def set_sweep(self, sweep: Sweep | None, digit: int | None, colours: dict[str, QColor]) -> None:
        """Plot ``sweep`` (None: empty), following ``digit`` with the dashed lines."""
        self._sweep, self._digit, self._colours = sweep, digit, colours
        self.update()

    def set_position(self, index: int | None) -> None:
        """Mark the amount the slider is at (None: no marker)."""
        self._position = index
        self.update()

    def set_selected(self, selected: bool) -> None:
        self._selected = selected
        self.update()

    def is_selected(self) -> bool:
        return self._selected

    def curves(self, model: str) -> tuple[np.ndarray, np.ndarray]:
        """``model``'s plotted values: the top probability and the followed digit's, per amount."""
        if self._sweep is None or self._digit is None:
            raise ValueError("nothing plotted")
        probabilities = self._sweep.probabilities(model)
        return probabilities.max(axis=1), probabilities[:, self._digit]

    def sizeHint(self) -> QSize:
        return QSize(280, 150)

    def minimumSizeHint(self) -> QSize:
        return QSize(160, 100)

    def _area(self) -> QRectF:
        return QRectF(self.rect()).adjusted(
            _MARGIN_LEFT, _MARGIN_TOP, -_MARGIN_RIGHT, -_MARGIN_BOTTOM
        )

    def _x(self, index: float, count: int, area: QRectF) -> float:
        return area.left() + area.width() * (index / max(count - 1, 1))

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if self._sweep is None or event.button() != Qt.MouseButton.LeftButton:
            super().mousePressEvent(event)
            return
        area, count = self._area(), len(self._sweep.transform.amounts)
        fraction = (event.position().x() - area.left()) / max(area.width(), 1.0)
        self.amountPicked.emit(round(min(max(fraction, 0.0), 1.0) * (count - 1)))

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        text = palette.color(QPalette.ColorRole.WindowText)
        painter.fillRect(self.rect(), palette.color(QPalette.ColorRole.Base))
        if self._selected:
            painter.setPen(QPen(palette.color(QPalette.ColorRole.Highlight), 2))
            painter.drawRect(QRectF(self.rect()).adjusted(1, 1, -1, -1))
        painter.setPen(text)
        painter.drawText(
            QRectF(6, 2, self.width() - 12, _MARGIN_TOP - 2),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            self._title,
        )
        area = self._area()
        self._paint_axes(painter, area)
        if self._sweep is None or self._digit is None:
            return
        transform = self._sweep.transform
        count = len(transform.amounts)
        grid = QColor(text)
        grid.setAlpha(90)
        painter.setPen(QPen(grid, 1, Qt.PenStyle.DotLine))
        rest_x = self._x(transform.rest, count, area)
        painter.drawLine(QPointF(rest_x, area.top()), QPointF(rest_x, area.bottom()))
        for model, colour in self._colours.items():
            if model not in self._sweep.predictions[0].answers:
                continue
            top, followed = self.curves(model)
            self._paint_curve(painter, area, followed, QPen(colour, 1.6, Qt.PenStyle.DashLine))
            self._paint_curve(painter, area, top, QPen(colour, 2.0))
        if self._position is not None:
            marker = QColor(text)  # neither model's colour: the slider's place on both
            marker.setAlpha(140)
            painter.setPen(QPen(marker, 3))
            x = self._x(self._position, count, area)
            painter.drawLine(QPointF(x, area.top()), QPointF(x, area.bottom()))
        painter.setPen(text)
        first, last = transform.amounts[0], transform.amounts[-1]
        label_rect = QRectF(area.left() - 8, area.bottom() + 1, area.width() + 14, _MARGIN_BOTTOM)
        painter.drawText(label_rect, Qt.AlignmentFlag.AlignLeft, f"{first:g}")
        painter.drawText(label_rect, Qt.AlignmentFlag.AlignHCenter, transform.unit)
        painter.drawText(label_rect, Qt.AlignmentFlag.AlignRight, f"{last:g}")

    def _paint_axes(self, painter: QPainter, area: QRectF) -> None:
        text = self.palette().color(QPalette.ColorRole.WindowText)
        faint = QColor(text)
        faint.setAlpha(50)
        for value in (0.0, 0.5, 1.0):
            y = area.bottom() - area.height() * value
            painter.setPen(faint)
            painter.drawLine(QPointF(area.left(), y), QPointF(area.right(), y))
            painter.setPen(text)
            painter.drawText(
                QRectF(0, y - 8, _MARGIN_LEFT - 4, 16),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                f"{value:g}",
            )

    def _paint_curve(self, painter: QPainter, area: QRectF, values: np.ndarray, pen: QPen) -> None:
        path = QPainterPath()
        for index, value in enumerate(values):
            point = QPointF(
                self._x(index, len(values), area), area.bottom() - area.height() * float(value)
            )
            if index == 0:
                path.moveTo(point)
            else:
                path.lineTo(point)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(path)
