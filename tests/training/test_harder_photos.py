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


def test_on_a_desk_the_page_lies_in_the_middle_of_the_desk() -> None:
    page = make_photo("validation", "plain", 50_002, frame=FRAME)
    on_desk = make_photo("validation", "plain", 50_002, on_desk=(0.5, 0.5))
    height, width = page.image.shape[:2]
    pad = int(0.5 * max(height, width))
    assert on_desk.image.shape[:2] == (height + 2 * pad, width + 2 * pad)
    # The ink and the boxes moved with the page.
    assert on_desk.ink[pad : pad + height, pad : pad + width].sum() == page.ink.sum()
    assert on_desk.boxes[0] == tuple(v + pad for v in page.boxes[0])
    # The desk all round differs from the paper: its corners are far from the page's.
    grey = on_desk.image.astype(np.float32).mean(axis=2)
    assert abs(grey[:pad, :pad].mean() - grey[pad : pad + height, pad : pad + width].mean()) > 30


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
