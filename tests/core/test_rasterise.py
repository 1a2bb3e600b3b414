"""The core's stroke rasteriser: round pen, the canvas's curves, erasing, the model's pen."""

from __future__ import annotations

import math

import numpy as np
import pytest

from digitpad.core import (
    MODEL_PEN_RATIO,
    Point,
    Stroke,
    preprocess_bitmap,
    rasterise_strokes,
    render_for_model,
    smooth_polyline,
)
from digitpad.core.preprocessing import stroke_width


def stroke(points, width=10.0, erase=False, pressure=1.0) -> Stroke:
    return Stroke(tuple(Point(x, y, pressure) for x, y in points), width, erase)


def ink(bitmap: np.ndarray) -> np.ndarray:
    return bitmap.astype(np.float64) / 255.0


def test_a_straight_stroke_is_as_wide_as_its_pen_with_round_caps():
    bitmap = rasterise_strokes([stroke([(20, 50), (80, 50)], width=10)], (100, 100))
    # Across the middle of the stroke: 10 pixels of ink, antialiased at the edges.
    assert ink(bitmap[:, 50]).sum() == pytest.approx(10.0, abs=0.5)
    # Round caps reach half the width beyond the end points, not further.
    assert bitmap[50, 16] > 128
    assert bitmap[50, 84] > 128
    assert bitmap[50, 13] == 0
    assert bitmap[50, 87] == 0
    # A round cap: at the very end, the corners of a square cap stay empty.
    assert bitmap[45, 15] < 32


def test_a_tap_is_a_round_dot_as_wide_as_the_brush():
    bitmap = rasterise_strokes([stroke([(50, 50)], width=20)], (100, 100))
    assert ink(bitmap).sum() == pytest.approx(math.pi * 10**2, rel=0.04)
    rows = np.flatnonzero(bitmap.max(axis=1) > 128)
    assert rows[-1] - rows[0] + 1 == pytest.approx(20, abs=1)


def test_edges_are_antialiased():
    bitmap = rasterise_strokes([stroke([(20, 20), (80, 70)], width=6)], (100, 100))
    grey = np.count_nonzero((bitmap > 20) & (bitmap < 235))
    assert grey > 40  # a diagonal edge has partly covered pixels all along it


def test_the_curve_runs_through_midpoints_like_the_canvas_path():
    corner = [Point(0, 0), Point(100, 0), Point(100, 100)]
    path = smooth_polyline(corner)
    # It starts and ends on the samples and passes the midpoints of the two sides ...
    np.testing.assert_allclose(path[0], (0, 0))
    np.testing.assert_allclose(path[-1], (100, 100))
    for midpoint in ((50, 0), (100, 50)):
        assert np.hypot(*(path - midpoint).T).min() < 1e-9
    # ... and rounds the corner: the quadratic's middle is at (87.5, 12.5), not (100, 0).
    assert np.hypot(*(path - (100, 0)).T).min() == pytest.approx(math.hypot(12.5, 12.5), abs=0.5)


def test_pressure_thins_the_stroke_as_the_canvas_does():
    full = rasterise_strokes([stroke([(20, 50), (80, 50)], width=20)], (100, 100))
    light = rasterise_strokes([stroke([(20, 50), (80, 50)], width=20, pressure=0.0)], (100, 100))
    # pressure_width: a light touch keeps 30 % of the brush
    assert ink(light[:, 50]).sum() == pytest.approx(6.0, abs=0.6)
    assert ink(full[:, 50]).sum() == pytest.approx(20.0, abs=0.6)


def test_an_eraser_stroke_rubs_out_what_it_crosses():
    drawn = stroke([(10, 50), (90, 50)], width=8)
    eraser = stroke([(50, 10), (50, 90)], width=20, erase=True)
    bitmap = rasterise_strokes([drawn, eraser], (100, 100))
    assert bitmap[50, 45:56].max() == 0
    assert bitmap[50, 20] == 255
    assert bitmap[50, 80] == 255
    # Order matters: ink drawn after the eraser stays.
    assert rasterise_strokes([eraser, drawn], (100, 100))[50, 50] == 255


def test_scale_and_offset_place_the_strokes():
    bitmap = rasterise_strokes([stroke([(0, 0)], width=4)], (40, 40), scale=2.0, offset=(20, 10))
    rows, cols = np.nonzero(bitmap > 128)
    assert rows.mean() == pytest.approx(10, abs=0.6)
    assert cols.mean() == pytest.approx(20, abs=0.6)
    assert ink(bitmap).sum() == pytest.approx(math.pi * 4**2, rel=0.1)


# ----- the model's pen ------------------------------------------------------------------
SEVEN = [(0, 0), (60, 0), (25, 100)]


def seven(scale: float, brush: float, at=(140, 140)) -> list[Stroke]:
    return [stroke([(at[0] + x * scale, at[1] + y * scale) for x, y in SEVEN], width=brush)]


def test_the_model_reads_a_small_fat_digit_like_a_big_thin_one():
    small_fat = preprocess_bitmap(render_for_model(seven(0.4, 30.0)))
    big_thin = preprocess_bitmap(render_for_model(seven(2.5, 3.0)))
    assert np.abs(small_fat - big_thin).mean() < 3.0  # grey levels out of 255
    # What the brush alone gives: the small fat digit is a blob.
    blob = preprocess_bitmap(rasterise_strokes(seven(0.4, 30.0), (280, 280)))
    assert np.abs(blob - big_thin).mean() > 10.0


def test_the_model_pen_gives_mnist_stroke_widths():
    field = preprocess_bitmap(render_for_model(seven(2.0, 18.0)))
    # MNIST's median stroke width is 1.9 px; its middle 95 % spans 1.15-3.3.
    assert 1.4 < stroke_width(field / 255.0) < 2.6
    thick = preprocess_bitmap(render_for_model(seven(2.0, 18.0), pen_ratio=2 * MODEL_PEN_RATIO))
    assert stroke_width(thick / 255.0) > stroke_width(field / 255.0) + 0.5


def test_erased_ink_is_gone_for_the_model_too():
    line = stroke([(40, 140), (240, 140)], width=18)
    rubbed = stroke([(20, 140), (260, 140)], width=40, erase=True)
    assert render_for_model([line, rubbed]) is None
    # Half rubbed out: the size comes from what is left, so the rest fills the box.
    half = stroke([(130, 100), (250, 180)], width=60, erase=True)
    left = render_for_model([line, half])
    assert left is not None
    field = preprocess_bitmap(left)
    cols = np.flatnonzero(field.max(axis=0) > 25)
    assert cols[-1] - cols[0] + 1 >= 18


def test_nothing_to_draw_gives_none():
    assert render_for_model([]) is None
    assert render_for_model([stroke([(10, 10), (20, 20)], erase=True)]) is None


def test_a_dot_stays_a_blob_as_the_brush_drew_it():
    jitter = stroke([(140, 140), (141.5, 140.5), (140.5, 142)], width=18.0)
    field = preprocess_bitmap(render_for_model([jitter]))
    rows = np.flatnonzero(field.max(axis=1) > 64)
    cols = np.flatnonzero(field.max(axis=0) > 64)
    # A filled disc, not the squiggle its three samples would make with a thin pen.
    assert abs((rows[-1] - rows[0]) - (cols[-1] - cols[0])) <= 2
    assert field[14, 14] > 200
