"""Reading picture files off the GUI thread, so a huge photo never freezes the window.

``read_picture`` is the one way the window turns a file into a canvas picture (the
core's ``load_image``, so the window reads every file exactly as ``digitpad predict``
does). ``PictureLoader`` runs it on Qt's thread pool and reports back on the GUI thread;
when several files are asked for in a row, only the last one's result is shown.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal
from PySide6.QtGui import QImage

from digitpad.core import ImageLoadError, load_image
from digitpad.ui.qimage_convert import pil_to_qimage


def read_picture(path: Path) -> QImage:
    """The picture in ``path`` as a QImage, as the core reads it (reduced, upright, 8-bit).

    Raises
    ------
    ImageLoadError
        The file cannot be used; the message says why in one line.
    """
    return pil_to_qimage(load_image(path))


class _Relay(QObject):
    """Lives on the GUI thread; a worker's emit is queued over to it."""

    finished = Signal(int, object, object)  # request number, path, QImage or ImageLoadError


class _ReadTask(QRunnable):
    def __init__(self, number: int, path: Path, relay: _Relay) -> None:
        super().__init__()
        self._number, self._path, self._relay = number, path, relay

    def run(self) -> None:
        try:
            outcome: QImage | ImageLoadError = read_picture(self._path)
        except ImageLoadError as error:
            outcome = error
        # RuntimeError: the window closed while the file was read, nobody to tell.
        with contextlib.suppress(RuntimeError):
            self._relay.finished.emit(self._number, self._path, outcome)


class PictureLoader(QObject):
    """Loads picture files on a worker thread.

    Signals
    -------
    loaded(Path, QImage)
        The last requested file was read.
    failed(Path, ImageLoadError)
        The last requested file cannot be used.
    busyChanged(bool)
        A read started (True) or the last one ended (False): show a busy indicator.
    """

    loaded = Signal(object, object)
    failed = Signal(object, object)
    busyChanged = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._relay = _Relay(self)
        self._relay.finished.connect(self._on_finished)
        self._requested = 0
        self._pending = 0

    def is_busy(self) -> bool:
        return self._pending > 0

    def load(self, path: str | Path) -> None:
        """Start reading ``path``; a result arrives later through ``loaded`` or ``failed``."""
        self._requested += 1
        self._pending += 1
        if self._pending == 1:
            self.busyChanged.emit(True)
        QThreadPool.globalInstance().start(_ReadTask(self._requested, Path(path), self._relay))

    def _on_finished(self, number: int, path: Path, outcome: QImage | ImageLoadError) -> None:
        self._pending -= 1
        if self._pending == 0:
            self.busyChanged.emit(False)
        if number != self._requested:
            return  # a later request supersedes this one
        if isinstance(outcome, ImageLoadError):
            self.failed.emit(path, outcome)
        else:
            self.loaded.emit(path, outcome)
