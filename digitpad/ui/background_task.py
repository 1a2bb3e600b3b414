"""Run one slow core call on a worker thread, with progress and Cancel, off the GUI thread.

The work is a plain function taking ``progress(fraction, text)`` and ``cancelled()``
callables (the shape of ``digitpad.core.fine_tune``); what it reports, returns or raises
comes back to the GUI thread as queued signals, so widgets are only touched there.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThread, QThreadPool, Signal

ProgressCallback = Callable[[float, str], None]
CancelledCallback = Callable[[], bool]
Work = Callable[[ProgressCallback, CancelledCallback], Any]
# How much nicer than the GUI thread the work runs on Linux (nice values end at 19).
WORKER_NICENESS = 10
MAX_NICE = 19
# Workers still finishing cancelled work after their window closed (see ``abandon``).
_ABANDONED: list[QObject] = []


def abandon(*workers: QObject) -> None:
    """Take cancelled workers still running (a ``QThread``, a ``QThreadPool`` and the
    objects their work reports through) out of the window's object tree.

    Destroying the window would otherwise wait for them: a thread pool's destructor waits
    for its running task, and a running ``QThread`` must not be destroyed at all. That
    wait kept the process alive seconds after the window closed (a neighbour index being
    built for Why?, a fine-tune's epoch). Kept here, they are ended with the process
    (``app.exit_at_once``), or waited for by ``wait_for_abandoned``.
    """
    for worker in workers:
        worker.setParent(None)
        _ABANDONED.append(worker)


def wait_for_abandoned() -> None:
    """Let abandoned work end (a normal interpreter exit must not destroy a running thread)."""
    while _ABANDONED:
        worker = _ABANDONED.pop()
        if isinstance(worker, QThread):
            worker.wait()
        elif isinstance(worker, QThreadPool):
            worker.waitForDone()


def _yield_cpu_to_the_window() -> None:
    """Make the calling thread the one to wait when the cores are busy.

    On Linux a thread has its own nice value (it is a task of its own), and Qt ignores
    thread priorities there, so it is set directly; elsewhere ``start`` asks Qt for a low
    priority instead.
    """
    if sys.platform.startswith("linux"):
        thread = threading.get_native_id()
        with contextlib.suppress(OSError):
            nice = os.getpriority(os.PRIO_PROCESS, thread)
            os.setpriority(os.PRIO_PROCESS, thread, min(MAX_NICE, nice + WORKER_NICENESS))


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

    def start_low_priority(self) -> None:
        """Start the work behind the GUI thread: drawing never waits for it."""
        self.start(QThread.Priority.LowPriority)

    def run(self) -> None:
        _yield_cpu_to_the_window()
        try:
            result = self._work(self.progressed.emit, self._cancel.is_set)
        except Exception as error:  # every failure goes back to the window as a value
            self.failed.emit(error)
        else:
            self.succeeded.emit(result)
