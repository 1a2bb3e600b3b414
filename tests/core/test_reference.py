"""The shipped reference digits are real MNIST training digits, and a bad file is refused."""

from __future__ import annotations

import numpy as np
import pytest

from digitpad.core import ReferenceDataError, load_reference_digits, read_reference_digits
from tests.shared_data import mnist_dir
from training.data import load_split


def test_reference_digits_are_the_mnist_training_digits_they_name() -> None:
    reference = load_reference_digits()
    train = load_split(mnist_dir(), "train")
    assert len(reference) == 10_000
    assert np.bincount(reference.labels, minlength=10).tolist() == [1000] * 10
    np.testing.assert_array_equal(reference.images, train.images[reference.indices])
    np.testing.assert_array_equal(reference.labels, train.labels[reference.indices])


def test_a_pickled_reference_file_is_refused_without_unpickling(tmp_path) -> None:
    path = tmp_path / "evil.npz"
    np.savez(path, images=np.array([object()], dtype=object), labels=[1], indices=[0])
    with pytest.raises(ReferenceDataError, match=r"evil\.npz"):
        read_reference_digits(path)


@pytest.mark.parametrize("content", [b"", b"PK\x03\x04 truncated zip", b"\x93NUMPY junk"])
def test_a_damaged_reference_file_is_one_clear_error(tmp_path, content) -> None:
    path = tmp_path / "broken.npz"
    path.write_bytes(content)
    with pytest.raises(ReferenceDataError, match="not a readable reference file"):
        read_reference_digits(path)


def test_arrays_of_the_wrong_shape_are_refused(tmp_path) -> None:
    path = tmp_path / "wrong.npz"
    np.savez(path, images=np.zeros((2, 14, 14), np.uint8), labels=np.zeros(2), indices=[0, 1])
    with pytest.raises(ReferenceDataError, match="documented shapes"):
        read_reference_digits(path)
