"""Plain value types shared by the recognition core, the app and the command line.

They carry no Qt and no onnxruntime objects, so widgets, tests and the command line can
build, compare and print them without loading a model.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True)
class Point:
    """One sampled position of a pen or mouse, in canvas pixels."""

    x: float
    y: float
    pressure: float = 1.0


@dataclass(frozen=True)
class Stroke:
    """A continuous pen-down-to-pen-up gesture; ``erase`` strokes remove ink."""

    points: tuple[Point, ...]
    width: float
    erase: bool = False


# One colour per model in display order (the first two: the dense net and the CNN), the
# same in the window's plots, the reports and the docs; chosen to read on light and dark
# backgrounds and apart for the common colour blindnesses.
MODEL_COLOURS = ("#2f7fd8", "#e07b24", "#2fa36b", "#b04fc2")

# Below this top probability an answer is a guess, not a fact (calibrated models: right
# less than six times in ten). The window's wording and the number reader share it.
UNSURE_BELOW = 0.6


@dataclass(frozen=True)
class ModelPrediction:
    """One model's answer: ten probabilities for the digits 0-9.

    ``is_digit`` is False when the model's metadata holds a "not a digit" rule and the
    answer falls below it: the picture is likely a letter, a scribble or a shape.
    ``can_reject`` says whether the model has such a rule at all: a model without one
    calls everything a digit, so its ``is_digit`` carries no information.
    """

    model: str
    probabilities: tuple[float, ...]
    is_digit: bool = True
    can_reject: bool = False

    @property
    def digit(self) -> int:
        """The most probable digit."""
        return int(np.argmax(self.probabilities))

    @property
    def confidence(self) -> float:
        """The probability of the most probable digit."""
        return float(max(self.probabilities))

    @property
    def is_unsure(self) -> bool:
        """True below ``UNSURE_BELOW``: the answer is a guess, hedged wherever it is shown."""
        return self.confidence < UNSURE_BELOW


@dataclass(frozen=True)
class Prediction:
    """Every loaded model's answer for one image, with the 28x28 input they saw.

    ``model_input`` is ``None`` and ``answers`` empty when the image holds no ink: nothing
    drawn gets no guess. ``errors`` names each model that gave no usable answer for this
    image (it failed to run, or its output was no probability distribution) with the
    one-line reason; such a model has no entry in ``answers``.
    """

    model_input: np.ndarray | None
    answers: Mapping[str, ModelPrediction] = field(default_factory=dict)
    errors: Mapping[str, str] = field(default_factory=dict)

    @property
    def nothing_drawn(self) -> bool:
        """True when the image held no ink, so no model was asked."""
        return self.model_input is None
