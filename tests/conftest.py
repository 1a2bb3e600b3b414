"""Set-up shared by every test: headless, sandboxed user folders, no leaked windows.

The platform is forced to ``offscreen`` before anything imports Qt, so tests never open
real windows on a developer's screen and run the same in CI. HOME and the XDG folders
point at a throwaway folder before any test code runs (and at a fresh one per test), so
no test reads or writes the user's settings, samples or models, and a developer's own
files never change a result. Settings go to a test-only organisation too.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile

os.environ["QT_QPA_PLATFORM"] = "offscreen"

from collections.abc import Iterator
from pathlib import Path

import pytest

# Where each user folder lives inside a sandbox home (the XDG defaults on Linux).
USER_FOLDERS = {
    "XDG_CONFIG_HOME": ".config",
    "XDG_DATA_HOME": ".local/share",
    "XDG_CACHE_HOME": ".cache",
    "XDG_STATE_HOME": ".local/state",
}


def _sandbox_environment(home: Path) -> dict[str, str]:
    """HOME and every XDG user folder inside ``home``, created empty."""
    environment = {"HOME": str(home)}
    for variable, relative in USER_FOLDERS.items():
        folder = home / relative
        folder.mkdir(parents=True, exist_ok=True)
        environment[variable] = str(folder)
    return environment


# Before collection imports anything: module-level code that reads a user folder sees
# the sandbox too. Subprocesses started by tests inherit it.
_SESSION_HOME = Path(tempfile.mkdtemp(prefix="digitpad-tests-home-"))
atexit.register(shutil.rmtree, _SESSION_HOME, ignore_errors=True)
os.environ.update(_sandbox_environment(_SESSION_HOME))


@pytest.fixture(autouse=True)
def _sandboxed_user_folders(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """A fresh, empty HOME and XDG folders for each test; returns the home folder."""
    home = tmp_path_factory.mktemp("home")
    for variable, value in _sandbox_environment(home).items():
        monkeypatch.setenv(variable, value)
    return home


# pytester runs a small test session to prove the leak fixture below fails a leaking test.
pytest_plugins = ("pytester",)

TEST_ORGANIZATION = "digitpad-tests"


@pytest.fixture(scope="session", autouse=True)
def _isolated_qsettings(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Point every QSettings (even a bare ``QSettings()``) at a throwaway folder."""
    from PySide6.QtCore import QCoreApplication, QSettings

    folder = tmp_path_factory.mktemp("qsettings")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    for scope in (QSettings.Scope.UserScope, QSettings.Scope.SystemScope):
        QSettings.setPath(QSettings.Format.IniFormat, scope, str(folder))
    QCoreApplication.setOrganizationName(TEST_ORGANIZATION)
    QCoreApplication.setApplicationName("digitpad-tests")


@pytest.fixture
def settings_file(tmp_path: Path) -> Path:
    """A fresh settings file for one test; two windows given the same file share settings."""
    return tmp_path / "settings.json"


@pytest.fixture(autouse=True)
def _fail_on_leaked_widgets(request: pytest.FixtureRequest) -> Iterator[None]:
    """Fail a test that leaves top-level widgets alive (not added to qtbot, not parented).

    pytest-qt closes and schedules deletion of widgets registered with ``qtbot.addWidget``
    before fixtures are torn down; deferred deletions are flushed here, and whatever
    top-level widget the test created and is still alive is a leak.
    """
    if "qtbot" not in request.fixturenames and "qapp" not in request.fixturenames:
        yield
        return
    from PySide6.QtCore import QCoreApplication, QEvent
    from PySide6.QtWidgets import QApplication

    request.getfixturevalue("qapp")
    before = set(QApplication.topLevelWidgets())
    yield
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QCoreApplication.processEvents()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    leaked = [w for w in QApplication.topLevelWidgets() if w not in before]
    if leaked:
        names = ", ".join(f"{type(w).__name__}({w.objectName()!r})" for w in leaked)
        for widget in leaked:
            widget.close()
            widget.deleteLater()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        pytest.fail(f"test leaked top-level widgets: {names}; use qtbot.addWidget", pytrace=False)


@pytest.fixture
def shared_user_cache(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """One user cache folder for the whole session, for tests that would otherwise each
    rebuild the same rebuildable data (the models' neighbour indexes: seconds each)."""
    folder = tmp_path_factory.getbasetemp() / "shared-user-cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(folder))
    return folder
