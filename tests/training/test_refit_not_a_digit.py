"""Digits on paper for the "not a digit" detectors: the photos' digits are the model
inputs reading a photo makes."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from digitpad.core import Recognizer, read_number
from tests.shared_data import mnist_dir, pendigits_dir
from training.paper_photos import KINDS, make_photo

pytest.importorskip("tensorflow", reason="the refit needs the train extra")
from training.refit_not_a_digit import paper_digits

MODELS = Path(__file__).resolve().parents[2] / "assets" / "models"


@pytest.fixture(scope="module")
def recognizer() -> Recognizer:
    mnist_dir(), pendigits_dir()  # the photos draw from both: skip without ../shared
    return Recognizer.from_folders([MODELS])


def test_paper_digits_are_what_reading_a_photo_gives_the_models(recognizer) -> None:
    digits = paper_digits(recognizer, "train", 2)
    assert len(digits) == len(digits.images)
    assert 10 <= len(digits) <= 2 * len(KINDS)
    assert digits.images.shape[1:] == (28, 28)
    # The first photo of the first kind, read as the app reads it.
    photo = make_photo("train", KINDS[0], 0)
    read = read_number(recognizer, photo.image).digits[0].prediction.model_input
    assert read is not None
    np.testing.assert_array_equal(digits.images[0], read)
    assert digits.labels[0] == photo.labels[0]
    # Real digits, not blanks: the CNN reads most of them right.
    answers = recognizer.predict_model_inputs(digits.images)
    read_digits = [p.answers["cnn"].digit for p in answers]
    assert np.mean(np.array(read_digits) == digits.labels) > 0.8
