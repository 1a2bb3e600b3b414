"""Strokes to pixels without Qt: the canvas's curves and round pen, for the models.

The canvas keeps every drawing as ``Stroke`` values. Reading a drawing from those values
rather than from the painted bitmap lets the models see it drawn with a pen in proportion
to the digit, as MNIST's writers' pens were, whatever brush the person picked: a tiny
digit drawn with a fat brush no longer reaches the models as a blob. Training renders its
pen-tablet digits with this same module, so what training sees and what the app feeds
the models cannot drift apart.

The curve is the canvas's own (``digitpad.ui.stroke_render``): straight to the midpoint
of the first two samples, quadratic curves through the midpoints with each sample as
control point, straight to the last sample; a stroke whose pressure varies is drawn as
round-capped straight segments. Pixels come from Pillow's C line drawing at
``SUPERSAMPLE`` times the size, averaged down, which antialiases as well as the canvas.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
from PIL import Image, ImageDraw

from digitpad.core.types import Point, Stroke

# A light touch of the pen still draws this fraction of the full brush width.
MIN_PRESSURE_SCALE = 0.3
# Pixels are drawn at this many times the output size and averaged down (antialiasing).
SUPERSAMPLE = 4
# Straight pieces per quadratic curve: below a tenth of a pixel off the true curve for
# the sample spacings a canvas or a tablet records.
CURVE_STEPS = 8
# The model's pen: its width over the drawing's longer side (sample extent). MNIST's
# digits show a median stroke of 1.9 px in their 20 px box (stroke_width); pendigits'
# validation writers drawn with 0.135 of the extent measure 1.9 px too (0.105: 1.5 px).
MODEL_PEN_RATIO = 0.135
# The drawing's longer side in the bitmap render_for_model hands to preprocess_bitmap:
# three times MNIST's box, so area averaging into it antialiases, and small enough that
# preprocessing does no extra downscaling.
MODEL_RENDER_SIZE = 60
# Corners that turn more than this get a round joint (see _round_joints).
# Sample extents, in brush widths, up to which a drawing is a blob drawn with its own brush
# and from which it is drawn with the model's pen (see model_layout).
BLOB_BELOW, DIGIT_FROM = 0.5, 1.0
_JOINT_COSINE = float(np.cos(np.radians(12.0)))
_T = np.linspace(0.0, 1.0, CURVE_STEPS + 1, dtype=np.float64)[1:, None]


def pressure_width(base_width: float, pressure: float) -> float:
    """Stroke width at one sample: full pressure gives the full brush, a light touch less."""
    pressure = min(max(pressure, 0.0), 1.0)
    return base_width * (MIN_PRESSURE_SCALE + (1.0 - MIN_PRESSURE_SCALE) * pressure)


def smooth_polyline(points: Sequence[Point]) -> np.ndarray:
    """The canvas's curve through ``points`` as a dense polyline ``(M, 2)`` of (x, y).

    Straight to the first midpoint, a quadratic curve per inner sample (the sample is the
    control point, the midpoints the ends), straight to the last sample.
    """
    xy = np.array([(p.x, p.y) for p in points], dtype=np.float64).reshape(-1, 2)
    if len(xy) < 3:
        return xy
    mids = (xy[:-1] + xy[1:]) / 2.0
    starts, controls, ends = mids[:-1], xy[1:-1], mids[1:]
    # B(t) = (1-t)^2 start + 2t(1-t) control + t^2 end, for every curve at once.
    t = _T[None]
    curves = (1 - t) ** 2 * starts[:, None] + 2 * t * (1 - t) * controls[:, None]
    curves = curves + t**2 * ends[:, None]
    return np.concatenate([xy[:1], mids[:1], curves.reshape(-1, 2), xy[-1:]])


def _dot(draw: ImageDraw.ImageDraw, x: float, y: float, width: float, fill: int) -> None:
    radius = width / 2.0
    draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=fill)


def _round_joints(path: np.ndarray) -> np.ndarray:
    """Indices of the path's ends and of its corners that turn more than ``_JOINT_TURN``.

    A wide line drawn as straight pieces leaves a notch outside every corner; a round dot
    fills it. Along a smooth curve the pieces turn by a few degrees and the notch is far
    below a pixel, so only real corners (and the two round caps) get a dot, which keeps
    a long stroke to a handful of drawing calls.
    """
    ends = [0, len(path) - 1]
    if len(path) < 3:
        return np.array(ends[: len(path)])
    vectors = np.diff(path, axis=0)
    lengths = np.hypot(vectors[:, 0], vectors[:, 1])
    cosines = (vectors[:-1] * vectors[1:]).sum(axis=1) / np.maximum(
        lengths[:-1] * lengths[1:], 1e-12
    )
    corners = np.flatnonzero(cosines < _JOINT_COSINE) + 1
    return np.concatenate([ends, corners])


def _draw_stroke(
    draw: ImageDraw.ImageDraw, stroke: Stroke, scale: float, offset: tuple[float, float]
) -> None:
    """Draw one stroke, its coordinates and width times ``scale`` plus ``offset``."""
    fill = 0 if stroke.erase else 255
    dx, dy = offset
    pressures = {p.pressure for p in stroke.points}
    if len(stroke.points) == 1 or len(pressures) == 1:
        width = pressure_width(stroke.width, pressures.pop()) * scale
        path = smooth_polyline(stroke.points) * scale + (dx, dy)
        if len(path) > 1:
            # Pillow leaves a hairline gap where two wide pieces meet; the same path
            # through the pieces' midpoints has its meeting points elsewhere and fills them.
            halfway = np.concatenate([path[:1], (path[:-1] + path[1:]) / 2.0, path[-1:]])
            for line in (path, halfway):
                draw.line(line.ravel().tolist(), fill=fill, width=max(1, round(width)))
        for x, y in path[_round_joints(path)]:
            _dot(draw, x, y, width, fill)
        return
    # Pressure varies: round-capped straight segments, each as wide as its ends' mean.
    previous = stroke.points[0]
    for point in stroke.points[1:]:
        width = pressure_width(stroke.width, (previous.pressure + point.pressure) / 2) * scale
        start = (previous.x * scale + dx, previous.y * scale + dy)
        end = (point.x * scale + dx, point.y * scale + dy)
        draw.line((start, end), fill=fill, width=max(1, round(width)))
        _dot(draw, *start, width, fill)
        _dot(draw, *end, width, fill)
        previous = point


def rasterise_strokes(
    strokes: Sequence[Stroke],
    size: tuple[int, int],
    scale: float = 1.0,
    offset: tuple[float, float] = (0.0, 0.0),
) -> np.ndarray:
    """Paint ``strokes`` in order as white ink on black: ``(height, width)`` uint8.

    Each point is placed at ``point * scale + offset`` pixels and each width is multiplied
    by ``scale``; erase strokes paint black over what came before, as on the canvas.
    """
    height, width = size
    image = Image.new("L", (width * SUPERSAMPLE, height * SUPERSAMPLE), 0)
    draw_supersampled(image, strokes, scale, offset)
    return np.asarray(image.reduce(SUPERSAMPLE))


def draw_supersampled(
    image: Image.Image, strokes: Sequence[Stroke], scale: float, offset: tuple[float, float]
) -> None:
    """Paint ``strokes`` onto ``image``, which is ``SUPERSAMPLE`` times the output size.

    Painting is opaque (ink 255, eraser 0), so painting strokes one call at a time gives
    the very pixels of painting them all at once: a cached layer can take new strokes.
    """
    draw = ImageDraw.Draw(image)
    big_offset = (offset[0] * SUPERSAMPLE, offset[1] * SUPERSAMPLE)
    for stroke in strokes:
        if stroke.points:
            _draw_stroke(draw, stroke, scale * SUPERSAMPLE, big_offset)


def _erased(points: np.ndarray, eraser: Stroke) -> np.ndarray:
    """Which ``points`` (P, 2) lie under the eraser's path, as a boolean (P,)."""
    path = smooth_polyline(eraser.points)
    radius = pressure_width(eraser.width, max(p.pressure for p in eraser.points)) / 2.0
    if len(path) == 1:
        return np.hypot(*(points - path[0]).T) <= radius
    starts, vectors = path[:-1], np.diff(path, axis=0)
    lengths = np.maximum((vectors**2).sum(axis=1), 1e-12)
    relative = points[:, None, :] - starts[None]
    t = np.clip((relative * vectors[None]).sum(axis=2) / lengths, 0.0, 1.0)
    nearest = starts[None] + t[..., None] * vectors[None]
    distance = np.sqrt(((points[:, None, :] - nearest) ** 2).sum(axis=2)).min(axis=1)
    return distance <= radius


def surviving_ink_points(strokes: Sequence[Stroke]) -> np.ndarray:
    """The sample points (N, 2) of ink strokes that no later erase stroke covers."""
    kept = []
    for index, stroke in enumerate(strokes):
        if stroke.erase or not stroke.points:
            continue
        points = np.array([(p.x, p.y) for p in stroke.points], dtype=np.float64)
        alive = np.ones(len(points), dtype=bool)
        for later in strokes[index + 1 :]:
            if later.erase and later.points:
                alive &= ~_erased(points, later)
        kept.append(points[alive])
    return np.concatenate(kept) if kept else np.zeros((0, 2))


@dataclass(frozen=True)
class ModelLayout:
    """Where and how big ``render_for_model`` draws a drawing: all it derives from the
    surviving ink's extent. ``low``/``high`` bound the sample points; ``widest`` is the
    widest ink brush used."""

    size: tuple[int, int]
    scale: float
    offset: tuple[float, float]
    pen: float
    growth: float
    low: tuple[float, float]
    high: tuple[float, float]
    widest: float

    def redrawn(self, strokes: Sequence[Stroke]) -> list[Stroke]:
        """``strokes`` with the model's pen: ink at ``pen``, erasers grown by ``growth``."""
        return [
            replace(s, width=s.width + self.growth) if s.erase else replace(s, width=self.pen)
            for s in strokes
            if s.points
        ]


def model_layout(
    strokes: Sequence[Stroke], pen_ratio: float = MODEL_PEN_RATIO
) -> ModelLayout | None:
    """The layout ``render_for_model`` uses for ``strokes``; None when no ink is left."""
    points = surviving_ink_points(strokes)
    if not len(points):
        return None
    widest = max(s.width for s in strokes if not s.erase and s.points)
    low, high = points.min(axis=0), points.max(axis=0)
    reach = float((high - low).max())
    extent = max(reach, widest, 1e-6)
    scale = MODEL_RENDER_SIZE / extent
    # In canvas units, like every Stroke width. A drawing hardly longer than its brush is
    # a dot or a blob, and the brush is its shape; from DIGIT_FROM brushes long the pen is
    # in proportion to the drawing; in between, a blend.
    share = (reach / widest - BLOB_BELOW) / (DIGIT_FROM - BLOB_BELOW)
    share = min(max(share, 0.0), 1.0)
    pen = share * pen_ratio * extent + (1.0 - share) * widest
    margin = pen * scale / 2.0 + 2.0
    span = (high - low) * scale
    return ModelLayout(
        size=(int(np.ceil(span[1] + 2 * margin)), int(np.ceil(span[0] + 2 * margin))),
        scale=scale,
        offset=(margin - low[0] * scale, margin - low[1] * scale),
        pen=pen,
        growth=max(0.0, pen - widest),
        low=(float(low[0]), float(low[1])),
        high=(float(high[0]), float(high[1])),
        widest=widest,
    )


def render_for_model(
    strokes: Sequence[Stroke], pen_ratio: float = MODEL_PEN_RATIO
) -> np.ndarray | None:
    """A drawing's strokes re-drawn with a pen in proportion to the digit's size.

    The pen is ``pen_ratio`` times the longer side of the surviving ink's sample extent,
    whatever brush drew it, once that extent is ``DIGIT_FROM`` brushes long; a dot or a
    blob no longer than half its brush keeps the brush (it is its shape), and extents in
    between blend the two. Pressure still thins the pen as on the canvas. Erasers keep
    the area they rubbed out on the canvas, widened by as much as the pen grew. The
    result is white ink on black, ready for ``preprocess_bitmap``; ``None`` when no ink
    is left.
    """
    layout = model_layout(strokes, pen_ratio)
    if layout is None:
        return None
    bitmap = rasterise_strokes(layout.redrawn(strokes), layout.size, layout.scale, layout.offset)
    return bitmap if bitmap.any() else None
