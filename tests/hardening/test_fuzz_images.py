"""Any bytes at all: ``load_image`` + ``preprocess_bitmap`` raise only ``ImageLoadError``.

A short hypothesis run (a few seconds) over mutated files of every allowed format, plus
every input a fuzz run ever crashed on (``regressions/``). The long run is
``python -m tests.hardening.fuzz_long``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from digitpad.core import preprocess_bitmap
from tests.hardening.fuzz_inputs import REGRESSIONS, SHORT_FUZZ, mutated_files, read_hostile_file


@pytest.mark.parametrize(
    "path", sorted(p for p in REGRESSIONS.glob("*") if p.is_file()), ids=lambda path: path.name
)
def test_inputs_that_once_crashed(path: Path):
    read_hostile_file(path)


@SHORT_FUZZ
@given(data=mutated_files())
def test_mutated_files_raise_only_image_load_error(tmp_path, data):
    path = tmp_path / "fuzzed"
    path.write_bytes(data)
    read_hostile_file(path)


_BITMAP_DTYPES = st.sampled_from([np.uint8, np.uint16, np.int32, np.float32, np.float64, np.bool_])


@settings(max_examples=200, deadline=None, derandomize=True)
@given(
    bitmap=hnp.arrays(
        _BITMAP_DTYPES,
        st.tuples(st.integers(1, 40), st.integers(1, 40), st.sampled_from([1, 2, 3, 4])).map(
            lambda shape: shape if shape[2] > 1 else shape[:2]
        ),
    )
)
def test_any_bitmap_gives_an_input_or_nothing(bitmap):
    model_input = preprocess_bitmap(bitmap)
    if model_input is not None:
        assert model_input.shape == (28, 28)
        assert np.isfinite(model_input).all()
        assert float(model_input.min()) >= 0.0
        assert float(model_input.max()) <= 255.0
