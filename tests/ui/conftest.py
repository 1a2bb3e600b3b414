"""Fixtures for the app's tests: the real recogniser and main windows."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from digitpad.core import Recognizer, bundled_models_dir
from digitpad.ui.main_window import MainWindow
from digitpad.ui.settings import AppSettings
from digitpad.ui.settings_file import SettingsFile


@pytest.fixture(scope="session")
def recognizer() -> Recognizer:
    """The real models shipped in assets/models (not the user's models folder)."""
    loaded = Recognizer.from_folders([bundled_models_dir()], ("dense", "cnn"))
    assert [m.name for m in loaded.model_metadata] == ["dense", "cnn"], loaded.failures
    return loaded


def app_settings(path: Path) -> AppSettings:
    return AppSettings(SettingsFile(path))


@pytest.fixture
def make_window(qtbot, recognizer: Recognizer, settings_file: Path) -> Callable[..., MainWindow]:
    """Build a shown main window; windows built in one test share one settings file."""

    def make(recognizer_: Recognizer = recognizer) -> MainWindow:
        window = MainWindow(recognizer_, app_settings(settings_file))
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        return window

    return make


@pytest.fixture
def window(make_window: Callable[..., MainWindow]) -> MainWindow:
    return make_window()
