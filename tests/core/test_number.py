"""Reading numbers: real pen digits split into digits from strokes and from pictures."""

from __future__ import annotations

from collections.abc import Callable
from itertools import pairwise
from unittest.mock import patch

import numpy as np
import pytest

from benchmarks.numbers import WrittenNumber, picture, place_digit, write_number
from digitpad.core import MAX_NUMBER_STROKES, Point, Recognizer, Stroke, read_number
from digitpad.core.number import MAX_PARTS, label_parts, split_ink, split_strokes
from tests.shared_data import pendigits
from training.pendigits import PenDigit, split_by_writer

HEIGHT = 120.0


@pytest.fixture(scope="module")
def held_out() -> list[PenDigit]:
    """Pen digits of the writers no model trained on."""
    return split_by_writer(pendigits(), "test")


def _first(
    digits: list[PenDigit], label: int, strokes: int, shape: Callable[[PenDigit], bool]
) -> PenDigit:
    return next(d for d in digits if d.label == label and len(d.strokes) == strokes and shape(d))


def _crossed(digit: PenDigit) -> bool:
    """The second stroke is a short bar across the middle (a crossed 7)."""
    points = np.concatenate(digit.strokes)
    low, high = points.min(axis=0), points.max(axis=0)
    bar = digit.strokes[1]
    middle = (bar[:, 1].mean() - low[1]) / (high[1] - low[1])
    return np.ptp(bar[:, 1]) < 0.2 * (high[1] - low[1]) and 0.3 < middle < 0.7


def _hat(digit: PenDigit) -> bool:
    """The second stroke is a flat hat at the top (a 5 written body first)."""
    points = np.concatenate(digit.strokes)
    top = points[:, 1].max()
    hat = digit.strokes[1]
    return np.ptp(hat[:, 1]) < 0.25 * np.ptp(points[:, 1]) and hat[:, 1].max() >= top - 1


@pytest.fixture(scope="module")
def multi_stroke(held_out: list[PenDigit]) -> dict[str, PenDigit]:
    """Digits whose strokes must stay together, from real writers."""
    return {
        "8 in two strokes": _first(held_out, 8, 2, lambda d: True),
        "5 with its hat": _first(held_out, 5, 2, _hat),
        "4 in two strokes": _first(held_out, 4, 2, lambda d: True),
        "7 crossed": _first(held_out, 7, 2, _crossed),
    }


def _number(digits: list[PenDigit], gap: float) -> WrittenNumber:
    """``digits`` written left to right ``gap`` digit heights apart, same height."""
    placed, left = [], 20.0
    for digit in digits:
        strokes = place_digit(digit, HEIGHT, left, 20 + HEIGHT, HEIGHT * 0.09)
        placed.append(strokes)
        left = max(p.x for s in strokes for p in s.points) + gap * HEIGHT
    width = int(left + 40)
    return WrittenNumber(tuple(d.label for d in digits), tuple(placed), (int(HEIGHT + 40), width))


@pytest.mark.parametrize(
    "name", ["8 in two strokes", "5 with its hat", "4 in two strokes", "7 crossed"]
)
def test_a_multi_stroke_digit_alone_stays_one_digit(
    recognizer: Recognizer, multi_stroke: dict[str, PenDigit], name: str
) -> None:
    digit = multi_stroke[name]
    strokes = place_digit(digit, HEIGHT, 20, 20 + HEIGHT, 10)
    reading = read_number(recognizer, strokes)
    assert len(reading.digits) == 1
    assert reading.digits[0].prediction.model_input is not None
    assert len(split_strokes(strokes)) == 1  # the shapes alone settle it


def test_multi_stroke_digits_in_a_number_keep_their_strokes(
    recognizer: Recognizer, multi_stroke: dict[str, PenDigit], held_out: list[PenDigit]
) -> None:
    one = _first(held_out, 1, 1, lambda d: True)
    digits = [multi_stroke[n] for n in ("8 in two strokes", "5 with its hat")]
    digits += [one, multi_stroke["4 in two strokes"], multi_stroke["7 crossed"]]
    number = _number(digits, gap=0.3)
    reading = read_number(recognizer, number.strokes)
    assert len(reading.digits) == 5
    for found, written in zip(reading.digits, number.digits, strict=True):
        xs = [p.x for s in written for p in s.points]
        assert found.box[0] <= min(xs)
        assert max(xs) <= found.box[2]
    # Boxes run left to right without overlapping: each digit's strokes and no others.
    assert all(a.box[2] <= b.box[0] for a, b in pairwise(reading.digits))
    # Read as well as each digit alone: same digits the models read one by one.
    for model in reading.models:
        alone = "".join(
            str(recognizer.predict_strokes(strokes).answers[model].digit)
            for strokes in number.digits
        )
        assert reading.number(model) == alone


def test_an_erased_stroke_is_no_digit(recognizer: Recognizer, held_out: list[PenDigit]) -> None:
    strokes = list(place_digit(_first(held_out, 3, 1, lambda d: True), HEIGHT, 20, 140, 10))
    stray = Stroke((Point(300, 60), Point(305, 120)), 10)
    eraser = Stroke(tuple(Point(302, y) for y in range(40, 141, 5)), 40, erase=True)
    assert len(read_number(recognizer, [*strokes, stray]).digits) == 2
    assert len(read_number(recognizer, [*strokes, stray, eraser]).digits) == 1


def test_nothing_drawn_reads_no_number(recognizer: Recognizer) -> None:
    reading = read_number(recognizer, [])
    assert reading.nothing_drawn
    assert reading.number("cnn") == ""
    blank = read_number(recognizer, np.full((50, 80), 255, np.uint8))
    assert blank.nothing_drawn


def test_digits_written_apart_in_a_picture_are_found_in_its_pixels(
    recognizer: Recognizer, held_out: list[PenDigit]
) -> None:
    digits = [_first(held_out, label, 1, lambda d: True) for label in (2, 0, 3)]
    number = _number(digits, gap=0.3)
    image = picture(number)
    reading = read_number(recognizer, image)
    assert len(reading.digits) == 3
    for found, written in zip(reading.digits, number.digits, strict=True):
        xs = [p.x for s in written for p in s.points]
        x0, _, x1, _ = found.box
        # The box holds the ink: the pen's path plus up to half the pen each side.
        assert x0 <= min(xs) <= x0 + 0.1 * HEIGHT
        assert x1 - 0.1 * HEIGHT <= max(xs) <= x1
    ink_rows = np.flatnonzero((image < 128).any(axis=1))
    assert reading.digits[0].box[1] >= ink_rows[0] - 1


def test_touching_digits_in_a_picture_are_cut_apart(
    recognizer: Recognizer, held_out: list[PenDigit]
) -> None:
    tried = 0
    for first, second in [(2, 5), (6, 3), (7, 3)]:
        a = _first(held_out, first, 1, lambda d: True)
        b = _first(held_out, second, 1, lambda d: True)
        number = _number([a, b], gap=-0.03)
        ink = (255 - picture(number)).astype(np.float32) / 255
        if label_parts(ink >= 0.3)[1] != 1:
            continue  # these two do not touch; only touching pairs test the cut
        tried += 1
        assert len(read_number(recognizer, picture(number)).digits) == 2, f"{first}{second}"
        if ink.shape[1] - 40 > 1.2 * HEIGHT:  # too wide for one digit: the shape says so
            assert len(split_ink(ink)) == 2
    assert tried >= 2  # 25 and 63 touch at one point


def test_a_lone_digit_picture_is_one_digit(recognizer: Recognizer, held_out: list[PenDigit]):
    for label in range(10):
        digit = _first(held_out, label, len(held_out[0].strokes), lambda d: True)
        assert len(read_number(recognizer, picture(_number([digit], 0.0))).digits) == 1


def test_written_numbers_are_read_with_the_right_count(
    recognizer: Recognizer, held_out: list[PenDigit]
) -> None:
    rng = np.random.default_rng(2026)
    by_writer = [d for d in held_out if d.writer == held_out[0].writer]
    right = 0
    for _ in range(20):
        chosen = [by_writer[int(i)] for i in rng.choice(len(by_writer), 4, replace=False)]
        number = write_number(chosen, rng)
        right += len(read_number(recognizer, number.strokes).digits) == 4
    assert right >= 18


def test_remembered_readings_are_not_read_again(
    recognizer: Recognizer, held_out: list[PenDigit]
) -> None:
    digits = [_first(held_out, label, 1, lambda d: True) for label in (3, 1)]
    strokes = _number(digits, gap=0.3).strokes
    remembered: dict = {}
    first = read_number(recognizer, strokes, remembered)
    with patch.object(recognizer, "predict_strokes", wraps=recognizer.predict_strokes) as spy:
        again = read_number(recognizer, strokes, remembered)
        assert spy.call_count == 0
        one_more = read_number(
            recognizer, [*strokes, Stroke((Point(400, 40), Point(402, 150)), 9)], remembered
        )
        assert spy.call_count >= 1  # only the new digit (and the question whether it joins)
    assert again == first
    assert one_more.digits[:2] == first.digits


def _count_parts(mask: np.ndarray) -> int:
    """8-connected parts of a small mask by flood fill: the slow obvious way."""
    seen = np.zeros_like(mask)
    parts = 0
    for start in zip(*np.nonzero(mask), strict=True):
        if seen[start]:
            continue
        parts += 1
        todo = [start]
        seen[start] = True
        while todo:
            row, col = todo.pop()
            for r in range(max(row - 1, 0), min(row + 2, mask.shape[0])):
                for c in range(max(col - 1, 0), min(col + 2, mask.shape[1])):
                    if mask[r, c] and not seen[r, c]:
                        seen[r, c] = True
                        todo.append((r, c))
    return parts


@pytest.mark.parametrize("density", [0.2, 0.45, 0.6])
def test_parts_are_labelled_as_a_flood_fill_finds_them(density: float) -> None:
    rng = np.random.default_rng(int(density * 100))
    for _ in range(20):
        mask = rng.random((int(rng.integers(1, 30)), int(rng.integers(1, 30)))) < density
        labels, count = label_parts(mask)
        assert count == _count_parts(mask)
        assert np.array_equal(labels > 0, mask)
        for name in range(1, count + 1):  # each label is one connected part
            assert _count_parts(labels == name) == 1


def test_a_scribble_of_many_strokes_is_read_whole(recognizer: Recognizer) -> None:
    rng = np.random.default_rng(3)
    strokes = [
        Stroke(tuple(Point(*rng.uniform(0, 600, 2)) for _ in range(4)), 10.0)
        for _ in range(MAX_NUMBER_STROKES + 1)
    ]
    reading = read_number(recognizer, strokes)
    assert len(reading.digits) == 1
    left, _, right, _ = reading.digits[0].box
    assert left < 50  # the whole scribble
    assert right > 550


def test_a_noisy_picture_gives_a_bounded_number_of_parts() -> None:
    rng = np.random.default_rng(0)
    salt = (rng.random((400, 1000)) < 0.02).astype(np.float32)  # 8,000 specks of ink
    assert len(split_ink(salt)) <= MAX_PARTS


def test_each_digit_of_a_drawing_keeps_its_own_strokes(
    recognizer: Recognizer, multi_stroke: dict[str, PenDigit]
) -> None:
    number = _number([multi_stroke["5 with its hat"], multi_stroke["4 in two strokes"]], 0.3)
    reading = read_number(recognizer, number.strokes)
    assert [d.strokes for d in reading.digits] == list(number.digits)
    assert recognizer.predict_strokes(reading.digits[1].strokes).answers == (
        reading.digits[1].prediction.answers
    )
