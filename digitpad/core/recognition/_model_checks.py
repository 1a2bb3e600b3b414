"""What a model file, its metadata and its answers must satisfy before anyone sees them.

User models come from anywhere: a retrained model, a download, a file someone broke on
purpose. Each check here turns one way of being broken into a one-line reason, so a bad
model is reported and skipped at load, and a bad answer is an error for that model and
that picture, never a crash and never a confident "500 %".
"""

from __future__ import annotations

import math
from functools import cache
from pathlib import PurePosixPath, PureWindowsPath
from typing import Any, NoReturn

import numpy as np

from digitpad.core.files import ImageLoadError, load_image
from digitpad.core.paths import assets_dir
from digitpad.core.preprocessing import preprocess_bitmap

# Far beyond any digit classifier (the shipped ones are 0.1-0.5 MB); refused before a
# byte is hashed, so a stray multi-gigabyte file costs nothing at start-up.
MAX_MODEL_BYTES = 50 * 1024 * 1024
MAX_METADATA_BYTES = 1024 * 1024
# How far a row of probabilities may sum from 1 (float32 softmax is within 1e-6).
SUM_TOLERANCE = 1e-3
# A model run is stopped after this long for one image, plus a little per image for
# batches (the shipped models take under a millisecond per image): a hostile graph that
# loops forever costs two seconds, not the app.
RUN_SECONDS = 2.0
RUN_SECONDS_PER_IMAGE = 0.01
_DIGITS = 10
# Up to this many rows, probabilities are checked as Python floats (see _is_distribution).
_FEW_ROWS = 8


class ModelRunError(Exception):
    """A loaded model gave no usable answer for one input; the message says why."""


def plain_file_name(value: Any, key: str) -> str:
    """``value`` as a bare file name in the model's own folder, or ValueError.

    Refused: anything but a non-empty string, path separators of either system, ``.``
    and ``..``, absolute paths and NUL bytes, so metadata can never point outside its
    folder (``../../cnn.onnx``, ``/etc/passwd``).
    """
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{key!r} must be a file name, got {value!r}")
    if (
        "\0" in value
        or value in (".", "..")
        or PurePosixPath(value).name != value
        or PureWindowsPath(value).name != value
    ):
        raise ValueError(f"{key!r} must be a file name in the model's folder, got {value!r}")
    return value


def text(value: Any, key: str) -> str:
    """``value`` as a string, or ValueError (JSON numbers and lists are not names)."""
    if not isinstance(value, str):
        raise ValueError(f"{key!r} must be a string, got {type(value).__name__}")
    return value


def whole_number(value: Any, key: str, low: int = 0, high: int = 10**12) -> int:
    """``value`` as an int in ``low..high``, or ValueError (no floats, bools or infinities)."""
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValueError(f"{key!r} must be a whole number in {low}..{high}, got {value!r}")
    return value


def fraction(value: Any, key: str) -> float:
    """``value`` as a finite number in 0..1, or ValueError (``1e999`` reads as infinity)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{key!r} must be a number, got {value!r}")
    if not math.isfinite(value) or not 0.0 <= value <= 1.0:
        raise ValueError(f"{key!r} must be a number in 0..1, got {value!r}")
    return float(value)


def input_shape(value: Any) -> tuple[int | None, ...]:
    """A metadata ``input.shape``: a list of small whole numbers or nulls, or ValueError."""
    if not isinstance(value, list) or not 1 <= len(value) <= 8:
        raise ValueError(f"'input.shape' must be a short list, got {value!r}")
    return tuple(
        None if size is None else whole_number(size, "input.shape", 1, 4096) for size in value
    )


def run_time_limit(images: int) -> float:
    """Seconds a run on ``images`` images may take before it is stopped."""
    return RUN_SECONDS + RUN_SECONDS_PER_IMAGE * images


def check_probabilities(values: Any, rows: int) -> np.ndarray:
    """``values`` as ``(rows, 10)`` float32 probabilities, or ModelRunError saying why.

    Each row must hold 10 finite, non-negative numbers summing to 1 within
    ``SUM_TOLERANCE``: anything else is not a probability distribution, however
    confident it looks.
    """
    array = np.asarray(values)
    if array.shape != (rows, _DIGITS):
        raise ModelRunError(f"gave an output of shape {list(array.shape)}, not [{rows}, 10]")
    if array.dtype.kind != "f":
        raise ModelRunError(f"gave {array.dtype} values, not probabilities")
    if not _is_distribution(array):
        _refuse(array, array.sum(axis=1, dtype=np.float64))
    return array.astype(np.float32, copy=False)


def checked_row(values: Any) -> list[float]:
    """``check_probabilities(values, 1)``'s one row as Python floats (ModelRunError as
    it): what a reading shows. A float32 row that passes is read out once, for the
    check and the answer alike; anything else takes ``check_probabilities``."""
    array = np.asarray(values)
    if array.shape == (1, _DIGITS) and array.dtype == np.float32:
        row: list[float] = array.tolist()[0]
        if min(row) >= 0.0 and abs(sum(row) - 1.0) <= SUM_TOLERANCE:
            return row
    return check_probabilities(array, 1)[0].tolist()


def _is_distribution(array: np.ndarray) -> bool:
    """Whether every row of ``array`` ``(N, 10)`` is finite, non-negative and sums to 1.

    A NaN or an infinity makes its row's sum NaN or infinite, which fails the sum's
    check. A reading has one row: as Python floats it is checked in a fraction of the
    time three numpy reductions take (each numpy call costs microseconds on every
    reading); a batch is checked by numpy, in float64.
    """
    if len(array) <= _FEW_ROWS:
        return all(
            min(row) >= 0.0 and abs(sum(row) - 1.0) <= SUM_TOLERANCE for row in array.tolist()
        )
    sums = array.sum(axis=1, dtype=np.float64)
    return bool(
        array.min() >= 0 and sums.min() >= 1.0 - SUM_TOLERANCE and sums.max() <= 1.0 + SUM_TOLERANCE
    )


def _refuse(array: np.ndarray, sums: np.ndarray) -> NoReturn:
    """Raise ModelRunError saying what is wrong with probabilities that fail the checks."""
    if not np.isfinite(sums).all():
        raise ModelRunError("gave NaN or infinite probabilities")
    lowest = float(array.min())
    if lowest < 0:
        raise ModelRunError(f"gave a negative probability ({lowest:.3g})")
    worst = int(np.argmax(np.abs(sums - 1.0)))
    raise ModelRunError(f"gave probabilities summing to {sums[worst]:.4g}, not 1")


@cache
def probe_digit() -> np.ndarray:
    """A real digit as the models see it (28x28, 0..255 ink bright), to try a model on.

    The first bundled sample drawing, through the app's own loading and preprocessing;
    a drawn "1" when no sample is installed.
    """
    for path in sorted((assets_dir() / "samples").glob("digit-*.png")):
        try:
            model_input = preprocess_bitmap(load_image(path))
        except ImageLoadError:
            continue
        if model_input is not None:
            return model_input
    stroke = np.zeros((28, 28), dtype=np.float32)
    stroke[4:24, 13:16] = 255.0
    return stroke
