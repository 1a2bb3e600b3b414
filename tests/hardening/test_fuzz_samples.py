"""Any strokes file at all: the samples reader lists or skips it, never crashes or hangs.

A short hypothesis run over mutated strokes files, plus every input a fuzz run or the
issue ever crashed on (``sample_regressions/``). The long run is
``python -m tests.hardening.fuzz_long --target samples``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given

from tests.hardening.fuzz_inputs import SHORT_FUZZ
from tests.hardening.fuzz_sample_inputs import (
    SAMPLE_REGRESSIONS,
    mutated_strokes_files,
    read_hostile_sample,
    sample_seed_files,
)


def test_the_seeds_are_read_as_samples(tmp_path):
    for number, seed in enumerate(sample_seed_files()):
        read_hostile_sample(tmp_path / str(number), seed)


@pytest.mark.parametrize("path", sorted(SAMPLE_REGRESSIONS.glob("*")), ids=lambda path: path.name)
def test_strokes_files_that_once_crashed(tmp_path, path: Path):
    read_hostile_sample(tmp_path, path.read_bytes())


@SHORT_FUZZ
@given(data=mutated_strokes_files())
def test_mutated_strokes_files_are_listed_or_skipped(tmp_path, data):
    read_hostile_sample(tmp_path, data)
