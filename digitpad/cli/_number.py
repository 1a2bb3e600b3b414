"""``digitpad predict --number``: each file read as a number of several digits.

The file is split into digits and each digit read by every model
(``digitpad.core.read_number``); the JSON document per file is::

    {"file": ..., "predictions": {"dense": {"number": "1984", "digits": [
        {"digit": 1, "probabilities": [10 floats], "box": [x0, y0, x1, y1]}, ...]}, ...}}

with boxes in the file's own pixels, left to right (``x1``, ``y1`` exclusive). Errors
take the shape ``predict`` gives them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PIL import ExifTags, Image

from digitpad.cli._input import STDIN, read_picture
from digitpad.cli._output import display_path
from digitpad.core import ImageLoadError, NumberReading, Recognizer, read_number
from digitpad.core.files import ALLOWED_FORMATS, MAX_FILE_BYTES, MAX_SIDE, open_regular_file
from digitpad.core.number import NUMBER_MAX_PIXELS, NUMBER_MAX_SIDE

# EXIF orientations that turn the picture a quarter, swapping its width and height.
_QUARTER_TURNS = (5, 6, 7, 8)


def _file_scale(path: str, image: Image.Image) -> tuple[float, float]:
    """How many of the file's pixels one pixel of ``image`` is, across and down.

    ``load_image`` reduces a big picture (never one shorter than ``MAX_SIDE``: it holds
    fewer than ``NUMBER_MAX_PIXELS``); boxes must still be in the
    file's pixels, so the file's upright size is read back from its header.
    """
    if max(image.size) < MAX_SIDE or path == STDIN:  # standard input cannot be read again
        return 1.0, 1.0
    try:
        # Through the hardened door again: the path may have become a pipe meanwhile.
        with (
            open_regular_file(path, MAX_FILE_BYTES) as file,
            Image.open(file, formats=ALLOWED_FORMATS) as original,
        ):
            width, height = original.size
            if original.getexif().get(ExifTags.Base.Orientation) in _QUARTER_TURNS:
                width, height = height, width
    except Exception:  # already read once by load_image; a failure here keeps its pixels
        return 1.0, 1.0
    return width / image.width, height / image.height


def _box(box: Sequence[float], scale: tuple[float, float]) -> list[int]:
    x0, y0, x1, y1 = box
    sx, sy = scale
    return [int(x0 * sx), int(y0 * sy), int(-(-x1 * sx // 1)), int(-(-y1 * sy // 1))]


def model_number(
    reading: NumberReading, model: str, scale: tuple[float, float] = (1.0, 1.0)
) -> dict[str, Any]:
    """One model's entry: its number and each digit, or ``{"error": reason}`` when the
    model gave no usable answer for some digit."""
    for digit in reading.digits:
        if model in digit.prediction.errors:
            return {"error": digit.prediction.errors[model]}
    digits = []
    for digit in reading.digits:
        answer = digit.answer(model)
        assert answer is not None  # neither an error nor an answer: not loaded
        digits.append(
            {
                "digit": answer.digit,
                "probabilities": list(answer.probabilities),
                "box": _box(digit.box, scale),
            }
        )
    return {"number": reading.number(model), "digits": digits}


def number_document(
    recognizer: Recognizer,
    path: str,
    models: Sequence[str],
    region: Sequence[float] | None = None,
) -> dict[str, Any]:
    """The ``--number --json`` document for one file, or the reason there is none."""
    shown = display_path(path)
    found = read_file(recognizer, path, region)
    if isinstance(found, str):
        return {"file": shown, "error": found}
    reading, scale = found
    return {"file": shown, "predictions": number_predictions(reading, models, scale)}


def number_predictions(
    reading: NumberReading, models: Sequence[str], scale: tuple[float, float]
) -> dict[str, Any]:
    """Each model's number and digits (boxes in the file's pixels)."""
    return {name: model_number(reading, name, scale) for name in models}


def read_file(
    recognizer: Recognizer, path: str, region: Sequence[float] | None = None
) -> tuple[NumberReading, tuple[float, float]] | str:
    """The one reading of a file (``read_number``) and how many of the file's pixels one
    of the read picture's is; or why there is none.

    ``region`` ``(x, y, width, height)`` is in the file's pixels; only that part is read.
    """
    try:
        image = read_picture(path, NUMBER_MAX_SIDE, NUMBER_MAX_PIXELS)
    except ImageLoadError as error:
        return error.reason
    scale = _file_scale(path, image)
    inside = None
    if region is not None:
        x, y, w, h = region
        inside = (x / scale[0], y / scale[1], w / scale[0], h / scale[1])
    try:
        reading = read_number(recognizer, image, region=inside)
    except ValueError as error:  # a region outside the picture
        return str(error)
    if reading.nothing_drawn:
        return "nothing drawn (no ink found)"
    return reading, scale


def number_cell(entry: dict[str, Any]) -> str:
    """A table cell: ``1984`` and its least sure digit's confidence, or ``error``."""
    if "error" in entry:
        return "error"
    least = min(d["probabilities"][d["digit"]] for d in entry["digits"])
    return f"{entry['number']}  {least:4.0%}"
