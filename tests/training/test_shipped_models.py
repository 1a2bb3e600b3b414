"""The shipped models really score what their metadata and reports claim."""

from __future__ import annotations

import json

import numpy as np
import pytest

from digitpad.core import ModelMetadata, OnnxModel, bundled_models_dir
from tests.training.conftest import REPO_ROOT
from training.data import Mnist
from training.evaluate import predict_all

# The targets the shipped models must meet on MNIST test, measured through onnxruntime.
TARGETS = {"dense": 0.98, "cnn": 0.993}


@pytest.mark.parametrize("name", sorted(TARGETS))
def test_shipped_model_scores_what_its_metadata_claims(name: str, mnist: Mnist) -> None:
    json_path = bundled_models_dir() / f"{name}.json"
    metadata = ModelMetadata.read(json_path)
    model = OnnxModel.load(bundled_models_dir() / metadata.onnx_file, metadata)

    answers = predict_all(model, mnist.test.images.astype(np.float32)).argmax(axis=1)
    right = answers == mnist.test.labels
    evaluation = json.loads(json_path.read_text())["evaluation"]
    assert evaluation["dataset"] == "MNIST test, 10000 images"
    assert right.mean() == pytest.approx(evaluation["accuracy"], abs=1e-6)
    per_class = [right[mnist.test.labels == digit].mean() for digit in range(10)]
    np.testing.assert_allclose(per_class, evaluation["per_class_accuracy"], atol=1e-6)
    assert right.mean() >= TARGETS[name]

    report = json.loads((REPO_ROOT / "reports" / name / "metrics.json").read_text())
    assert report["raw"]["accuracy"] == pytest.approx(right.mean(), abs=1e-6)
