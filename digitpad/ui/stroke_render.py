"""Painting canvas content (background image and strokes) with a QPainter.

One renderer serves the screen, the bitmap the models read and the saved PNG, so what a
person sees is what the models are given.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPen

from digitpad.core import Point, Stroke, pressure_width
from digitpad.ui.canvas_history import CanvasContent


def smooth_path(points: Sequence[Point]) -> QPainterPath:
    """A path through the samples, curved between midpoints so fast strokes stay round.

    The core's ``smooth_polyline`` follows the same curve for the models; change both.
    """
    path = QPainterPath()
    first = QPointF(points[0].x, points[0].y)
    path.moveTo(first)
    qpoints = [QPointF(p.x, p.y) for p in points]
    path.lineTo((qpoints[0] + qpoints[1]) / 2)
    for control, following in pairwise(qpoints[1:]):
        path.quadTo(control, (control + following) / 2)
    path.lineTo(qpoints[-1])
    return path


def _pen(colour: QColor, width: float) -> QPen:
    pen = QPen(colour, width)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    return pen


def paint_stroke(painter: QPainter, stroke: Stroke, ink: QColor, paper: QColor) -> None:
    """Paint one stroke: ink normally, the paper colour for an eraser stroke."""
    if not stroke.points:
        return
    colour = paper if stroke.erase else ink
    painter.setBrush(Qt.BrushStyle.NoBrush)
    if len(stroke.points) == 1:  # a tap: a round dot as wide as the brush
        only = stroke.points[0]
        painter.setPen(_pen(colour, pressure_width(stroke.width, only.pressure)))
        painter.drawPoint(QPointF(only.x, only.y))
        return
    pressures = {p.pressure for p in stroke.points}
    if len(pressures) == 1:
        width = pressure_width(stroke.width, pressures.pop())
        painter.setPen(_pen(colour, width))
        painter.drawPath(smooth_path(stroke.points))
        return
    # Pressure varies along the stroke: one round-capped segment per pair of samples,
    # each as wide as the mean pressure of its ends, joins seamlessly.
    for start, end in pairwise(stroke.points):
        width = pressure_width(stroke.width, (start.pressure + end.pressure) / 2)
        painter.setPen(_pen(colour, width))
        painter.drawLine(QPointF(start.x, start.y), QPointF(end.x, end.y))


def fit_rect(image_width: int, image_height: int, target: QRectF) -> QRectF:
    """The largest rectangle with the image's aspect ratio centred inside ``target``."""
    scale = min(target.width() / image_width, target.height() / image_height)
    width, height = image_width * scale, image_height * scale
    return QRectF(
        target.x() + (target.width() - width) / 2,
        target.y() + (target.height() - height) / 2,
        width,
        height,
    )


def paint_content(
    painter: QPainter,
    content: CanvasContent,
    scene: QRectF,
    ink: QColor,
    paper: QColor,
    extra_strokes: Sequence[Stroke] = (),
) -> None:
    """Paint the whole canvas into ``scene`` (scene coordinates) on the painter.

    ``extra_strokes`` are painted last: the stroke still being drawn.
    """
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
    painter.fillRect(scene, paper)
    if content.background is not None and not content.background.isNull():
        image = content.background
        painter.drawImage(fit_rect(image.width(), image.height(), scene), image)
    for stroke in (*content.strokes, *extra_strokes):
        paint_stroke(painter, stroke, ink, paper)
