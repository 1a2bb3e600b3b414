"""Where a fine-tune is: progress in shares of the whole work, and prompt cancellation.

Every loop of a fine-tune (reading samples, re-drawing them, training, scoring) asks
``check()`` once per item, so cancelling stops it within one item's time (a sample's
rendering, a training step, a batch of scores), whatever the store's size.

A fine-tune trains on helper threads too (``run_side_by_side``). The caller's own
callbacks are still only ever called from the fine-tune's thread: its helpers queue
their reports, which that thread passes on in order, and they see the caller's cancel
through a stop flag that thread sets when ``cancelled()`` says so.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from queue import Empty, SimpleQueue
from typing import Any

Progress = Callable[[float, str], None]
CANCELLED = "fine-tuning cancelled; your models are unchanged"


def empty_lists(lists: list[list[Any]]) -> None:
    """Drop every item of ``lists``, one at a time (item by item the GIL is shared)."""
    for items in lists:
        while items:
            items.pop()


class FineTuneError(Exception):
    """Fine-tuning cannot run or was cancelled; the message says why in one line."""


class FineTuneProgress:
    """Reports ``(fraction, message)`` to a callback and raises on cancellation.

    Training is counted in units of work (``plan``): a CNN step costs ten dense ones, so
    the bar moves with time rather than with steps; runs that train at the same time
    add up. Fractions never go backwards. Made on the fine-tune's own thread, which is
    the only one that calls ``report`` and ``cancelled``.
    """

    def __init__(self, report: Progress | None, cancelled: Callable[[], bool] | None) -> None:
        self._report = report
        self._cancelled = cancelled
        self._owner = threading.get_ident()
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._waiting: SimpleQueue[tuple[float, str]] = SimpleQueue()
        self._total = 0.0
        self._done = 0.0
        # The work done so far by each training run going on.
        self._running: dict[int, float] = {}
        # Each planned run's message, in the plan's order; which have begun; how many of
        # them (from the first) were announced.
        self._messages: list[str] = []
        self._begun: set[int] = set()
        self._announced = 0
        self._last = 0.0
        self._held: list[list[Any]] = []

    def _on_owner(self) -> bool:
        return threading.get_ident() == self._owner

    def wants_to_stop(self) -> bool:
        """Whether the caller asked to cancel, or a helper failed (without raising)."""
        if self._stop.is_set():
            return True
        if self._on_owner() and self._cancelled is not None and self._cancelled():
            self._stop.set()
        return self._stop.is_set()

    def stop(self) -> None:
        """Make every ``check()`` raise from now on (a helper failed: the others end)."""
        self._stop.set()

    def check(self) -> None:
        """Raise ``FineTuneError`` if the caller asked to cancel."""
        if self.wants_to_stop():
            raise self.cancel_error()

    def hold(self, items: list[Any]) -> None:
        """Keep ``items`` (a list of many small objects) to let go of after a cancel."""
        with self._lock:
            self._held.append(items)

    def cancel_error(self) -> FineTuneError:
        """The error a cancelled fine-tune raises; what it held is let go of elsewhere.

        10,000 samples hold a million stroke points, and freeing them takes most of a
        second, all of it under the GIL: done where the last reference falls (the
        fine-tune's own thread, which the window waits for on close), it would delay the
        return and freeze the window. A daemon thread takes the lists and empties them
        one item at a time, so the fine-tune returns at once and the GIL changes hands
        between items.
        """
        with self._lock:
            held, self._held = self._held, []
        if held:
            threading.Thread(
                target=empty_lists, args=(held,), name="digitpad-release", daemon=True
            ).start()
        return FineTuneError(CANCELLED)

    @property
    def is_cancelled(self) -> Callable[[], bool]:
        """The cancel question, for loops that raise their own error."""
        return self.wants_to_stop

    def stage(self, message: str) -> None:
        """A stage begins (at the current fraction); cancelled ones stop here."""
        self.check()
        self.say(self.fraction, message)

    def say(self, fraction: float, message: str) -> None:
        """Report (from the fine-tune's thread) or queue the report (from a helper)."""
        with self._lock:
            self._queue(fraction, message)
        if self._on_owner():
            self.pass_on()

    def _queue(self, fraction: float, message: str) -> None:
        """Queue a report (under the lock: queued in the order the fractions were taken,
        so they never go back)."""
        if self._report is not None:
            self._last = max(self._last, fraction)
            self._waiting.put((self._last, message))

    def pass_on(self) -> None:
        """Hand the queued reports to the callback, in order, asking after each whether
        to stop; none is passed on after a stop (fine-tune's thread only)."""
        while self._report is not None and not self.wants_to_stop():
            try:
                fraction, message = self._waiting.get_nowait()
            except Empty:
                return
            self._report(fraction, message)

    @property
    def fraction(self) -> float:
        with self._lock:
            return self._fraction()

    def _fraction(self) -> float:
        done = self._done + sum(self._running.values())
        # Rounded: the runs' work adds up in the order they end, not in the plan's order.
        share = min(1.0, round(done / self._total, 6)) if self._total else 0.0
        return max(self._last, share)

    def plan(self, total_work: float) -> None:
        """How much training work the whole fine-tune holds."""
        self._total = total_work

    def training(self, work: float, message: str) -> Callable[[float], None]:
        """A callback for a training run of ``work`` units (its share done, 0..1);
        ``trained`` with the same callback when it ends.

        Runs are planned in the order they are meant to begin, and each one's message
        is announced once it and every run planned before it have begun: while runs
        overlap, the message moves on in the plan's order, never back, none left out.
        """
        with self._lock:
            order = len(self._messages)
            self._messages.append(message)

        def step(share: float) -> None:
            with self._lock:
                self._running[id(step)] = share * work
                self._begun.add(order)
                announced = self._announced
                while self._announced < len(self._messages) and self._announced in self._begun:
                    self._announced += 1
                for later in range(announced, self._announced):
                    self._queue(self._fraction(), self._messages[later])
                if announced == self._announced and announced:  # the latest again
                    self._queue(self._fraction(), self._messages[announced - 1])
            if self._on_owner():
                self.pass_on()

        return step

    def trained(self, step: Callable[[float], None], work: float) -> None:
        """The training run ``step`` reported for (``training``) finished its ``work``."""
        with self._lock:
            self._running.pop(id(step), None)
            self._done += work
