"""Run one slow core call on a worker thread, with progress and Cancel, off the GUI thread.

The work is a plain function taking ``progress(fraction, text)`` and ``cancelled()``
callables (the shape of ``digitpad.core.fine_tune``); what it reports, returns or raises
comes back to the GUI thread as queued signals, so widgets are only touched there.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal

ProgressCallback = Callable[[float, str], None]
CancelledCallback = Callable[[], bool]
Work = Callable[[ProgressCallback, CancelledCallback], Any]


class BackgroundTask(QThread):
    """``work(progress, cancelled)`` on its own thread.

    Signals (delivered on the thread that owns the task, the GUI thread)
    -------
    progressed(float, str)
        Fraction done (0..1) and what is happening.
    succeeded(object)
        ``work`` returned this value.
    failed(object)
        ``work`` raised this exception (cancellation included).
    """

    progressed = Signal(float, str)
    succeeded = Signal(object)
    failed = Signal(object)

    def __init__(self, work: Work, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._work = work
        self._cancel = threading.Event()

    def cancel(self) -> None:
        """Ask the work to stop at its next check; ``failed`` follows when it does."""
        self._cancel.set()

    def is_cancelled(self) -> bool:
        return self._cancel.is_set()

    def run(self) -> None:
        try:
            result = self._work(self.progressed.emit, self._cancel.is_set)
        except Exception as error:  # every failure goes back to the window as a value
            self.failed.emit(error)
        else:
            self.succeeded.emit(result)
