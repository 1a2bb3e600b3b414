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

What the person taught is a digit for their models, whatever it looks like to the
bundled rule: a slashed zero, a 7 with a flag, a 1 with a serif. So the threshold is
also lowered just below (``SAMPLE_MARGIN``) the lowest score the personal model gives
any of their samples, and below all but the lowest ``COPY_QUANTILE`` of the scores of
their re-drawn copies (turned, slanted, redrawn with other pens: new drawings in the
same hand). Not below every copy: the wildest of them scored so low on the validation
writers that the personal CNN then refused half the non-digits instead of 94 %.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np

from digitpad.core.recognition import FEATURE_DETECTOR, DigitRule

__all__ = ["ALLOWANCE", "COPY_QUANTILE", "SAMPLE_MARGIN", "metadata_rule", "rechosen_rule"]

# Share of the reference digits a personal rule may reject beyond the bundled rule's.
ALLOWANCE = {FEATURE_DETECTOR: 0.012}
# The personal threshold is at most this share of the lowest score of the person's
# samples, and at most this quantile of their re-drawn copies' scores.
SAMPLE_MARGIN = 0.95
COPY_QUANTILE = 0.01


def rechosen_rule(
    bundled_rule: Mapping[str, Any],
    bundled: np.ndarray,
    personal: np.ndarray,
    digits: str,
    samples: np.ndarray | None = None,
    copies: np.ndarray | None = None,
) -> dict[str, Any]:
    """The personal model's ``not_a_digit`` entry, made from the bundled one.

    ``bundled`` and ``personal`` are the scores (``DigitRule.scores``) that the bundled and
    the personal model give the same digits (``digits`` says which, for the metadata).
    The threshold is lowered, if need be, until the personal model rejects at most as
    many of them as the bundled rule does (or ``ALLOWANCE`` of them, if more), and below
    ``SAMPLE_MARGIN`` of the lowest of ``samples`` (the personal model's scores of the
    person's own samples), so none of those is refused, and to the ``COPY_QUANTILE``
    quantile of ``copies`` (its scores of their re-drawn copies); the entry says so in
    ``personal_threshold``.
    """
    entry = dict(bundled_rule)
    taught = np.zeros(0) if samples is None else np.asarray(samples, dtype=np.float64)
    redrawn = np.zeros(0) if copies is None else np.asarray(copies, dtype=np.float64)
    if not len(personal) and not len(taught):
        return entry
    threshold = float(entry["threshold"])
    bundled_rejects = int((np.asarray(bundled) < threshold).sum())
    allowed = max(bundled_rejects, int(ALLOWANCE.get(str(entry.get("score")), 0.0) * len(personal)))
    ordered = np.sort(np.asarray(personal, dtype=np.float64))
    chosen = threshold
    if allowed < len(ordered):
        chosen = min(chosen, float(ordered[allowed]))
    if len(taught):
        chosen = min(chosen, SAMPLE_MARGIN * float(taught.min()))
    if len(redrawn):
        chosen = min(chosen, float(np.quantile(redrawn, COPY_QUANTILE)))
    if chosen >= threshold:
        return entry
    # Rounded down, so the rounding never rejects one digit more.
    chosen = math.floor(chosen * 1e6) / 1e6
    entry["threshold"] = chosen
    entry["personal_threshold"] = {
        "method": (
            f"re-chosen after fine-tuning: lowered, if need be, until the personal model "
            f"calls at most {allowed} of the {digits} not a digit (the bundled threshold: "
            f"{bundled_rejects}), below {SAMPLE_MARGIN:g} times the lowest score of "
            f"your samples and to the {COPY_QUANTILE:.0%} quantile of their re-drawn copies"
        ),
        "bundled_threshold": threshold,
        "digits": len(ordered),
        "rejected": int((ordered < chosen).sum()),
        "bundled_rejected": bundled_rejects,
        "samples": len(taught),
        "lowest_sample_score": round(float(taught.min()), 6) if len(taught) else None,
        "copies": len(redrawn),
    }
    return entry


def metadata_rule(metadata: Mapping[str, Any]) -> DigitRule | None:
    """The rule of a metadata document (None: it has none or it is malformed)."""
    try:
        return DigitRule.from_metadata(metadata)
    except ValueError:
        return None
