"""Handwriting styles that MNIST and a few dozen writers show too rarely, made from strokes.

People drawing on a canvas cross their 7s, give their 1s a long flag (and a foot), draw
9s with a small or open loop, and slant, stretch and wobble everything. These are
synthesised from real pen-tablet digits by editing their strokes, before rendering, so
the pen, the curves and the preprocessing stay those of the app. All functions take and
return strokes as ``(N, 2)`` arrays in screen orientation (y down) and a numpy
``Generator``; none import TensorFlow.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence

import numpy as np

from digitpad.core import Stroke
from training.drawn import random_placement

Strokes = list[np.ndarray]


def _bounds(strokes: Sequence[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    points = np.concatenate(strokes)
    return points.min(axis=0), points.max(axis=0)


def _line(start: Sequence[float], end: Sequence[float], count: int = 8) -> np.ndarray:
    t = np.linspace(0.0, 1.0, count)[:, None]
    return (1 - t) * np.asarray(start, dtype=np.float64) + t * np.asarray(end, dtype=np.float64)


def cross_seven(strokes: Strokes, rng: np.random.Generator) -> Strokes:
    """A 7 with a bar across its stem at about half height."""
    low, high = _bounds(strokes)
    width, height = high - low
    level = low[1] + height * rng.uniform(0.45, 0.6)
    crossings = [
        a[0] + (b[0] - a[0]) * (level - a[1]) / (b[1] - a[1])
        for stroke in strokes
        for a, b in itertools.pairwise(stroke)
        if min(a[1], b[1]) <= level < max(a[1], b[1])
    ]
    if not crossings:
        return strokes
    stem_x = float(np.mean(crossings))
    half = max(width, 0.3 * height) * rng.uniform(0.2, 0.35)
    tilt = rng.uniform(-0.06, 0.06) * height
    bar = _line((stem_x - half, level + tilt), (stem_x + half, level - tilt))
    return [*strokes, bar]


def flag_one(strokes: Strokes, rng: np.random.Generator) -> Strokes:
    """A 1 with a long flag from its top down to the left, and sometimes a foot."""
    low, high = _bounds(strokes)
    height = float(high[1] - low[1])
    points = np.concatenate(strokes)
    top = points[np.argmin(points[:, 1])]
    length = height * rng.uniform(0.25, 0.5)
    angle = np.radians(rng.uniform(20.0, 55.0))  # below the horizontal, to the left
    flag_end = top + length * np.array([-np.cos(angle), np.sin(angle)])
    result = [_line(flag_end, top), *strokes]
    if rng.random() < 0.35:
        bottom = points[np.argmax(points[:, 1])]
        half = height * rng.uniform(0.15, 0.3)
        across = np.array([half, 0.0])
        result.append(_line(bottom - across, bottom + across))
    return result


def _loop_part(strokes: Strokes) -> tuple[np.ndarray, float]:
    """The y below which a 9's loop lies (the top ~45 % of the digit) and the height."""
    low, high = _bounds(strokes)
    height = float(high[1] - low[1])
    return low, height


def small_loop_nine(strokes: Strokes, rng: np.random.Generator) -> Strokes:
    """A 9 whose loop shrinks towards the stem's top, as many people draw it."""
    low, height = _loop_part(strokes)
    cut = low[1] + 0.5 * height
    factor = rng.uniform(0.55, 0.8)
    result = []
    for stroke in strokes:
        loop = stroke[:, 1] < cut
        if loop.any():
            centre = stroke[loop].mean(axis=0)
            # Points fade from full shrink (top) to none (at the cut) so the stem still joins.
            weight = np.clip((cut - stroke[:, 1]) / (0.5 * height), 0.0, 1.0)[:, None]
            scale = 1.0 - (1.0 - factor) * weight
            stroke = np.where(loop[:, None], centre + (stroke - centre) * scale, stroke)
        result.append(stroke)
    return result


def open_loop_nine(strokes: Strokes, rng: np.random.Generator) -> Strokes:
    """A 9 whose loop is left open on its lower left."""
    low, height = _loop_part(strokes)
    points = np.concatenate(strokes)
    loop = points[points[:, 1] < low[1] + 0.5 * height]
    if len(loop) < 6:
        return strokes
    centre = loop.mean(axis=0)
    gap_angle = np.radians(rng.uniform(120.0, 200.0))  # screen angles: y down, 180 = left
    gap_width = np.radians(rng.uniform(70.0, 120.0))
    result: Strokes = []
    for stroke in strokes:
        offset = stroke - centre
        angle = np.arctan2(offset[:, 1], offset[:, 0])
        distance = np.abs((angle - gap_angle + np.pi) % (2 * np.pi) - np.pi)
        inside_loop = stroke[:, 1] < low[1] + 0.5 * height
        removed = inside_loop & (distance < gap_width / 2)
        start = 0
        for index in [*np.flatnonzero(removed), len(stroke)]:
            if index - start >= 2:
                result.append(stroke[start:index])
            start = index + 1
    return result or strokes


# Per label, the style edits and how often each is applied.
STYLES: dict[int, tuple[tuple[Callable[[Strokes, np.random.Generator], Strokes], float], ...]] = {
    1: ((flag_one, 0.35),),
    7: ((cross_seven, 0.3),),
    9: ((small_loop_nine, 0.25), (open_loop_nine, 0.1)),
}


def restyle(strokes: Strokes, label: int, rng: np.random.Generator) -> Strokes:
    """Apply at most one of the label's style edits, with its probability."""
    draw = rng.random()
    for edit, probability in STYLES.get(label, ()):
        if draw < probability:
            return edit(strokes, rng)
        draw -= probability
    return strokes


def distort(strokes: Strokes, rng: np.random.Generator, amount: float = 1.0) -> Strokes:
    """Slant, rotate, stretch and wobble a drawing, as different hands would.

    A random affine map about the centre (rotation up to 12 degrees, shear up to 0.3,
    aspect 0.75-1.3) and a smooth low-frequency wobble of a few percent of the size.
    """
    low, high = _bounds(strokes)
    centre = (low + high) / 2.0
    size = float((high - low).max()) or 1.0
    angle = np.radians(rng.uniform(-12.0, 12.0) * amount)
    shear = rng.uniform(-0.3, 0.3) * amount
    aspect = np.exp(rng.uniform(-0.28, 0.26) * amount)
    rotation = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    matrix = rotation @ np.array([[aspect, shear], [0.0, 1.0]])
    phases = rng.uniform(0, 2 * np.pi, 4)
    wobble = rng.uniform(0.0, 0.03) * size * amount
    result = []
    for stroke in strokes:
        moved = (stroke - centre) @ matrix.T
        u = (stroke - centre) / size
        moved[:, 0] += (
            wobble * np.sin(3.0 * u[:, 1] + phases[0]) * np.cos(2.0 * u[:, 0] + phases[1])
        )
        moved[:, 1] += (
            wobble * np.sin(3.0 * u[:, 0] + phases[2]) * np.cos(2.0 * u[:, 1] + phases[3])
        )
        result.append(moved + centre)
    return result


def styled_drawing(strokes: Strokes, label: int, rng: np.random.Generator) -> tuple[Stroke, ...]:
    """A pen digit (screen strokes) as another hand might draw it on the canvas:
    maybe restyled, distorted, at a random size, place and brush."""
    return random_placement(distort(restyle(strokes, label, rng), rng), rng)
