"""Explanations computed off the GUI thread, newest request wins.

Explaining runs both models a few hundred times (and, the first time, indexes the
reference digits), so it runs on a worker thread of its own pool. Requests carry a
generation number: a request that is already outdated when its turn comes is skipped,
and a result that arrives after a newer request was made is dropped, so the window only
ever shows the explanation of what is on the canvas.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from digitpad.core import Explainer, Explanation
from digitpad.ui.background_task import abandon


@dataclass(frozen=True)
class ExplanationResult:
    """What a worker computed for one request."""

    model_input: np.ndarray
    explanations: dict[str, Explanation]
    seconds: float  # explaining this input
    preparing_seconds: float = 0.0  # indexing the reference digits first (once)


class _WorkerSignals(QObject):
    finished = Signal(int, object)  # generation, ExplanationResult
    failed = Signal(int, str)  # generation, one-line reason


class _ExplainTask(QRunnable):
    def __init__(self, runner: ExplanationRunner, generation: int, model_input: np.ndarray) -> None:
        super().__init__()
        self._runner = runner
        self._signals = runner.signals
        self._explainer = runner.explainer
        self._generation = generation
        self._model_input = model_input

    def run(self) -> None:
        if self._generation != self._runner.generation:
            return  # a newer drawing is waiting: this one is no longer on screen
        try:
            started = time.perf_counter()
            if not self._explainer.is_prepared():
                self._explainer.prepare()
            prepared = time.perf_counter()
            explanations = self._explainer.explain(self._model_input)
        except Exception as error:  # a worker must report, never die silently
            self._signals.failed.emit(self._generation, f"{type(error).__name__}: {error}")
            return
        result = ExplanationResult(
            self._model_input, explanations, time.perf_counter() - prepared, prepared - started
        )
        self._signals.finished.emit(self._generation, result)


class ExplanationRunner(QObject):
    """Runs ``Explainer.explain`` on a worker thread for the latest request only.

    Signals
    -------
    ready(ExplanationResult)
        The explanation of the latest request, on the GUI thread.
    failed(str)
        Explaining the latest request failed; the reason in one line.
    """

    ready = Signal(object)
    failed = Signal(str)

    def __init__(self, explainer: Explainer, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.explainer = explainer
        self.generation = 0
        self.started = 0  # requests handed to the worker, for the status line and tests
        # The pool is made first so it is destroyed first: its destructor waits for a
        # running task, which still emits through ``signals``.
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)  # one at a time: the newest request waits, then wins
        self.signals = _WorkerSignals(self)
        self.signals.finished.connect(self._on_finished)
        self.signals.failed.connect(self._on_failed)
        self._busy = False

    def request(self, model_input: np.ndarray | None) -> None:
        """Explain ``model_input`` (None: nothing to explain; cancels what is pending)."""
        self.generation += 1
        if model_input is None:
            self._busy = False
            return
        self._busy = True
        self.started += 1
        self._pool.start(_ExplainTask(self, self.generation, np.array(model_input, copy=True)))

    def cancel(self) -> None:
        """Forget pending requests: their results will not be shown."""
        self.generation += 1
        self._busy = False

    def is_busy(self) -> bool:
        """Whether the latest request is still being computed."""
        return self._busy

    def shut_down(self) -> None:
        """The window is closing: forget every request, and leave a task still computing
        (explanations, or indexing the training digits for seconds) to end with the
        process instead of making the window's destruction wait for it."""
        self.cancel()
        self._pool.clear()
        if self._pool.activeThreadCount():
            abandon(self._pool, self.signals)

    def wait(self, msecs: int = -1) -> bool:
        """Block until the worker is idle (for shutdown and tests)."""
        return self._pool.waitForDone(msecs)

    def _on_finished(self, generation: int, result: ExplanationResult) -> None:
        if generation != self.generation:
            return
        self._busy = False
        self.ready.emit(result)

    def _on_failed(self, generation: int, reason: str) -> None:
        if generation != self.generation:
            return
        self._busy = False
        self.failed.emit(reason)
