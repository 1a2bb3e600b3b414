"""The re-drawn copies fine-tuning adds to a person's drawings: the same gesture held
differently, still the same digit to the bundled models, and seeded."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from digitpad.core import Point, Stroke, bundled_models_dir, preprocess_bitmap
from digitpad.core.personal import StrokeJitter, stroke_variants, warp_strokes
from digitpad.core.preprocessing import MODEL_PEN_RATIO, render_for_model
from digitpad.core.recognition import ModelMetadata, OnnxModel
from tests.shared_data import pendigits

# A validation writer (never a test writer) whose own digits the bundled CNN reads well.
WRITER = 3


def _xy(strokes: list[Stroke]) -> np.ndarray:
    return np.array([(p.x, p.y) for s in strokes for p in s.points])


def test_warping_turns_the_gesture_about_its_middle_and_keeps_the_pen() -> None:
    line = Stroke((Point(10, 20), Point(30, 20, 0.5)), width=8.0)
    eraser = Stroke((Point(20, 20),), width=4.0, erase=True)
    quarter_turn = np.array([[0.0, -1.0], [1.0, 0.0]])
    warped = warp_strokes([line, eraser], quarter_turn)
    np.testing.assert_allclose(_xy(warped), [(20, 10), (20, 30), (20, 20)], atol=1e-9)
    assert [s.width for s in warped] == [8.0, 4.0]
    assert [s.erase for s in warped] == [False, True]
    assert [p.pressure for p in warped[0].points] == [1.0, 0.5]
    assert warp_strokes([], quarter_turn) == []


def test_variants_stay_within_their_bounds_and_are_seeded() -> None:
    line = [Stroke((Point(0, 0), Point(0, 100)), width=8.0)]  # a vertical stroke, a "1"
    settings = StrokeJitter(variants=40, rotation_degrees=10.0, slant=0.2, aspect=(1.0, 1.0))
    variants = stroke_variants(line, np.random.default_rng(3), settings)
    assert [factor for _, factor in variants[:2]] == list(settings.pens)
    assert all(strokes == line for strokes, _ in variants[:2])
    drawn = variants[2:]
    assert len(drawn) == 40
    leans = []
    for strokes, factor in drawn:
        assert settings.pen[0] <= factor <= settings.pen[1]
        (top, bottom) = _xy(strokes)
        dx, dy = bottom - top
        assert np.hypot(dx, dy) == pytest.approx(100.0, rel=0.25)
        leans.append(np.degrees(np.arctan2(dx, dy)))
    # A turn of up to 10 degrees and a slant of up to 0.2 (11 degrees) lean it both ways.
    assert max(np.abs(leans)) <= 10.0 + 11.4
    assert min(leans) < -5.0 < 5.0 < max(leans)
    again = stroke_variants(line, np.random.default_rng(3), settings)
    assert [(s, f) for s, f in again] == [(s, f) for s, f in variants]


def test_redrawn_copies_still_read_as_their_digit() -> None:
    """The copies teach a hand, not new digits: the bundled CNN reads nearly all of a
    well-read writer's copies as the digit drawn."""
    folder = bundled_models_dir()
    metadata = ModelMetadata.read(folder / "cnn.json")
    model = OnnxModel.load(folder / metadata.onnx_file, metadata)
    digits = [d for d in pendigits() if d.writer == WRITER]
    chosen = [next(d for d in digits if d.label == label) for label in range(10)]
    rng = np.random.default_rng(0)
    settings = replace(StrokeJitter(), pens=())
    images, labels = [], []
    for digit in chosen:
        for strokes, factor in stroke_variants(digit.canvas_strokes(), rng, settings):
            bitmap = render_for_model(strokes, pen_ratio=MODEL_PEN_RATIO * factor)
            assert bitmap is not None
            model_input = preprocess_bitmap(bitmap)
            assert model_input is not None
            images.append(model_input)
            labels.append(digit.label)
    read = model.predict_batch(np.stack(images)).argmax(axis=1)
    assert (read == np.array(labels)).mean() >= 0.95
