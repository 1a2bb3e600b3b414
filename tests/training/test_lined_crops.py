"""Digits written on a printed line, cropped clean: the pictures the count reads."""

from __future__ import annotations

import numpy as np

from digitpad.core.preprocessing import looks_clean
from tests.shared_data import mnist_dir, pendigits
from training.lined_crops import LINE, lined_crop


def test_a_lined_crop_is_the_clean_crop_with_one_line_under_the_digit() -> None:
    mnist_dir()  # the photos draw MNIST and pen digits: skip without ../shared
    pendigits()
    crop, lined, text = lined_crop("validation", 2)
    assert text == "7"
    changed = np.flatnonzero((crop != lined).any(axis=1))
    # Two rows, across the whole crop, below every row of the digit's ink.
    assert changed.size == 2
    assert (lined[changed] <= LINE).all()
    ink_rows = np.flatnonzero((crop < 128).any(axis=1))
    assert changed[0] > ink_rows[-1]
    # The crop alone is a clean picture; with the line under the digit it is not.
    assert looks_clean(crop)
    assert not looks_clean(lined)
