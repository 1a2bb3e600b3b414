"""The architectures digitpad ships (see training.specs); exported graphs are exactly these."""

from __future__ import annotations

import keras
from keras import layers

# Raw 0..255 pixels go in; the models scale them, so the ONNX contract stays "raw pixels".
_PIXEL_SCALE = 1.0 / 255.0


def build_dense() -> keras.Model:
    """A two-hidden-layer perceptron: 118,282 parameters, input (N, 28, 28)."""
    return keras.Sequential(
        [
            keras.Input(shape=(28, 28), name="image"),
            layers.Rescaling(_PIXEL_SCALE),
            layers.Flatten(),
            layers.Dense(128, activation="relu"),
            layers.Dense(128, activation="relu"),
            layers.Dense(10, activation="softmax"),
        ],
        name="dense",
    )


def build_cnn() -> keras.Model:
    """A small two-convolution network: 34,826 parameters, input (N, 28, 28, 1)."""
    return keras.Sequential(
        [
            keras.Input(shape=(28, 28, 1), name="image"),
            layers.Rescaling(_PIXEL_SCALE),
            layers.Conv2D(32, (3, 3), activation="relu"),
            layers.MaxPooling2D(2),
            layers.Conv2D(64, (3, 3), activation="relu"),
            layers.MaxPooling2D(2),
            layers.Flatten(),
            layers.Dropout(0.5),
            layers.Dense(10, activation="softmax"),
        ],
        name="cnn",
    )


def set_dropout_rate(model: keras.Model, rate: float) -> None:
    """Train with this dropout rate in every Dropout layer: a recipe setting (tuned by
    ``python -m training tune``), not an architecture change; inference never drops."""
    if not 0.0 <= rate < 1.0:
        raise ValueError(f"dropout rate {rate} is outside 0..1")
    for layer in model.layers:
        if isinstance(layer, layers.Dropout):
            layer.rate = rate


def _describe_layer(layer: keras.layers.Layer) -> str:
    """One layer as it reads in the architecture line, e.g. ``Conv2D(32, 3x3, relu)``."""
    config = layer.get_config()
    kind = type(layer).__name__
    activation = config.get("activation")
    if kind == "Rescaling":
        return f"Rescaling(1/{round(1 / config['scale'])})"
    if kind == "Conv2D":
        height, width = config["kernel_size"]
        return f"Conv2D({config['filters']}, {height}x{width}, {activation})"
    if kind == "MaxPooling2D":
        return f"MaxPooling2D({config['pool_size'][0]})"
    if kind == "Dense":
        return f"Dense({config['units']}, {activation})"
    if kind == "Dropout":
        return f"Dropout({config['rate']:g}, training only)"
    return kind


def describe_architecture(model: keras.Model) -> str:
    """The model's layer stack on one line, for its metadata and reports."""
    shape = ",".join(str(size) for size in model.input_shape[1:])
    return " -> ".join([f"Input({shape})", *(_describe_layer(layer) for layer in model.layers)])
