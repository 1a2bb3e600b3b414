"""Augmentation: seeded, in range, and the digit stays MNIST-normalised."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("tensorflow", reason="needs TensorFlow: install the train extra")

import tensorflow as tf

from training.augment import augment_batch
from training.data import Mnist
from training.recipe import Augmentation

pytestmark = pytest.mark.training

NO_CHANGE = Augmentation(
    max_rotation_degrees=0,
    min_scale=1,
    max_scale=1,
    max_shear=0,
    max_shift_pixels=0,
    thicken_probability=0,
    thin_probability=0,
)


@pytest.fixture
def digits(mnist: Mnist) -> tf.Tensor:
    return tf.constant(mnist.train.images[:256, :, :, None].astype(np.float32))


def _seed(step: int) -> tf.Tensor:
    return tf.constant([1234, step], tf.int64)


def _centre_of_mass(images: np.ndarray) -> np.ndarray:
    grid = np.arange(28, dtype=np.float64)
    mass = images.sum(axis=(1, 2))
    rows = (images.sum(axis=2) * grid).sum(axis=1) / mass
    columns = (images.sum(axis=1) * grid).sum(axis=1) / mass
    return np.stack([rows, columns], axis=1)


def test_zero_ranges_leave_images_unchanged(digits: tf.Tensor) -> None:
    np.testing.assert_array_equal(augment_batch(digits, _seed(0), NO_CHANGE), digits)


def test_same_seed_same_images_other_step_other_images(digits: tf.Tensor) -> None:
    first = augment_batch(digits, _seed(7)).numpy()
    np.testing.assert_array_equal(first, augment_batch(digits, _seed(7)).numpy())
    assert np.abs(first - augment_batch(digits, _seed(8)).numpy()).mean() > 5


def test_augmented_digits_stay_centred_and_in_range(digits: tf.Tensor) -> None:
    augmented = augment_batch(digits, _seed(3)).numpy()[..., 0]
    original = digits.numpy()[..., 0]
    assert augmented.min() >= 0
    assert augmented.max() <= 255
    assert np.abs(augmented - original).mean() > 5  # it really changed them
    moved = np.linalg.norm(_centre_of_mass(augmented) - _centre_of_mass(original), axis=1)
    assert moved.max() < 4.0  # shift <= 2 px per axis plus rounding from rotation/scale
    ink = augmented > 64
    touches_frame = (
        ink[:, 0].any(1) | ink[:, -1].any(1) | ink[:, :, 0].any(1) | ink[:, :, -1].any(1)
    )
    assert touches_frame.mean() < 0.2  # most digits keep a blank border, as in MNIST
