"""The canvas cursor: a ring showing how wide the next stroke will be."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QCursor, QPainter, QPen, QPixmap

OUTER = QColor(255, 255, 255)
INNER = QColor(0, 0, 0)


def brush_cursor(diameter: float, ratio: float) -> QCursor:
    """A cursor showing the brush: a dark ring inside a light one reads on any background."""
    side = max(7, round(diameter) + 4)
    pixmap = QPixmap(round(side * ratio), round(side * ratio))
    pixmap.setDevicePixelRatio(ratio)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    ring = QRectF(1.5, 1.5, side - 3, side - 3)
    painter.setPen(QPen(OUTER, 2.0))
    painter.drawEllipse(ring)
    painter.setPen(QPen(INNER, 1.0))
    painter.drawEllipse(ring)
    centre = side / 2
    painter.drawPoint(QPointF(centre, centre))
    painter.end()
    return QCursor(pixmap, round(centre), round(centre))
