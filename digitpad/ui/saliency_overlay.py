"""One model's heat map laid over the drawing on the canvas.

A transparent child of the canvas: it never takes mouse, pen or touch input, and only
paints when it has a heat map for what is on the canvas right now (a new stroke hides it
until the new explanation arrives).
"""

from __future__ import annotations

from PySide6.QtCore import QRectF
from PySide6.QtGui import QImage, QPainter, QPaintEvent

from digitpad.ui.canvas import DrawingCanvas
from digitpad.ui.canvas_overlay import CanvasOverlay

OPACITY = 0.75


class SaliencyOverlay(CanvasOverlay):
    """Paints a 28x28 RGBA heat map over a scene rectangle of ``canvas``."""

    def __init__(self, canvas: DrawingCanvas) -> None:
        super().__init__(canvas)
        self._image: QImage | None = None
        self._scene_rect = QRectF()
        self.setAccessibleName("Heat map on the canvas")
        self.hide()

    def has_heat_map(self) -> bool:
        return self._image is not None and self.isVisible()

    def scene_rect(self) -> QRectF:
        """Where the 28x28 field lies, in canvas scene units."""
        return QRectF(self._scene_rect)

    def set_heat_map(self, image: QImage | None, scene_rect: QRectF | None = None) -> None:
        """Show ``image`` (28x28 RGBA) stretched over ``scene_rect``; None hides it."""
        self._image = image
        self._scene_rect = QRectF() if scene_rect is None else QRectF(scene_rect)
        self.setVisible(image is not None and not self._scene_rect.isEmpty())
        self.raise_()
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        if self._image is None or self._scene_rect.isEmpty():
            return
        painter = QPainter(self)
        painter.setOpacity(OPACITY)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
        painter.drawImage(self.on_screen(self._scene_rect), self._image)
        painter.end()
