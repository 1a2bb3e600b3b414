""" "Not a digit": each model's own rule, read from its metadata.

The models were trained to spread their probabilities evenly over the ten digits for
letters, scribbles, dots and shapes (outlier exposure), so a picture that is no digit
gets a low top probability. Where "low" begins depends on the model and was chosen on
validation data only; it travels with the model in ``<name>.json``::

    "not_a_digit": {"score": "max_probability", "threshold": 0.42, ...}

A model without that entry calls everything a digit, as before.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

METADATA_KEY = "not_a_digit"


def _max_probability(probabilities: Sequence[float]) -> float:
    return float(np.max(probabilities))


# Scores a rule may name: higher means more like a digit.
SCORES: dict[str, Callable[[Sequence[float]], float]] = {"max_probability": _max_probability}


@dataclass(frozen=True)
class DigitRule:
    """A picture is a digit when ``score(probabilities) >= threshold``."""

    score: str
    threshold: float

    def is_digit(self, probabilities: Sequence[float]) -> bool:
        return SCORES[self.score](probabilities) >= self.threshold

    @classmethod
    def from_metadata(cls, document: Mapping[str, Any]) -> DigitRule | None:
        """The rule in a metadata document, None when it has none.

        Raises
        ------
        ValueError
            The entry names an unknown score or its threshold is not a number in 0..1.
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
        return cls(score=str(score), threshold=float(threshold))
