"""A drawing of several strokes that is no number (B, K, #, a face) is read whole and
called "not a digit", not a number (issue 21, item 5); numbers written tight still read."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from benchmarks.numbers import numbers_of
from digitpad.core import Point, Recognizer, Stroke, read_number
from digitpad.core.number import entangled, joined_at_both_ends
from tests.shared_data import pendigits
from training.letters import drawn_letter
from training.pendigits import split_by_writer


def _stroke(*points: tuple[float, float]) -> Stroke:
    """A polyline sampled every few units, as pointer events arrive."""
    corners = np.array(points, dtype=np.float64)
    dense = [a + (b - a) * t for a, b in itertools.pairwise(corners) for t in np.linspace(0, 1, 12)]
    return Stroke(tuple(Point(float(x), float(y)) for x, y in dense), 8.0)


STEM = _stroke((40, 40), (40, 160))
BOWLS = _stroke(
    (40, 40), (80, 45), (90, 70), (80, 95), (42, 100), (85, 110), (95, 135), (80, 158), (40, 160)
)
ONE = _stroke((40, 40), (40, 160))
THREE_APART = _stroke((80, 45), (120, 45), (125, 90), (95, 100), (128, 120), (120, 160), (80, 158))
THREE_TOUCHING = _stroke((42, 60), (90, 45), (95, 90), (65, 100), (98, 120), (90, 160), (60, 158))


def test_a_bs_bowls_hold_to_its_stem_at_both_ends() -> None:
    assert entangled([STEM], [BOWLS])
    assert joined_at_both_ends([STEM], [BOWLS])
    assert joined_at_both_ends([BOWLS], [STEM])


def test_digits_apart_or_touching_once_are_not_joined_at_both_ends() -> None:
    assert not entangled([ONE], [THREE_APART])
    assert not joined_at_both_ends([ONE], [THREE_APART])
    assert entangled([ONE], [THREE_TOUCHING])  # written tight: touching
    assert not joined_at_both_ends([ONE], [THREE_TOUCHING])


# Of 20 drawings, at most this many may still read as a number: a K whose arms read
# surely as a digit, touching its stem at one place, is still taken for two digits.
@pytest.mark.parametrize(("shape", "allowed"), [("B", 1), ("K", 4), ("hash", 1), ("smiley", 1)])
def test_a_shape_of_several_strokes_is_no_number(
    recognizer: Recognizer, shape: str, allowed: int
) -> None:
    rng = np.random.default_rng(21)
    drawings = [drawn_letter(shape, rng) for _ in range(20)]
    numbers = [read_number(recognizer, strokes) for strokes in drawings]
    assert sum(len(n.digits) > 1 for n in numbers) <= allowed, shape
    for reading, strokes in zip(numbers, drawings, strict=True):
        if len(reading.digits) == 1:  # read whole: what the window shows for a lone digit
            whole = recognizer.predict_strokes(strokes).answers
            assert reading.digits[0].prediction.answers == whole
            assert not all(a.is_digit for a in whole.values()), shape


def test_numbers_written_tight_still_read_with_the_right_count(recognizer: Recognizer) -> None:
    """The validation writers' numbers whose digits touch or overlap a little."""
    digits = split_by_writer(pendigits(), "validation")
    squeezed = [n for n in numbers_of(digits, 150, np.random.default_rng(8)) if n.squeezed]
    right = sum(len(read_number(recognizer, n.strokes).digits) == len(n.labels) for n in squeezed)
    assert len(squeezed) >= 40
    assert right >= 0.9 * len(squeezed)  # 53 of 56 without the rule, 52 with it
