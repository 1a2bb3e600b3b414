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
from tests.hardening.fuzz_npz_inputs import NPZ_TARGETS

_SAVED = [
    pytest.param(target, path, id=f"{name}-{path.name}")
    for name, target in NPZ_TARGETS.items()
    for path in sorted(target.regressions.glob("*"))
]


@pytest.mark.parametrize(("target", "path"), _SAVED)
def test_inputs_that_once_crashed(tmp_path, target, path: Path):
    copy = tmp_path / target.file_name
    copy.write_bytes(path.read_bytes())
    target.read(copy)


@pytest.mark.parametrize("target", NPZ_TARGETS.values(), ids=NPZ_TARGETS.keys())
@settings(
    max_examples=200,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_mutated_files_are_refused_in_one_line_or_read_whole(tmp_path, target, data):
    path = tmp_path / target.file_name
    path.write_bytes(data.draw(mutated(target.seeds())))
    target.read(path)
