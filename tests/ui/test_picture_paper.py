"""Drawing over an opened photo reads like drawing on its paper: a picture that is not the
canvas's shape is padded with its own paper colour, light or dark, never with white."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw

from tests.ui.input_events import mouse_stroke

BEIGE, BROWN_INK = (226, 212, 178), (70, 50, 40)
SLATE, CHALK = (38, 44, 52), (228, 228, 218)


def write_seven_photo(path: Path, size: tuple[int, int], paper, ink) -> tuple[float, float]:
    """A noisy JPEG 'photo' of a 7 filling the middle of ``size``; returns the middle of
    its top bar as a fraction of the picture's width and height."""
    width, height = size
    side = min(width, height) * 0.6
    left, top = (width - side) / 2, (height - side) / 2
    picture = Image.new("RGB", size, paper)
    bar_y = top + side * 0.1
    ImageDraw.Draw(picture).line(
        [(left + side * 0.15, bar_y), (left + side * 0.85, bar_y), (left + side * 0.4, top + side)],
        fill=ink,
        width=round(side * 0.09),
        joint="curve",
    )
    noisy = np.asarray(picture, np.float32) + np.random.default_rng(7).normal(
        0, 5, (height, width, 3)
    )
    Image.fromarray(np.clip(noisy, 0, 255).astype(np.uint8)).save(path, quality=90)
    return 0.5, bar_y / height


def scene_point(window, fraction: tuple[float, float]) -> tuple[float, float]:
    """The scene position of a point given as a fraction of the opened picture."""
    picture = window.canvas.content.background
    scene = window.canvas.scene_rect()
    scale = min(scene.width() / picture.width(), scene.height() / picture.height())
    left = (scene.width() - picture.width() * scale) / 2
    top = (scene.height() - picture.height() * scale) / 2
    return left + fraction[0] * picture.width() * scale, top + fraction[
        1
    ] * picture.height() * scale


@pytest.mark.parametrize(
    ("size", "paper", "ink"),
    [
        ((2000, 3000), BEIGE, BROWN_INK),  # portrait: padded left and right
        ((2000, 3000), SLATE, CHALK),
        ((3000, 2000), BEIGE, BROWN_INK),  # landscape
    ],
    ids=["portrait-beige", "portrait-slate", "landscape-beige"],
)
def test_a_dot_drawn_on_a_photo_keeps_its_reading(qtbot, window, tmp_path, size, paper, ink):
    photo = tmp_path / "seven.jpg"
    bar = write_seven_photo(photo, size, paper, ink)
    assert window.open_image_file(photo)
    assert window.headline_answer().digit == 7

    x, y = scene_point(window, bar)
    mouse_stroke(qtbot, window.canvas, [(x, y), (x + 1.5, y)])  # a dot on the 7's bar

    drawn = window.canvas.render_bitmap()
    corner = drawn.pixelColor(0, drawn.height() // 2)  # the padding, or the photo's edge
    assert max(abs(corner.red() - paper[0]), abs(corner.blue() - paper[2])) < 16
    for name, answer in window.prediction().answers.items():
        assert answer.digit == 7, (name, answer)
