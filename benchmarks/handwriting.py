"""One person's handwriting for the tests and screenshots: every digit as strokes, with the
small wobble of a real hand, so a store can be filled with varied samples of each digit.

Shapes are in scene units (the canvas scene is 280 x 280), like ``input_events``.
"""

from __future__ import annotations

import math
import random

from benchmarks.hand_input import (
    ONE,
    SEVEN,
    THREE_BOTTOM,
    THREE_TOP,
    TWO,
    ZERO,
    ScenePoints,
    bezier,
    ellipse,
    line,
    polyline,
)
from digitpad.core import Point, SampleStore, Stroke, rasterise_strokes

SCENE_SIDE = 280
# A 4 whose top is a curve: the bundled models read it as a 9.
FOUR_CURVED = [
    [*bezier((150, 50), (80, 120), (90, 140)), *bezier((90, 140), (150, 150), (190, 100))[1:]],
    line((185, 50), (175, 240)),
]
DIGITS: dict[int, list[ScenePoints]] = {
    0: [ZERO],
    1: [ONE],
    2: [TWO],
    3: [THREE_TOP, THREE_BOTTOM],
    4: FOUR_CURVED,
    5: [
        [
            *polyline((190, 50), (100, 50), (95, 120)),
            *bezier((95, 120), (200, 100), (190, 180))[1:],
            *bezier((190, 180), (170, 240), (85, 215))[1:],
        ]
    ],
    6: [
        [
            *bezier((180, 50), (90, 100), (90, 190)),
            *bezier((90, 190), (140, 250), (185, 190))[1:],
            *bezier((185, 190), (170, 140), (95, 170))[1:],
        ]
    ],
    7: [SEVEN],
    8: [ellipse(140, 85, 45, 45), ellipse(140, 180, 55, 55)],
    9: [ellipse(140, 95, 50, 50), line((190, 95), (190, 240))],
}


def wobbly(digit: int, rng: random.Random, brush: float = 18.0) -> tuple[Stroke, ...]:
    """``digit`` drawn again by the same hand: slightly turned, sized, slanted and moved."""
    angle = math.radians(rng.uniform(-8, 8))
    scale = rng.uniform(0.8, 1.05)
    shear = rng.uniform(-0.12, 0.12)
    dx, dy = rng.uniform(-15, 15), rng.uniform(-15, 15)
    cos, sin = math.cos(angle), math.sin(angle)

    def moved(x: float, y: float) -> Point:
        x, y = (x - 140) * scale, (y - 140) * scale
        x += shear * y
        return Point(140 + cos * x - sin * y + dx, 140 + sin * x + cos * y + dy)

    return tuple(Stroke(tuple(moved(x, y) for x, y in points), brush) for points in DIGITS[digit])


def fill_store(store: SampleStore, per_digit: int, seed: int = 0) -> None:
    """Keep ``per_digit`` wobbly drawings of every digit in ``store``."""
    rng = random.Random(seed)
    for _ in range(per_digit):
        for digit in range(10):
            strokes = wobbly(digit, rng)
            # Black on white, as the canvas saves a drawing's picture.
            picture = 255 - rasterise_strokes(strokes, (SCENE_SIDE, SCENE_SIDE))
            store.add_drawing(digit, strokes, picture)
