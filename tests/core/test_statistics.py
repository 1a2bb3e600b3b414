"""The preprocessing's own median and percentile give numpy's very numbers (they exist
only so a reading does not import ``numpy.ma``), on random values and on real photos."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from digitpad.core import load_image
from digitpad.core.preprocessing._statistics import median, percentile
from digitpad.core.preprocessing._writing import WORK_SIDE, _shrink, paper_brightness

PAPER = Path(__file__).parent.parent / "data" / "paper"
SHARES = (0, 1, 37.5, 50, 80, 90, 99, 99.9, 100)


def _random_values(seed: int) -> list[np.ndarray]:
    """Float arrays of many sizes and shapes, with and without ties."""
    rng = np.random.default_rng(seed)
    arrays = []
    for index in range(300):
        shape = tuple(int(side) for side in rng.integers(1, 30, 1 + index % 3))
        values = rng.normal(100, 50, shape)
        if index % 3 == 1:
            values = np.round(values / 20)  # few levels: many equal values
        arrays.append(values.astype(np.float64 if index % 5 == 0 else np.float32))
    return arrays


def test_percentile_of_8_bit_values_is_numpys() -> None:
    values = np.random.default_rng(2).integers(0, 256, (37, 41)).astype(np.uint8)
    for share in SHARES:
        assert percentile(values, share) == float(np.percentile(values, share))


def _photo_values() -> list[np.ndarray]:
    """What the writing finder takes percentiles and medians of, on the committed photos:
    the working copy, the paper's brightness and how much darker than it each pixel is."""
    found = []
    for path in sorted(PAPER.glob("*.jpg")):
        work = _shrink(np.asarray(load_image(path).convert("L")), WORK_SIDE)
        paper = paper_brightness(work)
        found += [work, paper, paper - work, np.abs(paper - work) / paper]
    assert found, "the committed paper photos are missing"
    return found


@pytest.mark.parametrize("seed", [0, 1])
def test_percentile_is_numpys(seed: int) -> None:
    for values in _random_values(seed) + (_photo_values() if seed == 0 else []):
        for share in SHARES:
            expected = float(np.percentile(values, share))
            assert percentile(values, share) == expected, (values.shape, share)


@pytest.mark.parametrize("seed", [0, 1])
def test_median_is_numpys(seed: int) -> None:
    for values in _random_values(seed) + (_photo_values() if seed == 0 else []):
        for axis in (None, *range(values.ndim)):
            expected = np.median(values, axis=axis)
            found = median(values, axis=axis)
            assert type(found) is type(expected)
            np.testing.assert_array_equal(found, expected)
            assert np.asarray(found).dtype == np.asarray(expected).dtype


def test_the_median_of_blocks_is_numpys() -> None:
    # The noise is measured as medians over the last axis of (rows, columns, pixels).
    blocks = np.random.default_rng(5).normal(0, 3, (12, 16, 1600)).astype(np.float32)
    np.testing.assert_array_equal(median(blocks, axis=2), np.median(blocks, axis=2))


def test_the_median_of_many_values_is_numpys_whether_the_bracket_holds_it_or_not() -> None:
    # Many values are partitioned only between two of a sample's order statistics; a
    # sample unlike the rest (every 64th value huge) misses the middle and all are used.
    from digitpad.core.preprocessing._statistics import _middle_values

    rng = np.random.default_rng(8)
    normal = rng.normal(0, 3, 480 * 640).astype(np.float32)
    tied = np.round(rng.normal(0, 2, 300_001))  # odd count, few levels
    ordered = np.sort(rng.random(200_000))
    unlike = rng.random(200_000).astype(np.float32)
    unlike[::64] = 1e6
    unlike[:50_000] = -1.0  # the true middle lies far below the sample's
    for values in (normal, normal.reshape(480, 640), tied, ordered, unlike):
        expected = np.median(values)
        found = median(values)
        assert type(found) is type(expected)
        assert found == expected
    assert _middle_values(normal) is not None
    assert _middle_values(tied) is not None
    assert _middle_values(unlike) is None
