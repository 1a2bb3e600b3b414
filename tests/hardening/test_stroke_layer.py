"""The kept stroke layer gives exactly the pixels of a full redraw, stroke after stroke.

Drawings grow as on the canvas (each stroke first seen while still being drawn, then
finished), with strokes inside and outside the area drawn so far, wider brushes, erasers
and a new drawing, so both the reuse and the fall-back paths run.
"""

from __future__ import annotations

import numpy as np
import pytest

from digitpad.core import Point, Stroke, render_for_model
from digitpad.core.preprocessing import StrokeLayer


def _stroke(rng: np.random.Generator, centre: float, spread: float, **kind) -> Stroke:
    start = rng.uniform(centre - spread, centre + spread, 2)
    steps = rng.normal(0, 4, (int(rng.integers(1, 12)), 2)).cumsum(axis=0)
    pressure = rng.uniform(0.3, 1.0) if rng.random() < 0.2 else 1.0
    points = tuple(
        Point(float(x), float(y), float(pressure if i % 2 else 1.0))
        for i, (x, y) in enumerate(start + steps)
    )
    return Stroke(points, kind.get("width", 18.0), erase=kind.get("erase", False))


@pytest.mark.parametrize("seed", range(2))
def test_every_step_matches_a_full_redraw(seed):
    rng = np.random.default_rng(seed)
    layer = StrokeLayer()
    drawing: list[Stroke] = []
    for step in range(30):
        roll = rng.random()
        if step == 15:
            drawing = []  # a new drawing (the canvas was cleared)
        spread = 60.0 if roll < 0.1 else 25.0  # now and then outside the drawn area
        width = 30.0 if roll > 0.95 else 18.0  # now and then a wider brush
        stroke = _stroke(rng, 140.0, spread, width=width, erase=0.1 <= roll < 0.18)
        partial = Stroke(
            stroke.points[: max(1, len(stroke.points) // 2)], stroke.width, stroke.erase
        )
        for shown in ((*drawing, partial), (*drawing, stroke)):
            expected = render_for_model(shown)
            got = layer.render(shown)
            if expected is None:
                assert got is None
            else:
                assert got is not None
                np.testing.assert_array_equal(got, expected)
        drawing.append(stroke)


def test_strokes_inside_the_drawing_are_painted_onto_the_kept_layer():
    rng = np.random.default_rng(7)
    frame = Stroke((Point(100, 100), Point(180, 180)), 18.0)
    inside = [_stroke(rng, 140.0, 10.0) for _ in range(3)]
    layer = StrokeLayer()
    layer.render((frame, inside[0]))
    kept = layer._layer
    layer.render((frame, *inside))
    assert layer._layer is not None
    assert layer._layer.layout is kept.layout  # no new layout: only the new strokes drawn
    assert layer._layer.strokes == (frame, *inside[:2])
