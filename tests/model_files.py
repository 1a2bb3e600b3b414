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
