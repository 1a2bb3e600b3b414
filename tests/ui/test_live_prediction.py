"""Drawing in the window gets the real models' answer, live and when the stroke ends."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from digitpad.ui.main_window import LIVE_PREDICTION_INTERVAL_MS
from tests.ui.input_events import (
    ONE,
    SEVEN,
    THREE_BOTTOM,
    THREE_TOP,
    TWO,
    ZERO,
    drag_to,
    line,
    mouse_stroke,
)


@pytest.mark.parametrize(
    ("strokes", "digit"),
    [([ONE], 1), ([ZERO], 0), ([SEVEN], 7), ([TWO], 2), ([THREE_TOP, THREE_BOTTOM], 3)],
    ids=["one", "zero", "seven", "two", "three"],
)
def test_a_clearly_drawn_digit_is_read_by_both_models(qtbot, window, strokes, digit):
    for stroke in strokes:
        mouse_stroke(qtbot, window.canvas, stroke)

    prediction = window.prediction()
    assert list(prediction.answers) == ["dense", "cnn"]
    for answer in prediction.answers.values():
        assert answer.digit == digit, answer
    for panel in window.results.panels.values():
        assert panel.digit_text().rstrip("?") == str(digit)
        assert panel.bars.highlighted_digit() == digit
    assert str(digit) in window.results.headline.text()
    assert window.results.model_input_view.has_input()


def test_empty_canvas_shows_no_guess(window):
    assert window.prediction().nothing_drawn
    for panel in window.results.panels.values():
        assert panel.prediction() is None
        assert panel.bars.probabilities() is None
    assert not window.results.model_input_view.has_input()
    assert window.results.headline.text() == "Draw a digit, or open an image"


def test_clearing_after_a_digit_removes_the_prediction(qtbot, window):
    mouse_stroke(qtbot, window.canvas, SEVEN)
    assert not window.prediction().nothing_drawn

    with qtbot.waitSignal(window.canvas.cleared):
        window.commands.clear.trigger()

    assert window.prediction().nothing_drawn
    assert all(panel.prediction() is None for panel in window.results.panels.values())


def test_prediction_runs_while_drawing_through_the_throttle_not_per_move(qtbot, window):
    canvas = window.canvas
    predictions = []
    window.predictionChanged.connect(predictions.append)
    points = [canvas.map_from_scene(x, y) for x, y in line((140, 40), (140, 240), step=2)]

    qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=points[0].toPoint())
    for point in points[1:]:
        drag_to(canvas, point)
    assert predictions == []  # a hundred moves, no prediction yet: the throttle holds it

    with qtbot.waitSignal(window.predictionChanged, timeout=LIVE_PREDICTION_INTERVAL_MS * 10):
        pass
    assert canvas.is_drawing()  # predicted mid-stroke, before the button is released
    assert len(predictions) == 1
    assert predictions[0].answers["cnn"].digit == 1

    with qtbot.waitSignal(canvas.strokeFinished):
        qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=points[-1].toPoint())
    assert len(predictions) == 2  # and immediately when the stroke ends


def test_undo_and_redo_actions_repredict(qtbot, window):
    mouse_stroke(qtbot, window.canvas, ONE)
    assert window.commands.undo.isEnabled()
    assert not window.commands.redo.isEnabled()

    window.commands.undo.trigger()
    assert window.prediction().nothing_drawn
    assert window.commands.redo.isEnabled()

    window.commands.redo.trigger()
    assert window.prediction().answers["cnn"].digit == 1
