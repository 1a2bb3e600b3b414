"""Model files made for tests from the shipped ones."""

from __future__ import annotations

from pathlib import Path

from digitpad.core import OUTPUT_NAME


def without_extra_outputs(source: Path, target: Path) -> Path:
    """Save the ONNX model ``source`` as ``target`` with only its contract output, as a
    model made before the extra outputs (``features``, ``conv_1``, ...) existed."""
    # onnx comes with the train extra, which the test suite is installed with.
    import onnx

    graph = onnx.load(str(source))
    kept = [output for output in graph.graph.output if output.name == OUTPUT_NAME]
    del graph.graph.output[:]
    graph.graph.output.extend(kept)
    onnx.save(graph, str(target))
    return target


def breaks_on_heavy_ink(folder: Path, name: str = "fragile") -> Path:
    """A user model ``<name>.onnx`` + ``<name>.json`` whose probabilities are NaN when the
    model input holds more than 60,000 units of ink (a filled square does; a digit holds
    13,000-44,000): it loads, reads digits, then fails on a blot, as a broken personal
    model might."""
    import hashlib
    import json

    import numpy as np
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    folder.mkdir(parents=True, exist_ok=True)
    initial = [
        numpy_helper.from_array(np.zeros((784, 10), np.float32), "weights"),
        numpy_helper.from_array(np.array([1], np.int64), "axis"),
        numpy_helper.from_array(np.array(60_000.0, np.float32), "ceiling"),
    ]
    nodes = [
        helper.make_node("Flatten", ["image"], ["flat"], axis=1),
        helper.make_node("MatMul", ["flat", "weights"], ["zeros"]),
        helper.make_node("ReduceSum", ["flat", "axis"], ["ink"], keepdims=1),
        helper.make_node("Sub", ["ceiling", "ink"], ["margin"]),
        helper.make_node("Log", ["margin"], ["nan_when_heavy"]),
        helper.make_node("Add", ["zeros", "nan_when_heavy"], ["logits"]),
        helper.make_node("Softmax", ["logits"], [OUTPUT_NAME], axis=1),
    ]
    graph = helper.make_graph(
        nodes,
        name,
        [helper.make_tensor_value_info("image", TensorProto.FLOAT, ["N", 28, 28])],
        [helper.make_tensor_value_info(OUTPUT_NAME, TensorProto.FLOAT, ["N", 10])],
        initializer=initial,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    onnx_path = folder / f"{name}.onnx"
    onnx.save(model, str(onnx_path))
    document = {
        "format_version": 1,
        "name": name,
        "display_name": name.title(),
        "architecture": "sum of the ink -> log",
        "parameters": 7840,
        "onnx_file": onnx_path.name,
        "sha256": hashlib.sha256(onnx_path.read_bytes()).hexdigest(),
    }
    (folder / f"{name}.json").write_text(json.dumps(document))
    return onnx_path
