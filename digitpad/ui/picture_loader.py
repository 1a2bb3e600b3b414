"""Reading picture files off the GUI thread, so a huge photo never freezes the window.

``read_picture`` is the one way the window turns a file into a canvas picture (the
core's ``load_image``, so the window reads every file exactly as ``digitpad predict``
does). ``PictureLoader`` runs it on a ``BackgroundTask`` and reports back on the GUI
thread; when several files are asked for in a row, only the last one is read and shown.
"""

from __future__ import annotations

import functools
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QImage

from digitpad.core import ImageLoadError, load_image
from digitpad.ui.background_task import CancelledCallback, LatestOnly, ProgressCallback
from digitpad.ui.qimage_convert import pil_to_qimage


def read_picture(path: Path) -> QImage:
    """The picture in ``path`` as a QImage, as the core reads it (reduced, upright, 8-bit).

    Raises
    ------
    ImageLoadError
        The file cannot be used; the message says why in one line.
    """
    return pil_to_qimage(load_image(path))


def _read_outcome(
    path: Path, _progress: ProgressCallback, _cancelled: CancelledCallback
) -> tuple[Path, QImage | ImageLoadError]:
    """On the worker: the picture, or why it cannot be used (both are answers to show)."""
    try:
        return path, read_picture(path)
    except ImageLoadError as error:
        return path, error


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
        self._latest = LatestOnly(self)
        self._latest.succeeded.connect(self._on_read)

    def is_busy(self) -> bool:
        return self._latest.is_busy()

    def load(self, path: str | Path) -> None:
        """Start reading ``path``; a result arrives later through ``loaded`` or ``failed``.

        Asked again before the answer came, only the newest file is read and shown.
        """
        was_busy = self.is_busy()
        self._latest.request(functools.partial(_read_outcome, Path(path)))
        if not was_busy:
            self.busyChanged.emit(True)

    def shut_down(self) -> None:
        """The window is closing: a read still going on ends with the process."""
        self._latest.shut_down()

    def _on_read(self, outcome: tuple[Path, QImage | ImageLoadError]) -> None:
        self.busyChanged.emit(False)
        path, picture = outcome
        if isinstance(picture, ImageLoadError):
            self.failed.emit(path, picture)
        else:
            self.loaded.emit(path, picture)
