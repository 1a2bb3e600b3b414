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
from digitpad.core.recognition import user_model_folders

SETTLE_MS = 400
MODEL_SUFFIXES = (".onnx", ".json")
Signature = frozenset[tuple[str, str, int, int]]


def model_folders(models_dir: Path) -> list[Path]:
    """Every folder whose files decide which models load: the models folder, the personal
    set in use and the folder holding the sets (its pointer names the set in use)."""
    loaded, _ = user_model_folders(models_dir)
    sets = {folder.parent for folder in loaded if folder != models_dir}
    return [*dict.fromkeys([models_dir, *loaded, *sorted(sets)])]


def folder_signature(models_dir: Path) -> Signature:
    """The model files that would load from ``models_dir``: (folder, name, size,
    modification time in ns) each; no file is read."""
    found = set()
    for folder in model_folders(models_dir):
        try:
            with os.scandir(folder) as entries:
                for entry in entries:
                    if entry.name.endswith(MODEL_SUFFIXES) and not entry.name.startswith("."):
                        stat = entry.stat(follow_symlinks=False)
                        found.add((str(folder), entry.name, stat.st_size, stat.st_mtime_ns))
        except OSError:  # absent or unreadable: no models there
            continue
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
        """Watch the models folder and the personal sets' folder, or the nearest existing
        folder above the models folder until it exists."""
        target = self.folder
        while not target.is_dir() and target != target.parent:
            target = target.parent
        wanted = {str(target)}
        if target == self.folder:
            wanted |= {str(folder) for folder in model_folders(self.folder) if folder.is_dir()}
        current = set(self._watcher.directories())
        if current - wanted:
            self._watcher.removePaths(sorted(current - wanted))
        if wanted - current:
            self._watcher.addPaths(sorted(wanted - current))

    def _on_directory_changed(self) -> None:
        self._settle.start()  # restarted by each change: report once the writes end

    def _on_settle_timeout(self) -> None:
        self._watch()  # the folder may have just been made
        now = folder_signature(self.folder)
        if now != self._seen:
            self._seen = now
            self.changed.emit()
