"""MNIST loading: the four original IDX files from a local folder, or Keras's download.

The build and test machines have no internet, so a folder of IDX files (gzipped or not)
is the main path; a bad file must say which file and what is wrong, never surface as a
numpy traceback.
"""

from __future__ import annotations

import gzip
import os
import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

# The offline MNIST copy the tests, benchmarks and docs read (the one place this rule
# lives): $DIGITPAD_MNIST_DIR, or ../shared/data/mnist beside the repository.
MNIST_DIR = Path(
    os.environ.get(
        "DIGITPAD_MNIST_DIR", Path(__file__).resolve().parents[2] / "shared" / "data" / "mnist"
    )
)
IMAGES_MAGIC = 2051
LABELS_MAGIC = 2049
IMAGE_SIDE = 28
NUM_CLASSES = 10

_SPLIT_FILES = {
    "train": ("train-images-idx3-ubyte", "train-labels-idx1-ubyte"),
    "test": ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"),
}


class MnistDataError(Exception):
    """An MNIST file is missing, truncated or not the IDX file it claims to be."""


@dataclass(frozen=True)
class Split:
    """Images (N, 28, 28) uint8, ink bright on dark, and their labels (N,) uint8."""

    images: np.ndarray
    labels: np.ndarray

    def __len__(self) -> int:
        return len(self.labels)

    def head(self, count: int) -> Split:
        """The first ``count`` samples, for smoke runs and tests."""
        return Split(self.images[:count], self.labels[:count])


@dataclass(frozen=True)
class Mnist:
    """The 60,000 training and 10,000 test samples."""

    train: Split
    test: Split


def _find(data_dir: Path, stem: str) -> Path:
    for candidate in (data_dir / f"{stem}.gz", data_dir / stem):
        if candidate.is_file():
            return candidate
    raise MnistDataError(f"{data_dir / stem}(.gz): file not found in the MNIST folder")


def _read_bytes(path: Path) -> bytes:
    try:
        if path.suffix == ".gz":
            with gzip.open(path, "rb") as stream:
                return stream.read()
        return path.read_bytes()
    except (OSError, EOFError, gzip.BadGzipFile) as error:
        raise MnistDataError(f"{path}: cannot read ({error})") from error


def read_idx(path: Path, magic: int, item_shape: tuple[int, ...]) -> np.ndarray:
    """Read one IDX file and check its magic number, item shape and length.

    Parameters
    ----------
    path
        The IDX file, gzipped when its name ends in ``.gz``.
    magic
        The expected magic number (2051 images, 2049 labels).
    item_shape
        The expected shape of one item: ``(28, 28)`` for images, ``()`` for labels.
    """
    raw = _read_bytes(path)
    ndim = 1 + len(item_shape)
    header_size = 4 + 4 * ndim
    if len(raw) < header_size:
        raise MnistDataError(f"{path}: truncated, {len(raw)} bytes is shorter than the header")
    (found_magic,) = struct.unpack(">I", raw[:4])
    if found_magic != magic:
        raise MnistDataError(f"{path}: wrong magic number {found_magic}, expected {magic}")
    dims = struct.unpack(f">{ndim}I", raw[4:header_size])
    if tuple(dims[1:]) != item_shape:
        raise MnistDataError(f"{path}: item shape {dims[1:]}, expected {item_shape}")
    expected = int(np.prod(dims))
    body = len(raw) - header_size
    if body != expected:
        what = "truncated" if body < expected else "too long"
        raise MnistDataError(f"{path}: {what}, {body} data bytes where the header says {expected}")
    return np.frombuffer(raw, dtype=np.uint8, offset=header_size).reshape(dims)


def load_split(data_dir: Path, split: str) -> Split:
    """Load the ``train`` or ``test`` split from a folder of IDX files and validate it."""
    images_stem, labels_stem = _SPLIT_FILES[split]
    images_path = _find(data_dir, images_stem)
    labels_path = _find(data_dir, labels_stem)
    images = read_idx(images_path, IMAGES_MAGIC, (IMAGE_SIDE, IMAGE_SIDE))
    labels = read_idx(labels_path, LABELS_MAGIC, ())
    if len(images) != len(labels):
        raise MnistDataError(
            f"{images_path} holds {len(images)} images but {labels_path} holds {len(labels)} labels"
        )
    if labels.size and labels.max() >= NUM_CLASSES:
        raise MnistDataError(f"{labels_path}: label {labels.max()} is outside 0-9")
    return Split(images, labels)


def load_mnist(data_dir: Path | str | None = None) -> Mnist:
    """Load MNIST from ``data_dir``, or through ``keras.datasets.mnist`` when it is None.

    Raises
    ------
    MnistDataError
        When a file is missing, unreadable, truncated or has the wrong header.
    """
    if data_dir is None:
        import keras

        (x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
        return Mnist(Split(x_train, y_train), Split(x_test, y_test))
    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        raise MnistDataError(f"{data_dir}: MNIST folder not found")
    return Mnist(load_split(data_dir, "train"), load_split(data_dir, "test"))
