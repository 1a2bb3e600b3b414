"""A model's claimed accuracy, checked before the headline believes it.

The headline answer goes to the most accurate model (``preferred_model``), and the
accuracy is whatever the model's own metadata says. The shipped models' figures are
measured by the project; a model from the user's folder could claim anything (one
answering 7 to everything claimed 1.0 and took the headline). So such a model reads a
few hundred shipped reference digits when it loads: a claim it falls short of by more
than ``CLAIM_TOLERANCE`` is dropped, and the model is listed after every other.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from digitpad.core.recognition._model import ModelMetadata, OnnxModel
from digitpad.core.recognition._model_checks import ModelRunError
from digitpad.core.recognition._reference import ReferenceDataError, load_reference_digits

# Claims are measured on other digits (MNIST test, or the held-out reference digits of a
# fine-tune); a real model reads these training digits at least as well, within noise.
CLAIM_TOLERANCE = 0.03
# Digits of each class read: 200 in all, 1 ms for the dense model and about 0.1 s for
# the CNN on a busy machine (only models from outside the bundle pay it, at load).
CHECK_PER_CLASS = 20
# After any ``display_order`` metadata may give (at most 10**6).
DISTRUSTED_ORDER = 10**6 + 1
ACCURACY_CHECK_KEY = "accuracy_check"


def _check_digits() -> tuple[np.ndarray, np.ndarray]:
    reference = load_reference_digits()
    rows = np.concatenate(
        [np.flatnonzero(reference.labels == d)[:CHECK_PER_CLASS] for d in range(10)]
    )
    return reference.images[rows].astype(np.float32), reference.labels[rows]


def checked_claim(model: OnnxModel) -> ModelMetadata | None:
    """``model``'s metadata, its accuracy kept only if the model lives up to it.

    A claim that fails (or cannot be checked: the reference digits are missing, the
    model fails on them) becomes no accuracy, the model is listed last, and
    ``raw["accuracy_check"]`` says what was claimed and measured.
    """
    metadata = model.metadata
    if metadata is None or metadata.accuracy is None:
        return metadata
    try:
        images, labels = _check_digits()
        answers = model.predict_batch(images).argmax(axis=1)
        measured: float | None = float((answers == labels).mean())
    except (ReferenceDataError, ModelRunError):
        measured = None
    if measured is not None and measured + CLAIM_TOLERANCE >= metadata.accuracy:
        return metadata
    check = {"claimed": metadata.accuracy, "measured": measured, "digits": 10 * CHECK_PER_CLASS}
    return replace(
        metadata,
        accuracy=None,
        display_order=DISTRUSTED_ORDER,
        raw={**metadata.raw, ACCURACY_CHECK_KEY: check},
    )
