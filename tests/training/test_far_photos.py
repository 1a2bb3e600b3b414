"""Photos taken from further away: the writing small in the frame."""

from __future__ import annotations

import numpy as np
import pytest

from tests.shared_data import mnist_dir, pendigits
from training.far_photos import main
from training.paper_photos import FRAME, make_photo


@pytest.fixture(autouse=True)
def _shared_data() -> None:
    mnist_dir()  # the photos draw MNIST and pen digits: skip without ../shared
    pendigits()


def test_the_frame_sets_how_small_the_writing_is() -> None:
    near = make_photo("validation", "page_edge", 50_014)
    far = make_photo("validation", "page_edge", 50_014, frame=(8.0, 14.0))
    assert near.labels == far.labels
    for photo, (low, high) in ((near, FRAME), (far, (8.0, 14.0))):
        _, top, _, bottom = photo.boxes[0]
        # The picture is cropped from the page round the digit: as tall as the frame
        # says, or wider when the writing is wide.
        assert low * 0.9 <= photo.image.shape[0] / (bottom - top) <= high * 1.1
    # Without a frame, the photos are those the evaluation always read.
    again = make_photo("validation", "page_edge", 50_014, frame=FRAME)
    np.testing.assert_array_equal(near.image, again.image)


def test_the_count_reads_every_photo_kind(capsys: pytest.CaptureFixture[str]) -> None:
    main(["--count", "1"])
    table = capsys.readouterr().out.splitlines()
    assert table[0].split() == ["kind", "cnn", "dense"]
    assert [row.split()[0] for row in table[1:]] == [
        "plain",
        "ruled",
        "squared",
        "shadow",
        "page_edge",
        "dark",
        "all",
    ]
    assert table[-1].endswith("of 6")  # one photo of each of the six kinds
