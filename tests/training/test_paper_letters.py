"""Letters on paper, alone and beside a digit: the count the split chooser's letter rule
is judged by."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from digitpad.core import Recognizer, read_number
from tests.shared_data import mnist_dir, pendigits
from training.paper_letters import CASES, accepted, letter_glyph, letters_read


def test_a_letter_is_written_at_the_height_asked() -> None:
    glyph = letter_glyph("K", np.random.default_rng(3), 60, 4.0)
    assert glyph.shape[0] == 60
    rows = np.flatnonzero(glyph.max(axis=1) > 0.5)
    assert rows[0] <= 4  # the letter fills its height
    assert rows[-1] >= 55


def test_only_accepted_digits_count() -> None:
    recognizer = Recognizer.from_default_locations()
    blank = np.full((80, 160), 255, np.uint8)
    assert accepted(read_number(recognizer, blank), "cnn") == 0
    # Two plain drawn ones side by side: both read; a digit the CNN refuses is not counted.
    two = blank.copy()
    two[15:65, 40:46] = 0
    two[15:65, 110:116] = 0
    reading = read_number(recognizer, two)
    assert accepted(reading, "cnn") == 2
    first, second = reading.digits
    answer = first.prediction.answers["cnn"]
    refused = replace(answer, is_digit=False, can_reject=True)
    answers = {**first.prediction.answers, "cnn": refused}
    one_refused = replace(
        reading,
        digits=(replace(first, prediction=replace(first.prediction, answers=answers)), second),
    )
    assert accepted(one_refused, "cnn") == 1
    assert accepted(one_refused, "dense") == 2


def test_every_case_is_tallied_for_every_model() -> None:
    mnist_dir()  # the photos draw pen digits through training.paper_photos
    pendigits()
    recognizer = Recognizer.from_default_locations()
    found = letters_read(recognizer, "validation", 2)
    assert tuple(found) == CASES
    for row in found.values():
        assert set(row) == {"dense", "cnn"}
        assert all(n == 2 and 0 <= bad <= 2 for n, bad in row.values())
