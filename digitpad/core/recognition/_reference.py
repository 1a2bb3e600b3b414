"""The reference digits shipped with the app: real MNIST training digits with their labels.

Explanations show the ones a model finds closest to a drawing; fine-tuning replays them
so a personal model keeps reading MNIST. Built by ``python -m training.reference_set``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from digitpad.core.files import NpzMember, UntrustedFileError, read_npz_file
from digitpad.core.paths import assets_dir

# Relative to the assets folder.
REFERENCE_FILE = "reference/mnist-train-subset.npz"
# The shipped file is 1.7 MB, 8 MB once decompressed; neither may pass this.
MAX_REFERENCE_BYTES = 64 * 1024 * 1024
# Labels are unsigned, so none is negative; ``training.reference_set`` writes these.
_REFERENCE_MEMBERS = {
    "images": NpzMember(np.dtype(np.uint8), (None, 28, 28)),
    "labels": NpzMember(np.dtype(np.uint8), (None,)),
    "indices": NpzMember(np.dtype(np.int32), (None,)),
}


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


def read_npz_arrays(
    path: Path, members: Mapping[str, NpzMember], what: str
) -> tuple[np.ndarray, ...]:
    """The arrays ``members`` of the shipped ``.npz`` file ``path``, each of the dtype and
    shape described (``read_npz_file``); ReferenceDataError naming ``what`` otherwise."""
    try:
        arrays = read_npz_file(path, members, MAX_REFERENCE_BYTES)
    except UntrustedFileError as error:
        raise ReferenceDataError(f"{path}: not a readable {what} ({error})") from None
    return tuple(arrays[key] for key in members)


def read_reference_digits(path: Path) -> ReferenceDigits:
    """Read and check a reference file: as many images, labels 0-9 and indices."""
    images, labels, indices = read_npz_arrays(path, _REFERENCE_MEMBERS, "reference file")
    count = len(labels)
    if images.shape[0] != count or indices.shape != (count,):
        raise ReferenceDataError(f"{path}: arrays do not have the documented shapes")
    if count and int(labels.max()) > 9:
        raise ReferenceDataError(f"{path}: a label is not a digit 0-9")
    if count and int(indices.min()) < 0:
        raise ReferenceDataError(f"{path}: an MNIST index is negative")
    return ReferenceDigits(images, labels.astype(np.int64), indices.astype(np.int64))


@lru_cache(maxsize=1)
def load_reference_digits() -> ReferenceDigits:
    """The shipped reference digits (read once per process)."""
    return read_reference_digits(assets_dir() / REFERENCE_FILE)
