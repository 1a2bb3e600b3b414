"""Fitting the split chooser's prices: the choice re-run from cached reads."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest

from digitpad.core import Recognizer
from digitpad.core.number import PRICES, InkRead, Prices, ink_reader, split_ink
from tests.shared_data import mnist_dir
from training.fit_number_prices import Example, exact, examples, fit, tries


@pytest.fixture(scope="module")
def recognizer() -> Recognizer:
    return Recognizer.from_default_locations()


@pytest.fixture(scope="module")
def train_photos(recognizer: Recognizer) -> list[Example]:
    mnist_dir()  # the photos draw MNIST and pen digits: skip without ../shared
    return examples(recognizer, ["plain", "scan"], singles=3, numbers=6)


def test_the_cached_choice_with_the_prices_in_use_is_split_inks(
    recognizer: Recognizer, train_photos: list[Example]
) -> None:
    reader = ink_reader(recognizer)
    calls = []

    def counted(inks: Sequence[np.ndarray]) -> list[InkRead]:
        calls.append(len(inks))
        return reader(inks)

    for example in train_photos:
        boxes = [digit.box for digit in split_ink(example.candidates.ink, counted)]
        assert [digit.box for digit in example.candidates.choose(PRICES)] == boxes
        assert len(example.candidates.digits()) == len(boxes)
    assert len(calls) == len(train_photos)  # choosing again reads nothing


def test_other_prices_change_the_choice_without_reading_again(
    train_photos: list[Example],
) -> None:
    # A large bonus per digit over-splits some number into more digits; a dear cut
    # through ink keeps touching digits whole.
    counts = [len(e.candidates.digits()) for e in train_photos]
    greedy = Prices(digit_bonus=5.0)
    assert any(
        len(e.candidates.digits(greedy)) > n for e, n in zip(train_photos, counts, strict=True)
    )
    assert all(
        len(e.candidates.digits(greedy)) >= n for e, n in zip(train_photos, counts, strict=True)
    )


def test_the_search_never_reads_fewer_photos_exactly(train_photos: list[Example]) -> None:
    start = exact(train_photos, PRICES)
    prices, score = fit(train_photos, PRICES, rounds=1)
    assert score == exact(train_photos, prices) >= start


def test_the_values_tried_are_new_and_never_negative() -> None:
    values = tries(0.1)
    assert 0.0 in values
    assert 0.1 not in values
    assert all(v >= 0.0 for v in values)
