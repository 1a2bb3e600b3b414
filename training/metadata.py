"""The ``<name>.json`` written beside each exported model (format 1, assets/models/README.md)."""

from __future__ import annotations

import hashlib
import json
import platform
from datetime import UTC, datetime
from pathlib import Path

import keras
import onnx
import onnxruntime
import tensorflow as tf
import tf2onnx

from digitpad.core import INPUT_NAME, METADATA_FORMAT_VERSION, OUTPUT_NAME
from training.evaluate import Evaluation
from training.export import ONNX_OPSET
from training.extra_outputs import describe_extra_outputs
from training.fit import FitResult
from training.models import describe_architecture
from training.specs import ModelSpec


def sha256_of(path: Path) -> str:
    """Hex sha256 of a file's bytes; the app refuses a model whose bytes differ."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def build_metadata(
    spec: ModelSpec,
    fitted: FitResult,
    recipe: dict[str, object],
    seed: int,
    evaluation: Evaluation,
    dataset: str,
    onnx_path: Path,
) -> dict[str, object]:
    """The metadata document for a trained, exported and evaluated model.

    Its name, display name and display order come from ``spec``: the app lists and labels
    models from these fields alone.
    """
    model = fitted.model
    return {
        "format_version": METADATA_FORMAT_VERSION,
        "name": spec.name,
        "display_name": spec.display_name,
        "display_order": spec.display_order,
        "architecture": describe_architecture(model),
        "parameters": int(model.count_params()),
        "input": {
            "name": INPUT_NAME,
            "dtype": "float32",
            "shape": [None, *model.input_shape[1:]],
            "range": [0, 255],
            "polarity": "ink bright on dark",
        },
        "output": {"name": OUTPUT_NAME, "dtype": "float32", "shape": [None, 10]},
        "extra_outputs": describe_extra_outputs(onnx.load(str(onnx_path))),
        "training": {
            "recipe": recipe,
            "seed": seed,
            "epochs_run": fitted.epochs_run,
            "best_epoch": fitted.best_epoch,
            "validation_accuracy": round(fitted.validation_accuracy, 6),
            "duration_seconds": round(fitted.duration_seconds, 1),
        },
        "evaluation": {
            "dataset": dataset,
            "accuracy": round(evaluation.accuracy, 6),
            "per_class_accuracy": [round(value, 6) for value in evaluation.per_class_accuracy],
            "evaluated_with": f"onnxruntime {onnxruntime.__version__}",
        },
        "versions": {
            "python": platform.python_version(),
            "tensorflow": tf.__version__,
            "keras": keras.__version__,
            "tf2onnx": tf2onnx.__version__,
            "onnx": onnx.__version__,
            "onnxruntime": onnxruntime.__version__,
            "opset": ONNX_OPSET,
        },
        "created": datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z"),
        "onnx_file": onnx_path.name,
        "sha256": sha256_of(onnx_path),
    }


def write_metadata(metadata: dict[str, object], folder: Path) -> Path:
    """Write ``<name>.json`` into ``folder``."""
    path = folder / f"{metadata['name']}.json"
    path.write_text(json.dumps(metadata, indent=2) + "\n", encoding="utf-8")
    return path
