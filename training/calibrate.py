"""Temperature scaling, expected calibration error and the "not a digit" threshold.

All chosen on validation data only (MNIST's held-out training images and the validation
writers' pen digits, plus validation non-digits); the test sets only report. No
TensorFlow: the benchmarks compute the same figures from the exported models.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from digitpad.core.personal import softmax as softmax  # re-exported for training

ECE_BINS = 15
# At most this share of any validation set of real digits may be called "not a digit";
# the issue allows 2 % on new people, so validation aims at half of it.
MAX_VALIDATION_FALSE_REJECTION = 0.01
REJECTION_SCORE = "max_probability"  # digitpad.core.recognition._rejection.SCORES
_TEMPERATURES = np.exp(np.linspace(np.log(0.25), np.log(4.0), 241))


def negative_log_likelihood(logits: np.ndarray, labels: np.ndarray) -> float:
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_norm = np.log(np.exp(shifted).sum(axis=1))
    return float((log_norm - shifted[np.arange(len(labels)), labels]).mean())


def fit_temperature(logits: np.ndarray, labels: np.ndarray) -> float:
    """The temperature T minimising the NLL of ``softmax(logits / T)`` (a fine grid over
    0.25-4: the NLL is smooth and one-dimensional, so a grid is exact enough)."""
    losses = [negative_log_likelihood(logits / t, labels) for t in _TEMPERATURES]
    return float(_TEMPERATURES[int(np.argmin(losses))])


def expected_calibration_error(
    probabilities: np.ndarray, labels: np.ndarray, bins: int = ECE_BINS
) -> float:
    """ECE: the confidence-weighted gap between confidence and accuracy, ``bins`` equal bins."""
    confidence = probabilities.max(axis=1)
    right = probabilities.argmax(axis=1) == labels
    edges = np.linspace(0.0, 1.0, bins + 1)
    which = np.clip(np.digitize(confidence, edges[1:-1], right=True), 0, bins - 1)
    total = 0.0
    for index in range(bins):
        member = which == index
        if member.any():
            gap = abs(float(confidence[member].mean()) - float(right[member].mean()))
            total += gap * member.mean()
    return total


def rejection_threshold(
    digit_scores: Mapping[str, np.ndarray],
    max_false_rejection: float = MAX_VALIDATION_FALSE_REJECTION,
) -> float:
    """The highest threshold that rejects at most ``max_false_rejection`` of every set of
    real digits' scores (each set is one validation source)."""
    return float(min(np.quantile(s, max_false_rejection) for s in digit_scores.values()))


def rejection_rate(scores: np.ndarray, threshold: float) -> float:
    """Share of ``scores`` below ``threshold``: called "not a digit"."""
    return float((scores < threshold).mean()) if len(scores) else 0.0


def threshold_entry(
    digit_scores: Mapping[str, np.ndarray],
    non_digit_scores: np.ndarray,
    max_false_rejection: float = MAX_VALIDATION_FALSE_REJECTION,
) -> dict[str, object]:
    """What every ``not_a_digit`` entry shares: the threshold chosen on the validation
    digits' scores (``rejection_threshold``) and the rates it gives on them and on the
    validation non-digits."""
    threshold = rejection_threshold(digit_scores, max_false_rejection)
    return {
        "threshold": round(threshold, 5),
        "chosen_on": [*sorted(digit_scores), "validation non-digits"],
        "validation": {
            **{
                f"false_rejection_{name}": round(rejection_rate(s, threshold), 5)
                for name, s in digit_scores.items()
            },
            "rejection_non_digits": round(rejection_rate(non_digit_scores, threshold), 5),
            "non_digits": len(non_digit_scores),
        },
    }
