"""``python -m training robustness`` for real, on a few MNIST test digits: the report's
JSON schema, its PNG, and figures that agree with the plain evaluation."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from digitpad.core import TRANSFORMS, OnnxModel, bundled_models_dir
from training.cli import main
from training.data import Mnist
from training.evaluate import predict_all
from training.robustness import MODES

IMAGES = 24


@pytest.fixture(scope="module")
def report(tmp_path_factory, mnist_dir: Path) -> dict:
    reports = tmp_path_factory.mktemp("reports")
    code = main(
        ["robustness", "--data-dir", str(mnist_dir), "--images", str(IMAGES), "--reports",
         str(reports)]
    )  # fmt: skip
    assert code == 0
    folder = reports / "robustness"
    with Image.open(folder / "robustness.png") as plot:
        assert plot.width > 1000
        assert plot.height > 400
    return json.loads((folder / "robustness.json").read_text(encoding="utf-8"))


def test_the_report_follows_its_schema(report: dict):
    assert set(report) == {"format", "dataset", "images", "models", "modes"}
    assert report["format"] == 1
    assert report["images"] == IMAGES
    assert report["models"] == {
        "dense": {"display_name": "Dense", "file": "dense.onnx"},
        "cnn": {"display_name": "CNN", "file": "cnn.onnx"},
    }
    assert list(report["modes"]) == [mode.name for mode in MODES]
    for mode in report["modes"].values():
        assert set(mode) == {"description", "transforms"}
        assert list(mode["transforms"]) == [t.name for t in TRANSFORMS]
        for transform in TRANSFORMS:
            curve = mode["transforms"][transform.name]
            assert set(curve) == {"label", "unit", "neutral", "amounts", "accuracy"}
            assert curve["amounts"] == list(transform.amounts)
            assert curve["neutral"] == transform.neutral
            assert list(curve["accuracy"]) == ["dense", "cnn"]
            for accuracy in curve["accuracy"].values():
                assert len(accuracy) == len(transform.amounts)
                # every accuracy is a count of right answers out of IMAGES
                counts = np.array(accuracy) * IMAGES
                np.testing.assert_allclose(counts, np.round(counts), atol=1e-9)


def test_unchanged_inputs_score_as_the_plain_evaluation(report: dict, mnist: Mnist):
    """At each transform's neutral amount, the raw mode is the plain evaluation of raw
    MNIST and every transform agrees; further out, accuracy falls."""
    test = mnist.test.head(IMAGES)
    for name in ("dense", "cnn"):
        model = OnnxModel.load(bundled_models_dir() / f"{name}.onnx")
        raw = float(
            (predict_all(model, test.images.astype(np.float32)).argmax(1) == test.labels).mean()
        )
        for transform in TRANSFORMS:
            accuracy = report["modes"]["raw"]["transforms"][transform.name]["accuracy"][name]
            assert accuracy[transform.rest] == raw
        shifted = report["modes"]["raw"]["transforms"]["shift_y"]["accuracy"][name]
        assert shifted[0] < shifted[TRANSFORMS[1].rest]
