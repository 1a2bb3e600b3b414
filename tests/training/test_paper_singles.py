"""Lone digits on paper read as several: the count the split chooser is judged by."""

from __future__ import annotations

from digitpad.core import Recognizer
from tests.shared_data import mnist_dir, pendigits
from training.paper_singles import over_split


def test_a_lone_digit_cut_in_two_is_counted_and_named() -> None:
    mnist_dir()  # the photos draw MNIST and pen digits: skip without ../shared
    pendigits()
    recognizer = Recognizer.from_default_locations()
    # Of the first 36 validation photos on a dark board, one (a 9) is read as two
    # digits (``python -m training.paper_singles`` lists it); the others as one.
    read, found = over_split(recognizer, "validation", ["dark"], 36)
    assert read == 36
    assert [(kind, seed, text) for kind, seed, text, _ in found] == [("dark", 35, "9")]
    assert len(found[0][3]) == 2
