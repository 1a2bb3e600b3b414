"""The drawn part of the training and validation data: pen digits and non-digits as 28x28.

Pen digits come from the training writers only, each rendered ``pen_variants`` times as a
different hand and pen would draw it (``training.pen_styles``, ``training.drawn``).
Non-digits come from ``training.non_digits.TRAINING_KINDS``; the validation non-digits are
the same kinds from another seed. Validation pen digits are the validation writers' digits
rendered exactly as the app reads a drawing. No TensorFlow here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from training.data import Split
from training.drawn import model_input_from_strokes, render_many
from training.non_digits import TRAINING_KINDS, Maker, makers
from training.pen_styles import styled_drawing
from training.pendigits import DEFAULT_PENDIGITS, PenDigit, load_pendigits, split_by_writer

NOT_A_DIGIT = -1  # the label of a non-digit: its training target is all ten digits alike
VALIDATION_NON_DIGITS = 2000


@dataclass(frozen=True)
class DrawnData:
    """Pen digits and non-digits for one training run (uint8 28x28, ink bright)."""

    train: Split  # pen renders and non-digits; non-digits have label NOT_A_DIGIT
    validation_digits: Split  # the validation writers, rendered as the app does
    validation_non_digits: np.ndarray  # (N, 28, 28)


def app_inputs(digits: list[PenDigit]) -> Split:
    """Pen digits as the app reads them when drawn on its canvas (no randomness)."""
    images, labels = [], []
    for digit in digits:
        image = model_input_from_strokes(digit.canvas_strokes())
        if image is not None:
            images.append(np.rint(image).astype(np.uint8))
            labels.append(digit.label)
    return Split(np.stack(images), np.array(labels, dtype=np.uint8))


def _pen_makers(digits: list[PenDigit], variants: int) -> list[Maker]:
    def maker(digit: PenDigit) -> Maker:
        return lambda rng: styled_drawing(digit.screen_strokes(), digit.label, rng)

    return [maker(digit) for digit in digits for _ in range(variants)]


def render_validation_non_digits(count: int, seed: int) -> np.ndarray:
    """The validation non-digits of a run with ``seed``: the training kinds, another seed."""
    rng = np.random.default_rng(seed + 1)
    images, _ = render_many(makers(TRAINING_KINDS, count, rng), rng, randomise=False)
    return images


def build_drawn_data(
    pen_variants: int,
    non_digits: int,
    seed: int,
    folder: Path | str = DEFAULT_PENDIGITS,
    log: Callable[[str], None] = print,
    limit: int | None = None,
) -> DrawnData:
    """Render the drawn training and validation data (about 3 ms per image).

    ``limit`` keeps only the first digits of each split, for smoke runs.
    """
    digits = load_pendigits(folder)
    train_digits = split_by_writer(digits, "train")[:limit]
    validation_digits = split_by_writer(digits, "validation")[:limit]
    rng = np.random.default_rng(seed)
    pen_images, pen_kept = render_many(_pen_makers(train_digits, pen_variants), rng)
    pen_labels = np.repeat([d.label for d in train_digits], pen_variants)[pen_kept]
    other_images, _ = render_many(makers(TRAINING_KINDS, non_digits, rng), rng)
    log(
        f"drawn data: {len(pen_images)} renders of {len(train_digits)} pen digits, "
        f"{len(other_images)} non-digits"
    )
    validation_others = render_validation_non_digits(
        min(VALIDATION_NON_DIGITS, max(non_digits, 1)), seed
    )
    train = Split(
        np.concatenate([pen_images, other_images]),
        np.concatenate([pen_labels, np.full(len(other_images), NOT_A_DIGIT)]).astype(np.int64),
    )
    return DrawnData(train, app_inputs(validation_digits), validation_others)
