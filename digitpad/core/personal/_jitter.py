"""Small random changes of a person's digits: more samples of a hand from a few.

Five drawings of a digit show how a person writes it, not every angle, slant and width
they will write it at. A drawing's strokes are re-drawn turned, slanted, wider or
narrower and with another pen (``stroke_variants``, once per fine-tune), and every batch
rotates, scales, shears and shifts the 28x28 pictures a little more (``jitter``, pure
numpy with bilinear sampling), well within what MNIST's own writers vary, which teaches
a fine-tuned model the hand rather than the five pictures.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from digitpad.core.types import Point, Stroke

_CENTRE = 13.5  # the middle of a 28-pixel axis in pixel-centre coordinates


@dataclass(frozen=True)
class Jitter:
    """How far each random change may go."""

    rotation_degrees: float = 10.0
    scale: tuple[float, float] = (0.9, 1.1)
    shear: float = 0.15
    shift_pixels: float = 1.5


def jitter(images: np.ndarray, rng: np.random.Generator, settings: Jitter = Jitter()) -> np.ndarray:
    """Each of ``images`` ``(N, 28, 28)`` warped by its own random affine map (float32)."""
    count, height, width = images.shape
    angle = np.radians(rng.uniform(-settings.rotation_degrees, settings.rotation_degrees, count))
    scale = rng.uniform(*settings.scale, count)
    shear = rng.uniform(-settings.shear, settings.shear, count)
    shift = rng.uniform(-settings.shift_pixels, settings.shift_pixels, (count, 2))
    cos, sin = np.cos(angle) / scale, np.sin(angle) / scale
    # Output-to-input map: for each output pixel, where to read in the source.
    rows, cols = np.mgrid[0:height, 0:width].astype(np.float32) - _CENTRE
    out_y = rows[None] - shift[:, 0, None, None]
    out_x = cols[None] - shift[:, 1, None, None]
    src_x = cos[:, None, None] * out_x + (sin + shear * cos)[:, None, None] * out_y + _CENTRE
    src_y = -sin[:, None, None] * out_x + cos[:, None, None] * out_y + _CENTRE
    x0, y0 = np.floor(src_x).astype(np.int64), np.floor(src_y).astype(np.int64)
    fx, fy = (src_x - x0).astype(np.float32), (src_y - y0).astype(np.float32)
    padded = np.pad(np.asarray(images, dtype=np.float32), ((0, 0), (1, 2), (1, 2)))
    # The four neighbours are read with one flat index each (np.take on the whole padded
    # stack): three index arrays into a 3-D array cost about twice as much.
    stride = padded.shape[2]
    first = np.arange(count)[:, None, None] * padded.shape[1] * stride
    top_row = first + np.clip(y0 + 1, 0, height + 2) * stride
    next_row = first + np.clip(y0 + 2, 0, height + 2) * stride
    left, right = np.clip(x0 + 1, 0, width + 2), np.clip(x0 + 2, 0, width + 2)
    flat = padded.ravel()

    top = np.take(flat, top_row + left) * (1 - fx) + np.take(flat, top_row + right) * fx
    bottom = np.take(flat, next_row + left) * (1 - fx) + np.take(flat, next_row + right) * fx
    return (top * (1 - fy) + bottom * fy).astype(np.float32)


@dataclass(frozen=True)
class StrokeJitter:
    """How a drawing is re-drawn from its strokes: as it is with each of ``pens``, then
    ``variants`` copies, each turned, slanted, widened or narrowed and drawn with another
    pen, within these bounds.

    Unlike ``jitter``, which moves pixels after preprocessing, these copies go through the
    app's own rasteriser and preprocessing, so they are sized and centred exactly as the
    person's next drawing will be; only the hand varies, as it does between two drawings.
    """

    # The drawing as it is, also drawn with the model pen times each of these.
    pens: tuple[float, ...] = (0.7, 1.4)
    variants: int = 12
    rotation_degrees: float = 15.0
    # Horizontal shift per unit of height (an italic hand leans about 0.2-0.3).
    slant: float = 0.35
    # Width over height, drawn log-uniformly between these.
    aspect: tuple[float, float] = (0.7, 1.4)
    # The copies' pen: the model pen times a factor drawn log-uniformly between these.
    pen: tuple[float, float] = (0.7, 1.4)


def warp_strokes(strokes: Sequence[Stroke], matrix: np.ndarray) -> list[Stroke]:
    """``strokes`` mapped by the 2x2 ``matrix`` about the middle of their points' box.

    Widths, pressures and erasers are kept, so the drawing is the same gesture made by a
    hand held differently.
    """
    points = np.array([(p.x, p.y) for s in strokes for p in s.points], dtype=np.float64)
    if not len(points):
        return list(strokes)
    middle = (points.min(axis=0) + points.max(axis=0)) / 2.0
    warped = []
    for stroke in strokes:
        xy = np.array([(p.x, p.y) for p in stroke.points], dtype=np.float64).reshape(-1, 2)
        moved = (xy - middle) @ matrix.T + middle
        new_points = tuple(
            Point(float(x), float(y), p.pressure)
            for (x, y), p in zip(moved, stroke.points, strict=True)
        )
        warped.append(replace(stroke, points=new_points))
    return warped


def stroke_variants(
    strokes: Sequence[Stroke], rng: np.random.Generator, settings: StrokeJitter = StrokeJitter()
) -> list[tuple[list[Stroke], float]]:
    """The re-drawings ``settings`` asks for: (strokes, pen factor) each, the unchanged
    drawing with each of ``settings.pens`` first, then ``settings.variants`` random ones."""
    variants = [(list(strokes), factor) for factor in settings.pens]
    low, high = np.log(settings.aspect)
    pen_low, pen_high = np.log(settings.pen)
    for _ in range(settings.variants):
        angle = np.radians(rng.uniform(-settings.rotation_degrees, settings.rotation_degrees))
        slant = rng.uniform(-settings.slant, settings.slant)
        aspect = np.exp(rng.uniform(low, high))
        turn = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
        matrix = turn @ np.array([[aspect, slant], [0.0, 1.0]])
        pen = float(np.exp(rng.uniform(pen_low, pen_high)))
        variants.append((warp_strokes(strokes, matrix), pen))
    return variants
