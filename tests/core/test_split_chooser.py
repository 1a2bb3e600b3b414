"""Touching digits on a picture: the models choose among the candidate cuts."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence

import numpy as np
import pytest
from PIL import Image, ImageDraw

from benchmarks.numbers import WrittenNumber, picture, place_digit
from digitpad.core import Recognizer, read_number
from digitpad.core.number import (
    PRICES,
    InkRead,
    ink_candidates,
    ink_reader,
    label_parts,
    split_ink,
)
from digitpad.core.preprocessing import picture_ink
from tests.shared_data import mnist_dir, pendigits
from training.paper_photos import PaperPhoto, make_photo
from training.pendigits import PenDigit, split_by_writer

HEIGHT = 120.0


def _touching_rings() -> np.ndarray:
    """Two rings ("00") 100 px tall joined by a short stroke, as a pen runs on from one
    digit to the next; ink bright on black, float 0..1."""
    image = Image.new("L", (200, 140), 0)
    draw = ImageDraw.Draw(image)
    for left in (20, 90):
        draw.ellipse((left, 20, left + 60, 120), outline=255, width=9)
    draw.line((75, 70, 95, 70), fill=255, width=9)
    return np.asarray(image, np.float32) / 255.0


def _width(digit_ink: np.ndarray) -> int:
    cols = np.flatnonzero(digit_ink.max(axis=0) > 0.3)
    return int(cols[-1] - cols[0] + 1)


def _batch(
    read: Callable[[np.ndarray], tuple[int, float]],
) -> Callable[[Sequence[np.ndarray]], list[InkRead]]:
    return lambda inks: [InkRead(*read(ink)) for ink in inks]


def test_touching_digits_are_cut_where_they_touch() -> None:
    ink = _touching_rings()
    ring = 61  # a ring's width in pixels

    def reader(digit_ink: np.ndarray) -> tuple[int, float]:
        # Sure only of a whole ring: any cut through a ring leaves a half ring.
        return 0, 0.95 if abs(_width(digit_ink) - ring) <= 8 else 0.3

    digits = split_ink(ink, _batch(reader))
    assert len(digits) == 2
    for digit in digits:
        assert abs((digit.box[2] - digit.box[0]) - ring) <= 8


def test_the_models_choose_the_cut_not_the_ink() -> None:
    # The cheapest cut runs where the rings touch; a reader sure only of a narrow left
    # part and a wide right one makes a dearer cut, down the middle of the first ring,
    # win.
    ink = _touching_rings()

    def reader(digit_ink: np.ndarray) -> tuple[int, float]:
        width = _width(digit_ink)
        return 1, 0.95 if width <= 45 or 98 <= width <= 110 else 0.3

    digits = split_ink(ink, _batch(reader))
    assert len(digits) == 2
    assert _width(digits[0].ink) <= 45


def test_every_candidate_is_read_in_one_batch() -> None:
    calls = []

    def reader(inks: Sequence[np.ndarray]) -> list[InkRead]:
        calls.append(len(inks))
        return [InkRead(0, 0.9)] * len(inks)

    split_ink(_touching_rings(), reader)
    assert len(calls) == 1
    assert calls[0] >= 3  # the whole pair and each candidate side


def _letter_reader(piece_sure: float, piece_agreed: bool) -> Callable[[np.ndarray], InkRead]:
    """The whole part is refused (a letter); a whole ring reads as a "0" this sure,
    the models agreeing on it or not; any other piece reads weakly."""
    whole, ring = _width(_touching_rings()), 61

    def read(digit_ink: np.ndarray) -> InkRead:
        width = _width(digit_ink)
        if abs(width - whole) <= 4:
            return InkRead(0, 0.3, refused=True)
        if abs(width - ring) <= 8:
            return InkRead(0, piece_sure, agreed=piece_agreed)
        return InkRead(1, 0.2, refused=True)

    return read


@pytest.mark.parametrize(("sure", "agreed"), [(0.6, True), (0.99, False)])
def test_a_part_refused_whole_is_not_cut_into_unsure_digits(sure: float, agreed: bool) -> None:
    # A bold K reads as no digit whole, but its stem as a "1" and its arms as a "6":
    # cutting must not turn a letter into a number unless every piece is surely a digit.
    read = _letter_reader(sure, agreed)
    assert len(split_ink(_touching_rings(), lambda inks: [read(ink) for ink in inks])) == 1


def test_a_part_refused_whole_is_cut_into_sure_digits() -> None:
    read = _letter_reader(0.99, True)
    assert len(split_ink(_touching_rings(), lambda inks: [read(ink) for ink in inks])) == 2


def _beside_a_ring(ink: np.ndarray) -> np.ndarray:
    """``ink`` with one more ring ("0") standing apart on its right."""
    image = Image.new("L", (ink.shape[1] + 100, ink.shape[0]), 0)
    left = ink.shape[1] + 20
    ImageDraw.Draw(image).ellipse((left, 20, left + 60, 120), outline=255, width=9)
    wider = np.asarray(image, np.float32) / 255.0
    wider[:, : ink.shape[1]] = ink
    return wider


def test_a_part_refused_whole_beside_a_digit_is_cut_like_any_other() -> None:
    # Written among digits the models accept, a part they refuse whole is two touching
    # digits of the number, not a letter: its pieces need not be surely digits.
    read = _letter_reader(0.6, True)
    digits = split_ink(_beside_a_ring(_touching_rings()), lambda inks: [read(ink) for ink in inks])
    assert len(digits) == 3


def test_a_digit_that_swallows_a_sure_digit_is_read_as_two() -> None:
    # The pair reads surely as one "0", as does its left ring alone, while its right ring
    # is a sure digit of its own: the whole swallowed a digit, and two digits win
    # though a cut through ink costs.
    ink = _touching_rings()
    whole, ring = _width(ink), 61

    def reader(digit_ink: np.ndarray) -> tuple[int, float]:
        width = _width(digit_ink)
        return 0, 0.99 if abs(width - whole) <= 4 or abs(width - ring) <= 8 else 0.2

    candidates = ink_candidates(ink, _batch(reader))
    # Priced by sureness and cuts alone (not by the pair's width), that evidence splits
    # it; without it, the cut's price keeps the sure pair whole.
    plain = PRICES._replace(wide=0.0, width_weight=0.0)
    assert len(candidates.choose(plain)) == 2
    assert len(candidates.choose(plain._replace(hidden=0.0))) == 1


def test_touching_real_digits_are_split_and_read(recognizer: Recognizer) -> None:
    picture_of_rings = (255 - _touching_rings() * 255).astype(np.uint8)
    reading = read_number(recognizer, picture_of_rings)
    for model in reading.models:
        assert reading.number(model) == "00"


@pytest.fixture(scope="module")
def held_out() -> list[PenDigit]:
    """Pen digits of the writers no model trained on."""
    return split_by_writer(pendigits(), "test")


def _touching(first: PenDigit, second: PenDigit, overlap: float) -> WrittenNumber:
    """Two digits written side by side, the second ``overlap`` digit heights into the
    first's columns, so their ink touches."""
    pen = 0.09 * HEIGHT
    left = place_digit(first, HEIGHT, 30.0, 30.0 + HEIGHT, pen)
    right_edge = max(p.x for s in left for p in s.points)
    right = place_digit(second, HEIGHT, right_edge - overlap * HEIGHT, 30.0 + HEIGHT, pen)
    width = int(max(p.x for s in right for p in s.points) + 30)
    return WrittenNumber(
        (first.label, second.label), (left, right), (int(HEIGHT + 60), width), True
    )


def test_pairs_of_real_digits_written_touching_are_read(
    recognizer: Recognizer, held_out: list[PenDigit]
) -> None:
    writer = held_out[0].writer
    own = [d for d in held_out if d.writer == writer]
    rng = np.random.default_rng(19)
    touching = right = 0
    for _ in range(40):
        first, second = (own[int(i)] for i in rng.choice(len(own), 2, replace=False))
        number = _touching(first, second, overlap=0.04)
        image = picture(number)
        if label_parts(image < 128)[1] != 1:
            continue  # only pairs whose ink is one part test the cut
        touching += 1
        right += read_number(recognizer, image).number("cnn") == number.text
    assert touching >= 15
    # Unsplit, none would read right; overlapping pen digits stay hard (about 50 %: a
    # pair read as no digit whole is cut only into digits the models are sure of, so
    # that letters stay letters).
    assert right >= 0.45 * touching


def test_a_photo_of_a_number_with_touching_digits_is_read_exactly(
    recognizer: Recognizer,
) -> None:
    mnist_dir()  # the generator draws MNIST and pen digits: skip without ../shared
    pendigits()
    # "1254": the 1 and the 2 touch, the 5 overlaps the 4 (the old chooser read "1257").
    photo = make_photo("validation", "plain", 100_002, 4)
    assert photo.text == "1254"
    reading = read_number(recognizer, photo.image)
    for model in reading.models:
        assert reading.number(model) == "1254"
    for digit, box in zip(reading.digits, photo.boxes, strict=True):
        centre = (digit.box[0] + digit.box[2]) / 2
        assert box[0] <= centre <= box[2]


@pytest.mark.parametrize(
    ("kind", "seed", "text"),
    [
        # Each read wrong before (in brackets): a touching pair read as one
        # digit, or a digit lost in its neighbour.
        ("squared", 100_036, "43"),  # ("8")
        ("dark", 100_048, "43"),  # ("8")
        ("scan", 100_004, "01"),  # ("0")
        ("ruled", 100_005, "936"),  # ("93")
        ("squared", 100_033, "499"),  # ("49")
        ("dark", 100_041, "163"),  # ("8")
        # A digit that swallowed a neighbour the models read surely on its own.
        ("squared", 100_032, "71"),  # ("7")
        ("scan", 100_044, "47"),  # ("4")
        ("ruled", 100_027, "94466"),  # ("9466")
        # A pair refused whole among accepted digits, now cut into its digits.
        ("dark", 100_025, "955"),  # ("85")
        ("squared", 100_057, "048"),  # ("98")
        ("dark", 100_034, "4344"),  # ("444")
        ("squared", 100_049, "721"),  # ("21")
        # A digit some model's rule doubts, though both models read it plainly.
        ("page_edge", 100_021, "358"),  # ("38")
        ("ruled", 100_054, "8346"),  # ("8316")
        # A wide piece the two models read as different digits, read whole before.
        ("ruled", 100_035, "74921"),  # ("2921", "7921")
        ("shadow", 100_059, "71462"),  # ("74462" by the dense net)
        ("page_edge", 100_042, "1737"),  # ("178", "174")
    ],
)
def test_photos_of_numbers_whose_digits_touch_are_read_exactly(
    recognizer: Recognizer, kind: str, seed: int, text: str
) -> None:
    _assert_touching_photo_read(recognizer, kind, seed, text)


@pytest.mark.parametrize(
    ("kind", "seed", "text"),
    [
        # Parted only along paths found from the bottom up: the digits touch low, or
        # one's foot runs under the next (read before in brackets).
        ("plain", 100_026, "4170"),  # ("480", "400")
        # Digits that overlap: a piece of one lies across a piece of the other, read
        # only with the two swapped.
        ("plain", 100_005, "961"),  # ("801", "901")
        ("scan", 100_043, "68173"),  # ("68178")
    ],
)
def test_photos_of_numbers_whose_digits_overlap_are_read_exactly(
    recognizer: Recognizer, kind: str, seed: int, text: str
) -> None:
    _assert_touching_photo_read(recognizer, kind, seed, text)


def test_a_filled_block_beside_a_digit_is_not_cut_into_ones(recognizer: Recognizer) -> None:
    # A filled block's strokes measure as wide as the block, so every cut through it
    # once crossed "few" stroke widths of ink: it read "1111" beside the 1.
    picture = np.full((80, 200), 255, np.uint8)
    picture[15:65, 40:46] = 0  # a 1
    picture[20:60, 110:170] = 0  # a block, 1.5 times as wide as it is tall
    reading = read_number(recognizer, picture)
    assert len(reading.digits) == 2
    assert reading.digits[0].answer("cnn").digit == 1
    assert not any(answer.is_digit for answer in reading.digits[1].prediction.answers.values())


def test_a_lone_one_with_a_flag_and_a_foot_stays_one_digit(recognizer: Recognizer) -> None:
    # Its flag with half the foot reads as a "1", as does its stem with the other half:
    # but the whole reads surer than the flag's side, so no digit is swallowed.
    _assert_read(recognizer, _validation_photo("page_edge", 93, "1").image, "1")


def _validation_photo(kind: str, seed: int, text: str) -> PaperPhoto:
    """A validation writers' photo, known to show ``text`` (skips without ../shared)."""
    mnist_dir()
    pendigits()
    photo = make_photo("validation", kind, seed, len(text))
    assert photo.text == text
    return photo


def _assert_read(recognizer: Recognizer, image: np.ndarray, text: str) -> None:
    reading = read_number(recognizer, image)
    for model in reading.models:
        assert reading.number(model) == text


def _assert_touching_photo_read(recognizer: Recognizer, kind: str, seed: int, text: str) -> None:
    """The validation photo of ``text`` has two digits that touch, and reads exactly."""
    photo = _validation_photo(kind, seed, text)
    assert any(a[2] >= b[0] for a, b in itertools.pairwise(photo.boxes))  # they touch
    _assert_read(recognizer, photo.image, text)


def test_a_misread_number_tells_whether_its_digits_lost_on_the_prices(
    recognizer: Recognizer,
) -> None:
    # "1379": the 7's bar joined to the 3 reads as a sure "5", the 7's stem alone still
    # as a sure "7"; the right digits are among the candidates and lose by a hair.
    photo = _validation_photo("squared", 100_022, "1379")
    found = picture_ink(photo.image)
    assert found is not None
    candidates = ink_candidates(found[0], ink_reader(recognizer))
    assert candidates.digits() == "1579"
    assert candidates.score_of("1579") == pytest.approx(candidates.score())
    right = candidates.score_of("1379")
    assert right is not None
    assert candidates.score() - 0.2 < right < candidates.score()
    # No split of the candidates reads five digits, nor a digit no candidate reads.
    assert candidates.score_of("13799") is None
    assert candidates.score_of("1") is None


def _rings(
    size: tuple[int, int], boxes: Sequence[tuple[int, int, int, int]], width: int
) -> np.ndarray:
    """Dark rings (ellipses in ``boxes``, ``width`` pixels wide) on a white picture of
    ``size`` (width, height), as 8-bit values."""
    picture = Image.new("L", size, 255)
    draw = ImageDraw.Draw(picture)
    for box in boxes:
        draw.ellipse(box, outline=0, width=width)
    return np.asarray(picture)


def test_an_eight_whose_loops_do_not_meet_is_one_digit(recognizer: Recognizer) -> None:
    # Two rings one above the other, apart and a little askew: the digits of a number
    # stand side by side, so this is one digit (it read "00"). Side by side, they are two.
    stacked = _rings((160, 200), [(72, 22, 122, 92), (40, 100, 96, 176)], 8)
    reading = read_number(recognizer, stacked)
    assert len(reading.digits) == 1
    assert reading.digits[0].answer("cnn").digit == 8
    apart = _rings((220, 140), [(left, 25, left + 56, 115) for left in (30, 120)], 8)
    _assert_read(recognizer, apart, "00")


def test_a_lone_wide_zero_read_surely_whole_stays_one_digit(recognizer: Recognizer) -> None:
    # Both models read the ring as a 0, surely; its pieces read surely too, and with the
    # price of a digit that wide, it read "152".
    _assert_read(recognizer, _rings((230, 160), [(30, 30, 200, 130)], 9), "0")
