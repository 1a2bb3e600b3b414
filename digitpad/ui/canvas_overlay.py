"""A transparent child of the drawing canvas that paints over it.

The canvas keeps every mouse, pen and touch event; the overlay follows the canvas's
size and maps scene rectangles to its own pixels. ``SaliencyOverlay`` (the heat map)
and ``DigitBoxes`` (a number's digit boxes) are both one.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRectF, Qt
from PySide6.QtWidgets import QWidget

from digitpad.ui.canvas import DrawingCanvas


class CanvasOverlay(QWidget):
    """Covers ``canvas`` exactly and lets every input event through to it."""

    def __init__(self, canvas: DrawingCanvas) -> None:
        super().__init__(canvas)
        self._canvas = canvas
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
        self.setGeometry(canvas.rect())
        canvas.installEventFilter(self)
        canvas.sceneResized.connect(self.update)  # the scene under it changed shape

    def on_screen(self, scene_rect: QRectF) -> QRectF:
        """``scene_rect`` (canvas scene units) in this overlay's pixels."""
        top_left = self._canvas.map_from_scene(scene_rect.left(), scene_rect.top())
        bottom_right = self._canvas.map_from_scene(scene_rect.right(), scene_rect.bottom())
        return QRectF(top_left, bottom_right)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # The event's kind first, the canvas looked up defensively: Qt still sends
        # events while the canvas is being destroyed, after this object's Python
        # attributes are gone.
        if event.type() == QEvent.Type.Resize and watched is getattr(self, "_canvas", None):
            self.setGeometry(self._canvas.rect())
        return False
