"""Handwritten letters and shapes for the "not a digit" rules: every one draws, none is
a letter that looks like a digit, and a seed gives the same set every time."""

from __future__ import annotations

import numpy as np

from digitpad.core import Recognizer
from training.letters import CAPITALS, LOWERCASE, SHAPES, drawn_letter, render_letters
from training.non_digits import DIGIT_LIKE_LETTERS


def test_no_letter_that_looks_like_a_digit_is_drawn() -> None:
    assert not set(LOWERCASE) & set(DIGIT_LIKE_LETTERS)
    assert not set(CAPITALS) - {"B"} & set(DIGIT_LIKE_LETTERS)  # B: with a straight stem
    assert {"a", "d", "e", "f", "u", "P", "R", "K"} <= {*LOWERCASE, *CAPITALS}
    assert {"hash", "smiley", "heart", "tick"} <= set(SHAPES)


def test_every_letter_and_shape_reaches_the_models_as_ink() -> None:
    reader = Recognizer([])
    rng = np.random.default_rng(0)
    for name in [*LOWERCASE, *CAPITALS, *SHAPES]:
        strokes = drawn_letter(name, rng)
        assert len(strokes) >= 1
        model_input = reader.predict_strokes(strokes).model_input
        assert model_input is not None, name
        assert model_input.max() > 100, name


def test_a_seed_renders_the_same_letters() -> None:
    first = render_letters(24, seed=5, randomise=False)
    assert first.dtype == np.uint8
    assert first.shape == (24, 28, 28)
    np.testing.assert_array_equal(first, render_letters(24, seed=5, randomise=False))
    assert not np.array_equal(first, render_letters(24, seed=6, randomise=False))
