"""Accuracy on MNIST test digits as each one is shifted, turned, scaled, thinned or noisy.

The tutorial behind digitpad's two models claims a CNN is translation invariant and a
dense network is not. The app centres every drawing before either model sees it, so the
claim never shows there; this measures it. Every change is the core's own transform
(``digitpad.core.TRANSFORMS``, what the app's Robustness window and ``digitpad
robustness`` use), and the models run through ``digitpad.core.OnnxModel``.

Three input modes:

- ``normalised``: the test digit through ``preprocess_bitmap`` (what the app feeds the
  models), then changed: how each model copes with input the normalisation did not fix.
- ``raw``: the MNIST test image as it is, then changed, nothing re-centred: the input the
  tutorial's claim is about.
- ``renormalised``: normalised, changed, then normalised again, as the app treats a
  digit drawn moved, turned or at another size: what a person drawing actually gets.

No TensorFlow here: the shipped ONNX files are evaluated as they ship.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from digitpad.core import TRANSFORMS, OnnxModel, Transform, preprocess_bitmap
from training.data import Split
from training.evaluate import predict_all

FORMAT_VERSION = 1
# The first 2,000 MNIST test digits: 200 a digit on average, so an accuracy has a standard
# error under 1 point, and the whole run (66 amounts, three modes, two models) takes
# minutes on a laptop.
DEFAULT_IMAGES = 2000
REPORT_JSON = "robustness.json"
REPORT_PNG = "robustness.png"


def normalise_each(images: np.ndarray) -> np.ndarray:
    """Each picture through the app's ``preprocess_bitmap``; all-black where it finds no ink
    (a model then answers blank, which a change that wiped the digit out deserves)."""
    field = np.zeros((len(images), 28, 28), dtype=np.float32)
    for index, image in enumerate(images):
        prepared = preprocess_bitmap(image)
        if prepared is not None:
            field[index] = prepared
    return field


def _as_float(images: np.ndarray) -> np.ndarray:
    return np.asarray(images, dtype=np.float32)


def _unchanged(images: np.ndarray) -> np.ndarray:
    return images


@dataclass(frozen=True)
class InputMode:
    """How a test image becomes the input a transform changes, and what follows the change."""

    name: str
    description: str
    before: Callable[[np.ndarray], np.ndarray]
    after: Callable[[np.ndarray], np.ndarray]


MODES: tuple[InputMode, ...] = (
    InputMode(
        "normalised",
        "digitpad's normalised input (centred by mass, 20 x 20), then changed",
        normalise_each,
        _unchanged,
    ),
    InputMode(
        "raw",
        "raw MNIST, then changed, never re-centred (the tutorial's setting)",
        _as_float,
        _unchanged,
    ),
    InputMode(
        "renormalised",
        "normalised, changed, then normalised again (the app, for a digit drawn that way)",
        normalise_each,
        normalise_each,
    ),
)


def accuracy_curves(
    models: Sequence[OnnxModel],
    test: Split,
    mode: InputMode,
    transforms: Sequence[Transform] = TRANSFORMS,
) -> dict[str, dict[str, list[float]]]:
    """Per transform, per model: the accuracy at each of the transform's amounts."""
    labels = np.asarray(test.labels, dtype=np.int64)
    start = mode.before(test.images)
    curves: dict[str, dict[str, list[float]]] = {}
    for transform in transforms:
        per_model: dict[str, list[float]] = {model.name: [] for model in models}
        for amount in transform.amounts:
            changed = start if amount == transform.neutral else transform.apply(start, amount)
            inputs = mode.after(changed)
            for model in models:
                predicted = predict_all(model, inputs).argmax(axis=1)
                per_model[model.name].append(float((predicted == labels).mean()))
        curves[transform.name] = per_model
    return curves


def robustness_report(
    models: Sequence[OnnxModel],
    test: Split,
    modes: Sequence[InputMode] = MODES,
    progress: Callable[[str], None] = lambda _line: None,
) -> dict[str, Any]:
    """The whole report as plain JSON data (see docs/robustness.md for its fields)."""
    document: dict[str, Any] = {
        "format": FORMAT_VERSION,
        "dataset": f"MNIST test, the first {len(test)} images",
        "images": len(test),
        "models": {
            model.name: {"display_name": model.display_name, "file": model.path.name}
            for model in models
        },
        "modes": {},
    }
    for mode in modes:
        progress(f"{mode.name}: {mode.description}")
        curves = accuracy_curves(models, test, mode)
        document["modes"][mode.name] = {
            "description": mode.description,
            "transforms": {
                t.name: {
                    "label": t.label,
                    "unit": t.unit,
                    "neutral": t.neutral,
                    "amounts": list(t.amounts),
                    "accuracy": curves[t.name],
                }
                for t in TRANSFORMS
            },
        }
    return document


def write_robustness_report(document: dict[str, Any], folder: Path) -> tuple[Path, Path]:
    """``robustness.json`` and ``robustness.png`` (the curves drawn) into ``folder``."""
    from training.robustness_plot import draw_curves

    folder.mkdir(parents=True, exist_ok=True)
    json_path, png_path = folder / REPORT_JSON, folder / REPORT_PNG
    json_path.write_text(json.dumps(document, indent=1) + "\n", encoding="utf-8")
    draw_curves(document).save(png_path)
    return json_path, png_path
