"""The window's side of your handwriting samples: the core's store, plus a signal.

Every window part that adds or removes samples (a corrected reading, the teaching
session, the samples dialog) goes through one ``SampleLibrary``, so the others hear
``changed`` and show the new counts. The files themselves are the core's business
(``digitpad.core.SampleStore``): this module only turns the canvas into what the store
takes and store errors into one-line messages.
"""

from __future__ import annotations

import math
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
from PIL import Image
from PySide6.QtCore import QObject, Signal

from digitpad.core import (
    DigitReading,
    Sample,
    SampleError,
    SampleStore,
    Stroke,
    rasterise_strokes,
)
from digitpad.ui.canvas import DrawingCanvas
from digitpad.ui.qimage_convert import qimage_to_gray_array, qimage_to_rgba_array


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


def samples_text(count: int) -> str:
    """The count with its noun: "1 sample", "5 samples"."""
    return f"{count} sample" if count == 1 else f"{count} samples"


class SampleLibrary(QObject):
    """Adds, removes and lists samples in one ``SampleStore``.

    Signals
    -------
    changed
        A sample was added or removed through this library.
    """

    changed = Signal()

    def __init__(self, store: SampleStore, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store

    def samples(self) -> list[Sample]:
        """Every readable sample, oldest first (unreadable ones are in ``problems``)."""
        return self.store.samples()

    def counts(self) -> dict[int, int]:
        return self.store.counts()

    @property
    def problems(self) -> tuple[str, ...]:
        return self.store.problems

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
        self.changed.emit()
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
            except SampleError as error:
                failures.append(str(error))
            except OSError as error:
                failures.append(f"{sample.image.name}: {error.strerror or error}")
        if removed:
            self.changed.emit()
        return failures
