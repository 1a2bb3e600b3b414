"""Read a whole number: split a drawing or a picture into digits and read each digit.

Every digit goes through the same path as a lone digit: a drawing's digit is re-drawn
from its strokes (``Recognizer.predict_strokes``), a picture's digit is its own ink on a
blank field (``Recognizer.predict``), then MNIST-style preprocessing and every model.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping, MutableMapping, Sequence
from dataclasses import dataclass

import numpy as np
from PIL import Image

from digitpad.core.number._segment_ink import InkCandidates, InkRead, ink_candidates
from digitpad.core.preprocessing import WORK_SIDE, picture_ink, preprocess_bitmap
from digitpad.core.recognition import Recognizer
from digitpad.core.types import ModelPrediction, Prediction, Stroke

# Blank margin (of the digit's longer side) around a picture's digit, so preprocessing
# finds its background on the border as it does in a whole picture.
_MARGIN = 0.25

# A drawing with more ink strokes than this is read as one digit, not split: ten digits
# take about thirty strokes, and splitting costs time that grows with the strokes.
MAX_NUMBER_STROKES = 60

# A picture read as a number is reduced to at most this many pixels, not to the lone
# digit's 1,024-pixel side: a strip of digits 20,000 pixels long and 200 high keeps its
# digits 200 pixels tall (at 1,024 they were 10 and misread), while the ink maps that
# splitting it costs stay bounded (a few bytes a pixel).
NUMBER_MAX_PIXELS = 4_000_000
NUMBER_MAX_SIDE = 32_768

# Digits found less than ZOOM_BELOW pixels tall on a photo's working copy, some of them
# uncertain (``DigitReading.is_uncertain``), are read again on the part of the photo
# round them (ZOOM_MARGIN digit heights each side), when that shows them at least
# ZOOM_GAIN times larger; that reading wins when the models are at least as sure of it.
# Where the generator's own photos are shrunk, their digits stand 98 pixels tall or
# more. Set by hand, checked on the validation writers' photos held further away
# (``python -m training.harder_photos --frame 8 14`` and ``--frame 15 25``): where every
# digit was read surely, looking closer at 311 photos changed one reading for the better
# and one for the worse.
# More than ZOOM_MOST digits found small are mostly specks of a board or a desk (a far
# photo of chalk read "5222157" for "720"): looking closer at them cost 250 ms more, and
# no reading of the validation photos above that a closer look changed had more.
ZOOM_BELOW = 48
ZOOM_MARGIN = 1.0
ZOOM_GAIN = 1.5
ZOOM_MOST = 5

# A candidate digit some model's rule calls no digit counts this share of its sureness,
# unless every model reads the same digit at least PLAINLY_A_DIGIT surely: a digit that
# plain stays as sure when a rule doubts it (chosen on the validation writers' photos,
# ``python -m training.paper_eval --split validation``).
REFUSED_SURENESS = 0.5
PLAINLY_A_DIGIT = 0.97

Box = tuple[float, float, float, float]
# A part of a picture: x, y of its top-left corner, width, height (pixels).
Region = tuple[float, float, float, float]


@dataclass(frozen=True)
class DigitReading:
    """One digit of a number: where it is and what every model reads there.

    ``box`` is ``(x0, y0, x1, y1)`` in the source's units: canvas units for strokes,
    pixels (``x1``, ``y1`` exclusive) for a picture. ``strokes`` are a drawing's digit's
    own strokes (erasers included), to keep or show that digit alone; empty for a picture.
    """

    box: Box
    prediction: Prediction
    strokes: tuple[Stroke, ...] = ()

    def answer(self, model: str) -> ModelPrediction | None:
        return self.prediction.answers.get(model)

    def is_uncertain(self, model: str) -> bool:
        """True when ``model`` is unsure of this digit or thinks it is no digit at all,
        or another model reads another digit or no digit there."""
        answer = self.answer(model)
        if answer is None or not answer.is_digit or answer.is_unsure:
            return True
        said = {a.digit if a.is_digit else None for a in self.prediction.answers.values()}
        return len(said) > 1


@dataclass(frozen=True)
class NumberReading:
    """Every model's reading of a number, digit by digit from left to right."""

    digits: tuple[DigitReading, ...] = ()
    models: tuple[str, ...] = ()

    @property
    def nothing_drawn(self) -> bool:
        return not self.digits

    def number(self, model: str) -> str:
        """The number ``model`` reads, e.g. ``"1984"``; "" when nothing is drawn."""
        answers = [digit.answer(model) for digit in self.digits]
        return "".join(str(a.digit) for a in answers if a is not None)

    def numbers(self) -> Mapping[str, str]:
        """Model name -> the number it reads, in display order."""
        return {model: self.number(model) for model in self.models}

    def lone_digit(self) -> Prediction | None:
        """The prediction of the one digit read, or None for a number or nothing.

        Window, ``digitpad predict`` and ``predict --number`` all answer from the one
        reading: a picture of one digit is that digit's prediction, never a second,
        different read of the whole picture.
        """
        return self.digits[0].prediction if len(self.digits) == 1 else None

    def uncertain(self, model: str) -> tuple[int, ...]:
        """Positions (from 0, left to right) of the digits ``model`` is unsure of."""
        return tuple(i for i, digit in enumerate(self.digits) if digit.is_uncertain(model))


def read_strokes(
    recognizer: Recognizer,
    strokes: Sequence[Stroke],
    remembered: MutableMapping[tuple[Stroke, ...], Prediction] | None = None,
) -> NumberReading:
    """Read a drawing as a number; boxes are in the strokes' units.

    ``remembered`` keeps the readings of stroke groups between calls with the same
    recogniser: while a number is written, the finished digits are not read again.
    """
    read = {} if remembered is None else remembered
    if sum(1 for stroke in strokes if not stroke.erase) > MAX_NUMBER_STROKES:
        # No number has that many strokes: a scribble or a picture drawn over and over.
        # Read it whole, as a lone digit, rather than spend seconds splitting it.
        whole = recognizer.predict_strokes(strokes)
        if whole.nothing_drawn:
            return _reading(recognizer, ())
        return _reading(recognizer, (DigitReading(_extent(strokes), whole, tuple(strokes)),))

    # The stroke splitter loads when a drawing is read: a picture's reading never needs it.
    from digitpad.core.number._segment_strokes import split_strokes

    def predict(group: Sequence[Stroke]) -> Prediction:
        key = tuple(group)
        if key not in read:
            read[key] = recognizer.predict_strokes(key)
        return read[key]

    digits = tuple(
        DigitReading(digit.box, predict(digit.strokes), digit.strokes)
        for digit in split_strokes(strokes, lambda group: consensus(predict(group)))
    )
    if len(digits) > 1 and not _is_number(strokes, digits, predict):
        # A letter or a shape of several strokes (B, K, #, a face): read it whole, as
        # one drawing, so its own "not a digit" verdict shows rather than a number.
        whole = predict(strokes)
        return _reading(recognizer, (DigitReading(_extent(strokes), whole, tuple(strokes)),))
    return _reading(recognizer, digits)


def _is_number(
    strokes: Sequence[Stroke],
    digits: Sequence[DigitReading],
    predict: Callable[[Sequence[Stroke]], Prediction],
) -> bool:
    """Whether digits split from one drawing make a number. Two neighbours that hold
    together (``entangled``) are one drawing instead when one of them reads as no digit
    (a #'s bars, a face's eyes), or when together they read as no digit while one of
    them reads as a digit only weakly (a K's arms) or a stroke of one starts and ends
    on the other (a B's bowls on its stem); "no digit" by some model's rule.

    Digits of a number written tight touch too, and two of them together read as no
    digit; but each reads as a digit, surely, and they touch at one place only.
    """
    from digitpad.core.number._segment_strokes import entangled, joined_at_both_ends

    for left, right in itertools.pairwise(digits):
        if not entangled(left.strokes, right.strokes):
            continue
        parts = (left.prediction, right.prediction)
        if any(_refused(p) for p in parts):
            return False
        weak = any(a.is_unsure for p in parts for a in p.answers.values())
        if weak or joined_at_both_ends(left.strokes, right.strokes):
            kept = set(left.strokes) | set(right.strokes)
            if _refused(predict(tuple(s for s in strokes if s in kept))):
                return False
    return True


def _refused(prediction: Prediction) -> bool:
    """Whether some model that can tell calls the picture "not a digit"."""
    return any(a.can_reject and not a.is_digit for a in prediction.answers.values())


def consensus(prediction: Prediction) -> tuple[int, float]:
    """What the models read together: the digit of their mean probabilities and that
    mean probability; ``(0, 0.0)`` for no ink."""
    if not prediction.answers:
        return 0, 0.0
    mean = np.mean([a.probabilities for a in prediction.answers.values()], axis=0)
    digit = int(np.argmax(mean))
    return digit, float(mean[digit])


def read_picture(
    recognizer: Recognizer, image: np.ndarray | Image.Image, region: Region | None = None
) -> NumberReading:
    """Read a picture as a number; boxes are in the picture's pixels.

    ``region`` ``(x, y, width, height)`` reads only that part of the picture (a person
    said "read this part"); the boxes stay in the whole picture's pixels.
    """
    if region is not None:
        image, corner = _crop(image, region)
        return _moved(read_picture(recognizer, image), corner)
    found = picture_ink(image)
    if found is None:
        return _reading(recognizer, ())
    reading, small, candidates = _read_ink(recognizer, *found)
    closer = _closer_look(image, reading, small, found[1])
    if closer is not None:
        part, corner = _crop(image, closer)
        again = picture_ink(part, photo=True)
        if again is not None:
            near, _, near_candidates = _read_ink(recognizer, *again)
            if near.digits and near_candidates.score() >= candidates.score():
                return _moved(near, corner)
    return reading


def _moved(reading: NumberReading, corner: tuple[int, int]) -> NumberReading:
    """A reading of a part of a picture with its boxes in the whole picture's pixels."""
    left, top = corner
    moved = tuple(
        DigitReading(_shift(d.box, left, top), d.prediction, d.strokes) for d in reading.digits
    )
    return NumberReading(moved, reading.models)


def _read_ink(
    recognizer: Recognizer, ink: np.ndarray, scale: tuple[float, float]
) -> tuple[NumberReading, float, InkCandidates]:
    """The number in a picture's ink (``picture_ink``), its tallest digit's height in the
    ink's pixels and the candidate digits it was chosen from."""
    sx, sy = scale

    read: dict[tuple[tuple[int, ...], bytes], Prediction] = {}

    def read_all(inks: Sequence[np.ndarray]) -> list[InkRead]:
        # Every candidate digit in one run per model; each is remembered for its answer.
        keys = [(digit_ink.shape, digit_ink.tobytes()) for digit_ink in inks]
        for key, prediction in zip(keys, _predict_all(recognizer, inks), strict=True):
            read[key] = prediction
        return [_sureness(read[key]) for key in keys]

    digits = []
    candidates = ink_candidates(ink, read_all)
    for digit in candidates.choose():
        x0, y0, x1, y1 = digit.box
        prediction = read.get((digit.ink.shape, digit.ink.tobytes()))
        if prediction is None:
            prediction = _predict_all(recognizer, [digit.ink])[0]
        digits.append(DigitReading((x0 * sx, y0 * sy, x1 * sx, y1 * sy), prediction))
    kept = tuple(d for d in digits if not d.prediction.nothing_drawn)
    tallest = max(((d.box[3] - d.box[1]) / sy for d in kept), default=0.0)
    return _reading(recognizer, kept), tallest, candidates


def _closer_look(
    image: np.ndarray | Image.Image,
    reading: NumberReading,
    tallest: float,
    scale: tuple[float, float],
) -> Region | None:
    """The part of the picture to read again, closer, when its digits were found small
    on a photo's working copy (``picture_ink``) and some are uncertain: round the digits
    read, with a margin; None when they are tall enough, too many, all read surely, or
    a closer look would not see them much larger."""
    if not 0 < len(reading.digits) <= ZOOM_MOST or tallest >= ZOOM_BELOW:
        return None
    if not any(reading.uncertain(model) for model in reading.models):
        return None
    boxes = np.array([d.box for d in reading.digits])
    x0, y0 = boxes[:, 0].min(), boxes[:, 1].min()
    x1, y1 = boxes[:, 2].max(), boxes[:, 3].max()
    margin = ZOOM_MARGIN * float((boxes[:, 3] - boxes[:, 1]).max())
    width, height = _picture_size(image)
    left, top = max(0.0, x0 - margin), max(0.0, y0 - margin)
    right, bottom = min(float(width), x1 + margin), min(float(height), y1 + margin)
    finer = max(1.0, max(right - left, bottom - top) / WORK_SIDE)
    if max(scale) / finer < ZOOM_GAIN:
        return None
    return left, top, right - left, bottom - top


def ink_reader(recognizer: Recognizer) -> Callable[[Sequence[np.ndarray]], list[InkRead]]:
    """Reads candidate digits' ink as ``read_picture`` does, in one batch per model (for
    ``ink_candidates``: fitting the split chooser's prices)."""
    return lambda inks: [_sureness(prediction) for prediction in _predict_all(recognizer, inks)]


def _sureness(prediction: Prediction) -> InkRead:
    """The models' digit and how sure they are of it, less when some model's rule
    calls it no digit (a half ring or a tail cut off reads as a sure "1" or "7")."""
    digit, sure = consensus(prediction)
    refused = _refused(prediction)
    agreed = all(a.digit == digit for a in prediction.answers.values())
    plain = agreed and all(
        a.probabilities[digit] >= PLAINLY_A_DIGIT for a in prediction.answers.values()
    )
    share = REFUSED_SURENESS if refused and not plain else 1.0
    return InkRead(digit, sure * share, refused, agreed)


def _predict_all(recognizer: Recognizer, inks: Sequence[np.ndarray]) -> list[Prediction]:
    """Every model's reading of each digit's ink (on a blank margin, as a lone digit's
    picture), one batch per model."""
    inputs = [
        preprocess_bitmap(np.pad(digit_ink, max(2, round(_MARGIN * max(digit_ink.shape)))))
        for digit_ink in inks
    ]
    drawn = [model_input for model_input in inputs if model_input is not None]
    answers = iter(recognizer.predict_model_inputs(np.stack(drawn)) if drawn else ())
    return [
        Prediction(model_input=None, answers={}) if model_input is None else next(answers)
        for model_input in inputs
    ]


def _crop(
    image: np.ndarray | Image.Image, region: Region
) -> tuple[np.ndarray | Image.Image, tuple[int, int]]:
    """The part of ``image`` inside ``region`` (clipped to the picture) and its corner.

    Raises
    ------
    ValueError
        When the region lies outside the picture or has no area.
    """
    width, height = _picture_size(image)
    x, y, w, h = (round(v) for v in region)
    x0, y0, x1, y1 = max(0, x), max(0, y), min(width, x + w), min(height, y + h)
    if x1 <= x0 or y1 <= y0:
        raise ValueError(f"the region {x},{y},{w},{h} lies outside the {width}x{height} picture")
    if isinstance(image, Image.Image):
        return image.crop((x0, y0, x1, y1)), (x0, y0)
    return image[y0:y1, x0:x1], (x0, y0)


def _picture_size(image: np.ndarray | Image.Image) -> tuple[int, int]:
    """(width, height) of a picture or array."""
    if isinstance(image, Image.Image):
        return image.size
    return int(image.shape[1]), int(image.shape[0])


def _shift(box: Box, left: float, top: float) -> Box:
    return box[0] + left, box[1] + top, box[2] + left, box[3] + top


def read_number(
    recognizer: Recognizer,
    source: Sequence[Stroke] | np.ndarray | Image.Image,
    remembered: MutableMapping[tuple[Stroke, ...], Prediction] | None = None,
    region: Region | None = None,
) -> NumberReading:
    """Split ``source`` (a drawing's strokes, or a picture) into digits and read each.

    Each model's number is ``reading.number(name)``; each digit has its box (left to
    right) and every model's probabilities; ``reading.uncertain(name)`` lists the digits
    a model is unsure of. One digit gives a one-digit number; no ink, an empty reading.
    ``remembered`` (drawings only) is passed on to ``read_strokes``; ``region``
    (pictures only) to ``read_picture``.
    """
    if isinstance(source, np.ndarray | Image.Image):
        return read_picture(recognizer, source, region)
    return read_strokes(recognizer, source, remembered)


def _extent(strokes: Sequence[Stroke]) -> Box:
    """The box of every ink stroke's samples, pen included."""
    ink = [s for s in strokes if not s.erase and s.points]
    x = [p.x for s in ink for p in s.points]
    y = [p.y for s in ink for p in s.points]
    pen = max(s.width for s in ink) / 2.0
    return min(x) - pen, min(y) - pen, max(x) + pen, max(y) + pen


def _reading(recognizer: Recognizer, digits: tuple[DigitReading, ...]) -> NumberReading:
    return NumberReading(digits, tuple(m.name for m in recognizer.loaded_models))
