"""The headline model, the results view, the brush size and their persistence; shortcuts."""

from __future__ import annotations

from unittest.mock import create_autospec

import numpy as np
import pytest
from PySide6.QtCore import Qt

from digitpad.core import ModelPrediction, Prediction, Recognizer
from tests.ui.input_events import ONE, SEVEN, line, mouse_stroke


def probabilities(digit: int, confidence: float) -> tuple[float, ...]:
    rest = (1.0 - confidence) / 9
    return tuple(confidence if d == digit else rest for d in range(10))


@pytest.fixture
def disagreeing_recognizer(recognizer) -> Recognizer:
    """A recogniser with the real one's interface whose models disagree, CNN unsure."""
    fake = create_autospec(Recognizer, instance=True)
    fake.model_metadata = recognizer.model_metadata
    fake.loaded_models = recognizer.loaded_models
    fake.failures = ()

    def predict(image: object) -> Prediction:
        return Prediction(
            model_input=np.zeros((28, 28), np.float32),
            answers={
                "dense": ModelPrediction("dense", probabilities(1, 0.9)),
                "cnn": ModelPrediction("cnn", probabilities(7, 0.45)),
            },
        )

    fake.predict.side_effect = predict
    fake.predict_strokes.side_effect = predict  # a drawing is read from its strokes
    return fake


def test_the_cnn_is_the_default_headline(window):
    assert window.headline_model() == "cnn"
    assert window.results.panels["cnn"].title() == "CNN \N{MIDDLE DOT} headline"
    assert window.results.panels["dense"].title() == "Dense"


def test_picking_the_headline_model_changes_the_headline_and_persists(qtbot, make_window):
    first = make_window()
    mouse_stroke(qtbot, first.canvas, SEVEN)

    dense_action = next(a for a in first.commands.headline.actions() if a.data() == "dense")
    dense_action.trigger()

    assert first.headline_model() == "dense"
    assert "Dense" in first.results.headline.text()
    second = make_window()
    assert second.headline_model() == "dense"
    assert dense_action.isChecked()


def test_showing_only_the_headline_model_hides_the_other_panel_and_persists(make_window):
    first = make_window()
    first.commands.show_all.trigger()  # turn "all" off

    assert first.results.panels["cnn"].isVisible()
    assert not first.results.panels["dense"].isVisible()
    first.set_headline_model("dense")
    assert first.results.panels["dense"].isVisible()
    assert not first.results.panels["cnn"].isVisible()

    second = make_window()
    assert not second.commands.show_all.isChecked()
    assert second.results.panels["dense"].isVisible()
    assert not second.results.panels["cnn"].isVisible()


def test_brush_size_slider_sets_the_brush_and_persists(qtbot, make_window):
    first = make_window()
    first.brush_slider.setValue(30)
    mouse_stroke(qtbot, first.canvas, line((40, 140), (240, 140)))

    assert first.canvas.strokes[0].width == 30
    assert make_window().canvas.brush_size() == 30


def test_disagreement_and_an_unsure_headline_are_said(qtbot, make_window, disagreeing_recognizer):
    window = make_window(disagreeing_recognizer)

    mouse_stroke(qtbot, window.canvas, ONE)

    assert window.results.disagreement.isVisible()
    assert window.results.disagreement.text() == "The models disagree: Dense says 1, CNN says 7."
    assert window.results.headline.text().startswith("Probably a 7?")
    assert window.results.panels["cnn"].digit_text() == "7?"
    assert "unsure" in window.results.panels["cnn"].confidence_text()
    assert window.results.panels["dense"].digit_text() == "1"
    assert "CNN: 7, 45% (unsure)" in window.results.accessibleDescription()
    # A drawing reaches the recogniser as its strokes, straight from the canvas.
    assert disagreeing_recognizer.predict_strokes.call_args.args[0] == window.canvas.strokes


def test_agreement_hides_the_disagreement_line(qtbot, window):
    mouse_stroke(qtbot, window.canvas, SEVEN)
    assert not window.results.disagreement.isVisible()


def test_a_window_with_one_model_shows_one_panel_as_headline(qtbot, make_window, recognizer):
    dense_only = Recognizer([recognizer.loaded_models[0]])
    window = make_window(dense_only)

    assert list(window.results.panels) == ["dense"]
    assert window.headline_model() == "dense"
    mouse_stroke(qtbot, window.canvas, ONE)
    assert window.results.headline.text().startswith(("It's a 1", "Probably a 1"))


def test_undo_redo_and_clear_shortcuts_on_the_canvas(qtbot, window):
    canvas = window.canvas
    mouse_stroke(qtbot, canvas, SEVEN)
    mouse_stroke(qtbot, canvas, ONE)
    window.activateWindow()
    canvas.setFocus()
    ctrl, shift = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier

    qtbot.keyClick(canvas, Qt.Key.Key_Z, ctrl)
    assert len(canvas.strokes) == 1
    qtbot.keyClick(canvas, Qt.Key.Key_Z, ctrl | shift)
    assert len(canvas.strokes) == 2
    qtbot.keyClick(canvas, Qt.Key.Key_Z, ctrl)
    qtbot.keyClick(canvas, Qt.Key.Key_Y, ctrl)
    assert len(canvas.strokes) == 2
    with qtbot.waitSignal(canvas.cleared):
        qtbot.keyClick(canvas, Qt.Key.Key_Escape)
    assert canvas.is_empty()
    qtbot.keyClick(canvas, Qt.Key.Key_Z, ctrl)
    with qtbot.waitSignal(canvas.cleared):
        qtbot.keyClick(canvas, Qt.Key.Key_Delete)
    assert canvas.is_empty()


def test_eraser_action_switches_the_canvas_tool(qtbot, window):
    window.commands.eraser.trigger()
    assert window.canvas.is_eraser()
    assert not window.commands.pen.isChecked()

    window.commands.pen.trigger()
    assert not window.canvas.is_eraser()


def test_menus_show_the_shortcuts_and_every_control_has_a_name(window):
    shortcuts = {
        a.text(): a.shortcut().toString()
        for a in (window.commands.undo, window.commands.redo, window.commands.clear)
    }
    assert shortcuts == {"&Undo": "Ctrl+Z", "&Redo": "Ctrl+Shift+Z", "C&lear": "Esc"}
    assert "Ctrl+Y" in [k.toString() for k in window.commands.redo.shortcuts()]
    named = [window.canvas, window.brush_slider, window.results.model_input_view, window.results]
    named += list(window.results.panels.values())
    assert all(widget.accessibleName() for widget in named)
