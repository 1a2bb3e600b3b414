"""Stray marks on a picture (a fragment of ink beside a digit, a stub of a ruled line)
are not digits of their own, while short digits of a number stay digits."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw

from digitpad.core import Recognizer, read_number


def _ring_and_mark(mark_height: int, gap: int) -> np.ndarray:
    """A ring ("0") 100 px tall, and a mark 5 px wide and ``mark_height`` tall
    ``gap`` px right of it by its top, dark on white."""
    image = Image.new("L", (200, 160), 255)
    draw = ImageDraw.Draw(image)
    draw.ellipse((40, 30, 100, 130), outline=0, width=9)
    draw.rectangle((100 + gap, 30, 100 + gap + 4, 30 + mark_height), fill=0)
    return np.asarray(image)


@pytest.mark.parametrize("mark_height", [14, 28])
@pytest.mark.parametrize("gap", [4, 14])
def test_a_short_mark_beside_a_digit_is_no_digit(
    recognizer: Recognizer, mark_height: int, gap: int
) -> None:
    # Before, the mark read as a "1": a lone 0 became "01".
    reading = read_number(recognizer, _ring_and_mark(mark_height, gap))
    for model in reading.models:
        assert reading.number(model) == "0"


def test_a_digit_half_as_tall_as_its_neighbour_stays_a_digit(recognizer: Recognizer) -> None:
    image = Image.new("L", (240, 160), 255)
    draw = ImageDraw.Draw(image)
    draw.ellipse((30, 30, 90, 130), outline=0, width=9)
    draw.ellipse((120, 80, 150, 130), outline=0, width=7)
    reading = read_number(recognizer, np.asarray(image))
    for model in reading.models:
        assert reading.number(model) == "00"
