"""Shared fixtures for the core tests: real MNIST digits and the real models."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from digitpad.core import Recognizer, bundled_models_dir
from tests.shared_data import mnist_dir
from training.data import Split, load_split


@pytest.fixture(scope="session")
def mnist_test() -> Split:
    """The 10,000 MNIST test images (uint8, ink bright) and their labels."""
    return load_split(mnist_dir(), "test")


@pytest.fixture(scope="session")
def recognizer() -> Recognizer:
    """The shipped models, loaded once for the session."""
    loaded = Recognizer.from_default_locations()
    if len(loaded.loaded_models) < 2:
        pytest.fail(f"the bundled models did not load: {loaded.failures}")
    return loaded


@pytest.fixture
def models_copy(tmp_path: Path) -> Path:
    """A writable copy of the bundled models folder, to break on purpose."""
    folder = tmp_path / "models"
    folder.mkdir()
    for path in bundled_models_dir().glob("*"):
        if path.suffix in (".onnx", ".json"):
            shutil.copy(path, folder / path.name)
    return folder
