"""A time limit on every model run, so a hostile model cannot hang digitpad.

An ONNX graph can loop for as long as it likes (a ``Loop`` node with a trip count of
2**62 is a valid model). onnxruntime stops a run when its ``RunOptions.terminate`` flag
is set from another thread; one supervisor thread per process looks at the runs in
progress a few times a second and sets it for each run past its deadline.

A run registers itself with one dictionary store and leaves with one delete, both atomic
under the GIL: no lock and no notification, so a reading never wakes another thread
(waking one on every run handed it the GIL mid-reading, up to a switch interval of 5 ms).
The supervisor sleeps on an event once nothing has run for a while, so an idle app has
no timer ticking; only the first run after such a pause wakes it.

A run's options serve the next run once it ends before its deadline: the supervisor
stops only runs it saw past their deadline at a time before they ended, so options
given back then can never be terminated later.
"""

from __future__ import annotations

import itertools
import threading
import time

import onnxruntime as ort

# onnxruntime logs a stopped run as an error on stderr; the caller reports it instead.
_QUIET = 4
# How often the supervisor looks at the runs in progress: a run is stopped at most this
# late, and a reading never waits for it.
CHECK_SECONDS = 0.1
# After this long without a run the supervisor sleeps until the next one starts.
IDLE_SECONDS = 5.0


class RunWatchdog:
    """Hands out ``RunOptions`` that are terminated once their time is up."""

    def __init__(self) -> None:
        self._runs: dict[int, tuple[float, ort.RunOptions]] = {}
        # Options of runs that ended in time, for the next runs (list.pop and append
        # are atomic under the GIL).
        self._spare: list[ort.RunOptions] = []
        self._numbers = itertools.count()
        self._last_start = 0.0
        self._asleep = False
        self._wake = threading.Event()
        self._starting = threading.Lock()
        self._thread: threading.Thread | None = None

    def limit(self, seconds: float) -> _LimitedRun:
        """Options for one ``session.run`` (``with WATCHDOG.limit(s) as options:``); the
        run is stopped after ``seconds``."""
        try:
            options = self._spare.pop()
        except IndexError:
            options = ort.RunOptions()
            options.log_severity_level = _QUIET
        number = next(self._numbers)
        now = time.monotonic()
        self._last_start = now
        deadline = now + seconds
        self._runs[number] = (deadline, options)
        if self._thread is None:
            self._start()
        elif self._asleep:
            self._wake.set()
        return _LimitedRun(self, number, options, deadline)

    @property
    def asleep(self) -> bool:
        """Whether the supervisor is waiting for the next run rather than checking."""
        return self._asleep

    def _start(self) -> None:
        with self._starting:
            if self._thread is None:
                thread = threading.Thread(
                    target=self._watch, name="digitpad-model-watchdog", daemon=True
                )
                thread.start()
                self._thread = thread

    def _watch(self) -> None:
        while True:
            now = time.monotonic()
            # dict.copy is one C call under the GIL: runs may come and go meanwhile.
            for deadline, options in self._runs.copy().values():
                if deadline <= now:
                    options.terminate = True
            if now - self._last_start < IDLE_SECONDS or self._runs:
                time.sleep(CHECK_SECONDS)
                continue
            # Going to sleep: say so before looking once more, so a run that starts
            # meanwhile either is seen here or sees ``_asleep`` and sets the event.
            self._wake.clear()
            self._asleep = True
            if not self._runs:
                self._wake.wait()
            self._asleep = False


class _LimitedRun:
    """One registered run: entering gives its options, leaving unregisters it and gives
    the options back when the run ended before its deadline.

    A plain class rather than a generator-based context manager: a reading enters one per
    model, and contextlib's machinery cost more than the registration itself.
    """

    __slots__ = ("_deadline", "_number", "_options", "_watchdog")

    def __init__(
        self, watchdog: RunWatchdog, number: int, options: ort.RunOptions, deadline: float
    ) -> None:
        self._watchdog, self._number, self._options = watchdog, number, options
        self._deadline = deadline

    def __enter__(self) -> ort.RunOptions:
        return self._options

    def __exit__(self, *exc_info: object) -> None:
        del self._watchdog._runs[self._number]
        # The supervisor terminates a run only at a time it read before the run left,
        # and only past its deadline: still before it now, the options stay unterminated.
        if time.monotonic() < self._deadline:
            self._watchdog._spare.append(self._options)


WATCHDOG = RunWatchdog()
