"""The mixed CNN's last layer re-fitted on its frozen features (``training.last_layer``):
real features of the real mix, real MNIST and pen digits."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("tensorflow", reason="training needs the train extra")

from digitpad.core import OnnxModel
from tests.shared_data import pendigits
from training.calibrate import softmax
from training.data import Mnist
from training.drawn_data import app_inputs
from training.feature_detector import FEATURES, model_features
from training.interpolate import mix, mixed_last_layer, read_weights
from training.last_layer import (
    Features,
    LastLayer,
    choose_refit,
    refit_last_layer,
    smoothed_targets,
)
from training.pendigits import split_by_writer

SOURCES = Path(__file__).resolve().parents[2] / "training" / "wise_ft"
START, TUNED = SOURCES / "cnn_mnist_only.onnx", SOURCES / "cnn_pen_fine_tuned.onnx"
A = 0.4


@pytest.fixture(scope="module")
def mixed(tmp_path_factory: pytest.TempPathFactory) -> OnnxModel:
    path = tmp_path_factory.mktemp("mix") / "mix.onnx"
    path.write_bytes(mix(read_weights(START), read_weights(TUNED), A))
    return OnnxModel.load(path)


@pytest.fixture(scope="module")
def sets(mixed: OnnxModel, mnist: Mnist) -> tuple[Features, Features]:
    """Features of 600 MNIST training images and of 400 training writers' pen digits."""
    pen = app_inputs(split_by_writer(pendigits(), "train")[::10][:400])
    return (
        Features(model_features(mixed, mnist.train.images[:600]), mnist.train.labels[:600]),
        Features(model_features(mixed, pen.images), pen.labels),
    )


def _loss(layer: LastLayer, features: Features) -> float:
    probabilities = softmax(features.values @ layer.kernel + layer.bias)
    picked = probabilities[np.arange(len(features.labels)), features.labels.astype(np.int64)]
    return float(-np.log(np.maximum(picked, 1e-12)).mean())


def test_smoothed_targets_sum_to_one_and_favour_the_label() -> None:
    rows = smoothed_targets(np.array([3, 0]), 0.05)
    np.testing.assert_allclose(rows.sum(axis=1), 1.0, rtol=1e-6)
    assert rows[0, 3] == pytest.approx(0.955)
    assert rows[0, 0] == pytest.approx(0.005)
    assert rows[1].argmax() == 0


def test_more_pen_weight_fits_the_pen_digits_better(sets: tuple[Features, Features]) -> None:
    mnist, pen = sets
    start = mixed_last_layer(read_weights(START), read_weights(TUNED), A)
    light = refit_last_layer(start, mnist, pen, 0.05, 0.05, steps=60)
    heavy = refit_last_layer(start, mnist, pen, 1.0, 0.05, steps=60)
    assert _loss(heavy, pen) < _loss(light, pen) < _loss(start, pen)
    assert not np.array_equal(light.kernel, start.kernel)
    again = refit_last_layer(start, mnist, pen, 1.0, 0.05, steps=60)
    np.testing.assert_array_equal(again.kernel, heavy.kernel)  # deterministic
    np.testing.assert_array_equal(again.bias, heavy.bias)


def test_the_written_model_reads_its_features_through_the_new_layer(
    mixed: OnnxModel, sets: tuple[Features, Features], mnist: Mnist, tmp_path: Path
) -> None:
    """Only the last layer changes: the same features, new probabilities from them."""
    start, tuned = read_weights(START), read_weights(TUNED)
    mnist_features, pen = sets
    layer = refit_last_layer(
        mixed_last_layer(start, tuned, A), mnist_features, pen, 0.5, 0.05, steps=30
    )
    path = tmp_path / "refit.onnx"
    path.write_bytes(mix(start, tuned, A, temperature=0.5, last_layer=layer))
    refitted = OnnxModel.load(path)
    images = mnist.test.images[:50]
    features = model_features(refitted, images)
    np.testing.assert_allclose(features, model_features(mixed, images), atol=1e-5)
    expected = softmax((features @ layer.kernel + layer.bias) / 0.5)
    outputs = refitted.run_outputs(images.astype(np.float32), ("probabilities", FEATURES))
    np.testing.assert_allclose(outputs["probabilities"], expected, atol=1e-5)
    assert np.abs(outputs["probabilities"] - mixed.predict_batch(images)).max() > 1e-3


def test_choose_refit_keeps_the_largest_pen_weight_within_the_budget() -> None:
    start = LastLayer(np.zeros((4, 10), np.float32), np.zeros(10, np.float32))
    losses = {0.1: 0.020, 0.2: 0.021, 0.3: 0.023, 0.5: 0.019}
    tried: list[float] = []

    def fit(weight: float) -> LastLayer:
        tried.append(weight)
        return LastLayer(np.full((4, 10), weight, np.float32), np.zeros(10, np.float32))

    def validate(layer: LastLayer) -> dict[str, float]:
        return {"loss": losses[round(float(layer.kernel[0, 0]), 3)]}

    refit = choose_refit(start, fit, validate, 0.0215, "loss", (0.5, 0.3, 0.1, 0.2))
    assert refit.pen_weight == 0.2
    assert refit.layer.kernel[0, 0] == pytest.approx(0.2)
    assert tried == [0.1, 0.2, 0.3]  # the first over budget ends the search
    assert list(refit.table) == [0.1, 0.2, 0.3]

    none = choose_refit(start, fit, validate, 0.01, "loss", (0.1, 0.2))
    assert none.pen_weight is None
    assert none.layer is start
