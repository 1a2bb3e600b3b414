"""One fine-tune at a time, owned by the window rather than by the dialog that started it.

Closing the fine-tune dialog used to cancel the training silently; now the dialog only
shows a ``FineTuneJob``, which goes on when the dialog closes (the window shows its
progress in the status bar) and stops only when the person chooses Cancel or the window
closes.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from digitpad.core import FineTuneError, FineTuneReport, SampleStore
from digitpad.ui.background_task import (
    BackgroundTask,
    CancelledCallback,
    ProgressCallback,
    abandon,
)

# ``fine_tune``'s shape: a store in, keyword ``progress`` and ``cancelled``, a report out.
Tune = Callable[..., FineTuneReport]
CANCELLED = "fine-tuning cancelled; your models are unchanged"
# How long closing the window waits for a cancelled fine-tune before leaving it behind.
CLOSE_WAIT_MS = 150


class FineTuneJob(QObject):
    """A fine-tune on a worker thread, its latest progress, and how it ended.

    Signals
    -------
    started
        A fine-tune began.
    progressed(float, str)
        Fraction done (0..1) and what is happening.
    succeeded(FineTuneReport)
        New personal models were written.
    failed(Exception)
        It stopped without writing (cancellation included: ``FineTuneError``).
    finished
        It is over, whichever way.
    """

    started = Signal()
    progressed = Signal(float, str)
    succeeded = Signal(object)
    failed = Signal(object)
    finished = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._task: BackgroundTask | None = None
        self._progress: tuple[float, str] = (0.0, "")

    def is_running(self) -> bool:
        return self._task is not None

    def worker(self) -> BackgroundTask | None:
        """The thread fine-tuning now, if any."""
        return self._task

    def progress(self) -> tuple[float, str]:
        """The latest fraction done and stage, for a dialog opened while it runs."""
        return self._progress

    def is_cancelled(self) -> bool:
        return self._task is not None and self._task.is_cancelled()

    def start(self, store: SampleStore, tune: Tune) -> bool:
        """Start fine-tuning ``store``'s samples; False if one is already running."""
        if self._task is not None:
            return False

        def work(progress: ProgressCallback, cancelled: CancelledCallback) -> FineTuneReport:
            def report(fraction: float, text: str) -> None:
                # Also checked at every report, the last one just before the models are
                # written: a fine-tune cancelled by then writes nothing.
                if cancelled():
                    raise FineTuneError(CANCELLED)
                progress(fraction, text)

            return tune(store, progress=report, cancelled=cancelled)

        self._progress = (0.0, "Starting\N{HORIZONTAL ELLIPSIS}")
        task = self._task = BackgroundTask(work, self)
        task.progressed.connect(self._on_progressed)
        task.succeeded.connect(self.succeeded)
        task.failed.connect(self.failed)
        task.finished.connect(self._on_finished)
        self.started.emit()
        task.start_low_priority()
        return True

    def cancel(self) -> None:
        """Ask the worker to stop at its next check; ``failed`` then ``finished`` follow."""
        if self._task is not None:
            self._task.cancel()

    def stop(self) -> None:
        """Cancel and wait until the worker has ended."""
        task = self._task
        if task is not None:
            task.cancel()
            task.wait()

    def shut_down(self) -> None:
        """The window is closing: cancel, and do not hold the closing up for more than
        ``CLOSE_WAIT_MS``; a worker still busy then is left to end with the process
        (``background_task.abandon``). Its models are not written: every progress report,
        the last just before writing, checks for cancellation."""
        task = self._task
        if task is None:
            return
        task.cancel()
        if not task.wait(CLOSE_WAIT_MS):
            task.progressed.disconnect()
            task.succeeded.disconnect()
            task.failed.disconnect()
            task.finished.disconnect()
            self._task = None
            abandon(task)

    def _on_progressed(self, fraction: float, text: str) -> None:
        self._progress = (min(max(fraction, 0.0), 1.0), text)
        self.progressed.emit(*self._progress)

    def _on_finished(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.deleteLater()
        self.finished.emit()
