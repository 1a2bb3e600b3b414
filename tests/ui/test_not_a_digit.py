"""The window reads drawings from their strokes and says when something is not a digit."""

from __future__ import annotations

import numpy as np
import pytest

from digitpad.ui.verdict import NOT_A_DIGIT_HEADLINE, NOT_A_DIGIT_TEXT
from tests.ui.input_events import SEVEN, ellipse, line, mouse_stroke

X_STROKES = [line((70, 70), (210, 210)), line((210, 70), (70, 210))]
SCRIBBLE = [
    (40 + 200 * t, 140 + 25 * np.sin(t * 40) + 10 * np.sin(t * 13))
    for t in np.linspace(0.0, 1.0, 120)
]


@pytest.mark.parametrize(
    "strokes", [X_STROKES, [SCRIBBLE], [[(140, 140), (141, 141)]]], ids=["x", "scribble", "dot"]
)
def test_a_non_digit_is_called_so_with_greyed_bars(qtbot, window, recognizer, strokes):
    ruled = [m.name for m in recognizer.loaded_models if recognizer.digit_rule(m.name)]
    assert ruled, "no shipped model has a not_a_digit rule"
    window.set_headline_model(ruled[0])
    for stroke in strokes:
        mouse_stroke(qtbot, window.canvas, stroke)

    answers = window.prediction().answers
    assert not any(answers[name].is_digit for name in ruled)
    assert window.results.headline.text().startswith(NOT_A_DIGIT_HEADLINE)
    for name in ruled:
        panel = window.results.panels[name]
        assert panel.confidence_text() == NOT_A_DIGIT_TEXT
        assert panel.bars.is_greyed()
        assert panel.digit_text() == "?"


def test_a_digit_after_a_non_digit_is_read_again(qtbot, window):
    for stroke in X_STROKES:
        mouse_stroke(qtbot, window.canvas, stroke)
    window.canvas.clear()
    mouse_stroke(qtbot, window.canvas, SEVEN)

    answers = window.prediction().answers.values()
    assert all(a.is_digit and a.digit == 7 for a in answers)
    assert not any(panel.bars.is_greyed() for panel in window.results.panels.values())
    assert "7" in window.results.headline.text()


def test_a_tiny_digit_with_the_widest_brush_is_read_from_its_strokes(qtbot, window):
    window.canvas.set_brush_size(40.0)
    small_zero = ellipse(140, 140, 14, 22)
    mouse_stroke(qtbot, window.canvas, small_zero)

    answers = window.prediction().answers.values()
    assert all(a.is_digit and a.digit == 0 for a in answers)
    # The models saw a ring, not the filled blob the brush painted on the canvas.
    model_input = window.prediction().model_input
    assert model_input is not None
    assert model_input[14, 14] < 64
