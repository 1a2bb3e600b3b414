"""The two architectures are fixed: layer stacks and parameter counts."""

from __future__ import annotations

import pytest

pytest.importorskip("tensorflow", reason="needs TensorFlow: install the train extra")

import keras

from training.models import build_cnn, build_dense, describe_architecture
from training.specs import MODEL_SPECS

pytestmark = pytest.mark.training


def _stack(model: keras.Model) -> list[tuple[str, object]]:
    """(layer type, its defining setting) for every layer."""
    described = []
    for layer in model.layers:
        config = layer.get_config()
        setting = (
            config.get("units")
            or config.get("filters")
            or config.get("rate")
            or config.get("scale")
            or config.get("pool_size")
        )
        described.append((type(layer).__name__, setting, config.get("activation")))
    return described


def test_dense_stack_and_parameters() -> None:
    model = build_dense()
    assert model.input_shape == (None, 28, 28)
    assert _stack(model) == [
        ("Rescaling", 1 / 255, None),
        ("Flatten", None, None),
        ("Dense", 128, "relu"),
        ("Dense", 128, "relu"),
        ("Dense", 10, "softmax"),
    ]
    assert model.count_params() == 118_282
    assert model.output_shape == (None, 10)


def test_cnn_stack_and_parameters() -> None:
    model = build_cnn()
    assert model.input_shape == (None, 28, 28, 1)
    assert _stack(model) == [
        ("Rescaling", 1 / 255, None),
        ("Conv2D", 32, "relu"),
        ("MaxPooling2D", (2, 2), None),
        ("Conv2D", 64, "relu"),
        ("MaxPooling2D", (2, 2), None),
        ("Flatten", None, None),
        ("Dropout", 0.5, None),
        ("Dense", 10, "softmax"),
    ]
    assert [layer.get_config()["kernel_size"] for layer in model.layers[1:4:2]] == [(3, 3)] * 2
    assert model.count_params() == 34_826


def test_architecture_line_reads_like_the_stack() -> None:
    assert describe_architecture(build_dense()) == (
        "Input(28,28) -> Rescaling(1/255) -> Flatten -> Dense(128, relu) -> "
        "Dense(128, relu) -> Dense(10, softmax)"
    )
    assert describe_architecture(build_cnn()).startswith(
        "Input(28,28,1) -> Rescaling(1/255) -> Conv2D(32, 3x3, relu) -> MaxPooling2D(2)"
    )


@pytest.mark.parametrize("spec", MODEL_SPECS, ids=lambda spec: spec.name)
def test_each_spec_builds_a_model_of_its_name(spec) -> None:
    assert spec.build().name == spec.name
