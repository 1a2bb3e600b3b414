"""Start a model from the weights of an exported ONNX file of the same architecture.

Fine-tuning the shipped models on new data takes a fraction of the time of training from
scratch. The weights are found by the graph's structure, in the order Keras lists them:
each Conv or MatMul's weight initializer, then its bias (the Conv's third input, or the
Add that follows a MatMul). ONNX convolution kernels are (out, in, h, w); Keras wants
(h, w, in, out).
"""

from __future__ import annotations

from pathlib import Path

import keras
import numpy as np
import onnx
from onnx import numpy_helper


def onnx_weights(path: Path) -> list[np.ndarray]:
    """Kernels and biases of an exported model, in Keras's ``get_weights()`` order."""
    graph = onnx.load(str(path)).graph
    constants = {init.name: numpy_helper.to_array(init) for init in graph.initializer}
    weights: list[np.ndarray] = []
    for node in graph.node:
        if node.op_type == "Conv":
            weights.append(constants[node.input[1]].transpose(2, 3, 1, 0))
            weights.append(constants[node.input[2]])
        elif node.op_type == "MatMul" and node.input[1] in constants:
            weights.append(constants[node.input[1]])
        elif node.op_type == "Add" and weights and weights[-1].ndim == 2:
            bias = constants.get(node.input[1])
            if bias is not None and bias.shape == weights[-1].shape[1:]:
                weights.append(bias)
    return weights


def load_onnx_weights(model: keras.Model, path: Path) -> None:
    """Set ``model``'s weights from ``path``.

    Raises
    ------
    ValueError
        The file's weights do not have the model's shapes (another architecture).
    """
    weights = onnx_weights(path)
    expected = [w.shape for w in model.get_weights()]
    if [w.shape for w in weights] != expected:
        raise ValueError(f"{path}: weights {[w.shape for w in weights]} do not fit {expected}")
    model.set_weights(weights)
