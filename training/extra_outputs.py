"""Expose a model's inner tensors as extra ONNX outputs, beside ``probabilities``.

Personalisation fine-tunes on the penultimate ``features``, explanations show the hidden
layers, and "not a digit" scores the ``logits``. The names must not depend on how a
converter happened to name its nodes, so they are found by the graph's structure (the
Softmax that makes ``probabilities``, the MatMul before it, the ReLUs in order) and
exposed through Identity nodes with stable names. Documented in assets/models/README.md.
"""

from __future__ import annotations

import onnx
from onnx import helper, shape_inference

from digitpad.core import OUTPUT_NAME

LOGITS, FEATURES = "logits", "features"
# ReLU outputs are named by the layer that feeds them: hidden_1, hidden_2 / conv_1, conv_2.
_LAYER_KIND = {"Conv": "conv", "Add": "hidden", "MatMul": "hidden", "Gemm": "hidden"}


def _producers(graph: onnx.GraphProto) -> dict[str, onnx.NodeProto]:
    return {output: node for node in graph.node for output in node.output}


def extra_output_tensors(graph: onnx.GraphProto) -> dict[str, str]:
    """Stable output name -> the graph tensor it exposes, found by structure.

    Raises
    ------
    ValueError
        The graph does not end in MatMul -> Add -> Softmax producing ``probabilities``.
    """
    producers = _producers(graph)
    softmax = producers.get(OUTPUT_NAME)
    if softmax is None or softmax.op_type != "Softmax":
        raise ValueError(f"{OUTPUT_NAME!r} is not produced by a Softmax node")
    logits = softmax.input[0]
    bias_add = producers.get(logits)
    matmul = producers.get(bias_add.input[0]) if bias_add is not None else None
    if bias_add is None or matmul is None or matmul.op_type != "MatMul":
        raise ValueError("the Softmax is not fed by MatMul -> Add (a Dense layer)")
    tensors = {LOGITS: logits, FEATURES: matmul.input[0]}
    counts: dict[str, int] = {}
    for node in graph.node:
        if node.op_type != "Relu":
            continue
        feeder = producers.get(node.input[0])
        kind = _LAYER_KIND.get(feeder.op_type if feeder is not None else "", "layer")
        counts[kind] = counts.get(kind, 0) + 1
        tensors[f"{kind}_{counts[kind]}"] = node.output[0]
    return tensors


def add_extra_outputs(model: onnx.ModelProto) -> onnx.ModelProto:
    """A copy of ``model`` with ``logits``, ``features`` and every ReLU layer as outputs.

    Idempotent: outputs that already exist are left as they are.
    """
    result = onnx.ModelProto()
    result.CopyFrom(model)
    graph = result.graph
    existing = {output.name for output in graph.output}
    inferred = shape_inference.infer_shapes(result).graph
    known_types = {info.name: info for info in (*inferred.value_info, *inferred.output)}
    for name, tensor in extra_output_tensors(graph).items():
        if name in existing:
            continue
        graph.node.append(helper.make_node("Identity", [tensor], [name], name=f"{name}_output"))
        info = onnx.ValueInfoProto()
        if tensor in known_types:
            info.CopyFrom(known_types[tensor])
        else:
            info.type.tensor_type.elem_type = onnx.TensorProto.FLOAT
        info.name = name
        if info.type.tensor_type.HasField("shape") and info.type.tensor_type.shape.dim:
            # The batch axis stays dynamic, whatever the converter recorded.
            batch_axis = info.type.tensor_type.shape.dim[0]
            batch_axis.Clear()
            batch_axis.dim_param = "N"
        graph.output.append(info)
    onnx.checker.check_model(result)
    return result


def describe_extra_outputs(model: onnx.ModelProto) -> dict[str, dict[str, object]]:
    """The ``extra_outputs`` metadata entry: each extra output's shape (None = dynamic)."""
    described: dict[str, dict[str, object]] = {}
    for output in model.graph.output:
        if output.name == OUTPUT_NAME:
            continue
        dims = output.type.tensor_type.shape.dim
        shape = [dim.dim_value if dim.HasField("dim_value") else None for dim in dims]
        described[output.name] = {"dtype": "float32", "shape": shape}
    return described
