"""Export parity: the ONNX file computes what the Keras model computes, under the contract."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("tensorflow", reason="needs TensorFlow: install the train extra")

import keras
import onnx

from digitpad.core import OnnxModel
from training.data import Mnist
from training.export import export_onnx
from training.models import build_cnn, build_dense

pytestmark = pytest.mark.training


@pytest.mark.parametrize(
    ("builder", "input_shape", "inner_layers"),
    [
        (build_dense, ["N", 28, 28], ["hidden_1", "hidden_2"]),
        (build_cnn, ["N", 28, 28, 1], ["conv_1", "conv_2"]),
    ],
)
def test_onnx_matches_keras_on_real_digits(
    builder, input_shape: list, inner_layers: list, mnist: Mnist, tmp_path: Path
) -> None:
    keras.utils.set_random_seed(5)
    model = builder()
    # A few steps of real training, so the outputs are confident and differ per image.
    train = mnist.train.images[:1024].astype(np.float32)
    model.compile(optimizer=keras.optimizers.Adam(3e-3), loss="sparse_categorical_crossentropy")
    model.fit(
        train if len(model.input_shape) == 3 else train[..., None],
        mnist.train.labels[:1024],
        batch_size=64,
        epochs=2,
        verbose=0,
    )
    path = export_onnx(model, tmp_path / f"{model.name}.onnx")

    graph = onnx.load(str(path)).graph
    assert [i.name for i in graph.input] == ["image"]
    extra = ["logits", "features", *inner_layers]
    assert [o.name for o in graph.output] == ["probabilities", *extra]
    dims = graph.input[0].type.tensor_type.shape.dim
    assert [d.dim_param or d.dim_value for d in dims] == input_shape

    images = mnist.test.images[:300].astype(np.float32)
    batch = images if len(model.input_shape) == 3 else images[..., None]
    expected = model.predict(batch, batch_size=100, verbose=0)
    got = OnnxModel.load(path).predict_batch(images)
    assert got.shape == (300, 10)
    assert (got.argmax(axis=1) == mnist.test.labels[:300]).mean() > 0.6
    np.testing.assert_allclose(got, expected, atol=1e-5)
    np.testing.assert_allclose(got.sum(axis=1), 1.0, atol=1e-5)
    # The extra outputs are the layers they name: the logits' softmax is the answer, and
    # the features are what the last Dense layer reads.
    outputs = OnnxModel.load(path).run_outputs(images, ["logits", "features"])
    np.testing.assert_allclose(keras.ops.softmax(outputs["logits"]), expected, atol=1e-5)
    last = model.layers[-1]
    kernel, bias = (np.asarray(w) for w in last.get_weights())
    np.testing.assert_allclose(outputs["features"] @ kernel + bias, outputs["logits"], atol=1e-4)
    # a single image (N = 1) runs through the same dynamic batch axis
    np.testing.assert_allclose(
        OnnxModel.load(path).predict_batch(images[:1]), expected[:1], atol=1e-5
    )
