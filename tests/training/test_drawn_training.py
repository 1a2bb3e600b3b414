"""Training with pen digits and non-digits: calibration folded in, a "not a digit" rule the
app reads, extra outputs kept; and starting from an exported model's weights."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("tensorflow", reason="training needs the train extra")

from digitpad.core import Recognizer, bundled_models_dir
from training.calibrate import softmax
from training.data import Mnist
from training.specs import spec_for
from training.train import TrainConfig, train
from training.warm_start import load_onnx_weights


@pytest.mark.slow
def test_a_smoke_run_learns_non_digits_and_writes_the_rule(mnist: Mnist, tmp_path: Path) -> None:
    config = TrainConfig(model="dense", output_dir=tmp_path, reports_dir=None, smoke=True)
    logged: list[str] = []
    document = train(config, mnist, log=logged.append)

    assert any("non-digits" in line for line in logged)
    rule = document["not_a_digit"]
    assert rule["score"] == "max_probability"
    assert 0.1 <= rule["threshold"] <= 1.0
    assert set(rule["validation"]) >= {
        "false_rejection_mnist_validation",
        "false_rejection_pen_validation_writers",
        "rejection_non_digits",
    }
    calibration = document["calibration"]
    assert 0.25 <= calibration["temperature"] <= 4.0
    assert set(calibration["ece_15_bins_after"]) == {"mnist_validation", "pen_validation_writers"}
    assert {"logits", "features"} <= set(document["extra_outputs"])
    pen = document["training"]["pen_data"]["writers"]
    assert not set(pen["train"]) & (set(pen["validation"]) | set(pen["test"]))
    assert json.loads((tmp_path / "dense.json").read_text()) == document

    # The app loads the pair and applies the threshold the metadata holds.
    recognizer = Recognizer.from_folders([tmp_path], ("dense",))
    assert not recognizer.failures
    assert recognizer.digit_rule("dense").threshold == pytest.approx(rule["threshold"])
    # The temperature is in the weights: the exported logits give the probabilities.
    (model,) = recognizer.loaded_models
    outputs = model.run_outputs(
        mnist.test.images[:50].astype(np.float32), ["logits", "probabilities"]
    )
    np.testing.assert_allclose(softmax(outputs["logits"]), outputs["probabilities"], atol=1e-5)


@pytest.mark.parametrize("name", ["dense", "cnn"])
def test_a_model_starts_from_the_shipped_weights(name: str, mnist: Mnist) -> None:
    model = spec_for(name).build()
    load_onnx_weights(model, bundled_models_dir() / f"{name}.onnx")
    recognizer = Recognizer.from_folders([bundled_models_dir()], (name,))
    (shipped,) = [m for m in recognizer.loaded_models if m.name == name]
    images = mnist.test.images[:200].astype(np.float32)
    keras_input = images[..., None] if len(model.input_shape) == 4 else images
    np.testing.assert_allclose(
        model.predict(keras_input, verbose=0), shipped.predict_batch(images), atol=1e-5
    )


def test_weights_of_another_architecture_are_refused() -> None:
    model = spec_for("dense").build()
    with pytest.raises(ValueError, match="do not fit"):
        load_onnx_weights(model, bundled_models_dir() / "cnn.onnx")
