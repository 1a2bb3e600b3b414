"""Writing small in a big photo is read again on the part of the photo round it, where
its digits stand larger than on the photo's working copy."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from digitpad.core import read_number
from digitpad.core.number import ZOOM_BELOW
from digitpad.core.preprocessing import grow_mask, looks_clean, picture_ink
from tests.shared_data import mnist_dir, pendigits_dir
from training.paper_photos import make_photo

FURTHER = (8.0, 14.0)  # ``training.harder_photos --frame 8 14``


def _photo(kind: str, seed: int, digits: int, frame: tuple[float, float] = FURTHER):
    mnist_dir(), pendigits_dir()  # the generator draws from both: skip without ../shared
    return make_photo("validation", kind, seed, digits, frame)


def _overlap(a: tuple[float, ...], b: tuple[float, ...]) -> float:
    """How much of box ``b`` lies inside box ``a``."""
    width = min(a[2], b[2]) - max(a[0], b[0])
    height = min(a[3], b[3]) - max(a[1], b[1])
    return max(0.0, width) * max(0.0, height) / ((b[2] - b[0]) * (b[3] - b[1]))


@pytest.mark.parametrize(("kind", "seed", "digits"), [("plain", 50_007, 3)])
def test_a_number_small_in_the_frame_is_read_closer(recognizer, kind, seed, digits) -> None:
    # On the working copy the number's digits stand 35 pixels tall, and its 0 read
    # "7" ("657"); on the part of the photo round them, at full size, they are 1.7 times
    # as tall and read "650". The boxes are the photo's own pixels.
    photo = _photo(kind, seed, digits)
    found = picture_ink(photo.image)
    assert found is not None
    _, (_, down) = found
    assert max(b[3] - b[1] for b in photo.boxes) / down < ZOOM_BELOW
    reading = read_number(recognizer, photo.image)
    assert reading.number("cnn") == photo.text
    assert len(reading.digits) == len(photo.boxes)
    for digit, truth in zip(reading.digits, photo.boxes, strict=True):
        assert _overlap(digit.box, truth) > 0.8


@pytest.mark.parametrize(
    ("kind", "seed", "digits", "frame", "text"),
    [("page_edge", 50_007, 1, FURTHER, "6"), ("shadow", 50_005, 3, (15.0, 25.0), "871")],
)
def test_digits_read_surely_are_not_looked_at_again(
    recognizer, kind, seed, digits, frame, text
) -> None:
    # Read surely on the working copy, they are what they are: a 6 written like "le"
    # read "18" closer, and an "871" read "821".
    photo = _photo(kind, seed, digits, frame)
    assert photo.text == text
    assert read_number(recognizer, photo.image).number("cnn") == text


def test_writing_tall_on_the_working_copy_is_read_once(recognizer, monkeypatch) -> None:
    # The generator's own photos hold the phone close: their digits stand 90 pixels or
    # more on the working copy, and nothing is read twice.
    photo = _photo("ruled", 100_003, 5, frame=(2.2, 5.0))
    calls = []
    original = picture_ink

    def counting(image, photo=False):
        calls.append(np.shape(image))
        return original(image, photo)

    monkeypatch.setattr("digitpad.core.number._number.picture_ink", counting)
    read_number(recognizer, photo.image)
    assert len(calls) == 1


def test_the_part_looked_at_closer_is_read_as_paper() -> None:
    # Round a faint 7 on ruled paper in a shadow, the part of the photo is mostly one
    # tone, so it looks like a clean picture; read so, its ink was only specks, split
    # into ten digits. Read as the photo of paper it is part of, the ink is the 7.
    photo = _photo("shadow", 50_026, 1)
    x0, y0, x1, y1 = photo.boxes[0]
    side = y1 - y0
    part = photo.image[y0 - side : y1 + side, x0 - side : x1 + side]
    truth = photo.ink[y0 - side : y1 + side, x0 - side : x1 + side]
    assert looks_clean(np.asarray(Image.fromarray(part).convert("L")))
    found = picture_ink(part, photo=True)
    assert found is not None
    ink, (across, down) = found
    assert (across, down) == (1.0, 1.0)
    near_truth = grow_mask(grow_mask(grow_mask(truth)))
    assert np.mean(near_truth[ink > 0]) > 0.9
    assert np.mean(ink[truth] > 0) > 0.75


def test_more_small_digits_than_a_number_holds_are_not_looked_at_closer(
    recognizer, monkeypatch
) -> None:
    # Many small "digits" on a far photo are mostly specks of a board or a desk: looking
    # closer at them costs hundreds of candidates. Allowed fewer than this photo's three,
    # the photo keeps its first reading.
    monkeypatch.setattr("digitpad.core.number._number.ZOOM_MOST", 2)
    photo = _photo("plain", 50_007, 3)
    assert read_number(recognizer, photo.image).number("cnn") == "657"
