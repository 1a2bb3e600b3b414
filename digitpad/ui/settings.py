"""The app's remembered choices, kept in QSettings under one set of named keys.

Every key and its default lives here so widgets never spell a settings key themselves,
and tests can hand the window a QSettings pointed at a throwaway file.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

from PySide6.QtCore import QSettings

ORGANIZATION = "digitpad"
APPLICATION = "digitpad"
MAX_RECENT_FILES = 8
DEFAULT_BRUSH_SIZE = 18


class ResultsView(StrEnum):
    """Which result panels the window shows."""

    BOTH = "both"
    HEADLINE_ONLY = "headline"


class AppSettings:
    """Typed access to the few values digitpad remembers across launches.

    Parameters
    ----------
    store
        Where the values live. The app passes ``QSettings()`` (the user's settings);
        tests pass one backed by a temporary file.
    """

    _HEADLINE_MODEL = "results/headline_model"
    _RESULTS_VIEW = "results/view"
    _RECENT_FILES = "files/recent"
    _BRUSH_SIZE = "canvas/brush_size"
    _GEOMETRY = "window/geometry"

    def __init__(self, store: QSettings) -> None:
        self._store = store

    def headline_model(self, default: str) -> str:
        """The name of the model whose answer is the headline (e.g. ``"cnn"``)."""
        return str(self._store.value(self._HEADLINE_MODEL, default))

    def set_headline_model(self, name: str) -> None:
        self._store.setValue(self._HEADLINE_MODEL, name)

    def results_view(self) -> ResultsView:
        """Whether both models or only the headline model are shown."""
        stored = str(self._store.value(self._RESULTS_VIEW, ResultsView.BOTH.value))
        try:
            return ResultsView(stored)
        except ValueError:
            return ResultsView.BOTH

    def set_results_view(self, view: ResultsView) -> None:
        self._store.setValue(self._RESULTS_VIEW, view.value)

    def brush_size(self) -> int:
        try:
            return int(self._store.value(self._BRUSH_SIZE, DEFAULT_BRUSH_SIZE))
        except (TypeError, ValueError):
            return DEFAULT_BRUSH_SIZE

    def set_brush_size(self, size: int) -> None:
        self._store.setValue(self._BRUSH_SIZE, int(size))

    def recent_files(self) -> list[Path]:
        """Recently opened or saved images, newest first."""
        stored = self._store.value(self._RECENT_FILES, [])
        if isinstance(stored, str):  # QSettings returns a lone entry as a plain string
            stored = [stored]
        return [Path(entry) for entry in stored or [] if entry]

    def add_recent_file(self, path: Path) -> None:
        """Put ``path`` first in the recent list, dropping duplicates and the oldest."""
        resolved = path.resolve()
        others = [p for p in self.recent_files() if p != resolved]
        entries = [resolved, *others][:MAX_RECENT_FILES]
        self._store.setValue(self._RECENT_FILES, [str(p) for p in entries])

    def clear_recent_files(self) -> None:
        self._store.remove(self._RECENT_FILES)

    def window_geometry(self) -> bytes | None:
        value = self._store.value(self._GEOMETRY)
        return bytes(value) if value else None

    def set_window_geometry(self, geometry: bytes) -> None:
        self._store.setValue(self._GEOMETRY, geometry)

    def sync(self) -> None:
        """Write pending values now, so a second window (or launch) reads them."""
        self._store.sync()
