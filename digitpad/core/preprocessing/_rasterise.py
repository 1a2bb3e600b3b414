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

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np
from PIL import Image

from digitpad.core.types import Point, Stroke

if TYPE_CHECKING:
    from PIL import ImageDraw

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
# A dot up to this many image sides wide is Pillow's ellipse (cheap); a larger one a mask.
_DOT_DRAWN_UP_TO = 4
# Pillow draws lines from C integers: coordinates are kept well inside their range.
_FAR = float(2**24)
# Point-to-segment distances computed at once by the eraser test (memory: 8 bytes each).
_ERASE_BLOCK = 1 << 20
_T = np.linspace(0.0, 1.0, CURVE_STEPS + 1, dtype=np.float64)[1:, None]


def _non_finite_left_out() -> np.errstate:
    """Points too far out to be numbers once scaled (1e308) are dropped, not warned about."""
    return np.errstate(over="ignore", invalid="ignore")


def pressure_width(base_width: float, pressure: float) -> float:
    """Stroke width at one sample: full pressure gives the full brush, a light touch less.

    A pressure that is not a number (a device that reports none) counts as full.
    """
    pressure = min(max(pressure, 0.0), 1.0) if math.isfinite(pressure) else 1.0
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
    """A round dot, at a cost bounded by the image whatever its size or place.

    Pillow's ellipse costs the square of its radius even when it lies far outside the
    image (a million pixels: 100 s). A dot that misses the image is skipped, one that
    covers it fills it, and one much larger than the image is painted from a mask.
    """
    radius = width / 2.0
    image_width, image_height = draw.im.size
    if not (math.isfinite(x) and math.isfinite(y) and math.isfinite(radius)):
        return
    nearest_x, nearest_y = min(max(x, 0.0), image_width), min(max(y, 0.0), image_height)
    if math.hypot(x - nearest_x, y - nearest_y) > radius:
        return  # entirely outside the image
    if radius <= _DOT_DRAWN_UP_TO * max(image_width, image_height):
        draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=fill)
        return
    far_x, far_y = max(abs(x), abs(x - image_width)), max(abs(y), abs(y - image_height))
    if math.hypot(far_x, far_y) <= radius:
        draw.rectangle((0, 0, image_width, image_height), fill=fill)  # covers it all
        return
    rows = np.arange(image_height, dtype=np.float64)[:, None] + 0.5 - y
    columns = np.arange(image_width, dtype=np.float64)[None, :] + 0.5 - x
    inside = np.hypot(rows, columns) <= radius
    draw.bitmap((0, 0), Image.fromarray(inside.astype(np.uint8) * 255), fill=fill)


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
    if len(stroke.points) == 1 or len(pressures) == 1 or all(map(math.isnan, pressures)):
        width = pressure_width(stroke.width, next(iter(pressures))) * scale
        path = smooth_polyline(stroke.points) * scale + (dx, dy)
        path = np.clip(path[np.isfinite(path).all(axis=1)], -_FAR, _FAR)
        if not (math.isfinite(width) and len(path)):
            return
        width = min(width, _FAR)
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
        start = _placed(previous, scale, offset)
        end = _placed(point, scale, offset)
        if start is not None and end is not None and math.isfinite(width):
            width = min(width, _FAR)
            draw.line((start, end), fill=fill, width=max(1, round(width)))
            _dot(draw, *start, width, fill)
            _dot(draw, *end, width, fill)
        previous = point


def _placed(point: Point, scale: float, offset: tuple[float, float]) -> tuple[float, float] | None:
    """``point`` in image pixels, kept inside Pillow's range; None when not finite."""
    x, y = point.x * scale + offset[0], point.y * scale + offset[1]
    if not (math.isfinite(x) and math.isfinite(y)):
        return None
    return min(max(x, -_FAR), _FAR), min(max(y, -_FAR), _FAR)


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
    # Imported when strokes are drawn: reading a file never draws, and ImageDraw brings
    # FreeType's fonts (5 ms of every ``digitpad predict``).
    from PIL import ImageDraw

    draw = ImageDraw.Draw(image)
    big_offset = (offset[0] * SUPERSAMPLE, offset[1] * SUPERSAMPLE)
    with _non_finite_left_out():
        for stroke in strokes:
            if stroke.points:
                _draw_stroke(draw, stroke, scale * SUPERSAMPLE, big_offset)


def _erased(points: np.ndarray, eraser: Stroke) -> np.ndarray:
    """Which ``points`` (P, 2) lie under the eraser's path, as a boolean (P,).

    Distances are computed a block of segments at a time, only for the points inside
    that block's box and not yet erased, so memory stays bounded whatever the counts.
    """
    path = smooth_polyline(eraser.points)
    path = path[np.isfinite(path).all(axis=1)]
    erased = np.zeros(len(points), dtype=bool)
    pressures = [p.pressure for p in eraser.points if math.isfinite(p.pressure)]
    radius = pressure_width(eraser.width, max(pressures, default=1.0)) / 2.0
    if not (len(path) and len(points)) or not radius >= 0.0:
        return erased
    if len(path) == 1:
        return np.hypot(*(points - path[0]).T) <= radius
    starts, vectors = path[:-1], np.diff(path, axis=0)
    lengths = np.maximum((vectors**2).sum(axis=1), 1e-12)
    order = np.argsort(points[:, 0], kind="stable")
    xs = points[order, 0]
    step = max(1, _ERASE_BLOCK // len(points))
    for first in range(0, len(starts), step):
        block = slice(first, first + step)
        ends = starts[block] + vectors[block]
        low = np.minimum(starts[block], ends).min(axis=0) - radius
        high = np.maximum(starts[block], ends).max(axis=0) + radius
        # The points inside the block's box: a range of the x order, then by y.
        span = order[np.searchsorted(xs, low[0]) : np.searchsorted(xs, high[0], side="right")]
        near = span[~erased[span] & (points[span, 1] >= low[1]) & (points[span, 1] <= high[1])]
        if not len(near):
            continue
        relative = points[near][:, None, :] - starts[block][None]
        t = np.clip((relative * vectors[block][None]).sum(axis=2) / lengths[block], 0.0, 1.0)
        offsets = relative - t[..., None] * vectors[block][None]
        erased[near] = (offsets**2).sum(axis=2).min(axis=1) <= radius**2
    return erased


def surviving_ink_points(strokes: Sequence[Stroke]) -> np.ndarray:
    """The sample points (N, 2) of ink strokes that no later erase stroke covers."""
    kept = []
    for index, stroke in enumerate(strokes):
        if stroke.erase or not stroke.points:
            continue
        points = np.array([(p.x, p.y) for p in stroke.points], dtype=np.float64)
        points = points[np.isfinite(points).all(axis=1)]
        alive = np.ones(len(points), dtype=bool)
        for later in strokes[index + 1 :]:
            if later.erase and later.points:
                with _non_finite_left_out():
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
