"""Fixtures for the training tests: the offline MNIST copy and hand-made IDX files."""

from __future__ import annotations

import gzip
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from tests import shared_data
from tests.training.idx_files import idx_bytes
from training.data import Mnist, load_mnist

REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def mnist_dir() -> Path:
    """The four MNIST IDX files, found as the benchmarks and core tests find them."""
    return shared_data.mnist_dir()


@pytest.fixture(scope="session")
def mnist(mnist_dir: Path) -> Mnist:
    """All of MNIST, loaded once for the session."""
    return load_mnist(mnist_dir)


@pytest.fixture
def write_mnist(tmp_path: Path) -> Callable[..., Path]:
    """Write a tiny, valid MNIST folder (5 train, 3 test samples); returns the folder."""

    def write(gzipped: bool = True) -> Path:
        rng = np.random.default_rng(0)
        for prefix, count in (("train", 5), ("t10k", 3)):
            images = rng.integers(0, 256, (count, 28, 28), dtype=np.uint8)
            labels = rng.integers(0, 10, count, dtype=np.uint8)
            for stem, array, magic in (
                (f"{prefix}-images-idx3-ubyte", images, 2051),
                (f"{prefix}-labels-idx1-ubyte", labels, 2049),
            ):
                data = idx_bytes(array, magic)
                if gzipped:
                    (tmp_path / f"{stem}.gz").write_bytes(gzip.compress(data))
                else:
                    (tmp_path / stem).write_bytes(data)
        return tmp_path

    return write
