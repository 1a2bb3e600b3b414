"""Hand-drawn-looking digit shapes and the mouse drag that draws them on the canvas.

Shared by the app's tests (``tests.ui.input_events``), the README screenshots
(``docs.make_screenshots``) and measurements, so all of them draw the same digits the
same way. Shapes are in scene units (the canvas scene is 280 x 280).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from itertools import pairwise

from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication

from digitpad.ui.canvas import DrawingCanvas

ScenePoints = Sequence[tuple[float, float]]


def line(start: tuple[float, float], end: tuple[float, float], step: float = 4.0) -> list:
    """Samples along a straight line, about ``step`` scene units apart, like a real drag."""
    (x0, y0), (x1, y1) = start, end
    count = max(1, math.ceil(math.hypot(x1 - x0, y1 - y0) / step))
    return [(x0 + (x1 - x0) * i / count, y0 + (y1 - y0) * i / count) for i in range(count + 1)]


def polyline(*corners: tuple[float, float]) -> list:
    points = [corners[0]]
    for start, end in pairwise(corners):
        points += line(start, end)[1:]
    return points


def ellipse(cx: float, cy: float, rx: float, ry: float, samples: int = 72) -> list:
    """A closed loop starting at the top, drawn anticlockwise like most people's zero."""
    return [
        (
            cx - rx * math.sin(2 * math.pi * i / samples),
            cy - ry * math.cos(2 * math.pi * i / samples),
        )
        for i in range(samples + 1)
    ]


def bezier(p0, p1, p2, samples: int = 30) -> list[tuple[float, float]]:
    """Points along a quadratic curve: how a hand moves between strokes' turning points."""
    points = []
    for i in range(samples + 1):
        t = i / samples
        x = (1 - t) ** 2 * p0[0] + 2 * (1 - t) * t * p1[0] + t**2 * p2[0]
        y = (1 - t) ** 2 * p0[1] + 2 * (1 - t) * t * p1[1] + t**2 * p2[1]
        points.append((x, y))
    return points


# Hand-drawn looking digits, curved like a person's.
TWO = [
    *bezier((78, 100), (100, 38), (160, 45)),
    *bezier((160, 45), (222, 58), (196, 120))[1:],
    *bezier((196, 120), (160, 178), (82, 232))[1:],
    *bezier((82, 232), (150, 222), (214, 230))[1:],
]
THREE_TOP = [
    *bezier((82, 70), (140, 20), (188, 70)),
    *bezier((188, 70), (208, 128), (125, 135))[1:],
]
THREE_BOTTOM = [
    *bezier((125, 135), (220, 140), (195, 205)),
    *bezier((195, 205), (160, 262), (78, 222))[1:],
]


ONE = line((145, 45), (135, 235))
ZERO = ellipse(140, 140, 62, 92)
SEVEN = polyline((75, 55), (205, 55), (125, 235))


# ----- real input events --------------------------------------------------------------
def drag_to(canvas: DrawingCanvas, position: QPointF) -> None:
    """One mouse move with the left button held (a bare qtbot.mouseMove does not drag)."""
    move = QMouseEvent(
        QEvent.Type.MouseMove,
        position,
        canvas.mapToGlobal(position),
        Qt.MouseButton.NoButton,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(canvas, move)
