"""Accuracy of an exported ONNX model on MNIST test, raw and through the app's preprocessing.

Inference goes through ``digitpad.core.OnnxModel`` and the second pass through
``digitpad.core.preprocess_bitmap``: the figures describe exactly what the app runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from digitpad.core import OnnxModel, preprocess_bitmap
from training.data import NUM_CLASSES, Split

NO_PREDICTION = -1  # the preprocessing found no ink, so the model was not asked
_BATCH = 1000


@dataclass(frozen=True)
class Evaluation:
    """One model's answers on a labelled set of 28x28 images."""

    images: np.ndarray  # (N, 28, 28) float32, what the model was given
    labels: np.ndarray  # (N,) int
    probabilities: np.ndarray  # (N, 10); rows of NaN where no prediction was made

    @property
    def predictions(self) -> np.ndarray:
        """The predicted digit per image, ``NO_PREDICTION`` where none was made."""
        answered = ~np.isnan(self.probabilities).any(axis=1)
        digits = np.full(len(self.labels), NO_PREDICTION)
        digits[answered] = self.probabilities[answered].argmax(axis=1)
        return digits

    @property
    def accuracy(self) -> float:
        """Fraction right; an image without a prediction counts as wrong."""
        return float((self.predictions == self.labels).mean())

    @property
    def per_class_accuracy(self) -> list[float]:
        """Accuracy among the images of each true digit 0-9."""
        right = self.predictions == self.labels
        return [float(right[self.labels == digit].mean()) for digit in range(NUM_CLASSES)]

    @property
    def confusion(self) -> np.ndarray:
        """Counts (10, 11): true digit by predicted digit, last column = no prediction."""
        matrix = np.zeros((NUM_CLASSES, NUM_CLASSES + 1), dtype=np.int64)
        np.add.at(matrix, (self.labels, self.predictions), 1)  # -1 lands in the last column
        return matrix

    def worst_mistakes(self, count: int) -> np.ndarray:
        """Indices of the most confident wrong answers, most confident first."""
        wrong = np.flatnonzero((self.predictions != self.labels) & (self.predictions >= 0))
        confidence = self.probabilities[wrong].max(axis=1)
        return wrong[np.argsort(-confidence, kind="stable")[:count]]


@dataclass(frozen=True)
class ModelEvaluation:
    """A model's figures on the raw test images and on the same images preprocessed."""

    model: OnnxModel
    raw: Evaluation
    preprocessed: Evaluation
    dataset: str


def predict_all(model: OnnxModel, images: np.ndarray) -> np.ndarray:
    """Probabilities for many (N, 28, 28) images, in batches."""
    return np.concatenate(
        [model.predict_batch(images[i : i + _BATCH]) for i in range(0, len(images), _BATCH)]
    )


def _preprocessed(model: OnnxModel, test: Split) -> Evaluation:
    inputs = [preprocess_bitmap(image) for image in test.images]
    answered = np.array([item is not None for item in inputs], dtype=bool)
    images = np.zeros((len(inputs), 28, 28), dtype=np.float32)
    probabilities = np.full((len(inputs), NUM_CLASSES), np.nan, dtype=np.float32)
    if answered.any():
        images[answered] = np.stack([item for item in inputs if item is not None])
        probabilities[answered] = predict_all(model, images[answered])
    return Evaluation(images, test.labels.astype(np.int64), probabilities)


def evaluate_onnx(onnx_path: Path, test: Split, dataset: str | None = None) -> ModelEvaluation:
    """Evaluate the ONNX model at ``onnx_path`` on ``test`` (raw and preprocessed).

    Parameters
    ----------
    onnx_path
        A model under the digitpad contract.
    test
        Labelled images, uint8 (N, 28, 28), ink bright on dark.
    dataset
        How the report names ``test``; defaults to "MNIST test, N images".
    """
    model = OnnxModel.load(onnx_path)
    raw_images = test.images.astype(np.float32)
    raw = Evaluation(raw_images, test.labels.astype(np.int64), predict_all(model, raw_images))
    return ModelEvaluation(
        model=model,
        raw=raw,
        preprocessed=_preprocessed(model, test),
        dataset=dataset or f"MNIST test, {len(test)} images",
    )
