"""After fitting: fold the calibration temperature into the model, choose its "not a digit"
threshold, and describe both for the metadata. Validation data only.

The temperature divides the last Dense layer's kernel and bias, so ``softmax(logits / T)``
is what the unchanged architecture computes: no extra layer, the same ONNX graph.
"""

from __future__ import annotations

from pathlib import Path

import keras
import numpy as np

from digitpad.core import OnnxModel
from training.calibrate import (
    ECE_BINS,
    MAX_VALIDATION_FALSE_REJECTION,
    REJECTION_SCORE,
    expected_calibration_error,
    fit_temperature,
    softmax,
    threshold_entry,
)
from training.data import Split
from training.evaluate import predict_all

_BATCH = 2000


def keras_logits(model: keras.Model, images: np.ndarray) -> np.ndarray:
    """The last Dense layer's input times its weights: logits before the softmax."""
    kernel, bias = model.layers[-1].get_weights()
    chunks = []
    for start in range(0, len(images), _BATCH):
        x = images[start : start + _BATCH].astype(np.float32)
        if len(model.input_shape) == 4:
            x = x[..., None]
        for layer in model.layers[:-1]:
            x = layer(x, training=False)
        chunks.append(keras.ops.convert_to_numpy(x) @ kernel + bias)
    return np.concatenate(chunks)


def calibrate(model: keras.Model, validation: dict[str, Split]) -> dict[str, object]:
    """Fit the temperature on every validation digit, fold it into the last layer and
    return the ``calibration`` metadata entry (ECE per validation set before and after)."""
    logits = {name: keras_logits(model, split.images) for name, split in validation.items()}
    temperature, entry = fit_calibration(logits, validation)
    kernel, bias = model.layers[-1].get_weights()
    model.layers[-1].set_weights([kernel / temperature, bias / temperature])
    return entry


def fit_calibration(
    logits: dict[str, np.ndarray], validation: dict[str, Split]
) -> tuple[float, dict[str, object]]:
    """The temperature fitted on every validation digit's ``logits`` (or any per-row shift
    of them, log-probabilities included) and the ``calibration`` metadata entry."""
    labels = {name: split.labels.astype(np.int64) for name, split in validation.items()}
    temperature = fit_temperature(
        np.concatenate(list(logits.values())), np.concatenate(list(labels.values()))
    )

    def ece(name: str, t: float) -> float:
        return round(expected_calibration_error(softmax(logits[name] / t), labels[name]), 5)

    return temperature, {
        "method": "temperature scaling, folded into the last Dense layer (kernel and bias / T)",
        "temperature": round(temperature, 4),
        "chosen_on": sorted(validation),
        f"ece_{ECE_BINS}_bins_before": {name: ece(name, 1.0) for name in validation},
        f"ece_{ECE_BINS}_bins_after": {name: ece(name, temperature) for name in validation},
    }


def choose_rejection(
    onnx_path: Path, validation: dict[str, Split], non_digits: np.ndarray
) -> dict[str, object]:
    """The ``not_a_digit`` metadata entry for the exported (calibrated) model;
    ``non_digits`` are the validation non-digits (``DrawnData.validation_non_digits``)."""
    model = OnnxModel.load(onnx_path)
    scores = {
        name: predict_all(model, split.images.astype(np.float32)).max(axis=1)
        for name, split in validation.items()
    }
    others = predict_all(model, non_digits.astype(np.float32)).max(axis=1)
    return {
        "score": REJECTION_SCORE,
        **threshold_entry(scores, others),
        "method": (
            "outlier exposure (letters, scribbles, dots, lines, crosses, polygons trained "
            "towards even probabilities); threshold = the highest top probability that "
            f"rejects at most {MAX_VALIDATION_FALSE_REJECTION:.0%} of each validation set"
        ),
    }
