"""Reading the picture on the canvas off the GUI thread, so the window never freezes.

Finding the writing on a photo, splitting it and running every model costs 40-150 ms (a
page of numbers more); on the GUI thread that froze painting and input each time a
picture was opened, pasted, dropped, drawn over, read in part or read again with other
models. ``PictureReader`` runs a ``PictureJob`` (the pixels, prepared on the GUI thread)
on a ``LatestOnly`` worker: asked again before the answer came, only the newest picture
is read and shown.
"""

from __future__ import annotations

import functools
import time

from PySide6.QtCore import QObject, Signal

from digitpad.core import NumberReading, Recognizer
from digitpad.ui.background_task import CancelledCallback, LatestOnly, ProgressCallback
from digitpad.ui.number_view import PictureJob

# What a reading hands back to the GUI thread: the job, its reading, whether to announce
# it, and how long it took (ms).
Outcome = tuple[PictureJob, NumberReading, bool, float]


def _read(
    recognizer: Recognizer,
    job: PictureJob,
    announce: bool,
    _progress: ProgressCallback,
    _cancelled: CancelledCallback,
) -> Outcome:
    """On the worker: the one reading of the picture, timed."""
    started = time.perf_counter()
    reading = job.read(recognizer)
    return job, reading, announce, (time.perf_counter() - started) * 1000


class PictureReader(QObject):
    """Reads pictures on a worker thread, the newest request only.

    Signals
    -------
    read(PictureJob, NumberReading, bool, float)
        The newest picture was read: its job, the reading, whether to announce it to a
        screen reader, and the milliseconds it took.
    failed(Exception)
        Reading the newest picture raised this.
    busyChanged(bool)
        A reading started (True) or the last one ended (False).
    """

    read = Signal(object, object, bool, float)
    failed = Signal(object)
    busyChanged = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._latest = LatestOnly(self)
        self._latest.succeeded.connect(self._on_succeeded)
        self._latest.failed.connect(self._on_failed)

    def is_busy(self) -> bool:
        return self._latest.is_busy()

    def request(self, recognizer: Recognizer, job: PictureJob, announce: bool = True) -> None:
        """Read ``job`` with ``recognizer``; the answer arrives through ``read``."""
        was_busy = self.is_busy()
        self._latest.request(functools.partial(_read, recognizer, job, announce))
        if not was_busy:
            self.busyChanged.emit(True)

    def cancel(self) -> None:
        """Forget what was asked (the canvas changed to something read another way)."""
        if self.is_busy():
            self._latest.cancel()
            self.busyChanged.emit(False)

    def wait(self, msecs: int = -1) -> bool:
        """Block until every request has been read and shown (benchmarks); False on timeout."""
        return self._latest.wait(msecs)

    def shut_down(self) -> None:
        """The window is closing: a reading still going on ends with the process."""
        self._latest.shut_down()

    def _on_succeeded(self, outcome: Outcome) -> None:
        self.busyChanged.emit(False)
        self.read.emit(*outcome)

    def _on_failed(self, error: Exception) -> None:
        self.busyChanged.emit(False)
        self.failed.emit(error)
