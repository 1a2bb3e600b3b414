"""The reference digits shipped with the app: real MNIST training digits with their labels.

Explanations show the ones a model finds closest to a drawing; fine-tuning replays them
so a personal model keeps reading MNIST. Built by ``python -m training.reference_set``.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from digitpad.core.paths import assets_dir

# Relative to the assets folder.
REFERENCE_FILE = "reference/mnist-train-subset.npz"


class ReferenceDataError(Exception):
    """The reference file is missing or damaged; the message says which and why."""


@dataclass(frozen=True)
class ReferenceDigits:
    """Images ``(N, 28, 28)`` uint8 ink bright, labels ``(N,)``, MNIST training indices."""

    images: np.ndarray
    labels: np.ndarray
    indices: np.ndarray

    def __len__(self) -> int:
        return len(self.labels)


def read_npz_arrays(path: Path, keys: tuple[str, ...], what: str) -> tuple[np.ndarray, ...]:
    """The arrays ``keys`` of the shipped ``.npz`` file ``path`` (plain arrays only:
    pickled objects are refused); ReferenceDataError naming ``what`` when unreadable."""
    try:
        with path.open("rb") as stream:
            archive = np.load(stream, allow_pickle=False)
            if not isinstance(archive, np.lib.npyio.NpzFile):
                raise ValueError("not an .npz archive")
            with archive:
                return tuple(archive[key] for key in keys)
    except (OSError, EOFError, KeyError, ValueError, TypeError, zipfile.BadZipFile) as error:
        raise ReferenceDataError(f"{path}: not a readable {what} ({error})") from None


def read_reference_digits(path: Path) -> ReferenceDigits:
    """Read and check a reference file."""
    images, labels, indices = read_npz_arrays(
        path, ("images", "labels", "indices"), "reference file"
    )
    count = len(labels)
    if (
        images.dtype != np.uint8
        or images.shape != (count, 28, 28)
        or indices.shape != (count,)
        or labels.shape != (count,)
        or (count and int(labels.max()) > 9)
    ):
        raise ReferenceDataError(f"{path}: arrays do not have the documented shapes")
    return ReferenceDigits(images, labels.astype(np.int64), indices.astype(np.int64))


@lru_cache(maxsize=1)
def load_reference_digits() -> ReferenceDigits:
    """The shipped reference digits (read once per process)."""
    return read_reference_digits(assets_dir() / REFERENCE_FILE)
