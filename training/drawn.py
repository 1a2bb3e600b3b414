"""Drawings as the app reads them: strokes placed on the canvas, rendered, preprocessed.

Training, validation and the ``benchmarks.drawn`` figures all make their 28x28 inputs
here, through the core's own ``render_for_model`` (the app's stroke path),
``rasterise_strokes`` and ``preprocess_bitmap`` (the picture path), so there is one source
of truth for what a drawn digit looks like to a model. No TensorFlow here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from digitpad.core import Point, Stroke, preprocess_bitmap, rasterise_strokes, render_for_model

# The canvas a person draws on (digitpad.ui.canvas.SCENE_SIZE) and its default brush.
CANVAS_SIZE = 280.0
CANVAS_BRUSH = 18.0
# Random pens of the stroke path: its width over the drawing's extent (the app: 0.135).
PEN_RATIO_RANGE = (0.09, 0.2)
# Share of training renders that go through the picture path instead (a saved drawing or
# a photo of one): the canvas brush as drawn, dark or light paper, some noise.
PICTURE_PATH_SHARE = 0.3
# A tablet's or a canvas's samples are closer than this (canvas units) after resampling.
_SAMPLE_SPACING = 4.0

StrokeArrays = Sequence[np.ndarray]


def resample(stroke: np.ndarray, spacing: float) -> np.ndarray:
    """Samples every ``spacing`` units along a polyline, as pointer events would arrive."""
    if len(stroke) < 2:
        return stroke
    steps = np.hypot(*np.diff(stroke, axis=0).T)
    along = np.concatenate([[0.0], np.cumsum(steps)])
    if along[-1] <= spacing:
        return stroke[[0, -1]]
    targets = np.linspace(0.0, along[-1], int(np.ceil(along[-1] / spacing)) + 1)
    return np.stack([np.interp(targets, along, stroke[:, k]) for k in range(2)], axis=1)


def place_on_canvas(
    strokes: StrokeArrays,
    fill: float = 0.7,
    centre: tuple[float, float] = (CANVAS_SIZE / 2, CANVAS_SIZE / 2),
    brush: float = CANVAS_BRUSH,
    spacing: float | None = None,
) -> tuple[Stroke, ...]:
    """Screen-oriented strokes (y down) scaled so the longer side is ``fill`` of the
    canvas, centred at ``centre``, as core ``Stroke`` values drawn with ``brush``."""
    points = np.concatenate(strokes)
    low, high = points.min(axis=0), points.max(axis=0)
    scale = fill * CANVAS_SIZE / max(float((high - low).max()), 1e-6)
    middle = (low + high) / 2.0
    placed = []
    for stroke in strokes:
        xy = (stroke - middle) * scale + centre
        if spacing is not None:
            xy = resample(xy, spacing)
        placed.append(Stroke(tuple(Point(float(x), float(y)) for x, y in xy), brush))
    return tuple(placed)


def random_placement(strokes: StrokeArrays, rng: np.random.Generator) -> tuple[Stroke, ...]:
    """Strokes at a random size (25-90 % of the canvas), position and brush (3-40 units)."""
    fill = rng.uniform(0.25, 0.9)
    room = (1.0 - fill) * CANVAS_SIZE / 2
    centre = (
        CANVAS_SIZE / 2 + rng.uniform(-room, room),
        CANVAS_SIZE / 2 + rng.uniform(-room, room),
    )
    brush = float(np.exp(rng.uniform(np.log(3.0), np.log(40.0))))
    spacing = rng.uniform(1.0, _SAMPLE_SPACING)
    return place_on_canvas(strokes, fill, centre, brush, spacing)


def as_picture(strokes: Sequence[Stroke], rng: np.random.Generator) -> np.ndarray:
    """The canvas painted with its own brush, as a saved or photographed drawing: random
    dark-on-light or light-on-dark, sometimes noisy (uint8, 140x140: half the canvas, as
    wide brushes cost Pillow time in proportion to their area, and the preprocessing
    shrinks any drawing to 20 pixels anyway)."""
    side = int(CANVAS_SIZE) // 2
    ink = rasterise_strokes(strokes, (side, side), scale=0.5).astype(np.float32) / 255.0
    paper, pen = (rng.uniform(200, 255), rng.uniform(0, 90))
    if rng.random() < 0.35:
        paper, pen = rng.uniform(0, 50), rng.uniform(170, 255)
    picture = paper + (pen - paper) * ink
    if rng.random() < 0.4:
        picture = picture + rng.normal(0.0, rng.uniform(1.0, 8.0), picture.shape)
    return np.clip(picture, 0, 255).astype(np.uint8)


def model_input_from_strokes(
    strokes: Sequence[Stroke], rng: np.random.Generator | None = None
) -> np.ndarray | None:
    """The 28x28 input for a drawing. Without ``rng``: exactly what the app feeds the
    models (``Recognizer.predict_strokes``). With it: a random pen on the stroke path, or
    (``PICTURE_PATH_SHARE``) the painted canvas on the picture path."""
    if rng is None:
        bitmap = render_for_model(strokes)
        return None if bitmap is None else preprocess_bitmap(bitmap)
    if rng.random() < PICTURE_PATH_SHARE:
        return preprocess_bitmap(as_picture(strokes, rng))
    bitmap = render_for_model(strokes, pen_ratio=rng.uniform(*PEN_RATIO_RANGE))
    return None if bitmap is None else preprocess_bitmap(bitmap)


def render_many(
    makers: Sequence[Callable[[np.random.Generator], tuple[Stroke, ...] | np.ndarray]],
    rng: np.random.Generator,
    randomise: bool = True,
) -> tuple[np.ndarray, np.ndarray]:
    """Run each maker (strokes, or a ready picture) and preprocess it.

    Returns the 28x28 inputs as uint8 and the indices of the makers that gave ink.
    """
    images, kept = [], []
    for index, make in enumerate(makers):
        made = make(rng)
        if isinstance(made, np.ndarray):
            field = preprocess_bitmap(made)
        else:
            field = model_input_from_strokes(made, rng if randomise else None)
        if field is not None:
            images.append(np.rint(field).astype(np.uint8))
            kept.append(index)
    if not images:
        return np.zeros((0, 28, 28), np.uint8), np.zeros(0, np.int64)
    return np.stack(images), np.array(kept)
