"""Touching digits on a picture: the models choose among the candidate cuts."""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw

from digitpad.core import Recognizer, read_number
from digitpad.core.number import split_ink


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


def test_touching_digits_are_cut_where_they_touch() -> None:
    ink = _touching_rings()
    ring = 61  # a ring's width in pixels

    def reader(digit_ink: np.ndarray) -> tuple[int, float]:
        # Sure only of a whole ring: any cut through a ring leaves a half ring.
        return 0, 0.95 if abs(_width(digit_ink) - ring) <= 8 else 0.3

    digits = split_ink(ink, reader)
    assert len(digits) == 2
    for digit in digits:
        assert abs((digit.box[2] - digit.box[0]) - ring) <= 8


def test_the_models_choose_the_cut_not_the_ink() -> None:
    # The cheapest cut runs where the rings touch; a reader sure only of a narrow left
    # part and a wide right one makes a dearer cut, through the first ring, win.
    ink = _touching_rings()

    def reader(digit_ink: np.ndarray) -> tuple[int, float]:
        width = _width(digit_ink)
        return 1, 0.95 if width <= 25 or 100 <= width <= 120 else 0.3

    digits = split_ink(ink, reader)
    assert _width(digits[0].ink) <= 25


def test_touching_real_digits_are_split_and_read(recognizer: Recognizer) -> None:
    picture = (255 - _touching_rings() * 255).astype(np.uint8)
    reading = read_number(recognizer, picture)
    for model in reading.models:
        assert reading.number(model) == "00"
