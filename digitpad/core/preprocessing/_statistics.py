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

# A median of this many values or more is looked for among the values near the median
# of every ``_SAMPLE_STEP``-th one, within ``_SAMPLE_MARGIN`` of the sample's ranks.
_BRACKET_FROM = 1 << 16
_SAMPLE_STEP = 64
_SAMPLE_MARGIN = 0.04


def median(values: np.ndarray, axis: int | None = None) -> np.ndarray:
    """``np.median(values, axis)`` of float values without NaN, to the last bit: the
    middle values averaged as numpy does.

    One partition puts the upper middle value in place; the lower one (for an even
    count) is the largest before it, found in a fraction of a second partition's time.
    Many values (the writing finder's whole picture) are partitioned only near their
    middle (``_middle_values``).
    """
    if axis is None:
        values, axis = values.ravel(), 0
        if values.size >= _BRACKET_FROM and (middle := _middle_values(values)) is not None:
            return np.mean(middle, axis=0)
    size = values.shape[axis]
    half = size // 2
    ordered = np.partition(values, half, axis=axis)
    upper = ordered[_along(axis, ordered.ndim, slice(half, half + 1))]
    if size % 2:
        return np.mean(upper, axis=axis)
    lower = ordered[_along(axis, ordered.ndim, slice(0, half))].max(axis=axis, keepdims=True)
    return np.mean(np.concatenate((lower, upper), axis=axis), axis=axis)


def _middle_values(flat: np.ndarray) -> np.ndarray | None:
    """The middle value of ``flat`` (both middle values, lower first, for an even count),
    picked from the values between two values that bracket them; None when the bracket
    misses them (then all are partitioned).

    The bracket is a sample's order statistics a little either side of its middle:
    counting the values below it and taking those inside costs a third of partitioning
    all of them, and the values inside hold the middle ones at known ranks.
    """
    half = flat.size // 2
    ranks = [half - 1, half] if flat.size % 2 == 0 else [half]
    sample = flat[::_SAMPLE_STEP]
    margin = max(1, round(_SAMPLE_MARGIN * sample.size))
    low_rank = max(0, sample.size // 2 - margin)
    high_rank = min(sample.size - 1, sample.size // 2 + margin)
    ordered = np.partition(sample, (low_rank, high_rank))
    low, high = ordered[low_rank], ordered[high_rank]
    below = int(np.count_nonzero(flat < low))
    inside = flat[(flat >= low) & (flat <= high)]
    if below > ranks[0] or ranks[-1] >= below + inside.size:
        return None
    places = [rank - below for rank in ranks]
    return np.partition(inside, places)[places]


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
