"""Non-digit generators and the drawn training data: ink from every kind, no digit look-alikes,
held-out kinds and fonts apart from the training ones, one rendering path."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from digitpad.core import Point, Stroke, assets_dir, preprocess_bitmap, render_for_model
from tests.shared_data import pendigits_dir
from training.drawn import model_input_from_strokes, render_many
from training.drawn_data import NOT_A_DIGIT, build_drawn_data
from training.non_digit_reference import write_non_digit_reference
from training.non_digits import (
    DIGIT_LIKE_LETTERS,
    FONTS_DIR,
    HELD_OUT_FONTS,
    HELD_OUT_KINDS,
    LETTERS,
    TRAINING_FONTS,
    TRAINING_KINDS,
    font_files,
)
from training.pen_styles import cross_seven, flag_one, open_loop_nine


@pytest.mark.parametrize("kinds", [TRAINING_KINDS, HELD_OUT_KINDS], ids=["training", "held out"])
def test_every_kind_draws_ink(kinds) -> None:
    rng = np.random.default_rng(0)
    for name, (make, _) in kinds.items():
        images, kept = render_many([make] * 5, rng)
        assert len(kept) == 5, name
        assert images.shape == (5, 28, 28)
        assert images.max() == 255


def test_held_out_non_digits_share_nothing_with_training() -> None:
    assert not set(TRAINING_KINDS) & set(HELD_OUT_KINDS)
    assert not set(TRAINING_FONTS) & set(HELD_OUT_FONTS)
    training_files, held_out_files = font_files(TRAINING_FONTS), font_files(HELD_OUT_FONTS)
    assert training_files
    assert held_out_files
    assert not set(training_files) & set(held_out_files)


def test_the_fonts_ship_with_the_repository() -> None:
    """Every font the generators use is a shipped file, never one installed on the machine."""
    files = font_files(TRAINING_FONTS) + font_files(HELD_OUT_FONTS)
    assert len(files) == 50  # as on the machine that trained the shipped models
    assert all(path.is_relative_to(FONTS_DIR) for path in files)
    for folder in {path.parent for path in files}:
        assert (folder / "LICENSE").is_file(), folder


def test_the_shipped_non_digits_are_rebuilt_bit_for_bit(tmp_path: Path) -> None:
    """The shipped fonts type the letters the models were trained with: the training kinds
    rebuild the app's reference non-digits (typed letters are 30 % of them) exactly."""
    rebuilt = np.load(write_non_digit_reference(tmp_path / "non-digits.npz"))["images"]
    shipped = np.load(assets_dir() / "reference" / "non-digits.npz")["images"]
    np.testing.assert_array_equal(rebuilt, shipped)


def test_letters_that_look_like_digits_are_left_out() -> None:
    assert not set(LETTERS) & set(DIGIT_LIKE_LETTERS)
    for letter in "OoIlZSBgq":
        assert letter not in LETTERS
    assert "A" in LETTERS
    assert "X" in LETTERS


def test_the_app_path_and_training_path_render_the_same_way() -> None:
    strokes = (Stroke(tuple(Point(x, 60 + x / 2) for x in range(40, 240, 5)), 18.0),)
    app = preprocess_bitmap(render_for_model(strokes))
    np.testing.assert_array_equal(model_input_from_strokes(strokes), app)


def test_style_edits_add_what_they_promise() -> None:
    rng = np.random.default_rng(1)
    stem = [np.array([[0.0, 0.0], [60.0, 0.0], [25.0, 100.0]])]
    crossed = cross_seven(stem, rng)
    assert len(crossed) == 2
    assert np.ptp(crossed[1][:, 1]) < np.ptp(crossed[1][:, 0])
    one = [np.array([[50.0, 0.0], [50.0, 100.0]])]
    flagged = flag_one(one, rng)
    assert len(flagged) >= 2
    assert flagged[0][0, 0] < 50
    assert flagged[0][-1, 1] == 0
    angles = np.linspace(0, 2 * np.pi, 60)
    nine = [np.concatenate([np.stack([50 + 25 * np.cos(angles), 25 + 25 * np.sin(angles)], 1),
                            [[75.0, 25.0], [70.0, 100.0]]])]  # fmt: skip
    assert len(open_loop_nine(nine, rng)) >= 2  # the loop is cut open


def test_drawn_training_data_holds_pen_digits_and_non_digits() -> None:
    data = build_drawn_data(
        pen_variants=2, non_digits=20, seed=3, folder=pendigits_dir(), log=lambda _: None, limit=30
    )
    labels = data.train.labels
    assert np.count_nonzero(labels == NOT_A_DIGIT) == 20
    assert np.count_nonzero(labels >= 0) == 60
    assert set(labels[labels >= 0]) <= set(range(10))
    assert data.train.images.shape[1:] == (28, 28)
    assert data.train.images.dtype == np.uint8
    assert len(data.validation_digits) == 30
    assert len(data.validation_non_digits) == 20
