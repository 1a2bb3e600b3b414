"""Explanations computed off the GUI thread, newest request wins.

Explaining runs both models a few hundred times (and, the first time, indexes the
reference digits), so it runs on a ``BackgroundTask``, one at a time (``LatestOnly``): a
request waiting behind a newer one is never run, and a result that arrives after a newer
request was made is dropped, so the window only ever shows the explanation of what is on
the canvas.
"""

from __future__ import annotations

import functools
import time
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QObject, Signal

from digitpad.core import Explainer, Explanation
from digitpad.ui.background_task import (
    BackgroundTask,
    CancelledCallback,
    LatestOnly,
    ProgressCallback,
    abandon,
)


@dataclass(frozen=True)
class ExplanationResult:
    """What a worker computed for one request."""

    model_input: np.ndarray
    explanations: dict[str, Explanation]
    seconds: float  # explaining this input
    preparing_seconds: float = 0.0  # indexing the reference digits first (once)


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
        self.started = 0  # requests handed to the worker, for the status line and tests
        self._latest = LatestOnly(self)
        self._latest.succeeded.connect(self.ready)
        self._latest.failed.connect(self._on_failed)
        self._preparing: BackgroundTask | None = None

    def request(self, model_input: np.ndarray | None) -> None:
        """Explain ``model_input`` (None: nothing to explain; cancels what is pending)."""
        if model_input is None:
            self._latest.cancel()
            return
        self.started += 1
        self._latest.request(functools.partial(_explain, self.explainer, np.array(model_input)))

    def prepare(self) -> None:
        """Build the explainer's indexes on a worker now, so the first "Why?" needs no
        wait (a person's first digit takes longer to draw than the build)."""
        explainer = self.explainer
        if explainer.is_prepared():
            return
        if self._preparing is not None and self._preparing.isRunning():
            abandon(self._preparing)  # an earlier set of models': let it end on its own
        self._preparing = BackgroundTask(lambda _progress, _cancelled: explainer.prepare())
        self._preparing.start_low_priority()

    def cancel(self) -> None:
        """Forget pending requests: their results will not be shown."""
        self._latest.cancel()

    def is_busy(self) -> bool:
        """Whether the latest request is still being computed."""
        return self._latest.is_busy()

    def shut_down(self) -> None:
        """The window is closing: forget every request, and leave a task still computing
        (explanations, or indexing the training digits for seconds) to end with the
        process instead of making the window's destruction wait for it."""
        self._latest.shut_down()
        if self._preparing is not None and self._preparing.isRunning():
            abandon(self._preparing)

    def wait(self, msecs: int = -1) -> bool:
        """Block until the worker is idle (for shutdown and tests)."""
        return self._latest.wait(msecs)

    def _on_failed(self, error: object) -> None:
        self.failed.emit(f"{type(error).__name__}: {error}")


def _explain(
    explainer: Explainer,
    model_input: np.ndarray,
    _progress: ProgressCallback,
    _cancelled: CancelledCallback,
) -> ExplanationResult:
    """One request's work, on the worker: index the reference digits first if need be."""
    started = time.perf_counter()
    if not explainer.is_prepared():
        explainer.prepare()
    prepared = time.perf_counter()
    explanations = explainer.explain(model_input)
    return ExplanationResult(
        model_input, explanations, time.perf_counter() - prepared, prepared - started
    )
