"""Drag a box on an opened picture to say "read this part".

When the automatic choice of what to read is wrong (a doodle beside the number, a
second number on the page), the person drags a box over the part to read. The overlay
takes the mouse only while the choice is on; the box stays drawn (dashed) while that
part is what is read, until it is cleared. Boxes are emitted in the canvas's scene
units; the number view turns them into the picture's pixels.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPaintEvent, QPen

from digitpad.ui.canvas import DrawingCanvas
from digitpad.ui.canvas_overlay import CanvasOverlay

REGION_COLOUR = QColor(30, 120, 220)
# A drag shorter than this (widget pixels) either way is a click, not a box.
MIN_DRAG = 6.0


class RegionSelector(CanvasOverlay):
    """Lets the person drag a box over the canvas while ``choosing`` is on.

    Signals
    -------
    regionChosen(QRectF)
        A box was dragged: the part to read, in scene units.
    """

    regionChosen = Signal(QRectF)

    def __init__(self, canvas: DrawingCanvas) -> None:
        super().__init__(canvas)
        self._choosing = False
        self._start: QPointF | None = None
        self._dragged: QRectF | None = None  # widget pixels, while dragging
        self._region: QRectF | None = None  # scene units, the part being read
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.show()

    def is_choosing(self) -> bool:
        return self._choosing

    def set_choosing(self, on: bool) -> None:
        """Take the mouse to drag a box (True), or give it back to the canvas."""
        self._choosing = on
        self._start = self._dragged = None
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, not on)
        self.raise_()
        self.update()

    def region(self) -> QRectF | None:
        """The part being read (scene units), or None for the whole picture."""
        return self._region

    def set_region(self, region: QRectF | None) -> None:
        """Show ``region`` (scene units) as the part being read; None clears it."""
        self._region = region
        self.update()

    def _to_scene(self, point: QPointF) -> QPointF:
        origin = self._canvas.map_from_scene(0.0, 0.0)
        unit = self._canvas.map_from_scene(1.0, 0.0).x() - origin.x()
        return QPointF((point.x() - origin.x()) / unit, (point.y() - origin.y()) / unit)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if self._choosing and event.button() == Qt.MouseButton.LeftButton:
            self._start = event.position()
            self._dragged = QRectF(self._start, self._start)
            event.accept()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._start is not None:
            self._dragged = QRectF(self._start, event.position()).normalized()
            self.update()
            event.accept()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._start is None or event.button() != Qt.MouseButton.LeftButton:
            return
        box = QRectF(self._start, event.position()).normalized()
        self._start = self._dragged = None
        event.accept()
        if box.width() < MIN_DRAG or box.height() < MIN_DRAG:
            self.update()
            return
        scene = QRectF(self._to_scene(box.topLeft()), self._to_scene(box.bottomRight()))
        self._region = scene
        self.set_choosing(False)
        self.regionChosen.emit(scene)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pen = QPen(REGION_COLOUR, 2.0, Qt.PenStyle.DashLine)
        painter.setPen(pen)
        if self._region is not None and self._dragged is None:
            painter.drawRect(self.on_screen(self._region))
        if self._dragged is not None:
            painter.drawRect(self._dragged)
        if self._choosing and self._dragged is None:
            painter.fillRect(self.rect(), QColor(30, 120, 220, 25))
        painter.end()
