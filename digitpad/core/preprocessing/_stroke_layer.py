"""The committed strokes' model rendering, kept as a layer so the next stroke is drawn alone.

``render_for_model`` redraws every stroke on every call; after thousands of strokes
that is most of a second per prediction. A drawing mostly grows by ink strokes inside
the area already drawn, which leave the layout (scale, pen, offset) unchanged, so the
supersampled layer of all strokes but the last can be kept and only the new ones
painted onto a copy. Painting is opaque, so the pixels are exactly those of a full
redraw; anything else (an eraser, ink outside the drawn area, a wider brush, another
drawing) falls back to one full redraw, which becomes the new layer.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from PIL import Image

from digitpad.core.preprocessing._rasterise import (
    MODEL_PEN_RATIO,
    SUPERSAMPLE,
    ModelLayout,
    draw_supersampled,
    model_layout,
    surviving_ink_points,
)
from digitpad.core.types import Stroke


@dataclass(frozen=True)
class _Extent:
    """The box of some strokes' surviving ink sample points, and their widest ink brush:
    everything ``model_layout`` derives a layout from."""

    low: tuple[float, float]
    high: tuple[float, float]
    widest: float

    @classmethod
    def of(cls, points: np.ndarray, widths: Sequence[float]) -> _Extent | None:
        if not len(points) or not widths:
            return None
        low, high = points.min(axis=0), points.max(axis=0)
        return cls((float(low[0]), float(low[1])), (float(high[0]), float(high[1])), max(widths))

    @classmethod
    def of_layout(cls, layout: ModelLayout) -> _Extent:
        return cls(layout.low, layout.high, layout.widest)

    def __or__(self, other: _Extent | None) -> _Extent:
        if other is None:
            return self
        return _Extent(
            (min(self.low[0], other.low[0]), min(self.low[1], other.low[1])),
            (max(self.high[0], other.high[0]), max(self.high[1], other.high[1])),
            max(self.widest, other.widest),
        )


def _ink_extent(strokes: Sequence[Stroke]) -> _Extent | None:
    """The extent of ``strokes``' ink as ``model_layout`` measures it (erasers applied)."""
    widths = [s.width for s in strokes if not s.erase and s.points]
    return _Extent.of(surviving_ink_points(strokes), widths)


@dataclass(frozen=True)
class _Layer:
    strokes: tuple[Stroke, ...]  # painted on ``image``
    extent: _Extent | None  # of ``strokes`` alone
    layout: ModelLayout  # of a drawing holding ``strokes`` (perhaps more)
    image: Image.Image  # supersampled


def _extent_with(layer: _Layer, added: Sequence[Stroke]) -> _Extent | None:
    """The extent once ``added`` joins the layer's strokes; None when one of them erases
    (erasing can shrink the ink, which only a full measurement tells)."""
    if any(stroke.erase for stroke in added):
        return None
    points = np.array([(p.x, p.y) for s in added for p in s.points], dtype=np.float64)
    new = _Extent.of(points.reshape(-1, 2), [s.width for s in added if s.points])
    if layer.extent is None:
        return new
    return layer.extent | new


class StrokeLayer:
    """``render(strokes)`` equals ``render_for_model(strokes)``, in time proportional to
    the strokes added since the previous call. Thread-safe."""

    def __init__(self, pen_ratio: float = MODEL_PEN_RATIO) -> None:
        self._pen_ratio = pen_ratio
        self._layer: _Layer | None = None
        self._lock = threading.Lock()

    def _reusable(self, strokes: tuple[Stroke, ...]) -> _Layer | None:
        """The kept layer, if ``strokes`` extend its strokes and keep its layout exactly."""
        layer = self._layer
        if layer is None or len(strokes) <= len(layer.strokes):
            return None
        if any(a is not b for a, b in zip(layer.strokes, strokes, strict=False)):
            return None
        extent = _extent_with(layer, strokes[len(layer.strokes) :])
        return layer if extent == _Extent.of_layout(layer.layout) else None

    def _fresh(self, strokes: tuple[Stroke, ...]) -> _Layer | None:
        layout = model_layout(strokes, self._pen_ratio)
        if layout is None:
            return None
        height, width = layout.size
        blank = Image.new("L", (width * SUPERSAMPLE, height * SUPERSAMPLE), 0)
        return _Layer((), None, layout, blank)

    @staticmethod
    def _grown(layer: _Layer, settled: tuple[Stroke, ...]) -> _Layer:
        """``layer`` with ``settled`` (which extends its strokes) painted on a copy."""
        added = settled[len(layer.strokes) :]
        if not added:
            return layer
        layout = layer.layout
        image = layer.image.copy()
        draw_supersampled(image, layout.redrawn(added), layout.scale, layout.offset)
        extent = _extent_with(layer, added)
        if extent is None:
            extent = _ink_extent(settled)
        return _Layer(settled, extent, layout, image)

    def render(self, strokes: Sequence[Stroke]) -> np.ndarray | None:
        """White ink on black for ``preprocess_bitmap``; None when no ink is left."""
        strokes = tuple(strokes)
        with self._lock:
            layer = self._reusable(strokes) or self._fresh(strokes)
            if layer is None:
                self._layer = None
                return None
            # The layer takes every stroke but the last (usually still being drawn, so it
            # differs on the next call); the last is painted on a copy.
            layer = self._grown(layer, strokes[:-1])
            self._layer = layer
            final = layer.image.copy()
            layout = layer.layout
            draw_supersampled(final, layout.redrawn(strokes[-1:]), layout.scale, layout.offset)
        bitmap = np.asarray(final.reduce(SUPERSAMPLE))
        return bitmap if bitmap.any() else None
