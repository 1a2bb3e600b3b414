"""A time limit on every model run, so a hostile model cannot hang digitpad.

An ONNX graph can loop for as long as it likes (a ``Loop`` node with a trip count of
2**62 is a valid model). onnxruntime stops a run when its ``RunOptions.terminate`` flag
is set from another thread; one watchdog thread per process sets it for each run that
outlives its deadline. Registering a run costs a lock and a dictionary entry, so the
limit is on every prediction, not only at load.
"""

from __future__ import annotations

import contextlib
import itertools
import threading
import time
from collections.abc import Iterator

import onnxruntime as ort

# onnxruntime logs a stopped run as an error on stderr; the caller reports it instead.
_QUIET = 4


class RunWatchdog:
    """Hands out ``RunOptions`` that are terminated once their time is up."""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._runs: dict[int, tuple[float, ort.RunOptions]] = {}
        self._numbers = itertools.count()
        self._thread: threading.Thread | None = None

    @contextlib.contextmanager
    def limit(self, seconds: float) -> Iterator[ort.RunOptions]:
        """Options for one ``session.run``; the run is stopped after ``seconds``."""
        options = ort.RunOptions()
        options.log_severity_level = _QUIET
        number = next(self._numbers)
        with self._changed:
            self._runs[number] = (time.monotonic() + seconds, options)
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._watch, name="digitpad-model-watchdog", daemon=True
                )
                self._thread.start()
            self._changed.notify()
        try:
            yield options
        finally:
            with self._changed:
                del self._runs[number]

    def _watch(self) -> None:
        with self._changed:
            while True:
                now = time.monotonic()
                for deadline, options in self._runs.values():
                    if deadline <= now:
                        options.terminate = True
                upcoming = [deadline for deadline, _ in self._runs.values() if deadline > now]
                self._changed.wait(timeout=min(upcoming) - now if upcoming else None)


WATCHDOG = RunWatchdog()
