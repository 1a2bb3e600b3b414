"""A picture's paper: the colour that pads it and the polarity of ink drawn on it."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from digitpad.core import Recognizer, has_dark_background, picture_paper, samples_dir

BEIGE = (232, 220, 190)


def _photo(paper: tuple[int, int, int], ink: tuple[int, int, int], seed: int = 0) -> np.ndarray:
    """A noisy 300x200 'photo' of a bar on coloured paper."""
    rng = np.random.default_rng(seed)
    picture = np.empty((200, 300, 3), np.float32)
    picture[:] = paper
    picture[40:160, 140:160] = ink
    picture += rng.normal(0, 4, picture.shape)
    return np.clip(picture, 0, 255).astype(np.uint8)


def test_paper_is_the_borders_colour_not_white() -> None:
    paper = picture_paper(_photo(BEIGE, (60, 40, 30)))
    assert np.abs(np.subtract(paper.colour, BEIGE)).max() <= 2
    assert not paper.dark


def test_dark_paper_is_dark_and_agrees_with_the_ink_reading() -> None:
    photo = _photo((35, 40, 48), (235, 235, 225))
    paper = picture_paper(photo)
    assert paper.dark
    assert paper.dark == has_dark_background(photo)
    assert np.abs(np.subtract(paper.colour, (35, 40, 48))).max() <= 2


def test_same_answer_for_a_pil_picture_and_its_array() -> None:
    photo = _photo(BEIGE, (60, 40, 30))
    assert picture_paper(Image.fromarray(photo)) == picture_paper(photo)


def test_transparent_paper_takes_the_tone_the_ink_reading_gives_it() -> None:
    strokes = np.zeros((100, 100, 4), np.uint8)
    strokes[20:80, 45:55] = (0, 0, 0, 255)  # black strokes on a transparent sheet
    paper = picture_paper(strokes)
    assert paper.colour == (255, 255, 255)
    assert not paper.dark
    strokes[20:80, 45:55] = (255, 255, 255, 255)  # white strokes: the sheet reads dark
    paper = picture_paper(strokes)
    assert paper.colour == (0, 0, 0)
    assert paper.dark


def test_grey_arrays_work() -> None:
    assert picture_paper(np.full((10, 10), 20, np.uint8)).colour == (20, 20, 20)


def _dim_photo(digit: str, paper: int, ink: int, seed: int = 0) -> np.ndarray:
    """A bundled sample drawing as an evenly lit photo on grey paper: ``paper`` where it is
    blank, ``ink`` where its pen went, with sensor noise (a dim room's phone photo)."""
    drawing = np.asarray(Image.open(samples_dir() / f"digit-{digit}.png").convert("L"))
    pen = 1.0 - drawing.astype(np.float32) / 255.0  # 1 where the black ink is
    picture = paper + (ink - paper) * pen + np.random.default_rng(seed).normal(0, 3, pen.shape)
    return np.clip(picture, 0, 255).astype(np.uint8)


@pytest.mark.parametrize(("paper", "ink"), [(125, 60), (100, 30), (150, 230), (90, 170)])
def test_mid_grey_paper_is_read_in_the_inks_direction(
    recognizer: Recognizer, paper: int, ink: int
) -> None:
    """Paper near the middle grey (a dim photo, evenly lit, so read as a clean picture) is
    dark or light by which way its ink stands out, not by which side of 128 it is: grey
    125 paper was once taken for a dark board and its dark 1 for no ink at all."""
    photo = _dim_photo("1", paper, ink)
    assert has_dark_background(photo) == (ink > paper) == picture_paper(photo).dark
    answers = recognizer.predict(photo).answers
    assert {answer.digit for answer in answers.values()} == {1}
