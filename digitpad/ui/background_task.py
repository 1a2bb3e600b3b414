"""Run one slow core call on a worker thread, with progress and Cancel, off the GUI thread.

The window's one way of running background work: fine-tuning, reading the samples
store, thumbnails, explanations and opening pictures all run on a ``BackgroundTask``
(the last two through ``LatestOnly``, which starts one for the newest request only).

The work is a plain function taking ``progress(fraction, text)`` and ``cancelled()``
callables (the shape of ``digitpad.core.fine_tune``); what it reports, returns or raises
comes back to the GUI thread as queued signals, so widgets are only touched there.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QThread, Signal

ProgressCallback = Callable[[float, str], None]
CancelledCallback = Callable[[], bool]
Work = Callable[[ProgressCallback, CancelledCallback], Any]
# How much nicer than the GUI thread the work runs on Linux (nice values end at 19).
WORKER_NICENESS = 10
MAX_NICE = 19
# Workers still finishing cancelled work after their window closed (see ``abandon``).
_ABANDONED: list[QObject] = []


def abandon(*workers: QObject) -> None:
    """Take cancelled workers still running (a ``BackgroundTask`` and any object its
    work reports through) out of the window's object tree.

    Destroying the window would otherwise destroy them, and a running ``QThread`` must
    not be destroyed at all; waiting for them kept the process alive seconds after the
    window closed (a neighbour index being built for Why?, a fine-tune's epoch). Kept
    here, they are ended with the process (``app.exit_at_once``), or waited for by
    ``wait_for_abandoned``.
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


class LatestOnly(QObject):
    """One ``BackgroundTask`` at a time for the newest request; older outcomes dropped.

    For work that answers "what is on screen now" (an explanation, a picture being
    opened): a request made while a task runs waits for it, replacing any request that
    was waiting, and only the newest request's outcome is reported. The window's one way
    of running background work is ``BackgroundTask``; this only decides which to start.

    Signals (on the GUI thread)
    -------
    succeeded(object)
        The newest request's work returned this value.
    failed(object)
        The newest request's work raised this exception.
    """

    succeeded = Signal(object)
    failed = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._generation = 0
        self._answered = 0
        self._waiting: tuple[int, Work] | None = None
        self._running: BackgroundTask | None = None
        self._running_generation = 0
        self._shut_down = False

    def request(self, work: Work) -> None:
        """Run ``work`` once the running task (if any) is done; outdates every earlier one."""
        self._generation += 1
        self._waiting = (self._generation, work)
        if self._running is None:
            self._start_waiting()

    def cancel(self) -> None:
        """Forget every request: nothing asked so far will be reported."""
        self._generation += 1
        self._answered = self._generation
        self._waiting = None
        if self._running is not None:
            self._running.cancel()

    def is_busy(self) -> bool:
        """Whether the newest request is still to be answered."""
        return self._answered < self._generation

    def shut_down(self) -> None:
        """The window is closing: forget every request and leave a running task to end
        with the process rather than make the window's destruction wait for it."""
        self._shut_down = True
        self.cancel()
        if self._running is not None:
            abandon(self._running)
            self._running = None

    def wait(self, msecs: int = -1) -> bool:
        """Block until every request has run (tests, benchmarks); False on timeout."""
        deadline = None if msecs < 0 else time.monotonic() + msecs / 1000
        while self._running is not None or self._waiting is not None:
            left = None if deadline is None else deadline - time.monotonic()
            if left is not None and left <= 0:
                return False
            if self._running is not None:
                if left is None:
                    self._running.wait()  # not wait(-1): Qt's milliseconds are unsigned
                else:
                    self._running.wait(max(1, round(left * 1000)))
            # The finished task's signals, and the start of the waiting one, are queued.
            QCoreApplication.processEvents()
        return True

    def _start_waiting(self) -> None:
        if self._waiting is None or self._shut_down:
            return
        (self._running_generation, work), self._waiting = self._waiting, None
        task = self._running = BackgroundTask(work, self)
        task.succeeded.connect(self._on_succeeded)
        task.failed.connect(self._on_failed)
        task.finished.connect(self._on_task_finished)
        task.start_low_priority()

    def _on_succeeded(self, result: object) -> None:
        if self._running_generation == self._generation:
            self._answered = self._generation
            self.succeeded.emit(result)

    def _on_failed(self, error: object) -> None:
        if self._running_generation == self._generation:
            self._answered = self._generation
            self.failed.emit(error)

    def _on_task_finished(self) -> None:
        if self._running is not None:
            self._running.deleteLater()
            self._running = None
        self._start_waiting()
