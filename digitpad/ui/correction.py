"""Correcting a reading: "no, this is a 7" keeps the drawing as a sample of a 7.

A person picks the right digit's bar in any model's panel, or types the digit while the
canvas has focus. The drawing goes into their samples at once (nothing asks first) and a
notice says so, with Undo. Picking another digit for the same drawing moves it to that
digit instead of keeping it twice.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Signal
from PySide6.QtGui import QKeyEvent

from digitpad.core import DigitReading, Sample, SampleError
from digitpad.ui.canvas import DrawingCanvas
from digitpad.ui.canvas_history import CanvasContent
from digitpad.ui.digit_keys import typed_digit
from digitpad.ui.probability_bars import ProbabilityBars
from digitpad.ui.sample_library import SampleLibrary
from digitpad.ui.undo_notice import UndoNotice
from digitpad.ui.verdict import a_digit

NOTHING_DRAWN = "Draw a digit first, then pick the digit it really is"
# A kept drawing: the canvas content, and the digit's box when one digit of a number.
Kept = tuple[CanvasContent, tuple[float, ...] | None]


def _same(first: Kept, second: Kept) -> bool:
    return first[0] is second[0] and first[1] == second[1]


class ReadingCorrection(QObject):
    """Keeps the canvas as a sample of the digit a person says it is.

    Parameters
    ----------
    canvas
        Where the drawing is, and where typing a digit corrects it.
    library
        Where samples go.
    notice
        Says what was kept, with Undo.
    focused_digit
        While a number is written, the digit whose bars show: only that one is kept.

    Signals
    -------
    failed(str)
        A sample could not be kept or removed; the reason in one line.
    kept(Sample)
        The drawing was kept as this sample: the last thing done, which Undo takes back.
    """

    failed = Signal(str)
    kept = Signal(object)

    def __init__(
        self,
        canvas: DrawingCanvas,
        library: SampleLibrary,
        notice: UndoNotice,
        parent: QObject | None = None,
        focused_digit: Callable[[], DigitReading | None] = lambda: None,
    ) -> None:
        super().__init__(parent)
        self._canvas = canvas
        self._library = library
        self._notice = notice
        self._focused_digit = focused_digit
        # What was last kept (the canvas content, and the digit's box in a number) and
        # its sample: the same drawing is kept once.
        self._last: tuple[Kept, Sample] | None = None
        canvas.installEventFilter(self)
        notice.undoRequested.connect(self.undo)

    def attach(self, bars: ProbabilityBars) -> None:
        """Let picking one of ``bars`` correct the reading (once per bars widget)."""
        if not bars.is_choosable():
            bars.set_choosable(True)
            bars.digitChosen.connect(self.correct)

    def last_sample(self) -> Sample | None:
        """The sample the last correction kept, until it is undone."""
        return None if self._last is None else self._last[1]

    def correct(self, label: int) -> Sample | None:
        """Keep the drawing as a sample of ``label``; None when nothing could be kept."""
        if self._canvas.is_empty():
            self._notice.show_message(NOTHING_DRAWN, undoable=False)
            return None
        digit = self._focused_digit()
        kept: Kept = (self._canvas.content, None if digit is None else digit.box)
        what = "Saved" if digit is None else "Saved that digit"
        replaced = ""
        if self._last is not None and _same(self._last[0], kept):
            previous = self._last[1]
            if previous.label == label:
                self._notice.show_message(f"Already saved as {a_digit(label)} in your samples")
                return previous
            if self._remove(previous):
                return None
            self._last = None
            replaced = f" (no longer {a_digit(previous.label)})"
        try:
            sample = self._library.keep_canvas(label, self._canvas, digit)
        except SampleError as error:
            self.failed.emit(f"Could not keep the drawing as {a_digit(label)} \N{EM DASH} {error}")
            return None
        self._last = (kept, sample)
        self._notice.show_message(f"{what} as {a_digit(label)} in your samples{replaced}")
        self.kept.emit(sample)
        return sample

    def undo(self) -> None:
        """Take the last kept sample out of the samples again."""
        if self._last is None:
            return
        sample = self._last[1]
        if not self._remove(sample):
            self._last = None
            self._notice.show_message(f"Removed that {sample.label} from your samples", False)

    def _remove(self, sample: Sample) -> bool:
        """Delete ``sample``; True (and ``failed`` emitted) when that did not work."""
        failures = self._library.remove([sample])
        if failures:
            self.failed.emit(f"Could not remove the sample \N{EM DASH} {failures[0]}")
        return bool(failures)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # The event's kind first: the canvas also sends events while it is being deleted,
        # when this object's Python attributes may already be gone.
        if isinstance(event, QKeyEvent) and watched is self._canvas:
            digit = typed_digit(event)
            if digit is not None:
                if event.type() == QEvent.Type.ShortcutOverride:
                    event.accept()  # a digit typed on the canvas is ours, not a shortcut's
                    return True
                if event.type() == QEvent.Type.KeyPress:
                    if not event.isAutoRepeat():
                        self.correct(digit)
                    return True
        return super().eventFilter(watched, event)
