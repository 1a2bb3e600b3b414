"""A "not a digit" detector on a model's penultimate features, for models whose softmax
cannot learn to spread out on non-digits (``digitpad.core.recognition._rejection``, score
``feature_detector``). No TensorFlow: it reads the exported model through onnxruntime.

The detector is a logistic regression, digits against non-digits, each side weighing
half: fitted on the training digits (MNIST's training part and the training writers'
pen renders) and the training non-digits, with a small L2 penalty, by full-batch Adam
from zero (deterministic: the same data give the same weights). Its threshold is chosen
like every other rule's, on validation digits only (``training.calibrate``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from digitpad.core import OnnxModel
from digitpad.core.personal import adam_update
from digitpad.core.recognition import FEATURE_DETECTOR, FeatureDetector
from training.calibrate import MAX_VALIDATION_FALSE_REJECTION, threshold_entry
from training.data import Split
from training.drawn_data import NOT_A_DIGIT, build_drawn_data

FEATURES = "features"
_BATCH = 1000
_STEPS, _LEARNING_RATE, _L2 = 600, 0.05, 1e-3
_DIGITS = 7  # significant digits of the weights written into the metadata
_PEN_VARIANTS, _NON_DIGITS = 2, 10_000
_QUICK = 300


def model_features(model: OnnxModel, images: np.ndarray) -> np.ndarray:
    """The model's ``features`` output for (N, 28, 28) images, in batches."""
    chunks = [
        model.run_outputs(images[i : i + _BATCH].astype(np.float32), (FEATURES,))[FEATURES]
        for i in range(0, len(images), _BATCH)
    ]
    return np.concatenate(chunks).astype(np.float32)


def fit_detector(digits: np.ndarray, non_digits: np.ndarray) -> FeatureDetector:
    """Logistic regression on standardised features, folded back to raw features."""
    features = np.concatenate([digits, non_digits]).astype(np.float32)
    is_digit = np.concatenate([np.ones(len(digits)), np.zeros(len(non_digits))])
    weight = np.where(is_digit == 1, 0.5 / len(digits), 0.5 / len(non_digits))
    mean = features.mean(axis=0)
    scale = features.std(axis=0) + 1e-6
    standard = np.hstack([(features - mean) / scale, np.ones((len(features), 1), np.float32)])
    weights = {"theta": np.zeros(standard.shape[1], dtype=np.float64)}  # weights, then bias
    penalised = np.ones_like(weights["theta"])
    penalised[-1] = 0.0
    moments: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    for step in range(1, _STEPS + 1):
        theta = weights["theta"]
        p = 0.5 * (1.0 + np.tanh(0.5 * (standard @ theta.astype(np.float32))))
        error = ((p - is_digit) * weight).astype(np.float32)
        grads = {"theta": standard.T @ error + _L2 * penalised * theta}
        adam_update(weights, grads, moments, step, _LEARNING_RATE)
    theta = weights["theta"]
    w, b = theta[:-1], float(theta[-1])
    raw = (w / scale).astype(np.float64)
    bias = float(b - mean.astype(np.float64) @ raw)
    return FeatureDetector(FEATURES, _significant(raw), float(_significant(np.array([bias]))[0]))


def _significant(values: np.ndarray) -> np.ndarray:
    """``values`` rounded to ``_DIGITS`` significant digits, as written into the metadata."""
    return np.array([float(f"{value:.{_DIGITS}g}") for value in values])


@dataclass(frozen=True)
class TrainingImages:
    """The training images a mixed model's detector and last layer are fitted on; never a
    validation image."""

    mnist: Split  # MNIST's training part
    pen: Split  # the training writers' pen renders, labelled
    non_digits: np.ndarray  # the training kinds

    @property
    def digits(self) -> np.ndarray:
        """MNIST's and the pen renders' images together."""
        return np.concatenate([self.mnist.images, self.pen.images])


def training_images(
    mnist_train: Split, pendigits_dir: Path, seed: int, quick: bool = False
) -> TrainingImages:
    """MNIST's training part, the training writers' pen renders and the training
    non-digits. ``quick``: a few hundred of each, for smoke runs and tests."""
    if quick:
        mnist_train = mnist_train.head(_QUICK)
    variants, others = (1, _QUICK) if quick else (_PEN_VARIANTS, _NON_DIGITS)
    limit = _QUICK if quick else None
    drawn = build_drawn_data(variants, others, seed, pendigits_dir, limit=limit)
    is_digit = drawn.train.labels != NOT_A_DIGIT
    pen = Split(drawn.train.images[is_digit], drawn.train.labels[is_digit])
    return TrainingImages(mnist_train, pen, drawn.train.images[~is_digit])


def detector_scores(model: OnnxModel, detector: FeatureDetector, images: np.ndarray) -> np.ndarray:
    """The detector's digit probability for each of ``images``."""
    return detector.scores(model_features(model, images))


def choose_detector_rule(
    model: OnnxModel,
    train_digits: np.ndarray,
    train_non_digits: np.ndarray,
    validation: Mapping[str, Split],
    validation_non_digits: np.ndarray,
    max_false_rejection: float = MAX_VALIDATION_FALSE_REJECTION,
) -> dict[str, object]:
    """The ``not_a_digit`` metadata entry of a feature detector fitted for ``model``; its
    threshold rejects at most ``max_false_rejection`` of each validation set."""
    detector = fit_detector(
        model_features(model, train_digits), model_features(model, train_non_digits)
    )
    scores = {
        name: detector_scores(model, detector, split.images) for name, split in validation.items()
    }
    others = detector_scores(model, detector, validation_non_digits)
    return {
        "score": FEATURE_DETECTOR,
        **threshold_entry(scores, others, max_false_rejection),
        "detector": {
            "output": detector.output,
            "weights": detector.weights.tolist(),
            "bias": detector.bias,
        },
        "method": (
            "logistic regression on the penultimate features, digits (MNIST training part, "
            f"{len(train_digits)} images with the training writers' pen renders) against "
            f"{len(train_non_digits)} training non-digits, each side weighing half, L2 "
            f"{_L2:g}; threshold = the highest digit probability that rejects at most "
            f"{max_false_rejection:.1%} of each validation set"
        ),
    }
