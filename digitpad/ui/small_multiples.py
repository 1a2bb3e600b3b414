"""A layer's activations as small multiples: one tile per feature map, or one cell per unit.

A convolution layer ``(C, H, W)`` becomes C little pictures; a dense layer ``(U,)`` becomes
U coloured squares. Every tile shares one colour scale (the layer's strongest value), so a
map that barely fired looks dark next to one that fired hard (brightness grows with the
square root of the activation, so weak activity is not lost).
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QSizePolicy, QWidget

# Dark violet through teal to yellow (a perceptually ordered scale, like viridis): quiet
# units stay dark in both themes, strong ones stand out.
_ANCHORS = np.array(
    [(0.0, (20, 12, 40)), (0.35, (50, 80, 140)), (0.65, (40, 170, 140)), (1.0, (250, 230, 60))],
    dtype=object,
)
GAP = 2


def _colour_table() -> list[int]:
    positions = np.array([float(p) for p, _ in _ANCHORS])
    colours = np.array([c for _, c in _ANCHORS], dtype=np.float64)
    levels = np.linspace(0.0, 1.0, 256)
    channels = [np.interp(levels, positions, colours[:, i]) for i in range(3)]
    return [QColor(int(r), int(g), int(b)).rgb() for r, g, b in zip(*channels, strict=True)]


COLOUR_TABLE = _colour_table()


def _indexed_image(levels: np.ndarray) -> QImage:
    """An 8-bit indexed QImage of ``levels`` (H, W) uint8 through the colour table."""
    height, width = levels.shape
    pixels = np.ascontiguousarray(levels)
    image = QImage(pixels.data, width, height, width, QImage.Format.Format_Indexed8)
    image.setColorTable(COLOUR_TABLE)
    return image.copy()  # own the pixels: the numpy buffer goes away


class SmallMultiples(QWidget):
    """Paints ``(C, H, W)`` feature maps or ``(U,)`` unit activations as a grid of tiles.

    Parameters
    ----------
    columns
        Tiles per row; the rows follow from the number of tiles.
    tile_side
        The tiles' width in pixels when there is room (they shrink to fit when not).
    """

    def __init__(self, columns: int, tile_side: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._columns = columns
        self._tile_side = tile_side
        self._tiles: list[QImage] = []
        self._tile_shape = (1, 1)
        self.setSizePolicy(QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Fixed)
        self.setAccessibleDescription("Nothing to show yet.")

    def tile_count(self) -> int:
        return len(self._tiles)

    def set_values(self, values: np.ndarray | None) -> None:
        """Show one layer's activations for one input, or nothing for None."""
        if values is None:
            self._tiles = []
            self.setAccessibleDescription("Nothing to show yet.")
        else:
            maps = np.asarray(values, dtype=np.float32)
            maps = maps.reshape(-1, 1, 1) if maps.ndim == 1 else maps.reshape(-1, *maps.shape[-2:])
            peak = float(np.nanmax(maps)) if maps.size else 0.0
            share = np.clip(np.nan_to_num(maps) / peak, 0, 1) if peak > 0 else np.zeros_like(maps)
            # Square root: weak but real activity stays visible next to the strongest.
            levels = np.rint(255 * np.sqrt(share)).astype(np.uint8)
            self._tiles = [_indexed_image(level) for level in levels]
            self._tile_shape = (int(maps.shape[1]), int(maps.shape[2]))
            active = int(np.count_nonzero(maps.reshape(len(maps), -1).max(axis=1) > 0))
            self.setAccessibleDescription(f"{active} of {len(maps)} active")
        self.updateGeometry()
        self.update()

    def _rows(self) -> int:
        return max(1, -(-max(len(self._tiles), 1) // self._columns))

    def _tile_size(self, width: float) -> tuple[float, float]:
        """(width, height) of one tile in a widget ``width`` pixels wide."""
        tile_height, tile_width = self._tile_shape
        side = min(float(self._tile_side), (width - GAP * (self._columns - 1)) / self._columns)
        return max(side, 1.0), max(side, 1.0) * tile_height / tile_width

    def sizeHint(self) -> QSize:
        width = self._columns * (self._tile_side + GAP) - GAP
        _, tile_height = self._tile_size(width)
        return QSize(width, int(self._rows() * (tile_height + GAP) - GAP))

    def minimumSizeHint(self) -> QSize:
        return QSize(self._columns * 3, self.sizeHint().height())

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        if not self._tiles:
            painter.setPen(self.palette().color(QPalette.ColorRole.PlaceholderText))
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, "nothing to show")
            painter.end()
            return
        width, height = self._tile_size(self.width())
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, False)
        for number, tile in enumerate(self._tiles):
            row, column = divmod(number, self._columns)
            target = QRectF(column * (width + GAP), row * (height + GAP), width, height)
            painter.drawImage(target, tile)
        painter.end()
