""" "Not a digit" for a personal model: the bundled rule, its threshold chosen again.

A threshold only means what it meant for the bundled model while the model scores digits
as the bundled one did. Fine-tuning moves that. On the validation pen writers, the dense
model (``max_probability``) learnt from a person's digits alone grew surer of everything
drawn with a pen (non-digits refused 91 % -> 89 %); replaying non-digits with even
targets against it (``FineTuneRecipe.non_digit_batch``) made it a little less sure of MNIST
digits instead (1.3 % -> 1.6 % of MNIST test called "not a digit", up to 2.0 %). The
CNN's ``feature_detector`` reads features that fine-tuning moves unevenly: 1.1 % ->
1.5 % of MNIST test refused, up to 2.6 % for one person's model.

So the personal threshold is lowered (never raised) until the personal model rejects
no more of the app's shipped MNIST reference digits than it is allowed: as many as the
bundled rule rejects (``max_probability``: MNIST test refusals then stay at 1.3 %, 92 %
of the non-digits refused), or 1.2 % of them (``feature_detector``, whose threshold
would otherwise swing: matching the bundled count exactly dropped the non-digits
refused to 90 %, the allowance keeps 92 % with at most 1.5 % of MNIST test refused).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np

from digitpad.core.recognition import FEATURE_DETECTOR, DigitRule

__all__ = ["ALLOWANCE", "metadata_rule", "rechosen_rule"]

# Share of the reference digits a personal rule may reject beyond the bundled rule's.
ALLOWANCE = {FEATURE_DETECTOR: 0.012}


def rechosen_rule(
    bundled_rule: Mapping[str, Any], bundled: np.ndarray, personal: np.ndarray, digits: str
) -> dict[str, Any]:
    """The personal model's ``not_a_digit`` entry, made from the bundled one.

    ``bundled`` and ``personal`` are the scores (``DigitRule.scores``) that the bundled and
    the personal model give the same digits (``digits`` says which, for the metadata).
    The threshold is lowered, if need be, until the personal model rejects at most as
    many of them as the bundled rule does (or ``ALLOWANCE`` of them, if more); the entry
    says so in ``personal_threshold``.
    """
    entry = dict(bundled_rule)
    if not len(personal):
        return entry
    threshold = float(entry["threshold"])
    bundled_rejects = int((np.asarray(bundled) < threshold).sum())
    allowed = max(bundled_rejects, int(ALLOWANCE.get(str(entry.get("score")), 0.0) * len(personal)))
    ordered = np.sort(np.asarray(personal, dtype=np.float64))
    if allowed >= len(ordered):
        return entry
    # Rounded down, so the rounding never rejects one digit more.
    chosen = min(threshold, math.floor(float(ordered[allowed]) * 1e6) / 1e6)
    entry["threshold"] = chosen
    entry["personal_threshold"] = {
        "method": (
            f"re-chosen after fine-tuning: lowered, if need be, until the personal model "
            f"calls at most {allowed} of the {digits} not a digit (the bundled threshold: "
            f"{bundled_rejects})"
        ),
        "bundled_threshold": threshold,
        "digits": len(ordered),
        "rejected": int((ordered < chosen).sum()),
        "bundled_rejected": bundled_rejects,
    }
    return entry


def metadata_rule(metadata: Mapping[str, Any]) -> DigitRule | None:
    """The rule of a metadata document (None: it has none or it is malformed)."""
    try:
        return DigitRule.from_metadata(metadata)
    except ValueError:
        return None
