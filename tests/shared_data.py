"""The data sets kept outside the repository, in ``../shared/data`` (MNIST, pendigits).

A clone without them still runs the rest of the suite: each test that reads one skips,
naming the missing folder, instead of erroring inside a loader. A folder that is there
but holds a broken file still fails.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from training.data import MNIST_DIR
from training.pendigits import DEFAULT_PENDIGITS, PenDigit, load_pendigits

_WHERE = "the tests read it from ../shared/data beside the repository"


def mnist_dir() -> Path:
    """The offline MNIST folder; skips the test when it is absent."""
    if not MNIST_DIR.is_dir():
        pytest.skip(f"MNIST not found at {MNIST_DIR}: {_WHERE} (or $DIGITPAD_MNIST_DIR)")
    return MNIST_DIR


def pendigits_dir() -> Path:
    """The pendigits folder; skips the test when it is absent."""
    if not DEFAULT_PENDIGITS.is_dir():
        pytest.skip(f"pendigits not found at {DEFAULT_PENDIGITS}: {_WHERE}")
    return DEFAULT_PENDIGITS


def pendigits() -> list[PenDigit]:
    """All pendigits digits; skips the test when their folder is absent."""
    return load_pendigits(pendigits_dir())
