"""A fine-tune's independent pieces of work on both cores, with prompt cancellation.

The two models, and each model's cross-validation folds, train and are scored
independently of one another. Threads suffice to use two cores: the time goes into
numpy's matrix products and array passes and onnxruntime's runs, all of which let go of
the GIL (a separate process would have to start up, load the models again and copy the
replay over, and a frozen app needs more care to spawn one). The helpers inherit the
fine-tune thread's lower priority (Linux gives a new thread its creator's nice value).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_EXCEPTION, Future, wait
from queue import SimpleQueue
from typing import Any, TypeVar

from digitpad.core.personal._fine_tune_progress import FineTuneError, FineTuneProgress

T = TypeVar("T")

# Two cores are what the budget is for, and each helper holds a CNN batch's activations.
WORKERS = max(1, min(2, os.cpu_count() or 1))
# How often the fine-tune's thread passes progress on and asks whether to cancel while
# its helpers work: well inside the 0.1 s a cancel may take.
POLL_SECONDS = 0.01

_Job = tuple["Future[Any]", Callable[[], Any]]


def _serve(jobs: SimpleQueue[_Job | None]) -> None:
    """A helper: run jobs in the order they came until told to end (``None``)."""
    while (job := jobs.get()) is not None:
        future, work = job
        if not future.set_running_or_notify_cancel():
            continue
        try:
            future.set_result(work())
        except BaseException as error:  # handed to the fine-tune's thread
            future.set_exception(error)


class Helpers:
    """``WORKERS`` daemon threads working for one fine-tune (a context manager).

    Daemon threads, not a ``ThreadPoolExecutor``, whose threads the interpreter joins at
    exit: a window closed during a fine-tune must not wait for them. Leaving the block
    on an error (a cancel among them) stops them at their next check without waiting
    for it, so a cancelled fine-tune returns at once.
    """

    def __init__(self, progress: FineTuneProgress) -> None:
        self._progress = progress
        self._jobs: SimpleQueue[_Job | None] = SimpleQueue()
        self._started: list[Future[Any]] = []
        for number in range(WORKERS):
            threading.Thread(
                target=_serve, args=(self._jobs,), name=f"digitpad-fine-tune-{number}", daemon=True
            ).start()

    def __enter__(self) -> Helpers:
        return self

    def __exit__(self, kind: type[BaseException] | None, *exc: object) -> None:
        if kind is not None:  # cancelled or failed: the helpers stop at their next check
            self._progress.stop()
        for future in self._started:
            future.cancel()  # those not begun yet
        for _ in range(WORKERS):
            self._jobs.put(None)

    def start(self, work: Callable[[], T]) -> Future[T]:
        """Queue ``work`` for the helpers; they begin jobs in the order they were started."""
        future: Future[T] = Future()
        self._started.append(future)
        self._jobs.put((future, work))
        return future

    def results(self, futures: Sequence[Future[T]]) -> list[T]:
        """Each of ``futures``' results, waited for on the fine-tune's thread, which
        meanwhile passes the helpers' progress on and asks whether to cancel.

        Raises
        ------
        FineTuneError
            Cancelled (``cancelled()`` returned True); or what a helper raised, once the
            others have stopped at their next check.
        """
        pending = set(futures)
        while pending:
            done, pending = wait(pending, POLL_SECONDS, return_when=FIRST_EXCEPTION)
            self._progress.pass_on()
            if any(f.exception() is not None for f in done):
                self._progress.stop()
                wait([f for f in self._started if f.running()])
                raise _first_failure(futures)
            self._progress.check()
        return [f.result() for f in futures]


def _first_failure(futures: Sequence[Future[T]]) -> BaseException:
    """What to raise: the first error that is not the cancel others stopped with."""
    errors = [e for f in futures if f.done() and not f.cancelled() and (e := f.exception())]
    real = [e for e in errors if not isinstance(e, FineTuneError)]
    return (real or errors)[0]
