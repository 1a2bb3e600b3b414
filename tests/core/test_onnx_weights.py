"""The protobuf reader/writer and the numpy copy of the shipped models, against onnx and
onnxruntime themselves."""

from __future__ import annotations

import numpy as np
import onnxruntime as ort
import pytest

from digitpad.core import OnnxModel, bundled_model_names, bundled_models_dir
from digitpad.core.personal import (
    NumpyNet,
    OnnxFormatError,
    UnsupportedGraphError,
    read_onnx_graph,
    softmax,
)

onnx = pytest.importorskip("onnx", reason="the onnx package (train extra) checks the reader")
numpy_helper = pytest.importorskip("onnx.numpy_helper")

MODELS = bundled_model_names()


def _bytes(name: str) -> bytes:
    return (bundled_models_dir() / f"{name}.onnx").read_bytes()


@pytest.mark.parametrize("name", MODELS)
def test_reader_finds_every_node_and_weight_onnx_finds(name):
    data = _bytes(name)
    graph = read_onnx_graph(data)
    proto = onnx.load_from_string(data)
    assert [n.op_type for n in graph.nodes] == [n.op_type for n in proto.graph.node]
    assert [n.inputs for n in graph.nodes] == [tuple(n.input) for n in proto.graph.node]
    expected = {
        t.name: numpy_helper.to_array(t) for t in proto.graph.initializer if t.data_type == 1
    }
    weights = graph.weights()
    assert set(weights) == set(expected)
    for key, value in expected.items():
        np.testing.assert_array_equal(weights[key], value)


@pytest.mark.parametrize("name", MODELS)
def test_unchanged_weights_write_back_the_identical_file(name):
    data = _bytes(name)
    graph = read_onnx_graph(data)
    assert graph.with_weights(graph.weights()) == data


@pytest.mark.parametrize("name", MODELS)
def test_new_weights_give_a_valid_model_with_the_same_graph(name, mnist_test):
    data = _bytes(name)
    graph = read_onnx_graph(data)
    net = NumpyNet.from_graph(graph)
    rng = np.random.default_rng(0)
    for key in net.trainable:
        net.weights[key] = net.weights[key] + rng.normal(0, 0.01, net.weights[key].shape).astype(
            np.float32
        )
    rewritten = graph.with_weights(net.weights)
    assert len(rewritten) == len(data)
    assert rewritten != data
    proto = onnx.load_from_string(rewritten)
    onnx.checker.check_model(proto)
    assert [n.op_type for n in proto.graph.node] == [n.op_type for n in graph.nodes]
    session = ort.InferenceSession(rewritten, providers=["CPUExecutionProvider"])
    images = mnist_test.images[:64].astype(np.float32)
    shape = session.get_inputs()[0].shape
    (probabilities,) = session.run(
        ["probabilities"], {"image": images.reshape(64, 28, 28, *shape[3:])}
    )
    np.testing.assert_allclose(net.probabilities(images), probabilities, atol=1e-4)


@pytest.mark.parametrize("name", MODELS)
def test_numpy_forward_matches_onnxruntime(name, mnist_test):
    net = NumpyNet.from_graph(read_onnx_graph(_bytes(name)))
    model = OnnxModel.load(bundled_models_dir() / f"{name}.onnx")
    images = mnist_test.images[:300].astype(np.float32)
    np.testing.assert_allclose(net.probabilities(images), model.predict_batch(images), atol=1e-4)


@pytest.mark.parametrize("name", MODELS)
def test_gradients_match_finite_differences(name, mnist_test):
    net = NumpyNet.from_graph(read_onnx_graph(_bytes(name)))
    # Differences in float64 with a small step, so neither rounding nor a ReLU's kink
    # decides the result.
    net.weights = {key: value.astype(np.float64) for key, value in net.weights.items()}
    images = mnist_test.images[:6].astype(np.float32)
    labels = (mnist_test.labels[:6].astype(np.int64) + 1) % 10  # wrong labels: big gradients

    def loss() -> float:
        logits, _ = net.forward(images)
        return float(-np.log(softmax(logits.astype(np.float64))[np.arange(6), labels]).sum())

    logits, cache = net.forward(images)
    grad = softmax(logits)
    grad[np.arange(6), labels] -= 1.0
    grads = net.backward(cache, grad)
    assert set(grads) == set(net.trainable)
    for key in net.trainable:
        weights = net.weights[key]
        index = np.unravel_index(np.argmax(np.abs(grads[key])), weights.shape)
        original = weights[index].copy()
        step = 1e-5
        weights[index] = original + step
        above = loss()
        weights[index] = original - step
        below = loss()
        weights[index] = original
        assert grads[key][index] == pytest.approx((above - below) / (2 * step), rel=1e-3)


def test_a_graph_that_is_no_layer_stack_is_refused():
    helper = onnx.helper
    node = helper.make_node("Sigmoid", ["image"], ["probabilities"])
    graph = helper.make_graph(
        [node],
        "odd",
        [helper.make_tensor_value_info("image", onnx.TensorProto.FLOAT, [None, 28, 28])],
        [helper.make_tensor_value_info("probabilities", onnx.TensorProto.FLOAT, [None, 10])],
    )
    data = helper.make_model(graph).SerializeToString()
    with pytest.raises(UnsupportedGraphError, match="Sigmoid"):
        NumpyNet.from_graph(read_onnx_graph(data))


@pytest.mark.parametrize("cut", [3, 100, 5000])
def test_truncated_bytes_are_a_format_error(cut):
    with pytest.raises(OnnxFormatError):
        read_onnx_graph(_bytes(MODELS[0])[:cut])
