"""Photos harder than the generator's own: the writing small in the frame, the page
turned further."""

from __future__ import annotations

import numpy as np
import pytest

from tests.shared_data import mnist_dir, pendigits
from training.harder_photos import main
from training.paper_photos import FRAME, TURN, make_photo


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


def test_the_turn_sets_how_crooked_the_page_is() -> None:
    # A number's digits stand along the page's rows: their centres rise as the page
    # turns (counterclockwise for positive degrees, rows counting down).
    for degrees in (0.0, 14.0, -14.0):
        photo = make_photo("validation", "ruled", 50_001, 5, turn=(degrees, degrees))
        centres = np.array([((x0 + x1) / 2, (y0 + y1) / 2) for x0, y0, x1, y1 in photo.boxes])
        slope = np.polyfit(centres[:, 0], centres[:, 1], 1)[0]
        assert abs(np.degrees(np.arctan(slope)) + degrees) <= 1.5
    again = make_photo("validation", "ruled", 50_001, turn=TURN)
    np.testing.assert_array_equal(make_photo("validation", "ruled", 50_001).image, again.image)


def test_the_count_reads_every_photo_kind(capsys: pytest.CaptureFixture[str]) -> None:
    main(["--count", "1", "--turn", "10", "16"])
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
