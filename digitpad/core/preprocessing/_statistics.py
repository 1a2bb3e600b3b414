"""numpy's median and percentile, to the last bit, without what they cost at start-up.

``np.percentile`` interpolates through ``np.unique``, and ``np.median`` of floats looks
for NaN, and both of those import ``numpy.ma`` on first use: 10 ms of every
``digitpad predict`` that reads a photo. Both also partition around two or three values
where one partition and a maximum find the same ones in half the time (the writing
finder's noise measure takes four medians of a 640 x 480 picture). These pick the same
order statistics and combine them exactly as numpy does, for the values a picture gives
(no NaN).
"""

from __future__ import annotations

import math

import numpy as np


def median(values: np.ndarray, axis: int | None = None) -> np.ndarray:
    """``np.median(values, axis)`` of float values without NaN, to the last bit: the
    middle values averaged as numpy does.

    One partition puts the upper middle value in place; the lower one (for an even
    count) is the largest before it, found in a fraction of a second partition's time.
    """
    if axis is None:
        values, axis = values.ravel(), 0
    size = values.shape[axis]
    half = size // 2
    ordered = np.partition(values, half, axis=axis)
    upper = ordered[_along(axis, ordered.ndim, slice(half, half + 1))]
    if size % 2:
        return np.mean(upper, axis=axis)
    lower = ordered[_along(axis, ordered.ndim, slice(0, half))].max(axis=axis, keepdims=True)
    return np.mean(np.concatenate((lower, upper), axis=axis), axis=axis)


def _along(axis: int, ndim: int, part: slice) -> tuple[slice, ...]:
    """The index that takes ``part`` along ``axis`` and everything along the others."""
    return tuple(part if dimension == axis else slice(None) for dimension in range(ndim))


def percentile(values: np.ndarray, share: float) -> float:
    """``np.percentile(values, share)`` (linear) of values without NaN, to the last bit:
    the two order statistics around it (one partition, as ``median``), interpolated as
    numpy does."""
    flat = values.ravel()
    virtual = (flat.size - 1) * (share / 100)
    below = math.floor(virtual)
    if virtual >= flat.size - 1:
        return float(np.max(flat))
    gamma = virtual - below
    ordered = np.partition(flat, below + 1)
    low, high = ordered[: below + 1].max(), ordered[below + 1]
    step = high - low
    return float(high - step * (1 - gamma) if gamma >= 0.5 else low + step * gamma)
