"""Any bytes at all: the reference reader raises only ``ReferenceDataError``, and the
neighbour cache returns a usable index or deletes the file, never raises.

A short hypothesis run over mutated valid files, plus every input a fuzz run ever
crashed on (``regressions/npz``, ``regressions/cache``). The long runs are
``python -m tests.hardening.fuzz_long --target npz`` and ``--target cache``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.hardening.fuzz_inputs import mutated
from tests.hardening.fuzz_npz_inputs import (
    CACHE_REGRESSIONS,
    NPZ_REGRESSIONS,
    cache_seeds,
    read_hostile_cache,
    read_hostile_reference,
    reference_seeds,
)

_FUZZ = settings(
    max_examples=200,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _saved(folder: Path) -> list[Path]:
    return sorted(folder.glob("*")) if folder.is_dir() else []


@pytest.mark.parametrize("path", _saved(NPZ_REGRESSIONS), ids=lambda path: path.name)
def test_reference_inputs_that_once_crashed(tmp_path, path: Path):
    copy = tmp_path / "reference.npz"
    copy.write_bytes(path.read_bytes())
    read_hostile_reference(copy)


@pytest.mark.parametrize("path", _saved(CACHE_REGRESSIONS), ids=lambda path: path.name)
def test_cache_inputs_that_once_crashed(tmp_path, path: Path):
    copy = tmp_path / "index.npz"
    copy.write_bytes(path.read_bytes())
    read_hostile_cache(copy)


@_FUZZ
@given(data=st.data())
def test_mutated_reference_files_raise_only_reference_data_error(tmp_path, data):
    path = tmp_path / "reference.npz"
    path.write_bytes(data.draw(mutated(reference_seeds())))
    read_hostile_reference(path)


@_FUZZ
@given(data=st.data())
def test_mutated_cache_files_are_read_or_deleted(tmp_path, data):
    path = tmp_path / "index.npz"
    path.write_bytes(data.draw(mutated(cache_seeds())))
    read_hostile_cache(path)
