"""Export a trained Keras model to ONNX under the digitpad contract.

``tf2onnx.convert.from_keras`` fails on Keras 3 Sequential models (KeyError
'keras_tensor_N'), so the model call is wrapped in a ``tf.function`` whose input
signature names the input ``image`` and whose output is renamed ``probabilities``.
"""

from __future__ import annotations

from pathlib import Path

import keras
import onnx
import tensorflow as tf
import tf2onnx

# The contract's names live with the app's loader, which checks them.
from digitpad.core import INPUT_NAME, OUTPUT_NAME
from training.extra_outputs import add_extra_outputs

# Opset 17 is the newest that tf2onnx 1.17 fully supports, and onnxruntime has run it
# since 1.13, so the shipped files load in any onnxruntime the app accepts (>= 1.18).
ONNX_OPSET = 17


def export_onnx(model: keras.Model, path: Path) -> Path:
    """Write ``model`` as ONNX to ``path``: input ``image`` raw 0..255, output ``probabilities``.

    The inner layers are exposed as extra outputs (``training.extra_outputs``).
    The batch dimension stays dynamic; the per-image shape is the model's own
    (``(28, 28)`` dense, ``(28, 28, 1)`` CNN).
    """
    signature = [tf.TensorSpec((None, *model.input_shape[1:]), tf.float32, name=INPUT_NAME)]

    @tf.function(input_signature=signature)
    def serve(image: tf.Tensor) -> tf.Tensor:
        return model(image, training=False)

    path.parent.mkdir(parents=True, exist_ok=True)
    model_proto, _ = tf2onnx.convert.from_function(
        serve, input_signature=signature, opset=ONNX_OPSET
    )
    graph = model_proto.graph
    (output,) = graph.output
    for node in graph.node:  # rename the producer's output and the graph output together
        node.output[:] = [OUTPUT_NAME if name == output.name else name for name in node.output]
    output.name = OUTPUT_NAME
    for value in (graph.input[0], output):  # tf2onnx names the batch axis "unk__NN"
        value.type.tensor_type.shape.dim[0].dim_param = "N"
    model_proto = add_extra_outputs(model_proto)
    model_proto.doc_string = f"digitpad {model.name}: image [N,28,28(,1)] 0..255 -> probabilities"
    onnx.checker.check_model(model_proto, full_check=True)
    onnx.save(model_proto, str(path))
    return path
