"""The app's remembered choices, kept in QSettings under one set of named keys.

Every key and its default lives here so widgets never spell a settings key themselves,
and tests can hand the window a QSettings pointed at a throwaway file.

The file is edited by hand, synced between machines and sometimes broken, so every
value is type-checked and clamped when it is read, and only plain data is ever written
(str, int, lists of str, ``QByteArray``): Python ``bytes`` or any other object would be
pickled into the file. The file itself is screened before QSettings opens it
(``settings_file.open_settings``).
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

ORGANIZATION = "digitpad"
APPLICATION = "digitpad"
MAX_RECENT_FILES = 8
DEFAULT_BRUSH_SIZE = 18
BRUSH_SIZE_RANGE = (4, 40)
_MAX_NAME = 64
_MAX_PATH = 4096
_SHOWN_BOTH = "both"  # the results view's old name for ResultsView.ALL


class ResultsView(StrEnum):
    """Which result panels the window shows."""

    ALL = "all"
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
    _TEACH_REPEATS = "handwriting/teach_repeats"
    _EXPLANATIONS_SHOWN = "explanations/shown"

    def __init__(self, store: QSettings) -> None:
        self._store = store

    def headline_model(self, default: str) -> str:
        """The name of the model whose answer is the headline (e.g. ``"cnn"``)."""
        stored = self._store.value(self._HEADLINE_MODEL, default)
        return stored if isinstance(stored, str) and len(stored) <= _MAX_NAME else default

    def set_headline_model(self, name: str) -> None:
        self._store.setValue(self._HEADLINE_MODEL, name)

    def results_view(self) -> ResultsView:
        """Whether every model or only the headline model is shown."""
        stored = self._store.value(self._RESULTS_VIEW, ResultsView.ALL.value)
        if stored == _SHOWN_BOTH:  # written before a third model could be loaded
            return ResultsView.ALL
        try:
            return ResultsView(stored) if isinstance(stored, str) else ResultsView.ALL
        except ValueError:
            return ResultsView.ALL

    def set_results_view(self, view: ResultsView) -> None:
        self._store.setValue(self._RESULTS_VIEW, view.value)

    def brush_size(self) -> int:
        """The brush width, within ``BRUSH_SIZE_RANGE`` whatever the file says."""
        stored = self._store.value(self._BRUSH_SIZE, DEFAULT_BRUSH_SIZE)
        try:
            size = int(stored) if isinstance(stored, int | str) else DEFAULT_BRUSH_SIZE
        except ValueError:
            return DEFAULT_BRUSH_SIZE
        low, high = BRUSH_SIZE_RANGE
        return min(max(size, low), high)

    def set_brush_size(self, size: int) -> None:
        self._store.setValue(self._BRUSH_SIZE, int(size))

    def recent_files(self) -> list[Path]:
        """Recently opened or saved images, newest first."""
        stored = self._store.value(self._RECENT_FILES, [])
        if isinstance(stored, str):  # QSettings returns a lone entry as a plain string
            stored = [stored]
        if not isinstance(stored, list):  # e.g. @ByteArray(...) written by hand
            return []
        usable = [
            entry
            for entry in stored
            if isinstance(entry, str) and entry and len(entry) <= _MAX_PATH and "\0" not in entry
        ]
        return [Path(entry) for entry in usable[:MAX_RECENT_FILES]]

    def add_recent_file(self, path: Path) -> None:
        """Put ``path`` first in the recent list, dropping duplicates and the oldest."""
        resolved = path.resolve()
        others = [p for p in self.recent_files() if p != resolved]
        entries = [resolved, *others][:MAX_RECENT_FILES]
        self._store.setValue(self._RECENT_FILES, [str(p) for p in entries])

    def clear_recent_files(self) -> None:
        self._store.remove(self._RECENT_FILES)

    def window_geometry(self) -> bytes | None:
        """What ``saveGeometry()`` returned at the last close; None unless it is bytes."""
        value = self._store.value(self._GEOMETRY)
        return (
            bytes(value.data()) if isinstance(value, QByteArray) and not value.isEmpty() else None
        )

    def set_window_geometry(self, geometry: bytes | QByteArray) -> None:
        # As QByteArray: Python bytes would be pickled into the file.
        self._store.setValue(self._GEOMETRY, QByteArray(geometry))

    def teach_repeats(self, default: int) -> int:
        """How many times the teaching session asks for each digit (the dialog clamps it)."""
        stored = self._store.value(self._TEACH_REPEATS, default)
        try:
            return int(stored) if isinstance(stored, int | str) else default
        except ValueError:
            return default

    def set_teach_repeats(self, repeats: int) -> None:
        self._store.setValue(self._TEACH_REPEATS, int(repeats))

    def explanations_shown(self) -> bool:
        """Whether the "Why?" panel is open (closed unless the file clearly says open)."""
        stored = self._store.value(self._EXPLANATIONS_SHOWN, 0)
        return isinstance(stored, int | str) and str(stored).strip().lower() in ("1", "true")

    def set_explanations_shown(self, shown: bool) -> None:
        self._store.setValue(self._EXPLANATIONS_SHOWN, int(bool(shown)))

    def sync(self) -> None:
        """Write pending values now, so a second window (or launch) reads them."""
        self._store.sync()
