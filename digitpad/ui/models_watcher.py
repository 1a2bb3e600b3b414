"""Notices models written into the user's models folder while the window is open.

``digitpad fine-tune`` run in a terminal writes personal models the open window did not
know about, and nothing said so. A ``QFileSystemWatcher`` watches the folder (or, until it
exists, the nearest folder above it); a change is reported once the folder has been still
for ``SETTLE_MS`` (a fine-tune writes several files) and only if the models in it differ
from those last seen, judged by names, sizes and modification times (no file is read).
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer, Signal

from digitpad.core import user_models_dir

SETTLE_MS = 400
MODEL_SUFFIXES = (".onnx", ".json")
Signature = frozenset[tuple[str, int, int]]


def folder_signature(folder: Path) -> Signature:
    """The model files in ``folder``: (name, size, modification time in ns) each."""
    found = set()
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.name.endswith(MODEL_SUFFIXES) and not entry.name.startswith("."):
                    stat = entry.stat(follow_symlinks=False)
                    found.add((entry.name, stat.st_size, stat.st_mtime_ns))
    except OSError:  # absent or unreadable: no models there
        return frozenset()
    return frozenset(found)


class ModelsFolderWatcher(QObject):
    """Emits ``changed`` when the user's models folder holds other models than before.

    Signals
    -------
    changed
        Models were added, replaced or removed; ``acknowledge`` once they are loaded.
    """

    changed = Signal()

    def __init__(self, folder: Path | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.folder = folder or user_models_dir()
        self._seen = folder_signature(self.folder)
        self._watcher = QFileSystemWatcher(self)
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(SETTLE_MS)
        self._watcher.directoryChanged.connect(self._on_directory_changed)
        self._settle.timeout.connect(self._on_settle_timeout)
        self._watch()

    def acknowledge(self) -> None:
        """The models now in the folder are the ones loaded (the window reloaded them)."""
        self._seen = folder_signature(self.folder)

    def watched(self) -> list[str]:
        return self._watcher.directories()

    def _watch(self) -> None:
        """Watch the folder, or the nearest existing folder above it until it exists."""
        target = self.folder
        while not target.is_dir() and target != target.parent:
            target = target.parent
        if str(target) not in self._watcher.directories():
            if self._watcher.directories():
                self._watcher.removePaths(self._watcher.directories())
            self._watcher.addPath(str(target))

    def _on_directory_changed(self) -> None:
        self._settle.start()  # restarted by each change: report once the writes end

    def _on_settle_timeout(self) -> None:
        self._watch()  # the folder may have just been made
        now = folder_signature(self.folder)
        if now != self._seen:
            self._seen = now
            self.changed.emit()
