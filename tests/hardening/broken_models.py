"""Real ONNX models that load but misbehave, built with onnx.helper, and their metadata.

Each is a valid graph with the digitpad signature (``image`` in, ``probabilities``
``[N, 10]`` out) so only running it shows what is wrong with it.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from digitpad.core import bundled_models_dir
from digitpad.core.recognition import probe_digit

onnx = pytest.importorskip("onnx", reason="building models needs the train extra (onnx)")
from onnx import TensorProto, helper, numpy_helper  # noqa: E402


def _save(graph_nodes, initializers, path: Path, input_shape, output_shape=("N", 10)) -> None:
    graph = helper.make_graph(
        graph_nodes,
        path.stem,
        [helper.make_tensor_value_info("image", TensorProto.FLOAT, list(input_shape))],
        [helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, list(output_shape))],
        initializer=initializers,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    onnx.save(model, path)


def _tensor(name: str, values) -> onnx.TensorProto:
    return numpy_helper.from_array(np.asarray(values), name)


def _softmax_nodes(flat: str = "flat") -> list:
    return [
        helper.make_node("MatMul", [flat, "weights"], ["logits"]),
        helper.make_node("Softmax", ["logits"], ["softmax"], axis=1),
    ]


def _weights() -> onnx.TensorProto:
    return _tensor(
        "weights", np.random.default_rng(0).normal(0, 1e-3, (784, 10)).astype(np.float32)
    )


def write_broken_model(path: Path, kind: str) -> None:
    """Write ``path`` (an .onnx file) broken in the way ``kind`` names.

    ``fixed-batch-2``: the input is [2, 28, 28]; ``runtime-reshape``: a Reshape to
    [3, -1] that fails on a single image; ``width-0`` / ``width-3``: the output is
    declared [N, 10] but 0 or 3 wide; ``nan``, ``negative``, ``unnormalised``: the output
    is that, but only for pictures other than the probe digit, so the model loads and
    fails at prediction; ``endless-loop``: a Loop node that never ends.
    """
    flatten = helper.make_node("Flatten", ["image"], ["flat"], axis=1)
    if kind == "fixed-batch-2":
        nodes = [
            flatten,
            *_softmax_nodes(),
            helper.make_node("Identity", ["softmax"], ["probabilities"]),
        ]
        _save(nodes, [_weights()], path, (2, 28, 28), (2, 10))
        return
    if kind == "runtime-reshape":
        nodes = [
            helper.make_node("Reshape", ["image", "odd_shape"], ["flat"]),
            helper.make_node("Identity", ["flat"], ["probabilities"]),
        ]
        _save(nodes, [_tensor("odd_shape", np.array([3, -1], np.int64))], path, ("N", 28, 28))
        return
    if kind in ("width-0", "width-3"):
        # The slice's end is computed at run time (784 / 784 * width), so shape inference
        # cannot see it and the model declares [N, 10] until it runs.
        width = int(kind.split("-")[1])
        nodes = [
            flatten,
            *_softmax_nodes(),
            helper.make_node("Shape", ["flat"], ["pixels"], start=1, end=2),
            helper.make_node("Div", ["pixels", "all_pixels"], ["one"]),
            helper.make_node("Mul", ["one", "width"], ["ends"]),
            helper.make_node("Slice", ["softmax", "starts", "ends", "axes"], ["probabilities"]),
        ]
        extra = [
            _tensor(name, np.array([value], np.int64))
            for name, value in (("starts", 0), ("axes", 1), ("all_pixels", 784), ("width", width))
        ]
        _save(nodes, [_weights(), *extra], path, ("N", 28, 28))
        return
    if kind == "endless-loop":
        # A Loop whose trip count is 2**62: valid ONNX that never finishes.
        body = helper.make_graph(
            [
                helper.make_node("Identity", ["cond_in"], ["cond_out"]),
                helper.make_node("Identity", ["v_in"], ["v_out"]),
            ],
            "body",
            [
                helper.make_tensor_value_info("iteration", TensorProto.INT64, []),
                helper.make_tensor_value_info("cond_in", TensorProto.BOOL, []),
                helper.make_tensor_value_info("v_in", TensorProto.FLOAT, ["N", 10]),
            ],
            [
                helper.make_tensor_value_info("cond_out", TensorProto.BOOL, []),
                helper.make_tensor_value_info("v_out", TensorProto.FLOAT, ["N", 10]),
            ],
        )
        nodes = [
            flatten,
            *_softmax_nodes(),
            helper.make_node(
                "Loop", ["trips", "keep_going", "softmax"], ["probabilities"], body=body
            ),
        ]
        constants = [
            _tensor("trips", np.array(2**62, np.int64)),
            _tensor("keep_going", np.array(True)),
        ]
        _save(nodes, [_weights(), *constants], path, ("N", 28, 28))
        return
    bad = {"nan": np.nan, "negative": -0.5, "unnormalised": 5.0}[kind]
    # Fine on the probe digit (the ink total it has), ``bad`` everywhere for any other.
    probe_total = float(probe_digit().sum())
    nodes = [
        flatten,
        *_softmax_nodes(),
        helper.make_node("ReduceSum", ["flat"], ["total"], keepdims=1),
        helper.make_node("Sub", ["total", "probe_total"], ["difference"]),
        helper.make_node("Abs", ["difference"], ["distance"]),
        helper.make_node("Greater", ["distance", "tolerance"], ["other_picture"]),
        helper.make_node("Where", ["other_picture", "bad", "softmax"], ["probabilities"]),
    ]
    constants = [
        _tensor("probe_total", np.array([[probe_total]], np.float32)),
        _tensor("tolerance", np.array([[1.0]], np.float32)),
        _tensor("bad", np.full((1, 10), bad, np.float32)),
    ]
    _save(nodes, [_weights(), *constants], path, ("N", 28, 28))


def write_metadata(folder: Path, name: str, **changes) -> Path:
    """``<name>.json`` like the bundled CNN's, sealed to ``<name>.onnx``, with ``changes``."""
    document = json.loads((bundled_models_dir() / "cnn.json").read_text())
    document.update(name=name, display_name=name, onnx_file=f"{name}.onnx")
    document.pop("input", None)
    document.pop("not_a_digit", None)
    onnx_path = folder / f"{name}.onnx"
    if onnx_path.is_file():
        document["sha256"] = hashlib.sha256(onnx_path.read_bytes()).hexdigest()
    document.update(changes)
    json_path = folder / f"{name}.json"
    json_path.write_text(json.dumps(document))
    return json_path


def copy_bundled(folder: Path, name: str) -> None:
    for suffix in (".onnx", ".json"):
        shutil.copy(bundled_models_dir() / f"{name}{suffix}", folder / f"{name}{suffix}")
