""" "Not a digit": each model's own rule, read from its metadata.

Two scores exist; higher means more like a digit:

- ``max_probability``: the model was trained to spread its probabilities evenly over the
  ten digits for letters, scribbles, dots and shapes (outlier exposure), so a picture
  that is no digit gets a low top probability.
- ``feature_detector``: a logistic detector on one of the model's extra outputs (its
  penultimate ``features``), fitted on digits against non-digits. It serves a model whose
  softmax cannot be taught to spread out without losing MNIST accuracy: a linear last
  layer can make non-digits' answers flat only where the features already are, while one
  direction in the features can tell digits from non-digits (the CNN: 97 % of validation
  non-digits caught this way against 46 % by its top probability).

Where "low" begins depends on the model and was chosen on validation data only; it
travels with the model in ``<name>.json``::

    "not_a_digit": {"score": "max_probability", "threshold": 0.42, ...}
    "not_a_digit": {"score": "feature_detector", "threshold": 0.31,
                    "detector": {"output": "features", "weights": [...], "bias": -1.2}, ...}

A model without that entry calls everything a digit, as before.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

METADATA_KEY = "not_a_digit"
MAX_PROBABILITY, FEATURE_DETECTOR = "max_probability", "feature_detector"
SCORES = (MAX_PROBABILITY, FEATURE_DETECTOR)
_MAX_DETECTOR_WEIGHTS = 100_000  # a penultimate layer is a few thousand wide at most


@dataclass(frozen=True)
class FeatureDetector:
    """``sigmoid(outputs[output] @ weights + bias)``: the chance the picture is a digit."""

    output: str
    weights: np.ndarray = field(repr=False)
    bias: float

    def score(self, values: np.ndarray | Sequence[float]) -> float:
        """The detector's digit probability for one picture's ``output`` values.

        Raises
        ------
        ValueError
            ``values`` do not have the detector's width (the rule belongs to another model).
        """
        # The batch's arithmetic on one row with as few numpy calls as there can be (each
        # costs microseconds right after a model's run): one dot product, then Python
        # floats. Its sum may round its last bit otherwise than the batch's.
        row = np.asarray(values, dtype=np.float64).reshape(-1)
        if row.size != self.weights.size:
            self._table(row.reshape(1, -1))  # raises, naming the widths
        return _digit_probability_of(float(np.dot(row, self.weights)) + self.bias)

    def scores(self, rows: np.ndarray) -> np.ndarray:
        """``score`` of each row of ``rows`` ``(N, width)`` (ValueError as ``score``)."""
        table = self._table(np.asarray(rows, dtype=np.float64))
        return np.asarray(_digit_probability(table @ self.weights + self.bias))

    def _table(self, table: np.ndarray) -> np.ndarray:
        """``table`` as one row per picture of the detector's width (ValueError if not)."""
        if table.ndim != 2:  # e.g. (N, channels, height, width): one row per picture
            table = table.reshape(len(table), -1)
        if table.shape[1] != self.weights.size:
            raise ValueError(
                f"{self.output!r} has {table.shape[1]} values, the detector expects "
                f"{self.weights.size}"
            )
        return table

    @classmethod
    def from_metadata(cls, entry: object) -> FeatureDetector:
        """Read ``{"output": ..., "weights": [...], "bias": ...}``; ValueError when malformed."""
        if not isinstance(entry, Mapping):
            raise ValueError(f"{METADATA_KEY!r} detector is not an object")
        output, weights, bias = entry.get("output"), entry.get("weights"), entry.get("bias")
        if not isinstance(output, str) or not output:
            raise ValueError(f"{METADATA_KEY!r} detector names no output")
        if not isinstance(weights, list) or not 0 < len(weights) <= _MAX_DETECTOR_WEIGHTS:
            raise ValueError(f"{METADATA_KEY!r} detector weights are not a list of numbers")
        if not _all_finite_numbers([*weights, bias]):
            raise ValueError(f"{METADATA_KEY!r} detector holds a value that is no finite number")
        return cls(output, np.asarray(weights, dtype=np.float64), float(bias))  # type: ignore[arg-type]


def _digit_probability(logits: Any) -> Any:
    """The logistic of ``logits`` (an array or one float) in its tanh form: no overflow
    warning for any logit."""
    return 0.5 * (1.0 + np.tanh(0.5 * logits))


def _digit_probability_of(logit: float) -> float:
    """``_digit_probability`` of one logit, in Python floats."""
    return 0.5 * (1.0 + math.tanh(0.5 * logit))


def _all_finite_numbers(values: list[object]) -> bool:
    """Whether each of ``values`` is a finite int or float (``_is_finite_number``).

    A detector's weights are hundreds of JSON floats, read at every start-up (three
    times a model): their types are read in one pass in C and their finiteness in one
    numpy call; any other type is judged value by value.
    """
    if set(map(type, values)) <= {int, float}:
        return bool(np.isfinite(np.array(values, dtype=np.float64)).all())
    return all(_is_finite_number(value) for value in values)


def _is_finite_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


@dataclass(frozen=True)
class DigitRule:
    """A picture is a digit when its score is at least ``threshold``."""

    score: str
    threshold: float
    detector: FeatureDetector | None = None
    """Set for ``feature_detector`` rules."""

    @property
    def outputs(self) -> tuple[str, ...]:
        """The extra model outputs the score reads besides the probabilities."""
        return () if self.detector is None else (self.detector.output,)

    def score_of(
        self, probabilities: Sequence[float], outputs: Mapping[str, Any] | None = None
    ) -> float:
        """The score of one picture; ``outputs`` holds that picture's ``self.outputs``.

        Raises
        ------
        ValueError
            A ``feature_detector`` rule without its output, or of another width.
        """
        if self.detector is None:
            return float(np.max(probabilities))
        return self.detector.score(self._detector_values(outputs))

    def scores(
        self, probabilities: np.ndarray, outputs: Mapping[str, np.ndarray] | None = None
    ) -> np.ndarray:
        """``score_of`` for many pictures at once: rows of ``probabilities`` and of each of
        ``outputs`` (ValueError as ``score_of``)."""
        if self.detector is None:
            return np.asarray(probabilities, dtype=np.float64).max(axis=1)
        return self.detector.scores(self._detector_values(outputs))

    def _detector_values(self, outputs: Mapping[str, Any] | None) -> Any:
        """The output the detector reads, from ``outputs`` (ValueError when missing)."""
        assert self.detector is not None
        if outputs is None or self.detector.output not in outputs:
            raise ValueError(f"the rule needs the model's {self.detector.output!r} output")
        return outputs[self.detector.output]

    def is_digit(
        self, probabilities: Sequence[float], outputs: Mapping[str, Any] | None = None
    ) -> bool:
        """Whether the picture reads as a digit (see ``score_of``)."""
        return self.score_of(probabilities, outputs) >= self.threshold

    @classmethod
    def from_metadata(cls, document: Mapping[str, Any]) -> DigitRule | None:
        """The rule in a metadata document, None when it has none.

        Raises
        ------
        ValueError
            The entry names an unknown score, its threshold is not a number in 0..1, or a
            ``feature_detector`` entry's detector is malformed.
        """
        entry = document.get(METADATA_KEY)
        if entry is None:
            return None
        if not isinstance(entry, Mapping):
            raise ValueError(f"{METADATA_KEY!r} is not an object")
        score = entry.get("score")
        if score not in SCORES:
            raise ValueError(f"{METADATA_KEY!r} names an unknown score {score!r}")
        threshold = entry.get("threshold")
        if isinstance(threshold, bool) or not isinstance(threshold, int | float):
            raise ValueError(f"{METADATA_KEY!r} threshold {threshold!r} is not a number")
        if not 0.0 <= float(threshold) <= 1.0:
            raise ValueError(f"{METADATA_KEY!r} threshold {threshold} is outside 0..1")
        detector = None
        if score == FEATURE_DETECTOR:
            detector = FeatureDetector.from_metadata(entry.get("detector"))
        return cls(score=str(score), threshold=float(threshold), detector=detector)
