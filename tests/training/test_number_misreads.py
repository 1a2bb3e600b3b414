"""Why photos' numbers are misread: lost on the prices, or never among the candidates."""

from __future__ import annotations

import pytest

from digitpad.core import Recognizer
from tests.shared_data import mnist_dir, pendigits
from training.number_misreads import main, misread


@pytest.fixture(scope="module")
def recognizer() -> Recognizer:
    mnist_dir()  # the photos draw MNIST and pen digits: skip without ../shared
    pendigits()
    return Recognizer.from_default_locations()


def test_a_number_whose_right_digits_lost_on_the_prices(recognizer: Recognizer) -> None:
    # "1379": the 7's bar joined to the 3 reads as a sure "5" beside the 7's stem.
    found = misread(recognizer, "validation", "squared", 100_022, 4)
    assert found is not None
    assert (found.text, found.read) == ("1379", "1579")
    assert found.lost_by is not None
    assert 0.0 < found.lost_by < 0.2


def test_a_number_no_split_of_the_candidates_reads(recognizer: Recognizer) -> None:
    found = misread(recognizer, "validation", "plain", 100_004, 2)
    assert found is not None
    assert (found.text, found.read, found.lost_by) == ("46", "16", None)


def test_a_number_read_right_is_no_misread(recognizer: Recognizer) -> None:
    assert misread(recognizer, "validation", "plain", 100_002, 4) is None


def test_the_command_line_counts_both_kinds(capsys: pytest.CaptureFixture[str]) -> None:
    mnist_dir()
    main(["--split", "validation", "--numbers", "3"])
    out = capsys.readouterr().out
    assert "of 18 photos' numbers misread" in out
    assert "lost on the prices:" in out
