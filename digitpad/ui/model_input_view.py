""" "What the models see": the 28x28 model input, enlarged with visible pixels."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QLineF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QSizePolicy, QWidget

from digitpad.ui.qimage_convert import gray_array_to_qimage

GRID_ALPHA = 40


class ModelInputView(QWidget):
    """Paints the model input nearest-neighbour scaled, with a faint grid between pixels.

    The picture keeps the models' own convention (light ink on black) in either theme,
    because that is exactly what they are given.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._image: QImage | None = None
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self.setAccessibleName("What the models see")
        self.setAccessibleDescription("Nothing drawn yet.")
        self.setToolTip("The 28 x 28 picture the models are given, after normalisation")

    def has_input(self) -> bool:
        return self._image is not None

    def set_model_input(self, model_input: np.ndarray | None) -> None:
        """Show a 28x28 float array 0..255 (ink bright), or the empty state for None."""
        if model_input is None:
            self.set_image(None, "Nothing drawn yet.")
        else:
            self.set_image(
                gray_array_to_qimage(model_input),
                "A 28 by 28 pixel picture of the normalised digit.",
            )

    def set_image(self, image: QImage | None, description: str) -> None:
        """Show any picture of the model input's grid (a heat map over it), or nothing."""
        self._image = image
        self.setAccessibleDescription(description)
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(168, 168)

    def minimumSizeHint(self) -> QSize:
        return QSize(84, 84)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return width

    def _grid_size(self) -> tuple[int, int]:
        """(columns, rows) of the input shown; the empty frame keeps the models' 28 x 28."""
        if self._image is None:
            return (28, 28)
        return self._image.width(), self._image.height()

    def _target(self) -> QRectF:
        """The largest whole-pixel-multiple square that fits, centred."""
        columns, rows = self._grid_size()
        cell = max(1, min(self.width() // columns, self.height() // rows))
        width, height = cell * columns, cell * rows
        return QRectF((self.width() - width) // 2, (self.height() - height) // 2, width, height)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        palette = self.palette()
        target = self._target()
        if self._image is None:
            painter.fillRect(target, palette.color(QPalette.ColorRole.AlternateBase))
            painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
            painter.drawText(target, Qt.AlignmentFlag.AlignCenter, "no input")
        else:
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, False)
            painter.drawImage(target, self._image)
            self._paint_grid(painter, target)
        painter.setPen(palette.color(QPalette.ColorRole.Mid))
        painter.drawRect(target.adjusted(0, 0, -1, -1))
        painter.end()

    def _paint_grid(self, painter: QPainter, target: QRectF) -> None:
        columns, rows = self._grid_size()
        cell = target.width() / columns
        if cell < 4:
            return  # too small for a grid to help
        grid = QColor(128, 128, 128, GRID_ALPHA)  # mid grey reads on both black and white ink
        painter.setPen(grid)
        left, top, right, bottom = target.left(), target.top(), target.right(), target.bottom()
        # One drawLine each: PySide6's list form of drawLines (its binding changed in 6.11)
        # crashed the test run now and then, inside the paint.
        for i in range(1, columns):
            painter.drawLine(QLineF(left + i * cell, top, left + i * cell, bottom))
        for j in range(1, rows):
            painter.drawLine(QLineF(left, top + j * cell, right, top + j * cell))
