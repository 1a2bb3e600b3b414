"""Fixtures for the hardening tests."""

from __future__ import annotations

import pytest

from digitpad.core import Recognizer, bundled_models_dir


@pytest.fixture(scope="session")
def recognizer() -> Recognizer:
    """The shipped models, loaded once."""
    loaded = Recognizer.from_folders([bundled_models_dir()])
    assert not loaded.failures, loaded.failures
    return loaded
