"""Where a fine-tune is: progress in shares of the whole work, and prompt cancellation.

Every loop of a fine-tune (reading samples, re-drawing them, training, scoring) asks
``check()`` once per item, so cancelling stops it within one item's time (a sample's
rendering, a training step, a batch of scores), whatever the store's size.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
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
    the bar moves with time rather than with steps. Fractions never go backwards.
    """

    def __init__(self, report: Progress | None, cancelled: Callable[[], bool] | None) -> None:
        self._report = report
        self._cancelled = cancelled
        self._total = 0.0
        self._done = 0.0
        self._held: list[list[Any]] = []

    def wants_to_stop(self) -> bool:
        """Whether the caller asked to cancel (without raising)."""
        return self._cancelled is not None and self._cancelled()

    def check(self) -> None:
        """Raise ``FineTuneError`` if the caller asked to cancel."""
        if self.wants_to_stop():
            raise self.cancel_error()

    def hold(self, items: list[Any]) -> None:
        """Keep ``items`` (a list of many small objects) to let go of after a cancel."""
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
        held, self._held = self._held, []
        if held:
            threading.Thread(
                target=empty_lists, args=(held,), name="digitpad-release", daemon=True
            ).start()
        return FineTuneError(CANCELLED)

    @property
    def is_cancelled(self) -> Callable[[], bool] | None:
        """The caller's cancel question, for loops that raise their own error."""
        return self._cancelled

    def stage(self, message: str) -> None:
        """A stage begins (at the current fraction); cancelled ones stop here."""
        self.check()
        self.say(self.fraction, message)

    def say(self, fraction: float, message: str) -> None:
        if self._report is not None:
            self._report(fraction, message)

    @property
    def fraction(self) -> float:
        return self._done / self._total if self._total else 0.0

    def plan(self, total_work: float) -> None:
        """How much training work the whole fine-tune holds."""
        self._total = total_work

    def training(self, work: float, message: str) -> Callable[[float], None]:
        """A callback for one training run of ``work`` units: its share done, 0..1."""
        first = self._done

        def step(share: float) -> None:
            self.say(min(1.0, (first + share * work) / self._total), message)

        return step

    def trained(self, work: float) -> None:
        """One training run of ``work`` units finished."""
        self._done += work
