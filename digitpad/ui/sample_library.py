"""The window's side of your handwriting samples: the core's store, plus a signal.

Every window part that adds or removes samples (a corrected reading, the teaching
session, the samples dialog) goes through one ``SampleLibrary``, so the others hear
``changed`` and show the new counts. The files themselves are the core's business
(``digitpad.core.SampleStore``): this module only turns the canvas into what the store
takes and store errors into one-line messages.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable
from pathlib import Path

from PIL import Image
from PySide6.QtCore import QObject, Signal

from digitpad.core._samples import Sample, SampleError, SampleStore
from digitpad.ui.canvas import DrawingCanvas
from digitpad.ui.qimage_convert import qimage_to_gray_array, qimage_to_rgba_array


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

    def keep_canvas(self, label: int, canvas: DrawingCanvas) -> Sample:
        """Keep what the canvas holds as a sample of ``label``.

        A drawing is kept as its strokes plus its picture (black ink on white); an opened
        or pasted picture, drawn over or not, as the picture the models read.

        Raises
        ------
        SampleError
            Nothing is drawn, or the sample cannot be written (the reason in one line).
        """
        content = canvas.content
        try:
            if content.background is None:
                drawn = qimage_to_gray_array(canvas.render_bitmap())
                sample = self.store.add_drawing(label, content.strokes, drawn)
            else:
                # The store takes pictures as files and checks them as it checks any.
                picture = Image.fromarray(qimage_to_rgba_array(canvas.prediction_image()))
                with tempfile.TemporaryDirectory(prefix="digitpad-") as folder:
                    path = Path(folder) / "canvas.png"
                    picture.save(path)
                    sample = self.store.add_picture(label, path)
        except OSError as error:
            raise SampleError(f"could not write the sample: {error.strerror or error}") from None
        self.changed.emit()
        return sample

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
