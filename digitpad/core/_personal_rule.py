""" "Not a digit" for a personal model: the bundled rule, its threshold chosen again.

A ``max_probability`` threshold only means what it meant for the bundled model while
the model is as sure of digits as the bundled one was. Fine-tuning moves that: on the
validation pen writers, learning a person's digits alone made the dense model surer of
everything drawn with a pen (non-digits refused 91 % -> 89 %), and replaying non-digits
with even targets against it (``Recipe.non_digit_batch``) made it a little less sure of
MNIST digits (1.3 % -> 1.6 % of MNIST test called "not a digit"). So the personal
threshold is the one that rejects as many of the same digits, the app's shipped MNIST
reference digits, as the bundled threshold does: the false-rejection rate the bundled
rule was chosen for carries over, and the non-digits fall where they fall (92 % refused
on the validation writers). A ``feature_detector`` rule reads the model's features,
which fine-tuning barely moves (the CNN refuses as many non-digits before and after);
it is carried over as it is.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np

from digitpad.core._rejection import MAX_PROBABILITY, METADATA_KEY

__all__ = ["rechoosable", "rechosen_rule"]


def rechosen_rule(
    bundled_rule: Mapping[str, Any], bundled: np.ndarray, personal: np.ndarray, digits: str
) -> dict[str, Any]:
    """The personal model's ``not_a_digit`` entry, made from the bundled one.

    ``bundled`` and ``personal`` are the top probabilities that the bundled and the
    personal model give the same digits (``digits`` says which, for the metadata).
    A ``max_probability`` rule gets the threshold under which the personal model rejects
    as many of them as the bundled threshold does, and says so in ``personal_threshold``;
    any other rule is returned as it is.
    """
    entry = dict(bundled_rule)
    if entry.get("score") != MAX_PROBABILITY or not len(personal):
        return entry
    threshold = float(entry["threshold"])
    rejected = int((np.asarray(bundled) < threshold).sum())
    ordered = np.sort(np.asarray(personal, dtype=np.float64))
    if rejected >= len(ordered):
        return entry
    # Rounded down, so the rounding never rejects one digit more.
    chosen = math.floor(float(ordered[rejected]) * 1e6) / 1e6
    entry["threshold"] = chosen
    entry["personal_threshold"] = {
        "method": (
            f"re-chosen after fine-tuning: the top probability under which the personal "
            f"model calls as many of the {digits} not a digit as the bundled threshold "
            f"did ({rejected} of {len(ordered)})"
        ),
        "bundled_threshold": threshold,
        "digits": len(ordered),
        "rejected": rejected,
    }
    return entry


def rechoosable(metadata: Mapping[str, Any]) -> bool:
    """Whether a model's metadata holds a rule whose threshold ``rechosen_rule`` re-chooses."""
    entry = metadata.get(METADATA_KEY)
    return isinstance(entry, Mapping) and entry.get("score") == MAX_PROBABILITY
