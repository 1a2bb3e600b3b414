"""The app's remembered choices, kept in a JSON settings file under one set of named keys.

Every key and its default lives here so widgets never spell a settings key themselves,
and tests can hand the window settings backed by a throwaway file.

The file is edited by hand, synced between machines and sometimes broken, so every
value is type-checked and clamped when it is read; the file holds plain values only
(``settings_file.SettingsFile``), the window's geometry as base64 text.
"""

from __future__ import annotations

import base64
import binascii
from enum import StrEnum
from pathlib import Path

from PySide6.QtCore import QByteArray

from digitpad.ui.settings_file import SettingsFile

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
        Where the values live. The app passes ``SettingsFile()`` (the user's settings);
        tests pass one backed by a temporary file.
    """

    _HEADLINE_MODEL = "results/headline_model"
    _RESULTS_VIEW = "results/view"
    _RECENT_FILES = "files/recent"
    _BRUSH_SIZE = "canvas/brush_size"
    _GEOMETRY = "window/geometry"
    _TEACH_REPEATS = "handwriting/teach_repeats"
    _EXPLANATIONS_SHOWN = "explanations/shown"

    def __init__(self, store: SettingsFile) -> None:
        self._store = store

    def headline_model(self, default: str) -> str:
        """The name of the model whose answer is the headline (e.g. ``"cnn"``)."""
        stored = self._store.value(self._HEADLINE_MODEL)
        return stored if isinstance(stored, str) and len(stored) <= _MAX_NAME else default

    def set_headline_model(self, name: str) -> None:
        self._store.set_value(self._HEADLINE_MODEL, name)

    def results_view(self) -> ResultsView:
        """Whether every model or only the headline model is shown."""
        stored = self._store.value(self._RESULTS_VIEW)
        if stored == _SHOWN_BOTH:  # written before a third model could be loaded
            return ResultsView.ALL
        try:
            return ResultsView(stored) if isinstance(stored, str) else ResultsView.ALL
        except ValueError:
            return ResultsView.ALL

    def set_results_view(self, view: ResultsView) -> None:
        self._store.set_value(self._RESULTS_VIEW, view.value)

    def brush_size(self) -> int:
        """The brush width, within ``BRUSH_SIZE_RANGE`` whatever the file says."""
        stored = self._store.value(self._BRUSH_SIZE)
        size = _as_int(stored)
        if size is None:
            return DEFAULT_BRUSH_SIZE
        low, high = BRUSH_SIZE_RANGE
        return min(max(size, low), high)

    def set_brush_size(self, size: int) -> None:
        self._store.set_value(self._BRUSH_SIZE, int(size))

    def recent_files(self) -> list[Path]:
        """Recently opened or saved images, newest first."""
        stored = self._store.value(self._RECENT_FILES)
        if not isinstance(stored, list):
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
        self._store.set_value(self._RECENT_FILES, [str(p) for p in entries])

    def clear_recent_files(self) -> None:
        self._store.remove(self._RECENT_FILES)

    def window_geometry(self) -> bytes | None:
        """What ``saveGeometry()`` returned at the last close; None unless it decodes."""
        value = self._store.value(self._GEOMETRY)
        if not isinstance(value, str):
            return None
        try:
            return base64.b64decode(value, validate=True) or None
        except (binascii.Error, ValueError):
            return None

    def set_window_geometry(self, geometry: bytes | QByteArray) -> None:
        data = bytes(geometry.data()) if isinstance(geometry, QByteArray) else bytes(geometry)
        self._store.set_value(self._GEOMETRY, base64.b64encode(data).decode("ascii"))

    def teach_repeats(self, default: int) -> int:
        """How many times the teaching session asks for each digit (the dialog clamps it)."""
        stored = self._store.value(self._TEACH_REPEATS)
        repeats = _as_int(stored)
        return default if repeats is None else repeats

    def set_teach_repeats(self, repeats: int) -> None:
        self._store.set_value(self._TEACH_REPEATS, int(repeats))

    def explanations_shown(self) -> bool:
        """Whether the "Why?" panel is open (closed unless the file clearly says open)."""
        return self._store.value(self._EXPLANATIONS_SHOWN) is True

    def set_explanations_shown(self, shown: bool) -> None:
        self._store.set_value(self._EXPLANATIONS_SHOWN, bool(shown))

    def sync(self) -> None:
        """Write pending values now, so a second window (or launch) reads them."""
        self._store.sync()


def _as_int(value: object) -> int | None:
    """An int that is not a bool, or text of one ("18") as a hand-edited file may hold."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    text = value.strip() if isinstance(value, str) else ""
    if text.lstrip("-").isdecimal() and len(text) <= 18:
        return int(text)
    return None
