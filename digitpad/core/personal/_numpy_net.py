"""A trainable numpy copy of a model's ONNX graph: forward and backward, no framework.

The shipped models are plain layer stacks (rescale, convolutions with ReLU and 2x2 max
pooling, a flatten, dense layers, softmax). ``NumpyNet.from_graph`` walks the ONNX graph
from ``image`` to ``probabilities`` and turns each operator into one of those layers,
refusing any graph that is not such a stack, so what trains here is exactly what
onnxruntime runs (a parity test holds them to 1e-4). Weights stay keyed by their ONNX
initializer names, so they can be written straight back into the file.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from digitpad.core.personal._onnx_weights import Node, OnnxGraph
from digitpad.core.recognition import INPUT_NAME, OUTPUT_NAME

# Operators that only compute shapes or copy a tensor out as an extra output.
_SIDE_OPS = frozenset({"Identity", "Shape", "Gather", "Cast", "Slice", "Concat"})
_KERNEL = 3


class UnsupportedGraphError(Exception):
    """The graph is not a layer stack this module can train; says where in one line."""


@dataclass(frozen=True)
class Layer:
    """One step of the stack; ``weight``/``bias`` name initializers (scale/offset for rescale)."""

    op: str  # rescale, channels_first, conv, relu, maxpool, channels_last, flatten, dense
    weight: str = ""
    bias: str = ""


def _scalar(graph: OnnxGraph, name: str, where: str) -> str:
    tensor = graph.initializers.get(name)
    if tensor is None or tensor.dims not in ((), (1,)):
        raise UnsupportedGraphError(f"{where} does not take a constant scalar")
    return name


def _check_attributes(
    node_attributes: Mapping[str, tuple[int, ...]], wanted: Mapping[str, tuple[int, ...]]
) -> None:
    for key, value in wanted.items():
        found = node_attributes.get(key, value)
        if tuple(found) != value:
            raise UnsupportedGraphError(f"attribute {key}={found} is not {value}")


@dataclass
class _Walk:
    """The stack read so far while walking the graph from ``image`` to ``probabilities``."""

    graph: OnnxGraph
    layers: list[Layer] = field(default_factory=list)
    scale: str = ""  # the input's Mul, waiting for its Add


def _on_mul(walk: _Walk, node: Node, others: list[str]) -> bool:
    if walk.layers or walk.scale:
        return False
    walk.scale = _scalar(walk.graph, others[0], "the input's Mul")
    return True


def _on_add(walk: _Walk, node: Node, others: list[str]) -> bool:
    if walk.scale and not walk.layers:
        bias = _scalar(walk.graph, others[0], "the input's Add")
        walk.layers.append(Layer("rescale", walk.scale, bias))
        return True
    last = walk.layers[-1] if walk.layers else None
    if last is None or last.op != "dense" or last.bias:
        return False
    walk.layers[-1] = Layer("dense", last.weight, others[0])
    return True


def _on_matmul(walk: _Walk, node: Node, others: list[str]) -> bool:
    if not others or others[0] not in walk.graph.initializers:
        return False
    walk.layers.append(Layer("dense", others[0]))
    return True


def _on_conv(walk: _Walk, node: Node, others: list[str]) -> bool:
    if len(others) != 2 or not all(o in walk.graph.initializers for o in others):
        return False
    _check_attributes(
        node.attributes,
        {"kernel_shape": (3, 3), "strides": (1, 1), "dilations": (1, 1), "group": (1,)},
    )
    if any(node.attributes.get("pads", ())) or "auto_pad" in node.attributes:
        raise UnsupportedGraphError("a padded convolution")
    walk.layers.append(Layer("conv", others[0], others[1]))
    return True


def _on_maxpool(walk: _Walk, node: Node, others: list[str]) -> bool:
    _check_attributes(node.attributes, {"kernel_shape": (2, 2), "strides": (2, 2)})
    walk.layers.append(Layer("maxpool"))
    return True


def _on_transpose(walk: _Walk, node: Node, others: list[str]) -> bool:
    if node.attributes.get("perm") != (0, 2, 3, 1):
        return False
    walk.layers.append(Layer("channels_last"))
    return True


def _appends(op: str) -> Callable[[_Walk, Node, list[str]], bool]:
    """A handler for an operator that becomes one weightless layer whatever its inputs."""

    def handle(walk: _Walk, node: Node, others: list[str]) -> bool:
        walk.layers.append(Layer(op))
        return True

    return handle


# Each ONNX operator of a plain stack and how it becomes a layer; a handler returns False
# when the node is that operator but not in a form this module can train.
_HANDLERS: dict[str, Callable[[_Walk, Node, list[str]], bool]] = {
    "Mul": _on_mul,
    "Add": _on_add,
    "MatMul": _on_matmul,
    "Conv": _on_conv,
    "MaxPool": _on_maxpool,
    "Relu": _appends("relu"),
    "Transpose": _on_transpose,
    "Reshape": _appends("reshape"),
}


def _layers(graph: OnnxGraph) -> tuple[Layer, ...]:
    consumers: dict[str, list[int]] = {}
    for index, node in enumerate(graph.nodes):
        if node.op_type not in _SIDE_OPS:
            for name in node.inputs:
                consumers.setdefault(name, []).append(index)
    walk = _Walk(graph)
    current = INPUT_NAME
    while current != OUTPUT_NAME:
        found = consumers.get(current, [])
        if len(found) != 1:
            raise UnsupportedGraphError(f"tensor {current!r} feeds {len(found)} layers, not 1")
        node = graph.nodes[found[0]]
        if node.op_type == "Softmax" and node.outputs == (OUTPUT_NAME,):
            break
        handler = _HANDLERS.get(node.op_type)
        others = [name for name in node.inputs if name != current]
        if handler is None or not handler(walk, node, others):
            raise UnsupportedGraphError(
                f"operator {node.op_type} after {current!r} is not supported"
            )
        current = node.outputs[0]
    else:
        raise UnsupportedGraphError("the graph's output is not a Softmax")
    layers = walk.layers
    # A reshape before a convolution turns [N, 28, 28, 1] into [N, 1, 28, 28]; any other
    # flattens to [N, features].
    resolved = [
        Layer("channels_first" if later.op == "conv" else "flatten")
        if layer.op == "reshape"
        else layer
        for layer, later in zip(layers, [*layers[1:], Layer("end")], strict=True)
    ]
    if not resolved or resolved[0].op != "rescale" or resolved[-1].op != "dense":
        raise UnsupportedGraphError("not a rescale ... dense stack")
    return tuple(resolved)


def _conv_columns(x: np.ndarray) -> np.ndarray:
    """(N, H, W, C) -> (N * H' * W', C * 9) patches of a valid 3x3 convolution, ordered
    like an OIHW kernel's (C, 3, 3)."""
    n, h, w, c = x.shape
    # Nine shifted copies stacked last: each copies whole rows of channels, where
    # reshaping a sliding-window view gathered element by element (three times slower).
    shifted = [
        x[:, row : row + h - _KERNEL + 1, col : col + w - _KERNEL + 1]
        for row in range(_KERNEL)
        for col in range(_KERNEL)
    ]
    return np.stack(shifted, axis=-1).reshape(n * (h - 2) * (w - 2), c * _KERNEL**2)


def _pool_corners(x: np.ndarray) -> list[np.ndarray]:
    """The four corners of each 2x2 block of (N, H, W, C), odd edges dropped (floor)."""
    h, w = x.shape[1] // 2 * 2, x.shape[2] // 2 * 2
    return [x[:, i:h:2, j:w:2] for i in (0, 1) for j in (0, 1)]


def _pooled_input(layers: tuple[Layer, ...], index: int, x: np.ndarray) -> np.ndarray:
    """The rows and columns of the convolution ``layers[index]``'s input ``x`` that its
    2x2 max pooling reads: an odd output's last row and column are dropped by the
    pooling (floor), so computing them is wasted (a sixth of the second convolution of
    a 28x28 CNN). Other layers, or an even output, get ``x`` whole."""
    if tuple(layer.op for layer in layers[index + 1 : index + 3]) != ("relu", "maxpool"):
        return x
    height, width = (x.shape[1] - 2) // 2 * 2 + 2, (x.shape[2] - 2) // 2 * 2 + 2
    return x if (height, width) == x.shape[1:3] else x[:, :height, :width]


def _frozen_conv_block(layers: tuple[Layer, ...], index: int, first_trained: int) -> bool:
    """Whether ``layers[index:index + 3]`` is a convolution, ReLU and max pooling, all
    before ``first_trained`` (nothing back-propagates into them)."""
    block = tuple(layer.op for layer in layers[index : index + 3])
    return block == ("conv", "relu", "maxpool") and index + 3 <= first_trained


def softmax(logits: np.ndarray) -> np.ndarray:
    """Row-wise softmax, stable for large logits."""
    shifted = np.exp(logits - logits.max(axis=1, keepdims=True))
    return shifted / shifted.sum(axis=1, keepdims=True)


class NumpyNet:
    """The layer stack of one ONNX model, with weights keyed by initializer name."""

    def __init__(self, layers: tuple[Layer, ...], weights: Mapping[str, np.ndarray]) -> None:
        self.layers = layers
        self.weights = {name: np.array(value, dtype=np.float32) for name, value in weights.items()}
        self.trainable = tuple(
            name
            for layer in layers
            if layer.op in ("conv", "dense")
            for name in (layer.weight, layer.bias)
            if name
        )

    @classmethod
    def from_graph(cls, graph: OnnxGraph) -> NumpyNet:
        """The stack read from ``graph`` with its current weights.

        Raises
        ------
        UnsupportedGraphError
            The graph is not a plain rescale/conv/pool/dense stack.
        """
        layers = _layers(graph)
        needed = {n for layer in layers for n in (layer.weight, layer.bias) if n}
        weights = graph.weights()
        missing = needed - set(weights)
        if missing:
            raise UnsupportedGraphError(f"weights {sorted(missing)} are not raw float32")
        return cls(layers, {name: weights[name] for name in needed})

    def first_trained(self, trained: Collection[str] | None = None) -> int:
        """The index of the first layer whose weight is in ``trained`` (default: all
        trainable), or the number of layers when none is: back-propagation stops there."""
        trained = self.trainable if trained is None else trained
        return next(
            (
                i
                for i, layer in enumerate(self.layers)
                if layer.weight in trained and layer.op != "rescale"
            ),
            len(self.layers),
        )

    def forward(
        self,
        images: np.ndarray,
        *,
        dropout: float = 0.0,
        rng: np.random.Generator | None = None,
        trained: Collection[str] | None = None,
    ) -> tuple[np.ndarray, list[Any]]:
        """Logits ``(N, 10)`` for ``images`` ``(N, 28, 28)`` 0..255, and what backward needs.

        ``dropout`` (training only) zeroes that share of the last dense layer's inputs and
        scales the rest up, as Keras's Dropout does. Layers before the first of
        ``trained`` (default: all trainable; ``()`` for inference) keep nothing for
        ``backward`` (pass it the same ``trained``), and such a frozen convolution is
        pooled before its bias and ReLU (``_frozen_conv_block``).
        """
        x = np.asarray(images, dtype=np.float32)
        w = self.weights
        cache: list[Any] = []
        first_trained = self.first_trained(trained)
        last_dense = max(i for i, layer in enumerate(self.layers) if layer.op == "dense")
        index = 0
        while index < len(self.layers):
            layer = self.layers[index]
            if index < first_trained and _frozen_conv_block(self.layers, index, first_trained):
                x = self._pooled_conv(x, index)
                cache.extend([None, None, None])
                index += 3
                continue
            if index == last_dense and dropout > 0.0 and rng is not None:
                dropout_mask = (rng.random(x.shape) >= dropout).astype(np.float32)
                dropout_mask /= 1.0 - dropout
                x = x * dropout_mask
            else:
                dropout_mask = None
            keep = index >= first_trained
            if layer.op == "rescale":
                cache.append(None)
                x = x * w[layer.weight] + w[layer.bias]
            elif layer.op == "channels_first":
                # The graph goes to NCHW here; the numpy copy keeps channels last
                # throughout (faster patches), which is the same arithmetic.
                cache.append(x.shape)
                x = x.reshape(*x.shape[:3], 1)
            elif layer.op == "conv":
                whole = x.shape
                x = _pooled_input(self.layers, index, x)
                columns = _conv_columns(x)
                cache.append((columns, x.shape, whole) if keep else None)
                kernel = w[layer.weight]
                n, h, wd, _ = x.shape
                out = columns @ kernel.reshape(kernel.shape[0], -1).T + w[layer.bias]
                x = out.reshape(n, h - 2, wd - 2, -1)
            elif layer.op == "relu":
                x = np.maximum(x, 0.0)
                cache.append(x > 0 if keep else None)
            elif layer.op == "maxpool":
                corners = _pool_corners(x)
                pooled = np.maximum(
                    np.maximum(corners[0], corners[1]), np.maximum(corners[2], corners[3])
                )
                cache.append(([corner == pooled for corner in corners], x.shape) if keep else None)
                x = pooled
            elif layer.op == "channels_last":
                cache.append(None)  # already channels last (see channels_first)
            elif layer.op == "flatten":
                cache.append(x.shape)
                x = x.reshape(x.shape[0], -1)
            elif layer.op == "dense":
                cache.append((x, dropout_mask) if keep else None)
                x = x @ w[layer.weight] + w[layer.bias]
            index += 1
        return x, cache

    def _pooled_conv(self, x: np.ndarray, index: int) -> np.ndarray:
        """A convolution, its ReLU and its 2x2 max pooling, pooled first: a quarter of
        the values get the bias and the ReLU. The same numbers as the other order (the
        bias is the same across a pooled block, rounding keeps order, and ReLU commutes
        with max), with nothing kept for back-propagation."""
        conv = self.layers[index]
        kernel = self.weights[conv.weight]
        x = _pooled_input(self.layers, index, x)
        n, h, wd, _ = x.shape
        out = _conv_columns(x) @ kernel.reshape(kernel.shape[0], -1).T
        corners = _pool_corners(out.reshape(n, h - 2, wd - 2, -1))
        pooled = np.maximum(np.maximum(corners[0], corners[1]), np.maximum(corners[2], corners[3]))
        pooled += self.weights[conv.bias]
        return np.maximum(pooled, 0.0, out=pooled)

    def probabilities(self, images: np.ndarray, batch: int = 512) -> np.ndarray:
        """Softmax outputs ``(N, 10)``, as onnxruntime gives them."""
        parts = [
            softmax(self.forward(images[i : i + batch], trained=())[0])
            for i in range(0, len(images), batch)
        ]
        return np.concatenate(parts) if parts else np.zeros((0, 10), np.float32)

    def backward(
        self,
        cache: list[Any],
        grad_logits: np.ndarray,
        trained: Collection[str] | None = None,
    ) -> dict[str, np.ndarray]:
        """Gradients of the loss for the ``trained`` weights (default: all trainable).

        ``grad_logits`` is d loss / d logits. Layers before the first trained one are
        not back-propagated through at all, so freezing early layers saves their cost.
        """
        first_trainable = self.first_trained(trained)
        trained = self.trainable if trained is None else trained
        w = self.weights
        grads: dict[str, np.ndarray] = {}
        g = grad_logits.astype(np.float32)
        for index in range(len(self.layers) - 1, first_trainable - 1, -1):
            layer, saved = self.layers[index], cache[index]
            need_input_grad = index > first_trainable
            if layer.op == "dense":
                x, dropout_mask = saved
                grads[layer.weight] = x.T @ g
                grads[layer.bias] = g.sum(axis=0)
                if need_input_grad:
                    g = g @ w[layer.weight].T
                    if dropout_mask is not None:
                        g = g * dropout_mask
            elif layer.op == "flatten" or layer.op == "channels_first":
                g = g.reshape(saved)
            elif layer.op == "channels_last":
                continue
            elif layer.op == "relu":
                g = g * saved
            elif layer.op == "maxpool":
                winners, shape = saved
                full = np.zeros(shape, dtype=np.float32)
                taken = np.zeros(g.shape, dtype=bool)
                h, wd = shape[1] // 2 * 2, shape[2] // 2 * 2
                for (i, j), winner in zip(((0, 0), (0, 1), (1, 0), (1, 1)), winners, strict=True):
                    first = winner & ~taken  # ties: the first corner gets the gradient
                    full[:, i:h:2, j:wd:2] = np.where(first, g, 0.0)
                    taken |= first
                g = full
            elif layer.op == "conv":
                columns, shape, whole = saved
                kernel = w[layer.weight]
                out_channels = kernel.shape[0]
                flat = g.reshape(-1, out_channels)
                grads[layer.weight] = (flat.T @ columns).reshape(kernel.shape)
                grads[layer.bias] = flat.sum(axis=0)
                if need_input_grad:
                    n, h, wd, c = shape
                    patches = (flat @ kernel.reshape(out_channels, -1)).reshape(
                        n, h - 2, wd - 2, c, _KERNEL, _KERNEL
                    )
                    full = np.zeros(whole, dtype=np.float32)  # rows the pooling drops: 0
                    for i in range(_KERNEL):
                        for j in range(_KERNEL):
                            full[:, i : i + h - 2, j : j + wd - 2] += patches[..., i, j]
                    g = full
        return {name: grad for name, grad in grads.items() if name in trained}
