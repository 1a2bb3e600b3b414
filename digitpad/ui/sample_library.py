"""The window's side of your handwriting samples: the core's store, plus a signal.

Every window part that adds or removes samples (a corrected reading, the teaching
session, the samples dialog) goes through one ``SampleLibrary``, so the others hear
``changed`` and show the new counts. The files themselves are the core's business
(``digitpad.core.SampleStore``): this module only turns the canvas into what the store
takes and store errors into one-line messages.

A store may hold a hundred thousand samples, seconds of reading: the library reads it on
a worker (``BackgroundTask``) when a dialog asks, keeps what it read, and applies its own
additions and removals to that, so a correction never re-reads the store.
"""

from __future__ import annotations

import math
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
from PIL import Image
from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QImage

from digitpad.core import (
    DigitReading,
    ImageLoadError,
    Sample,
    SampleError,
    SampleStore,
    Stroke,
    load_image,
    rasterise_strokes,
)
from digitpad.ui.background_task import BackgroundTask, CancelledCallback, ProgressCallback
from digitpad.ui.canvas import DrawingCanvas
from digitpad.ui.qimage_convert import pil_to_qimage, qimage_to_gray_array, qimage_to_rgba_array


def drawing_picture(strokes: Sequence[Stroke], box: Sequence[float]) -> np.ndarray:
    """Strokes as the canvas draws them (black ink on white), framed around ``box``."""
    x0, y0, x1, y1 = _padded(box)
    return 255 - rasterise_strokes(strokes, (y1 - y0, x1 - x0), offset=(-x0, -y0))


def _padded(box: Sequence[float], size: tuple[int, int] | None = None) -> tuple[int, int, int, int]:
    """A digit's box with a margin of a quarter of its longer side, in whole pixels (and
    inside a picture of ``size``)."""
    x0, y0, x1, y1 = box
    margin = max(x1 - x0, y1 - y0) / 4
    left, top = math.floor(x0 - margin), math.floor(y0 - margin)
    right, bottom = math.ceil(x1 + margin), math.ceil(y1 + margin)
    if size is None:
        return left, top, right, bottom
    width, height = size
    return max(0, left), max(0, top), min(width, right), min(height, bottom)


def thumbnail_image(path: Path, side: int) -> QImage | None:
    """A sample's picture at most ``side`` pixels on its longer side, read through the
    core's hardened loader (bounded size, big pictures decoded in a child); None when it
    cannot be read. Safe on a worker thread (a QImage, not a QPixmap)."""
    try:
        picture = load_image(path, max_side=side * 2)
    except ImageLoadError:
        return None
    picture.thumbnail((side, side), Image.Resampling.LANCZOS)
    return pil_to_qimage(picture)


def samples_text(count: int) -> str:
    """The count with its noun: "1 sample", "5 samples"."""
    return f"{count} sample" if count == 1 else f"{count} samples"


_Read = tuple[int, list[Sample], tuple[str, ...], bool]


class SampleLibrary(QObject):
    """Adds, removes and lists samples in one ``SampleStore``, read off the GUI thread.

    Signals
    -------
    changed
        A sample was added or removed through this library, or a digit's samples were
        read from the store.
    """

    changed = Signal()

    def __init__(self, store: SampleStore, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store
        # Per digit, its samples by id, oldest first; with each digit's read problems.
        self._by_label: dict[int, dict[str, Sample]] = {label: {} for label in range(10)}
        self._problems: dict[int, tuple[str, ...]] = {}
        self._loaded = False
        self._task: BackgroundTask | None = None
        self._unread: list[int] = []  # digits the current read has still to do
        self._read_again = False
        self._stopped = False  # the window is closing: no read starts again
        # Samples this library added (True) or removed (False) while a digit was read:
        # the read may have seen them or not, so they are applied to its result again.
        self._edits: dict[str, tuple[bool, Sample]] = {}

    def is_loaded(self) -> bool:
        """Whether every digit of the store has been read at least once."""
        return self._loaded

    def is_reading(self) -> bool:
        return self._task is not None

    def samples(self) -> list[Sample]:
        """Every readable sample known, oldest first (unreadable ones are in ``problems``);
        until the first read is done (``is_loaded``), those of the digits read so far."""
        merged = [s for label in range(10) for s in self._by_label[label].values()]
        return sorted(merged, key=lambda sample: sample.id)

    def has_read(self, digit: int) -> bool:
        """Whether ``digit``'s samples have been read from the store at least once."""
        return digit in self._problems

    def samples_of(self, digit: int) -> list[Sample]:
        """The known samples of one digit, oldest first."""
        return list(self._by_label[digit].values())

    def counts(self) -> dict[int, int]:
        """Samples per digit 0-9, of those known (see ``samples``)."""
        return {label: len(samples) for label, samples in self._by_label.items()}

    @property
    def problems(self) -> tuple[str, ...]:
        return tuple(problem for label in range(10) for problem in self._problems.get(label, ()))

    def reload(self) -> None:
        """Read the store again on a worker, a digit at a time; ``changed`` follows each.

        Called as a dialog opens, so samples added elsewhere (the command line) show up.
        A call while a read runs reads once more after it.
        """
        if self._task is not None:
            self._read_again = True
            return
        if self._stopped:
            return
        self._unread = list(range(10))
        self._read_next()

    def _read_next(self) -> None:
        label = self._unread.pop(0)
        root = self.store.root

        def read(progress: ProgressCallback, cancelled: CancelledCallback) -> _Read:
            store = SampleStore(root)  # its own, so ``problems`` are this read's
            samples = store.samples(cancelled, labels=[label])
            return label, samples, store.problems, cancelled()

        self._edits.clear()
        task = self._task = BackgroundTask(read, self)
        task.succeeded.connect(self._on_read)
        task.finished.connect(self._on_read_finished)
        task.start_low_priority()

    def stop(self) -> None:
        """Cancel a read and wait for it (promptly: it checks between files); no read
        starts after this (the window is closing)."""
        self._stopped = True
        task = self._task
        if task is not None:
            self._read_again = False
            self._unread.clear()
            task.cancel()
            task.wait()
            self._on_read_finished()

    def _on_read(self, result: _Read) -> None:
        label, samples, problems, cancelled = result
        if cancelled:
            return
        known = {sample.id: sample for sample in samples}
        for sample_id, (added, sample) in self._edits.items():
            if sample.label != label:
                continue
            if added:
                known[sample_id] = sample
            else:
                known.pop(sample_id, None)
        self._by_label[label] = dict(sorted(known.items()))
        self._problems[label] = problems
        self._loaded = self._loaded or not self._unread
        self.changed.emit()

    def _on_read_finished(self) -> None:
        task = self._task
        if task is None or not task.isFinished():
            return  # already wound up by ``stop`` (and maybe another read started)
        self._task = None
        task.deleteLater()
        self._edits.clear()
        if self._unread:
            self._read_next()
        elif self._read_again:
            self._read_again = False
            self.reload()

    def _added(self, sample: Sample) -> None:
        self._by_label[sample.label][sample.id] = sample  # ids are times: it sorts last
        if self._task is not None:
            self._edits[sample.id] = (True, sample)
        self.changed.emit()

    def keep_canvas(
        self, label: int, canvas: DrawingCanvas, digit: DigitReading | None = None
    ) -> Sample:
        """Keep what the canvas holds, or its ``digit`` of a number, as a sample of ``label``.

        A drawing is kept as its strokes plus its picture (black ink on white); an opened
        or pasted picture, drawn over or not, as the picture the models read. One digit
        of a written number is kept alone: its own strokes, or its box of the picture.

        Raises
        ------
        SampleError
            Nothing is drawn, or the sample cannot be written (the reason in one line).
        """
        content = canvas.content
        try:
            if digit is not None and digit.strokes:
                own = drawing_picture(digit.strokes, digit.box)
                sample = self.store.add_drawing(label, digit.strokes, own)
            elif content.background is None and digit is None:
                drawn = qimage_to_gray_array(canvas.render_bitmap())
                sample = self.store.add_drawing(label, content.strokes, drawn)
            else:
                shown = Image.fromarray(qimage_to_rgba_array(canvas.prediction_image()))
                if digit is not None:
                    shown = shown.crop(_padded(digit.box, shown.size))
                sample = self._add_picture(label, shown)
        except OSError as error:
            raise SampleError(f"could not write the sample: {error.strerror or error}") from None
        self._added(sample)
        return sample

    def _add_picture(self, label: int, picture: Image.Image) -> Sample:
        # The store takes pictures as files and checks them as it checks any.
        with tempfile.TemporaryDirectory(prefix="digitpad-") as folder:
            path = Path(folder) / "canvas.png"
            picture.save(path)
            return self.store.add_picture(label, path)

    def remove(self, samples: Iterable[Sample]) -> list[str]:
        """Delete ``samples``; returns a one-line reason for each that could not be."""
        failures = []
        removed = False
        for sample in samples:
            try:
                self.store.remove(sample.id)
                removed = True
                self._by_label[sample.label].pop(sample.id, None)
                if self._task is not None:
                    self._edits[sample.id] = (False, sample)
            except SampleError as error:
                failures.append(str(error))
            except OSError as error:
                failures.append(f"{sample.image.name}: {error.strerror or error}")
        if removed:
            self.changed.emit()
        return failures
