"""A written number in the window: each model's number large, a chip per digit, and
each digit's box marked on the canvas.

The window hands ``NumberView`` the canvas once; ``read(recognizer)`` reads the canvas
as a number through the core's ``read_number`` (a drawing from its strokes, a picture
from its pixels). With two digits or more it shows "Dense: 1984 · CNN: 1984", a chip
per digit (uncertain ones marked "?") and the boxes on the canvas; hovering a box or a
chip, or clicking a chip, emits ``focusChanged`` with that digit's prediction so the
window can show its bars. With one digit or none it hides and the window works as it
always has.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, MutableMapping
from dataclasses import dataclass
from html import escape

import numpy as np
from PySide6.QtCore import QEvent, QObject, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QMouseEvent, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QLabel, QToolButton, QVBoxLayout, QWidget

from digitpad.core import (
    MAX_NUMBER_STROKES,
    DigitReading,
    NumberReading,
    Prediction,
    Recognizer,
    Stroke,
    read_number,
)
from digitpad.ui.canvas import SCENE_SIZE, DrawingCanvas
from digitpad.ui.canvas_overlay import CanvasOverlay
from digitpad.ui.qimage_convert import qimage_to_rgba_array
from digitpad.ui.stroke_render import fit_rect

# Digits a model is unsure of are drawn in this colour (in both themes).
UNSURE_COLOUR = QColor(230, 120, 0)
SEPARATOR = " \N{MIDDLE DOT} "
# Stroke groups whose readings are kept while a number is written (then forgotten).
REMEMBERED_GROUPS = 200

BoxToScene = Callable[[tuple[float, float, float, float]], QRectF]


@dataclass(frozen=True)
class PictureJob:
    """Reading the picture on the canvas, taken apart from the canvas so it can run on a
    worker thread: the pixels (a copy the GUI thread no longer touches), the part to read
    in the picture's pixels, and how the reading's boxes map back to the scene."""

    pixels: np.ndarray
    part: tuple[float, float, float, float] | None
    to_scene: BoxToScene

    def read(self, recognizer: Recognizer) -> NumberReading:
        """``read_number`` on the pixels (any thread): what ``digitpad predict`` reads."""
        try:
            return read_number(recognizer, self.pixels, region=self.part)
        except ValueError:  # the box lies off the picture: nothing there to read
            return NumberReading((), tuple(m.name for m in recognizer.loaded_models))


def picture_job(canvas: DrawingCanvas, region: QRectF | None = None) -> PictureJob | None:
    """The canvas's picture reading, prepared on the GUI thread; None for a drawing.

    The pixels are those the models read for a lone digit too (``prediction_image``),
    only their part under ``region`` (scene units) when one is given, as ``digitpad
    predict --region`` reads it.
    """
    if canvas.drawing_strokes() is not None:
        return None
    image = canvas.prediction_image()
    if image is canvas.content.background:
        placed = fit_rect(image.width(), image.height(), canvas.scene_rect())
        scale, left, top = placed.width() / image.width(), placed.x(), placed.y()
    else:  # the canvas rendered with the strokes over the picture: its full height
        scale, left, top = SCENE_SIZE / image.height(), 0.0, 0.0
    part = None
    if region is not None:
        part = (
            (region.x() - left) / scale,
            (region.y() - top) / scale,
            region.width() / scale,
            region.height() / scale,
        )

    def to_scene(box: tuple[float, float, float, float]) -> QRectF:
        return QRectF(
            QPointF(left + box[0] * scale, top + box[1] * scale),
            QPointF(left + box[2] * scale, top + box[3] * scale),
        )

    return PictureJob(qimage_to_rgba_array(image), part, to_scene)


def read_canvas(
    recognizer: Recognizer,
    canvas: DrawingCanvas,
    remembered: MutableMapping[tuple[Stroke, ...], Prediction] | None = None,
    region: QRectF | None = None,
) -> tuple[NumberReading, BoxToScene]:
    """Read what the canvas holds as a number, here and now, and how its boxes map to the
    scene.

    A drawing is read from its strokes (boxes in scene units already; ``remembered``
    keeps digits already read); a picture as ``picture_job`` prepares it.
    """
    job = picture_job(canvas, region)
    if job is None:
        strokes = canvas.drawing_strokes() or ()
        return read_number(recognizer, strokes, remembered), _scene_box
    return job.read(recognizer), job.to_scene


def _scene_box(box: tuple[float, float, float, float]) -> QRectF:
    """A box already in scene units (a drawing's) as a rectangle."""
    return QRectF(QPointF(box[0], box[1]), QPointF(box[2], box[3]))


def number_html(reading: NumberReading, model: str) -> str:
    """``model``'s number with the digits it is unsure of in ``UNSURE_COLOUR``."""
    unsure = set(reading.uncertain(model))
    colour = UNSURE_COLOUR.name()
    return "".join(
        f'<span style="color:{colour}">{escape(digit)}?</span>' if i in unsure else digit
        for i, digit in enumerate(reading.number(model))
    )


class DigitBoxes(CanvasOverlay):
    """Paints each digit's box over the canvas; the canvas keeps every mouse event.

    It also watches the canvas for the pointer hovering over a box (no button held).
    """

    hovered = Signal(int)  # index of the digit under the pointer, -1 for none

    def __init__(self, canvas: DrawingCanvas) -> None:
        super().__init__(canvas)
        self._boxes: list[tuple[QRectF, bool]] = []
        self._selected = -1
        self._hovered = -1
        canvas.setMouseTracking(True)

    def set_boxes(self, boxes: list[tuple[QRectF, bool]], selected: int) -> None:
        """Boxes in scene units, each with whether the digit is uncertain."""
        self._boxes = boxes
        self._selected = selected
        self.setVisible(bool(boxes))
        self.raise_()
        self.update()

    def scene_boxes(self) -> list[tuple[QRectF, bool]]:
        """The boxes shown (scene units), each with whether its digit is uncertain."""
        return list(self._boxes)

    def box_at(self, position: QPointF) -> int:
        """Index of the digit box under ``position`` (widget pixels), or -1."""
        for index, (box, _) in enumerate(self._boxes):
            if self._on_screen(box).contains(position):
                return index
        return -1

    def _on_screen(self, box: QRectF) -> QRectF:
        return self.on_screen(box).adjusted(-3, -3, 3, 3)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.MouseMove and isinstance(event, QMouseEvent):
            if not event.buttons():
                self._set_hovered(self.box_at(event.position()))
        elif kind == QEvent.Type.Leave:
            self._set_hovered(-1)
        return super().eventFilter(watched, event)

    def _set_hovered(self, index: int) -> None:
        if index != self._hovered:
            self._hovered = index
            self.update()
            self.hovered.emit(index)

    def paintEvent(self, event: QPaintEvent) -> None:
        if self._canvas.is_drawing():
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        highlight = self.palette().color(QPalette.ColorRole.Highlight)
        for index, (box, unsure) in enumerate(self._boxes):
            colour = UNSURE_COLOUR if unsure else highlight
            pen = QPen(colour, 2.5 if index in (self._selected, self._hovered) else 1.2)
            if unsure:
                pen.setStyle(Qt.PenStyle.DashLine)
            painter.setPen(pen)
            rect = self._on_screen(box)
            painter.drawRoundedRect(rect, 4, 4)
            painter.drawText(
                rect.adjusted(3, 1, 0, 0),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop,
                f"{index + 1}" + ("?" if unsure else ""),
            )
        painter.end()


class NumberView(QWidget):
    """Each model's number large, and one chip per digit to show that digit's bars.

    Signals
    -------
    focusChanged(Prediction)
        The digit whose bars should show changed (hovered or clicked), with its prediction.
    """

    focusChanged = Signal(object)

    def __init__(
        self, display_names: Mapping[str, str], canvas: DrawingCanvas, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._display_names = dict(display_names)
        self._reading = NumberReading()
        self._headline = next(iter(self._display_names), "")
        self._selected = -1
        self._pinned = False  # a digit was picked: its bars stay while the number changes
        self._to_scene: BoxToScene = _scene_box
        self._region: QRectF | None = None
        # Readings of stroke groups by the recogniser they came from (see read_strokes).
        self._remembered: dict[tuple[Stroke, ...], Prediction] = {}
        self._remembered_for: Recognizer | None = None
        self.boxes = DigitBoxes(canvas)
        self._canvas = canvas
        self.numbers = QLabel()
        self.numbers.setTextFormat(Qt.TextFormat.RichText)
        self.numbers.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.numbers.setAccessibleName("Number")
        font = QFont(self.numbers.font())
        font.setPointSizeF(font.pointSizeF() * 2.0)
        font.setBold(True)
        self.numbers.setFont(font)
        self._chips = QHBoxLayout()
        self._chips.setSpacing(4)
        self._group = QButtonGroup(self)
        self._group.setExclusive(True)
        self._group.idClicked.connect(self._on_chip_clicked)
        hint = QLabel("Hover or click a digit to see its bars")
        hint.setEnabled(False)
        row = QHBoxLayout()
        row.addLayout(self._chips)
        row.addWidget(hint, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 6)
        layout.addWidget(self.numbers)
        layout.addLayout(row)
        self.boxes.hovered.connect(self._on_hovered)
        self.setVisible(False)
        self.boxes.setVisible(False)

    # ----- state ----------------------------------------------------------------
    def set_region(self, region: QRectF | None) -> None:
        """Read only this part of a picture (scene units) from now on; None: all of it."""
        self._region = region

    def region(self) -> QRectF | None:
        return self._region

    def reading(self) -> NumberReading:
        return self._reading

    def is_number(self) -> bool:
        """True when the canvas holds two digits or more (a number is shown)."""
        return len(self._reading.digits) > 1

    def number_text(self, model: str) -> str:
        """``model``'s number while a number is shown, else ""."""
        return self._reading.number(model) if self.is_number() else ""

    def selected(self) -> int:
        return self._selected

    def focused_digit(self) -> DigitReading | None:
        """The digit whose bars show while a number is shown (its strokes, for a
        drawing: what a correction of "this digit" should keep), else None."""
        return self._reading.digits[self._selected] if self.is_number() else None

    def set_display_names(self, display_names: Mapping[str, str]) -> None:
        """The models' names as shown, after the window changed its models."""
        self._display_names = dict(display_names)
        self._show()

    def set_headline_model(self, name: str) -> None:
        """Which model's digits the chips show."""
        self._headline = name
        self._show()

    # ----- reading --------------------------------------------------------------
    def read(self, recognizer: Recognizer) -> Prediction | None:
        """Read the canvas as a number and show it; the focused digit's prediction when
        there are two digits or more, else None (the window shows its own reading)."""
        strokes = self._canvas.drawing_strokes()
        if strokes is not None and len(strokes) > MAX_NUMBER_STROKES:
            # Far more strokes than any number has: the window reads it as one digit.
            self._reading, self._selected, self._pinned = NumberReading(), -1, False
            self._show()
            return None
        if recognizer is not self._remembered_for or len(self._remembered) > REMEMBERED_GROUPS:
            self._remembered_for, self._remembered = recognizer, {}
        return self.show_reading(
            *read_canvas(recognizer, self._canvas, self._remembered, self._region)
        )

    def picture_job(self) -> PictureJob | None:
        """The canvas's picture (its part under the region) ready to be read on a worker
        thread; None while the canvas holds a drawing."""
        return picture_job(self._canvas, self._region)

    def show_reading(self, reading: NumberReading, to_scene: BoxToScene) -> Prediction | None:
        """Show ``reading`` (made by ``read``, or a ``PictureJob`` on a worker); the
        focused digit's prediction when there are two digits or more, else None."""
        self._reading = reading
        if not self._pinned or not 0 <= self._selected < len(reading.digits):
            # Until a digit is picked, the bars follow the last digit of the number.
            self._pinned = False
            self._selected = len(reading.digits) - 1 if self.is_number() else -1
        self._to_scene = to_scene
        self._show()
        return reading.digits[self._selected].prediction if self.is_number() else None

    def select(self, index: int) -> None:
        """Show digit ``index``'s bars (as clicking its chip does)."""
        if not 0 <= index < len(self._reading.digits):
            raise IndexError(f"no digit {index} in a number of {len(self._reading.digits)}")
        self._selected = index
        self._pinned = True
        self._show()
        self.focusChanged.emit(self._reading.digits[index].prediction)

    def chip(self, index: int) -> QToolButton:
        button = self._group.button(index)
        assert isinstance(button, QToolButton)
        return button

    def _show(self) -> None:
        shown = self.is_number()
        self.setVisible(shown)
        if not shown:
            # A picture's lone digit is outlined too: the person sees what was read.
            lone = len(self._reading.digits) == 1 and self._canvas.drawing_strokes() is None
            digits = self._reading.digits if lone else ()
            self.boxes.set_boxes(
                [(self._to_scene(d.box), d.is_uncertain(self._headline)) for d in digits],
                0 if lone else -1,
            )
            return
        parts = [
            f"{escape(self._display_names.get(m, m))}: {number_html(self._reading, m)}"
            for m in self._reading.models
        ]
        self.numbers.setText(SEPARATOR.join(parts))
        self.setAccessibleDescription(
            "; ".join(
                f"{self._display_names.get(m, m)} reads {self._reading.number(m)}"
                for m in self._reading.models
            )
        )
        self._rebuild_chips()
        boxes = [
            (self._to_scene(d.box), d.is_uncertain(self._headline)) for d in self._reading.digits
        ]
        self.boxes.set_boxes(boxes, self._selected)

    def _rebuild_chips(self) -> None:
        for button in self._group.buttons():
            self._group.removeButton(button)
            self._chips.removeWidget(button)
            button.deleteLater()
        for index, digit in enumerate(self._reading.digits):
            answer = digit.answer(self._headline)
            unsure = digit.is_uncertain(self._headline)
            chip = QToolButton()
            chip.setText("?" if answer is None else f"{answer.digit}{'?' if unsure else ''}")
            chip.setCheckable(True)
            chip.setChecked(index == self._selected)
            chip.setAccessibleName(f"Digit {index + 1}")
            chip.setToolTip(
                f"Digit {index + 1}: show its bars" + (" (the models are unsure)" if unsure else "")
            )
            if unsure:
                chip.setStyleSheet(f"color: {UNSURE_COLOUR.name()}")
            chip.installEventFilter(self)
            self._group.addButton(chip, index)
            self._chips.addWidget(chip)

    # ----- handlers -------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Enter and isinstance(watched, QToolButton):
            self._on_hovered(self._group.id(watched))
        elif event.type() == QEvent.Type.Leave and isinstance(watched, QToolButton):
            self._on_hovered(-1)
        return False

    def _on_chip_clicked(self, index: int) -> None:
        self.select(index)

    def _on_hovered(self, index: int) -> None:
        if not self.is_number():
            return
        shown = index if 0 <= index < len(self._reading.digits) else self._selected
        self.focusChanged.emit(self._reading.digits[shown].prediction)
