"""Fixtures for the hardening tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from digitpad.core import Recognizer, bundled_models_dir
from tests.hardening.unprivileged import reachable_folder


@pytest.fixture(scope="session")
def recognizer() -> Recognizer:
    """The shipped models, loaded once."""
    loaded = Recognizer.from_folders([bundled_models_dir()])
    assert not loaded.failures, loaded.failures
    return loaded


@pytest.fixture
def reachable_tmp(tmp_path: Path) -> Iterator[Path]:
    """A folder the unprivileged child of ``run_unprivileged`` can reach (tmp_path
    unless the tests run as root)."""
    with reachable_folder(tmp_path) as folder:
        yield folder
