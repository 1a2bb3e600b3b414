"""The result widgets on their own: panel, bars, the model-input view, the wording."""

from __future__ import annotations

import numpy as np
import pytest

from digitpad.core import ModelPrediction, Prediction
from digitpad.ui.model_input_view import ModelInputView
from digitpad.ui.probability_panel import ProbabilityPanel
from digitpad.ui.verdict import (
    confidence_text,
    digit_text,
    disagreement_text,
    headline_text,
    spoken_summary,
)

NAMES = {"dense": "Dense", "cnn": "CNN"}


def answer(model: str, digit: int, confidence: float) -> ModelPrediction:
    rest = (1.0 - confidence) / 9
    return ModelPrediction(model, tuple(confidence if d == digit else rest for d in range(10)))


@pytest.fixture
def panel(qtbot) -> ProbabilityPanel:
    widget = ProbabilityPanel("CNN")
    qtbot.addWidget(widget)
    widget.show()
    return widget


def test_setting_a_prediction_fills_the_bars_and_the_big_digit(panel):
    panel.set_prediction(answer("cnn", 4, 0.93))

    assert panel.bars.probabilities()[4] == pytest.approx(0.93)
    assert panel.bars.highlighted_digit() == 4
    assert panel.digit_text() == "4"
    assert panel.confidence_text() == "93% sure"
    assert "CNN: 4" in panel.accessibleDescription()


def test_an_unsure_answer_is_hedged(panel):
    panel.set_prediction(answer("cnn", 9, 0.41))

    assert panel.digit_text() == "9?"
    assert panel.confidence_text() == "unsure (41%)"


def test_none_empties_the_panel(panel):
    panel.set_prediction(answer("cnn", 4, 0.93))
    panel.set_prediction(None)

    assert panel.bars.probabilities() is None
    assert panel.bars.highlighted_digit() is None
    assert panel.digit_text() == "\N{EN DASH}"


def test_bars_refuse_anything_but_ten_values(panel):
    with pytest.raises(ValueError, match="10 probabilities"):
        panel.bars.set_probabilities([0.5, 0.5])


def test_the_highlighted_bar_is_painted_in_the_highlight_colour(panel):
    from PySide6.QtGui import QPalette

    panel.resize(300, 400)
    panel.set_prediction(answer("cnn", 2, 0.99))
    bars = panel.bars
    image = bars.grab().toImage()
    row = bars.height() / 10
    highlight = bars.palette().color(QPalette.ColorRole.Highlight)

    top_row = image.pixelColor(40, int(2.5 * row))
    other_row = image.pixelColor(40, int(5.5 * row))
    assert top_row == highlight
    assert other_row != highlight


def test_model_input_view_shows_the_28x28_input_with_visible_pixels(qtbot):
    view = ModelInputView()
    qtbot.addWidget(view)
    view.resize(28 * 6, 28 * 6)
    model_input = np.zeros((28, 28), np.float32)
    model_input[10, 10] = 255.0

    view.set_model_input(model_input)

    image = view.grab().toImage()
    inside_lit_pixel = image.pixelColor(10 * 6 + 3, 10 * 6 + 3)
    neighbour = image.pixelColor(12 * 6 + 3, 10 * 6 + 3)
    assert inside_lit_pixel.lightness() > 200  # nearest-neighbour: a crisp, full pixel
    assert neighbour.lightness() < 60
    view.set_model_input(None)
    assert not view.has_input()


def test_wording_of_answers():
    sure, unsure = answer("cnn", 3, 0.97), answer("cnn", 3, 0.5)
    assert digit_text(sure) == "3"
    assert digit_text(unsure) == "3?"
    assert confidence_text(sure) == "97% sure"
    assert headline_text(sure, "CNN") == "It's a 3 (CNN, 97% sure)"
    assert headline_text(unsure, "CNN") == "Probably a 3? (CNN is unsure: 50%)"
    assert headline_text(None, "CNN") == "Draw a digit, or open an image"


def test_disagreement_is_worded_only_when_the_digits_differ():
    agree = Prediction(
        np.zeros((28, 28)), {"dense": answer("dense", 5, 0.8), "cnn": answer("cnn", 5, 0.99)}
    )
    differ = Prediction(
        np.zeros((28, 28)), {"dense": answer("dense", 5, 0.8), "cnn": answer("cnn", 6, 0.7)}
    )

    assert disagreement_text(agree, NAMES) == ""
    assert disagreement_text(differ, NAMES) == "The models disagree: Dense says 5, CNN says 6."
    assert spoken_summary(differ, NAMES) == "Dense: 5, 80%; CNN: 6, 70%."
    assert spoken_summary(Prediction(None), NAMES) == "Nothing drawn; no prediction."


def _answer(model: str, digit: int, *, is_digit: bool, can_reject: bool) -> ModelPrediction:
    probabilities = tuple(0.91 if d == digit else 0.01 for d in range(10))
    return ModelPrediction(model, probabilities, is_digit=is_digit, can_reject=can_reject)


def test_a_headline_model_without_a_rule_defers_to_one_that_rejects(qtbot):
    from digitpad.ui.results_pane import ResultsPane
    from digitpad.ui.verdict import NOT_A_DIGIT_HEADLINE, rejecting_model

    letter = Prediction(
        model_input=np.zeros((28, 28), np.float32),
        answers={
            "dense": _answer("dense", 4, is_digit=False, can_reject=True),
            "cnn": _answer("cnn", 4, is_digit=True, can_reject=False),
        },
    )
    assert rejecting_model(letter, "cnn") == "dense"
    assert rejecting_model(letter, "dense") is None  # it speaks for itself
    pane = ResultsPane({"dense": "Dense", "cnn": "CNN"})
    qtbot.addWidget(pane)
    pane.set_headline_model("cnn")
    pane.set_prediction(letter)
    assert pane.headline.text() == f"{NOT_A_DIGIT_HEADLINE} (Dense)"
    # The CNN's own panel still shows what the CNN answered.
    assert pane.panels["cnn"].digit_text() == "4"


def test_a_headline_model_with_its_own_rule_is_not_overruled(qtbot):
    from digitpad.ui.verdict import rejecting_model

    split = Prediction(
        model_input=np.zeros((28, 28), np.float32),
        answers={
            "dense": _answer("dense", 4, is_digit=False, can_reject=True),
            "cnn": _answer("cnn", 4, is_digit=True, can_reject=True),
        },
    )
    assert rejecting_model(split, "cnn") is None
